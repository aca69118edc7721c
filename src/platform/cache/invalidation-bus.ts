import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { REDIS } from '../redis/redis.token.js';

/** What an instance publishes for the others to forget a cached key. */
interface InvalidationMessage {
  channel: string;
  key: string;
}

function isInvalidationMessage(message: unknown): message is InvalidationMessage {
  const m = message as Partial<InvalidationMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.channel === 'string' &&
    typeof m.key === 'string'
  );
}

type Handler = (key: string) => void;

/**
 * Tells every instance of the app to forget a cached key, for caches kept in each process's
 * memory. The key is forgotten here at once; the others hear of it through Redis pub/sub
 * (each instance, each WORKERS process, subscribes). Without Redis there is one process only
 * (app-config refuses WORKERS > 1 without it). A message lost while Redis is away is not
 * replayed: caches on this bus keep entries for seconds only.
 */
@Injectable()
export class InvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('InvalidationBus');
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly redisChannel: string;
  private subscriber: Redis | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redisChannel = `${config.redisPrefix}:invalidate`;
  }

  onModuleInit(): void {
    if (this.redis) this.subscribeToRedis(this.redis);
  }

  async onApplicationShutdown(): Promise<void> {
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
    const message: InvalidationMessage = { channel, key };
    this.redis?.publish(this.redisChannel, JSON.stringify(message)).catch((error: Error) => {
      this.logger.warn(`invalidation not published: ${error.message}`);
    });
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
