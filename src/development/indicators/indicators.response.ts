export class IndicatorOrgUnitResponse {
  id: string;
  code: string;
  name: string;
}

/** A programme indicator (evaluation level 4). */
export class IndicatorResponse {
  id: string;
  orgUnit: IndicatorOrgUnitResponse;
  year: number;
  name: string;
  unit: string;
  baselineValue: number;
  resultValue: number | null;
  /** Result − baseline; null before a result is recorded. */
  change: number | null;
  /** Whether the change goes the right way; null before a result is recorded. */
  improved: boolean | null;
  lowerIsBetter: boolean;
  source: string;
  schemeId: string | null;
  courseId: string | null;
  updatedAt: Date;
}
