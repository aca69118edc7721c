import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { QuestionTypeRegistry } from '../../registry/registries.js';
import { definitionProblems } from '../banks/definition-problems.js';
import { BUILT_IN_QUESTION_TYPES } from '../assessment.module.js';
import { type InterchangeQuestion, InterchangeFileError, parseGift } from './gift.js';
import { uncategorisedFirst, writeGift } from './gift-writer.js';
import { parseMoodleXml, writeMoodleXml } from './moodle-xml.js';

/**
 * Every shipped bank and every Moodle fixture, exported and imported back in both formats:
 * every field of every question that imports must come back the same. What a format cannot
 * hold is listed here, not skipped quietly.
 */
const types = new QuestionTypeRegistry();
// The core's types, as the app registers them (a type added there is round-tripped too).
for (const Type of BUILT_IN_QUESTION_TYPES) types.register(new Type(), 'the core');

/** Types a format cannot express; their questions are checked to be refused by the writer. */
const NOT_EXPRESSIBLE: Record<Format, string[]> = {
  // Cloze (Moodle's multianswer) has no GIFT form; it travels as Moodle XML only.
  gift: ['cloze', 'multianswer'],
  'moodle-xml': [],
};

/** Files that do not import at all (by design), so there is nothing to round-trip. */
const REFUSED_FILES = ['moodle-questions_encoding_windows-1252.gift.txt'];

type Format = 'gift' | 'moodle-xml';
const readers = { gift: parseGift, 'moodle-xml': parseMoodleXml };
const writers = { gift: writeGift, 'moodle-xml': writeMoodleXml };

const fixtures = join(projectRoot, 'test', 'fixtures', 'moodle-questions');
const modules = join(projectRoot, 'modules');
const sources: [string, Format, string][] = [
  ...readdirSync(modules).flatMap((sector) => {
    const dir = join(modules, sector, 'content', 'banks');
    if (!existsSync(dir)) return [];
    return readdirSync(dir).map(
      (f) => [`${sector}/${f}`, 'gift', join(dir, f)] as [string, Format, string],
    );
  }),
  ...readdirSync(join(fixtures, 'gift'))
    .filter((f) => !REFUSED_FILES.includes(f))
    .map((f) => [`gift/${f}`, 'gift', join(fixtures, 'gift', f)] as [string, Format, string]),
  // Our own: files of every kind and a cloze with every blank kind (test/fixtures/question-media).
  ...readdirSync(join(projectRoot, 'test', 'fixtures', 'question-media')).map(
    (f) =>
      [
        `question-media/${f}`,
        'moodle-xml',
        join(projectRoot, 'test', 'fixtures', 'question-media', f),
      ] as [string, Format, string],
  ),
  ...readdirSync(join(fixtures, 'moodle-xml')).map(
    (f) =>
      [`moodle-xml/${f}`, 'moodle-xml', join(fixtures, 'moodle-xml', f)] as [
        string,
        Format,
        string,
      ],
  ),
];

/** The question as the bank stores it: what an import keeps and an export writes. */
const stored = (q: InterchangeQuestion) => ({
  name: q.name,
  type: q.type,
  stem: q.stem,
  definition: q.definition,
  generalFeedback: q.generalFeedback,
  category: q.category,
  tags: q.tags,
  idnumber: q.idnumber,
  points: q.points ?? 1,
});

/**
 * What a format holds in another form, the same question for grading: Moodle XML keeps a
 * numeric range as its middle and half-width. GIFT has no "keep the order" setting, so a
 * question's `fixedOrder` (Moodle's shuffleanswers 0) is lost there.
 */
function inFormat(format: Format, q: ReturnType<typeof stored>) {
  const d = { ...(q.definition as Record<string, unknown>) };
  if (format === 'gift') delete d.fixedOrder;
  if (format === 'moodle-xml' && q.type === 'numeric')
    d.answers = (d.answers as Record<string, number>[]).map((a) => {
      if (a.min === undefined) return a;
      const { min, max, ...rest } = a;
      return { value: (min + max) / 2, tolerance: (max - min) / 2, ...rest };
    });
  return { ...q, definition: d };
}

describe.each(sources)('%s round-trips', (_label, sourceFormat, path) => {
  // A file that does not import at all must be listed in REFUSED_FILES: this throws.
  const read = readers[sourceFormat](readFileSync(path)).questions;

  const imported = read.filter((q) => !definitionProblems(types, q.type, q.definition).length);

  it('reads only types the app knows, so none drops out of the comparison unseen', () => {
    expect(read.filter((q) => !types.get(q.type)).map((q) => q.type)).toEqual([]);
  });

  it('imports whole when it is a shipped bank: the pack passes the API check', () => {
    if (!path.includes('/modules/')) return;
    const read = parseGift(readFileSync(path));
    expect(read.skipped).toEqual([]);
    expect(imported).toHaveLength(read.questions.length);
  });

  it.each(['gift', 'moodle-xml'] as Format[])('as %s, every field', (format) => {
    const expressible = imported.filter((q) => !NOT_EXPRESSIBLE[format].includes(q.type));
    for (const q of imported.filter((x) => NOT_EXPRESSIBLE[format].includes(x.type)))
      expect(() => writers[format]([q])).toThrow(/tidak dapat ditulis/);
    const back = readers[format](writers[format](expressible));
    expect(back.skipped).toEqual([]);
    expect(back.questions.map(stored)).toEqual(
      uncategorisedFirst(expressible).map((q) => inFormat(format, stored(q))),
    );
  });
});

describe('the round trip covers', () => {
  it.each(REFUSED_FILES)('%s, refused as a whole, so it has nothing to round-trip', (file) => {
    expect(() => parseGift(readFileSync(join(fixtures, 'gift', file)))).toThrow(
      InterchangeFileError,
    );
  });

  it('every shipped bank and every fixture, with questions to compare', () => {
    expect(sources.filter(([, , p]) => p.includes('/modules/')).length).toBe(10);
    expect(sources.length).toBeGreaterThan(40);
  });
});
