import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import handlebars from 'handlebars';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module.js';
import { probeDatabase } from './database/probe.js';
import { assertMigrated } from './database/pending-migrations.js';
import type { AppConfig } from './config/app-config.js';
import { assetsRoot, templatesRoot } from './config/paths.js';
import { CORE_VERSION } from './registry/core-version.js';
import { createValidationPipe } from './platform/http/validation.js';
import { setupWeb } from './platform/web/web-setup.js';
import { ConnectionDrain } from './platform/http/connection-drain.js';
import { installHttpMetrics } from './platform/metrics/metrics.module.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the configured app without listening: used by main.ts and by the tests. */
export async function createApp(
  given: AppConfig,
  sectors: readonly Type[],
): Promise<NestFastifyApplication> {
  const config = await probeDatabase(given);
  await assertMigrated(config, sectors);
  const adapter = new FastifyAdapter({
    bodyLimit: 5 * 1024 * 1024,
    trustProxy: true,
    // On SIGTERM: finish the requests in progress, close idle keep-alive connections, and
    // answer new requests on open connections with 503 (the load balancer retries elsewhere).
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Keep a caller's request id when it is sane, so logs can be followed across services.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
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

  installHttpMetrics(app);
  const fastify = app.getHttpAdapter().getInstance();
  const drain = app.get(ConnectionDrain);
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (drain.draining) reply.header('connection', 'close');
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyStatic, {
    root: assetsRoot,
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1d',
  });
  await setupWeb(app, config);
  app.setViewEngine({
    engine: { handlebars },
    templates: templatesRoot,
    layout: 'layouts/main.hbs',
    includeViewExtension: true,
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Sertifikasi ASN API')
      .setDescription('Competency development and certification for the ASN of Padangsidempuan')
      .setVersion(CORE_VERSION)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  await app.init();
  return app;
}
