import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

interface MediaType {
  schema?: Record<string, unknown>;
}
interface OperationObject {
  operationId?: string;
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
  let operations: { name: string; controller: string; op: OperationObject }[];

  beforeAll(async () => {
    t = await bootTestApp();
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, OperationObject>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        name: `${method.toUpperCase()} ${path}`,
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

  it('keeps the allow-list honest: a listed controller exists and still has an undeclared response', () => {
    const stale = NOT_YET_DECLARED.filter(
      (controller) =>
        !operations.some((o) => o.controller === controller && !declaredSuccess(o.op)),
    );
    expect(stale).toEqual([]);
  });
});
