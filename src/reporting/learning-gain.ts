/**
 * Learning (Kirkpatrick level 2, ADR 0040): the normalised gain of a learner is
 * `(post − pre) / (100 − pre)` with percentages, their pre-test against their best graded
 * regular attempt on the same assessment. Nobody can gain from a pre-test of 100, so such a
 * learner is left out; a course's gain is the mean over the learners who have both.
 */
export interface GainPair {
  /** The pre-test's percent (0–100). */
  pre: number;
  /** The best graded regular attempt's percent (0–100). */
  post: number;
}

/** One learner's normalised gain, or null when it is undefined (pre-test of 100, or a bad number). */
export function normalisedGain(pre: number, post: number): number | null {
  if (!Number.isFinite(pre) || !Number.isFinite(post)) return null;
  if (pre < 0 || pre > 100 || post < 0 || post > 100) return null;
  if (pre >= 100) return null;
  return (post - pre) / (100 - pre);
}

/** The mean normalised gain over learners, rounded to 3 decimals; null when nobody counts. */
export function meanGain(pairs: readonly GainPair[]): number | null {
  let sum = 0;
  let n = 0;
  for (const { pre, post } of pairs) {
    const gain = normalisedGain(pre, post);
    if (gain === null) continue;
    sum += gain;
    n += 1;
  }
  return n ? Math.round((sum / n) * 1000) / 1000 : null;
}
