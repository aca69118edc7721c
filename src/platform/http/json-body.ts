import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorFamily } from './domain-error.js';

/**
 * How deep a JSON body may nest. Our deepest DTO (a scheme's requirements) nests four
 * levels; class-transformer and class-validator recurse once per level and overflow the
 * stack at a few thousand, which a 5 MB body of `[[[[…` reaches easily (a 500 before).
 */
export const MAX_JSON_DEPTH = 32;

const bodyError = errorFamily({ 'request.too_deep': 'invalid', 'request.bad_unicode': 'invalid' });

/** A UTF-16 surrogate without its pair: JSON may write one (`"\ud800"`), UTF-8 cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path of the first string (key or value) holding a lone surrogate, or null. Such a
 * string made validator's `isEmail` throw (a 500), and was stored as U+FFFD otherwise.
 */
export function loneSurrogateAt(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || '(isi)' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (LONE_SURROGATE.test(key)) return at;
    const found = loneSurrogateAt(item, at);
    if (found) return found;
  }
  return null;
}

/**
 * True when the JSON text nests objects or arrays deeper than `max`. One pass over the
 * bytes, brackets inside strings ignored; the text need not be valid JSON (the parser
 * that runs next says so).
 */
export function nestsDeeperThan(text: Buffer | string, max: number): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c /* \ */) i++;
      else if (b === 0x22 /* " */) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b /* { */ || b === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (b === 0x7d /* } */ || b === 0x5d /* ] */) depth--;
  }
  return false;
}

/**
 * The JSON body parser: a check of the nesting depth, Fastify's own parser (which refuses
 * `__proto__` and `constructor.prototype` keys), then a check of the text (no lone
 * surrogate). Must be called before `app.init()`, which would otherwise register Nest's.
 */
export function useJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify types it for a string body; it reads a Buffer the same way (as Nest's default does).
  const parse = fastify.getDefaultJsonParser('error', 'error') as unknown as (
    request: unknown,
    body: Buffer,
    done: (error: Error | null, body?: unknown) => void,
  ) => void;
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      done(bodyError('request.too_deep', { params: { max: MAX_JSON_DEPTH } }), undefined);
      return;
    }
    parse(request, body, (error, parsed) => {
      const found = error ? null : loneSurrogateAt(parsed);
      const at = found && found.length > 100 ? `${found.slice(0, 100)}…` : found;
      if (at)
        return done(
          bodyError('request.bad_unicode', { field: at, params: { field: at } }),
          undefined,
        );
      done(error, parsed);
    });
  });
}
