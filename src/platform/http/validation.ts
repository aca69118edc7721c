import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { errorFamily } from './domain-error.js';

const requestError = errorFamily({
  'request.not_object': 'invalid',
  'request.repeated_param': 'invalid',
});
const PLAIN_TYPES: unknown[] = [String, Number, Boolean, Object, Array, Buffer, Date];

const MAX_LISTED_ERRORS = 20;
const shorten = (name: string) => (name.length > 100 ? `${name.slice(0, 100)}…` : name);

/** One field at fault: where, why (class-validator's words), and the rule as a code. */
export interface FieldError {
  field: string;
  reason: string;
  /** `validation.<constraint>`: the class-validator rule that refused it (`validation.isInt`, `validation.whitelistValidation` for an unknown field). */
  code: string;
}

/** Flattens class-validator errors to `{ field, reason, code }`, with dotted paths for nested fields. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    // An unknown field's name is the client's own text, echoed: a long one is cut short.
    const name = shorten(error.property);
    const field = prefix ? `${prefix}.${name}` : name;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, reason]) => ({
      field,
      reason: name === error.property ? reason : reason.split(error.property).join(name),
      code: `validation.${constraint}`,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Nest's pipe with two checks first. A body bound to a DTO must be a JSON object: Nest
 * would take `null` for `{}` (a PATCH that changes nothing still ran) and validate an
 * array item by item (`[1, …]` gave one "property 0 should not exist" per item, a message
 * of megabytes). A named query parameter is one value: `?format=csv&format=xlsx` arrives
 * as an array, which a handler typed `string` must not get.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype !== undefined && !PLAIN_TYPES.includes(metadata.metatype);
    if (
      metadata.type === 'body' &&
      dto &&
      value !== undefined &&
      (value === null ||
        typeof value !== 'object' ||
        Array.isArray(value) ||
        Buffer.isBuffer(value))
    )
      throw requestError('request.not_object');
    if (
      metadata.type === 'query' &&
      metadata.data &&
      Array.isArray(value) &&
      metadata.metatype !== Array
    )
      throw requestError('request.repeated_param', {
        field: metadata.data,
        params: { name: metadata.data },
      });
    return super.transform(value, metadata);
  }
}

/** Rejects unknown fields and wrong types with a 400 that names each field and why. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      // A body of thousands of unknown fields is refused in a message of reasonable size.
      const all = flattenValidationErrors(errors);
      const list = all.slice(0, MAX_LISTED_ERRORS);
      const more =
        all.length > list.length ? ` (dan ${all.length - list.length} kesalahan lain)` : '';
      return new BadRequestException({
        message:
          (list.map((e) => `${e.field}: ${e.reason}`).join('; ') || 'Input tidak valid') + more,
        errors: list,
      });
    },
  });
}
