/**
 * How questions meet HTML forms: the editor's rows for each built-in type (definition ⇄
 * form fields) and the candidate's widget (view ⇄ inputs ⇄ response). The same widget is
 * drawn by the bank's preview and by the exam page, so a preview is what a candidate sees.
 */

import { type Form, formText as single } from '../../platform/web/form-values.js';
import {
  blankLabel,
  type ClozeBlank,
  ClozeSyntaxError,
  parseCloze,
  PLACEHOLDER,
  writeBlank,
  writeCloze,
} from '../interchange/cloze-syntax.js';
import { renderMarkdown } from '../../platform/web/markdown.js';

export type { Form };

/** One column of an editor's row table. */
export interface EditorColumn {
  name: string;
  labelKey: string;
  input: 'text' | 'percent' | 'number';
}

type Row = Record<string, string>;

interface Choice {
  id: string;
  text: string;
}

interface RowEditor {
  columns: EditorColumn[];
  /** Hidden per-row fields kept across edits (option ids). */
  hidden: string[];
  toRows(definition: Record<string, unknown>): Row[];
  fromRows(rows: Row[]): Record<string, unknown>;
  /** Blank rows offered for new entries. */
  minRows: number;
  /** Whether the author may keep the entries in their order (they shuffle per attempt otherwise). */
  orderable?: boolean;
}

const TEXT: EditorColumn = { name: 'text', labelKey: 'editor.text', input: 'text' };
const CREDIT: EditorColumn = { name: 'fraction', labelKey: 'editor.credit', input: 'percent' };
const FEEDBACK: EditorColumn = { name: 'feedback', labelKey: 'editor.feedback', input: 'text' };

const percent = (fraction: unknown) =>
  typeof fraction === 'number' ? String(Math.round(fraction * 100000) / 1000) : '';
/** "50", "-25", "33,333" → 0.5, -0.25, 0.33333; blank → 0; junk → NaN (the type refuses it). */
const fractionOf = (text: string | undefined) =>
  text?.trim() ? Number(text.trim().replace(',', '.')) / 100 : 0;
const numberOf = (text: string | undefined) =>
  text?.trim() ? Number(text.trim().replace(',', '.')) : undefined;

/** Ids for new rows that do not collide with the kept ones: a, b, c… then o27… */
function freshIds(rows: Row[], key = 'id'): string[] {
  const used = new Set(rows.map((r) => r[key]).filter(Boolean));
  let next = 0;
  return rows.map((row) => {
    if (row[key]) return row[key];
    let id: string;
    do {
      id = next < 26 ? String.fromCharCode(97 + next) : `o${next + 1}`;
      next++;
    } while (used.has(id));
    used.add(id);
    return id;
  });
}

const choiceEditor: RowEditor = {
  columns: [TEXT, CREDIT, FEEDBACK],
  hidden: ['id'],
  minRows: 4,
  orderable: true,
  toRows: (d) =>
    ((d.options as Row[] | undefined) ?? []).map((o: Record<string, unknown>) => ({
      id: String(o.id ?? ''),
      text: String(o.text ?? ''),
      fraction: percent(o.fraction),
      feedback: String(o.feedback ?? ''),
    })),
  fromRows: (rows) => {
    const ids = freshIds(rows);
    return {
      options: rows.map((r, i) => ({
        id: ids[i],
        text: r.text.trim(),
        fraction: fractionOf(r.fraction),
        ...(r.feedback?.trim() && { feedback: r.feedback.trim() }),
      })),
    };
  },
};

const EDITORS: Record<string, RowEditor> = {
  single_choice: choiceEditor,
  multiple_response: choiceEditor,
  short_answer: {
    columns: [{ ...TEXT, labelKey: 'editor.accepted' }, CREDIT, FEEDBACK],
    hidden: [],
    minRows: 3,
    toRows: (d) =>
      ((d.answers as Record<string, unknown>[] | undefined) ?? []).map((a) => ({
        text: String(a.text ?? ''),
        fraction: percent(a.fraction),
        feedback: String(a.feedback ?? ''),
      })),
    fromRows: (rows) => ({
      answers: rows.map((r) => ({
        text: r.text.trim(),
        fraction: fractionOf(r.fraction),
        ...(r.feedback?.trim() && { feedback: r.feedback.trim() }),
      })),
    }),
  },
  numeric: {
    columns: [
      { name: 'value', labelKey: 'editor.value', input: 'number' },
      { name: 'tolerance', labelKey: 'editor.tolerance', input: 'number' },
      { name: 'min', labelKey: 'editor.min', input: 'number' },
      { name: 'max', labelKey: 'editor.max', input: 'number' },
      CREDIT,
      FEEDBACK,
    ],
    hidden: [],
    minRows: 2,
    toRows: (d) =>
      ((d.answers as Record<string, unknown>[] | undefined) ?? []).map((a) => ({
        value: a.value === undefined ? '' : String(a.value),
        tolerance: a.tolerance === undefined ? '' : String(a.tolerance),
        min: a.min === undefined ? '' : String(a.min),
        max: a.max === undefined ? '' : String(a.max),
        fraction: percent(a.fraction),
        feedback: String(a.feedback ?? ''),
      })),
    fromRows: (rows) => ({
      answers: rows.map((r) => {
        const value = numberOf(r.value);
        const bounds =
          value !== undefined
            ? { value, tolerance: numberOf(r.tolerance) ?? 0 }
            : { min: numberOf(r.min), max: numberOf(r.max) };
        return {
          ...bounds,
          fraction: fractionOf(r.fraction),
          ...(r.feedback?.trim() && { feedback: r.feedback.trim() }),
        };
      }),
    }),
  },
  matching: {
    columns: [
      { name: 'left', labelKey: 'editor.left', input: 'text' },
      { name: 'right', labelKey: 'editor.right', input: 'text' },
    ],
    hidden: ['lid', 'rid'],
    minRows: 4,
    orderable: true,
    toRows: (d) => {
      const left = (d.left as { id: string; text: string }[] | undefined) ?? [];
      const right = (d.right as { id: string; text: string }[] | undefined) ?? [];
      const key = (d.key as Record<string, string> | undefined) ?? {};
      const paired = new Set(Object.values(key));
      const rows = left.map((l) => {
        const r = right.find((x) => x.id === key[l.id]);
        return { lid: l.id, left: l.text, rid: r?.id ?? '', right: r?.text ?? '' };
      });
      // Distractors: answers on the right that no item on the left takes.
      for (const r of right.filter((x) => !paired.has(x.id)))
        rows.push({ lid: '', left: '', rid: r.id, right: r.text });
      return rows;
    },
    fromRows: (rows) => {
      const left: Choice[] = [];
      const right: Choice[] = [];
      const key: Record<string, string> = {};
      const taken = new Set(rows.flatMap((r) => [r.lid, r.rid]).filter(Boolean));
      let next = 0;
      const fresh = (prefix: string) => {
        let id: string;
        do id = `${prefix}${++next}`;
        while (taken.has(id));
        taken.add(id);
        return id;
      };
      const keep = (id: string, list: Choice[], prefix: string) =>
        id && !list.some((x) => x.id === id) ? id : fresh(prefix);
      for (const row of rows) {
        const rightText = row.right.trim();
        let rightId: string | undefined;
        if (rightText) {
          // The same answer on several rows is one answer shared by several items.
          const existing = right.find((x) => x.text === rightText);
          rightId = existing?.id ?? keep(row.rid, right, 'r');
          if (!existing) right.push({ id: rightId, text: rightText });
        }
        if (row.left.trim()) {
          const leftId = keep(row.lid, left, 'l');
          left.push({ id: leftId, text: row.left.trim() });
          if (rightId) key[leftId] = rightId;
        }
      }
      return { left, right, key };
    },
  },
};

/** What the editor draws for a type: a row table, single fields, or the definition as JSON. */
export interface EditorModel {
  kind: 'rows' | 'true_false' | 'essay' | 'cloze' | 'json';
  columns?: (EditorColumn & { percent: boolean })[];
  hidden?: string[];
  /** Offered "keep this order" (choices, matching), and whether it is set. */
  orderable?: boolean;
  fixedOrder?: boolean;
  rows?: {
    index: number;
    number: number;
    cells: { labelKey: string; name: string; value: string; input: string }[];
    hidden: { name: string; value: string }[];
  }[];
  answerTrue?: boolean;
  feedbackTrue?: string;
  feedbackFalse?: string;
  rubric?: string;
  json?: string;
  /** Cloze: the blanks read from the text, for the author to check. */
  blanks?: { label: string; kind: string; weight: number; syntax: string }[];
}

/**
 * A cloze question as the editor gets it: the author writes the whole text in Moodle's cloze
 * syntax in the stem; it is stored as the text with `{#n}` placeholders and the blanks.
 * A string is the reasons Moodle would refuse it, each naming the blank.
 */
export function clozeDraft(source: string): {
  stem: string;
  definition: Record<string, unknown> | string;
} {
  try {
    const { text, blanks } = parseCloze(source);
    return { stem: text, definition: { blanks } };
  } catch (error) {
    if (error instanceof ClozeSyntaxError) return { stem: source, definition: error.message };
    throw error;
  }
}

/** The stem an author edits: the stored text with each blank written out in cloze syntax. */
export function clozeSource(stem: string, definition: Record<string, unknown>): string {
  const blanks = definition.blanks;
  return Array.isArray(blanks) ? writeCloze(stem, blanks as ClozeBlank[]) : stem;
}

/** The editor's fields for a type and definition (a blank definition for a new question). */
export function editorModel(type: string, definition: Record<string, unknown>): EditorModel {
  const editor = EDITORS[type];
  if (editor) {
    const filled = editor.toRows(definition);
    const blanks = Math.max(editor.minRows - filled.length, 2);
    const rows = [...filled, ...Array.from({ length: blanks }, () => ({}) as Row)];
    return {
      kind: 'rows',
      orderable: editor.orderable === true,
      fixedOrder: definition.fixedOrder === true,
      columns: editor.columns.map((c) => ({ ...c, percent: c.input === 'percent' })),
      rows: rows.map((row, index) => ({
        index,
        number: index + 1,
        cells: editor.columns.map((c) => ({
          labelKey: c.labelKey,
          name: `r${index}_${c.name}`,
          value: row[c.name] ?? '',
          input: c.input === 'text' ? 'text' : 'number',
        })),
        hidden: editor.hidden.map((h) => ({ name: `r${index}_${h}`, value: row[h] ?? '' })),
      })),
    };
  }
  if (type === 'true_false')
    return {
      kind: 'true_false',
      answerTrue: definition.answer !== false,
      feedbackTrue: String(definition.feedbackTrue ?? ''),
      feedbackFalse: String(definition.feedbackFalse ?? ''),
    };
  if (type === 'essay') return { kind: 'essay', rubric: String(definition.rubric ?? '') };
  if (type === 'cloze')
    return {
      kind: 'cloze',
      blanks: (Array.isArray(definition.blanks) ? (definition.blanks as ClozeBlank[]) : []).map(
        (b, i) => ({ label: blankLabel(i), kind: b.kind, weight: b.weight, syntax: writeBlank(b) }),
      ),
    };
  return { kind: 'json', json: JSON.stringify(definition, null, 2) };
}

/** The highest row index a form may carry: bounds the work a hostile form can cause. */
const MAX_ROWS = 60;

/**
 * The definition typed into the editor. Blank rows are dropped; the type's own validation
 * judges the rest. Returns a string when the JSON of a type without a form is unreadable.
 */
export function definitionFromForm(type: string, form: Form): Record<string, unknown> | string {
  const editor = EDITORS[type];
  if (editor) {
    const rows: Row[] = [];
    for (let i = 0; i < MAX_ROWS; i++) {
      const row: Row = {};
      for (const name of [...editor.columns.map((c) => c.name), ...editor.hidden])
        row[name] = single(form[`r${i}_${name}`]);
      if (editor.columns.some((c) => c.name !== 'fraction' && row[c.name].trim())) rows.push(row);
    }
    const definition = editor.fromRows(rows);
    return editor.orderable && single(form.fixedOrder) === '1'
      ? { ...definition, fixedOrder: true }
      : definition;
  }
  if (type === 'true_false')
    return {
      answer: single(form.answer) !== 'false',
      ...(single(form.feedbackTrue).trim() && { feedbackTrue: single(form.feedbackTrue).trim() }),
      ...(single(form.feedbackFalse).trim() && {
        feedbackFalse: single(form.feedbackFalse).trim(),
      }),
    };
  if (type === 'essay')
    return single(form.rubric).trim() ? { rubric: single(form.rubric).trim() } : {};
  if (type === 'cloze') return clozeDraft(single(form.stem)).definition;
  try {
    const parsed: unknown = JSON.parse(single(form.definition) || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
    return 'definisi harus berupa objek JSON';
  } catch (error) {
    return `definisi bukan JSON yang sah: ${(error as Error).message}`;
  }
}

/** What a candidate answers with: drawn by the `question-input` partial. */
export interface Widget {
  kind: 'choice' | 'boolean' | 'text' | 'number' | 'essay' | 'match' | 'order' | 'cloze';
  name: string;
  /** Cloze: the text's HTML cut at the blanks, each piece followed by its blank (if any). */
  parts?: { html: string; blank?: ClozeInput }[];
  multiple?: boolean;
  /** `html`: an option written in HTML (Moodle's, with its images), sanitised. */
  options?: (Choice & { checked: boolean; inputId: string; html?: string })[];
  value?: string;
  pairs?: {
    name: string;
    inputId: string;
    text: string;
    options: (Choice & { selected: boolean })[];
  }[];
  slots?: {
    name: string;
    inputId: string;
    position: number;
    options: (Choice & { selected: boolean })[];
  }[];
}

/** One blank of a cloze, drawn inline: a text box, or a drop-down / radios of its options. */
export interface ClozeInput {
  name: string;
  inputId: string;
  label: string;
  kind: string;
  numeric: boolean;
  select: boolean;
  radios: boolean;
  value: string;
  options: (Choice & { selected: boolean; inputId: string })[];
}

type ClozeViewBlank = { id: string; label: string; kind: string; display?: string };

function clozeWidget(
  view: Record<string, unknown>,
  name: string,
  id: string,
  response: unknown,
): Widget {
  const given = (response && typeof response === 'object' ? response : {}) as Record<
    string,
    unknown
  >;
  const blanks = (Array.isArray(view.blanks) ? view.blanks : []) as ClozeViewBlank[];
  const options = (Array.isArray(view.options) ? view.options : []) as (Choice & {
    blank: string;
  })[];
  const inputOf = (b: ClozeViewBlank, i: number): ClozeInput => {
    const answer = given[b.id];
    const typed =
      typeof answer === 'number'
        ? String(answer)
        : answer && typeof answer === 'object'
          ? String((answer as { text?: unknown }).text ?? '')
          : '';
    return {
      name: `${name}.${b.id}`,
      inputId: `${id}_b${i}`,
      label: b.label,
      kind: b.kind,
      numeric: b.kind === 'numerical',
      select: b.kind === 'multichoice' && !b.display,
      radios: b.kind === 'multichoice' && !!b.display,
      value: typed,
      options: options
        .filter((o) => o.blank === b.id)
        .map((o, j) => ({
          id: o.id,
          text: o.text,
          selected: answer === o.id,
          inputId: `${id}_b${i}_${j}`,
        })),
    };
  };
  // The stem's HTML, cut at its placeholders; a blank the text does not place comes last.
  const html = typeof view.stemHtml === 'string' ? view.stemHtml : '';
  const parts: { html: string; blank?: ClozeInput }[] = [];
  const placed = new Set<number>();
  let at = 0;
  for (const m of html.matchAll(PLACEHOLDER)) {
    const index = Number(m[1]) - 1;
    // Only in text: a placeholder inside a tag (an attribute) is left as it is.
    const inTag = html.lastIndexOf('<', m.index) > html.lastIndexOf('>', m.index);
    if (!blanks[index] || placed.has(index) || inTag) continue;
    placed.add(index);
    parts.push({ html: html.slice(at, m.index), blank: inputOf(blanks[index], index) });
    at = m.index + m[0].length;
  }
  parts.push({ html: html.slice(at) });
  blanks.forEach((b, i) => {
    if (!placed.has(i)) parts.push({ html: ' ', blank: inputOf(b, i) });
  });
  return { kind: 'cloze', name, parts };
}

const HTML_TAG = /<(img|audio|p|br|b|i|em|strong|span|sub|sup)\b[^>]*>/i;

/**
 * An option's HTML as it may sit inside its label: sanitised as stems are (images of
 * question files kept, scripts gone), without the paragraph Moodle wraps it in (ADR 0034).
 */
function inlineHtml(text: string): string {
  return renderMarkdown(text)
    .trim()
    .replace(/^<p>([\s\S]*)<\/p>$/, '$1');
}

/** The widget kind of a type: built-ins by key, sector types by the shape of their view. */
function kindOf(type: string, view: Record<string, unknown>): Widget['kind'] {
  const byKey: Record<string, Widget['kind']> = {
    single_choice: 'choice',
    multiple_response: 'choice',
    true_false: 'boolean',
    short_answer: 'text',
    numeric: 'number',
    essay: 'essay',
    matching: 'match',
    cloze: 'cloze',
  };
  if (byKey[type]) return byKey[type];
  if (Array.isArray(view.options)) return 'choice';
  if (Array.isArray(view.left) && Array.isArray(view.right)) return 'match';
  if (Array.isArray(view.items)) return 'order';
  return 'text';
}

/**
 * The inputs for one question, named from `name` and filled with the saved response.
 * `view` is the type's candidate view (already in the order the attempt shows).
 */
export function candidateWidget(
  type: string,
  view: Record<string, unknown>,
  name: string,
  response?: unknown,
): Widget {
  const kind = kindOf(type, view);
  const id = name.replace(/[^\w-]/g, '_');
  switch (kind) {
    case 'cloze':
      return clozeWidget(view, name, id, response);
    case 'choice': {
      const multiple = type === 'multiple_response' || view.multiple === true;
      const chosen = new Set(
        multiple && Array.isArray(response) ? response.map(String) : [String(response ?? '')],
      );
      return {
        kind,
        name,
        multiple,
        options: (view.options as Choice[]).map((o, i) => ({
          id: o.id,
          text: o.text,
          ...(HTML_TAG.test(o.text) && { html: inlineHtml(o.text) }),
          checked: chosen.has(o.id),
          inputId: `${id}_${i}`,
        })),
      };
    }
    case 'boolean':
      return {
        kind,
        name,
        options: [
          { id: 'true', text: 'Benar', checked: response === true, inputId: `${id}_t` },
          { id: 'false', text: 'Salah', checked: response === false, inputId: `${id}_f` },
        ],
      };
    case 'match': {
      const given = (response && typeof response === 'object' ? response : {}) as Record<
        string,
        string
      >;
      return {
        kind,
        name,
        pairs: (view.left as Choice[]).map((l, i) => ({
          name: `${name}.${l.id}`,
          inputId: `${id}_${i}`,
          text: l.text,
          options: (view.right as Choice[]).map((r) => ({ ...r, selected: given[l.id] === r.id })),
        })),
      };
    }
    case 'order': {
      const items = view.items as Choice[];
      const given = Array.isArray(response) ? response.map(String) : [];
      return {
        kind,
        name,
        slots: items.map((_, i) => ({
          name: `${name}.${i}`,
          inputId: `${id}_${i}`,
          position: i + 1,
          options: items.map((item) => ({ ...item, selected: given[i] === item.id })),
        })),
      };
    }
    default:
      return {
        kind,
        name,
        value:
          response === undefined || response === null
            ? ''
            : typeof response === 'string'
              ? response
              : String(response as number),
      };
  }
}

/**
 * The response a submitted form gives for one widget; `undefined` when left blank, so an
 * untouched question stays unanswered rather than answered wrong.
 */
export function responseFromForm(
  widget: Pick<Widget, 'kind' | 'name' | 'multiple' | 'pairs' | 'slots' | 'parts'>,
  form: Form,
): unknown {
  const raw = form[widget.name];
  switch (widget.kind) {
    case 'choice': {
      if (!widget.multiple) return single(raw) || undefined;
      const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter(Boolean);
      return list.length ? list : undefined;
    }
    case 'boolean':
      return single(raw) === 'true' ? true : single(raw) === 'false' ? false : undefined;
    case 'number': {
      const text = single(raw).trim().replace(',', '.');
      return text ? Number(text) : undefined;
    }
    case 'match': {
      const pairs = Object.fromEntries(
        (widget.pairs ?? [])
          .map((p) => [p.name.slice(widget.name.length + 1), single(form[p.name])])
          .filter(([, v]) => v),
      );
      return Object.keys(pairs).length ? pairs : undefined;
    }
    case 'cloze': {
      const answers: Record<string, unknown> = {};
      for (const part of widget.parts ?? []) {
        const blank = part.blank;
        if (!blank) continue;
        const value = single(form[blank.name]);
        if (!value.trim()) continue;
        answers[blank.name.slice(widget.name.length + 1)] =
          blank.kind === 'multichoice' ? value : { text: value };
      }
      return Object.keys(answers).length ? answers : undefined;
    }
    case 'order': {
      const order = (widget.slots ?? []).map((s) => single(form[s.name]));
      return order.some(Boolean) ? order : undefined;
    }
    default:
      return single(raw).trim() ? single(raw) : undefined;
  }
}
