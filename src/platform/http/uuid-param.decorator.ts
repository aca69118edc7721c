import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { FieldError } from './validation.js';

/**
 * A path parameter that is a record's UUID (`@UuidParam('id') id: string`). A malformed one
 * is a 400 naming the parameter, in the validation pipe's shape (`errors: [{ field, reason,
 * code: 'validation.isUuid' }]`), before any query runs; a well-formed id that is unknown or
 * not the caller's stays the service's 404 (ADR 0023, step 6). OpenAPI shows it as
 * `format: uuid`. Codes in paths (course codes, certificate numbers) keep a plain `@Param`.
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  const pipe = new ParseUUIDPipe({ exceptionFactory: () => invalidUuid(name) });
  const bind = Param(name, pipe);
  return (target, key, index) => {
    bind(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key !== undefined && descriptor)
      ApiParam({ name, type: String, format: 'uuid' })(target, key, descriptor);
  };
}

/** The 400 of a malformed id, as `createValidationPipe` words a field error. */
export function invalidUuid(name: string): BadRequestException {
  const error: FieldError = {
    field: name,
    reason: `${name} must be a UUID`,
    code: 'validation.isUuid',
  };
  return new BadRequestException({ message: `${name}: ${error.reason}`, errors: [error] });
}
