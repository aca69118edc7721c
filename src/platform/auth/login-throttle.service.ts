import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { errorFamily } from '../http/domain-error.js';
import { rateLimit, type RateLimit } from '../redis/rate-limit.js';
import { REDIS } from '../redis/redis.token.js';

const throttleError = errorFamily({ 'auth.throttled': 'too_many' });

/**
 * Limits login attempts per IP and per username within a minute. With Redis the counters are
 * shared by every instance (rate-limiter-flexible's Redis store); while Redis is unreachable,
 * or without it, each instance counts on its own.
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: RateLimit;
  private readonly perAccount: RateLimit;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    this.perIp = rateLimit(config, redis, 'login-ip', config.loginRateLimitPerIp);
    this.perAccount = rateLimit(config, redis, 'login-user', config.loginRateLimitPerAccount);
  }

  /** Counts one attempt; throws a 429 domain error when either limit is spent. */
  async attempt(ip: string | null, username: string): Promise<void> {
    const seconds =
      (await this.perAccount.hit(username.trim().toLowerCase())) ??
      (await this.perIp.hit(ip ?? 'unknown'));
    if (seconds === null) return;
    throw throttleError(
      'auth.throttled',
      `Terlalu banyak percobaan masuk; coba lagi dalam ${seconds} detik`,
      undefined,
      { seconds },
    );
  }
}
