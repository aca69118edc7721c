/**
 * Calls the e2e suite makes, written against the client types `npm run openapi:check`
 * generates from the served document (openapi-typescript, dist/openapi/schema.d.ts). It is
 * type-checked, never run: a route whose success body, error body, parameters or request
 * media type drift from what these calls expect fails the build (ADR 0037).
 */
import type { components, paths } from '../../dist/openapi/schema.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Responses<P extends keyof paths, M extends Method> =
  Operation<P, M> extends {
    responses: infer R;
  }
    ? R
    : never;
/** The JSON body of one status of an operation (`never` when the document gives none). */
type Body<P extends keyof paths, M extends Method, S extends keyof Responses<P, M>> = Responses<
  P,
  M
>[S] extends { content: { 'application/json': infer B } }
  ? B
  : never;
/** The request body of one media type of an operation. */
type RequestOf<P extends keyof paths, M extends Method, T extends string> =
  Operation<P, M> extends { requestBody?: { content: infer C } }
    ? T extends keyof C
      ? C[T]
      : never
    : never;
type ErrorBody = components['schemas']['ErrorResponse'];

/** A minimal typed client, in the manner of openapi-fetch. */
declare function call<P extends keyof paths, M extends Method>(
  method: M,
  path: P,
  init: {
    params?: Operation<P, M> extends { parameters: infer Q } ? Q : never;
    body?: unknown;
    contentType?: string;
    token?: string;
  },
): Promise<{ status: number; data: unknown }>;

export async function signIn(): Promise<string> {
  const body: RequestOf<'/api/v1/auth/login', 'post', 'application/json'> = {
    username: '199003152015032001',
    password: 'Demo-Sertifikasi-2026',
  };
  const res = await call('post', '/api/v1/auth/login', { body });
  if (res.status === 401 || res.status === 429) {
    const error = res.data as Body<'/api/v1/auth/login', 'post', 401>;
    throw new Error(`${error.statusCode} ${error.message} (${error.requestId ?? ''})`);
  }
  const tokens = res.data as Body<'/api/v1/auth/login', 'post', 200>;
  const expires: number = tokens.expiresIn;
  const role: string = tokens.user.role;
  return `${tokens.accessToken} ${tokens.refreshToken} ${expires} ${role}`;
}

export async function me(token: string): Promise<string> {
  const res = await call('get', '/api/v1/me', { token });
  const user = res.data as Body<'/api/v1/me', 'get', 200>;
  return `${user.nip} ${user.name} ${user.sectors.join(',')} ${user.position?.code ?? ''}`;
}

export async function myCertificates(token: string): Promise<string[]> {
  const res = await call('get', '/api/v1/me/certificates', { token });
  const certificates = res.data as Body<'/api/v1/me/certificates', 'get', 200>;
  return certificates.map((c) => `${c.id} ${c.number} ${c.code} ${c.status}`);
}

export async function verify(code: string): Promise<string> {
  const params: Operation<'/api/v1/verify/{code}', 'get'>['parameters'] = { path: { code } };
  // Public: no token.
  const res = await call('get', '/api/v1/verify/{code}', { params });
  if (res.status === 404 || res.status === 429) {
    const error = res.data as Body<'/api/v1/verify/{code}', 'get', 404 | 429>;
    return error.message;
  }
  const record = res.data as Body<'/api/v1/verify/{code}', 'get', 200>;
  return `${record.valid} ${record.status} ${record.certificate.number}`;
}

/** A 400 names each field at fault and why. */
export function fieldsAtFault(error: ErrorBody): string[] {
  return (error.errors ?? []).map((e) => `${e.field}: ${e.reason} (${e.code ?? ''})`);
}

export async function createUserRefused(token: string): Promise<string[]> {
  const body: RequestOf<'/api/v1/users', 'post', 'application/json'> = {
    nip: '199001012015031001',
    name: 'Uji Coba',
    email: 'uji@example.go.id',
    role: 'asn',
  };
  const res = await call('post', '/api/v1/users', { token, body });
  if (res.status === 400) return fieldsAtFault(res.data as Body<'/api/v1/users', 'post', 400>);
  if (res.status === 409) return [(res.data as Body<'/api/v1/users', 'post', 409>).message];
  return [(res.data as Body<'/api/v1/users', 'post', 201>).id];
}

/** GIFT goes as text/plain, the whole body: not `{ file }` as JSON. */
export async function importGift(token: string, bankId: string, gift: string): Promise<number> {
  const body: RequestOf<'/api/v1/question-banks/{id}/import', 'post', 'text/plain'> = gift;
  const xml: RequestOf<'/api/v1/question-banks/{id}/import', 'post', 'application/xml'> = '<quiz/>';
  const params: Operation<'/api/v1/question-banks/{id}/import', 'post'>['parameters'] = {
    path: { id: bankId },
    query: { format: 'gift', dryRun: 'true' },
  };
  await call('post', '/api/v1/question-banks/{id}/import', {
    token,
    params,
    body: xml,
    contentType: 'application/xml',
  });
  const res = await call('post', '/api/v1/question-banks/{id}/import', {
    token,
    params,
    body,
    contentType: 'text/plain',
  });
  const report = res.data as Body<'/api/v1/question-banks/{id}/import', 'post', 200>;
  return report.imported;
}

export async function startAndAnswer(token: string, assessmentId: string): Promise<number> {
  const started = await call('post', '/api/v1/assessments/{id}/attempts', {
    token,
    params: { path: { id: assessmentId } } as Operation<
      '/api/v1/assessments/{id}/attempts',
      'post'
    >['parameters'],
    body: {},
  });
  const attempt = started.data as Body<'/api/v1/assessments/{id}/attempts', 'post', 201>;
  const answer: RequestOf<'/api/v1/attempts/{id}/answers/{slot}', 'put', 'application/json'> = {
    response: attempt.items[0].options?.[0]?.id ?? null,
  };
  const saved = await call('put', '/api/v1/attempts/{id}/answers/{slot}', {
    token,
    params: { path: { id: attempt.id, slot: 1 } } as Operation<
      '/api/v1/attempts/{id}/answers/{slot}',
      'put'
    >['parameters'],
    body: answer,
  });
  if (saved.status === 429)
    return (saved.data as Body<'/api/v1/attempts/{id}/answers/{slot}', 'put', 429>).statusCode;
  return (saved.data as Body<'/api/v1/attempts/{id}/answers/{slot}', 'put', 200>).seq;
}

/** The key set that verifies credentials is public and JSON. */
export async function jwks(): Promise<string[]> {
  const res = await call('get', '/.well-known/jwks.json', {});
  return (res.data as Body<'/.well-known/jwks.json', 'get', 200>).keys.map((k) => k.kid ?? '');
}

/** Reports: JSON rows, or a file where the route says so. */
export async function jpReport(token: string): Promise<number> {
  const params: Operation<'/api/v1/reports/jp', 'get'>['parameters'] = {
    query: { year: 2026, format: 'csv', delimiter: 'semicolon' },
  };
  await call('get', '/api/v1/reports/jp', { token, params });
  const dashboard: Operation<'/api/v1/reports/dashboards/admin', 'get'>['parameters'] = {
    query: { year: 2026, sector: 'health' },
  };
  const res = await call('get', '/api/v1/reports/dashboards/admin', { token, params: dashboard });
  return Object.keys(res.data as Body<'/api/v1/reports/dashboards/admin', 'get', 200>).length;
}
