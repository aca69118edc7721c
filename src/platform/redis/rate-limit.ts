import type { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config.js';

/** A limit of some hits per key within a window (login attempts, answer saves). */
export interface RateLimit {
  /** Counts one hit for `key`: null while within the limit, else the seconds to wait. */
  hit(key: string): Promise<number | null>;
}

/**
 * A rate limit shared by every instance through Redis (rate-limiter-flexible's Redis store,
 * keys `<REDIS_PREFIX>:<name>:<key>`); while Redis is unreachable, or without it, each
 * instance counts in its own memory.
 */
export function rateLimit(
  config: AppConfig,
  redis: Redis | null,
  name: string,
  points: number,
  durationSeconds = 60,
): RateLimit {
  const memory = new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.redisPrefix}:${name}`,
        points,
        duration: durationSeconds,
        insuranceLimiter: memory,
      })
    : memory;
  return {
    async hit(key) {
      try {
        await limiter.consume(key);
        return null;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      }
    },
  };
}
