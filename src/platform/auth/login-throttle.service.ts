import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { errorFamily } from '../http/domain-error.js';

const throttleError = errorFamily({ 'auth.throttled': 'too_many' });

/**
 * Limits login attempts per IP and per username within a minute. Counters live in this
 * process; a shared store (Redis) is the operations work's to plug in for several instances.
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: RateLimiterMemory;
  private readonly perAccount: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.perIp = new RateLimiterMemory({
      keyPrefix: 'login-ip',
      points: config.loginRateLimitPerIp,
      duration: 60,
    });
    this.perAccount = new RateLimiterMemory({
      keyPrefix: 'login-user',
      points: config.loginRateLimitPerAccount,
      duration: 60,
    });
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
