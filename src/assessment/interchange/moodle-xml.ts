import { XMLParser } from 'fast-xml-parser';
import type { JsonObject } from '../../database/columns.js';
import { readClozeQuestion, writeClozeQuestion } from './cloze-syntax.js';
import { type InterchangeQuestion, InterchangeFileError } from './gift.js';
import { uncategorisedFirst } from './gift-writer.js';
import { gradeProblem } from './grades.js';
import {
  type MoodleFile,
  collectMoodleFiles,
  moodleFileElements,
  PLUGINFILE,
} from './moodle-files.js';

export interface XmlParseResult {
  questions: (InterchangeQuestion & { line: number; files?: MoodleFile[] })[];
  /** What was imported but not whole (a file that could not be read), by question. */
  warnings: { line: number; name: string; reason: string }[];
  /** `line` is the file's line where the question's `<question>` opens. */
  skipped: { line: number; name: string; reason: string }[];
}

type Node = Record<string, unknown>;

const textOf = (node: unknown): string => {
  if (node === undefined || node === null) return '';
  if (typeof node !== 'object') return String(node);
  const text = (node as Node).text;
  if (text === undefined || text === null) return '';
  return typeof text === 'object' ? textOf(text) : String(text);
};
const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const fractionOf = (answer: Node) =>
  Math.round((Number(answer['@_fraction'] ?? 0) / 100) * 1e6) / 1e6;
const feedbackOf = (answer: Node) => textOf(answer.feedback).trim();

const UNSUPPORTED: Record<string, string> = {
  calculated: 'calculated',
  calculatedsimple: 'calculated simple',
  calculatedmulti: 'calculated multichoice',
  ddwtos: 'drag and drop into text',
  ddimageortext: 'drag and drop onto image',
  ddmarker: 'drag and drop markers',
  description: 'description',
  gapselect: 'select missing words',
  randomsamatch: 'random short-answer matching',
  ordering: 'ordering',
};

/**
 * Reads Moodle XML: categories (nested paths), multichoice (single and multiple), truefalse,
 * shortanswer, numerical, matching and essay. Other Moodle types are reported as skipped with
 * their name. DTDs are refused, so entity expansion (XXE, billion laughs) never happens.
 */
export function parseMoodleXml(file: Buffer | string): XmlParseResult {
  const text = (typeof file === 'string' ? file : file.toString('utf8')).replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new InterchangeFileError('XML dengan DTD atau ENTITY tidak diterima');
  let root: Node;
  try {
    root = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      trimValues: true,
      isArray: (name) => ['question', 'answer', 'subquestion', 'tag'].includes(name),
    }).parse(text, true) as Node;
  } catch (error) {
    throw new InterchangeFileError(
      `Berkas ini bukan XML yang sah: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (!('quiz' in root))
    throw new InterchangeFileError('Berkas ini bukan Moodle XML (tidak ada elemen <quiz>)');
  // An empty <quiz></quiz> parses to an empty string.
  const quiz = (typeof root.quiz === 'object' && root.quiz ? root.quiz : {}) as Node;
  const result: XmlParseResult = { questions: [], skipped: [], warnings: [] };
  let category: string | null = null;
  const lines = questionLines(text);
  list(quiz.question as Node[] | Node).forEach((q, index) => {
    const type = String(q['@_type'] ?? '');
    const position = lines[index] ?? index + 1;
    if (type === 'category') {
      category =
        textOf(q.category)
          .replace(/^\$(course|module|system|cat\d+)\$\/?/, '')
          .replace(/^top\/?/, '')
          .trim() || null;
      return;
    }
    const name = textOf(q.name).trim();
    try {
      const read = readQuestion(type, q);
      const badGrades = gradeProblem(read.definition);
      if (badGrades) throw new Error(badGrades);
      const points = Number(textOf(q.defaultgrade).trim() || 1);
      const carried = collectMoodleFiles(q);
      for (const reason of carried.problems) result.warnings.push({ line: position, name, reason });
      result.questions.push({
        name: name || read.stem.slice(0, 60),
        type: read.type,
        stem: carried.oldImage
          ? `${read.stem}\n<p><img src="${PLUGINFILE}${encodeURIComponent(carried.oldImage)}" alt="" /></p>`
          : read.stem,
        ...(carried.files.length && { files: carried.files }),
        definition: read.definition,
        generalFeedback: textOf(q.generalfeedback).trim(),
        category,
        tags: list((q.tags as Node | undefined)?.tag as Node[] | undefined)
          .map((t) => textOf(t).trim())
          .filter(Boolean),
        idnumber:
          textOf(q.idnumber).trim() ||
          (typeof q.idnumber === 'string' ? q.idnumber.trim() || null : null),
        ...(Number.isFinite(points) && points >= 0 && { points: Math.round(points * 100) / 100 }),
        line: position,
      });
    } catch (error) {
      result.skipped.push({ line: position, name, reason: (error as Error).message });
    }
  });
  return result;
}

/**
 * The line of each `<question` tag, in order, outside comments, CDATA and processing
 * instructions. One pass with `indexOf`: a file of unclosed `<!--` (legal inside a processing
 * instruction) must not cost a scan to the end per opener.
 */
function questionLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let at = 0;
  const newlines = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) line++;
  };
  const past = (close: string, from: number) => {
    const end = text.indexOf(close, from);
    return end < 0 ? text.length : end + close.length;
  };
  for (let open = text.indexOf('<'); open >= 0; open = text.indexOf('<', at)) {
    newlines(at, open);
    let next = open + 1;
    if (text.startsWith('<!--', open)) next = past('-->', open + 4);
    else if (text.startsWith('<![CDATA[', open)) next = past(']]>', open + 9);
    else if (text.startsWith('<?', open)) next = past('?>', open + 2);
    else if (/^<question(?![\w:.-])/.test(text.slice(open, open + 10))) lines.push(line);
    newlines(open, next);
    at = next;
  }
  return lines;
}

/** Moodle's `shuffleanswers` 0/false: the author wants the options in their order. */
function fixedOrderOf(q: Node): { fixedOrder?: true } {
  const value = String(q.shuffleanswers ?? '')
    .trim()
    .toLowerCase();
  return value === '0' || value === 'false' ? { fixedOrder: true } : {};
}

function readQuestion(
  type: string,
  q: Node,
): { type: string; stem: string; definition: JsonObject } {
  const stem = textOf(q.questiontext).trim();
  const answers = list(q.answer as Node[] | undefined);
  switch (type) {
    case 'multichoice': {
      const single =
        String(q.single ?? 'true').trim() !== 'false' && String(q.single ?? 'true').trim() !== '0';
      const options = answers.map((a, i) => ({
        id: String.fromCharCode(97 + i),
        text: textOf(a).trim(),
        fraction: fractionOf(a),
        feedback: feedbackOf(a),
      }));
      return {
        type: single ? 'single_choice' : 'multiple_response',
        stem,
        definition: { options, ...fixedOrderOf(q) },
      };
    }
    case 'truefalse': {
      const right = answers.find((a) => fractionOf(a) === 1);
      if (!right) throw new Error('Soal benar/salah tanpa jawaban benar');
      const byValue = (value: string) =>
        answers.find((a) => textOf(a).trim().toLowerCase() === value);
      return {
        type: 'true_false',
        stem,
        definition: {
          answer: textOf(right).trim().toLowerCase() === 'true',
          feedbackTrue: byValue('true') ? feedbackOf(byValue('true')!) : '',
          feedbackFalse: byValue('false') ? feedbackOf(byValue('false')!) : '',
        },
      };
    }
    case 'shortanswer':
      return {
        type: 'short_answer',
        stem,
        definition: {
          answers: answers.map((a) => ({
            text: textOf(a).trim(),
            fraction: fractionOf(a),
            feedback: feedbackOf(a),
          })),
        },
      };
    case 'numerical': {
      // `*` is Moodle's "any other answer": its feedback only.
      const otherwise = answers.find((a) => textOf(a).trim() === '*');
      const accepted = answers
        .filter((a) => textOf(a).trim() !== '*')
        .map((a) => {
          const value = Number(textOf(a).trim());
          if (!Number.isFinite(value))
            throw new Error(`Jawaban angka tidak sah: "${textOf(a).trim()}"`);
          return {
            value,
            tolerance: Number(String(a.tolerance ?? 0)) || 0,
            fraction: fractionOf(a),
            feedback: feedbackOf(a),
          };
        });
      const otherwiseFeedback = otherwise ? feedbackOf(otherwise) : '';
      return {
        type: 'numeric',
        stem,
        definition: otherwiseFeedback
          ? { answers: accepted, otherwiseFeedback }
          : { answers: accepted },
      };
    }
    case 'matching': {
      const left: { id: string; text: string }[] = [];
      const right: { id: string; text: string }[] = [];
      const key: Record<string, string> = {};
      list(q.subquestion as Node[] | undefined).forEach((s, i) => {
        const r = textOf(list(s.answer as Node[] | undefined)[0]).trim();
        let rightId = right.find((x) => x.text === r)?.id;
        if (!rightId) {
          rightId = `r${right.length + 1}`;
          right.push({ id: rightId, text: r });
        }
        const l = textOf(s).trim();
        if (l) {
          left.push({ id: `l${i + 1}`, text: l });
          key[`l${i + 1}`] = rightId;
        }
      });
      return { type: 'matching', stem, definition: { left, right, key, ...fixedOrderOf(q) } };
    }
    case 'cloze':
    case 'multianswer':
      return readClozeQuestion(stem);
    case 'essay':
      return {
        type: 'essay',
        stem,
        definition: textOf(q.graderinfo).trim() ? { rubric: textOf(q.graderinfo).trim() } : {},
      };
    default:
      throw new Error(`Jenis soal Moodle "${UNSUPPORTED[type] ?? type}" tidak didukung`);
  }
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const plainText = (text: string) => `<text>${escapeXml(text)}</text>`;
const pct = (fraction: number) => String(Math.round(fraction * 1e7) / 1e5);

/** Writes Moodle XML that Moodle and this reader import back to the same questions. */
export function writeMoodleXml(
  questions: readonly InterchangeQuestion[],
  files: ReadonlyMap<string, Buffer> = new Map(),
): string {
  // A text naming stored files carries them, as Moodle does, beside its <text>.
  const t = (text: string) => {
    const carried = moodleFileElements(text, files);
    return plainText(carried.text) + carried.elements;
  };
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<quiz>'];
  let category: string | null | undefined;
  // As in GIFT, a category holds until the next one: questions without one come first.
  for (const q of uncategorisedFirst(questions)) {
    if (q.category !== category && q.category)
      out.push(
        `  <question type="category"><category>${t(`$course$/${q.category}`)}</category></question>`,
      );
    category = q.category;
    const d = q.definition as Record<string, unknown>;
    const moodleType = {
      single_choice: 'multichoice',
      multiple_response: 'multichoice',
      true_false: 'truefalse',
      short_answer: 'shortanswer',
      numeric: 'numerical',
      matching: 'matching',
      essay: 'essay',
      cloze: 'cloze',
    }[q.type];
    if (!moodleType)
      throw new Error(`Jenis soal "${q.type}" tidak dapat ditulis sebagai Moodle XML`);
    const body: string[] = [
      `    <name>${t(q.name)}</name>`,
      `    <questiontext format="html">${t(q.type === 'cloze' ? writeClozeQuestion(q.stem, d) : q.stem)}</questiontext>`,
      `    <generalfeedback format="html">${t(q.generalFeedback)}</generalfeedback>`,
      `    <defaultgrade>${q.points ?? 1}</defaultgrade>`,
    ];
    if (q.idnumber) body.push(`    <idnumber>${escapeXml(q.idnumber)}</idnumber>`);
    const answer = (text: string, fraction: number, feedback: string, extra = '') =>
      `    <answer fraction="${pct(fraction)}" format="html">${t(text)}${extra}<feedback format="html">${t(feedback)}</feedback></answer>`;
    if (q.type === 'single_choice' || q.type === 'multiple_response') {
      body.push(`    <single>${q.type === 'single_choice'}</single>`);
      body.push(`    <shuffleanswers>${d.fixedOrder === true ? 0 : 1}</shuffleanswers>`);
      for (const o of d.options as { text: string; fraction: number; feedback?: string }[])
        body.push(answer(o.text, o.fraction, o.feedback ?? ''));
    } else if (q.type === 'true_false') {
      body.push(
        answer('true', d.answer ? 1 : 0, String(d.feedbackTrue ?? '')),
        answer('false', d.answer ? 0 : 1, String(d.feedbackFalse ?? '')),
      );
    } else if (q.type === 'short_answer') {
      for (const a of d.answers as { text: string; fraction: number; feedback?: string }[])
        body.push(answer(a.text, a.fraction, a.feedback ?? ''));
    } else if (q.type === 'numeric') {
      for (const a of d.answers as {
        value?: number;
        tolerance?: number;
        min?: number;
        max?: number;
        fraction: number;
        feedback?: string;
      }[]) {
        // Moodle keeps a value and a tolerance: a range becomes its middle and half-width.
        const value = a.value ?? ((a.min ?? 0) + (a.max ?? 0)) / 2;
        const tolerance =
          a.value !== undefined ? (a.tolerance ?? 0) : ((a.max ?? 0) - (a.min ?? 0)) / 2;
        body.push(
          answer(
            String(value),
            a.fraction,
            a.feedback ?? '',
            `<tolerance>${tolerance}</tolerance>`,
          ),
        );
      }
      if (d.otherwiseFeedback) body.push(answer('*', 0, String(d.otherwiseFeedback)));
    } else if (q.type === 'matching') {
      body.push(`    <shuffleanswers>${d.fixedOrder === true ? 0 : 1}</shuffleanswers>`);
      const left = d.left as { id: string; text: string }[];
      const right = d.right as { id: string; text: string }[];
      const key = d.key as Record<string, string>;
      const used = new Set(Object.values(key));
      for (const l of left)
        body.push(
          `    <subquestion format="html">${t(l.text)}<answer>${t(right.find((r) => r.id === key[l.id])?.text ?? '')}</answer></subquestion>`,
        );
      for (const r of right.filter((x) => !used.has(x.id)))
        body.push(
          `    <subquestion format="html">${t('')}<answer>${t(r.text)}</answer></subquestion>`,
        );
    } else if (q.type === 'essay' && d.rubric) {
      body.push(`    <graderinfo format="html">${t(String(d.rubric))}</graderinfo>`);
    }
    if (q.tags.length)
      body.push(`    <tags>${q.tags.map((tag) => `<tag>${t(tag)}</tag>`).join('')}</tags>`);
    out.push(`  <question type="${moodleType}">`, ...body, '  </question>');
  }
  out.push('</quiz>', '');
  return out.join('\n');
}
