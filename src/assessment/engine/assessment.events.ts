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
