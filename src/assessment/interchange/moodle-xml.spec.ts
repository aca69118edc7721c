import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { InterchangeFileError } from './gift.js';
import { parseMoodleXml, writeMoodleXml } from './moodle-xml.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'moodle-questions', 'moodle-xml');
const read = (name: string) => readFileSync(join(fixtures, name));
const files = readdirSync(fixtures);

describe('Moodle XML reader on the Moodle fixtures', () => {
  it('reads every fixture without crashing', () => {
    for (const file of files) expect(() => parseMoodleXml(read(file))).not.toThrow();
  });

  it.each([
    ['truefalse.xml', 2, 'true_false'],
    ['multichoice.xml', 1, 'single_choice'],
    ['qtype_multichoice-testquestion.moodle.xml', 1, 'multiple_response'],
    ['qtype_shortanswer-testquestion.moodle.xml', 1, 'short_answer'],
    ['qtype_numerical-testquestion.moodle.xml', 1, 'numeric'],
    ['qtype_match-testquestion.moodle.xml', 1, 'matching'],
    ['qtype_essay-testquestion.moodle.xml', 1, 'essay'],
  ])('%s: %i question(s) of type %s', (file, count, type) => {
    const { questions } = parseMoodleXml(read(file));
    expect(questions).toHaveLength(count);
    expect(questions.every((q) => q.type === type)).toBe(true);
  });

  it('reads a matching question field by field, with the extra distractor', () => {
    const [q] = parseMoodleXml(read('qtype_match-testquestion.moodle.xml')).questions;
    expect(q).toEqual(
      expect.objectContaining({
        name: 'matching-001',
        stem: 'Classify the animals.',
        generalFeedback: 'General feedback.',
        category: 'Test questions',
      }),
    );
    expect(q.definition).toEqual({
      left: [
        { id: 'l1', text: 'frog' },
        { id: 'l2', text: 'cat' },
        { id: 'l3', text: 'newt' },
      ],
      right: [
        { id: 'r1', text: 'amphibian' },
        { id: 'r2', text: 'mammal' },
        { id: 'r3', text: 'insect' },
      ],
      key: { l1: 'r1', l2: 'r2', l3: 'r1' },
    });
  });

  it('reads numerical tolerance and short-answer credits', () => {
    const [numeric] = parseMoodleXml(read('qtype_numerical-testquestion.moodle.xml')).questions;
    expect(
      (numeric.definition.answers as { value: number; tolerance: number; fraction: number }[])[0],
    ).toEqual(expect.objectContaining({ value: 6.25, tolerance: 0.05, fraction: 1 }));
    const [short] = parseMoodleXml(read('qtype_shortanswer-testquestion.moodle.xml')).questions;
    expect((short.definition.answers as { fraction: number }[]).map((a) => a.fraction)).toEqual([
      1, 0.8, 0,
    ]);
  });

  it('keeps nested categories, even when a child comes first', () => {
    const { questions } = parseMoodleXml(read('nested_categories_with_questions.xml'));
    expect(new Set(questions.map((q) => q.category)).size).toBeGreaterThan(1);
    expect(questions.every((q) => q.category && !q.category.startsWith('$'))).toBe(true);
  });

  it('reports refused cloze questions and unsupported Moodle types as skipped with their names', () => {
    const broken = parseMoodleXml(read('broken_cloze_questions.xml'));
    expect(broken.questions).toEqual([]);
    expect(broken.skipped).toHaveLength(5);
    expect(broken.skipped[0]).toEqual(
      expect.objectContaining({
        name: expect.any(String),
        reason: expect.stringContaining('isian'),
      }),
    );
    expect(
      parseMoodleXml(read('qtype_ordering-testquestion.moodle.xml')).skipped[0].reason,
    ).toContain('ordering');
  });

  it('counts lines in one pass: a file of unclosed comment openers inside a processing instruction', () => {
    // Legal XML; with a scan to the end per `<!--`, 2 MB of them took minutes.
    const openers = '<!--'.repeat(500_000);
    const xml =
      '<quiz>\n<!-- <question> in a comment -->\n' +
      '<question type="truefalse"><name><text>Benar</text></name>' +
      '<questiontext><text><![CDATA[<question> in CDATA]]></text></questiontext>' +
      '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>' +
      `</question>\n<questions-not-a-question/>\n<?pad ${openers} ?>\n` +
      '<question type="ordering"><name><text>Urut</text></name></question></quiz>';
    const { questions, skipped } = parseMoodleXml(xml);
    expect(questions.map((q) => [q.line, q.name])).toEqual([[3, 'Benar']]);
    expect(skipped.map((q) => [q.line, q.name])).toEqual([[6, 'Urut']]);
  });

  it('refuses DTDs (XXE, billion laughs) and files that are not Moodle XML', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><quiz>&lol2;</quiz>';
    expect(() => parseMoodleXml(bomb)).toThrow(InterchangeFileError);
    expect(() =>
      parseMoodleXml(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><quiz>&xxe;</quiz>',
      ),
    ).toThrow(/DTD/);
    expect(() => parseMoodleXml('<html><body>bukan soal</body></html>')).toThrow(/quiz/);
    expect(() => parseMoodleXml('bukan xml < sama sekali')).toThrow(InterchangeFileError);
  });
});

describe('Moodle XML round trip', () => {
  // Files travel through the bank's store, not the parser alone: moodle-files.spec.ts and
  // the question-files e2e test carry them round.
  const strip = (qs: ReturnType<typeof parseMoodleXml>['questions']) =>
    qs.map(({ line: _line, files: _files, ...q }) => q);

  it.each(files)('%s: export then import gives equal questions', (file) => {
    const first = strip(parseMoodleXml(read(file)).questions);
    const again = parseMoodleXml(writeMoodleXml(first));
    expect(again.skipped).toEqual([]);
    expect(strip(again.questions)).toEqual(first);
  });
});

describe("Moodle's shuffleanswers", () => {
  const xml = (shuffle: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><quiz><question type="multichoice"><name><text>Urutan</text></name>` +
    `<questiontext format="html"><text>Pilih.</text></questiontext><single>true</single>` +
    `<shuffleanswers>${shuffle}</shuffleanswers>` +
    `<answer fraction="100"><text>Satu</text></answer><answer fraction="0"><text>Semua di atas</text></answer>` +
    `</question></quiz>`;

  it('keeps a fixed order only where the author asked for it, and writes it back', () => {
    const [fixed] = parseMoodleXml(xml('0')).questions;
    expect(fixed.definition).toMatchObject({ fixedOrder: true });
    expect(parseMoodleXml(xml('false')).questions[0].definition).toMatchObject({
      fixedOrder: true,
    });
    for (const shuffled of ['1', 'true', ''])
      expect(parseMoodleXml(xml(shuffled)).questions[0].definition).not.toHaveProperty(
        'fixedOrder',
      );
    const written = writeMoodleXml([{ ...fixed, tags: [], idnumber: null } as never]);
    expect(written).toContain('<shuffleanswers>0</shuffleanswers>');
    expect(parseMoodleXml(written).questions[0].definition).toMatchObject({ fixedOrder: true });
  });
});

describe('Moodle XML round trips exactly (issue 24)', () => {
  const essay = {
    name: 'Uraian',
    type: 'essay',
    stem: 'Jelaskan <b>kewaspadaan</b> standar.',
    definition: { rubric: 'Skor 3: lima momen & dua' },
    generalFeedback: '',
    category: null,
    tags: [],
    idnumber: 'ESSAY-1',
    points: 3,
  };

  it('keeps the mark (<defaultgrade>), the rubric (<graderinfo>) and the idnumber', () => {
    const xml = writeMoodleXml([essay]);
    expect(xml).toContain('<defaultgrade>3</defaultgrade>');
    expect(parseMoodleXml(xml).questions[0]).toEqual({ ...essay, line: expect.any(Number) });
  });

  it('writes questions without a category before any category', () => {
    const q = (name: string, category: string | null) => ({
      ...essay,
      idnumber: null,
      name,
      category,
    });
    const back = parseMoodleXml(writeMoodleXml([q('a', 'Bab 1'), q('b', null)])).questions;
    expect(back.map((x) => [x.name, x.category])).toEqual([
      ['b', null],
      ['a', 'Bab 1'],
    ]);
  });

  it("keeps a numerical's * answer as the feedback for any other answer", () => {
    const q = {
      ...essay,
      type: 'numeric',
      definition: {
        answers: [{ value: 5, tolerance: 0.5, fraction: 1, feedback: '' }],
        otherwiseFeedback: 'Hitung ulang',
      },
    };
    expect(parseMoodleXml(writeMoodleXml([q])).questions[0].definition).toEqual(q.definition);
  });

  it('refuses error_invalid_grades.xml as Moodle does, naming the question', () => {
    const { questions, skipped } = parseMoodleXml(read('error_invalid_grades.xml'));
    expect(questions).toEqual([]);
    expect(skipped).toEqual([
      {
        line: 4,
        name: 'Question with <strong>invalid grades</strong> : x > 1 & x < 2',
        reason: expect.stringContaining('33%'),
      },
    ]);
  });

  it('reports a skipped question by the line its <question> opens on', () => {
    const xml = [
      '<?xml version="1.0"?>',
      '<quiz>',
      '<!-- <question type="essay"> in a comment -->',
      '  <question type="essay"><name><text>Baik</text></name>',
      '    <questiontext><text><![CDATA[<question> di teks]]></text></questiontext></question>',
      '',
      '  <question type="ddwtos"><name><text>Seret</text></name>',
      '    <questiontext><text>x</text></questiontext></question>',
      '</quiz>',
    ].join('\n');
    const { questions, skipped } = parseMoodleXml(xml);
    expect(questions[0].line).toBe(4);
    expect(skipped).toEqual([{ line: 7, name: 'Seret', reason: expect.any(String) }]);
  });
});
