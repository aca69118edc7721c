import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  CHILD_ADMIN as ADMIN,
  ensureBuilt,
  login,
  publishExam,
  type RunningApp,
  signedInAsn,
  sleep,
  startApp,
  stopApp,
} from '../helpers/child-app.js';
import { aNip } from '../helpers/nip.js';
import {
  createTestDatabase,
  engine,
  TestDatabase,
  TEST_REDIS_URL as REDIS_URL,
} from '../helpers/test-app.js';
import { clientAs } from '../helpers/client.js';

/*
 * WORKERS=2: the compiled app as a node:cluster primary and two HTTP workers on one port.
 * The exam goes on whichever worker takes each connection; a worker that dies is replaced
 * while the other serves; SIGTERM ends them all. Several workers need MariaDB and Redis
 * (app-config refuses otherwise), so on SQLite this file checks the refusal only.
 */

/** The worker processes under the primary. */
function workersOf(app: RunningApp): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(app.child.pid)], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

async function until<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = probe();
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe(`WORKERS=2: one port, two processes (${engine})`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: RunningApp | undefined;
  const prefix = `sa-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sa-cluster-'));
  }, 180_000);

  afterAll(async () => {
    await stopApp(app);
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  if (engine === 'sqlite') {
    it('is refused on SQLite, naming WORKERS and the reason', async () => {
      await expect(
        startApp(database.url, dataDir, { WORKERS: '2', REDIS_URL, REDIS_PREFIX: prefix }),
      ).rejects.toThrow(/WORKERS.*MySQL\/MariaDB/);
    });
    return;
  }

  it('is refused without Redis', async () => {
    await expect(startApp(database.url, dataDir, { WORKERS: '2' })).rejects.toThrow(
      /WORKERS.*REDIS_URL/,
    );
  });

  it('serves an exam from two workers, replaces a killed one, and stops on SIGTERM', async () => {
    app = await startApp(database.url, dataDir, {
      WORKERS: '2',
      REDIS_URL,
      REDIS_PREFIX: prefix,
    });
    // Until both listen: the primary hands connections only to workers that listen.
    const listening = () => app!.output().match(/Worker \d+ \(pid \d+\) listening/g)?.length ?? 0;
    await until('two listening workers', () => listening() === 2);
    const workers = workersOf(app);
    expect(workers).toHaveLength(2);

    const admin = await login(app.base, ADMIN.email, ADMIN.password);
    const { id: assessmentId } = await publishExam(app.base, admin, {
      gift: '::Q1:: Benar? {T}\n\n::Q2:: Salah? {F}',
      count: 2,
      coordinatorEmail: 'koordinator@cluster.uji.example',
      title: 'Ujian Dua Pekerja',
    });
    const asn = await signedInAsn(app.base, admin, aNip(7101));
    // A new connection per request (supertest): the primary hands them out in turn.
    const attempt = (
      await clientAs(app.base, asn).post(`/api/v1/assessments/${assessmentId}/attempts`).expect(201)
    ).body as { id: string; items: { slot: number }[] };

    // One worker dies mid-exam: the primary replaces it, and the exam goes on.
    process.kill(workers[0], 'SIGKILL');
    await until('a replacement worker', () => listening() === 3);
    const replaced = workersOf(app);
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(workers[0]);
    for (const [n, item] of attempt.items.entries())
      await clientAs(app.base, asn)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: n === 0, seq: 1 })
        .expect(200);
    const submitted = await clientAs(app.base, asn)
      .post(`/api/v1/attempts/${attempt.id}/submit`)
      .expect(200);
    expect(submitted.body.status).toBe('graded');
    expect(submitted.body.items.map((i: { response: unknown }) => i.response)).toEqual([
      true,
      false,
    ]);

    // SIGTERM to the primary: every worker drains and exits, then the primary, with 0.
    app.child.kill('SIGTERM');
    const [code] = (await app.exited) as [number | null];
    expect(code).toBe(0);
    await until('the workers to exit', () => replaced.every((pid) => !alive(pid)));
  }, 120_000);
});
