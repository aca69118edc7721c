import fc from 'fast-check';
import type { Response } from 'supertest';
import {
  checkProperty,
  type BodyCase,
  describeResponse,
  errorShapeProblem,
  everyTextField,
  fillPath,
  fingerprintOf,
  hostileBody,
  hostileId,
  hostileQueryValue,
  hostileValue,
  HOSTILE_RUNS,
  HOSTILE_SEED,
  NASTY_STRINGS,
  type Operation,
  opName,
  operationsOf,
  oversizedBodies,
  sampleOf,
  snapshotTables,
  tableChanges,
  toJsonText,
  urlText,
  VOLATILE_TABLES,
  RECORDED_READS,
  withoutRecordedReads,
} from '../helpers/hostile.js';
import {
  type HostileFixtures,
  realParam,
  seedHostileFixtures,
} from '../helpers/hostile-fixtures.js';
import { bootTestApp, engine, type TestApp } from '../helpers/test-app.js';

/** Per test: a deeper local run (`HOSTILE_RUNS=100`) takes longer than Jest's minute. */
const TIMEOUT = Math.max(60_000, HOSTILE_RUNS * 6_000);

/**
 * Issue 11: every JSON route, read from the OpenAPI document, gets generated bad bodies,
 * path parameters and query values. Each answer is a 4xx in DESIGN.md's error shape (never
 * a 500, never a hang), and the database is the same afterwards. The caller is an admin, who
 * passes every guard, so that validation is what is exercised.
 */
describe(`hostile input on every JSON route (${engine})`, () => {
  let t: TestApp;
  let fx: HostileFixtures;
  let ops: Operation[];
  let before: Record<string, string[]>;
  const unknownParams = new Set<string>();
  const covered = new Set<string>();
  const tried = { bodies: 0, ids: 0, queries: 0, oversized: 0 };
  /** Path-fuzzed operations whose sample body passed validation, so the service saw the id. */
  const samplesReachedService = new Set<string>();
  const started = Date.now();

  beforeAll(async () => {
    t = await bootTestApp();
    fx = await seedHostileFixtures(t);
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    ops = operationsOf(doc);
    before = await snapshotTables(t.dataSource);
  });

  afterAll(async () => {
    const total = tried.bodies + tried.ids + tried.queries + tried.oversized;
    console.log(
      `hostile input (${engine}, seed ${HOSTILE_SEED}, ${HOSTILE_RUNS} runs per property): ` +
        `${covered.size} of ${ops?.length ?? 0} routes covered, ${total} inputs tried ` +
        `(${tried.bodies} bodies, ${tried.oversized} oversized fields, ${tried.ids} path ` +
        `parameters, ${tried.queries} query strings); ${samplesReachedService.size} routes ` +
        `took a hostile id with a valid body; ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (unknownParams.size ? `; no real record for ${[...unknownParams].join(', ')}` : '') +
        // Actions with neither a parameter nor a body: nothing to send them but the action.
        `; not covered: ${
          (ops ?? [])
            .map(opName)
            .filter((n) => !covered.has(n))
            .join(', ') || 'none'
        }`,
    );
    await t?.close();
  });

  const realParams = (op: Operation, except?: string) =>
    Object.fromEntries(
      op.pathParams
        .filter((p) => p.name !== except)
        .map((p) => [p.name, encodeURIComponent(realParam(op, p.name, fx.ids, unknownParams))]),
    );

  async function send(
    op: Operation,
    url: string,
    body?: BodyCase | { kind: 'sample'; value: unknown },
    token = fx.admin,
  ): Promise<Response> {
    covered.add(opName(op));
    let req = t.as(token)[op.method](url).timeout({ response: 20_000, deadline: 30_000 });
    if (body?.kind === 'text') req = req.set('content-type', body.contentType).send(body.text);
    else if (body) req = req.set('content-type', 'application/json').send(toJsonText(body.value));
    return req;
  }

  it(
    'refuses hostile JSON bodies with a 4xx that names the field',
    async () => {
      const failures: string[] = [];
      for (const op of ops.filter((o) => o.body)) {
        const url = fillPath(op.path, realParams(op));
        const failure = await checkProperty(
          `${opName(op)} body`,
          hostileBody(op.body!),
          async (c) => {
            tried.bodies += 1;
            const res = await send(op, url, c);
            const problem = errorShapeProblem(res);
            if (problem) throw new Error(`${problem} (${c.violation}): ${describeResponse(res)}`);
            const { errors, code } = res.body as { errors?: { field: string }[]; code?: string };
            // The validation pipe's answer lists every field at fault; a body refused before it
            // (bad Unicode, too deep: a `request.*` code) names only what refused it.
            if (
              c.kind === 'json' &&
              c.field !== undefined &&
              res.status === 400 &&
              errors &&
              !code
            ) {
              const named = errors.some(
                (e) => e.field === c.field || e.field.startsWith(`${c.field}.`),
              );
              if (!named)
                throw new Error(`400 does not name "${c.field}": ${describeResponse(res)}`);
            }
          },
        );
        if (failure) failures.push(failure);
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'survives every nasty string in every text field of every body (swept, not sampled)',
    async () => {
      // Validators run on every field even when one is unknown: a validator that throws on
      // some text (isEmail did on a lone surrogate) shows here, whatever the seed.
      const failures: string[] = [];
      for (const op of ops.filter((o) => o.body)) {
        const url = fillPath(op.path, realParams(op));
        for (const text of NASTY_STRINGS) {
          tried.bodies += 1;
          const value = { ...everyTextField(op.body!, text), 'unknown-field': 1 };
          const res = await send(op, url, { kind: 'sample', value });
          const problem = errorShapeProblem(res);
          if (problem)
            failures.push(
              `${opName(op)} ${JSON.stringify(text)}: ${problem}: ${describeResponse(res)}`,
            );
        }
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'refuses oversized fields in otherwise plausible bodies',
    async () => {
      const failures: string[] = [];
      for (const op of ops.filter((o) => o.body)) {
        const url = fillPath(op.path, realParams(op));
        for (const { field, value } of oversizedBodies(op.body!)) {
          tried.oversized += 1;
          const res = await send(op, url, { kind: 'sample', value });
          const problem = errorShapeProblem(res);
          if (problem)
            failures.push(`${opName(op)} oversized ${field}: ${problem}: ${describeResponse(res)}`);
          const errors = (res.body as { errors?: { field: string }[] }).errors;
          if (
            !problem &&
            res.status === 400 &&
            errors &&
            !errors.some((e) => e.field.startsWith(field))
          )
            failures.push(
              `${opName(op)} oversized ${field}: 400 does not name it: ${describeResponse(res)}`,
            );
        }
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'refuses hostile path parameters (ids, codes, slots) with a 4xx',
    async () => {
      const failures: string[] = [];
      // The ASN's own attempt and enrolment: as their owner, the service looks the ids up
      // (the admin is refused before, as a record-level check).
      const asOwner = (op: Operation) => /^\/api\/v1\/(attempts|enrollments|me)\//.test(op.path);
      for (const op of ops) {
        for (const param of op.pathParams) {
          const others = realParams(op, param.name);
          const body = op.body ? { kind: 'sample' as const, value: sampleOf(op.body) } : undefined;
          const callers = asOwner(op) ? [fx.admin, fx.asn] : [fx.admin];
          const failure = await checkProperty(
            `${opName(op)} {${param.name}}`,
            fc.tuple(hostileId, fc.constantFrom(...callers)),
            async ([id, token]) => {
              tried.ids += 1;
              const res = await send(
                op,
                fillPath(op.path, { ...others, [param.name]: urlText(id) }),
                body,
                token,
              );
              const problem = errorShapeProblem(res);
              if (problem) throw new Error(`${problem}: ${describeResponse(res)}`);
              if (body && res.status !== 400) samplesReachedService.add(opName(op));
            },
          );
          if (failure) failures.push(failure);
        }
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'answers hostile query values without a 5xx, and refuses the ones outside their type',
    async () => {
      const failures: string[] = [];
      for (const op of ops.filter((o) => o.queryParams.length)) {
        const url = fillPath(op.path, realParams(op));
        const names = op.queryParams.map((p) => p.name);
        const arbitrary = fc.tuple(
          fc.uniqueArray(fc.constantFrom(...names), { minLength: 1 }),
          fc.array(hostileQueryValue, { minLength: names.length, maxLength: names.length }),
          fc.boolean(),
        );
        const failure = await checkProperty(
          `${opName(op)} query`,
          arbitrary,
          async ([chosen, values, repeat]) => {
            tried.queries += 1;
            const pairs = chosen.flatMap((name, i) => {
              const pair = `${name}=${urlText(values[i])}`;
              // A repeated key arrives as an array: `?format=csv&format=xlsx`.
              return repeat && i === 0
                ? [pair, `${name}=${urlText(values[(i + 1) % values.length])}`]
                : [pair];
            });
            const res = await send(op, `${url}?${pairs.join('&')}`);
            if (op.method !== 'get' || res.status >= 400) {
              const problem = errorShapeProblem(res);
              if (problem) throw new Error(`${problem}: ${describeResponse(res)}`);
              return;
            }
            // A value outside an enum or a number type must not be taken for a valid one.
            const bad = chosen.find((name, i) => {
              const schema = op.queryParams.find((p) => p.name === name)!.schema;
              const value = values[i];
              const text = 'raw' in value ? value.raw : value.text;
              if (!text.trim()) return false;
              if (repeat && i === 0) return true;
              if (schema.enum) return !schema.enum.includes(text);
              if (schema.type === 'number' || schema.type === 'integer')
                return !/^-?\d+$/.test(text);
              return false;
            });
            if (bad) throw new Error(`${res.status} for ${bad}: ${describeResponse(res)}`);
          },
        );
        if (failure) failures.push(failure);
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'answers unknown hostile query parameters on every read without a 5xx',
    async () => {
      const failures: string[] = [];
      for (const op of ops.filter((o) => o.method === 'get')) {
        const url = fillPath(op.path, realParams(op));
        const failure = await checkProperty(
          `${opName(op)} unknown query`,
          fc.tuple(hostileId, hostileQueryValue),
          async ([key, value]) => {
            tried.queries += 1;
            const res = await send(op, `${url}?${urlText(key)}=${urlText(value)}`);
            if (res.status >= 500 || (res.status >= 400 && errorShapeProblem(res)))
              throw new Error(`${errorShapeProblem(res)}: ${describeResponse(res)}`);
          },
        );
        if (failure) failures.push(failure);
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'refuses answers of the wrong shape for the question, naming the response',
    async () => {
      // The open attempt holds true/false questions: anything but a boolean (or null, which
      // clears an answer) is the wrong shape, whatever it holds.
      const op = ops.find((o) => o.path === '/api/v1/attempts/{id}/answers/{slot}')!;
      const url = `/api/v1/attempts/${fx.ids.attempt}/answers/1`;
      const failure = await checkProperty(
        'PUT answer response',
        hostileValue.filter((v) => typeof v !== 'boolean' && v !== null),
        async (response) => {
          tried.bodies += 1;
          const res = await send(op, url, { kind: 'sample', value: { response } }, fx.asn);
          const problem = errorShapeProblem(res);
          if (problem) throw new Error(`${problem}: ${describeResponse(res)}`);
          const errors = (res.body as { errors?: { field: string }[] }).errors;
          // (A body nested too deep is refused before anything reads it, without a field.)
          if (res.status === 400 && errors && !errors.some((e) => e.field.startsWith('response')))
            throw new Error(`400 does not name response: ${describeResponse(res)}`);
        },
      );
      expect(failure).toBeNull();
    },
    TIMEOUT,
  );

  it(
    'left the database as it was',
    async () => {
      // Tables left out, and why: see VOLATILE_TABLES.
      expect(Object.keys(VOLATILE_TABLES)).toEqual(['job_leases']);
      expect(Object.keys(RECORDED_READS)).toEqual([
        'audit_log',
        'development_plans',
        'development_plan_items',
      ]);
      const after = withoutRecordedReads(await snapshotTables(t.dataSource));
      expect({ fingerprint: fingerprintOf(after), changes: tableChanges(before, after) }).toEqual({
        fingerprint: fingerprintOf(before),
        changes: [],
      });
    },
    TIMEOUT,
  );
});
