import { AttemptSnapshots, type AttemptSnapshot } from './attempt-snapshots.js';

const aSnapshot = (userId: string): AttemptSnapshot => ({ userId, items: new Map() });

describe('AttemptSnapshots', () => {
  it('keeps at most its capacity, dropping the least recently used first', () => {
    const cache = new AttemptSnapshots(2);
    cache.set('a', aSnapshot('u1'));
    cache.set('b', aSnapshot('u2'));
    expect(cache.get('a')?.userId).toBe('u1'); // a is now the most recent
    cache.set('c', aSnapshot('u3'));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.userId).toBe('u1');
    expect(cache.get('c')?.userId).toBe('u3');
  });

  it('replaces an entry set again without growing', () => {
    const cache = new AttemptSnapshots(2);
    cache.set('a', aSnapshot('u1'));
    cache.set('a', aSnapshot('u1'));
    expect(cache.size).toBe(1);
  });
});
