/**
 * `npm run bench:soak`: a long exam session on the compiled app in production mode, to see
 * whether memory, latency or errors drift over time. A fresh database (MariaDB by default),
 * the app started with NODE_ENV=production, the exam room set up through the HTTP API as in
 * `bench:exam` (admin, coordinator, N candidates imported from CSV who sign in and change
 * their temporary password, a question bank from GIFT, a published 20-question assessment
 * with unlimited attempts), then for SOAK_MINUTES every candidate sits exam after exam at a
 * human pace: start an attempt, save an answer every few seconds (now and then changing an
 * earlier one, now and then reloading the attempt with GET /api/v1/attempts/:id), submit,
 * read the result for a moment, start again.
 *
 * Every SOAK_SAMPLE_SECONDS it prints one line for the window just ended: requests, errors
 * (non-2xx or socket errors, by kind), p50/p99 latency, the app's resident memory (VmRSS from
 * /proc/<pid>/status) and, from its Prometheus /metrics (read from loopback), V8 heap used,
 * external memory, active handles and open attempts; CPU of the app, the database server
 * (when its pid file is readable) and this load generator; the machine's load average. At the
 * end a summary: RSS after the warm-up (the first 2 minutes), min, max, end and slope per
 * 10 minutes (least squares over the samples from minute 2 on), the same for the heap, the
 * errors, latency per operation and overall. Prints figures; never fails on speed (exit 1
 * only when setup breaks). The target is one 2-core machine, where this load generator
 * shares the CPUs with the app and the database.
 *
 * Environment:
 *   SOAK_CANDIDATES      candidates sitting at once (default 300)
 *   SOAK_MINUTES         length of the soak after setup (default 30)
 *   SOAK_THINK_MS        mean pause between a candidate's actions, jittered ±50% (default 4000)
 *   SOAK_SAMPLE_SECONDS  one line per window of this length (default 60)
 *   SOAK_ENGINE          mysql or sqlite (default mysql)
 *   SOAK_MYSQL_URL       MariaDB/MySQL server without a database (default BENCH_MYSQL_URL or
 *                        mysql://root@127.0.0.1:3306); a database bench_soak_<random> is
 *                        created there and dropped afterwards
 *   LOG_LEVEL            passed to the app (default: the production default, info)
 */
import mysql from 'mysql2/promise';
import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type Api,
  type AttemptView,
  BenchApp,
  QUESTIONS,
  type Reply,
  Samples,
  answerFor,
  cleanUpOnSignals,
  interruption,
  latency,
  pick,
  setUpExamRoom,
} from './harness.js';

const CANDIDATES = Number(process.env.SOAK_CANDIDATES ?? 300);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const THINK_MS = Number(process.env.SOAK_THINK_MS ?? 4000);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 60);
const ENGINE = (process.env.SOAK_ENGINE ?? 'mysql').trim();
const MYSQL_BASE = (
  process.env.SOAK_MYSQL_URL ??
  process.env.BENCH_MYSQL_URL ??
  'mysql://root@127.0.0.1:3306'
).replace(/\/+$/, '');
/** Samples before this are the warm-up: left out of the memory trend. */
const WARMUP_MINUTES = 2;
/** After a save: chance of also changing an earlier answer, and of reloading the attempt. */
const REVISE_CHANCE = 0.1;
const READ_CHANCE = 0.05;
/** Seconds without load at the end before a last memory reading. */
const IDLE_SECONDS = 15;
const CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in these

type Op = 'start' | 'save' | 'read' | 'submit';
const OPS: Op[] = ['start', 'save', 'read', 'submit'];

// ---------------------------------------------------------------- process readings

/** VmRSS of a process in MB, from /proc (NaN once it has gone). */
function rssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** User + system CPU seconds of a process so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** The database server's pid, if it runs on this machine and its pid file is readable. */
async function databasePid(): Promise<number | null> {
  try {
    const conn = await mysql.createConnection(MYSQL_BASE);
    try {
      const [rows] = await conn.query('SELECT @@pid_file AS f');
      const file = (rows as { f: string | null }[])[0]?.f;
      const pid = file ? Number(readFileSync(file, 'utf8').trim()) : NaN;
      return Number.isInteger(pid) && pid > 0 && !Number.isNaN(cpuSeconds(pid)) ? pid : null;
    } finally {
      await conn.end();
    }
  } catch {
    return null;
  }
}

interface AppMetrics {
  heapMb: number;
  externalMb: number;
  handles: number;
  openAttempts: number;
  poolWaiting: number;
}

/** One value of a Prometheus text exposition (default metrics carry the app's prefix). */
function metric(text: string, name: string, labels = ''): number {
  const escaped = `${name}${labels}`.replace(/[{}"]/g, (c) => `\\${c}`);
  const line = new RegExp(`^(?:sertifikasi_)?${escaped} (\\S+)$`, 'm').exec(text);
  return line ? Number(line[1]) : NaN;
}

async function scrape(api: Api): Promise<AppMetrics> {
  const reply = await api.call('GET', '/metrics');
  const text = reply.status === 200 && typeof reply.body === 'string' ? reply.body : '';
  const mb = (name: string) => metric(text, name) / 2 ** 20;
  return {
    heapMb: mb('nodejs_heap_size_used_bytes'),
    externalMb: mb('nodejs_external_memory_bytes'),
    handles: metric(text, 'nodejs_active_handles_total'),
    openAttempts: metric(text, 'sertifikasi_open_attempts'),
    poolWaiting: metric(text, 'sertifikasi_db_pool_connections', '{state="waiting"}'),
  };
}

// ---------------------------------------------------------------- the load

/** Requests by window, overall and per operation; errors named `<op> <status or socket error>`. */
class Tally {
  window = new Samples();
  readonly all = new Samples();
  readonly byOp = new Map<Op, Samples>(OPS.map((op) => [op, new Samples()]));
  attemptsStarted = 0;
  attemptsResumed = 0;
  submitted = 0;
  saved = 0;

  record(op: Op, reply: Reply, ok: boolean): void {
    const kind = `${op} ${reply.error ?? reply.status}`;
    this.window.add(reply, ok, kind);
    this.all.add(reply, ok, kind);
    this.byOp.get(op)!.add(reply, ok);
  }

  /** The window just ended; a new one begins. */
  cut(): Samples {
    const window = this.window;
    this.window = new Samples();
    return window;
  }
}

const stopping = new AbortController();
setMaxListeners(CANDIDATES + 100, stopping.signal);

/** Sleeps, or returns at once when the soak ends. */
function pause(msToWait: number): Promise<void> {
  return new Promise((resolve) => {
    const signal = stopping.signal;
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, msToWait);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A human pause: the mean think time ±50%. */
const think = () => pause(THINK_MS * (0.5 + Math.random()));

/** One candidate, exam after exam, until the soak ends. */
async function sit(api: Api, token: string, assessmentId: string, tally: Tally): Promise<void> {
  const stopped = () => stopping.signal.aborted;
  // Spread the first starts over two think times, as a room fills.
  await pause(randomInt(Math.max(1, 2 * THINK_MS)));
  while (!stopped()) {
    const started = await api.call('POST', `/api/v1/assessments/${assessmentId}/attempts`, {
      token,
    });
    const attempt = started.body as AttemptView | null;
    const ok = (started.status === 201 || started.status === 200) && !!attempt?.items;
    tally.record('start', started, ok);
    if (!ok) {
      await think();
      continue;
    }
    if (started.status === 201) tally.attemptsStarted++;
    else tally.attemptsResumed++;

    const seqs = new Map(attempt.items.map((item) => [item.slot, item.seq ?? 0]));
    const answered: typeof attempt.items = [];
    /** False once the attempt refuses answers (closed, time up): start another. */
    const save = async (item: (typeof attempt.items)[number]): Promise<boolean> => {
      const seq = seqs.get(item.slot)! + 1;
      const reply = await api.call('PUT', `/api/v1/attempts/${attempt.id}/answers/${item.slot}`, {
        token,
        json: { response: answerFor(item), seq },
      });
      const saved = reply.status === 200 && (reply.body as { saved?: unknown })?.saved === true;
      tally.record('save', reply, saved);
      if (saved) {
        seqs.set(item.slot, seq);
        tally.saved++;
      }
      return reply.status !== 409;
    };

    let open = true;
    for (const item of attempt.items) {
      await think();
      if (stopped()) return;
      open = await save(item);
      if (!open) break;
      answered.push(item);
      if (Math.random() < REVISE_CHANCE) {
        await think();
        if (stopped()) return;
        open = await save(pick(answered));
        if (!open) break;
      }
      if (Math.random() < READ_CHANCE) {
        const read = await api.call('GET', `/api/v1/attempts/${attempt.id}`, { token });
        tally.record('read', read, read.status === 200);
      }
    }
    if (open) {
      await think();
      if (stopped()) return;
      const submitted = await api.call('POST', `/api/v1/attempts/${attempt.id}/submit`, {
        token,
      });
      tally.record('submit', submitted, submitted.status === 200);
      if (submitted.status === 200) tally.submitted++;
    }
    // Reading the result before the next try.
    await think();
  }
}

// ---------------------------------------------------------------- figures

interface Point {
  /** Nominal minute of the sample (window end); real elapsed minute for the trend. */
  nominal: number;
  minute: number;
  rssMb: number;
  heapMb: number;
}

const num = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** Least-squares slope of y over x (NaN with fewer than two points). */
function slope(points: { x: number; y: number }[]): number {
  const valid = points.filter((p) => Number.isFinite(p.y));
  if (valid.length < 2) return NaN;
  const mx = valid.reduce((a, p) => a + p.x, 0) / valid.length;
  const my = valid.reduce((a, p) => a + p.y, 0) / valid.length;
  const sxy = valid.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = valid.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx ? sxy / sxx : NaN;
}

const COLUMNS =
  '   min    reqs  req/s  errs  p50 ms  p99 ms  rss MB  heap MB  ext MB  handles  open  wait   cpu app   db  gen  load';

/** Sampling of one window: its requests and latency, the app's memory and CPU use. */
class Sampler {
  private lastAt = performance.now();
  private lastCpu: { app: number; db: number; gen: number };

  constructor(
    private readonly api: Api,
    private readonly appPid: number,
    private readonly dbPid: number | null,
    private readonly tally: Tally,
    private readonly soakStarted: number,
  ) {
    this.lastCpu = this.cpu();
  }

  private cpu() {
    const self = process.cpuUsage();
    return {
      app: cpuSeconds(this.appPid),
      db: this.dbPid ? cpuSeconds(this.dbPid) : NaN,
      gen: (self.user + self.system) / 1e6,
    };
  }

  /** Prints one line for the window that ends now; returns its memory reading. */
  async sample(nominal: number, label?: string): Promise<Point> {
    const window = this.tally.cut();
    const now = performance.now();
    const seconds = (now - this.lastAt) / 1000;
    const cpu = this.cpu();
    // Under a second (the reading before the load) says nothing about CPU use.
    const percent = (key: 'app' | 'db' | 'gen') =>
      seconds < 1 ? '-' : `${num((100 * (cpu[key] - this.lastCpu[key])) / seconds, 0)}%`;
    this.lastAt = now;
    const rss = rssMb(this.appPid);
    const m = await scrape(this.api);
    const p = window.percentiles();
    const minute = (now - this.soakStarted) / 60_000;
    const cells = [
      (label ?? num(minute)).padStart(6),
      String(window.ms.length).padStart(7),
      num(window.ms.length / seconds, 0).padStart(6),
      String(window.errorCount).padStart(5),
      num(p.p50).padStart(7),
      num(p.p99).padStart(7),
      num(rss).padStart(7),
      num(m.heapMb).padStart(8),
      num(m.externalMb).padStart(7),
      num(m.handles, 0).padStart(8),
      num(m.openAttempts, 0).padStart(5),
      num(m.poolWaiting, 0).padStart(5),
      `${percent('app').padStart(9)} ${percent('db').padStart(4)} ${percent('gen').padStart(4)}`,
      num(loadavg()[0], 2).padStart(5),
    ];
    this.lastCpu = cpu;
    const errors = window.errors.size
      ? `  errors: ${[...window.errors].map(([k, n]) => `${k}×${n}`).join(', ')}`
      : '';
    console.log(cells.join(' ') + errors);
    return { nominal, minute, rssMb: rss, heapMb: m.heapMb };
  }
}

function printSummary(
  server: string,
  points: Point[],
  baseline: Point,
  idle: Point,
  tally: Tally,
  setupSeconds: number,
): void {
  const after = points.filter((p) => p.nominal >= WARMUP_MINUTES);
  // A run shorter than the warm-up has only warm-up samples: use them all.
  const trend = after.length ? after : points;
  const memory = (label: string, key: 'rssMb' | 'heapMb') => {
    const values = trend.map((p) => p[key]).filter(Number.isFinite);
    const perTen = 10 * slope(trend.map((p) => ({ x: p.minute, y: p[key] })));
    return [
      label.padEnd(11),
      num(baseline[key]).padStart(8),
      num(trend[0]?.[key] ?? NaN).padStart(8),
      num(values.length ? Math.min(...values) : NaN).padStart(8),
      num(values.length ? Math.max(...values) : NaN).padStart(8),
      num(trend[trend.length - 1]?.[key] ?? NaN).padStart(8),
      `${Number.isFinite(perTen) && perTen >= 0 ? '+' : ''}${num(perTen, 2)}`.padStart(11),
      num(idle[key]).padStart(10),
    ].join(' ');
  };
  console.log(
    `\n== summary: ${ENGINE} (${server}), ${CANDIDATES} candidates, ${MINUTES} min, ` +
      `think ${THINK_MS} ms ±50%, ${QUESTIONS} questions, NODE_ENV=production; setup ${setupSeconds.toFixed(1)} s`,
  );
  console.log(
    `\n${'memory (MB)'.padEnd(11)} ${'before'.padStart(8)} ${'start'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)} ${'end'.padStart(8)} ${'per 10 min'.padStart(11)} ${'idle'.padStart(10)}`,
  );
  console.log(memory('RSS', 'rssMb'));
  console.log(memory('heap used', 'heapMb'));
  console.log(
    `  before: after setup, before the load; start: the first sample from minute ${WARMUP_MINUTES} (after ` +
      `the warm-up); min, max, end and the least-squares slope over the samples from minute ` +
      `${WARMUP_MINUTES}; idle: ${IDLE_SECONDS} s after the load stopped`,
  );
  const seconds = MINUTES * 60;
  console.log(
    `\nrequests     ${tally.all.ms.length} (${(tally.all.ms.length / seconds).toFixed(1)}/s)  errors ${tally.all.describeErrors()}`,
  );
  console.log(`  overall    ${latency(tally.all)}`);
  for (const op of OPS) {
    const s = tally.byOp.get(op)!;
    console.log(
      `  ${op.padEnd(9)}  ${String(s.ms.length).padStart(7)}  errors ${String(s.errorCount).padStart(4)}  ${latency(s)}`,
    );
  }
  console.log(
    `attempts     ${tally.attemptsStarted} started, ${tally.attemptsResumed} resumed, ${tally.submitted} submitted; ${tally.saved} answers saved`,
  );
}

// ---------------------------------------------------------------- run

async function main(): Promise<void> {
  if (!Number.isInteger(CANDIDATES) || CANDIDATES < 1 || CANDIDATES > 30_000)
    throw new Error('SOAK_CANDIDATES must be a whole number from 1 to 30000');
  // Tokens are issued during setup and must last the soak: the app allows at most a day.
  if (!(MINUTES > 0 && MINUTES <= 1380)) throw new Error('SOAK_MINUTES must be from 0 to 1380');
  if (!(THINK_MS >= 0)) throw new Error('SOAK_THINK_MS must be a number of milliseconds');
  if (!(SAMPLE_SECONDS >= 1)) throw new Error('SOAK_SAMPLE_SECONDS must be at least 1');
  console.log(
    `bench:soak — ${CANDIDATES} candidates for ${MINUTES} min on ${ENGINE}, think ${THINK_MS} ms, ` +
      `a line every ${SAMPLE_SECONDS} s; machine: ${cpus().length} CPUs (target: one 2-core machine; ` +
      `the load generator shares it), Node ${process.version}`,
  );

  const bench = new BenchApp(ENGINE, {
    name: 'soak',
    mysqlBase: MYSQL_BASE,
    candidates: CANDIDATES,
    accessTokenTtlSeconds: Math.min(86_400, Math.ceil(MINUTES * 60) + 3600),
    env: ENGINE === 'sqlite' ? { ALLOW_SQLITE_IN_PRODUCTION: 'true' } : {},
  });
  try {
    const api = await bench.start();
    // bench:exam's room, with unlimited attempts (0) so that candidates can sit again and again.
    const room = await setUpExamRoom(bench, { candidates: CANDIDATES, maxAttempts: 0 });
    if (interruption.interrupted) return;
    const dbPid = ENGINE === 'mysql' ? await databasePid() : null;
    console.log(
      `setup ${room.setupSeconds.toFixed(1)} s on ${bench.server}; app pid ${bench.app!.pid}` +
        (dbPid ? `, database pid ${dbPid}` : ', database CPU not readable') +
        `; app log ${bench.log}\n`,
    );

    const tally = new Tally();
    const soakStarted = performance.now();
    const sampler = new Sampler(api, bench.app!.pid!, dbPid, tally, soakStarted);
    console.log(COLUMNS);
    const baseline = await sampler.sample(0, 'before');
    const load = room.candidates.map((c) => sit(api, c.token, room.assessmentId, tally));

    const points: Point[] = [];
    const total = MINUTES * 60;
    for (let k = 1; ; k++) {
      const due = Math.min(k * SAMPLE_SECONDS, total);
      const wait = soakStarted + due * 1000 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (interruption.interrupted) return;
      if (due >= total) {
        // In-flight requests land in the last window; the sleeping candidates wake and leave.
        stopping.abort();
        await Promise.all(load);
      }
      points.push(await sampler.sample(due / 60));
      if (due >= total) break;
    }
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idle = await sampler.sample(MINUTES, 'idle');
    printSummary(bench.server, points, baseline, idle, tally, room.setupSeconds);
  } finally {
    stopping.abort();
    await bench.cleanup();
    interruption.cleanup = null;
  }
}

cleanUpOnSignals();

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
