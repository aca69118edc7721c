/** A course or scheme in a plan, as planned (title, JP and cost copied then). */
export class PlanItemResponse {
  id: string;
  /** `course` or `scheme`. */
  kind: 'course' | 'scheme';
  refId: string;
  code: string;
  title: string;
  /** The gap it closes, or null. */
  competencyCode: string | null;
  jp: number;
  /** Estimated cost per participant, whole rupiah. */
  costIdr: number;
  deliveryMode: string | null;
  /** `planned`, `done` (computed from completions and certificates) or `dropped`. */
  status: 'planned' | 'done' | 'dropped';
  /** `proposed` from the gaps or `added` by the ASN. */
  origin: 'proposed' | 'added';
  reason: string | null;
  /** Its JP exceed what the rest of the year holds at 2 JP a week. */
  willNotFit: boolean;
  doneAt: string | null;
}

export class PlanPersonResponse {
  id: string;
  name: string;
  nip: string | null;
}

/** An ASN's development plan for a year (ADR 0040). */
export class PlanResponse {
  id: string;
  year: number;
  /** `draft`, `submitted`, `agreed` or `returned`. */
  status: 'draft' | 'submitted' | 'agreed' | 'returned';
  owner: PlanPersonResponse;
  supervisor: PlanPersonResponse | null;
  items: PlanItemResponse[];
  /** JP of the items not dropped. */
  plannedJp: number;
  /** All JP credited to the owner in the year. */
  realisedJp: number;
  targetJp: number;
  /** Cost of the items not dropped, whole rupiah. */
  estimatedCostIdr: number;
  /** The supervisor’s reason while the plan is returned. */
  returnReason: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  /** Decided by an admin in place of the supervisor. */
  decidedAsAdmin: boolean;
  /** The competencies a supervisor may rate when agreeing. */
  competencyCodes: string[];
}
