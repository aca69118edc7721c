import { randomInt } from 'node:crypto';
import type { ReviewPolicy } from './assessment.entity.js';

/** Fisher–Yates with the system's CSPRNG: candidates cannot predict each other's order. */
export function shuffled<T>(list: readonly T[], random = randomInt): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `count` distinct picks from a pool, in random order. */
export function drawFrom<T>(pool: readonly T[], count: number, random = randomInt): T[] {
  return shuffled(pool, random).slice(0, count);
}

/** The lists of a candidate view that may be shuffled: choices, matching answers, steps. */
export const SHUFFLED_LISTS = ['options', 'right', 'items'] as const;

/**
 * Whether a question's lists are shuffled for an attempt. Always, whatever the assessment's
 * question shuffle says: banks write the right answer first (GIFT, Moodle XML), so the
 * authoring order is a key (ADR 0010). Only a question that asks for its order to stay
 * (`fixedOrder: true`, Moodle's shuffleanswers = 0: "all of the above") keeps it.
 */
export function shufflesLists(definition: unknown): boolean {
  return (definition as { fixedOrder?: unknown } | null)?.fixedOrder !== true;
}

/**
 * The lists of a question shuffled for an attempt. A fixed order keeps choices and steps as
 * written, never a matching question's right column: imports and the editor write it in the
 * order of the left items, so kept it would pair them (Moodle's shuffleanswers, too, orders
 * only the stems; the choices are always shuffled).
 */
export function shuffledLists(definition: unknown): readonly (typeof SHUFFLED_LISTS)[number][] {
  return shufflesLists(definition) ? SHUFFLED_LISTS : ['right'];
}

/**
 * Whether a credit is full credit, for every type: results, review and item analysis say
 * "right" by this one rule. Credits written as thirds (33.3333 %) add up to 0.999999, which
 * shows as 1/1; a gap under one in ten thousand is rounding, not a partial answer.
 */
export function isFullCredit(fraction: number | null | undefined): boolean {
  return typeof fraction === 'number' && fraction >= 1 - 1e-4;
}

/** Puts each list of a view in the attempt's stored order (ids missing from it keep theirs). */
export function applyOrder(
  view: Record<string, unknown>,
  order: Record<string, string[]>,
): Record<string, unknown> {
  const out = { ...view };
  for (const [key, ids] of Object.entries(order)) {
    const list = view[key];
    if (!Array.isArray(list)) continue;
    const rank = new Map(ids.map((id, i) => [id, i]));
    out[key] = [...(list as { id: string }[])].sort(
      (a, b) => (rank.get(a.id) ?? ids.length) - (rank.get(b.id) ?? ids.length),
    );
  }
  return out;
}

/** Earlier of start + limit and the closing time; null when neither bounds the attempt. */
export function deadlineOf(
  startedAt: Date,
  timeLimitMinutes: number | null,
  closesAt: Date | null,
): Date | null {
  const byLimit = timeLimitMinutes ? startedAt.getTime() + timeLimitMinutes * 60_000 : Infinity;
  const end = Math.min(byLimit, closesAt?.getTime() ?? Infinity);
  return Number.isFinite(end) ? new Date(end) : null;
}

export interface GradedItem {
  points: number;
  /** Null while a person has still to grade it. */
  score: number | null;
}

/** Total, maximum and percent of graded items; `complete` is false while any waits for a person. */
export function resultOf(items: readonly GradedItem[], passPercent: number) {
  const maxScore = round2(items.reduce((sum, i) => sum + i.points, 0));
  const score = round2(items.reduce((sum, i) => sum + (i.score ?? 0), 0));
  const percent = maxScore > 0 ? round2((score / maxScore) * 100) : 0;
  const complete = items.every((i) => i.score !== null);
  return { score, maxScore, percent, passed: complete && percent + 1e-9 >= passPercent, complete };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * How much of a finished attempt its candidate may see now: nothing while it is open, and
 * nothing before the window closes when the assessment holds reviews until then.
 */
export function reviewNow(
  policy: ReviewPolicy,
  options: {
    finished: boolean;
    reviewAfterClose: boolean;
    closesAt: Date | null;
    now: Date;
    /** The candidate may still sit it again (anotherTryPossible): the key waits (ADR 0027). */
    anotherTry?: boolean;
  },
): ReviewPolicy {
  if (!options.finished) return 'none';
  if (options.reviewAfterClose && (!options.closesAt || options.now < options.closesAt))
    return 'none';
  // The right answers read after one attempt would pass the next: shown only after the last.
  if (policy === 'answers' && options.anotherTry) return 'feedback';
  return policy;
}

/**
 * The attempts the limit counts: one voided because its sector was switched off is not the
 * candidate's; one voided for misconduct is (ADR 0024), so cheating never buys another try.
 * A course's pre-test is never counted (ADR 0040).
 */
export function countedAttempts<
  T extends { status: string; voidedFor: string | null; purpose?: string | null },
>(attempts: readonly T[]): number {
  return attempts.filter(
    (a) => a.purpose !== 'pretest' && (a.status !== 'voided' || a.voidedFor === 'misconduct'),
  ).length;
}

/**
 * Whether the candidate is sitting this assessment or may still start it again: an attempt
 * open, or a try left while the window is open. Until neither holds, the right answers stay
 * hidden (ADR 0027).
 */
export function anotherTryPossible(
  attempts: readonly { status: string; voidedFor: string | null; purpose?: string | null }[],
  assessment: { maxAttempts: number; closesAt: Date | null },
  now: Date,
): boolean {
  if (attempts.some((a) => a.status === 'in_progress')) return true;
  if (assessment.closesAt && now >= assessment.closesAt) return false;
  return assessment.maxAttempts <= 0 || countedAttempts(attempts) < assessment.maxAttempts;
}

/**
 * The attempt that counts for a user: the best, or the latest, among the finished ones; a
 * pre-test never counts (ADR 0040).
 */
export function countingAttempt<
  T extends { number: number; percent: number | null; purpose?: string | null },
>(attempts: readonly T[], scoring: 'highest' | 'last'): T | undefined {
  const finished = attempts.filter((a) => a.percent !== null && a.purpose !== 'pretest');
  if (!finished.length) return undefined;
  return finished.reduce((best, a) =>
    scoring === 'last'
      ? a.number > best.number
        ? a
        : best
      : a.percent! > best.percent! || (a.percent === best.percent && a.number > best.number)
        ? a
        : best,
  );
}
