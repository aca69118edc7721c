import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { rateLimit, type RateLimit } from '../platform/redis/rate-limit.js';
import { REDIS } from '../platform/redis/redis.token.js';

const throttleError = errorFamily({ 'verify.throttled': 'too_many' });

/**
 * Limits the public verification routes (JSON, page, status lists) per IP and minute
 * (`VERIFY_RATE_LIMIT`): a person scanning QR codes never meets it, a script walking codes
 * or scraping names does. Shared by every instance through Redis, per instance without it,
 * like the login and answer limits; beyond it a 429 with `Retry-After`.
 */
@Injectable()
export class VerifyThrottleGuard implements CanActivate {
  private readonly perIp: RateLimit;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    this.perIp = rateLimit(config, redis, 'verify-ip', config.verifyRateLimitPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const ip = context.switchToHttp().getRequest<FastifyRequest>().ip;
    const seconds = await this.perIp.hit(ip || 'unknown');
    if (seconds === null) return true;
    throw throttleError('verify.throttled', { params: { seconds } });
  }
}
