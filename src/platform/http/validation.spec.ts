import { BadRequestException } from '@nestjs/common';
import { IsString } from 'class-validator';
import { DomainError } from './domain-error.js';
import { createValidationPipe } from './validation.js';

class NameDto {
  @IsString()
  name: string;
}

const pipe = createValidationPipe();
const body = { type: 'body' as const, metatype: NameDto, data: undefined };
const refusal = async (value: unknown, metadata = body) => {
  try {
    await pipe.transform(value, metadata);
  } catch (error) {
    return error;
  }
  throw new Error('accepted');
};

describe('the validation pipe', () => {
  it('refuses a body that is not a JSON object', async () => {
    for (const value of [null, [], [{ name: 'x' }], 'name', 5, Buffer.from('{}')])
      expect(await refusal(value)).toEqual(expect.objectContaining({ code: 'request.not_object' }));
    await expect(pipe.transform({ name: 'Nur' }, body)).resolves.toEqual({ name: 'Nur' });
  });

  it('refuses a named query parameter given twice, naming it', async () => {
    const error = (await refusal(['csv', 'xlsx'], {
      type: 'query',
      metatype: String,
      data: 'format',
    } as never)) as DomainError;
    expect(error).toEqual(
      expect.objectContaining({ code: 'request.repeated_param', field: 'format' }),
    );
  });

  it('names the rule behind each field error as a code', async () => {
    const refused = (await refusal({ name: 5, extra: 1 })) as BadRequestException;
    const { errors } = refused.getResponse() as { errors: unknown[] };
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'name', reason: 'name must be a string', code: 'validation.isString' },
        {
          field: 'extra',
          reason: 'property extra should not exist',
          code: 'validation.whitelistValidation',
        },
      ]),
    );
  });

  it('keeps the message short: long unknown names cut, at most 20 errors listed', async () => {
    const long = 'x'.repeat(5000);
    const one = (await refusal({ name: 'Nur', [long]: 1 })) as BadRequestException;
    const { message, errors } = one.getResponse() as {
      message: string;
      errors: { field: string }[];
    };
    expect(message.length).toBeLessThan(400);
    expect(errors[0].field).toBe(`${'x'.repeat(100)}…`);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, 1]));
    const response = (
      (await refusal({ name: 'Nur', ...many })) as BadRequestException
    ).getResponse() as {
      message: string;
      errors: unknown[];
    };
    expect(response.errors).toHaveLength(20);
    expect(response.message).toMatch(/dan 480 kesalahan lain/);
  });
});
