export class TeamCodeNameResponse {
  code: string;
  name: string;
}

export class TeamGapsResponse {
  /** Competencies the position's standard requires. */
  required: number;
  met: number;
  /** The sum of the levels still missing. */
  totalGap: number;
}

export class TeamPlanResponse {
  id: string;
  year: number;
  status: 'draft' | 'submitted' | 'agreed' | 'returned';
  plannedJp: number;
  realisedJp: number;
}

export class TeamCertificateResponse {
  number: string;
  scheme: string;
  /** `active` or `expired`. */
  status: string;
  expiresAt: string | null;
  /** Active and expiring within 90 days. */
  expiringSoon: boolean;
}

/** A direct report as their supervisor sees them. */
export class TeamMemberResponse {
  id: string;
  nip: string | null;
  name: string;
  position: TeamCodeNameResponse | null;
  orgUnit: TeamCodeNameResponse | null;
  gaps: TeamGapsResponse;
  /** This year’s plan, or null when they have not opened it yet. */
  plan: TeamPlanResponse | null;
  jpThisYear: number;
  certificates: TeamCertificateResponse[];
}
