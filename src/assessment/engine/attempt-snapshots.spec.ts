import type { QuestionVersion } from '../banks/question-bank.entity.js';
import { AttemptSnapshots, type AttemptSnapshot, UsedVersions } from './attempt-snapshots.js';

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

describe('UsedVersions', () => {
  const aVersion = (questionId: string, usedAt: Date | null) =>
    ({ questionId, version: 1, usedAt, definition: {} }) as QuestionVersion;

  it('keeps only versions marked used: an unused one may still be edited in place', () => {
    const versions = new UsedVersions(2);
    versions.remember(aVersion('q1', null));
    expect(versions.get('q1:1')).toBeUndefined();
    versions.remember(aVersion('q1', new Date()));
    expect(versions.get('q1:1')?.questionId).toBe('q1');
  });

  it('keeps at most its capacity, dropping the least recently used first', () => {
    const versions = new UsedVersions(2);
    for (const id of ['q1', 'q2']) versions.remember(aVersion(id, new Date()));
    versions.get('q1:1');
    versions.remember(aVersion('q3', new Date()));
    expect(versions.get('q2:1')).toBeUndefined();
    expect(versions.get('q1:1')).toBeDefined();
    expect(versions.get('q3:1')).toBeDefined();
  });
});
