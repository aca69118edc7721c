import { ApiExtension } from '@nestjs/swagger';

/** The extension `@ApiErrors` leaves on an operation, read and removed by `completeDocument`. */
export const ERRORS_EXTENSION = 'x-errors';

/** What each error status means in this API, as the OpenAPI document says it. */
export const ERROR_MEANING: Record<number, string> = {
  400: 'Invalid input: `errors` names each field and why',
  401: 'No valid bearer token',
  403: 'The caller may not do this (role, sector, ownership), or must first change a temporary password',
  404: 'No such record, or not one the caller may see',
  409: 'A conflict: a duplicate (NIP, code) or a change made meanwhile',
  410: 'Gone for good',
  413: 'The body is too large',
  415: 'The body has a media type the route does not take',
  422: 'A rule refused it (`code` says which)',
  429: 'Too many requests: wait the `retry-after` header’s seconds',
  503: 'The database is unavailable: try again shortly',
};

/**
 * Documents error statuses an operation answers beyond those the document gives every
 * operation by its shape (ADR 0037: 400 with input, 401/403 when signed in, 404 with a path
 * parameter, 409/422 on a write, 503 always). Each gets the one error shape. A status with
 * a description of its own is declared with `@ApiResponse({ status, description })`.
 *
 * @example
 * ```ts
 * @ApiErrors(429)
 * @Public()
 * @Post('api/v1/auth/login')
 * ```
 */
export function ApiErrors(...statuses: number[]): MethodDecorator {
  // An extension, not `@ApiResponse`: a declared response would hide the success response
  // the plugin infers from the return type.
  return ApiExtension(ERRORS_EXTENSION, statuses);
}
