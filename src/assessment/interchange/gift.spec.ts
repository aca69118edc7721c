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
    expect(skipped).toEqual([{ line: 3, reason: expect.stringContaining('}') }]);
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
