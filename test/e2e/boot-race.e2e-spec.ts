import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, readRows, type RunningApp, startApp, stopApp } from '../helpers/child-app.js';
import { createTestDatabase, engine, TestDatabase } from '../helpers/test-app.js';

/*
 * Three processes of the compiled app started at the same moment on one fresh database, as a
 * compose file with three replicas does on its first start: one runs the migrations, the
 * content sync and the seeding under the boot lease, the others wait for it and then find
 * nothing left to do. All three come up; nothing is done twice.
 */

const INSTANCES = 3;
/** Three fresh boots one after the other, on a loaded CI machine: generous, not a speed check. */
const BOOT_TIMEOUT_MS = 240_000;

describe(`several instances starting together on a fresh database (${engine})`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let apps: RunningApp[] = [];
  let started: PromiseSettledResult<RunningApp>[] = [];

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sa-boot-race-'));
    // Demo data on: its seeding writes shared rows at boot too.
    const env = { DEMO_DATA: 'true' };
    started = await Promise.allSettled(
      Array.from({ length: INSTANCES }, () =>
        startApp(database.url, dataDir, env, BOOT_TIMEOUT_MS),
      ),
    );
    apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => stopApp(app)));
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const rows = <T>(sql: string) => readRows<T>(database.url, sql);
  const count = async (sql: string) => Number((await rows<{ n: number }>(sql))[0].n);

  it('starts every instance, and each answers /health', async () => {
    const failures = started.flatMap((s) =>
      s.status === 'rejected' ? [String((s.reason as Error).message)] : [],
    );
    expect(failures).toEqual([]);
    expect(apps).toHaveLength(INSTANCES);
    for (const app of apps) expect((await fetch(`${app.base}/health`)).status).toBe(200);
  });

  it('records each migration once', async () => {
    const names = await rows<{ name: string }>('SELECT name FROM migrations');
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names.map((m) => m.name)).size).toBe(names.length);
  });

  it('syncs the content once: one report per sector, one item per pack entry', async () => {
    const syncs = await rows<{ sector: string }>('SELECT sector FROM content_syncs');
    expect(syncs.length).toBeGreaterThan(0);
    expect(new Set(syncs.map((s) => s.sector)).size).toBe(syncs.length);
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM (SELECT sector, kind, code FROM content_items
           GROUP BY sector, kind, code HAVING COUNT(*) > 1) d`,
      ),
    ).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'content.sync'`)).toBe(
      syncs.length,
    );
  });

  it('leaves the boot lease released', async () => {
    expect(await count('SELECT COUNT(*) AS n FROM boot_leases')).toBe(0);
  });

  it('logs that the later instances waited for the first', () => {
    const waited = apps.filter((app) => /Waiting for another instance/.test(app.output()));
    expect(waited.length).toBeGreaterThanOrEqual(1);
  });
});
