/** Domain event: an attempt was graded in full (payload `AttemptGraded`). */
export const ATTEMPT_GRADED = 'assessment.graded';
/** Domain event: a graded attempt passed (payload `AttemptGraded`, `passed` true). */
export const ASSESSMENT_PASSED = 'assessment.passed';

export interface AttemptGraded {
  userId: string;
  assessmentId: string;
  attemptId: string;
  sector: string;
  percent: number;
  passed: boolean;
  gradedAt: Date;
}

/** Domain event: an admin overrode the machine's grade of an item (payload `AttemptOverridden`). */
export const ATTEMPT_OVERRIDDEN = 'assessment.overridden';

export interface AttemptOverridden {
  userId: string;
  assessmentId: string;
  attemptId: string;
  slot: number;
  score: number;
  reason: string;
  by: { id: string; name: string };
  /** When the attempt was first submitted: a certificate issued since may rest on it. */
  submittedAt: Date | null;
}

/**
 * Domain event: a regrade turned a pass into a fail, or a proctor voided a passed attempt
 * (payload `AssessmentPassVoided`): what the
 * pass granted is re-evaluated (the certificate resting on it revoked, the course completion
 * reopened; ADR 0019). The pass's evidence was already ended with the regrade.
 */
export const ASSESSMENT_PASS_VOIDED = 'assessment.pass_voided';

export interface AssessmentPassVoided extends AttemptGraded {
  /** The title of the assessment, for the notices. */
  assessmentTitle: string;
  /** Who ran the regrade, or voided the attempt. */
  actorId: string;
  /** Set when a proctor voided the attempt for misconduct (not a regrade): their reason. */
  voidReason?: string;
}
