import {
  applyOrder,
  shufflesLists,
  shuffledLists,
  countingAttempt,
  deadlineOf,
  drawFrom,
  resultOf,
  reviewNow,
  anotherTryPossible,
  shuffled,
} from './attempt-rules.js';

describe('attempt rules', () => {
  it('draws distinct questions and shuffles every element into play', () => {
    const pool = Array.from({ length: 30 }, (_, i) => i);
    const drawn = drawFrom(pool, 20);
    expect(new Set(drawn).size).toBe(20);
    expect(drawFrom(pool, 40)).toHaveLength(30);
    // A fixed "random" that always picks the first slot reverses nothing but rotates.
    expect(shuffled([1, 2, 3], () => 0)).toEqual([2, 3, 1]);
  });

  it('applies a stored order to the lists of a view', () => {
    const view = { options: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], other: 1 };
    expect(applyOrder(view, { options: ['c', 'a', 'b'] })).toEqual({
      options: [{ id: 'c' }, { id: 'a' }, { id: 'b' }],
      other: 1,
    });
  });

  it('ends at the earlier of the time limit and the closing time', () => {
    const start = new Date('2026-11-28T08:00:00Z');
    expect(deadlineOf(start, 60, null)).toEqual(new Date('2026-11-28T09:00:00Z'));
    expect(deadlineOf(start, 60, new Date('2026-11-28T08:30:00Z'))).toEqual(
      new Date('2026-11-28T08:30:00Z'),
    );
    expect(deadlineOf(start, null, null)).toBeNull();
  });

  it('computes the result, and no pass while an essay waits', () => {
    expect(
      resultOf(
        [
          { points: 1, score: 1 },
          { points: 2, score: 0.5 },
          { points: 1, score: 0 },
        ],
        37.5,
      ),
    ).toEqual({ score: 1.5, maxScore: 4, percent: 37.5, passed: true, complete: true });
    expect(
      resultOf(
        [
          { points: 1, score: 1 },
          { points: 1, score: null },
        ],
        10,
      ),
    ).toMatchObject({
      passed: false,
      complete: false,
    });
    expect(resultOf([], 0).percent).toBe(0);
  });

  it('holds reviews while open and, when asked, until the window closes', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const base = { finished: true, reviewAfterClose: false, closesAt: null, now };
    expect(reviewNow('feedback', { ...base, finished: false })).toBe('none');
    expect(reviewNow('feedback', base)).toBe('feedback');
    expect(
      reviewNow('score', { ...base, reviewAfterClose: true, closesAt: new Date('2026-11-29') }),
    ).toBe('none');
    expect(
      reviewNow('score', { ...base, reviewAfterClose: true, closesAt: new Date('2026-11-27') }),
    ).toBe('score');
  });

  it('holds the right answers while the candidate may try again: an open attempt, a try left, the window open', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const done = { status: 'graded', voidedFor: null };
    const two = { maxAttempts: 2, closesAt: null };
    expect(anotherTryPossible([done], two, now)).toBe(true);
    expect(anotherTryPossible([done, done], two, now)).toBe(false);
    expect(anotherTryPossible([done, { status: 'in_progress', voidedFor: null }], two, now)).toBe(
      true,
    );
    // A void for a switched-off sector gives the try back; one for misconduct does not.
    expect(anotherTryPossible([done, { status: 'voided', voidedFor: 'sector' }], two, now)).toBe(
      true,
    );
    expect(
      anotherTryPossible([done, { status: 'voided', voidedFor: 'misconduct' }], two, now),
    ).toBe(false);
    // Unlimited tries: only the window's close ends them.
    expect(anotherTryPossible([done], { maxAttempts: 0, closesAt: null }, now)).toBe(true);
    expect(
      anotherTryPossible([done], { maxAttempts: 0, closesAt: new Date('2026-11-27') }, now),
    ).toBe(false);
    const base = { finished: true, reviewAfterClose: false, closesAt: null, now };
    expect(reviewNow('answers', { ...base, anotherTry: true })).toBe('feedback');
    expect(reviewNow('answers', { ...base, anotherTry: false })).toBe('answers');
    expect(reviewNow('feedback', { ...base, anotherTry: true })).toBe('feedback');
  });

  it('counts the highest or the last finished attempt', () => {
    const attempts = [
      { number: 1, percent: 80 },
      { number: 2, percent: 60 },
      { number: 3, percent: null },
    ];
    expect(countingAttempt(attempts, 'highest')?.number).toBe(1);
    expect(countingAttempt(attempts, 'last')?.number).toBe(2);
    expect(countingAttempt([{ number: 1, percent: null }], 'last')).toBeUndefined();
  });

  it('shuffles the lists of every question unless it asks for its order', () => {
    expect(shufflesLists({ options: [] })).toBe(true);
    expect(shufflesLists({ options: [], fixedOrder: false })).toBe(true);
    expect(shufflesLists({ options: [], fixedOrder: 'yes' })).toBe(true);
    expect(shufflesLists({ options: [], fixedOrder: true })).toBe(false);
    expect(shufflesLists(null)).toBe(true);
  });

  it("keeps a fixed order for choices and steps, never for a matching question's right column", () => {
    expect(shuffledLists({ left: [], right: [] })).toEqual(['options', 'right', 'items']);
    expect(shuffledLists({ left: [], right: [], fixedOrder: true })).toEqual(['right']);
  });
});
