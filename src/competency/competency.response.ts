import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

export class CompetencyLevelResponse {
  level: number;
  description: string;
  indicators: string[];
}

export class CompetencyResponse {
  id: string;
  code: string;
  title: string;
  description: string;
  type: string;
  sector: string | null;
  levels: CompetencyLevelResponse[];
}

export class StandardLineResponse {
  competencyCode: string;
  competencyTitle: string;
  type: string;
  sector: string | null;
  level: number;
}

export class PositionResponse {
  id: string;
  code: string;
  name: string;
  kind: string;
  sector: string | null;
  orgUnitCodes: string[];
  standard?: StandardLineResponse[];
}

export class StandardsImportSkippedResponse {
  line: number;
  reason: string;
}

export class StandardsImportResponse {
  positions: number;
  requirements: number;
  skipped: StandardsImportSkippedResponse[];
}

export class AssignResponse {
  assigned: number;
  unknown: string[];
}

export class GapReportUserResponse {
  id: string;
  name: string;
  nip: string | null;
}

export class GapReportPositionResponse {
  code: string;
  name: string;
}

export class GapSummaryResponse {
  required: number;
  met: number;
  /** Share of the standard met, 0–100, rounded; 100 for an empty standard. */
  percentMet: number;
  /** Sum of the level gaps across the standard. */
  totalGap: number;
}

export class GapItemCompetencyResponse {
  code: string;
  title: string;
  type: string;
  sector: string | null;
}

/** A course or scheme that closes a gap, from one recommender. */
export class RecommendationResponse {
  id: string;
  code: string;
  title: string;
  url: string;
}

export class GapItemResponse {
  competency: GapItemCompetencyResponse;
  requiredLevel: number;
  achievedLevel: number;
  gap: number;
  met: boolean;
  /** Per recommender (`courses`, `schemes`): what closes this gap. */
  @ApiProperty({
    type: 'object',
    additionalProperties: {
      type: 'array',
      items: { $ref: getSchemaPath(RecommendationResponse) },
    },
  })
  recommendations: Record<string, RecommendationResponse[]>;
}

export class GapReportResponse {
  user: GapReportUserResponse;
  position: GapReportPositionResponse | null;
  /** Why there is nothing to compare (no position, or a position without a standard). */
  reason: string | null;
  summary: GapSummaryResponse;
  items: GapItemResponse[];
}

export class EvidenceCompetencyResponse {
  code: string;
  title: string;
}

export class EvidenceResponse {
  id: string;
  competency: EvidenceCompetencyResponse;
  level: number;
  source: string;
  sourceId: string | null;
  reason: string | null;
  hasAttachment: boolean;
  achievedAt: string;
  expiresAt: string | null;
  valid: boolean;
  /** When it stopped counting before its expiry, and why (ADR 0019); null while it stands. */
  endedAt: string | null;
  endReason: 'certificate_revoked' | 'superseded' | 'regrade' | 'voided' | null;
  supersededBy: string | null;
}

/** One group of `GET /reports/gaps?by=`: a unit, position or sector, and how its ASN meet their standards. */
export class GapGroupResponse {
  key: string;
  name: string;
  asn: number;
  requirements: number;
  met: number;
  percentMet: number;
  averageGap: number;
}
