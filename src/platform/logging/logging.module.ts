import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../config/app-config.js';
import { redactUrl } from './redact-url.js';

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
          // The liveness probe is polled every few seconds and says nothing: not even a
          // child logger is made for it.
          exclude: [{ path: 'health/live', method: RequestMethod.GET }],
          pinoHttp: [
            {
              level: config.logLevel,
              // Fastify already gave the request an id (from X-Request-Id or a new UUID).
              genReqId: (req: IncomingMessage & { id?: unknown }) =>
                (req.id as string | undefined) ?? randomUUID(),
              // One short line per request (what an operator follows a request by), not every
              // header both ways: at an exam's thousands of requests a second that is the cost;
              // and no header means no token or cookie in the log.
              serializers: {
                req: (req: {
                  id: unknown;
                  method: string;
                  url: string;
                  remoteAddress?: string;
                }) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
                  remoteAddress: req.remoteAddress,
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
            },
            // Written off the event loop (libuv's threads), lines batched while a write is
            // under way: a synchronous write per line would hold every request behind the disk.
            pino.destination({ dest: 1, sync: false }),
          ],
        }),
      ],
    };
  }
}
