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
  const limiter = sharedLimiter(config, redis, name, points, durationSeconds);
  return {
    async hit(key) {
      return waitSeconds(await consumed(limiter, key));
    },
  };
}

/**
 * The rate-limiter-flexible limiter behind {@link rateLimit}, for callers that also give
 * points back or clear a key (the login throttle): in Redis when configured, with the
 * instance's memory as fallback while Redis is unreachable.
 */
export function sharedLimiter(
  config: AppConfig,
  redis: Redis | null,
  name: string,
  points: number,
  durationSeconds: number,
): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });
  return redis
    ? new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.redisPrefix}:${name}`,
        points,
        duration: durationSeconds,
        insuranceLimiter: memory,
      })
    : memory;
}

/** Consumes one point: null while within the limit, else the rejection (with its wait). */
export async function consumed(
  limiter: RateLimiterAbstract,
  key: string,
): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return rejection;
  }
}

/** Whole seconds to wait after a rejection (at least 1); null without one. */
export function waitSeconds(rejection: RateLimiterRes | null): number | null {
  return rejection ? Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) : null;
}
