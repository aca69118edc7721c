/**
 * The files a Moodle XML question carries: `<file name="…" encoding="base64">` beside a
 * field's `<text>`, referenced from it as `@@PLUGINFILE@@/name`, and Moodle 1.9's
 * `<image>`/`<image_base64>`. The parser collects them here; the bank service stores them
 * and rewrites the references (ADR 0034). Kept apart from the parser and writer so that
 * their other changes merge cleanly.
 */

export interface MoodleFile {
  name: string;
  content: Buffer;
}

export const PLUGINFILE = '@@PLUGINFILE@@/';

type Node = Record<string, unknown>;

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const base64Of = (node: unknown): string =>
  String(typeof node === 'object' && node ? ((node as Node)['#text'] ?? '') : (node ?? '')).replace(
    /\s+/g,
    '',
  );

/**
 * Every file a question node holds, at any depth (question text, general feedback, answers
 * and their feedback), and the old `<image>`. `problems` names what could not be read (a
 * file that is not base64, one name with two contents), so nothing goes unreported.
 */
export function collectMoodleFiles(question: Node): {
  files: MoodleFile[];
  oldImage: string | null;
  problems: string[];
} {
  const files = new Map<string, Buffer>();
  const problems: string[] = [];
  const add = (name: string, data: string) => {
    if (!name || !/^[A-Za-z0-9+/]*={0,2}$/.test(data) || !data) {
      problems.push(`berkas "${name || '(tanpa nama)'}" tidak terbaca (bukan base64)`);
      return;
    }
    const content = Buffer.from(data, 'base64');
    const seen = files.get(name);
    if (seen && !seen.equals(content))
      problems.push(`berkas "${name}" muncul dua kali dengan isi berbeda; yang pertama dipakai`);
    else files.set(name, content);
  };
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [key, value] of Object.entries(node as Node)) {
      if (key === 'file')
        for (const f of list(value as Node | Node[])) {
          const encoding = String((f as Node)?.['@_encoding'] ?? 'base64');
          const name = String((f as Node)?.['@_name'] ?? '').trim();
          if (encoding !== 'base64')
            problems.push(`berkas "${name}" dengan encoding "${encoding}" tidak didukung`);
          else add(name, base64Of(f));
        }
      else if (typeof value === 'object') walk(value);
    }
  };
  walk(question);
  let oldImage: string | null = null;
  const image = typeof question.image === 'string' ? question.image.trim() : '';
  if (image) {
    // Moodle 1.9 kept one image beside the question, shown after its text.
    const name = image.split('/').pop() || image;
    if (question.image_base64 !== undefined) {
      add(name, base64Of(question.image_base64));
      oldImage = name;
    } else problems.push(`gambar lama "${image}" tanpa isi (image_base64) tidak dapat dibawa`);
  }
  return {
    files: [...files.entries()].map(([name, content]) => ({ name, content })),
    oldImage,
    problems,
  };
}

/** Applies `change` to every string inside a JSON value (definitions carry texts in lists). */
export function mapStrings<T>(value: T, change: (text: string) => string): T {
  if (typeof value === 'string') return change(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, change)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapStrings(v, change)]),
    ) as T;
  return value;
}

const REFERENCE = /@@PLUGINFILE@@\/([^"'\\\s<>)?#]+)/g;

const decoded = (name: string) => {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
};

/** Replaces `@@PLUGINFILE@@/name` by `urlOf(name)` where known, leaving others as they are. */
export function rewritePluginfile(
  text: string,
  urlOf: (name: string) => string | undefined,
): string {
  return text.replace(REFERENCE, (whole, name: string) => urlOf(decoded(name)) ?? whole);
}

/** The names of `@@PLUGINFILE@@` references still in a text (what was not brought in). */
export function pluginfileNames(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => decoded(m[1]));
}

/** The app's address of a stored question file, and its stored name back from one. */
export const QUESTION_FILE_PATH = '/api/v1/question-files/';
const APP_REFERENCE = /\/api\/v1\/question-files\/([a-f0-9]{64}\.[a-z0-9]{2,5})/g;

export function questionFileNames(text: string): string[] {
  return [...text.matchAll(APP_REFERENCE)].map((m) => m[1]);
}

/**
 * For the writer: the text with the app's file addresses turned back into
 * `@@PLUGINFILE@@/name`, and the `<file>` elements that carry their bytes.
 */
export function moodleFileElements(
  text: string,
  files: ReadonlyMap<string, Buffer>,
): { text: string; elements: string } {
  const names = [...new Set(questionFileNames(text))].filter((n) => files.has(n));
  if (!names.length) return { text, elements: '' };
  const out = text.replace(APP_REFERENCE, (whole, name: string) =>
    files.has(name) ? PLUGINFILE + name : whole,
  );
  const elements = names
    .map(
      (name) =>
        `<file name="${name}" path="/" encoding="base64">${files.get(name)!.toString('base64')}</file>`,
    )
    .join('');
  return { text: out, elements };
}
