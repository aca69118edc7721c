import { Injectable } from '@nestjs/common';
import { InvalidationBus } from '../cache/invalidation-bus.js';
import type { AuthUser } from './auth-user.js';

/** What the guard needs of a user row to accept a token. */
export interface TokenHolder {
  user: AuthUser;
  active: boolean;
  sessionVersion: number;
}

interface Entry extends TokenHolder {
  expires: number;
}

const CHANNEL = 'auth-user';

/**
 * The users behind access tokens, kept a few seconds so that a burst of requests (an exam's
 * answer saves) does not reload the same user each time. A hit counts only while the token's
 * session version equals the cached one. Ending a user's sessions (logout, password change,
 * deactivation, role or sector change) forgets the user at once in every instance (see
 * {@link InvalidationBus}); any other change to the row shows within the TTL.
 */
@Injectable()
export class AuthUserCache {
  static readonly TTL_MS = 5_000;
  static readonly MAX_ENTRIES = 10_000;

  /** The clock, replaceable in tests. */
  now: () => number = Date.now;
  private readonly entries = new Map<string, Entry>();
  /** Raised by every invalidation: a load that began before one must not store what it read. */
  private generation = 0;

  constructor(private readonly bus: InvalidationBus) {
    bus.on(CHANNEL, (id) => this.forget(id));
  }

  /** The cached holder of a token with session version `sv`; undefined: read the database. */
  get(id: string, sv: unknown): TokenHolder | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.sessionVersion === sv ? entry : undefined;
  }

  /**
   * Loads a user through `load` and keeps the result, unless an invalidation happened
   * meanwhile (the row read may predate it).
   */
  async load(id: string, load: () => Promise<TokenHolder | null>): Promise<TokenHolder | null> {
    const generation = this.generation;
    const holder = await load();
    if (holder && generation === this.generation) this.store(id, holder);
    return holder;
  }

  /** Forgets users here and in every other instance. */
  invalidate(ids: string | readonly string[]): void {
    for (const id of typeof ids === 'string' ? [ids] : ids) this.bus.publish(CHANNEL, id);
  }

  private forget(id: string): void {
    this.generation += 1;
    this.entries.delete(id);
  }

  private store(id: string, holder: TokenHolder): void {
    this.entries.delete(id); // re-inserted last: the oldest entry is the first to go
    this.entries.set(id, { ...holder, expires: this.now() + AuthUserCache.TTL_MS });
    if (this.entries.size > AuthUserCache.MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
