import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  CHILD_ADMIN as ADMIN,
  ensureBuilt,
  login,
  publishExam,
  readRows,
  type RunningApp,
  signedInAsn,
  sleep,
  startApp as startChild,
  stopApp,
} from '../helpers/child-app.js';
import { aNip } from '../helpers/nip.js';
import { createTestDatabase, engine, TEST_PASSWORD, TestDatabase } from '../helpers/test-app.js';
import { clientAs } from '../helpers/client.js';

/*
 * The compiled app runs as a child process; an ASN saves answers from several connections
 * at once and the process is killed with SIGKILL in the middle of it. Started again on the
 * same database, every save it acknowledged must still be there (at that sequence or a
 * newer one), and the attempt goes on: still open, and it can be submitted.
 */

const QUESTIONS = 20;
/** Saves in flight at any moment. */
const CONNECTIONS = 8;
/** Acknowledged saves before the kill: enough for every slot to be saved twice or more. */
const KILL_AFTER = 50;

const GIFT = Array.from(
  { length: QUESTIONS },
  (_, i) => `::Q${i + 1}:: Pernyataan nomor ${i + 1} benar? {T}`,
).join('\n\n');

/** The response a save with sequence `seq` sends: alternating, so a stored one names its save. */
const responseFor = (seq: number) => seq % 2 === 1;

const startApp = (database: TestDatabase, dataDir: string) => startChild(database.url, dataDir);

type StoredItem = { slot: number; responseSeq: number; response: string | null };

/** The attempt's items as the database holds them, read without the app. */
async function storedItems(database: TestDatabase, attemptId: string): Promise<StoredItem[]> {
  const rows = await readRows<StoredItem>(
    database.url,
    'SELECT slot, responseSeq, response FROM attempt_items WHERE attemptId = ? ORDER BY slot',
    [attemptId],
  );
  return rows.map((r) => ({ ...r, responseSeq: Number(r.responseSeq) }));
}

describe(`crash safety of answer saves (${engine})`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sa-crash-'));
  }, 180_000);

  afterAll(async () => {
    await stopApp(app);
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged answer through a SIGKILL, and the attempt goes on', async () => {
    app = await startApp(database, dataDir);
    let http = request(app.base);

    // Setup through the API: a coordinator's bank and exam, an ASN who starts it.
    const admin = await login(app.base, ADMIN.email, ADMIN.password);
    const { id: assessmentId } = await publishExam(app.base, admin, {
      gift: GIFT,
      count: QUESTIONS,
      coordinatorEmail: 'koordinator@crash.uji.example',
      title: 'Ujian Ketahanan',
    });
    const nip = aNip(4242);
    let asn = await signedInAsn(app.base, admin, nip);
    const started = await clientAs(http, asn)
      .post(`/api/v1/assessments/${assessmentId}/attempts`)
      .expect(201);
    const attemptId = started.body.id as string;
    const slots = (started.body.items as { slot: number; type: string }[]).map((i) => i.slot);
    expect(slots).toHaveLength(QUESTIONS);
    expect(started.body.items.every((i: { type: string }) => i.type === 'true_false')).toBe(true);

    // Saves from several connections, round after round with a rising seq per slot,
    // until KILL_AFTER are acknowledged: then SIGKILL, with the others still in flight.
    const running = app;
    const acknowledged = new Map<number, number>();
    const tally = { acknowledged: 0, notSaved: 0, failed: 0, inFlightAtKill: -1 };
    const refusals: string[] = [];
    let inFlight = 0;
    const saves = (function* () {
      for (let seq = 1; seq <= 1000; seq++) for (const slot of slots) yield { slot, seq };
    })();
    const saver = async () => {
      while (tally.inFlightAtKill < 0) {
        const next = saves.next();
        if (next.done) return;
        const { slot, seq } = next.value;
        inFlight++;
        try {
          const res = await fetch(`${running.base}/api/v1/attempts/${attemptId}/answers/${slot}`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${asn}`, 'content-type': 'application/json' },
            body: JSON.stringify({ response: responseFor(seq), seq }),
          });
          const body = (await res.json()) as { saved?: boolean };
          if (res.status === 200 && body.saved === true) {
            acknowledged.set(slot, Math.max(acknowledged.get(slot) ?? 0, seq));
            tally.acknowledged++;
            if (tally.acknowledged === KILL_AFTER) {
              tally.inFlightAtKill = inFlight - 1;
              running.child.kill('SIGKILL');
            }
          } else {
            tally.notSaved++;
            if (res.status !== 200) refusals.push(`${res.status} ${JSON.stringify(body)}`);
          }
        } catch {
          tally.failed++;
        } finally {
          inFlight--;
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, saver));
    await running.exited;
    expect(running.child.signalCode).toBe('SIGKILL');
    expect(refusals).toEqual([]);
    expect(tally.acknowledged).toBeGreaterThanOrEqual(KILL_AFTER);
    // The kill came with saves still on the way (whether the process got to answer some of
    // them before it died is a matter of microseconds, so it is not asserted).
    expect(tally.inFlightAtKill).toBeGreaterThan(0);

    /** Slots whose stored save is older than the newest acknowledged one: lost answers. */
    const lost = (items: { slot: number; seq: number }[]) =>
      [...acknowledged]
        .map(([slot, seq]) => ({
          slot,
          acknowledged: seq,
          stored: items.find((i) => i.slot === slot)?.seq,
        }))
        .filter((s) => s.stored === undefined || s.stored < s.acknowledged);
    /** Each stored response is the one its seq sent (nothing half-written or mixed up). */
    const mismatched = (items: { slot: number; seq: number; response: unknown }[]) =>
      items.filter((i) => i.response !== (i.seq === 0 ? null : responseFor(i.seq)));

    // On disk at the moment of the kill, read before anything restarts.
    const afterKill = (await storedItems(database, attemptId)).map((r) => ({
      slot: r.slot,
      seq: r.responseSeq,
      response: r.response === null ? null : (JSON.parse(r.response) as unknown),
    }));
    expect(afterKill).toHaveLength(QUESTIONS);
    expect(lost(afterKill)).toEqual([]);
    expect(mismatched(afterKill)).toEqual([]);

    // Started again on the same database: the app shows the same answers.
    app = await startApp(database, dataDir);
    http = request(app.base);
    asn = await login(app.base, nip, TEST_PASSWORD);
    const resumed = await clientAs(http, asn).get(`/api/v1/attempts/${attemptId}`).expect(200);
    expect(resumed.body.status).toBe('in_progress');
    const items = resumed.body.items as { slot: number; seq: number; response: unknown }[];
    expect(items).toHaveLength(QUESTIONS);
    expect(lost(items)).toEqual([]);
    expect(mismatched(items)).toEqual([]);
    expect(items.map((i) => ({ slot: i.slot, seq: i.seq, response: i.response }))).toEqual(
      afterKill,
    );
    const afterRestart = await storedItems(database, attemptId);
    expect(afterRestart.map((r) => [r.slot, r.responseSeq])).toEqual(
      afterKill.map((r) => [r.slot, r.seq]),
    );

    // And it can be finished: graded from exactly the stored answers (every key is "true").
    const submitted = await clientAs(http, asn)
      .post(`/api/v1/attempts/${attemptId}/submit`)
      .expect(200);
    expect(submitted.body.status).toBe('graded');
    const right = afterKill.filter((i) => i.response === true).length;
    expect(submitted.body.result).toMatchObject({
      score: right,
      maxScore: QUESTIONS,
      passed: right * 2 >= QUESTIONS,
    });
  }, 60_000);

  it('on SIGTERM answers the requests already in, then exits', async () => {
    await stopApp(app);
    app = await startApp(database, dataDir);
    const running = app;
    // Logins hash a password, so a burst of them is still being worked on when the signal comes.
    const statuses: (number | 'failed')[] = [];
    let afterSignal = 0;
    let signalled = false;
    let firstAnswered: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (firstAnswered = resolve));
    const burst = Array.from({ length: 24 }, () =>
      fetch(`${running.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: ADMIN.email, password: ADMIN.password }),
      }).then(
        (res) => {
          statuses.push(res.status);
          if (signalled && res.status === 200) afterSignal++;
          firstAnswered();
        },
        () => statuses.push('failed'),
      ),
    );
    // The signal comes once the server answered the first login of the burst: the rest are
    // then in its hands (a fixed wait was too short on a loaded machine, and nothing was in).
    await Promise.race([first, sleep(10_000)]);
    signalled = true;
    running.child.kill('SIGTERM');
    await Promise.all(burst);
    const [code, signal] = (await running.exited) as [number | null, string | null];
    // Nest closes the app, then ends the process with the signal it received.
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    // Requests in progress when the signal came were answered, not dropped. (Requests the
    // client had not yet sent fail to connect: the server no longer accepts.)
    expect(afterSignal).toBeGreaterThan(0);
    // Anything else was refused cleanly: 503 on a kept connection, or no connection at all.
    expect(statuses.filter((s) => s !== 200 && s !== 503 && s !== 'failed')).toEqual([]);
  }, 60_000);
});
