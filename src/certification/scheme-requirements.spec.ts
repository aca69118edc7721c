import { hasRealRequirement } from './certification.entity.js';

describe('hasRealRequirement (ADR 0017)', () => {
  const none = { courses: [], assessments: [], approval: false, rules: [] };

  it('is false for nothing, an empty set and missing parts', () => {
    expect(hasRealRequirement(null)).toBe(false);
    expect(hasRealRequirement(undefined)).toBe(false);
    expect(hasRealRequirement(none)).toBe(false);
    expect(hasRealRequirement({} as never)).toBe(false);
  });

  it('is true for a course, an assessment, an approval or a sector rule, each alone', () => {
    expect(hasRealRequirement({ ...none, courses: ['KES-PPI-01'] })).toBe(true);
    expect(
      hasRealRequirement({ ...none, assessments: [{ assessmentId: 'a', minPercent: 70 }] }),
    ).toBe(true);
    expect(hasRealRequirement({ ...none, approval: true })).toBe(true);
    expect(hasRealRequirement({ ...none, rules: [{ key: 'health.observed-practice' }] })).toBe(
      true,
    );
  });
});
