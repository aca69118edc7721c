/**
 * Moodle's cloze ("embedded answers", multianswer) syntax, both ways. A blank is written in
 * the question text as `{weight:TYPE:answers}`, e.g. `{1:SHORTANSWER:=Berlin}`,
 * `{2:MULTICHOICE:=right#feedback~wrong#feedback}`, `{:NUMERICAL:=23:0.1}`. Answers are
 * separated by `~`, `=` gives full credit and `%50%` a partial one, `#` starts the feedback;
 * `\}` `\~` `\#` `\/` `\"` `\\` are literal characters.
 *
 * We keep the structured form: the text with `{#n}` placeholders (as Moodle stores it) and the
 * list of blanks. The cloze string is written again from that form on export.
 */

import type { JsonObject } from '../../database/columns.js';

export type ClozeKind = 'shortanswer' | 'multichoice' | 'numerical';

export interface ClozeOption {
  id: string;
  text: string;
  fraction: number;
  feedback?: string;
}

export interface ClozeNumber {
  value: number;
  tolerance: number;
  fraction: number;
  feedback?: string;
}

export interface ClozeBlank {
  id: string;
  kind: ClozeKind;
  /** The blank's share of the question's points (the number before the first colon). */
  weight: number;
  /** Short answer: accepted answers (`*` a wildcard); multichoice: the options. */
  options?: ClozeOption[];
  /** Numerical: accepted values with their tolerance. */
  answers?: ClozeNumber[];
  /** SHORTANSWER_C: the case of letters counts. */
  caseSensitive?: true;
  /** MULTICHOICE_V / _H: radio buttons, vertical or horizontal, instead of a drop-down. */
  display?: 'vertical' | 'horizontal';
  /** MULTICHOICE_S and friends: Moodle shuffles the options (we always do in an exam). */
  shuffle?: true;
}

export interface ClozeDefinition {
  blanks: ClozeBlank[];
}

/** A question text in cloze syntax that Moodle would refuse; `problems` name the blank. */
export class ClozeSyntaxError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const TYPES: Record<
  string,
  Pick<ClozeBlank, 'kind' | 'caseSensitive' | 'display' | 'shuffle'>
> = {};
const alias = (names: string[], spec: (typeof TYPES)[string]) => {
  for (const n of names) TYPES[n] = spec;
};
alias(['SHORTANSWER', 'SA', 'MW'], { kind: 'shortanswer' });
alias(['SHORTANSWER_C', 'SAC', 'MWC'], { kind: 'shortanswer', caseSensitive: true });
alias(['NUMERICAL', 'NM'], { kind: 'numerical' });
alias(['MULTICHOICE', 'MC'], { kind: 'multichoice' });
alias(['MULTICHOICE_V', 'MCV'], { kind: 'multichoice', display: 'vertical' });
alias(['MULTICHOICE_H', 'MCH'], { kind: 'multichoice', display: 'horizontal' });
alias(['MULTICHOICE_S', 'MCS'], { kind: 'multichoice', shuffle: true });
alias(['MULTICHOICE_VS', 'MCVS'], { kind: 'multichoice', display: 'vertical', shuffle: true });
alias(['MULTICHOICE_HS', 'MCHS'], { kind: 'multichoice', display: 'horizontal', shuffle: true });
const MULTIRESPONSE = /^(MULTIRESPONSE(_H)?(_S)?|MR(H)?(S)?)$/;

/** More blanks than any real paper holds: bounds the work a hostile definition can cause. */
export const MAX_BLANKS = 100;

/** More answers than any real blank holds: a blank with more is refused while it is read. */
export const MAX_OPTIONS = 100;

/** The problems a refused text reports at most: the first ones name what to fix. */
const MAX_PROBLEMS = 20;

/** `{#3}`: where blank 3 stands in the stored text. */
export const PLACEHOLDER = /\{#(\d+)\}/g;

/** The blank's name as a candidate and an author read it: "Isian 2". */
export const blankLabel = (index: number) => `Isian ${index + 1}`;

/**
 * Splits at the separator where it is not escaped by a backslash; stops once there are more
 * than `limit` parts (the caller refuses those), so a hostile text costs no more than that.
 */
function splitUnescaped(text: string, separator: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1];
      i++;
    } else if (c === separator) {
      parts.push(current);
      if (parts.length > limit) return parts;
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string) => text.replace(/\\([}~#/"\\%=*:])/g, '$1');
const escape = (text: string) => text.replace(/([\\}~#])/g, '\\$1');

/** The end of a blank opened at `start` (the index of its `}`), or -1. */
function closingBrace(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '}') return i;
  }
  return -1;
}

const OPENING = /\{(\d*(?:\.\d+)?):([A-Z_]+)(:|\})/g;

/**
 * Reads a question text in cloze syntax: the text with `{#n}` placeholders and its blanks.
 * Throws {@link ClozeSyntaxError} naming each blank Moodle would refuse and why.
 */
export function parseCloze(source: string): { text: string; blanks: ClozeBlank[] } {
  const blanks: ClozeBlank[] = [];
  const problems: string[] = [];
  let more = false;
  let text = '';
  let at = 0;
  OPENING.lastIndex = 0;
  for (let m = OPENING.exec(source); m; m = OPENING.exec(source)) {
    const label = blankLabel(blanks.length);
    const type = m[2];
    if (!TYPES[type] && !MULTIRESPONSE.test(type)) continue;
    if (blanks.length >= MAX_BLANKS) {
      problems.push(`lebih dari ${MAX_BLANKS} isian dalam satu soal`);
      break;
    }
    if (problems.length >= MAX_PROBLEMS) {
      more = true;
      break;
    }
    const end = m[3] === '}' ? m.index + m[0].length - 1 : closingBrace(source, OPENING.lastIndex);
    if (end < 0) {
      problems.push(`${label}: tanda } penutup tidak ada`);
      break;
    }
    text += source.slice(at, m.index);
    at = end + 1;
    OPENING.lastIndex = end + 1;
    if (MULTIRESPONSE.test(type)) {
      problems.push(`${label}: jenis ${type} (jawaban ganda) belum didukung`);
      continue;
    }
    const weight = m[1] === '' ? 1 : Number(m[1]);
    const body = m[3] === '}' ? '' : source.slice(m.index + m[0].length, end);
    const blank: ClozeBlank = { id: `b${blanks.length + 1}`, weight, ...TYPES[type] } as ClozeBlank;
    const read = readAnswers(blank, body);
    if (typeof read === 'string') {
      problems.push(`${label}: ${read}`);
      continue;
    }
    const found = blankProblems(read, blanks.length);
    if (found.length) problems.push(...found);
    else {
      blanks.push(read);
      text += `{#${blanks.length}}`;
    }
  }
  text += source.slice(at);
  if (!problems.length && !blanks.length)
    problems.push('soal isian rumpang tanpa isian: tulis minimal satu {1:SHORTANSWER:=jawaban}');
  if (more || problems.length > MAX_PROBLEMS)
    throw new ClozeSyntaxError([
      ...problems.slice(0, MAX_PROBLEMS),
      '… dan masalah lain sesudahnya',
    ]);
  if (problems.length) throw new ClozeSyntaxError(problems);
  return { text, blanks };
}

function readAnswers(blank: ClozeBlank, body: string): ClozeBlank | string {
  if (!body.trim()) return 'tidak ada jawaban';
  const raws = splitUnescaped(body, '~', MAX_OPTIONS);
  if (raws.length > MAX_OPTIONS) return `lebih dari ${MAX_OPTIONS} jawaban`;
  const parsed = raws.map((raw) => {
    let rest = raw;
    let fraction = 0;
    const weight = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(rest);
    if (rest.startsWith('=')) {
      fraction = 1;
      rest = rest.slice(1);
    } else if (weight) {
      fraction = Math.round((Number(weight[1]) / 100) * 1e6) / 1e6;
      rest = rest.slice(weight[0].length);
    }
    const [answer, ...feedback] = splitUnescaped(rest, '#');
    return {
      answer: answer.trim(),
      fraction,
      feedback: unescape(feedback.join('#')).trim(),
    };
  });
  const feedbackOf = (f: string) => (f ? { feedback: f } : {});
  if (blank.kind === 'numerical') {
    const answers: ClozeNumber[] = [];
    for (const a of parsed) {
      if (a.answer === '*') continue;
      const [value, tolerance = '0'] = splitUnescaped(a.answer, ':').map((s) => unescape(s).trim());
      const n = Number(value.replace(',', '.'));
      const tol = Number(tolerance.replace(',', '.'));
      if (!value || !Number.isFinite(n)) return `jawaban angka tidak sah: "${value}"`;
      if (!Number.isFinite(tol) || tol < 0) return `toleransi tidak sah: "${tolerance}"`;
      answers.push({ value: n, tolerance: tol, fraction: a.fraction, ...feedbackOf(a.feedback) });
    }
    return { ...blank, answers };
  }
  const options = parsed.map((a, i) => ({
    id: `${blank.id}${String.fromCharCode(97 + (i % 26))}${i >= 26 ? i : ''}`,
    text: unescape(a.answer),
    fraction: a.fraction,
    ...feedbackOf(a.feedback),
  }));
  return { ...blank, options };
}

/** Why a blank is unusable, each reason naming the blank ("Isian 2: …"); empty when fine. */
export function blankProblems(blank: Partial<ClozeBlank>, index: number): string[] {
  const label = blankLabel(index);
  const out: string[] = [];
  if (typeof blank.weight !== 'number' || !Number.isFinite(blank.weight) || blank.weight < 0)
    out.push(`${label}: bobot harus angka ≥ 0`);
  if (blank.kind === 'numerical') {
    const answers = blank.answers;
    if (!Array.isArray(answers) || !answers.length) return [...out, `${label}: tidak ada jawaban`];
    if (answers.length > MAX_OPTIONS)
      return [...out, `${label}: lebih dari ${MAX_OPTIONS} jawaban`];
    answers.forEach((a, j) => {
      if (typeof a?.value !== 'number' || !Number.isFinite(a.value))
        out.push(`${label}: jawaban ${j + 1} bukan angka`);
      if (typeof a?.tolerance !== 'number' || !(a.tolerance >= 0))
        out.push(`${label}: toleransi jawaban ${j + 1} harus ≥ 0`);
      if (typeof a?.fraction !== 'number' || a.fraction < 0 || a.fraction > 1)
        out.push(`${label}: nilai jawaban ${j + 1} harus 0–100 %`);
    });
    if (!out.length && !answers.some((a) => a.fraction === 1))
      out.push(`${label}: tidak ada jawaban bernilai penuh (=)`);
    return out;
  }
  if (blank.kind !== 'shortanswer' && blank.kind !== 'multichoice')
    return [...out, `${label}: jenis harus shortanswer, multichoice atau numerical`];
  const options = blank.options;
  if (!Array.isArray(options) || !options.length) return [...out, `${label}: tidak ada jawaban`];
  if (options.length > MAX_OPTIONS) return [...out, `${label}: lebih dari ${MAX_OPTIONS} jawaban`];
  if (blank.kind === 'multichoice' && options.length < 2)
    out.push(`${label}: pilihan ganda butuh minimal dua pilihan`);
  const ids = new Set<string>();
  options.forEach((o, j) => {
    if (typeof o?.id !== 'string' || !o.id || ids.has(o.id))
      out.push(`${label}: pilihan ${j + 1} butuh id yang unik`);
    else ids.add(o.id);
    if (typeof o?.text !== 'string' || !o.text.trim())
      out.push(`${label}: jawaban ${j + 1} kosong`);
    if (typeof o?.fraction !== 'number' || o.fraction < -1 || o.fraction > 1)
      out.push(`${label}: nilai jawaban ${j + 1} harus −100–100 %`);
  });
  if (!out.length && !options.some((o) => o.fraction === 1))
    out.push(`${label}: tidak ada jawaban bernilai penuh (=)`);
  return out;
}

const TYPE_NAME = (b: ClozeBlank) => {
  if (b.kind === 'numerical') return 'NUMERICAL';
  if (b.kind === 'shortanswer') return b.caseSensitive ? 'SHORTANSWER_C' : 'SHORTANSWER';
  const display = b.display === 'vertical' ? '_V' : b.display === 'horizontal' ? '_H' : '';
  const shuffle = b.shuffle ? 'S' : '';
  return `MULTICHOICE${display || shuffle ? (display || '_') + shuffle : ''}`;
};

const credit = (fraction: number) =>
  fraction === 1 ? '=' : fraction === 0 ? '' : `%${Math.round(fraction * 1e5) / 1e3}%`;
const feedbackPart = (feedback?: string) => (feedback ? `#${escape(feedback)}` : '');

/** One blank in cloze syntax, as Moodle reads it back. */
export function writeBlank(blank: ClozeBlank): string {
  const answers =
    blank.kind === 'numerical'
      ? (blank.answers ?? []).map(
          (a) =>
            `${credit(a.fraction)}${a.value}${a.tolerance ? `:${a.tolerance}` : ''}${feedbackPart(a.feedback)}`,
        )
      : (blank.options ?? []).map(
          (o) => `${credit(o.fraction)}${escape(o.text)}${feedbackPart(o.feedback)}`,
        );
  return `{${blank.weight}:${TYPE_NAME(blank)}:${answers.join('~')}}`;
}

/** The text in cloze syntax: each `{#n}` replaced by blank n written out. */
export function writeCloze(text: string, blanks: readonly ClozeBlank[]): string {
  return text.replace(PLACEHOLDER, (whole, n: string) => {
    const blank = blanks[Number(n) - 1];
    return blank ? writeBlank(blank) : whole;
  });
}

/**
 * A Moodle XML cloze question (`type="cloze"`, Moodle's multianswer) read from its text:
 * the stem with placeholders and the blanks. Throws, naming the blank, where Moodle refuses.
 */
export function readClozeQuestion(questionText: string): {
  type: 'cloze';
  stem: string;
  definition: JsonObject;
} {
  try {
    const { text, blanks } = parseCloze(questionText);
    return { type: 'cloze', stem: text, definition: { blanks } as unknown as JsonObject };
  } catch (error) {
    if (error instanceof ClozeSyntaxError)
      throw new Error(`Soal cloze ditolak: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The question text Moodle imports back to the same cloze question. */
export function writeClozeQuestion(stem: string, definition: Record<string, unknown>): string {
  return writeCloze(stem, (definition.blanks as ClozeBlank[] | undefined) ?? []);
}
