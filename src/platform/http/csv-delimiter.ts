import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { errorFamily } from './domain-error.js';
import { LANG_COOKIE } from './lang.decorator.js';
import type { CsvDelimiter } from './table-export.js';

/** The values of `?delimiter=`, by name: a bare `;` in a URL is easy to get wrong. */
export const DELIMITERS = { semicolon: ';', comma: ',' } as const satisfies Record<
  string,
  CsvDelimiter
>;
export type DelimiterName = keyof typeof DELIMITERS;
export const DELIMITER_NAMES = Object.keys(DELIMITERS) as DelimiterName[];

export const DELIMITER_DESCRIPTION =
  'CSV only: `semicolon` (Excel with Indonesian settings) or `comma`; by default `;` for a request in Indonesian (language cookie or Accept-Language), `,` otherwise';

const delimiterError = errorFamily({ 'export.delimiter': 'invalid' });

interface RequestLike {
  query?: unknown;
  headers: Record<string, string | string[] | undefined>;
  cookies?: Record<string, string | undefined>;
}

/**
 * The delimiter of a CSV export (ADR 0030): `?delimiter=semicolon|comma` wins (anything
 * else is a 400 naming the field); otherwise `;` when the request says it is Indonesian (the
 * language cookie the pages set, or Accept-Language whose first choice is `id`), `,` when
 * it says nothing, so a script calling the API keeps the comma it had.
 */
export function csvDelimiterOf(request: RequestLike): CsvDelimiter {
  const asked = (request.query as Record<string, unknown> | undefined)?.delimiter;
  if (asked !== undefined) {
    if (typeof asked === 'string' && Object.hasOwn(DELIMITERS, asked))
      return DELIMITERS[asked as DelimiterName];
    throw delimiterError('export.delimiter', {
      field: 'delimiter',
      params: { options: DELIMITER_NAMES.join(', ') },
    });
  }
  return explicitlyIndonesian(request) ? ';' : ',';
}

function explicitlyIndonesian(request: RequestLike): boolean {
  const cookie = request.cookies?.[LANG_COOKIE];
  if (cookie === 'id' || cookie === 'en') return cookie === 'id';
  return firstLanguage(String(request.headers['accept-language'] ?? '')) === 'id';
}

/** The primary subtag of Accept-Language's most wanted language (highest q, then order). */
export function firstLanguage(header: string): string | null {
  let best: { tag: string; q: number } | null = null;
  for (const part of header.split(',')) {
    const [range, ...params] = part.trim().split(';');
    const q = Number(
      params
        .find((p) => p.trim().startsWith('q='))
        ?.trim()
        .slice(2) ?? 1,
    );
    if (!range || !(q > 0)) continue;
    // `in` is Indonesian's withdrawn code, still sent by some older Android and Java clients.
    const tag = range.trim().toLowerCase().split('-')[0];
    if (!best || q > best.q) best = { tag: tag === 'in' ? 'id' : tag, q };
  }
  return best?.tag ?? null;
}

/** `@CsvDelimiterOf() delimiter`: the caller's CSV delimiter, see {@link csvDelimiterOf}. */
export const CsvDelimiterOf = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): CsvDelimiter =>
    csvDelimiterOf(ctx.switchToHttp().getRequest()),
);

/** Documents `?delimiter=` on an export route whose query is not a DTO. */
export const ApiDelimiterQuery = () =>
  ApiQuery({
    name: 'delimiter',
    enum: DELIMITER_NAMES,
    required: false,
    description: DELIMITER_DESCRIPTION,
  });
