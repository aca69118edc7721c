/**
 * Domain errors: services throw these, never HttpExceptions. Each error code belongs to
 * a kind, and the kind alone decides the HTTP status (in `STATUS_OF_KIND`, the one place).
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'refused'
  | 'too_many';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** It existed and was withdrawn on purpose (a revoked certificate's credential). */
  gone: 410,
  refused: 422,
  too_many: 429,
};

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** The input field at fault, for `invalid` errors. */
    readonly field?: string,
    /** Values for the placeholders of the catalogue's `errors.<code>` message. */
    readonly params?: Record<string, string | number>,
    /** Facts a client can act on, sent as `details` in the error body (e.g. seconds to wait). */
    readonly details?: Record<string, string | number | null>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * Declares a domain's error codes with their kinds; the Record type makes the table complete.
 *
 * @example
 * const sectorError = errorFamily({ 'sector.unknown': 'not_found' });
 * throw sectorError('sector.unknown', 'Sektor tidak dikenal');
 *
 * The message is the Indonesian default; when the catalogue has `errors.<code>`, the
 * caller's language is used instead (see HttpExceptionFilter).
 */
export function errorFamily<C extends string>(kinds: Record<C, ErrorKind>) {
  return (
    code: C,
    message: string,
    field?: string,
    params?: Record<string, string | number>,
    details?: Record<string, string | number | null>,
  ): DomainError => new DomainError(kinds[code], code, message, field, params, details);
}
