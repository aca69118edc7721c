import { joinedBuses } from '../../../test/helpers/buses.js';
import type { InvalidationBus } from './invalidation-bus.js';
import { EVERY_KEY, LocalCache } from './local-cache.js';

describe('LocalCache', () => {
  const joined = joinedBuses();
  let time: { now: number };
  let reads: number;
  const cacheOn = (bus: InvalidationBus) => {
    const cache = new LocalCache<string>(bus, 'rows', 2_000, 2);
    cache.now = () => time.now;
    return cache;
  };
  const read = (value: string) => async () => {
    reads += 1;
    return value;
  };

  beforeEach(() => {
    time = { now: 1_000_000 };
    reads = 0;
  });

  it('reads once within the TTL and again after it', async () => {
    const cache = cacheOn(joined());
    expect(await cache.get('a', read('v1'))).toBe('v1');
    time.now += 1_999;
    expect(await cache.get('a', read('v2'))).toBe('v1');
    time.now += 1;
    expect(await cache.get('a', read('v2'))).toBe('v2');
    expect(reads).toBe(2);
  });

  it('loads once for every caller that misses at the same moment', async () => {
    const cache = cacheOn(joined());
    let release!: (value: string) => void;
    const slow = () => {
      reads += 1;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const waiting = Promise.all([1, 2, 3].map(() => cache.get('a', slow)));
    release('v1');
    expect(await waiting).toEqual(['v1', 'v1', 'v1']);
    expect(reads).toBe(1);
  });

  it('forgets a key in every instance when one invalidates it, and everything with *', async () => {
    const [here, there] = [cacheOn(joined()), cacheOn(joined())];
    await here.get('a', read('v1'));
    await there.get('a', read('v1'));
    here.invalidate('a');
    expect(await there.get('a', read('v2'))).toBe('v2');
    expect(await here.get('a', read('v2'))).toBe('v2');
    await here.get('b', read('b1'));
    there.invalidate(EVERY_KEY);
    expect(await here.get('a', read('v3'))).toBe('v3');
    expect(await here.get('b', read('b2'))).toBe('b2');
  });

  it('does not keep what a load read before an invalidation that came while it ran', async () => {
    const cache = cacheOn(joined());
    let release!: (value: string) => void;
    const before = cache.get('a', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate('a');
    // A caller after the invalidation does not wait for the older load.
    expect(await cache.get('a', read('fresh'))).toBe('fresh');
    release('stale');
    expect(await before).toBe('stale');
    time.now += 1;
    expect(await cache.get('a', read('never'))).toBe('fresh');
  });

  it('does not keep a failed load, and keeps no more than its capacity', async () => {
    const cache = cacheOn(joined());
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('a', read('v1'))).toBe('v1');
    await cache.get('b', read('b1'));
    await cache.get('c', read('c1'));
    // Capacity 2: the oldest ('a') went.
    expect(await cache.get('a', read('v2'))).toBe('v2');
  });
});
