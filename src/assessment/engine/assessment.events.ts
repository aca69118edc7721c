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
