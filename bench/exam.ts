/**
 * `npm run bench:exam`: an exam morning on the compiled app in production mode, on MariaDB
 * and on SQLite. Per engine: a fresh database, the app started with NODE_ENV=production,
 * setup through the HTTP API (admin, coordinator, N candidates imported from CSV who sign in
 * and change their temporary password, a question bank from GIFT, a published 20-question
 * assessment), then
 *   1. start storm: all N candidates start their attempt at the same moment;
 *   2. answering: N candidates at once, each saving 20 answers one after another, then submitting;
 *   3. the same concurrency and request count on GET /api/v1/me, as a yardstick;
 *   4. Moodle's shape (bench/moodle-shape.ts: 20 connections, 50 candidates, a single-choice
 *      exam): a burst of starts, saves, finish + grade, and the floor (/api/v1/me, /health,
 *      /health/live), each with its ratio to /health/live in the same run;
 *   5. a database check that every acknowledged answer of the storm is stored with its sequence.
 * Prints figures; never fails on speed (exit 1 only when setup breaks). The target is one
 * 2-core machine, where this load generator shares the CPUs with the app and the database.
 *
 * Environment:
 *   BENCH_CANDIDATES  candidates (default 300)
 *   BENCH_ENGINES     comma list of mysql, sqlite (default mysql,sqlite)
 *   BENCH_MYSQL_URL   MariaDB/MySQL server without a database, for another host or user
 *                     (default mysql://root@127.0.0.1:3306); a database bench_exam_<random>
 *                     is created there and dropped afterwards
 *   BENCH_SECONDS     seconds per timed phase of Moodle's shape (default 20; 0 skips the shape)
 *   BENCH_SUPERVISED  1 (default): the exam is supervised (ADR 0024): every candidate holds a
 *                     seat in one session and starts with its PIN; 0: an unsupervised exam.
 *                     Every answer save writes its answer-trail row either way.
 *   BENCH_PROFILE     a directory: the app runs with `node --cpu-prof` and writes its profiles there
 *                     (read them with dist-bench/bench/profile-summary.js)
 *   WORKERS           passed to the app: processes serving HTTP (default: the app's default)
 *   LOG_LEVEL         passed to the app (default: the production default, info)
 */
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type AttemptView,
  BenchApp,
  QUESTIONS,
  Samples,
  answerFor,
  responseTexts,
  cleanUpOnSignals,
  interruption,
  latency,
  setUpExamRoom,
} from './harness.js';
import { type MoodleShape, printMoodleShape, runMoodleShape } from './moodle-shape.js';

const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 300);
const ENGINES = (process.env.BENCH_ENGINES ?? 'mysql,sqlite')
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SUPERVISED = (process.env.BENCH_SUPERVISED ?? '1') !== '0';
/** Moodle 4.5.5 in the same shape on the same kind of machine (nginx, PHP-FPM, OPcache, MariaDB). */
const MOODLE = { saves: 175, starts: 70, submits: 56 };
const MYSQL_BASE = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(
  /\/+$/,
  '',
);
// ---------------------------------------------------------------- figures

interface EngineResult {
  engine: string;
  server: string;
  setupSeconds: number;
  /** Items drawn across all attempts, by question type. */
  types: string;
  storm: { firedMs: number; seconds: number; started: number; retried: number; samples: Samples };
  saves: { seconds: number; perSecond: number; samples: Samples };
  submits: Samples;
  me: { seconds: number; perSecond: number; samples: Samples };
  moodle: MoodleShape | null;
  check: {
    acknowledged: number;
    stored: number;
    seqMismatch: number;
    responseMismatch: number;
    statuses: string;
    /** Answer-trail rows of the exam: one per acknowledged save. */
    trail: number;
  };
}

// ---------------------------------------------------------------- one engine

interface Candidate {
  token: string;
  attempt?: AttemptView;
}

interface Ack {
  attemptId: string;
  slot: number;
  seq: number;
  /** The response as {@link responseTexts}: ids are opaque per attempt, texts are not. */
  response: unknown;
}

async function runEngine(engine: string): Promise<EngineResult> {
  const bench = new BenchApp(engine, {
    name: 'exam',
    mysqlBase: MYSQL_BASE,
    candidates: CANDIDATES,
    accessTokenTtlSeconds: 3600,
  });
  try {
    const api = await bench.start();
    const { databaseUrl, dbName, server } = bench;

    // -------- setup through the API
    const room = await setUpExamRoom(bench, {
      candidates: CANDIDATES,
      maxAttempts: 1,
      supervised: SUPERVISED,
    });
    // A supervised start carries the session and the PIN the proctor read out.
    const startBody = room.session ? { sessionId: room.session.id, pin: room.session.pin } : {};
    const candidates: Candidate[] = room.candidates;

    // -------- 1. start storm: all N requests issued at once, each on its own connection
    const stormSamples = new Samples();
    const startPath = `/api/v1/assessments/${room.assessmentId}/attempts`;
    const stormStarted = performance.now();
    let lastStart = stormStarted;
    const starts = candidates.map(async (c) => {
      const reply = await api.call('POST', startPath, { token: c.token, json: startBody });
      const ok =
        (reply.status === 201 || reply.status === 200) && !!(reply.body as AttemptView)?.items;
      stormSamples.add(reply, ok);
      if (ok) {
        c.attempt = reply.body as AttemptView;
        lastStart = Math.max(lastStart, performance.now());
      }
    });
    // Every request is created synchronously above; this is how long issuing all N took.
    const firedMs = performance.now() - stormStarted;
    await Promise.all(starts);
    const stormSeconds = (lastStart - stormStarted) / 1000;
    const started = stormSamples.ok;
    // A real client retries a failed start; the storm figures above count first tries only.
    let retried = 0;
    for (const c of candidates.filter((x) => !x.attempt)) {
      retried++;
      c.attempt = await api.must<AttemptView>('retry start', 'POST', startPath, {
        token: c.token,
        json: startBody,
      });
    }
    const types = new Map<string, number>();
    for (const item of candidates.flatMap((c) => c.attempt!.items))
      types.set(item.type, (types.get(item.type) ?? 0) + 1);

    // -------- 2. answering at full speed, N candidates at once, each one save at a time
    const saveSamples = new Samples();
    const submitSamples = new Samples();
    const acks: Ack[] = [];
    const savesStarted = performance.now();
    let lastSave = savesStarted;
    await Promise.all(
      candidates.map(async (c) => {
        const attempt = c.attempt!;
        for (const item of attempt.items) {
          const response = answerFor(item);
          const reply = await api.call(
            'PUT',
            `/api/v1/attempts/${attempt.id}/answers/${item.slot}`,
            {
              token: c.token,
              json: { response, seq: 1 },
            },
          );
          const ok = reply.status === 200 && (reply.body as { saved?: unknown })?.saved === true;
          saveSamples.add(reply, ok);
          if (ok)
            acks.push({
              attemptId: attempt.id,
              slot: item.slot,
              seq: 1,
              response: responseTexts(response, item),
            });
          lastSave = Math.max(lastSave, performance.now());
        }
        const submitted = await api.call('POST', `/api/v1/attempts/${attempt.id}/submit`, {
          token: c.token,
        });
        submitSamples.add(submitted, submitted.status === 200);
      }),
    );
    // Up to the last acknowledged save; early finishers' submits overlap it, as in a real room.
    const savesSeconds = (lastSave - savesStarted) / 1000;

    // -------- 3. the yardstick: same concurrency, same request count, a trivial route
    const meSamples = new Samples();
    const perCandidate = Math.max(1, Math.round(saveSamples.ms.length / candidates.length));
    const meStarted = performance.now();
    await Promise.all(
      candidates.map(async (c) => {
        for (let i = 0; i < perCandidate; i++) {
          const reply = await api.call('GET', '/api/v1/me', { token: c.token });
          meSamples.add(reply, reply.status === 200);
        }
      }),
    );
    const meSeconds = (performance.now() - meStarted) / 1000;

    // -------- 4. Moodle's shape on 50 of the same candidates, at an exam of its own
    const moodle =
      SECONDS > 0 && CANDIDATES >= 50 ? await runMoodleShape(bench, room, SECONDS) : null;

    // -------- 5. what the database holds, read directly after the app has stopped
    await bench.stopApp();
    const check = await verify(engine, databaseUrl, dbName, room.assessmentId, acks);

    return {
      engine,
      server,
      setupSeconds: room.setupSeconds,
      types: [...types].map(([type, n]) => `${type} ${n}`).join(', '),
      storm: { firedMs, seconds: stormSeconds, started, retried, samples: stormSamples },
      saves: {
        seconds: savesSeconds,
        perSecond: saveSamples.ok / savesSeconds,
        samples: saveSamples,
      },
      submits: submitSamples,
      me: { seconds: meSeconds, perSecond: meSamples.ok / meSeconds, samples: meSamples },
      moodle,
      check,
    };
  } finally {
    await bench.cleanup();
    interruption.cleanup = null;
  }
}

interface StoredItem {
  attemptId: string;
  slot: number;
  responseSeq: number;
  response: string | null;
  definition: string | Record<string, unknown>;
}

async function verify(
  engine: string,
  databaseUrl: string,
  dbName: string,
  assessmentId: string,
  acks: Ack[],
): Promise<EngineResult['check']> {
  const itemsSql =
    'SELECT i.attemptId, i.slot, i.responseSeq, i.response, v.definition FROM attempt_items i ' +
    'JOIN attempts a ON a.id = i.attemptId ' +
    'JOIN question_versions v ON v.questionId = i.questionId AND v.version = i.questionVersion ' +
    'WHERE a.assessmentId = ?';
  const statusSql =
    'SELECT status, COUNT(*) AS n FROM attempts WHERE assessmentId = ? GROUP BY status';
  const trailSql =
    'SELECT COUNT(*) AS n FROM answer_trail t JOIN attempts a ON a.id = t.attemptId' +
    ' WHERE a.assessmentId = ?';
  let items: StoredItem[];
  let statuses: { status: string; n: number }[];
  let trail: number;
  if (engine === 'mysql') {
    const conn = await mysql.createConnection(`${MYSQL_BASE}/${dbName}`);
    try {
      items = (await conn.query(itemsSql, [assessmentId]))[0] as StoredItem[];
      statuses = (await conn.query(statusSql, [assessmentId]))[0] as {
        status: string;
        n: number;
      }[];
      trail = Number(((await conn.query(trailSql, [assessmentId]))[0] as { n: number }[])[0].n);
    } finally {
      await conn.end();
    }
  } else {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { fileMustExist: true });
    try {
      items = db.prepare(itemsSql).all(assessmentId) as StoredItem[];
      statuses = db.prepare(statusSql).all(assessmentId) as { status: string; n: number }[];
      trail = (db.prepare(trailSql).get(assessmentId) as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const bySlot = new Map(items.map((i) => [`${i.attemptId}:${i.slot}`, i]));
  let seqMismatch = 0;
  let responseMismatch = 0;
  for (const ack of acks) {
    const stored = bySlot.get(`${ack.attemptId}:${ack.slot}`);
    if (!stored || Number(stored.responseSeq) !== ack.seq) seqMismatch++;
    // Responses are stored as JSON text on both engines, in authoring ids: compared by text.
    else if (
      stored.response === null ||
      JSON.stringify(
        responseTexts(
          JSON.parse(stored.response),
          (typeof stored.definition === 'string'
            ? JSON.parse(stored.definition)
            : stored.definition) as Parameters<typeof responseTexts>[1],
        ),
      ) !== JSON.stringify(ack.response)
    )
      responseMismatch++;
  }
  return {
    acknowledged: acks.length,
    stored: items.filter((i) => i.response !== null).length,
    seqMismatch,
    responseMismatch,
    statuses: statuses.map((s) => `${s.status} ${s.n}`).join(', '),
    trail,
  };
}

// ---------------------------------------------------------------- report

function printEngine(r: EngineResult): void {
  const n = CANDIDATES;
  const c = r.check;
  const good =
    c.acknowledged === c.stored &&
    c.trail === c.acknowledged &&
    c.seqMismatch === 0 &&
    c.responseMismatch === 0;
  const rows: [string, string][] = [
    [
      'setup (API)',
      `${r.setupSeconds.toFixed(1)} s: import ${n}, ${n}× (login, password change), bank, GIFT, assessment`,
    ],
    [
      'start storm',
      `${r.storm.started}/${n} attempts within ${r.storm.seconds.toFixed(2)} s (all ${n} fired in ${r.storm.firedMs.toFixed(0)} ms)  errors ${r.storm.samples.describeErrors()}` +
        (r.storm.retried ? `  (${r.storm.retried} retried afterwards)` : ''),
    ],
    ['  start latency', latency(r.storm.samples)],
    ['  items drawn', r.types],
    [
      'answer saves',
      `${r.saves.samples.ok} saved in ${r.saves.seconds.toFixed(2)} s = ${r.saves.perSecond.toFixed(0)} saves/s  errors ${r.saves.samples.describeErrors()}`,
    ],
    ['  save latency', latency(r.saves.samples)],
    [
      'submits',
      `${r.submits.ok}/${n}  errors ${r.submits.describeErrors()}  ${latency(r.submits)}`,
    ],
    [
      'GET /api/v1/me',
      `${r.me.samples.ok} in ${r.me.seconds.toFixed(2)} s = ${r.me.perSecond.toFixed(0)} req/s  errors ${r.me.samples.describeErrors()}`,
    ],
    ['  /me latency', latency(r.me.samples)],
    ['save / trivial throughput', (r.saves.perSecond / r.me.perSecond).toFixed(2)],
    [
      'database check',
      `${good ? 'OK' : 'MISMATCH'}: ${c.acknowledged} acknowledged, ${c.stored} stored non-null, ` +
        `${c.seqMismatch} seq mismatches, ${c.responseMismatch} response mismatches, ` +
        `${c.trail} answer-trail rows; attempts: ${c.statuses}`,
    ],
  ];
  console.log(
    `\n== ${r.engine}: ${r.server}, ${n} candidates, ${QUESTIONS} questions, ` +
      `${SUPERVISED ? 'supervised (PIN start, answer trail)' : 'unsupervised (answer trail)'}, NODE_ENV=production`,
  );
  for (const [k, v] of rows) console.log(`${k.padEnd(27)} ${v}`);
  if (r.moodle) printMoodleShape(r.engine, r.moodle, SECONDS);
}

function printComparison(results: EngineResult[]): void {
  if (results.length < 2) return;
  const line = (label: string, f: (r: EngineResult) => string) =>
    console.log(label.padEnd(27) + results.map((r) => f(r).padStart(14)).join(''));
  console.log('\n== summary');
  line('', (r) => r.engine);
  line('start storm (s)', (r) => r.storm.seconds.toFixed(2));
  line('start errors', (r) => String(r.storm.samples.errorCount));
  line('saves/s', (r) => r.saves.perSecond.toFixed(0));
  line('save p50 (ms)', (r) => r.saves.samples.percentiles().p50.toFixed(1));
  line('save p95 (ms)', (r) => r.saves.samples.percentiles().p95.toFixed(1));
  line('save p99 (ms)', (r) => r.saves.samples.percentiles().p99.toFixed(1));
  line('save errors', (r) => String(r.saves.samples.errorCount));
  line('/me req/s', (r) => r.me.perSecond.toFixed(0));
  line('save / trivial', (r) => (r.saves.perSecond / r.me.perSecond).toFixed(2));
  const shaped = results.filter((r) => r.moodle);
  if (shaped.length === results.length) {
    const m =
      (f: (s: MoodleShape) => number, digits = 0) =>
      (r: EngineResult) =>
        f(r.moodle!).toFixed(digits);
    line("Moodle's shape, 20 conn.", () => '');
    line(
      `  saves/s (Moodle ${MOODLE.saves})`,
      m((s) => s.saves.perSecond),
    );
    line(
      '  save p99 (ms)',
      m((s) => s.saves.p99),
    );
    line(
      `  starts/s (Moodle ${MOODLE.starts})`,
      m((s) => s.starts.perSecond),
    );
    line(
      `  submits/s (Moodle ${MOODLE.submits})`,
      m((s) => s.submits.perSecond),
    );
    line(
      '  /api/v1/me req/s',
      m((s) => s.me.perSecond),
    );
    line(
      '  /health req/s',
      m((s) => s.health.perSecond),
    );
    line(
      '  /health/live req/s',
      m((s) => s.live.perSecond),
    );
    line(
      '  saves / Moodle',
      m((s) => s.saves.perSecond / MOODLE.saves, 1),
    );
  }
  line('acked = stored', (r) =>
    r.check.acknowledged === r.check.stored && !r.check.seqMismatch && !r.check.responseMismatch
      ? 'yes'
      : 'NO',
  );
}

async function main(): Promise<void> {
  if (!Number.isInteger(CANDIDATES) || CANDIDATES < 1 || CANDIDATES > 30_000)
    throw new Error('BENCH_CANDIDATES must be a whole number from 1 to 30000');
  console.log(
    `bench:exam — ${CANDIDATES} candidates, engines ${ENGINES.join(', ')}; machine: ${cpus().length} CPUs ` +
      `(target: one 2-core machine; the load generator shares it), Node ${process.version}`,
  );
  const results: EngineResult[] = [];
  let failed = false;
  for (const engine of ENGINES) {
    if (interruption.interrupted) return;
    try {
      const result = await runEngine(engine);
      printEngine(result);
      results.push(result);
    } catch (error) {
      if (interruption.interrupted) return;
      failed = true;
      console.error(
        `\n== ${engine}: setup failed\n${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  printComparison(results);
  process.exitCode = failed ? 1 : 0;
}

cleanUpOnSignals();

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
