import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { InterchangeFileError, parseGift } from './gift.js';
import { writeGift } from './gift-writer.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'moodle-questions', 'gift');
const read = (name: string) => readFileSync(join(fixtures, name));

describe('GIFT reader on the Moodle and gift-pegjs fixtures', () => {
  it('reads every fixture meant to import without crashing', () => {
    for (const file of readdirSync(fixtures).filter((f) => !f.includes('windows-1252'))) {
      expect(() => parseGift(read(file))).not.toThrow();
    }
  });

  it("imports Moodle's 9-question behat fixture, field by field", () => {
    const { questions, skipped } = parseGift(read('moodle-questions.gift.txt'));
    expect(skipped).toEqual([]);
    expect(questions.map((q) => q.type)).toEqual([
      'essay',
      'matching',
      'single_choice',
      'multiple_response',
      'numeric',
      'short_answer',
      'true_false',
      'true_false',
      'true_false',
    ]);
    const match = questions[1];
    expect(match.name).toBe('Moodle activities');
    expect((match.definition.left as unknown[]).length).toBe(4);
    expect((match.definition.right as unknown[]).length).toBe(5);
    expect(questions[2].definition.options).toEqual([
      { id: 'a', text: 'yellow', fraction: 1, feedback: 'right; good!' },
      { id: 'b', text: 'red', fraction: 0, feedback: "wrong, it's yellow" },
      { id: 'c', text: 'blue', fraction: 0, feedback: "wrong, it's yellow" },
    ]);
    expect(
      (questions[3].definition.options as { fraction: number }[]).map((o) => o.fraction),
    ).toEqual([0.5, -1, 0.5, -1]);
    expect(questions[4].definition).toEqual({
      answers: [{ value: 3, tolerance: 2, fraction: 1, feedback: '' }],
      otherwiseFeedback: 'Completely wrong',
    });
    expect(questions[5].definition.answers).toEqual([
      { text: 'Frog', fraction: 1, feedback: 'Good!' },
      { text: 'Cat', fraction: 0.5, feedback: 'What is it with Moodlers and cats?' },
      { text: '*', fraction: 0, feedback: 'Completely wrong' },
    ]);
    expect(questions[6]).toEqual(
      expect.objectContaining({
        type: 'true_false',
        generalFeedback: "This is, of course, a Hitchiker's Guide to the Galaxy reference.",
      }),
    );
    expect(questions[6].definition).toEqual({
      answer: false,
      feedbackTrue: '42 is the Ultimate Answer.',
      feedbackFalse: 'You gave the right answer.',
    });
  });

  it('keeps categories and reads numeric ranges and tolerances', () => {
    const inCategory = parseGift(read('moodle-questions_in_category.gift.txt'));
    expect(inCategory.questions).toHaveLength(4);
    expect(inCategory.questions.every((q) => q.category)).toBe(true);
    const numeric = parseGift(read('giftpegjs-numerical1.gift'));
    expect(numeric.questions.every((q) => q.type === 'numeric')).toBe(true);
    expect(numeric.questions.length).toBe(10);
  });

  it("reads true/false feedback in Moodle's order: wrong answer first, then right", () => {
    const [t, f] = parseGift(
      'Langit biru. {T#Salah pilih#Tepat}\n\nBumi datar. {F#Keliru#Betul}',
    ).questions;
    expect(t.definition).toEqual({
      answer: true,
      feedbackTrue: 'Tepat',
      feedbackFalse: 'Salah pilih',
    });
    expect(f.definition).toEqual({ answer: false, feedbackTrue: 'Keliru', feedbackFalse: 'Betul' });
    // And writes them back in the same order.
    expect(writeGift([{ ...t, category: null, idnumber: null }])).toContain(
      '{TRUE#Salah pilih#Tepat}',
    );
  });

  it('undoes every escape', () => {
    const { questions } = parseGift(read('giftpegjs-escapeAll.gift'));
    const texts = (questions[0].definition.options as { text: string }[]).map((o) => o.text);
    for (const ch of ['~', '=', '#', '{', '}', ':'])
      expect(texts.some((t) => t.includes(ch))).toBe(true);
  });

  it('reads tags and ids from metadata comments', () => {
    const { questions } = parseGift(read('giftpegjs-tag_id_and_two_tags.gift'));
    expect(questions[0]).toEqual(
      expect.objectContaining({ type: 'essay', idnumber: '393', tags: ['fred', 'barney-wilma'] }),
    );
  });

  it('refuses a file that is not UTF-8', () => {
    expect(() => parseGift(read('moodle-questions_encoding_windows-1252.gift.txt'))).toThrow(
      InterchangeFileError,
    );
  });

  it('reports a broken question by its line and keeps the others', () => {
    const { questions, skipped } = parseGift(
      'Soal satu {T}\n\nSoal dua tanpa penutup {=a ~b\n\n::Tiga:: Soal tiga {=ya =iya}\n',
    );
    expect(questions.map((q) => q.name)).toEqual(['Soal satu', 'Tiga']);
    expect(skipped).toEqual([
      { line: 3, name: 'Soal dua tanpa penutup', reason: expect.stringContaining('}') },
    ]);
  });
});

describe('GIFT round trip', () => {
  const strip = (qs: ReturnType<typeof parseGift>['questions']) =>
    qs.map(({ line: _line, ...q }) => q);

  it.each(readdirSync(fixtures).filter((f) => !f.includes('windows-1252')))(
    '%s: export then import gives equal questions',
    (file) => {
      const first = strip(parseGift(read(file)).questions);
      const again = parseGift(writeGift(first));
      expect(again.skipped).toEqual([]);
      expect(strip(again.questions)).toEqual(first);
    },
  );

  it('covers every type', () => {
    const types = new Set(
      readdirSync(fixtures)
        .filter((f) => !f.includes('windows-1252'))
        .flatMap((f) => parseGift(read(f)).questions.map((q) => q.type)),
    );
    expect([...types].sort()).toEqual([
      'essay',
      'matching',
      'multiple_response',
      'numeric',
      'short_answer',
      'single_choice',
      'true_false',
    ]);
  });
});

describe('GIFT round trips exactly (issue 24)', () => {
  const essay = {
    name: 'Uraian',
    type: 'essay',
    stem: 'Jelaskan [kewaspadaan] standar.',
    definition: { rubric: 'Skor 3: lima momen]\nSkor 1: [tag:x] satu; a\\b' },
    generalFeedback: '',
    category: null,
    tags: ['kesulitan:sulit'],
    idnumber: 'ESSAY-1',
    points: 3,
  };

  it('keeps the mark, the rubric and the idnumber of an essay', () => {
    const [back] = parseGift(writeGift([essay])).questions;
    expect(back).toEqual({ ...essay, line: expect.any(Number) });
  });

  it('writes questions without a category before any $CATEGORY, so they stay without one', () => {
    const q = (name: string, category: string | null) => ({ ...essay, name, category });
    const back = parseGift(writeGift([q('a', 'Bab 1'), q('b', null), q('c', 'Bab 2')])).questions;
    expect(back.map((x) => [x.name, x.category])).toEqual([
      ['b', null],
      ['a', 'Bab 1'],
      ['c', 'Bab 2'],
    ]);
  });

  it('keeps the numeric catch-all ~#feedback', () => {
    const [q] = parseGift('::N:: Berapa? {#=5:0 ~#Hitung ulang dosisnya}').questions;
    expect(q.definition).toEqual({
      answers: [{ value: 5, tolerance: 0, fraction: 1, feedback: '' }],
      otherwiseFeedback: 'Hitung ulang dosisnya',
    });
    expect(parseGift(writeGift([q])).questions[0].definition).toEqual(q.definition);
  });

  it('reads ~ answers only, even with one weighted answer, as multiple answers (as Moodle)', () => {
    const [q] = parseGift('::M:: Pilih {~%100%a ~%-100%b ~c}').questions;
    expect(q.type).toBe('multiple_response');
  });

  it('refuses a grade Moodle refuses, naming the question', () => {
    const { questions, skipped } = parseGift('::Bobot:: Pilih {~%33%a ~%67%b}\n\n::Ok:: Ya? {T}');
    expect(questions.map((q) => q.name)).toEqual(['Ok']);
    expect(skipped).toEqual([{ line: 1, name: 'Bobot', reason: expect.stringContaining('33%') }]);
  });

  it('names a skipped question by its title, or by its text when it has none', () => {
    const { skipped } = parseGift('// komentar\n::Rusak:: Tanpa {=a\n\nApa ini tanpa jawaban');
    expect(skipped).toEqual([
      { line: 2, name: 'Rusak', reason: expect.any(String) },
      { line: 4, name: 'Apa ini tanpa jawaban', reason: expect.any(String) },
    ]);
  });
});
