import type { JsonObject } from '../../database/columns.js';
import { gradeProblem } from './grades.js';

/** A question read from a file, in the bank's own terms, before it is stored. */
export interface InterchangeQuestion {
  name: string;
  type: string;
  stem: string;
  definition: JsonObject;
  generalFeedback: string;
  category: string | null;
  tags: string[];
  idnumber: string | null;
  /** The question's default mark (Moodle's `defaultgrade`); 1 when the file says nothing. */
  points?: number;
}

export interface ParseResult {
  questions: (InterchangeQuestion & { line: number })[];
  /** `line`: the file's line where the question starts; `name`: its title, or its text's start. */
  skipped: { line: number; name: string; reason: string }[];
}

export class InterchangeFileError extends Error {}

const NO_ANSWER_BLOCK = 'Tidak ada blok jawaban { }';

const FORMAT_TAG = /^\s*\[(html|moodle|plain|markdown)\]/i;

/** Undoes GIFT's escapes: \~ \= \# \{ \} \: and \n. */
export function unescapeGift(text: string): string {
  return text.replace(/\\([~=#{}:n\\])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Splits on an unescaped character. */
function splitUnescaped(text: string, separators: string): { sep: string | null; part: string }[] {
  const parts: { sep: string | null; part: string }[] = [];
  let current = '';
  let sep: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (separators.includes(ch)) {
      parts.push({ sep, part: current });
      current = '';
      sep = ch;
    } else current += ch;
  }
  parts.push({ sep, part: current });
  return parts;
}

/** Index of the first unescaped `ch` from `from`, or -1. */
function findUnescaped(text: string, ch: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ch) return i;
  }
  return -1;
}

const stripFormat = (text: string) => text.replace(FORMAT_TAG, '');
const clean = (text: string) => unescapeGift(stripFormat(text)).trim();

/** `%50%` weights to fractions; `=` means full credit. */
function weighted(raw: string, fallback: number): { fraction: number; rest: string } {
  const m = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(raw);
  if (!m) return { fraction: fallback, rest: raw };
  return { fraction: Math.round((Number(m[1]) / 100) * 1e6) / 1e6, rest: raw.slice(m[0].length) };
}

/** Answer text and its `#feedback`. */
function withFeedback(raw: string): { text: string; feedback: string } {
  const at = findUnescaped(raw, '#');
  return at < 0
    ? { text: clean(raw), feedback: '' }
    : { text: clean(raw.slice(0, at)), feedback: clean(raw.slice(at + 1)) };
}

/**
 * Reads GIFT as Moodle does: questions separated by blank lines, `$CATEGORY:` lines,
 * `::title::`, format tags, and the answer block in braces. A question that cannot be read
 * is reported with its first line; the others are kept.
 */
export function parseGift(file: Buffer | string): ParseResult {
  let text: string;
  if (typeof file === 'string') text = file;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file);
    } catch {
      throw new InterchangeFileError('Berkas GIFT harus berenkode UTF-8');
    }
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const result: ParseResult = { questions: [], skipped: [] };
  let category: string | null = null;
  let block: string[] = [];
  let blockStart = 0;
  let meta: { tags: string[]; id: string | null; points: number | null; rubric: string | null } = {
    tags: [],
    id: null,
    points: null,
    rubric: null,
  };

  const flush = () => {
    const source = block.join('\n').trim();
    const line = blockStart;
    block = [];
    if (!source) return;
    try {
      const question = parseQuestion(source, category);
      const badGrades = gradeProblem(question.definition);
      if (badGrades) throw new NamedError(question.name, badGrades);
      result.questions.push({
        ...question,
        ...(question.type === 'essay' &&
          meta.rubric !== null && { definition: { ...question.definition, rubric: meta.rubric } }),
        tags: [...question.tags, ...meta.tags],
        idnumber: meta.id,
        ...(meta.points !== null && { points: meta.points }),
        line,
      });
    } catch (error) {
      result.skipped.push({
        line,
        name: error instanceof NamedError ? error.questionName : nameOf(source),
        reason: (error as Error).message,
      });
    }
    meta = { tags: [], id: null, points: null, rubric: null };
  };

  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (/^\s*\/\//.test(line)) {
      // The grader's rubric of an essay, on its own line, escaped as GIFT text with `\]` for `]`.
      const rubric = /^\s*\/\/\s*\[rubric:((?:\\.|[^\]\\])*)\]\s*$/.exec(line);
      if (rubric) {
        meta.rubric = rubric[1].replace(/\\([~=#{}:n\\\]])/g, (_, c: string) =>
          c === 'n' ? '\n' : c,
        );
        return;
      }
      for (const m of line.matchAll(/\[(tag|id|points):([^\]]+)\]/g)) {
        if (m[1] === 'tag') meta.tags.push(m[2].trim());
        else if (m[1] === 'id') meta.id = m[2].trim();
        else if (Number(m[2]) >= 0) meta.points = Number(m[2]);
      }
      return;
    }
    if (!block.length && /^\s*\$CATEGORY:/.test(line)) {
      category =
        line
          .replace(/^\s*\$CATEGORY:\s*/, '')
          .replace(/^\$(course|module|system|cat\d+)\$\/?/, '')
          .trim() || null;
      return;
    }
    if (!line.trim()) {
      // As in Moodle, a blank line always ends a question: an unclosed brace stays local.
      if (block.length) flush();
      return;
    }
    if (!block.length) blockStart = index + 1;
    block.push(line);
  });
  flush();
  // Nothing with an answer block anywhere: this is some other kind of file, not GIFT.
  if (
    !result.questions.length &&
    category === null &&
    result.skipped.every((s) => s.reason === NO_ANSWER_BLOCK)
  ) {
    // Titled or formatted items without answers are GIFT descriptions: reported, not refused.
    const giftMarks = /^\s*(::|\/\/|\$CATEGORY)|\[(html|moodle|plain|markdown)\]/im;
    if (text.trim() && !giftMarks.test(text))
      throw new InterchangeFileError(
        'Berkas ini bukan GIFT: tidak ada soal dengan blok jawaban { }',
      );
  }
  return result;
}

/** A problem found once the question's name is known. */
class NamedError extends Error {
  constructor(
    readonly questionName: string,
    message: string,
  ) {
    super(message);
  }
}

/** The name a skip report gives a question that could not be read: its title, or its start. */
function nameOf(source: string): string {
  const title = /^::((?:\\.|[^:\\]|:(?!:))*)::/s.exec(source);
  return title ? unescapeGift(title[1]).trim() : clean(source.split('{')[0]).slice(0, 60);
}

function parseQuestion(source: string, category: string | null): InterchangeQuestion {
  let rest = source;
  let name = '';
  const title = /^::((?:\\.|[^:\\]|:(?!:))*)::/s.exec(rest);
  if (title) {
    name = unescapeGift(title[1]).trim();
    rest = rest.slice(title[0].length);
  }
  const open = findUnescaped(rest, '{');
  if (open < 0) throw new Error(NO_ANSWER_BLOCK);
  const close = matchingBrace(rest, open);
  if (close < 0) throw new Error('Blok jawaban tidak ditutup dengan }');
  const after = rest
    .slice(close + 1)
    .trim()
    .replace(/^";$/, '');
  const before = rest.slice(0, open);
  const stem = clean(before + (after ? ` _____ ${after}` : '')).replace(/\s+$/, '');
  if (!stem) throw new Error('Pertanyaan tanpa teks');
  const answer = rest.slice(open + 1, close);
  const base = {
    name: name || stem.slice(0, 60),
    stem,
    category,
    tags: [] as string[],
    idnumber: null,
  };

  const generalAt = answer.indexOf('####');
  const body = generalAt >= 0 ? answer.slice(0, generalAt) : answer;
  const generalFeedback = generalAt >= 0 ? clean(answer.slice(generalAt + 4)) : '';
  const trimmed = body.trim();

  if (!trimmed) return { ...base, type: 'essay', definition: {}, generalFeedback };
  const tf = /^(T|TRUE|F|FALSE)\b/i.exec(trimmed);
  if (tf && !/[=~]/.test(trimmed.slice(tf[0].length).replace(/\\./g, ''))) {
    const feedbacks = splitUnescaped(trimmed.slice(tf[0].length), '#')
      .slice(1)
      .map((p) => clean(p.part));
    const answerTrue = tf[1].toUpperCase().startsWith('T');
    // As in Moodle: the first feedback is for a wrong answer, the second for the right one.
    const [wrong = '', right = ''] = feedbacks;
    return {
      ...base,
      type: 'true_false',
      definition: {
        answer: answerTrue,
        feedbackTrue: answerTrue ? right : wrong,
        feedbackFalse: answerTrue ? wrong : right,
      },
      generalFeedback,
    };
  }
  if (trimmed.startsWith('#'))
    return { ...base, type: 'numeric', definition: numeric(trimmed.slice(1)), generalFeedback };

  const parts = splitUnescaped(body, '=~').filter((p, i) => i > 0 || p.part.trim());
  if (parts.some((p) => p.sep === null)) throw new Error('Jawaban harus diawali = atau ~');
  if (parts.every((p) => p.sep === '=') && parts.some((p) => findUnescapedArrow(p.part) >= 0)) {
    return {
      ...base,
      type: 'matching',
      definition: matching(parts.map((p) => p.part)),
      generalFeedback,
    };
  }
  if (parts.every((p) => p.sep === '=')) {
    const answers = parts.map((p) => {
      const { fraction, rest: r } = weighted(p.part, 1);
      const { text, feedback } = withFeedback(r);
      return { text, fraction, feedback };
    });
    return { ...base, type: 'short_answer', definition: { answers }, generalFeedback };
  }
  const options = parts.map((p, i) => {
    const { fraction, rest: r } = weighted(p.part, p.sep === '=' ? 1 : 0);
    const { text, feedback } = withFeedback(r);
    return { id: String.fromCharCode(97 + i), text, fraction, feedback };
  });
  // As Moodle's GIFT import: with no `=` answer, the question takes several answers.
  const multiple = !parts.some((p) => p.sep === '=');
  return {
    ...base,
    type: multiple ? 'multiple_response' : 'single_choice',
    definition: { options },
    generalFeedback,
  };
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function findUnescapedArrow(text: string): number {
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '-' && text[i + 1] === '>') return i;
  }
  return -1;
}

function numeric(body: string): JsonObject {
  const pieces = splitUnescaped(body, '=~');
  const answers: JsonObject[] = [];
  let otherwiseFeedback = '';
  for (const { sep, part } of pieces) {
    if (!part.trim() && sep === null) continue;
    const { fraction, rest } = weighted(part, sep === '~' ? 0 : 1);
    const { text, feedback } = withFeedback(rest);
    // `~#…`: the feedback for any other answer (Moodle's `*` answer), nothing to grade.
    if (sep === '~' && !text) {
      otherwiseFeedback = feedback;
      continue;
    }
    const range = /^(-?[\d.]+)\.\.(-?[\d.]+)$/.exec(text);
    const tolerance = /^(-?[\d.]+)(?::([\d.]+))?$/.exec(text);
    if (range) answers.push({ min: Number(range[1]), max: Number(range[2]), fraction, feedback });
    else if (tolerance)
      answers.push({
        value: Number(tolerance[1]),
        tolerance: Number(tolerance[2] ?? 0),
        fraction,
        feedback,
      });
    else throw new Error(`Jawaban angka tidak sah: "${text}"`);
  }
  if (!answers.length) throw new Error('Soal angka tanpa jawaban');
  return otherwiseFeedback ? { answers, otherwiseFeedback } : { answers };
}

function matching(parts: string[]): JsonObject {
  const left: { id: string; text: string }[] = [];
  const right: { id: string; text: string }[] = [];
  const key: Record<string, string> = {};
  parts.forEach((part, i) => {
    const arrow = findUnescapedArrow(part);
    if (arrow < 0) throw new Error('Pasangan menjodohkan harus berbentuk a -> b');
    const l = clean(part.slice(0, arrow));
    const r = clean(part.slice(arrow + 2));
    let rightId = right.find((x) => x.text === r)?.id;
    if (!rightId) {
      rightId = `r${right.length + 1}`;
      right.push({ id: rightId, text: r });
    }
    if (l) {
      const leftId = `l${i + 1}`;
      left.push({ id: leftId, text: l });
      key[leftId] = rightId;
    }
  });
  return { left, right, key };
}
