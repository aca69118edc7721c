import { BadRequestException, Controller, Get } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { UuidParam } from './uuid-param.decorator.js';

@Controller('things')
class ThingsController {
  @Get(':id')
  get(@UuidParam('id') id: string): string {
    return id;
  }
}

type ArgMeta = { data: string; pipes: { transform(value: unknown, meta: object): unknown }[] };
const pipeOf = () => {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, ThingsController, 'get') as Record<
    string,
    ArgMeta
  >;
  const [arg] = Object.values(args);
  expect(arg.data).toBe('id');
  return arg.pipes[0];
};

describe('UuidParam', () => {
  it('passes a UUID through unchanged', async () => {
    const id = '0b6a3c2e-52a1-4c1f-9d4e-2f0b8f3f9a11';
    await expect(pipeOf().transform(id, { type: 'param', data: 'id' })).resolves.toBe(id);
  });

  it.each(['1', 'not-a-uuid', "1' OR '1'='1", '0b6a3c2e52a14c1f9d4e2f0b8f3f9a11'])(
    'refuses %p with a 400 in the validation pipe’s shape',
    async (bad) => {
      const refusal = pipeOf().transform(bad, { type: 'param', data: 'id' });
      await expect(refusal).rejects.toBeInstanceOf(BadRequestException);
      const error = (await (refusal as Promise<unknown>).catch((e) => e)) as BadRequestException;
      expect(error.getResponse()).toEqual({
        message: 'id: id must be a UUID',
        errors: [{ field: 'id', reason: 'id must be a UUID', code: 'validation.isUuid' }],
      });
    },
  );

  it('documents the parameter as a UUID', () => {
    const params = Reflect.getMetadata(
      'swagger/apiParameters' /* DECORATORS.API_PARAMETERS, not exported */,
      ThingsController.prototype.get,
    ) as object[];
    expect(params).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', type: String, format: 'uuid' }),
    ]);
  });
});
