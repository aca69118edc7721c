/*
 * The items of a questionnaire and the checks of an answer (ADR 0040), without the database.
 */

/** The reaction statements a course without its own (`reactionItems` null) is rated on. */
export const DEFAULT_REACTION_ITEMS: readonly string[] = [
  'Materi sesuai dengan kebutuhan pekerjaan saya',
  'Penyampaian materi mudah dipahami',
  'Waktu pelatihan memadai',
  'Saya akan menerapkan hasil pelatihan dalam pekerjaan',
];

/** A questionnaire's item: the key its rating is given under and what is rated. */
export interface EvaluationItem {
  key: string;
  text: string;
}

/** A reaction's items, keyed "1".."n". */
export function reactionItems(own: string[] | null | undefined): EvaluationItem[] {
  const texts = own?.length ? own : DEFAULT_REACTION_ITEMS;
  return texts.map((text, i) => ({ key: String(i + 1), text }));
}

/** A rating's bounds and a comment's. */
export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const COMMENT_MAX = 2000;
/** A behaviour example must say something: at least this many characters. */
export const EXAMPLE_MIN = 10;

/** What is wrong with an answer: the field and the catalogue's variant. */
export interface AnswerProblem {
  field: string;
  variant: 'rating' | 'extra' | 'comment' | 'example';
  key?: string;
}

/**
 * The first problem of an answer's ratings and comment, or null. Every key must be rated
 * with a whole number 1–5, no other key given; a behaviour answer needs an example.
 */
export function answerProblem(
  keys: string[],
  ratings: unknown,
  comment: unknown,
  exampleRequired: boolean,
): AnswerProblem | null {
  const given =
    ratings && typeof ratings === 'object' && !Array.isArray(ratings)
      ? (ratings as Record<string, unknown>)
      : {};
  for (const key of keys) {
    const value = given[key];
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < RATING_MIN ||
      value > RATING_MAX
    )
      return { field: `ratings.${key}`, variant: 'rating', key };
  }
  const extra = Object.keys(given).find((key) => !keys.includes(key));
  if (extra !== undefined) return { field: `ratings.${extra}`, variant: 'extra', key: extra };
  if (comment !== undefined && comment !== null && typeof comment !== 'string')
    return { field: 'comment', variant: 'comment' };
  const text = typeof comment === 'string' ? comment.trim() : '';
  if (text.length > COMMENT_MAX) return { field: 'comment', variant: 'comment' };
  if (exampleRequired && text.length < EXAMPLE_MIN) return { field: 'comment', variant: 'example' };
  return null;
}

/** The date of `at` at 00:00 UTC: a reaction answer keeps no time of day. */
export function dayOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** The year in Asia/Jakarta (UTC+7, no daylight saving) of an instant. */
export function jakartaYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3_600_000).getUTCFullYear();
}

/** A mean shown only when at least `min` answers make it (null below). */
export function meanOrNull(sum: number, count: number, answers: number, min = 5): number | null {
  if (answers < min || count === 0) return null;
  return Math.round((sum / count) * 100) / 100;
}
