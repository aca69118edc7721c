import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  Optional,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, isUniqueViolation } from '../../database/db-errors.js';
import { PASSWORD_CHANGE_REQUIRED } from '../auth/password-change-required.error.js';
import { t } from '../i18n/i18n.js';
import { PageRenderer } from '../web/page-renderer.js';
import { isPageRequest } from '../web/web-setup.js';
import { DomainError, messageOf, STATUS_OF_KIND } from './domain-error.js';
import { languageOf } from './lang.decorator.js';
import { redactUrl } from '../logging/redact-url.js';

/** DESIGN.md's error shape, plus the request id and, for invalid input, the fields at fault. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  /** The fields at fault; those the validation pipe refused also name the rule (`validation.<constraint>`). */
  errors?: { field: string; reason: string; code?: string }[];
  /** What a client can act on, when the error has it (e.g. `remainingSeconds`). */
  details?: Record<string, string | number | null>;
  requestId?: string;
}

/** The statuses the error page has its own heading for. */
const PAGE_STATUSES = [403, 404, 429, 500, 503] as const;

/** The code of the 503 a request gets while the database is down or unreachable. */
export const DATABASE_UNAVAILABLE = 'database.unavailable';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one place errors become HTTP. Domain errors map by kind, Nest's HTTP exceptions keep
 * their status, client errors raised by Fastify (bad JSON, wrong content type) stay 4xx,
 * and anything else is a plain 500 whose message never leaves the server.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(@Optional() private readonly pages?: PageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(exception, request);
    // A rate limit says when to come back (login, answer saves), on pages and API alike.
    const wait = exception instanceof DomainError ? exception.params?.seconds : undefined;
    if (body.statusCode === 429 && typeof wait === 'number') reply.header('retry-after', wait);
    if (body.code === DATABASE_UNAVAILABLE) {
      // Expected while the database is down: one line per request, not a stack trace each.
      const cause = exception as { code?: string; message?: string };
      this.logger.warn(
        { requestId: request.id, cause: cause.code ?? cause.message },
        `Database unavailable on ${request.method} ${redactUrl(request.url)}`,
      );
      // The app reconnects by itself: a client (or a reload of the page) may try again soon.
      reply.header('retry-after', 5);
    } else if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id },
        `Unhandled error on ${request.method} ${redactUrl(request.url)}`,
      );
    }
    if (this.pages && isPageRequest(request.url) && !reply.sent) {
      void this.page(request, reply, body, exception);
      return;
    }
    reply
      .status(body.statusCode)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }

  /** Pages answer errors as pages: to the login form, to the password change, or a friendly error page. */
  private async page(
    request: FastifyRequest,
    reply: FastifyReply,
    body: ErrorBody,
    exception: unknown,
  ): Promise<void> {
    const pages = this.pages!;
    if (body.statusCode === 401) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      await pages.redirect(reply, `/masuk${next}`);
      return;
    }
    if (body.code === PASSWORD_CHANGE_REQUIRED) {
      await pages.redirect(reply, '/ganti-sandi');
      return;
    }
    const lang = languageOf(request);
    const csrf =
      String((exception as { code?: unknown } | null)?.code ?? '').startsWith('FST_CSRF') ||
      /csrf/i.test(body.message);
    const known = PAGE_STATUSES.find((status) => status === body.statusCode);
    const heading = known ? t(lang, `error.${known}.title`) : body.error;
    // 403, 429 and 503 say why (the sector, the wait, the outage); 404 and 500 say it plainly.
    const message = csrf
      ? t(lang, 'error.csrf')
      : known === 500
        ? t(lang, 'error.500.body', { requestId: body.requestId ?? '' })
        : known === 404
          ? t(lang, 'error.404.body')
          : body.message;
    try {
      await pages.render(
        request,
        reply,
        'pages/error',
        { title: heading, heading, message },
        body.statusCode,
      );
    } catch (error) {
      this.logger.error({ err: error }, 'Could not render the error page');
      if (!reply.sent) reply.status(body.statusCode).send(body);
    }
  }

  toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    const requestId = String(request.id);
    if (exception instanceof DomainError) {
      const statusCode = STATUS_OF_KIND[exception.kind];
      // Every core code has its catalogue entry (a unit test says so); a sector's own code
      // keeps its thrower's message.
      const message = messageOf(exception, languageOf(request));
      const errors = exception.field ? [{ field: exception.field, reason: message }] : undefined;
      return {
        statusCode,
        error: REASON[statusCode],
        message,
        code: exception.code,
        errors,
        ...(exception.details && { details: exception.details }),
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const payload =
        typeof response === 'string'
          ? { message: response }
          : (response as Record<string, unknown>);
      const message = Array.isArray(payload.message)
        ? payload.message.join('; ')
        : String(payload.message ?? exception.message);
      const errors = payload.errors as ErrorBody['errors'];
      return { statusCode, error: REASON[statusCode] ?? 'Error', message, errors, requestId };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        statusCode: 503,
        error: REASON[503],
        message: t(languageOf(request), 'errors.database.unavailable'),
        code: DATABASE_UNAVAILABLE,
        requestId,
      };
    }
    if (isUniqueViolation(exception)) {
      return {
        statusCode: 409,
        error: REASON[409],
        message: 'Data yang sama sudah ada',
        requestId,
      };
    }
    const clientStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500) {
      return {
        statusCode: clientStatus,
        error: REASON[clientStatus] ?? 'Bad Request',
        message: clientMessage(exception, clientStatus),
        requestId,
      };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: REASON[500],
      message: `Terjadi kesalahan pada server (request ${requestId})`,
      requestId,
    };
  }
}

function clientMessage(exception: unknown, status: number): string {
  const code = (exception as { code?: string }).code ?? '';
  if (code.includes('JSON') || code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return 'Isi permintaan bukan JSON yang sah';
  if (status === 413) return 'Isi permintaan terlalu besar';
  if (status === 414) return 'Alamat (URL) terlalu panjang';
  if (code === 'FST_ERR_BAD_URL') return 'Alamat (URL) tidak sah';
  if (status === 415) return 'Jenis isi (Content-Type) tidak didukung';
  return 'Permintaan tidak valid';
}
