import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { errorFamily } from '../http/domain-error.js';
import { REDIS } from '../redis/redis.token.js';

const throttleError = errorFamily({ 'auth.throttled': 'too_many' });

/**
 * Limits login attempts per IP and per username within a minute. With Redis the counters are
 * shared by every instance (rate-limiter-flexible's Redis store); while Redis is unreachable,
 * or without it, each instance counts on its own.
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: RateLimiterAbstract;
  private readonly perAccount: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    const limiter = (keyPrefix: string, points: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration: 60 });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.redisPrefix}:${keyPrefix}`,
        points,
        duration: 60,
        insuranceLimiter: memory,
      });
    };
    this.perIp = limiter('login-ip', config.loginRateLimitPerIp);
    this.perAccount = limiter('login-user', config.loginRateLimitPerAccount);
  }

  /** Counts one attempt; throws a 429 domain error when either limit is spent. */
  async attempt(ip: string | null, username: string): Promise<void> {
    try {
      await this.perAccount.consume(username.trim().toLowerCase());
      await this.perIp.consume(ip ?? 'unknown');
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.ceil(rejection.msBeforeNext / 1000);
      throw throttleError(
        'auth.throttled',
        `Terlalu banyak percobaan masuk; coba lagi dalam ${seconds} detik`,
        undefined,
        { seconds },
      );
    }
  }
}
