/**
 * The answer grades Moodle accepts on import (`question_bank::fraction_options_full()`):
 * 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
 * 14.28571, 12.5, 11.11111, 10, 5, 0 and the same below zero. Moodle's import refuses a
 * question with any other grade (`match_grade_options` in `error` mode, tolerance 0.00001
 * on the fraction), so a file Moodle refuses is refused here too.
 */
const POSITIVE = [
  1,
  0.9,
  5 / 6,
  0.8,
  0.75,
  0.7,
  2 / 3,
  0.6,
  0.5,
  0.4,
  1 / 3,
  0.3,
  0.25,
  0.2,
  1 / 6,
  1 / 7,
  0.125,
  1 / 9,
  0.1,
  0.05,
];
const GRADES = [0, ...POSITIVE, ...POSITIVE.map((g) => -g)];

export const isMoodleGrade = (fraction: number): boolean =>
  GRADES.some((g) => Math.abs(g - fraction) < 0.00001);

/**
 * The grades of a read question's answers that Moodle would refuse, as percentages, or a
 * problem naming them (null when all are allowed).
 */
export function gradeProblem(definition: Record<string, unknown>): string | null {
  const answers = [definition.options, definition.answers].filter(Array.isArray).flat() as {
    fraction?: unknown;
  }[];
  const wrong = answers
    .map((a) => a.fraction)
    .filter((f): f is number => typeof f === 'number' && !isMoodleGrade(f));
  return wrong.length
    ? `Nilai jawaban tidak sah menurut Moodle: ${wrong.map((f) => `${Math.round(f * 1e7) / 1e5}%`).join(', ')}`
    : null;
}
