import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type RunningApp, sleep, startApp, stopApp } from '../helpers/child-app.js';
import { createTestDatabase, engine, TestDatabase } from '../helpers/test-app.js';

/*
 * The compiled app at LOG_LEVEL=info writes one short JSON line per request: its id (the
 * caller's X-Request-Id when sane), method, path and status; never a token, never the
 * liveness probe.
 */
describe(`request log (${engine})`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sa-log-'));
    app = await startApp(database.url, dataDir, { LOG_LEVEL: 'info' });
  }, 180_000);

  afterAll(async () => {
    await stopApp(app);
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs each request in one line with its id and status, without secrets', async () => {
    const secret = 'Bearer not-a-real-token-but-secret-anyway';
    await fetch(`${app!.base}/health/live`);
    const reply = await fetch(`${app!.base}/api/v1/me`, {
      headers: { authorization: secret, 'x-request-id': 'uji-log-0001' },
    });
    expect(reply.status).toBe(401);
    await sleep(200);
    const lines = app!
      .output()
      .split('\n')
      .filter((line) => line.includes('"request completed"'))
      .map((line) => JSON.parse(line) as Record<string, Record<string, unknown>>);
    const me = lines.find((l) => l.req?.url === '/api/v1/me');
    expect(me).toMatchObject({
      req: { id: 'uji-log-0001', method: 'GET', url: '/api/v1/me' },
      res: { statusCode: 401 },
    });
    expect(lines.some((l) => l.req?.url === '/health/live')).toBe(false);
    expect(app!.output()).not.toContain('not-a-real-token');
  });
});
