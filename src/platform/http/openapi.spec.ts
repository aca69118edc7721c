import type { OpenAPIObject } from '@nestjs/swagger';
import { completeDocument, missingInOperations } from './openapi.js';

const ERROR = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };
const ok = { description: '', content: { 'application/json': { schema: { type: 'string' } } } };

function documentOf(paths: Record<string, unknown>): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths } as OpenAPIObject;
}

describe('completeDocument', () => {
  it('takes the token away from a public operation and asks it of every other', () => {
    const doc = completeDocument(
      documentOf({
        '/verify/{code}': {
          get: {
            'x-public': true,
            parameters: [{ in: 'path', name: 'code' }],
            security: [{ bearer: [] }],
            responses: { 200: ok },
          },
        },
        '/me': { get: { responses: { 200: ok } } },
      }),
    );
    const verify = doc.paths['/verify/{code}'].get!;
    expect(verify.security).toEqual([]);
    expect(verify).not.toHaveProperty('x-public');
    expect(Object.keys(verify.responses)).toEqual(['200', '400', '404', '503']);
    expect(doc.paths['/me'].get!.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(doc.paths['/me'].get!.responses)).toEqual(['200', '401', '403', '503']);
  });

  it('gives a write its conflicts and refusals, the statuses @ApiErrors names, and the one error body to each', () => {
    const doc = completeDocument(
      documentOf({
        '/attempts/{id}/answers': {
          put: {
            'x-errors': [429],
            parameters: [{ in: 'path', name: 'id' }],
            requestBody: { content: { 'application/json': { schema: {} } } },
            responses: { 200: ok, 410: { description: 'Revoked' } },
          },
        },
      }),
    );
    const put = doc.paths['/attempts/{id}/answers'].put!;
    expect(Object.keys(put.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '410',
      '422',
      '429',
      '503',
    ]);
    expect(put.responses['410']).toEqual({ description: 'Revoked', content: ERROR });
    expect(put).not.toHaveProperty('x-errors');
  });

  it('describes a raw upload body as text or bytes, and keeps the multipart field', () => {
    const file = { type: 'object', properties: { file: { type: 'string', format: 'binary' } } };
    const doc = completeDocument(
      documentOf({
        '/import': {
          post: {
            requestBody: {
              content: {
                'text/plain': { schema: file },
                'application/xml': { schema: file },
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                  schema: file,
                },
                'multipart/form-data': { schema: file },
              },
            },
            responses: { 200: ok },
          },
        },
      }),
    );
    const content = (
      doc.paths['/import'].post!.requestBody as { content: Record<string, { schema: unknown }> }
    ).content;
    expect(content['text/plain'].schema).toEqual({ type: 'string' });
    expect(content['application/xml'].schema).toEqual({ type: 'string' });
    expect(Object.values(content)[2].schema).toEqual({ type: 'string', format: 'binary' });
    expect(content['multipart/form-data'].schema).toBe(file);
  });
});

describe('missingInOperations', () => {
  it('names each operation and what it misses, with the fix', () => {
    const missing = missingInOperations(
      completeDocument(
        documentOf({
          '/questions/{id}/image': {
            post: { responses: { 201: { description: '' } } },
            delete: { summary: 'Remove the image', responses: { 204: { description: '' } } },
          },
        }),
      ),
    );
    expect(missing).toHaveLength(2);
    expect(missing[0]).toMatch(
      /^POST \/questions\/\{id\}\/image: no success body — .*\*\.response\.ts/,
    );
    expect(missing[1]).toMatch(/^POST \/questions\/\{id\}\/image: no summary — .*TSDoc/);
  });
});
