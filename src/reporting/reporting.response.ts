import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { GapSummaryResponse, RecommendationResponse } from '../competency/competency.response.js';
import { NotificationListResponse } from '../platform/notifications/notifications.response.js';

export class ReportFiltersResponse {
  year: number;
  sector: string | null;
  orgUnit: string | null;
  position: string | null;
}

export class AdminDashboardTotalsResponse {
  asn: number;
  percentCovered: number;
  percentJpCompliant: number;
  expiring: number;
  liveExams: number;
  sitting: number;
}

export class WorkforceRowResponse {
  sector: string | null;
  orgUnitCode: string | null;
  orgUnitName: string | null;
  asn: number;
}

export class CoverageRowResponse {
  positionCode: string;
  positionName: string;
  sector: string;
  schemes: string[];
  asn: number;
  covered: number;
  percentCovered: number;
}

export class JpComplianceRowResponse {
  orgUnitCode: string | null;
  orgUnitName: string | null;
  asn: number;
  compliant: number;
  percentCompliant: number;
  averageJp: number;
}

export class GapHeatmapOrgUnitResponse {
  code: string;
  name: string;
}

export class GapHeatmapCompetencyResponse {
  code: string;
  title: string;
}

export class GapHeatmapCellResponse {
  orgUnit: string;
  competency: string;
  requirements: number;
  met: number;
  percentMet: number;
}

export class GapHeatmapResponse {
  orgUnits: GapHeatmapOrgUnitResponse[];
  competencies: GapHeatmapCompetencyResponse[];
  cells: GapHeatmapCellResponse[];
}

export class ExpiringCertificateRowResponse {
  number: string;
  holderName: string;
  holderNip: string | null;
  orgUnit: string | null;
  scheme: string;
  sector: string;
  expiresAt: string;
  daysLeft: number;
}

export class LiveExamRowResponse {
  id: string;
  title: string;
  sector: string;
  closesAt: string | null;
  sitting: number;
}

export class AdminDashboardResponse {
  filters: ReportFiltersResponse;
  totals: AdminDashboardTotalsResponse;
  workforce: WorkforceRowResponse[];
  coverage: CoverageRowResponse[];
  jpCompliance: JpComplianceRowResponse[];
  heatmap: GapHeatmapResponse;
  expiring: ExpiringCertificateRowResponse[];
  liveExams: LiveExamRowResponse[];
}

export class CourseReportRowResponse {
  code: string;
  title: string;
  sector: string;
  enrolled: number;
  completed: number;
  percentCompleted: number;
  overdue: number;
  averageDaysToComplete: number | null;
}

export class AssessmentReportRowResponse {
  id: string;
  title: string;
  sector: string;
  passPercent: number;
  attempts: number;
  candidates: number;
  passed: number;
  percentPassed: number;
  averagePercent: number | null;
  awaitingGrading: number;
  histogram: number[];
}

export class CoordinatorDashboardResponse {
  filters: ReportFiltersResponse;
  sectors: string[] | null;
  courses: CourseReportRowResponse[];
  assessments: AssessmentReportRowResponse[];
  liveExams: LiveExamRowResponse[];
}

export class AsnDashboardJpResponse {
  year: number;
  target: number;
  total: number;
  percent: number;
}

export class AsnDashboardPositionResponse {
  code: string;
  name: string;
}

export class AsnDashboardTopGapCompetencyResponse {
  code: string;
  title: string;
  type: string;
  sector: string | null;
}

export class AsnDashboardTopGapResponse {
  competency: AsnDashboardTopGapCompetencyResponse;
  requiredLevel: number;
  achievedLevel: number;
  gap: number;
  /** The first recommended course the caller has not finished. */
  course: RecommendationResponse | null;
  /** A recommended course already finished: its exam, not the course, closes the gap now. */
  finishedCourse: RecommendationResponse | null;
}

export class NextExamResponse {
  id: string;
  title: string;
  url: string;
  passed: boolean;
}

export class NextSchemeResponse {
  id: string;
  code: string;
  title: string;
  url: string;
  met: boolean;
  /** The requirements not met yet, in words. */
  missing: string[];
}

/** A finished course and what still follows it: exams not passed, schemes not complete. */
export class AsnDashboardNextStepResponse {
  courseId: string;
  title: string;
  exams: NextExamResponse[];
  schemes: NextSchemeResponse[];
}

export class AsnDashboardCourseResponse {
  enrollmentId: string;
  courseId: string;
  code: string;
  title: string;
  percent: number;
  dueAt: string | null;
  overdue: boolean;
}

export class AsnDashboardCertificateResponse {
  id: string;
  number: string;
  scheme: string;
  status: 'active' | 'expired' | 'revoked' | 'renewed';
  expiresAt: string | null;
  daysLeft: number | null;
}

export class AsnDashboardResponse {
  jp: AsnDashboardJpResponse;
  position: AsnDashboardPositionResponse | null;
  gapSummary: GapSummaryResponse;
  topGaps: AsnDashboardTopGapResponse[];
  nextSteps: AsnDashboardNextStepResponse[];
  courses: AsnDashboardCourseResponse[];
  certificates: AsnDashboardCertificateResponse[];
  notifications: NotificationListResponse;
}

export class ItemAnalysisAssessmentResponse {
  id: string;
  title: string;
  sector: string;
}

export class ItemAnalysisOptionResponse {
  id: string;
  text: string;
  credit: number;
  chosen: number;
}

/** A blank of a cloze, analysed as its own item. */
export class ItemAnalysisBlankResponse {
  label: string;
  facility: number;
  discrimination: number | null;
}

export class ItemAnalysisItemResponse {
  questionId: string;
  version: number;
  name: string;
  type: string;
  attempts: number;
  correct: number;
  facility: number;
  discrimination: number | null;
  unanswered: number;
  options: ItemAnalysisOptionResponse[] | null;
  /** Cloze questions: facility and discrimination per blank. */
  blanks: ItemAnalysisBlankResponse[] | null;
  flags: ('negative_discrimination' | 'nobody_right' | 'everybody_right')[];
}

export class ItemAnalysisResponse {
  assessment: ItemAnalysisAssessmentResponse;
  attempts: number;
  items: ItemAnalysisItemResponse[];
}

/** The row classes of `GET /reports/:report`, one per report. */
export const TABLE_ROWS = [
  WorkforceRowResponse,
  JpComplianceRowResponse,
  CoverageRowResponse,
  ExpiringCertificateRowResponse,
  LiveExamRowResponse,
  CourseReportRowResponse,
  AssessmentReportRowResponse,
];

/** A table report as JSON: the filters it applied and its rows, of the report's row class. */
export class ReportTableResponse {
  filters: ReportFiltersResponse;
  @ApiProperty({
    type: 'array',
    items: { oneOf: TABLE_ROWS.map((row) => ({ $ref: getSchemaPath(row) })) },
  })
  rows: unknown[];
}

/* --- Development plans and impact (ADR 0040) --- */

export class PlanTargetResponse {
  /** The yearly JP every ASN should reach. */
  jpPerAsn: number;
  /** Active ASN. */
  asn: number;
  /** JP of the agreed plans' items that are not dropped. */
  plannedJp: number;
  /** Share of the target the agreed plans would cover (each ASN counted up to 20 JP). */
  coveragePercent: number;
}

export class PlanCountsResponse {
  draft: number;
  submitted: number;
  agreed: number;
  returned: number;
  /** Active ASN without a plan for the year. */
  none: number;
}

export class PlanUnitRowResponse {
  id: string;
  code: string;
  name: string;
  parentCode: string | null;
  asn: number;
  agreedPlans: number;
  plannedJp: number;
  /** Whole rupiah. */
  estimatedCostIdr: number;
  /** The unit's budget ceiling for the year; null when none is set. */
  ceilingIdr: number | null;
  overCeiling: boolean;
  overByIdr: number;
}

export class PlanDimensionRowResponse {
  key: string;
  name: string;
  asn: number;
  jp: number;
  estimatedCostIdr: number;
}

/** The agency's development plan of a year. */
export class DevelopmentPlanReportResponse {
  year: number;
  target: PlanTargetResponse;
  counts: PlanCountsResponse;
  byOrgUnit: PlanUnitRowResponse[];
  /** The same rolled up to the top of the org-unit tree. */
  byTopUnit: PlanUnitRowResponse[];
  bySector: PlanDimensionRowResponse[];
  byCompetency: PlanDimensionRowResponse[];
  byMode: PlanDimensionRowResponse[];
}

export class BehaviourChangeResponse {
  selfMean: number | null;
  supervisorMean: number | null;
  /** Supervisor rating minus the baseline, per person and competency. */
  supervisorChange: number | null;
}

export class ImpactRowResponse {
  id: string;
  code: string;
  title: string;
  sector: string;
  sectorName: string;
  participants: number;
  completed: number;
  completionPercent: number;
  passRatePercent: number | null;
  /** Mean reaction rating (1–5); null below 5 answers. */
  reactionMean: number | null;
  reactionCount: number;
  /** Mean normalised gain (post − pre) / (100 − pre). */
  learningGain: number | null;
  behaviour: BehaviourChangeResponse | null;
  /** Mean change of linked indicators, percent of their baseline, positive = better. */
  indicatorChange: number | null;
  costPerCompletionIdr: number | null;
  costPerCertificateIdr: number | null;
}

/** The learning gain on one competency, from the items of pre- and post-tests. */
export class CompetencyGainResponse {
  code: string;
  title: string;
  /** Learners with a pre-test and a graded post-test that both asked about it. */
  learners: number;
  /** Mean normalised gain (post − pre) / (100 − pre) on its items. */
  learningGain: number | null;
}

/** The impact of schemes and courses in a year. */
export class ImpactReportResponse {
  year: number;
  schemes: ImpactRowResponse[];
  courses: ImpactRowResponse[];
  competencies: CompetencyGainResponse[];
}
