import type { Language } from '../../platform/http/lang.decorator.js';
import { type Localised, localised, textOf } from '../../platform/i18n/i18n.js';

/**
 * The question types' validation problems in the reader's language. `validate()` answers
 * in short English (the API's `details` and the import report keep it, and sector types
 * write their own), so the pages read each known sentence back to a catalogue message,
 * with the row numbers the editor shows (1-based). An unknown sentence, a sector's own, is
 * shown as it is.
 */
const RULES: [RegExp, (m: RegExpExecArray) => Localised][] = [
  [/^jenis (.+) tidak dikenal$/, (m) => localised('editor.problem.unknownType', { type: m[1] })],
  [/^definisi harus berupa objek JSON$/, () => localised('editor.problem.jsonObject')],
  [
    /^definisi bukan JSON yang sah: (.*)$/s,
    (m) => localised('editor.problem.json', { detail: m[1] }),
  ],
  [
    /^options must list at least (\d+) choices$/,
    (m) => localised('editor.problem.minOptions', { min: Number(m[1]) }),
  ],
  [
    /^options\[(\d+)\]\.id is required$/,
    (m) => localised('editor.problem.optionId', { n: row(m[1]) }),
  ],
  [
    /^options\[(\d+)\]\.id "(.*)" is repeated$/,
    (m) => localised('editor.problem.optionIdRepeated', { n: row(m[1]), id: m[2] }),
  ],
  [
    /^options\[(\d+)\]\.text is required$/,
    (m) => localised('editor.problem.optionText', { n: row(m[1]) }),
  ],
  [
    /^options\[(\d+)\]\.fraction must be from -1 to 1$/,
    (m) => localised('editor.problem.optionCredit', { n: row(m[1]) }),
  ],
  [
    /^one option must carry full credit \(fraction 1\)$/,
    () => localised('editor.problem.optionFull'),
  ],
  [/^the positive credits must add up to 1$/, () => localised('editor.problem.positiveSum')],
  [/^answers must list at least one accepted value$/, () => localised('editor.problem.minValues')],
  [
    /^answers\[(\d+)\] needs value and tolerance/,
    (m) => localised('editor.problem.valueRange', { n: row(m[1]) }),
  ],
  [
    /^answers\[(\d+)\]\.fraction must be from 0 to 1/,
    (m) => localised('editor.problem.answerCredit', { n: row(m[1]) }),
  ],
  [
    /^one answer must carry full credit \(fraction 1\)$/,
    () => localised('editor.problem.answerFull'),
  ],
  [
    /^answers must list at least one accepted answer$/,
    () => localised('editor.problem.minAnswers'),
  ],
  [
    /^answers\[(\d+)\]\.text is required$/,
    (m) => localised('editor.problem.answerText', { n: row(m[1]) }),
  ],
  [/^rubric must be text$/, () => localised('editor.problem.rubric')],
  [/^left must list at least two items$/, () => localised('editor.problem.minLeft')],
  [/^right must list at least two items$/, () => localised('editor.problem.rightCount')],
  [/^right items must differ from each other$/, () => localised('editor.problem.rightDistinct')],
  [
    /^key must pair left "(.*)" with a right item$/,
    (m) => localised('editor.problem.unpaired', { id: m[1] }),
  ],
  [/^item ids must be unique$/, () => localised('editor.problem.itemIds')],
  [/^answer must be true or false$/, () => localised('editor.problem.trueFalse')],
  [/^items must list at least two steps$/, () => localised('editor.problem.minSteps')],
  [/^every item needs an id$/, () => localised('editor.problem.itemId')],
  [/^every item needs text$/, () => localised('editor.problem.itemText')],
];

const row = (index: string) => Number(index) + 1;

/** One problem as the reader's text. */
export function problemText(lang: Language, problem: string): string {
  for (const [pattern, message] of RULES) {
    const match = pattern.exec(problem);
    if (match) return textOf(lang, message(match));
  }
  return problem;
}

/** Problems joined by "; " (as the import report stores them) read one by one. */
export const problemsText = (lang: Language, problems: string) =>
  problems
    .split('; ')
    .map((p) => problemText(lang, p))
    .join('; ');
