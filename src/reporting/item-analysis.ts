import { isFullCredit } from '../assessment/engine/attempt-rules.js';

/**
 * Classical item statistics over graded attempts, as Moodle's quiz statistics report them:
 *
 * - facility: the mean credit on the item (0 = nobody earned anything, 1 = everybody full marks);
 * - discrimination: Pearson's correlation between the item's score and the score of the rest of
 *   the attempt (the other items), so the item does not correlate with itself. Good items
 *   reach 0.3 or more; a negative value means stronger candidates do worse on it, which
 *   usually means a wrong key or a misleading stem.
 *
 * Pure functions: the service feeds them rows, tests feed them a worked example.
 */

/** One graded answer: its attempt, the question (and version) and the credit earned. */
export interface ItemResponse {
  attemptId: string;
  questionId: string;
  version: number;
  /** Credit in [0, 1]. */
  fraction: number;
  points: number;
  /** The stored answer; option ids are counted for choice questions. */
  response: unknown;
}

export type ItemFlag = 'negative_discrimination' | 'nobody_right' | 'everybody_right';

export interface ItemStatistics {
  questionId: string;
  version: number;
  /** How many graded attempts included the item. */
  attempts: number;
  /** Attempts with full credit. */
  correct: number;
  facility: number;
  /** Null when it cannot be computed: fewer than two attempts, or no spread in either score. */
  discrimination: number | null;
  /** How often each option id was chosen (choice and true/false questions only). */
  chosen: Record<string, number> | null;
  unanswered: number;
  flags: ItemFlag[];
}

const round = (n: number, places = 4) => Math.round(n * 10 ** places) / 10 ** places;

/** Pearson's r of two equally long series; null when either has no variance. */
export function correlation(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return null;
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / n;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Float noise from fractions such as 1/3 must not pass for real variance.
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** The option ids an answer chose: one id, a list of ids, or true/false; null otherwise. */
export function chosenOptions(response: unknown): string[] | null {
  if (typeof response === 'string') return [response];
  if (typeof response === 'boolean') return [String(response)];
  if (Array.isArray(response) && response.every((r) => typeof r === 'string'))
    return response as string[];
  return null;
}

/** Statistics per (question, version), in the order the questions first appear. */
export function itemStatistics(responses: readonly ItemResponse[]): ItemStatistics[] {
  const totals = new Map<string, number>();
  for (const r of responses)
    totals.set(r.attemptId, (totals.get(r.attemptId) ?? 0) + r.fraction * r.points);
  const groups = new Map<string, ItemResponse[]>();
  for (const r of responses) {
    const key = `${r.questionId}#${r.version}`;
    const group = groups.get(key) ?? [];
    group.push(r);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const first = group[0];
    const itemScores = group.map((r) => r.fraction * r.points);
    const restScores = group.map((r, i) => totals.get(r.attemptId)! - itemScores[i]);
    const facility = group.reduce((s, r) => s + r.fraction, 0) / group.length;
    const correct = group.filter((r) => isFullCredit(r.fraction)).length;
    const r = correlation(itemScores, restScores);
    let chosen: Record<string, number> | null = null;
    let unanswered = 0;
    for (const item of group) {
      if (item.response === null || item.response === undefined || item.response === '') {
        unanswered++;
        continue;
      }
      const ids = chosenOptions(item.response);
      if (!ids) continue;
      chosen ??= {};
      for (const id of ids) chosen[id] = (chosen[id] ?? 0) + 1;
    }
    const flags: ItemFlag[] = [];
    if (r !== null && r < 0) flags.push('negative_discrimination');
    if (correct === 0) flags.push('nobody_right');
    if (correct === group.length) flags.push('everybody_right');
    return {
      questionId: first.questionId,
      version: first.version,
      attempts: group.length,
      correct,
      facility: round(facility),
      discrimination: r === null ? null : round(r),
      chosen,
      unanswered,
      flags,
    };
  });
}

/** One part of a question made of parts (a cloze's blanks), as its own little item. */
export interface PartStatistics {
  label: string;
  /** Mean credit on the part (0–1). */
  facility: number;
  /** The part's score against the rest of the attempt (the other parts and questions). */
  discrimination: number | null;
}

/**
 * Facility and discrimination per part of one question version: `credits` gives a response's
 * credit per part, `weights` each part's share of the question's points. The rest score of a
 * part is the attempt's total minus that part, as for a whole item.
 */
export function partStatistics(
  responses: readonly ItemResponse[],
  item: { questionId: string; version: number },
  parts: { label: string; weight: number }[],
  credits: (response: unknown) => number[],
): PartStatistics[] {
  const totals = new Map<string, number>();
  for (const r of responses)
    totals.set(r.attemptId, (totals.get(r.attemptId) ?? 0) + r.fraction * r.points);
  const group = responses.filter(
    (r) => r.questionId === item.questionId && r.version === item.version,
  );
  const weight = parts.reduce((s, p) => s + p.weight, 0);
  if (!group.length || !weight) return [];
  const given = group.map((r) => credits(r.response));
  return parts.map((part, j) => {
    const earned = given.map((c) => c[j] ?? 0);
    const scores = group.map((r, i) => (earned[i] * part.weight * r.points) / weight);
    const rest = group.map((r, i) => totals.get(r.attemptId)! - scores[i]);
    const r = correlation(scores, rest);
    return {
      label: part.label,
      facility: round(earned.reduce((s, x) => s + x, 0) / group.length),
      discrimination: r === null ? null : round(r),
    };
  });
}
