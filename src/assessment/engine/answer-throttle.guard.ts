import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { errorFamily } from '../../platform/http/domain-error.js';
import { rateLimit, type RateLimit } from '../../platform/redis/rate-limit.js';
import { REDIS } from '../../platform/redis/redis.token.js';

const throttleError = errorFamily({ 'attempt.throttled': 'too_many' });

/**
 * Limits a candidate's answer-save requests per minute (`ANSWER_RATE_LIMIT`), generously: an
 * honest candidate never meets it, a script hammering the save endpoints does. Shared by every
 * instance through Redis, per instance without it, like the login limits. A guard on the save
 * routes (API, autosave, page form) rather than in AttemptsService: one request is one hit,
 * however many answers a page form carries, and the server's own demo data is not counted.
 */
@Injectable()
export class AnswerThrottleGuard implements CanActivate {
  private readonly perUser: RateLimit;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    this.perUser = rateLimit(config, redis, 'answer-user', config.answerRateLimitPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Runs after the global AccessGuard, so the caller is known.
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) return true;
    const seconds = await this.perUser.hit(user.id);
    if (seconds === null) return true;
    throw throttleError('attempt.throttled', { params: { seconds } });
  }
}
