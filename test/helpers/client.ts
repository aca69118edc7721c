import request from 'supertest';
import TestAgent from 'supertest/lib/agent.js';

/** The HTTP methods the API uses. */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Requests that already carry one user's access token. Each method returns supertest's own
 * `Test`, so `.send`, `.query`, `.set`, `.attach` and `.expect` chain as on `t.http`.
 */
export type ApiClient = Record<Method, (path: string) => request.Test>;

/**
 * A client speaking as the holder of `token`, on an app's agent or a running app's base URL.
 * Who asks is said once, where the test says it, rather than as a header on every request
 * (a forgotten one silently turns a permission test into an anonymous one).
 */
export function clientAs(target: TestAgent | string, token: string): ApiClient {
  const http = typeof target === 'string' ? request(target) : target;
  const as =
    (method: Method) =>
    (path: string): request.Test =>
      http[method](path).auth(token, { type: 'bearer' });
  return {
    get: as('get'),
    post: as('post'),
    put: as('put'),
    patch: as('patch'),
    delete: as('delete'),
  };
}
