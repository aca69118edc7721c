import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { InvalidationBus } from '../cache/invalidation-bus.js';
import { ReadCache } from './read-cache.js';
import { REDIS } from './redis.token.js';

export { REDIS };

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * Optional Redis: rate-limit counters, the read cache and cache invalidations shared by every
 * instance. Redis being down never takes the app down: callers fall back to per-instance state
 * and say so in the log.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.redisUrl) return null;
        const logger = new Logger('Redis');
        const redis = new Redis(config.redisUrl, {
          // Fail a command quickly rather than hold a request while Redis is away.
          maxRetriesPerRequest: 1,
          enableOfflineQueue: true,
          connectTimeout: 2000,
        });
        redis.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
        return redis;
      },
    },
    RedisCloser,
    ReadCache,
    InvalidationBus,
  ],
  exports: [REDIS, ReadCache, InvalidationBus],
})
export class RedisModule {}
