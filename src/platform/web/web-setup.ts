import fastifyCsrf from '@fastify/csrf-protection';
import fastifyMultipart from '@fastify/multipart';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import handlebars from 'handlebars';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AppConfig } from '../../config/app-config.js';
import { templatesRoot } from '../../config/paths.js';
import { isDatabaseUnavailable } from '../../database/db-errors.js';
import { AuthService } from '../auth/auth.service.js';
import { tDynamic } from '../i18n/i18n.js';
import {
  formatDate,
  formatDateTime,
  formatDateTimeRange,
  formatNumber,
  formatPercent,
  formatTime,
  zoneName,
} from '../i18n/local-format.js';
import type { Language } from '../http/lang.decorator.js';
import { valueHelper } from './value-helper.js';
import { ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE, sessionCookie } from './cookies.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** True for requests to the server-rendered pages (not the JSON API, docs or health). */
export function isPageRequest(url: string): boolean {
  return (
    !url.startsWith('/api/') &&
    !url.startsWith('/health') &&
    !url.startsWith('/metrics') &&
    !url.startsWith('/assets/') &&
    !url.startsWith('/favicon.ico') &&
    !url.startsWith('/.well-known/')
  );
}

/**
 * Form bodies, uploads, CSRF tokens on every page form, Handlebars helpers and partials,
 * and the silent renewal of a page session from its refresh cookie.
 */
export async function setupWeb(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const production = config.env === 'production';
  // Nest's Fastify adapter already parses urlencoded form bodies.
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 },
  });
  const auth = app.get(AuthService);
  // A form token is bound to the secret in its cookie AND to the session it was made in (the
  // signed-in session's id, or none): a token made before login, or in another user's
  // session, is refused, even when an attacker planted the cookie (ADR 0015).
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { httpOnly: true, sameSite: 'lax', secure: production, path: '/' },
    csrfOpts: { hmacKey: createHmac('sha256', config.jwtSecret).update('csrf').digest() },
    getUserInfo: (req: FastifyRequest) => csrfSession(auth, req),
    getToken: (req: FastifyRequest) =>
      (req.body as { _csrf?: string } | undefined)?._csrf ??
      (req.query as { _csrf?: string } | undefined)?._csrf ??
      (req.headers['x-csrf-token'] as string | undefined),
  });

  const fastify = app.getHttpAdapter().getInstance();

  // Raw uploads for the import API: the file as the body, as bytes, so that each reader
  // checks the encoding (a GIFT or CSV file must be UTF-8; read as a string, its bad bytes
  // had already become U+FFFD and a Latin-1 file was imported garbled).
  for (const type of [
    'text/csv',
    'text/plain',
    'application/xml',
    'text/xml',
    'application/octet-stream',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ]) {
    fastify.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
      (_req, body, done) => done(null, body),
    );
  }

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isPageRequest(request.url)) return;
    await renewSession(request, reply, auth, production, config.accessTokenTtlSeconds);
  });

  fastify.addHook(
    'preHandler',
    (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (!UNSAFE.has(request.method) || !isPageRequest(request.url)) return done();
      fastify.csrfProtection(request, reply, done);
    },
  );

  registerHelpers(config.timeZone);
  registerPartials(join(templatesRoot, 'partials'));
}

/** What a page's CSRF tokens are bound to: the signed-in session, or "-" before login. */
export function csrfSession(auth: AuthService, request: FastifyRequest): string {
  return auth.sessionOf(request.cookies?.[ACCESS_COOKIE]) ?? '-';
}

/** An expired or missing access cookie is replaced from a valid refresh cookie, so page sessions last. */
async function renewSession(
  request: FastifyRequest,
  reply: FastifyReply,
  auth: AuthService,
  production: boolean,
  ttl: number,
): Promise<void> {
  const refresh = request.cookies[REFRESH_COOKIE];
  if (!refresh || accessStillValid(request.cookies[ACCESS_COOKIE])) return;
  try {
    const pair = await auth.refresh(refresh);
    reply.setCookie(ACCESS_COOKIE, pair.accessToken, sessionCookie(production, ttl));
    reply.setCookie(REFRESH_COOKIE, pair.refreshToken, sessionCookie(production, 14 * 86400));
    request.cookies[ACCESS_COOKIE] = pair.accessToken;
  } catch (error) {
    // With the database down the refresh token cannot be checked, which does not make it
    // invalid: keep it, so the session resumes when the database is back.
    if (!isDatabaseUnavailable(error)) reply.clearCookie(REFRESH_COOKIE, { path: '/' });
  }
}

function accessStillValid(token: string | undefined): boolean {
  if (!token) return false;
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { exp?: number };
    // Only a hint for renewal; the guard still verifies the signature.
    return typeof payload.exp === 'number' && payload.exp * 1000 > Date.now() + 5000;
  } catch {
    return false;
  }
}

/** A number, or a number as text (a database count may come as one); null for anything else. */
function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !value.trim()) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** What is not a number shows as it is, so nothing vanishes from a page. */
const shown = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** The language the content (courses, lessons, banks, schemes) is authored in. */
const CONTENT_LANGUAGE: Language = 'id';

export function registerHelpers(zone: string): void {
  handlebars.registerHelper(
    't',
    function (this: unknown, key: string, options: handlebars.HelperOptions) {
      // Templates name keys as text, some built at render time (`concat "role." role`); the
      // literal ones are checked against the catalogue by a unit test.
      return tDynamic(options.data.root.lang ?? 'id', key, options.hash);
    },
  );
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('join', (list: unknown, separator: unknown) =>
    Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : '',
  );
  // Dates and numbers in the city's zone and the reader's language (local-format.ts).
  const langOf = (options: handlebars.HelperOptions): Language => options.data.root.lang ?? 'id';
  // Each also reads as a field when written bare (`{{number}}`, a certificate's): value-helper.ts.
  const helper = (name: string, format: Parameters<typeof valueHelper>[0]) =>
    handlebars.registerHelper(name, valueHelper(format));
  helper('dateTime', ([value], options) =>
    formatDateTime(value as Date | string | null, langOf(options), zone),
  );
  helper('date', ([value], options) =>
    formatDate(value as Date | string | null, langOf(options), zone),
  );
  helper('time', ([value], options) =>
    value ? formatTime(value as Date | string, langOf(options), zone) : '',
  );
  helper('dateTimeRange', ([from, to], options) =>
    formatDateTimeRange(
      from as Date | string | null,
      to as Date | string | null,
      langOf(options),
      zone,
    ),
  );
  helper('number', ([value], options) => {
    const n = numeric(value);
    return n === null ? shown(value) : formatNumber(n, langOf(options));
  });
  helper('percent', ([value], options) => {
    const n = numeric(value);
    return n === null ? shown(value) : formatPercent(n, langOf(options));
  });
  // `?delimiter=` of a CSV link: what the reader's Excel splits on (ADR 0030).
  handlebars.registerHelper('csvDelimiter', (options: handlebars.HelperOptions) =>
    langOf(options) === 'id' ? 'semicolon' : 'comma',
  );
  handlebars.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  // True when any cell of a row has a value: tables skip the blank rows an editor offers.
  handlebars.registerHelper(
    'filled',
    (cells: unknown) => Array.isArray(cells) && cells.some((c: { value?: string }) => !!c?.value),
  );
  // Course, lesson, question and scheme texts are written in Bahasa Indonesia: on a page in
  // another language their element says so, for screen readers and translation (ADR 0029).
  handlebars.registerHelper('contentLang', (options: handlebars.HelperOptions) =>
    langOf(options) === CONTENT_LANGUAGE
      ? ''
      : new handlebars.SafeString(` lang="${CONTENT_LANGUAGE}"`),
  );
  // The zone's name as clocks here print it (WIB), for labels of fields typed in it.
  handlebars.registerHelper('zone', () => zoneName(zone));
  handlebars.registerHelper('json', (value: unknown) => (value ? JSON.stringify(value) : ''));
}

function registerPartials(folder: string): void {
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.hbs'))) {
    handlebars.registerPartial(basename(file, '.hbs'), readFileSync(join(folder, file), 'utf8'));
  }
}
