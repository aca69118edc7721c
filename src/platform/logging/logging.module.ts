import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
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
          // Every path: the library's default route pattern matches none under Fastify's
          // middleware layer, which left the app with no request log at all.
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
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
            // The middleware layer strips the matched path from req.url: the original is kept.
            autoLogging: {
              ignore: (req) =>
                ((req as { originalUrl?: string }).originalUrl ?? req.url) === '/health/live',
            },
            // One short line per request (what an operator follows a request by), not every
            // header both ways: at an exam's thousands of requests a second that is the cost.
            serializers: {
              req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
                remoteAddress: req.remoteAddress,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
    };
  }
}
