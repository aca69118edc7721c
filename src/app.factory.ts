import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import handlebars from 'handlebars';
import { Logger } from 'nestjs-pino';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AppModule } from './app.module.js';
import { probeDatabase } from './database/probe.js';
import { withBootLease } from './database/boot-lease.js';
import pino from 'pino';
import { assertMigrated } from './database/pending-migrations.js';
import type { AppConfig } from './config/app-config.js';
import { assetsRoot, templatesRoot } from './config/paths.js';
import { createValidationPipe } from './platform/http/validation.js';
import { HttpExceptionFilter } from './platform/http/http-exception.filter.js';
import { createOpenApiDocument } from './platform/http/openapi.js';
import { useJsonBodyParser } from './platform/http/json-body.js';
import { setupWeb } from './platform/web/web-setup.js';
import { ConnectionDrain } from './platform/http/connection-drain.js';
import { installHttpMetrics } from './platform/metrics/metrics.module.js';
import { installSecurityHeaders } from './platform/http/security-headers.js';
import { installCompression } from './platform/http/compression.js';
import { AssetCatalogue, registerAssetHelper, serveAssets } from './platform/web/assets.js';
import { serveFavicon } from './platform/web/favicon.js';
import { IconSet, registerIconHelper } from './platform/web/icons.js';
import openApiMetadata from './metadata.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BODY_LIMIT = 5 * 1024 * 1024;

/** Builds the configured app without listening: used by main.ts and by the tests. */
export async function createApp(
  given: AppConfig,
  sectors: readonly Type[],
): Promise<NestFastifyApplication> {
  const config = await probeDatabase(given);
  // Before the app's own logger exists: the same JSON lines, written at once.
  const log = pino({ level: config.logLevel, base: { pid: process.pid, context: 'BootLease' } });
  // Instances starting together on one database do the start-up work one at a time: from
  // the migrations (run by the data source's initialisation) to the end of the modules'
  // bootstrap hooks (content sync, seeding), all inside `build`.
  return withBootLease(
    config,
    {
      info: (message) => log.info(message),
      warn: (message) => log.warn(message),
      error: (message) => log.error(message),
    },
    () => build(config, sectors),
  );
}

async function build(config: AppConfig, sectors: readonly Type[]): Promise<NestFastifyApplication> {
  await assertMigrated(config, sectors);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    // On SIGTERM: finish the requests in progress, close idle keep-alive connections, and
    // answer new requests on open connections with 503 (the load balancer retries elsewhere).
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Keep a caller's request id when it is sane, so logs can be followed across services.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Errors the router raises before any handler (a path parameter over 100 characters, a
    // malformed %-escape): Fastify's own answer echoes the whole URL, without a request id.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const body = new HttpExceptionFilter().toBody(error, request);
      void reply.status(body.statusCode).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, sectors }),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.useGlobalPipes(createValidationPipe());
  useJsonBodyParser(app, BODY_LIMIT);

  installHttpMetrics(app);
  const fastify = app.getHttpAdapter().getInstance();
  const drain = app.get(ConnectionDrain);
  // Callback-style, like the other per-request hooks: an async hook costs a promise each time.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (drain.draining) reply.header('connection', 'close');
    done(null, payload);
  });

  installSecurityHeaders(fastify);
  // Defaults for every cookie the app sets (session, CSRF, flash message, language): never
  // readable by scripts, not sent on cross-site requests, and over HTTPS only in production.
  await app.register(fastifyCookie, {
    parseOptions: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.env === 'production',
      path: '/',
    },
  });
  // Before any route is added: the plugin hooks each route as it is registered.
  await installCompression(fastify);
  const assets = new AssetCatalogue(assetsRoot);
  if (!assets.precompressed)
    app
      .get(Logger)
      .warn(
        `Assets without current .br/.gz variants (${assets.stale.join(', ')}): compressed per request; \`npm run build\` makes them`,
      );
  await serveAssets(fastify, assets);
  serveFavicon(fastify, assets);
  registerAssetHelper(assets);
  registerIconHelper(new IconSet(join(assetsRoot, 'icons')));
  await setupWeb(app, config);
  app.setViewEngine({
    engine: { handlebars },
    templates: templatesRoot,
    layout: 'layouts/main.hbs',
    includeViewExtension: true,
  });

  // What the Swagger plugin reads from the DTOs, responses and controllers' return types
  // (`npm run openapi:metadata`): the build is plain tsc, so the plugin cannot inline it.
  await SwaggerModule.loadPluginMetadata(openApiMetadata);
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  await app.init();
  return app;
}
