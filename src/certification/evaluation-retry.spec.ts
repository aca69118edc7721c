import { retryDueAt } from './certificate-issuer.js';

describe('retryDueAt', () => {
  const at = new Date('2026-12-04T08:00:00Z');
  const due = (tries: number) => (retryDueAt({ tries, lastFailedAt: at }) - at.getTime()) / 60_000;

  it('tries a first failure again at the next tick, then 1, 2, 4… minutes later', () => {
    expect([1, 2, 3, 4, 5].map(due)).toEqual([0, 1, 2, 4, 8]);
  });

  it('never waits more than a day', () => {
    expect(due(12)).toBe(1024);
    expect(due(13)).toBe(24 * 60);
    expect(due(400)).toBe(24 * 60);
  });
});
