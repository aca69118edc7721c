import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../config/app-config.js';

/** Structured JSON logs (pretty only if piped through pino-pretty), one line per request with its id. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Fastify already gave the request an id (from X-Request-Id or a new UUID).
            genReqId: (req: IncomingMessage & { id?: unknown }) =>
              (req.id as string | undefined) ?? randomUUID(),
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'res.headers["set-cookie"]',
              ],
              censor: '[redacted]',
            },
            autoLogging: { ignore: (req) => req.url === '/health/live' },
          },
        }),
      ],
    };
  }
}
