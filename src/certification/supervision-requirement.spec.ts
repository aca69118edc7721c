import { assessmentRequirementStanding, type GradedAttemptOf, passCounts } from './eligibility.js';

function anAttempt(overrides: Partial<GradedAttemptOf> = {}): GradedAttemptOf {
  return { percent: 80, sessionId: null, ...overrides };
}
const inSession = (percent: number) => anAttempt({ percent, sessionId: 'session-1' });
const online = (percent: number) => anAttempt({ percent });

describe('an assessment to pass, for a scheme that requires supervision', () => {
  it('is not met by a pass sat outside a supervised session', () => {
    expect(assessmentRequirementStanding([online(95)], 70, true)).toEqual({
      best: null,
      met: false,
      uncounted: 1,
    });
  });

  it('is met by a pass sat in a supervised session', () => {
    expect(assessmentRequirementStanding([online(95), inSession(75)], 70, true)).toEqual({
      best: 75,
      met: true,
      uncounted: 1,
    });
  });

  it('takes the best supervised percent, never the better unsupervised one', () => {
    const standing = assessmentRequirementStanding([inSession(60), online(90)], 70, true);
    expect(standing.best).toBe(60);
    expect(standing.met).toBe(false);
  });

  it('meets the minimum exactly, as an unsupervised scheme does', () => {
    expect(assessmentRequirementStanding([inSession(70)], 70, true).met).toBe(true);
    expect(assessmentRequirementStanding([inSession(69.99)], 70, true).met).toBe(false);
  });

  it('is not met with no attempt at all, and counts nothing ungraded', () => {
    expect(assessmentRequirementStanding([], 70, true)).toEqual({
      best: null,
      met: false,
      uncounted: 0,
    });
    expect(
      assessmentRequirementStanding([anAttempt({ percent: null, sessionId: 's' })], 70, true),
    ).toEqual({ best: null, met: false, uncounted: 0 });
  });
});

describe('an assessment to pass, for a scheme that does not require supervision', () => {
  it('counts every graded attempt, supervised or not', () => {
    expect(assessmentRequirementStanding([online(85), inSession(72)], 70, false)).toEqual({
      best: 85,
      met: true,
      uncounted: 0,
    });
    expect(assessmentRequirementStanding([online(50)], 70, false).met).toBe(false);
  });
});

describe('passCounts', () => {
  it('counts an unsupervised pass only where the scheme does not require supervision', () => {
    expect(passCounts({ sessionId: null }, { requiresSupervision: true })).toBe(false);
    expect(passCounts({ sessionId: 's' }, { requiresSupervision: true })).toBe(true);
    expect(passCounts({ sessionId: null }, { requiresSupervision: false })).toBe(true);
    expect(passCounts({ sessionId: null }, {})).toBe(true);
  });
});
