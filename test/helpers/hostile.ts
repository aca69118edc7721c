/**
 * Hostile input for the property-based e2e suites (issue 11): fast-check generators of bad
 * JSON bodies, path and query values and files, a reader of the app's own OpenAPI document
 * (so a new route is fuzzed without editing the tests), a fingerprint of every table (the
 * database must be unchanged after the hostile runs), and the check of the error shape.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';

/** A fixed seed, printed by the suites; `HOSTILE_SEED` replays another run. */
export const HOSTILE_SEED = Number(process.env.HOSTILE_SEED ?? 20260611);
/** Inputs per route and kind; CI keeps the default, a deeper local run raises it. */
export const HOSTILE_RUNS = Number(process.env.HOSTILE_RUNS ?? 12);

/** A seed per property, so that adding a route does not change the inputs of the others. */
export function seedFor(name: string): number {
  return (HOSTILE_SEED ^ createHash('sha1').update(name).digest().readInt32BE(0)) | 0;
}

/**
 * JSON text that is not a plain JS value: deep nesting, `__proto__` keys, numbers JSON can
 * write but JS cannot keep, huge strings and arrays. Printed by fast-check with its label,
 * so a failing case stays readable.
 */
export class RawJson {
  constructor(
    readonly json: string,
    readonly label: string,
  ) {}
  [fc.toStringMethod](): string {
    return this.label;
  }
}

/** Serialises a generated value, inlining {@link RawJson} parts as they are. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.json;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Strings every input field should survive: injections, odd Unicode, number look-alikes. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\t\r\n',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  'NaN',
  'Infinity',
  '1e309',
  '9007199254740993',
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; SELECT SLEEP(5)',
  "admin'--",
  '1 UNION SELECT passwordHash FROM users',
  '%',
  '_',
  '\\',
  "\\'",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  '${7*7}',
  '<!--',
  ']]>',
  '../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'http://169.254.169.254/latest/meta-data/',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u202Eevil',
  '\u200B',
  'Ａｄｍｉｎ',
  '١٢٣',
  '𝟙𝟚𝟛',
  'İı',
  'e\u0301',
  'Z̴̧͈̓a̶̛͔l̷̡͝g̶̞̈o̵͍͌',
  '👩🏽‍⚕️',
  '\uD800',
  '\uDFFFx',
  '%00',
  '%s%s%s%n',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 48 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 48 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...NASTY_STRINGS), fc.integer({ min: 2, max: 40 }))
      .map(([s, n]) => s.repeat(n)),
  },
);

/** Far beyond any field's limit (the body limit is 5 MB). */
export const hugeString: fc.Arbitrary<RawJson> = fc
  .tuple(fc.constantFrom(70_000, 1_000_000), fc.constantFrom('x', 'é', '😀', '<'))
  .map(([n, c]) => new RawJson(JSON.stringify(c.repeat(n)), `"${c}"×${n}`));

export const hugeArray: fc.Arbitrary<RawJson> = fc
  .tuple(fc.constantFrom(10_000, 200_000), fc.constantFrom('1', '"x"', '{}', 'null'))
  .map(([n, item]) => new RawJson(`[${new Array(n).fill(item).join(',')}]`, `[${item}×${n}]`));

export const deepNesting: fc.Arbitrary<RawJson> = fc
  .tuple(fc.constantFrom(64, 3_000, 100_000), fc.boolean())
  .map(([depth, array]) =>
    array
      ? new RawJson('['.repeat(depth) + ']'.repeat(depth), `[…]×${depth}`)
      : new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth), `{a:…}×${depth}`),
  );

export const protoPollution: fc.Arbitrary<RawJson> = fc.constantFrom(
  new RawJson('{"__proto__":{"isAdmin":true,"role":"admin"}}', '{__proto__:{isAdmin}}'),
  new RawJson('{"constructor":{"prototype":{"isAdmin":true}}}', '{constructor:{prototype}}'),
  new RawJson('{"a":1,"a":{"b":2}}', '{a:1,a:{b:2}}'),
);

export const hostileNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(
    new RawJson('1e999', '1e999'),
    new RawJson('-1e999', '-1e999'),
    new RawJson('1' + '0'.repeat(400), '10^400'),
    new RawJson('0.' + '0'.repeat(400) + '1', '10^-401'),
  ),
);

/** Any JSON value, weighted towards the nasty ones; nests a little. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: hostileString },
    { weight: 3, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: hugeString },
    { weight: 1, arbitrary: hugeArray },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: protoPollution },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }) },
  ),
})).value;

// ---------------------------------------------------------------------------------------
// The OpenAPI document

export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

export interface ParamSpec {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI template, e.g. `/api/v1/courses/{id}`. */
  path: string;
  pathParams: ParamSpec[];
  queryParams: ParamSpec[];
  /** The JSON request body's schema (resolved), when the operation takes one. */
  body?: Schema;
  /** Media types of a file upload (multipart, CSV, XML, XLSX, octet-stream), if any. */
  uploads: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Follows `$ref`s and merges `allOf`, so that a schema's own fields are at hand. */
export function resolveSchema(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolveSchema(doc, doc.components?.schemas?.[name]);
  }
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((s) => resolveSchema(doc, s));
    const { allOf: _allOf, ...own } = schema;
    return parts.reduce<Schema>(
      (merged, part) => ({
        ...merged,
        ...part,
        properties: { ...merged.properties, ...part.properties },
        required: [...(merged.required ?? []), ...(part.required ?? [])],
      }),
      { ...own, type: 'object' },
    );
  }
  return schema;
}

/** Every operation of the JSON API (`/api/...`) as the OpenAPI document describes it. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const method of METHODS) {
      const op = item[method] as
        | {
            parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
            requestBody?: { content: Record<string, { schema?: Schema }> };
          }
        | undefined;
      if (!op) continue;
      const params = (where: string) =>
        (op.parameters ?? [])
          .filter((p) => p.in === where)
          .map((p) => ({
            name: p.name,
            required: !!p.required,
            schema: resolveSchema(doc, p.schema),
          }));
      const content = op.requestBody?.content ?? {};
      ops.push({
        method,
        path,
        pathParams: params('path'),
        queryParams: params('query'),
        body: content['application/json']
          ? resolveSchema(doc, content['application/json'].schema)
          : undefined,
        uploads: Object.keys(content).filter((type) => type !== 'application/json'),
      });
    }
  }
  return ops;
}

export const opName = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

/** Percent-encodes every byte but the unreserved ones (a lone surrogate becomes U+FFFD). */
export function encodeSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** A path or query value: text to encode, or raw URL text sent as it is (bad escapes). */
export type UrlValue = { text: string } | { raw: string };

const RAW_URL_VALUES = [
  '%',
  '%ZZ',
  '%C0%AF',
  '%E2%82',
  '%FF%FE',
  '%00',
  '%2e%2e',
  '%2F',
  '..%2F..%2Fetc%2Fpasswd',
  ';x=1',
  '*',
  ':id',
  '{id}',
  '$',
  '+',
  '%20',
];

/**
 * Ids and keys that name nothing: wrong shapes, injections, odd Unicode, numbers out of
 * range. Never a plain small integer, which could name a real slot.
 */
export const hostileId: fc.Arbitrary<UrlValue> = fc.oneof(
  {
    weight: 6,
    arbitrary: hostileString
      .filter((s) => s.length > 0 && !/^\s*\d{1,3}\s*$/.test(s))
      .map((text) => ({ text })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '0',
        '-1',
        '99999999999999999999',
        '2147483648',
        '1.5',
        '1e3',
        '0x1',
        '00000000-0000-0000-0000-000000000000',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
        '00000000-0000-0000-0000-00000000000g',
        'not-a-uuid',
      )
      .map((text) => ({ text })),
  },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_URL_VALUES).map((raw) => ({ raw })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'é', '/', "'"), fc.constantFrom(300, 3_000))
      .map(([c, n]) => ({ text: c.repeat(n) })),
  },
);

/** Query values: the hostile ids, plus empty values and huge ones. */
export const hostileQueryValue: fc.Arbitrary<UrlValue> = fc.oneof(
  { weight: 5, arbitrary: hostileId },
  { weight: 1, arbitrary: fc.constant({ text: '' }) },
  { weight: 1, arbitrary: fc.constantFrom('json', 'csv', 'xlsx').map((text) => ({ text })) },
);

export const urlText = (value: UrlValue) =>
  'raw' in value ? value.raw : encodeSegment(value.text);

/** Fills an OpenAPI path template: `values` by name (already URL text). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name]);
}

// ---------------------------------------------------------------------------------------
// Bodies

/** A plausible body from the schema: examples, enums, defaults, or a value of the type. */
export function sampleOf(schema: Schema, depth = 0): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (schema.type) {
    case 'string':
      return 'Contoh isian uji';
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    default:
      break;
  }
  if (!schema.properties || depth > 4) return {};
  return Object.fromEntries(
    (schema.required ?? []).map((key) => [key, sampleOf(schema.properties![key] ?? {}, depth + 1)]),
  );
}

/** The JSON type a field must have, when the document says it for sure. */
function knownType(schema: Schema): string | undefined {
  if (schema.properties) return 'object';
  // `type: object` without fields is how the generator writes `unknown` and unions.
  if (schema.type === 'object') return undefined;
  return schema.type;
}

/**
 * A value the field's validation must refuse. Shapes a lenient transformer could turn into
 * the right type (`"5"` or `[5]` or `true` for a number) are left out; `null` is left out
 * for optional fields, where it means "absent".
 */
function wrongTypeFor(type: string): fc.Arbitrary<unknown> {
  const object = fc.constantFrom<unknown>({}, { x: 1 }, { __proto__x: 'y' });
  const notNumeric = fc.constantFrom('abc', ' ', '1,5', '١', 'NaN', '0x', '1e', '--1');
  switch (type) {
    case 'string':
      return fc.oneof(
        hostileNumber,
        fc.boolean(),
        object,
        fc.array(hostileString, { minLength: 1, maxLength: 3 }),
      );
    case 'number':
    case 'integer':
      return fc.oneof(notNumeric, object, fc.constant([1, 2]));
    case 'boolean':
      return fc.oneof(
        fc.constantFrom('yes', 'on', 'ya', '2'),
        fc.constant(2),
        object,
        fc.constant([true, false]),
      );
    case 'array':
      return fc.oneof(
        fc.constant({ length: 1, 0: 'x' }),
        hostileNumber,
        fc.boolean(),
        fc.constant({}),
      );
    case 'object':
      return fc.oneof(hostileString, hostileNumber, fc.boolean());
    default:
      return fc.constant(Symbol('unreachable'));
  }
}

export type BodyCase =
  | { kind: 'json'; violation: string; value: unknown; field?: string }
  | { kind: 'text'; violation: string; contentType: string; text: string | Buffer };

const EXTRA_KEYS = [
  'isAdmin',
  'role_',
  'id',
  'createdAt',
  'passwordHash',
  '$where',
  '💥',
  'a b',
  '',
  'toString',
];

/**
 * Bodies that are invalid by construction, so a 2xx would mean validation let something
 * through (and the database would change): an unknown field (the validation pipe forbids
 * them), a field of the wrong type, a missing required field, a body that is not an object,
 * JSON that does not parse, or a body of another content type. The other fields carry
 * hostile values, so that every validator sees them.
 */
export function hostileBody(schema: Schema): fc.Arbitrary<BodyCase> {
  const props = schema.properties ?? {};
  const names = Object.keys(props);
  const required = schema.required ?? [];
  const base = fc
    .subarray(names)
    .chain((keys) => fc.tuple(...keys.map((k) => hostileValue.map((v) => [k, v] as const))))
    .map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
  const extraKey = fc
    .oneof(
      fc.constantFrom(...EXTRA_KEYS),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
    )
    // class-transformer drops `constructor` and `prototype` keys (harmless, not refused);
    // the JSON parser refuses `__proto__`.
    .filter((k) => !(k in props) && !['__proto__', 'constructor', 'prototype'].includes(k));

  const cases: fc.Arbitrary<BodyCase>[] = [
    fc.tuple(base, extraKey, hostileValue).map(([b, key, v]) => ({
      kind: 'json' as const,
      violation: 'unknown field',
      field: key,
      value: { ...b, [key]: v },
    })),
  ];
  const typed = names.filter((n) => knownType(props[n]) !== undefined);
  if (typed.length)
    cases.push(
      fc
        .constantFrom(...typed)
        .chain((field) =>
          fc.tuple(fc.constant(field), base, wrongTypeFor(knownType(props[field])!)),
        )
        .map(([field, b, v]) => ({
          kind: 'json' as const,
          violation: `wrong type for ${field}`,
          field,
          value: { ...b, [field]: v },
        })),
    );
  if (required.length)
    cases.push(
      fc.tuple(fc.constantFrom(...required), base).map(([field, b]) => {
        const { [field]: _dropped, ...rest } = b;
        return { kind: 'json' as const, violation: `missing ${field}`, field, value: rest };
      }),
    );
  cases.push(
    fc
      .oneof(
        hostileString,
        hostileNumber,
        fc.boolean(),
        fc.constant(null),
        fc.array(hostileValue, { maxLength: 3 }),
        hugeArray,
        deepNesting.filter((d) => d.json.startsWith('[')),
        hugeString,
      )
      .map((value) => ({ kind: 'json' as const, violation: 'not an object', value })),
    fc
      .constantFrom(
        '{"a":',
        "{'a':1}",
        '{"a":1,}',
        'NaN',
        'undefined',
        '{"a":01}',
        // (A BOM before valid JSON is allowed, as RFC 8259 lets parsers do.)
        '\uFEFF{"a":',
        '{"a":"\\ud800"',
        '{"a":"\\x41"}',
        '[1,2',
        ' ',
      )
      .map((text) => ({
        kind: 'text' as const,
        violation: 'malformed JSON',
        contentType: 'application/json',
        text,
      })),
    fc.constant<BodyCase>({
      kind: 'text',
      violation: 'invalid UTF-8',
      contentType: 'application/json; charset=utf-8',
      text: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]),
    }),
    fc
      .tuple(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'application/octet-stream',
          'application/json; charset=utf-16',
          'image/png',
        ),
        extraKey,
        hostileString,
      )
      .map(([contentType, key, v]) => ({
        kind: 'text' as const,
        violation: `content type ${contentType}`,
        contentType,
        text: contentType.includes('urlencoded')
          ? `${encodeSegment(key)}=${encodeSegment(v)}`
          : contentType.includes('xml')
            ? `<a>${v}</a>`
            : `${key}=${v}`,
      })),
  );
  return fc.oneof(...cases);
}

/**
 * A body whose every text field (nested ones and string lists too) holds `text`: every
 * validator of the route sees it. Must be sent with an unknown field, to stay invalid.
 */
export function everyTextField(schema: Schema, text: string, depth = 0): Record<string, unknown> {
  const fill = (prop: Schema): unknown => {
    const type = knownType(prop);
    if (type === 'string') return text;
    if (type === 'object' && depth < 3) return everyTextField(prop, text, depth + 1);
    if (type === 'array') {
      const items = prop.items ?? {};
      if (knownType(items) === 'string') return [text];
      if (items.properties && depth < 3) return [everyTextField(items, text, depth + 1)];
    }
    return sampleOf(prop);
  };
  return Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([field, prop]) => [field, fill(prop)]),
  );
}

/**
 * An otherwise plausible body with one field far too big (150 000 characters, more than any
 * field takes, or 20 000 items): a route must refuse it with a 4xx, not store it or fail in
 * the database.
 */
export function oversizedBodies(
  schema: Schema,
): { field: string; value: Record<string, unknown> }[] {
  const props = schema.properties ?? {};
  const sample = (sampleOf(schema) ?? {}) as Record<string, unknown>;
  return Object.entries(props).flatMap(([field, prop]) => {
    const type = knownType(prop);
    if (type === 'string')
      return [
        {
          field,
          value: {
            ...sample,
            [field]: new RawJson(JSON.stringify('é'.repeat(150_000)), '"é"×150000'),
          },
        },
      ];
    if (type === 'array')
      return [
        {
          field,
          value: {
            ...sample,
            [field]: new RawJson(`[${new Array(20_000).fill('"x"').join(',')}]`, '["x"×20000]'),
          },
        },
      ];
    return [];
  });
}

// ---------------------------------------------------------------------------------------
// Checks

/** What is wrong with an error response, or null: DESIGN.md's `{ statusCode, error, message }`. */
export function errorShapeProblem(res: Response): string | null {
  if (res.status < 400 || res.status >= 500) return `status ${res.status}`;
  if (!String(res.headers['content-type'] ?? '').includes('application/json'))
    return `content-type ${res.headers['content-type']}`;
  const body = res.body as { statusCode?: unknown; error?: unknown; message?: unknown };
  if (!body || typeof body !== 'object') return 'no JSON body';
  if (body.statusCode !== res.status) return `statusCode ${String(body.statusCode)}`;
  if (typeof body.error !== 'string' || !body.error) return 'no error';
  if (typeof body.message !== 'string' || !body.message.trim()) return 'no message';
  if (body.message.length > 4000) return `message of ${body.message.length} characters`;
  if (/QueryFailedError|SQLITE_|ER_[A-Z_]+|\n\s+at |TypeError|RangeError/.test(body.message))
    return `message leaks internals: ${body.message.slice(0, 200)}`;
  return null;
}

/** A short description of a response for a failure message. */
export function describeResponse(res: Response): string {
  const text = typeof res.text === 'string' ? res.text : JSON.stringify(res.body);
  return `${res.status} ${String(text ?? '').slice(0, 300)}`;
}

/**
 * Runs one property with its own seed (from its label) and returns null, or its smallest
 * counterexample as a readable failure with how to replay it.
 */
export async function checkProperty<T>(
  label: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
): Promise<string | null> {
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    seed: seedFor(label),
    numRuns: HOSTILE_RUNS,
  });
  if (!details.failed) return null;
  const error = details.errorInstance as Error | undefined;
  return (
    `${label}\n  input: ${describeValue(details.counterexample?.[0])}` +
    `\n  ${error?.message ?? String(details.errorInstance)}` +
    `\n  replay: HOSTILE_SEED=${HOSTILE_SEED} (property seed ${details.seed}, path ${details.counterexamplePath})`
  );
}

/** Describes a generated value without printing megabytes. */
export function describeValue(value: unknown): string {
  return fc
    .stringify(value)
    .replace(/"([^"]{120})[^"]{40,}"/g, '"$1…"')
    .slice(0, 600);
}

// ---------------------------------------------------------------------------------------
// The database

/** Tables that change on their own while the suite runs, with the reason. */
export const VOLATILE_TABLES: Record<string, string> = {
  // The scheduler takes and renews job leases on its own clock (every 30 s for the attempt
  // deadlines), whatever the requests do.
  job_leases: 'renewed by the scheduler',
};

/**
 * Rows that a read adds by design, with the reason: the snapshot after the suite leaves
 * them out, and nothing else a read writes is forgiven.
 */
export const RECORDED_READS: Record<string, { reason: string; row: RegExp }> = {
  // Each personal export is audited, however it was asked for (ADR 0038).
  audit_log: { reason: 'the personal export is audited', row: /"action":"self\.export"/ },
  // A development plan is proposed from the gaps on its first read, with its items (ADR 0040).
  development_plans: { reason: 'a plan is made on its first read', row: /"status":"draft"/ },
  development_plan_items: { reason: 'the items proposed with it', row: /"origin":"proposed"/ },
};

/** A snapshot without the rows {@link RECORDED_READS} lists. */
export function withoutRecordedReads(snapshot: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(snapshot).map(([table, lines]) => {
      const recorded = RECORDED_READS[table];
      return [table, recorded ? lines.filter((l) => !recorded.row.test(l)) : lines];
    }),
  );
}

/** Every row of every table (but the volatile ones), each as one line of JSON, sorted. */
export async function snapshotTables(ds: DataSource): Promise<Record<string, string[]>> {
  const tables = new Set(
    ds.entityMetadatas.filter((m) => m.tableType === 'regular').map((m) => m.tableName),
  );
  tables.add(ds.options.migrationsTableName ?? 'migrations');
  const result: Record<string, string[]> = {};
  for (const table of [...tables].sort()) {
    if (table in VOLATILE_TABLES) continue;
    const rows = (await ds.query(`SELECT * FROM ${ds.driver.escape(table)}`)) as Record<
      string,
      unknown
    >[];
    result[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(
            Object.keys(row)
              .sort()
              .map((k) => {
                const v = row[k];
                const plain =
                  v instanceof Date ? v.toISOString() : Buffer.isBuffer(v) ? v.toString('hex') : v;
                return [k, plain];
              }),
          ),
        ),
      )
      .sort();
  }
  return result;
}

/** Row count and checksum per table: what `expect(...).toEqual` compares. */
export function fingerprintOf(snapshot: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(snapshot).map(([table, lines]) => [
      table,
      `${lines.length} rows ${createHash('sha1').update(lines.join('\n')).digest('hex').slice(0, 12)}`,
    ]),
  );
}

/** The rows that appeared or went away, per table, to say what changed. */
export function tableChanges(
  before: Record<string, string[]>,
  after: Record<string, string[]>,
): string[] {
  return Object.keys(after).flatMap((table) => {
    const old = new Set(before[table] ?? []);
    const now = new Set(after[table]);
    return [
      ...after[table].filter((l) => !old.has(l)).map((l) => `${table} + ${l.slice(0, 400)}`),
      ...(before[table] ?? [])
        .filter((l) => !now.has(l))
        .map((l) => `${table} - ${l.slice(0, 400)}`),
    ];
  });
}
