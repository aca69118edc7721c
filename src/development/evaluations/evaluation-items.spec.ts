import {
  answerProblem,
  dayOf,
  DEFAULT_REACTION_ITEMS,
  jakartaYear,
  meanOrNull,
  reactionItems,
} from './evaluation-items.js';

describe('evaluation items and answers', () => {
  it('a course without its own statements is rated on the four default ones, keyed from 1', () => {
    expect(reactionItems(null).map((i) => i.key)).toEqual(['1', '2', '3', '4']);
    expect(reactionItems([]).map((i) => i.text)).toEqual([...DEFAULT_REACTION_ITEMS]);
    expect(reactionItems(['A', 'B'])).toEqual([
      { key: '1', text: 'A' },
      { key: '2', text: 'B' },
    ]);
  });

  it.each([
    [{ '1': 0, '2': 3 }, 'ratings.1'],
    [{ '1': 6, '2': 3 }, 'ratings.1'],
    [{ '1': 3.5, '2': 3 }, 'ratings.1'],
    [{ '1': '4', '2': 3 }, 'ratings.1'],
    [{ '1': 4 }, 'ratings.2'],
    [{ '1': 4, '2': 3, '3': 1 }, 'ratings.3'],
    [[4, 3], 'ratings.1'],
    [null, 'ratings.1'],
  ])('ratings %j: the problem names %s', (ratings, field) => {
    expect(answerProblem(['1', '2'], ratings, undefined, false)?.field).toBe(field);
  });

  it('a comment is optional for a reaction, an example of 10–2000 characters for behaviour', () => {
    const ok = { 'M.1': 4 };
    expect(answerProblem(['M.1'], ok, undefined, false)).toBeNull();
    expect(answerProblem(['M.1'], ok, 'x'.repeat(2001), false)?.variant).toBe('comment');
    expect(answerProblem(['M.1'], ok, 42, false)?.variant).toBe('comment');
    expect(answerProblem(['M.1'], ok, undefined, true)?.variant).toBe('example');
    expect(answerProblem(['M.1'], ok, '   pendek   ', true)?.variant).toBe('example');
    expect(answerProblem(['M.1'], ok, 'Menolak gratifikasi.', true)).toBeNull();
  });

  it('a reaction keeps the date only; the year is Jakarta’s', () => {
    expect(dayOf(new Date('2026-12-04T15:47:15.123Z')).toISOString()).toBe(
      '2026-12-04T00:00:00.000Z',
    );
    expect(jakartaYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect(jakartaYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
  });

  it('a mean is shown from 5 answers, rounded to two places', () => {
    expect(meanOrNull(73, 20, 5)).toBe(3.65);
    expect(meanOrNull(20, 4, 4)).toBeNull();
    expect(meanOrNull(0, 0, 5)).toBeNull();
  });
});
