import { correlation, itemStatistics, type ItemResponse, partStatistics } from './item-analysis.js';

/**
 * A worked example, computed by hand. Five candidates, five one-point items:
 *
 *        q1  q2  q3  q4  q5
 *   A     1   1   0   1   0
 *   B     1   1   1   1   0
 *   C     1   0   1   1   0
 *   D     0   0   1   1   0
 *   E     1   0   0   1   0
 *
 * Facility = column mean: q1 4/5 = 0.8, q2 2/5 = 0.4, q3 3/5 = 0.6, q4 1, q5 0.
 *
 * Discrimination of q2: item x = (1,1,0,0,0), mean 0.4; rest of test y = q1+q3+q4+q5 =
 * (2,3,3,2,2), mean 2.4. dx = (.6,.6,-.4,-.4,-.4), dy = (-.4,.6,.6,-.4,-.4).
 * Σdx·dy = -.24+.36-.24+.16+.16 = 0.2; Σdx² = 1.2; Σdy² = 1.2; r = 0.2 / 1.2 = 0.1667.
 *
 * q3: x = (0,1,1,1,0), mean .6; y = q1+q2+q4 = (3,3,2,1,2), mean 2.2.
 * dx = (-.6,.4,.4,.4,-.6), dy = (.8,.8,-.2,-1.2,-.2). Σdx·dy = -.48+.32-.08-.48+.12 = -0.6;
 * Σdx² = 1.2; Σdy² = 2.8; r = -0.6 / √3.36 = -0.3273: stronger candidates miss it → flagged.
 *
 * q1: x = (1,1,1,0,1), y = (2,3,2,2,1), mean 2; dx = (.2,.2,.2,-.8,.2), dy = (0,1,0,0,-1);
 * Σdx·dy = 0.2 - 0.2 = 0 → r = 0.
 *
 * q4 and q5 have no spread: no discrimination; everybody / nobody right.
 */
const grid: Record<string, number[]> = {
  A: [1, 1, 0, 1, 0],
  B: [1, 1, 1, 1, 0],
  C: [1, 0, 1, 1, 0],
  D: [0, 0, 1, 1, 0],
  E: [1, 0, 0, 1, 0],
};
// q1 is a single choice with key "a"; D chose "b". q5 was left blank by E.
const q1Answer: Record<string, string> = { A: 'a', B: 'a', C: 'a', D: 'b', E: 'a' };

function responses(): ItemResponse[] {
  return Object.entries(grid).flatMap(([attemptId, row]) =>
    row.map((fraction, i) => ({
      attemptId,
      questionId: `q${i + 1}`,
      version: 1,
      fraction,
      points: 1,
      response:
        i === 0 ? q1Answer[attemptId] : i === 4 && attemptId === 'E' ? null : `text-${attemptId}`,
    })),
  );
}

describe('item statistics', () => {
  const stats = new Map(itemStatistics(responses()).map((s) => [s.questionId, s]));

  it('computes the facility index as the mean credit', () => {
    expect([1, 2, 3, 4, 5].map((n) => stats.get(`q${n}`)!.facility)).toEqual([0.8, 0.4, 0.6, 1, 0]);
  });

  it('computes the discrimination index against the rest of the test', () => {
    expect(stats.get('q1')!.discrimination).toBe(0);
    expect(stats.get('q2')!.discrimination).toBe(0.1667);
    expect(stats.get('q3')!.discrimination).toBe(-0.3273);
    expect(stats.get('q4')!.discrimination).toBeNull();
    expect(stats.get('q5')!.discrimination).toBeNull();
  });

  it('flags the questions that look broken', () => {
    expect(stats.get('q1')!.flags).toEqual([]);
    expect(stats.get('q2')!.flags).toEqual([]);
    expect(stats.get('q3')!.flags).toEqual(['negative_discrimination']);
    expect(stats.get('q4')!.flags).toEqual(['everybody_right']);
    expect(stats.get('q5')!.flags).toEqual(['nobody_right']);
  });

  it('counts the options chosen and the blanks', () => {
    expect(stats.get('q1')!.chosen).toEqual({ a: 4, b: 1 });
    expect(stats.get('q1')!.correct).toBe(4);
    expect(stats.get('q5')!.unanswered).toBe(1);
  });

  it('weights by points and keeps versions apart', () => {
    const rows: ItemResponse[] = [
      { attemptId: 'x', questionId: 'q', version: 1, fraction: 0.5, points: 2, response: ['a'] },
      { attemptId: 'y', questionId: 'q', version: 2, fraction: 1, points: 2, response: ['a', 'b'] },
    ];
    const [v1, v2] = itemStatistics(rows);
    expect([v1.version, v1.facility, v1.discrimination]).toEqual([1, 0.5, null]);
    expect(v2.chosen).toEqual({ a: 1, b: 1 });
  });

  it('has no correlation without variance or with one value', () => {
    expect(correlation([1], [2])).toBeNull();
    expect(correlation([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(correlation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
  });
});

describe('item analysis and full credit', () => {
  it('counts a multiple-response answer stored at 0.999999 as right, not "nobody right"', () => {
    const rows: ItemResponse[] = ['A', 'B'].map((attemptId) => ({
      attemptId,
      questionId: 'mr',
      version: 1,
      fraction: 0.999999,
      points: 1,
      response: ['a', 'b', 'c'],
    }));
    const [stats] = itemStatistics(rows);
    expect(stats.correct).toBe(2);
    expect(stats.flags).toEqual(['everybody_right']);
  });
});

describe('partStatistics (a cloze, blank by blank)', () => {
  // Four attempts: a cloze worth 2 points (blank 1 weighs 3, blank 2 weighs 1) and a
  // one-point question Q. Blank 1 follows the strong candidates; blank 2 the weak ones.
  const credits: Record<string, [number, number]> = {
    A: [1, 0],
    B: [1, 0],
    C: [0, 1],
    D: [0, 1],
  };
  const other: Record<string, number> = { A: 1, B: 1, C: 0, D: 0 };
  const responses: ItemResponse[] = Object.entries(credits).flatMap(([who, [b1, b2]]) => [
    {
      attemptId: who,
      questionId: 'cloze',
      version: 1,
      fraction: (3 * b1 + b2) / 4,
      points: 2,
      response: { b1, b2 },
    },
    { attemptId: who, questionId: 'Q', version: 1, fraction: other[who], points: 1, response: 'a' },
  ]);
  const stats = partStatistics(
    responses,
    { questionId: 'cloze', version: 1 },
    [
      { label: 'Isian 1', weight: 3 },
      { label: 'Isian 2', weight: 1 },
    ],
    (r) => {
      const given = r as { b1: number; b2: number };
      return [given.b1, given.b2];
    },
  );

  it('gives each blank its facility and its discrimination against the rest of the attempt', () => {
    expect(stats.map((s) => [s.label, s.facility])).toEqual([
      ['Isian 1', 0.5],
      ['Isian 2', 0.5],
    ]);
    // Blank 1 scores 1.5 or 0 of the 2 points; the rest is blank 2 (0.5 or 0) and Q.
    const b1 = [1.5, 1.5, 0, 0];
    const rest1 = [0 + 1, 0 + 1, 0.5 + 0, 0.5 + 0];
    expect(stats[0].discrimination).toBeCloseTo(correlation(b1, rest1)!, 4);
    expect(stats[0].discrimination!).toBeGreaterThan(0);
    const b2 = [0, 0, 0.5, 0.5];
    const rest2 = [1.5 + 1, 1.5 + 1, 0 + 0, 0 + 0];
    expect(stats[1].discrimination).toBeCloseTo(correlation(b2, rest2)!, 4);
    expect(stats[1].discrimination!).toBeLessThan(0);
  });

  it('is empty for a version nobody answered', () => {
    expect(partStatistics(responses, { questionId: 'x', version: 1 }, [], () => [])).toEqual([]);
  });
});
