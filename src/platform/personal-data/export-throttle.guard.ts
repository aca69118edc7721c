import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AuthUser } from '../auth/auth-user.js';
import { errorFamily } from '../http/domain-error.js';
import { rateLimit, type RateLimit } from '../redis/rate-limit.js';
import { REDIS } from '../redis/redis.token.js';

const throttleError = errorFamily({ 'export.throttled': 'too_many' });

/** Exports a person may make in {@link WINDOW_SECONDS}: enough for a retry, not for a loop. */
export const EXPORTS_PER_WINDOW = 5;
const WINDOW_SECONDS = 600;

/**
 * Limits the personal export (it reads every domain and zips the lot) per person, shared
 * by every instance through Redis like the login, answer and verify limits; beyond it a
 * 429 with `Retry-After`.
 */
@Injectable()
export class ExportThrottleGuard implements CanActivate {
  private readonly perUser: RateLimit;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    this.perUser = rateLimit(config, redis, 'export-user', EXPORTS_PER_WINDOW, WINDOW_SECONDS);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>().user;
    const seconds = await this.perUser.hit(user?.id ?? 'anonymous');
    if (seconds === null) return true;
    throw throttleError('export.throttled', { params: { seconds } });
  }
}
