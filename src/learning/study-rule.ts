/**
 * The rule a lesson completion must meet (ADR 0011): the learner opened the lesson, and a
 * minimum time has passed since then. Time counts from the later of the lesson's first
 * opening and the learner's previous completion in the same enrolment, so opening every
 * lesson at once and waiting once does not complete a course: its lessons are studied one
 * after another, as an honest learner reads them.
 */

/** A course's setting: a share of each lesson's stated minutes, or fixed minutes per lesson. */
export interface StudyPolicy {
  /** 0–100; used when `minStudyMinutes` is null. 0 suits reference material; null is the default. */
  minStudyPercent: number | null;
  /** Fixed minutes per lesson (never more than the lesson's own stated minutes), or null. */
  minStudyMinutes: number | null;
}

/** The default when a course says nothing: half of each lesson's stated minutes. */
export const DEFAULT_MIN_STUDY_PERCENT = 50;

/** Seconds a lesson must have been open before it can be marked done. */
export function minStudySeconds(
  policy: StudyPolicy,
  lesson: { kind: string; durationMinutes: number },
): number {
  // An assessment lesson completes by passing its exam, never by time.
  if (lesson.kind === 'assessment') return 0;
  const stated = Math.max(0, lesson.durationMinutes) * 60;
  if (policy.minStudyMinutes !== null && policy.minStudyMinutes !== undefined)
    return Math.min(stated, Math.max(0, policy.minStudyMinutes) * 60);
  const percent = Math.min(100, Math.max(0, policy.minStudyPercent ?? DEFAULT_MIN_STUDY_PERCENT));
  return Math.round((stated * percent) / 100);
}

export interface StudyClock {
  /** When the lesson's time started counting; null while it was never opened. */
  countsFrom: Date | null;
  /** When it may be marked done; null while it was never opened. */
  completableAt: Date | null;
  /** Whole seconds still to wait (the full minimum while never opened). */
  remainingSeconds: number;
}

/** Where a learner stands on one lesson at `now`. */
export function studyClock(input: {
  openedAt: Date | null;
  lastCompletedAt: Date | null;
  requiredSeconds: number;
  now: Date;
}): StudyClock {
  const { openedAt, lastCompletedAt, requiredSeconds, now } = input;
  if (!openedAt)
    return { countsFrom: null, completableAt: null, remainingSeconds: requiredSeconds };
  const countsFrom =
    lastCompletedAt && lastCompletedAt.getTime() > openedAt.getTime() ? lastCompletedAt : openedAt;
  const completableAt = new Date(countsFrom.getTime() + requiredSeconds * 1000);
  const remainingSeconds = Math.max(0, Math.ceil((completableAt.getTime() - now.getTime()) / 1000));
  return { countsFrom, completableAt, remainingSeconds };
}

/** "5 menit 30 detik", "45 detik": how long remains, in Indonesian. */
export function durationText(seconds: number, lang: 'id' | 'en' = 'id'): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const [min, sec] = lang === 'en' ? ['min', 's'] : ['menit', 'detik'];
  if (!m) return `${s} ${sec}`;
  return s ? `${m} ${min} ${s} ${sec}` : `${m} ${min}`;
}
