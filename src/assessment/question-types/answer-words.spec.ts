import { answerKey, responseWords } from './answer-words.js';

const words = { yes: 'Benar', no: 'Salah' };

describe('answer words (review policy "answers")', () => {
  it('names the key of each built-in type in words', () => {
    const choice = {
      options: [
        { id: 'a', text: 'Lima', fraction: 1 },
        { id: 'b', text: 'Tiga', fraction: 0 },
      ],
    };
    expect(answerKey('single_choice', choice, words)).toEqual(['Lima']);
    expect(
      answerKey(
        'multiple_response',
        {
          options: [
            { id: 'a', text: 'Air', fraction: 0.5 },
            { id: 'b', text: 'Sabun', fraction: 0.5 },
            { id: 'c', text: 'Minyak', fraction: -1 },
          ],
        },
        words,
      ),
    ).toEqual(['Air', 'Sabun']);
    expect(answerKey('true_false', { answer: false }, words)).toEqual(['Salah']);
    expect(
      answerKey(
        'short_answer',
        {
          answers: [
            { text: 'puskesmas', fraction: 1 },
            { text: 'pkm', fraction: 0.5 },
          ],
        },
        words,
      ),
    ).toEqual(['puskesmas']);
    expect(
      answerKey(
        'numeric',
        {
          answers: [
            { value: 2.5, tolerance: 0.1, fraction: 1 },
            { min: 20, max: 30, fraction: 1 },
          ],
        },
        words,
      ),
    ).toEqual(['2,5 (± 0,1)', '20 – 30']);
    expect(
      answerKey(
        'matching',
        {
          left: [{ id: 'l1', text: 'Sebelum' }],
          right: [
            { id: 'r1', text: 'kontak pasien' },
            { id: 'r2', text: 'pulang' },
          ],
          key: { l1: 'r1' },
        },
        words,
      ),
    ).toEqual(['Sebelum → kontak pasien']);
    expect(answerKey('essay', {}, words)).toBeNull();
  });

  it('asks a sector type for its key, and shows none for a type that gives none', () => {
    const ordering = { key: 'ordering', answerKey: () => ['1. Agenda', '2. Arsip'] };
    expect(answerKey('ordering', {}, words, ordering as never)).toEqual(['1. Agenda', '2. Arsip']);
    expect(answerKey('observed', {}, words, { key: 'observed' } as never)).toBeNull();
  });

  it("puts the candidate's response in words, by the definition's texts", () => {
    const choice = {
      options: [
        { id: 'a', text: 'Lima', fraction: 1 },
        { id: 'b', text: 'Tiga', fraction: 0 },
      ],
    };
    expect(responseWords('single_choice', choice, 'b', words)).toEqual(['Tiga']);
    expect(responseWords('multiple_response', choice, ['a', 'b'], words)).toEqual(['Lima', 'Tiga']);
    expect(responseWords('true_false', { answer: true }, true, words)).toEqual(['Benar']);
    expect(responseWords('numeric', {}, 2.5, words)).toEqual(['2,5']);
    expect(responseWords('short_answer', {}, 'posyandu', words)).toEqual(['posyandu']);
    expect(
      responseWords(
        'ordering',
        {
          items: [
            { id: 'x', text: 'Agenda' },
            { id: 'y', text: 'Arsip' },
          ],
        },
        ['y', 'x'],
        words,
      ),
    ).toEqual(['1. Arsip', '2. Agenda']);
    expect(
      responseWords(
        'matching',
        { left: [{ id: 'l1', text: 'Sebelum' }], right: [{ id: 'r1', text: 'kontak' }] },
        { l1: 'r1' },
        words,
      ),
    ).toEqual(['Sebelum → kontak']);
    expect(responseWords('essay', {}, null, words)).toEqual([]);
  });
});
