import { hasMessage, tDynamic, type MessageKey, type MessageParams } from '../i18n/i18n.js';
import type { ErrorVariants } from '../i18n/message-keys.js';
import type { Language } from './lang.decorator.js';

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

/** Values for a message's ICU arguments. */
export type ErrorParams = Record<string, string | number>;
/** Facts a client can act on, sent as `details` in the error body. */
export type ErrorDetails = Record<string, string | number | null>;

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** The input field at fault, for `invalid` errors. */
    readonly field?: string,
    /** Values for the ICU arguments of the catalogue's message (`errors.<code>[.<variant>]`). */
    readonly params?: ErrorParams,
    /** Facts a client can act on, sent as `details` in the error body (e.g. seconds to wait). */
    readonly details?: ErrorDetails,
    /** Which of the code's messages, when one code has several: `errors.<code>.<variant>`. */
    readonly variant?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** The catalogue key of the message the filter sends, in the caller's language. */
  get messageKey(): string {
    return this.variant ? `errors.${this.code}.${this.variant}` : `errors.${this.code}`;
  }
}

/**
 * The error's message in `lang`: the catalogue's (`errors.<code>[.<variant>]`), or the
 * thrower's own for a code the core catalogue lacks (a sector's). The filter answers with
 * it, and pages that show an error on their form use it too.
 */
export function messageOf(error: DomainError, lang: Language): string {
  return hasMessage('id', error.messageKey)
    ? tDynamic(lang, error.messageKey, error.params)
    : error.message;
}

/** Whether the message of a core key takes arguments (then the thrower must give them). */
type Takes<Key extends MessageKey> = [keyof MessageParams[Key]] extends [never] ? false : true;

/** The codes of `C` whose message is in the core catalogue (`errors.<code>`): all of the core's. */
type Catalogued<C extends string> = C & keyof ErrorVariants;

/** The catalogued codes whose own message takes no arguments: thrown with the code alone. */
type Bare<C extends string> = {
  [K in Catalogued<C>]: Takes<`errors.${K}`> extends true ? never : K;
}[Catalogued<C>];

/** A code's message (no variant) or one of its others: `errors.<code>.<variant>`. */
type KeyOf<K extends keyof ErrorVariants, V extends string | undefined> = (V extends string
  ? `errors.${K}.${V}`
  : `errors.${K}`) &
  MessageKey;

/** Which of the code's messages (none: `errors.<code>`), the field at fault, the message's params, details. */
export type ErrorOptions<K extends keyof ErrorVariants, V extends string | undefined> = {
  variant?: V;
  field?: string;
  details?: ErrorDetails;
} & (Takes<KeyOf<K, V>> extends true
  ? { params: MessageParams[KeyOf<K, V>] }
  : { params?: MessageParams[KeyOf<K, V>] });

export interface ErrorFactory<C extends string> {
  /** A code whose catalogue message needs nothing more. */
  <K extends Bare<C>>(code: K): DomainError;
  /**
   * A code of the core: its message is the catalogue's, `errors.<code>` or, with a
   * variant, `errors.<code>.<variant>`, with the params it takes (required when it has any).
   */
  <K extends Catalogued<C>, V extends ErrorVariants[K] | undefined = undefined>(
    code: K,
    options: ErrorOptions<K, V>,
  ): DomainError;
  /**
   * A code the core catalogue does not have (a sector's): its own Indonesian message, sent
   * as it is.
   */
  <K extends Exclude<C, Catalogued<C>>>(
    code: K,
    message: string,
    field?: string,
    params?: ErrorParams,
    details?: ErrorDetails,
  ): DomainError;
  /** The codes of the family and their kinds (the completeness test reads them). */
  readonly kinds: Readonly<Record<C, ErrorKind>>;
}

const families: ErrorFactory<string>[] = [];

/** Every error family declared so far (those of the modules imported), for the completeness test. */
export function errorFamilies(): readonly ErrorFactory<string>[] {
  return families;
}

/**
 * Declares a domain's error codes with their kinds; the Record type makes the table complete.
 * Each code has its message in the catalogue under `errors.<code>` (both languages; a unit
 * test enumerates every family), so the filter answers in the caller's language.
 *
 * @example
 * const sectorError = errorFamily({ 'sector.unknown': 'not_found' });
 * // errors.sector.unknown: 'Sektor "{key}" tidak terdaftar'
 * throw sectorError('sector.unknown', { params: { key } });
 * // errors.course.not_found.lesson: 'Pelajaran tidak ditemukan'
 * throw courseError('course.not_found', { variant: 'lesson' });
 * // a sector's code, not in the core catalogue: its message as it is
 * throw practiceError('health.observer', 'Asesor belum dicatat', 'observerId');
 */
export function errorFamily<C extends string>(kinds: Record<C, ErrorKind>): ErrorFactory<C> {
  const make = (
    code: C,
    message?:
      string | { variant?: string; field?: string; params?: ErrorParams; details?: ErrorDetails },
    field?: string,
    params?: ErrorParams,
    details?: ErrorDetails,
  ): DomainError => {
    if (typeof message === 'string')
      return new DomainError(kinds[code], code, message, field, params, details);
    const options = message ?? {};
    const key = options.variant ? `errors.${code}.${options.variant}` : `errors.${code}`;
    // In Indonesian, for logs, the pages that show the error, and tests that read `.message`.
    const text = hasMessage('id', key) ? tDynamic('id', key, options.params) : key;
    return new DomainError(
      kinds[code],
      code,
      text,
      options.field,
      options.params,
      options.details,
      options.variant,
    );
  };
  const factory = Object.assign(make, { kinds: Object.freeze({ ...kinds }) });
  families.push(factory as unknown as ErrorFactory<string>);
  return factory as unknown as ErrorFactory<C>;
}
