import type { InvalidationBus } from './invalidation-bus.js';

interface Entry<V> {
  value: V;
  expires: number;
}

/** The key that forgets every entry of a cache at once. */
export const EVERY_KEY = '*';

/**
 * A read-through cache in this process's memory for rows read on every request of an exam
 * morning (an assessment's settings, its draw pool, the sectors' states): a few seconds per
 * entry, one load at a time per key however many requests miss together, and forgotten at
 * once in every instance through the {@link InvalidationBus} when the service that writes
 * the rows invalidates. The TTL bounds what a lost invalidation or a writer outside those
 * services can leave stale; values are shared between callers and must not be mutated.
 */
export class LocalCache<V> {
  /** The clock, replaceable in tests. */
  now: () => number = Date.now;
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, Promise<V>>();
  /** Raised by every invalidation: a load that began before one must not store what it read. */
  private generation = 0;

  constructor(
    private readonly bus: InvalidationBus,
    private readonly channel: string,
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
  ) {
    bus.on(channel, (key) => this.forget(key));
  }

  /** The cached value of `key`, or what `load` reads (once for all callers waiting on it). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) return Promise.resolve(entry.value);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const loaded = load().then(
      (value) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        if (generation === this.generation) this.store(key, value);
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  /** Forgets `key` (or {@link EVERY_KEY}: everything) here and in every other instance. */
  invalidate(key: string): void {
    this.bus.publish(this.channel, key);
  }

  private forget(key: string): void {
    this.generation += 1;
    if (key === EVERY_KEY) {
      this.entries.clear();
      this.loading.clear();
      return;
    }
    this.entries.delete(key);
    this.loading.delete(key);
  }

  private store(key: string, value: V): void {
    this.entries.delete(key); // re-inserted last: the oldest entry is the first to go
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
