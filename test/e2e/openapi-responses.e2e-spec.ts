import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

interface MediaType {
  schema?: Record<string, unknown>;
}
interface OperationObject {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, MediaType> };
  parameters?: { name: string; in: string; schema?: { format?: string; enum?: string[] } }[];
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}

/**
 * Controllers whose responses are not declared yet (ADR 0023, step 6): each still answers
 * with a shape only its service's code knows. The list only shrinks: a controller leaves it
 * when every method returns a `*.response.ts` class or is documented as a file.
 */
const NOT_YET_DECLARED: string[] = [];

/**
 * A schema that names its shape: a component (`$ref`), an array of them, a scalar, or a
 * file (`format: binary`). A bare `{ type: 'object' }` is what an undeclared return type
 * gives, so it does not count.
 */
function namesItsShape(schema: Record<string, unknown> | undefined): boolean {
  if (!schema) return false;
  if (typeof schema.$ref === 'string') return true;
  const oneOf = (schema.oneOf ?? schema.anyOf) as Record<string, unknown>[] | undefined;
  if (oneOf) return oneOf.length > 0 && oneOf.every(namesItsShape);
  if (schema.type === 'array') return namesItsShape(schema.items as Record<string, unknown>);
  if (schema.type === 'object') return schema.properties !== undefined;
  return ['string', 'number', 'integer', 'boolean'].includes(String(schema.type));
}

/** A 2xx that says what comes back: a JSON schema, or a file's media type with a binary schema. */
function declaredSuccess(op: OperationObject): boolean {
  const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
  return success.some(([status, response]) => {
    if (status === '204') return true;
    const media = Object.entries(response.content ?? {});
    return media.length > 0 && media.every(([, type]) => namesItsShape(type.schema));
  });
}

describe(`OpenAPI document (${engine})`, () => {
  let t: TestApp;
  let operations: {
    name: string;
    method: 'get' | 'post' | 'put' | 'patch' | 'delete';
    path: string;
    controller: string;
    op: OperationObject;
  }[];

  beforeAll(async () => {
    t = await bootTestApp();
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, OperationObject>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        name: `${method.toUpperCase()} ${path}`,
        method: method as 'get' | 'post' | 'put' | 'patch' | 'delete',
        path,
        controller: (op.operationId ?? '').split('_')[0],
        op,
      })),
    );
  });
  afterAll(() => t?.close());

  it('describes a success response with its schema for every operation', () => {
    const undeclared = operations
      .filter(({ controller }) => !NOT_YET_DECLARED.includes(controller))
      .filter(({ op }) => !declaredSuccess(op))
      .map(({ name, controller }) => `${controller}: ${name}`);
    expect(undeclared).toEqual([]);
  });

  it('asks no token of the public routes and the bearer token of every other (ADR 0037)', () => {
    const security = (path: string) =>
      operations.find((o) => o.path === path && o.method === 'get')?.op.security;
    for (const path of [
      '/api/v1/verify/{code}',
      '/api/v1/verify',
      '/.well-known/jwks.json',
      '/api/v1/status-lists/{id}',
      '/api/v1/sectors',
    ])
      expect([path, security(path)]).toEqual([path, []]);
    for (const path of ['/api/v1/me/certificates', '/api/v1/me', '/api/v1/reports/jp'])
      expect([path, security(path)]).toEqual([path, [{ bearer: [] }]]);
    expect(operations.filter(({ op }) => op.security === undefined).map((o) => o.name)).toEqual([]);
  });

  it('gives every operation a summary and its errors in the one error shape', () => {
    const wrong = operations.flatMap(({ name, op }) => {
      const errors = Object.entries(op.responses ?? {}).filter(([s]) => /^[45]/.test(s));
      return [
        ...(op.summary ? [] : [`${name}: no summary`]),
        ...(errors.length ? [] : [`${name}: no error response`]),
        ...errors
          .filter(([, r]) => !r.content?.['application/json']?.schema)
          .map(([status]) => `${name} ${status}: no body`),
      ];
    });
    expect(wrong).toEqual([]);
    const verify = operations.find((o) => o.path === '/api/v1/verify/{code}')!.op;
    expect(Object.keys(verify.responses!)).toEqual(['200', '400', '404', '429', '503']);
    expect(verify.responses!['404'].content!['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorResponse',
    });
  });

  it('describes raw upload bodies as what they are: text as a string, not an object { file }', () => {
    const bankImport = operations.find(
      (o) => o.path === '/api/v1/question-banks/{id}/import' && o.method === 'post',
    )!.op;
    const content = bankImport.requestBody!.content;
    expect(content['text/plain'].schema).toEqual({ type: 'string' });
    expect(content['application/xml'].schema).toEqual({ type: 'string' });
    expect(content['multipart/form-data'].schema?.properties).toHaveProperty('file');
  });

  it('offers ?format= only on routes that answer CSV or XLSX', () => {
    const formatted = operations
      .filter(({ op }) =>
        op.parameters?.some((p) => p.name === 'format' && p.schema?.enum?.includes('csv')),
      )
      .filter(({ op }) => !Object.keys(op.responses?.['200']?.content ?? {}).includes('text/csv'))
      .map((o) => o.name);
    expect(formatted).toEqual([]);
  });

  it('refuses ?format=csv on a dashboard, which answers JSON only, naming the field', async () => {
    const admin = await t.tokenFor(await t.createUser('admin'));
    for (const path of [
      '/api/v1/reports/dashboards/admin',
      '/api/v1/reports/dashboards/coordinator',
    ]) {
      const res = await t.http.get(`${path}?format=csv`).auth(admin, { type: 'bearer' });
      expect([path, res.status, res.body.errors?.[0]?.field]).toEqual([path, 400, 'format']);
    }
  });

  it('keeps the allow-list honest: a listed controller exists and still has an undeclared response', () => {
    const stale = NOT_YET_DECLARED.filter(
      (controller) =>
        !operations.some((o) => o.controller === controller && !declaredSuccess(o.op)),
    );
    expect(stale).toEqual([]);
  });

  it('refuses a malformed UUID in the path with a 400 naming the parameter, for every route that takes one', async () => {
    const admin = await t.tokenFor(await t.createUser('admin'));
    const uuid = '0b6a3c2e-52a1-4c1f-9d4e-2f0b8f3f9a11';
    const withIds = operations.filter(({ op }) =>
      op.parameters?.some((p) => p.in === 'path' && p.schema?.format === 'uuid'),
    );
    expect(withIds.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    for (const { name, method, path, op } of withIds) {
      for (const param of op.parameters!.filter((p) => p.schema?.format === 'uuid')) {
        // The others well formed, so the one at fault is the one the answer names.
        const url = path.replace(/\{(\w+)\}/g, (_, key: string) =>
          key === param.name ? 'not-a-uuid' : key === 'slot' ? '1' : uuid,
        );
        const request = t.http[method](url).auth(admin, { type: 'bearer' });
        const res = await (method === 'get' || method === 'delete'
          ? request
          : request.set('content-type', 'application/json').send('{}'));
        const error = res.body?.errors?.[0];
        if (
          res.status !== 400 ||
          error?.field !== param.name ||
          error?.code !== 'validation.isUuid' ||
          typeof res.body.message !== 'string'
        )
          wrong.push(`${name} {${param.name}}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
