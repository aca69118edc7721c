import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import cluster from 'node:cluster';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { REDIS } from '../redis/redis.token.js';
import { isInvalidationMessage, type InvalidationMessage } from './invalidation-message.js';

export { relayInvalidations } from './invalidation-message.js';

type Handler = (key: string) => void;

/**
 * Tells every instance of the app to forget a cached key, for caches kept in each process's
 * memory. The key is forgotten here at once; the others hear of it through Redis pub/sub when
 * Redis is configured (each instance, each cluster worker, subscribes), else through the
 * cluster primary (see {@link relayInvalidations}); a single process needs neither. A message
 * lost while Redis is away is not replayed: caches on this bus keep entries for seconds only.
 */
@Injectable()
export class InvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('InvalidationBus');
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly redisChannel: string;
  private subscriber: Redis | null = null;
  private readonly fromPrimary = (message: unknown) => {
    if (isInvalidationMessage(message)) this.deliver(message.channel, message.key);
  };

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redisChannel = `${config.redisPrefix}:invalidate`;
  }

  onModuleInit(): void {
    if (this.redis) this.subscribeToRedis(this.redis);
    else if (cluster.isWorker) process.on('message', this.fromPrimary);
  }

  async onApplicationShutdown(): Promise<void> {
    process.off('message', this.fromPrimary);
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Calls `handler` with each key invalidated on `channel`, in any instance. */
  on(channel: string, handler: Handler): void {
    const set = this.handlers.get(channel) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(channel, set);
  }

  /** Forgets `key` on `channel` here at once, and tells the other instances. */
  publish(channel: string, key: string): void {
    this.deliver(channel, key);
    const message: InvalidationMessage = { type: 'sa:invalidate', channel, key };
    if (this.redis) {
      this.redis.publish(this.redisChannel, JSON.stringify(message)).catch((error: Error) => {
        this.logger.warn(`invalidation not published: ${error.message}`);
      });
    } else if (cluster.isWorker && process.send) {
      process.send(message);
    }
  }

  private deliver(channel: string, key: string): void {
    for (const handler of this.handlers.get(channel) ?? []) handler(key);
  }

  private subscribeToRedis(redis: Redis): void {
    // A subscribed connection can do nothing else: a connection of its own.
    const subscriber = redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    subscriber.on('message', (_channel: string, raw: string) => {
      try {
        const message: unknown = JSON.parse(raw);
        if (isInvalidationMessage(message)) this.deliver(message.channel, message.key);
      } catch {
        this.logger.warn('malformed invalidation message ignored');
      }
    });
    subscriber.subscribe(this.redisChannel).catch((error: Error) => {
      this.logger.warn(`not subscribed to invalidations: ${error.message}`);
    });
  }
}
