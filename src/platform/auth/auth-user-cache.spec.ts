import { joinedBuses } from '../../../test/helpers/buses.js';
import type { InvalidationBus } from '../cache/invalidation-bus.js';
import { AuthUserCache, type TokenHolder } from './auth-user-cache.js';

const aHolder = (sessionVersion = 0, extra: Partial<TokenHolder> = {}): TokenHolder => ({
  user: { id: 'u1', role: 'asn', sectors: [], name: 'Siti', mustChangePassword: false },
  active: true,
  sessionVersion,
  ...extra,
});

function cacheAt(bus: InvalidationBus, time: { now: number }) {
  const cache = new AuthUserCache(bus);
  cache.now = () => time.now;
  return cache;
}

describe('AuthUserCache', () => {
  const joined = joinedBuses();
  let time: { now: number };
  let cache: AuthUserCache;
  let reads: number;
  const read = (holder: TokenHolder | null) => async () => {
    reads += 1;
    return holder;
  };

  beforeEach(() => {
    time = { now: 1_000_000 };
    cache = cacheAt(joined(), time);
    reads = 0;
  });

  it('answers a token of the cached session version without reading again', async () => {
    expect(cache.get('u1', 0)).toBeUndefined();
    await cache.load('u1', read(aHolder(0)));
    expect(cache.get('u1', 0)).toEqual(expect.objectContaining({ sessionVersion: 0 }));
    expect(reads).toBe(1);
  });

  it('never answers a token of another session version: the database decides', async () => {
    await cache.load('u1', read(aHolder(3)));
    expect(cache.get('u1', 2)).toBeUndefined();
    expect(cache.get('u1', 4)).toBeUndefined();
    expect(cache.get('u1', '3')).toBeUndefined();
    expect(cache.get('u1', undefined)).toBeUndefined();
  });

  it('forgets an entry after its TTL', async () => {
    await cache.load('u1', read(aHolder(0)));
    time.now += AuthUserCache.TTL_MS - 1;
    expect(cache.get('u1', 0)).toBeDefined();
    time.now += 1;
    expect(cache.get('u1', 0)).toBeUndefined();
  });

  it('forgets a user at once when invalidated, in this instance and every other', async () => {
    const other = cacheAt(joined(), time);
    await cache.load('u1', read(aHolder(0)));
    await other.load('u1', read(aHolder(0)));
    other.invalidate(['u1']);
    expect(cache.get('u1', 0)).toBeUndefined();
    expect(other.get('u1', 0)).toBeUndefined();
  });

  it('does not keep a row read before an invalidation that came during the read', async () => {
    let finish!: (holder: TokenHolder) => void;
    const loading = cache.load('u1', () => new Promise((resolve) => (finish = resolve)));
    cache.invalidate('u1');
    finish(aHolder(0));
    expect(await loading).toEqual(aHolder(0)); // this request gets what it read…
    expect(cache.get('u1', 0)).toBeUndefined(); // …the next one reads again
  });

  it('keeps no entry for a user that does not exist', async () => {
    await cache.load('u1', read(null));
    expect(cache.get('u1', 0)).toBeUndefined();
  });

  it('holds at most MAX_ENTRIES users, dropping the oldest', async () => {
    for (let i = 0; i <= AuthUserCache.MAX_ENTRIES; i++)
      await cache.load(`u${i}`, read(aHolder(0)));
    expect(cache.get('u0', 0)).toBeUndefined();
    expect(cache.get('u1', 0)).toBeDefined();
    expect(cache.get(`u${AuthUserCache.MAX_ENTRIES}`, 0)).toBeDefined();
  });
});
