import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { REDIS } from './redis.token.js';

/** Without Redis, another instance cannot tell this one to forget: keep entries briefly. */
const LOCAL_TTL_SECONDS = 30;

interface Space {
  entries: Map<string, { value: string; expires: number }>;
}

/**
 * A cache for read-mostly data (standards, catalogues). Values are stored as JSON, so they
 * come back the same from Redis or from memory. Each namespace has a version number in
 * Redis; `invalidate` bumps it, so every instance stops using the old entries at once.
 * Without Redis the cache lives in this process, and an entry lives at most 30 s.
 */
@Injectable()
export class ReadCache {
  private readonly logger = new Logger('ReadCache');
  private readonly local = new Map<string, Space>();
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.prefix = `${config.redisPrefix}:cache`;
  }

  async get<T>(
    namespace: string,
    key: string,
    load: () => Promise<T>,
    ttlSeconds = 300,
  ): Promise<T> {
    if (!this.redis)
      return this.getLocal(namespace, key, load, Math.min(ttlSeconds, LOCAL_TTL_SECONDS));
    let redisKey: string;
    try {
      const version = (await this.redis.get(`${this.prefix}:${namespace}:v`)) ?? '0';
      redisKey = `${this.prefix}:${namespace}:${version}:${key}`;
      const hit = await this.redis.get(redisKey);
      if (hit !== null) return JSON.parse(hit) as T;
    } catch (error) {
      this.logger.warn(`cache read skipped: ${(error as Error).message}`);
      return load();
    }
    const value = await load();
    this.redis.set(redisKey, JSON.stringify(value), 'EX', ttlSeconds).catch((error: Error) => {
      this.logger.warn(`cache write skipped: ${error.message}`);
    });
    return value;
  }

  /** Forgets a namespace in every instance (with Redis) or in this one. */
  async invalidate(namespace: string): Promise<void> {
    this.local.delete(namespace);
    if (!this.redis) return;
    try {
      await this.redis.incr(`${this.prefix}:${namespace}:v`);
    } catch (error) {
      this.logger.warn(`cache invalidation failed: ${(error as Error).message}`);
    }
  }

  private async getLocal<T>(namespace: string, key: string, load: () => Promise<T>, ttl: number) {
    const space = this.local.get(namespace) ?? { entries: new Map() };
    this.local.set(namespace, space);
    const hit = space.entries.get(key);
    if (hit && hit.expires > Date.now()) return JSON.parse(hit.value) as T;
    const value = await load();
    // Only if nobody invalidated the namespace meanwhile.
    if (this.local.get(namespace) === space)
      space.entries.set(key, { value: JSON.stringify(value), expires: Date.now() + ttl * 1000 });
    return value;
  }
}
