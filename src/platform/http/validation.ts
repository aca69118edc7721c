import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** Flattens class-validator errors to `{ field, reason }`, with dotted paths for nested fields. */
export function flattenValidationErrors(
  errors: ValidationError[],
  prefix = '',
): { field: string; reason: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Rejects unknown fields and wrong types with a 400 that names each field and why. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const list = flattenValidationErrors(errors);
      return new BadRequestException({
        message: list.map((e) => `${e.field}: ${e.reason}`).join('; ') || 'Input tidak valid',
        errors: list,
      });
    },
  });
}
