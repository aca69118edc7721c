import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  CHILD_ADMIN as ADMIN,
  ensureBuilt,
  execute,
  login,
  publishExam,
  readRows,
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
 * Two processes of the compiled app (`node dist/src/main.js`) on one database and one Redis,
 * as two machines behind a load balancer: nothing shared but what production shares. Their
 * real cron fires in both, and each tick of a job must run in one of them only; an ASN's
 * exam goes back and forth between them with nothing lost; the login and answer-save limits
 * are counted once for both. (`two-instances.e2e-spec` proves the same finer-grained with
 * two apps in Jest's process; this one proves nothing in-process was holding it together.)
 */

const QUESTIONS = 4;
const GIFT = Array.from(
  { length: QUESTIONS },
  (_, i) => `::Q${i + 1}:: Pernyataan nomor ${i + 1} benar? {T}`,
).join('\n\n');
const ANSWER_LIMIT = 6;
const LOGIN_LIMIT = 4;

type JobRuns = Record<'ran' | 'skipped' | 'failed', number>;

/** The job's tick outcomes this process counted, from its Prometheus /metrics. */
async function jobRuns(app: RunningApp, job: string): Promise<JobRuns> {
  const text = await (await fetch(`${app.base}/metrics`)).text();
  const count = (outcome: string) => {
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`sertifikasi_job_runs_total{job="${job}",outcome="${outcome}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return { ran: count('ran'), skipped: count('skipped'), failed: count('failed') };
}

const ticks = (runs: JobRuns) => runs.ran + runs.skipped + runs.failed;

describe(`two app processes on one database and one Redis (${engine})`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let apps: RunningApp[] = [];
  const prefix = `sa-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sa-two-'));
    const env = {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      ANSWER_RATE_LIMIT: String(ANSWER_LIMIT),
      LOGIN_RATE_LIMIT_ACCOUNT: String(LOGIN_LIMIT),
    };
    // One after the other: the first runs the migrations, the second finds none pending.
    apps.push(await startApp(database.url, dataDir, env));
    apps.push(await startApp(database.url, dataDir, env));
  }, 180_000);

  afterAll(async () => {
    for (const app of apps) await stopApp(app);
    apps = [];
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs each cron tick in one process, moves an exam between them, and shares the limits', async () => {
    const [a, b] = apps;
    const admin = await login(a.base, ADMIN.email, ADMIN.password);
    const { id: assessmentId } = await publishExam(a.base, admin, {
      gift: GIFT,
      count: QUESTIONS,
      coordinatorEmail: 'koordinator@dua.uji.example',
      title: 'Ujian Dua Proses',
    });
    const attemptOf = async (token: string, on: RunningApp) =>
      (
        await clientAs(on.base, token)
          .post(`/api/v1/assessments/${assessmentId}/attempts`)
          .expect(201)
      ).body as { id: string; items: { slot: number }[] };

    // An exam started on A, answered alternately on A and B, one stale save, submitted on B.
    const asn = await signedInAsn(a.base, admin, aNip(7001));
    const attempt = await attemptOf(asn, a);
    const save = (on: RunningApp, slot: number, response: boolean, seq: number) =>
      clientAs(on.base, asn)
        .put(`/api/v1/attempts/${attempt.id}/answers/${slot}`)
        .send({ response, seq })
        .expect(200);
    const slots = attempt.items.map((i) => i.slot);
    await save(b, slots[0], false, 1);
    await save(a, slots[1], true, 1);
    await save(b, slots[0], true, 2);
    expect((await save(a, slots[0], false, 1)).body).toMatchObject({ saved: false, seq: 2 });
    await save(a, slots[2], true, 1);
    const read = await clientAs(b.base, asn).get(`/api/v1/attempts/${attempt.id}`);
    expect(read.body.items.map((i: { response: unknown }) => i.response)).toEqual(
      slots.map((_, n) => (n < 3 ? true : null)),
    );
    const submitted = await clientAs(b.base, asn)
      .post(`/api/v1/attempts/${attempt.id}/submit`)
      .expect(200);
    expect(submitted.body.result).toMatchObject({ score: 3, maxScore: QUESTIONS });
    await clientAs(a.base, asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/${slots[3]}`)
      .send({ response: true, seq: 9 })
      .expect(409);

    // The answer-save limit of one candidate counts on both: half on A, half on B, then 429.
    const busy = await signedInAsn(a.base, admin, aNip(7002));
    const busyAttempt = await attemptOf(busy, b);
    const busySave = (on: RunningApp, seq: number) =>
      clientAs(on.base, busy)
        .put(`/api/v1/attempts/${busyAttempt.id}/answers/${busyAttempt.items[0].slot}`)
        .send({ response: true, seq });
    for (let seq = 1; seq <= ANSWER_LIMIT; seq++) await busySave(seq % 2 ? a : b, seq).expect(200);
    const refused = await busySave(a, ANSWER_LIMIT + 1).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await busySave(b, ANSWER_LIMIT + 2).expect(429);

    // Login attempts on one account count on both processes too.
    const guessed = aNip(7003);
    await signedInAsn(a.base, admin, guessed);
    const guess = (on: RunningApp) =>
      request(on.base)
        .post('/api/v1/auth/login')
        .send({ username: guessed, password: 'Salah-Tebak-2026' });
    // The signing-in above was the first of LOGIN_LIMIT.
    for (let n = 2; n <= LOGIN_LIMIT; n++) await guess(n % 2 ? a : b).expect(401);
    await guess(a).expect(429);
    await guess(b).expect(429);

    // Attempts whose time ran out, left for the cron of either process to close.
    const overdue: string[] = [];
    for (let n = 0; n < 3; n++) {
      const token = await signedInAsn(b.base, admin, aNip(7100 + n));
      overdue.push((await attemptOf(token, n % 2 ? a : b)).id);
    }
    const overdueIds = overdue.map(() => '?').join(',');
    await execute(
      database.url,
      `UPDATE attempts SET deadline = startedAt WHERE id IN (${overdueIds})`,
      overdue,
    );

    // Wait until both processes have seen two ticks of the 30-second job and one of the
    // one-minute outbox, then read their counters between ticks (ticks fall on :00 and :30).
    const enough = async () => {
      for (const app of apps) {
        if (ticks(await jobRuns(app, 'assessment.close-overdue')) < 2) return false;
        if (ticks(await jobRuns(app, 'mail.outbox')) < 1) return false;
      }
      return true;
    };
    const deadline = Date.now() + 100_000;
    while (!(await enough()) && Date.now() < deadline) await sleep(1000);
    while (new Date().getSeconds() % 30 < 5 || new Date().getSeconds() % 30 > 25) await sleep(500);
    for (const job of ['assessment.close-overdue', 'mail.outbox']) {
      const [onA, onB] = await Promise.all(apps.map((app) => jobRuns(app, job)));
      // Each process's cron fired at every tick since it started; A started first, so B's
      // ticks are among A's, and each of A's ticks ran in exactly one of the two.
      expect({ job, failed: onA.failed + onB.failed }).toEqual({ job, failed: 0 });
      expect(ticks(onB)).toBeGreaterThanOrEqual(job === 'mail.outbox' ? 1 : 2);
      expect(ticks(onA)).toBeGreaterThanOrEqual(ticks(onB));
      expect({ job, ran: onA.ran + onB.ran }).toEqual({ job, ran: ticks(onA) });
    }

    // The overdue attempts were closed and graded by whichever process ran the tick.
    const closed = await readRows<{ status: string; submittedAt: unknown }>(
      database.url,
      `SELECT status, submittedAt FROM attempts WHERE id IN (${overdueIds})`,
      overdue,
    );
    expect(closed.map((r) => [r.status, r.submittedAt !== null])).toEqual(
      overdue.map(() => ['graded', true]),
    );
  }, 150_000);
});
