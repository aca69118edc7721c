import { meanGain, normalisedGain } from './learning-gain.js';

describe('normalised learning gain', () => {
  it('is the share of what was left to learn that was learnt', () => {
    expect(normalisedGain(40, 70)).toBeCloseTo(0.5);
    expect(normalisedGain(0, 100)).toBe(1);
    expect(normalisedGain(50, 50)).toBe(0);
  });

  it('is negative when the learner did worse afterwards', () => {
    expect(normalisedGain(60, 40)).toBeCloseTo(-0.5);
  });

  it('leaves out a pre-test of 100: nothing was left to learn', () => {
    expect(normalisedGain(100, 100)).toBeNull();
    expect(meanGain([{ pre: 100, post: 100 }])).toBeNull();
  });

  it('leaves out numbers that are not percentages', () => {
    expect(normalisedGain(Number.NaN, 50)).toBeNull();
    expect(normalisedGain(-1, 50)).toBeNull();
    expect(normalisedGain(50, 101)).toBeNull();
  });

  it('averages over the learners who count', () => {
    // 0.5, 1 and (pre 100, left out) → 0.75.
    expect(
      meanGain([
        { pre: 40, post: 70 },
        { pre: 20, post: 100 },
        { pre: 100, post: 90 },
      ]),
    ).toBe(0.75);
  });

  it('is null for nobody', () => {
    expect(meanGain([])).toBeNull();
  });

  it('rounds to three decimals', () => {
    expect(meanGain([{ pre: 10, post: 40 }])).toBe(0.333);
  });
});
