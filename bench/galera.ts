/**
 * `npm run bench:galera`: Moodle's load shape (bench/moodle-shape.ts, as `bench:exam` runs it:
 * 20 connections, 50 candidates, a burst of starts, saves, finish + grade, the floor) on the
 * single MariaDB server and on a 3-node MariaDB Galera cluster, side by side in one table:
 *
 *   single       one app instance on the single server (127.0.0.1:3306), no load balancer;
 *   single ×2    two instances on the single server behind HAProxy (the two-instance baseline);
 *   galera sw=1  two instances, one on node 1 and one on node 2, behind HAProxy (round robin per
 *                request, as in deploy/haproxy/haproxy.cfg), DB_SYNC_WAIT=1 (read-your-writes);
 *   galera sw=0  the same with DB_SYNC_WAIT=0 (Galera's default: a read may miss a write made
 *                through the other node a moment before);
 *   galera 1 wr  both instances on node 1 ("all writes through one node"), DB_SYNC_WAIT=0.
 *
 * Each database is created, migrated and set up once (50 candidates signed in, by the first
 * instance); every case then starts its own instances on it and runs the shape on an exam of
 * its own. Per case it also prints Galera's conflict counters (certification failures and
 * brute-force aborts, which the app sees as error 1213) and the time replication held writes
 * back (flow control). Instance 1 of the first cluster case runs under `node --cpu-prof`; the
 * bench prints where its time went (bench/profile-summary.ts).
 *
 * The cluster: scripts/galera.sh (client ports 3311–3313). If the nodes do not answer, the
 * bench starts the cluster with `scripts/galera.sh start`, says so, and stops it at the end.
 * HAProxy: /usr/sbin/haproxy (Debian's package `haproxy`); without it the two-instance cases
 * are skipped. The load generator, the instances, HAProxy and the three nodes share the
 * machine's cores: compare the columns with each other, not with a real deployment.
 * Prints figures; never fails on speed (exit 1 only when setup breaks). About 4 minutes on an
 * idle 2-core machine (two databases set up, five cases of 4 × BENCH_SECONDS and their bursts).
 *
 * Environment:
 *   BENCH_SECONDS      seconds per timed phase of the shape (default 5)
 *   BENCH_CASES        comma list of single, single2, galera1, galera0, onewriter (default all)
 *   BENCH_MYSQL_URL    the single server (default mysql://root@127.0.0.1:3306)
 *   BENCH_GALERA_URLS  the cluster's nodes, comma list (default GALERA_URLS as
 *                      `scripts/galera.sh env` prints it, else mysql://root@127.0.0.1:3311,
 *                      …:3312, …:3313)
 *   BENCH_PROFILE      a directory for the profile of instance 1 in the first cluster case
 *                      (default: a temporary one, removed afterwards); 0: no profile
 *   BENCH_HAPROXY      the haproxy binary (default /usr/sbin/haproxy)
 *   WORKERS, LOG_LEVEL passed to the app
 */
import mysql from 'mysql2/promise';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Api,
  BenchApp,
  type ExamRoom,
  cleanUpOnSignals,
  freePort,
  interruption,
  logTail,
  setUpExamRoom,
  stop,
} from './harness.js';
import { MOODLE_CONNECTIONS, type MoodleShape, type Rate, runMoodleShape } from './moodle-shape.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CANDIDATES = 50;
const ALL_CASES = ['single', 'single2', 'galera1', 'galera0', 'onewriter'] as const;
type CaseName = (typeof ALL_CASES)[number];
const CASES = (process.env.BENCH_CASES ?? ALL_CASES.join(','))
  .split(',')
  .map((c) => c.trim())
  .filter(Boolean) as CaseName[];
const SINGLE_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(
  /\/+$/,
  '',
);
const NODE_URLS = (
  process.env.BENCH_GALERA_URLS ??
  process.env.GALERA_URLS ??
  'mysql://root@127.0.0.1:3311,mysql://root@127.0.0.1:3312,mysql://root@127.0.0.1:3313'
)
  .split(',')
  .map((u) => u.trim().replace(/\/+$/, ''));
const HAPROXY = process.env.BENCH_HAPROXY ?? '/usr/sbin/haproxy';
const GALERA_SCRIPT = 'scripts/galera.sh';
// The harness profiles every instance when BENCH_PROFILE is set; this bench profiles one.
const PROFILE_SETTING = process.env.BENCH_PROFILE;
delete process.env.BENCH_PROFILE;

interface CaseSpec {
  name: CaseName;
  label: string;
  /** Where each instance connects: 'single' or a node index. */
  targets: ('single' | number)[];
  syncWait?: 0 | 1;
}

const SPECS: Record<CaseName, CaseSpec> = {
  single: { name: 'single', label: 'single', targets: ['single'] },
  single2: { name: 'single2', label: 'single ×2', targets: ['single', 'single'] },
  galera1: { name: 'galera1', label: 'galera sw=1', targets: [0, 1], syncWait: 1 },
  galera0: { name: 'galera0', label: 'galera sw=0', targets: [0, 1], syncWait: 0 },
  onewriter: { name: 'onewriter', label: 'galera 1 wr', targets: [0, 0], syncWait: 0 },
};

interface GaleraCounters {
  certFailures: number;
  bfAborts: number;
  flowPausedNs: number;
}

interface CaseResult {
  spec: CaseSpec;
  shape: MoodleShape | null;
  error?: string;
  /** Requests each instance served during the shape (from HAProxy's statistics). */
  split?: number[];
  galera?: GaleraCounters;
}

// ---------------------------------------------------------------- what Ctrl-C cleans up

/** Everything running now, for the cleanup on Ctrl-C and at the end of each part. */
const running: {
  owner: BenchApp | null;
  apps: BenchApp[];
  balancer: Balancer | null;
  dir: string | null;
  /** The bench started the cluster: it stops it. */
  cluster: boolean;
} = { owner: null, apps: [], balancer: null, dir: null, cluster: false };

/** Stops the balancer and the instances of a case, removing their databases and folders. */
async function cleanUpCase(): Promise<void> {
  await running.balancer?.stop();
  running.balancer = null;
  if (running.dir) rmSync(running.dir, { recursive: true, force: true });
  running.dir = null;
  for (const app of running.apps.splice(0)) await app.cleanup();
}

async function cleanUpEverything(): Promise<void> {
  await cleanUpCase();
  await running.owner?.cleanup();
  running.owner = null;
  if (running.cluster) {
    running.cluster = false;
    galeraScript('stop');
  }
}

/** A BenchApp registers its own cleanup for Ctrl-C; this bench's covers all of them. */
function protect(): void {
  interruption.cleanup = cleanUpEverything;
}

// ---------------------------------------------------------------- the cluster

async function query<T>(url: string, sql: string): Promise<T[]> {
  const conn = await mysql.createConnection({ uri: url, connectTimeout: 3000 });
  try {
    return (await conn.query(sql))[0] as T[];
  } finally {
    await conn.end();
  }
}

async function wsrepStatus(url: string): Promise<Record<string, string>> {
  const rows = await query<{ Variable_name: string; Value: string }>(
    url,
    "SHOW GLOBAL STATUS LIKE 'wsrep%'",
  );
  return Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]));
}

/** True when every node answers, is Synced and sees a cluster of all of them. */
async function clusterUp(): Promise<boolean> {
  try {
    const states = await Promise.all(NODE_URLS.map(wsrepStatus));
    return states.every(
      (s) =>
        s.wsrep_ready === 'ON' &&
        s.wsrep_local_state_comment === 'Synced' &&
        Number(s.wsrep_cluster_size) === NODE_URLS.length,
    );
  } catch {
    return false;
  }
}

function galeraScript(...args: string[]): string {
  return execFileSync('bash', [GALERA_SCRIPT, ...args], { encoding: 'utf8', stdio: 'pipe' });
}

/**
 * Cluster-wide sums of the counters that say how often nodes conflicted and waited; a node
 * that does not answer (restarted by someone else meanwhile) counts as zero.
 */
async function galeraCounters(): Promise<GaleraCounters> {
  const states = (await Promise.allSettled(NODE_URLS.map(wsrepStatus))).map((r) =>
    r.status === 'fulfilled' ? r.value : {},
  );
  const sum = (key: string) => states.reduce((n, s) => n + Number(s[key] ?? 0), 0);
  return {
    certFailures: sum('wsrep_local_cert_failures'),
    bfAborts: sum('wsrep_local_bf_aborts'),
    flowPausedNs: sum('wsrep_flow_control_paused_ns'),
  };
}

// ---------------------------------------------------------------- HAProxy

/**
 * HAProxy in front of the instances, configured as deploy/haproxy/haproxy.cfg (round robin
 * per request, readiness by GET /health), on a free port, with a statistics socket.
 */
class Balancer {
  process: ChildProcess | null = null;
  readonly socket: string;
  port = 0;

  constructor(
    private readonly dir: string,
    private readonly ports: number[],
  ) {
    this.socket = join(dir, 'haproxy.sock');
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const servers = this.ports
      .map((p, i) => `  server app${i + 1} 127.0.0.1:${p} check inter 2s fall 2 rise 2`)
      .join('\n');
    const config = join(this.dir, 'haproxy.cfg');
    writeFileSync(
      config,
      `global
  maxconn 4096
  stats socket ${this.socket} mode 600 level user
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response 503
frontend app
  bind 127.0.0.1:${this.port}
  default_backend app
backend app
  balance roundrobin
  option httpchk GET /health
  http-check expect status 200
${servers}
`,
    );
    this.process = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.process.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Ready when every server has passed its readiness check.
    for (let i = 0; i < 80; i++) {
      if (this.process.exitCode !== null)
        throw new Error(`haproxy exited with ${this.process.exitCode}: ${stderr}`);
      const rows = await this.stat().catch(() => []);
      const servers = rows.filter((r) => r.svname.startsWith('app'));
      if (servers.length === this.ports.length && servers.every((s) => s.check_status === 'L7OK'))
        return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`haproxy: the instances did not pass the readiness check ${stderr}`);
  }

  /** `show stat` as rows keyed by column name. */
  stat(): Promise<Record<string, string>[]> {
    return new Promise((resolve, reject) => {
      const conn = createConnection(this.socket);
      let text = '';
      conn.on('data', (chunk: Buffer) => (text += chunk.toString()));
      conn.on('error', reject);
      conn.on('end', () => {
        const [header, ...lines] = text.trim().split('\n');
        const columns = header.replace(/^# /, '').split(',');
        resolve(
          lines.map((line) => {
            const values = line.split(',');
            return Object.fromEntries(columns.map((c, i) => [c, values[i] ?? '']));
          }),
        );
      });
      conn.end('show stat\n');
    });
  }

  /** HTTP answers each instance gave so far (readiness checks excluded). */
  async served(): Promise<number[]> {
    const rows = (await this.stat()).filter((r) => r.svname.startsWith('app'));
    return rows.map((r) =>
      ['hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other'].reduce(
        (n, k) => n + Number(r[k] || 0),
        0,
      ),
    );
  }

  async stop(): Promise<void> {
    if (this.process) await stop(this.process);
  }
}

// ---------------------------------------------------------------- one database, its cases

/** What all instances of one database share: tokens signed by one must be valid on all. */
interface Shared {
  secrets: NodeJS.ProcessEnv;
}

function appSupportsSyncWait(): boolean {
  try {
    execFileSync('grep', ['-rlq', 'DB_SYNC_WAIT', 'dist/src']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `specs` on one fresh database at `bases[0]`: the first instance migrates it and sets up
 * the room, then each case starts its own instances (each BenchApp also creates and drops an
 * empty database of its own; the app is pointed at the shared one by DATABASE_URL).
 */
async function runDatabase(
  bases: string[],
  specs: CaseSpec[],
  options: Options,
): Promise<CaseResult[]> {
  const shared: Shared = {
    secrets: {
      JWT_SECRET: randomBytes(48).toString('base64url'),
      SIGNING_KEY: JSON.stringify(
        generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
      ),
    },
  };
  const owner = new BenchApp('mysql', {
    name: 'galera',
    mysqlBase: bases[0],
    candidates: CANDIDATES,
    accessTokenTtlSeconds: 3600,
    env: shared.secrets,
  });
  running.owner = owner;
  protect();
  const results: CaseResult[] = [];
  try {
    await owner.start();
    const room = await setUpExamRoom(owner, { candidates: CANDIDATES, maxAttempts: 1 });
    console.log(
      `${options.galera ? 'cluster' : 'single server'}: database ${owner.dbName} migrated, ` +
        `${CANDIDATES} candidates set up through the API in ${room.setupSeconds.toFixed(1)} s`,
    );
    for (const spec of specs) {
      if (interruption.interrupted) break;
      if (spec.targets.length === 1 && spec.targets[0] === 'single') {
        // One instance, no balancer: the shape goes straight to the instance that set up.
        const shape = await runMoodleShape(owner, room, SECONDS);
        results.push({ spec, shape });
        progress(results.at(-1)!);
        continue;
      }
      await owner.stopApp();
      results.push(
        await runCase(spec, bases, owner.dbName, room, shared, options).catch((error: unknown) => ({
          spec,
          shape: null,
          error: error instanceof Error ? error.message : String(error),
        })),
      );
      progress(results.at(-1)!);
    }
  } finally {
    await cleanUpCase();
    await owner.cleanup();
    running.owner = null;
  }
  return results;
}

/** One line per finished case, so that a long run shows where it is. */
function progress(r: CaseResult): void {
  const s = r.shape;
  console.log(
    s
      ? `  ${r.spec.label}: ${s.saves.perSecond.toFixed(0)} saves/s, errors ` +
          `${s.saves.errors + s.starts.errors + s.submits.errors}`
      : `  ${r.spec.label}: failed`,
  );
}

interface Options {
  galera: boolean;
  profileDir: string | null;
  /** The app has no DB_SYNC_WAIT: set the nodes' global wsrep_sync_wait per case instead. */
  globalSyncWait: boolean;
}

async function delta(before?: GaleraCounters): Promise<GaleraCounters | undefined> {
  if (!before) return undefined;
  const after = await galeraCounters();
  return {
    certFailures: after.certFailures - before.certFailures,
    bfAborts: after.bfAborts - before.bfAborts,
    flowPausedNs: after.flowPausedNs - before.flowPausedNs,
  };
}

async function runCase(
  spec: CaseSpec,
  bases: string[],
  dbName: string,
  room: ExamRoom,
  shared: Shared,
  options: Options,
): Promise<CaseResult> {
  const profiled = options.profileDir && spec.name === 'galera1';
  if (options.globalSyncWait && spec.syncWait !== undefined)
    await Promise.all(
      NODE_URLS.map((u) => query(u, `SET GLOBAL wsrep_sync_wait = ${spec.syncWait}`)),
    );
  try {
    // One at a time: content sync at boot is not yet safe for two instances at once.
    for (const [i, target] of spec.targets.entries()) {
      const base = target === 'single' ? bases[0] : bases[target];
      const app = new BenchApp('mysql', {
        name: 'galera',
        mysqlBase: base,
        candidates: CANDIDATES,
        accessTokenTtlSeconds: 3600,
        env: {
          ...shared.secrets,
          DATABASE_URL: `${base}/${dbName}`,
          MIGRATIONS_RUN: 'false',
          ...(spec.syncWait !== undefined ? { DB_SYNC_WAIT: String(spec.syncWait) } : {}),
        },
      });
      running.apps.push(app);
      protect();
      if (profiled && i === 0) process.env.BENCH_PROFILE = options.profileDir!;
      try {
        await app.start();
      } finally {
        delete process.env.BENCH_PROFILE;
      }
    }
    running.dir = mkdtempSync(join(tmpdir(), 'sa-bench-haproxy-'));
    const balancer = new Balancer(
      running.dir,
      running.apps.map((a) => a.api!.port),
    );
    running.balancer = balancer;
    await balancer.start();
    const api = new Api(balancer.port, CANDIDATES + 50);
    try {
      const servedBefore = await balancer.served();
      const before = options.galera ? await galeraCounters() : undefined;
      // runMoodleShape reads only `bench.api`: here the balancer's address.
      const shape = await runMoodleShape({ api } as unknown as BenchApp, room, SECONDS);
      const galera = await delta(before);
      const served = await balancer.served();
      return { spec, shape, galera, split: served.map((n, i) => n - servedBefore[i]) };
    } finally {
      api.close();
    }
  } catch (error) {
    const tails = running.apps.map((a, i) => `--- instance ${i + 1} log:\n${logTail(a.log)}`);
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n${tails.join('\n')}`,
      { cause: error },
    );
  } finally {
    await cleanUpCase();
    if (options.globalSyncWait && spec.syncWait !== undefined)
      await Promise.all(NODE_URLS.map((u) => query(u, 'SET GLOBAL wsrep_sync_wait = 0')));
  }
}

// ---------------------------------------------------------------- report

function printTable(results: CaseResult[]): void {
  const cols = results.filter((r) => r.shape);
  if (!cols.length) return;
  const width = 14;
  const line = (label: string, f: (r: CaseResult) => string) =>
    console.log(label.padEnd(26) + cols.map((r) => f(r).padStart(width)).join(''));
  const n = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
  const phase = (title: string, pick: (s: MoodleShape) => Rate, unit: string) => {
    line(`${title} ${unit}`, (r) => n(pick(r.shape!).perSecond));
    line('  p50 / p99 (ms)', (r) => `${n(pick(r.shape!).p50)} / ${n(pick(r.shape!).p99)}`);
    line('  errors', (r) => String(pick(r.shape!).errors));
  };
  console.log(
    `\n== Moodle's shape: ${MOODLE_CONNECTIONS} connections, ${CANDIDATES} candidates, ` +
      `${SECONDS} s per timed phase (sw = DB_SYNC_WAIT; "1 wr": both instances on node 1)`,
  );
  line('', (r) => r.spec.label);
  line('app instances', (r) => String(r.spec.targets.length));
  phase('save one answer', (s) => s.saves, '/s');
  line('  answers stored', (r) => String(r.shape!.saves.stored));
  phase(`burst of ${CANDIDATES} starts`, (s) => s.starts, '/s');
  phase('finish + grade', (s) => s.submits, '/s');
  phase('GET /api/v1/me', (s) => s.me, '/s');
  phase('GET /health', (s) => s.health, '/s');
  phase('GET /health/live (floor)', (s) => s.live, '/s');
  line('saves / floor', (r) => n(r.shape!.saves.perSecond / r.shape!.live.perSecond, 3));
  line('saves / single', (r) => {
    const base = cols.find((c) => c.spec.name === 'single');
    return base ? n(r.shape!.saves.perSecond / base.shape!.saves.perSecond, 2) : '-';
  });
  line('requests per instance', (r) => (r.split ? r.split.join(' / ') : 'direct'));
  line('conflicts (cert+BF)', (r) =>
    r.galera ? `${r.galera.certFailures}+${r.galera.bfAborts}` : '-',
  );
  line('flow control paused', (r) =>
    r.galera ? `${(r.galera.flowPausedNs / 1e6).toFixed(0)} ms` : '-',
  );
  for (const r of cols) {
    const s = r.shape!;
    const errors = (
      [
        ['saves', s.saves],
        ['starts', s.starts],
        ['submits', s.submits],
        ['me', s.me],
        ['health', s.health],
        ['live', s.live],
      ] as const
    ).filter(([, rate]) => rate.errors);
    for (const [what, rate] of errors) console.log(`${r.spec.label}, ${what}: ${rate.errorText}`);
  }
}

/** bench/profile-summary.ts on the profile, with the share of idle, GC and the rest. */
function printProfile(dir: string): void {
  const summary = execFileSync(
    process.execPath,
    [join(import.meta.dirname, 'profile-summary.js'), dir, '12'],
    { encoding: 'utf8' },
  );
  const share = (name: string) =>
    Number(summary.match(new RegExp(`([\\d.]+) %\\s+\\d+ ms\\s+\\(${name}\\)\\n`))?.[1] ?? 0);
  const idle = share('idle');
  const gc = share('garbage collector');
  console.log(
    `\n== where the time goes: instance 1 of "galera sw=1" (on node 1), node --cpu-prof over its ` +
      `whole run (boot, the shape and its floor)\n` +
      `idle ${idle.toFixed(1)} %, garbage collection ${gc.toFixed(1)} %, ` +
      `JavaScript, native code and the rest ${(100 - idle - gc).toFixed(1)} %`,
  );
  console.log(summary.trimEnd());
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  for (const c of CASES)
    if (!ALL_CASES.includes(c))
      throw new Error(`BENCH_CASES: unknown case "${c}" (use ${ALL_CASES.join(', ')})`);
  if (!(SECONDS > 0)) throw new Error('BENCH_SECONDS must be above 0');
  console.log(
    `bench:galera — cases ${CASES.join(', ')}; machine: ${cpus().length} CPUs shared by the load ` +
      `generator, the instances, HAProxy and the database servers; Node ${process.version}`,
  );
  const haproxy = existsSync(HAPROXY);
  if (!haproxy)
    console.log(`no ${HAPROXY} (apt-get install haproxy): the two-instance cases are skipped`);
  const wanted = CASES.map((c) => SPECS[c]).filter((s) => haproxy || s.targets.length === 1);
  const singleSpecs = wanted.filter((s) => s.targets[0] === 'single');
  const clusterSpecs = wanted.filter((s) => s.targets[0] !== 'single');

  const results: CaseResult[] = [];
  let failed = false;
  const record = async (run: () => Promise<CaseResult[]>, what: string) => {
    try {
      results.push(...(await run()));
    } catch (error) {
      if (interruption.interrupted) return;
      failed = true;
      console.error(
        `\n== ${what}: setup failed\n${error instanceof Error ? error.message : error}`,
      );
    }
  };

  if (singleSpecs.length) {
    const server = (await query<{ v: string }>(SINGLE_URL, 'SELECT VERSION() AS v'))[0].v;
    console.log(`single server: ${SINGLE_URL.replace(/\/\/[^@]*@/, '//')} (MariaDB ${server})`);
    await record(
      () =>
        runDatabase([SINGLE_URL], singleSpecs, {
          galera: false,
          profileDir: null,
          globalSyncWait: false,
        }),
      'single server',
    );
  }

  let startedCluster = false;
  let profileDir: string | null = null;
  if (clusterSpecs.length && !interruption.interrupted) {
    if (!(await clusterUp())) {
      if (!existsSync(GALERA_SCRIPT)) {
        console.log(
          `\nthe cluster (${NODE_URLS.join(', ')}) does not answer and there is no ${GALERA_SCRIPT}: ` +
            'the cluster cases are skipped',
        );
      } else {
        console.log(`\nthe cluster does not answer: starting it (bash ${GALERA_SCRIPT} start)…`);
        const started = Date.now();
        galeraScript('start');
        startedCluster = true;
        running.cluster = true;
        protect();
        for (let i = 0; i < 120 && !(await clusterUp()); i++)
          await new Promise((r) => setTimeout(r, 500));
        console.log(`cluster started in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    } else console.log('\nthe cluster is running: used as it is, left running');
  }
  try {
    if (clusterSpecs.length && (await clusterUp()) && !interruption.interrupted) {
      const s = await wsrepStatus(NODE_URLS[0]);
      const version = (await query<{ v: string }>(NODE_URLS[0], 'SELECT VERSION() AS v'))[0].v;
      const sst = (
        await query<{ Value: string }>(NODE_URLS[0], "SHOW VARIABLES LIKE 'wsrep_sst_method'")
      )[0]?.Value;
      console.log(
        `cluster: ${NODE_URLS.map((u) => u.replace(/\/\/[^@]*@/, '//')).join(', ')}: MariaDB ${version}, ` +
          `Galera ${s.wsrep_provider_version}, size ${s.wsrep_cluster_size}, SST ${sst}`,
      );
      const supported = appSupportsSyncWait();
      const globalSyncWait = !supported && startedCluster;
      if (!supported)
        console.log(
          globalSyncWait
            ? "the app has no DB_SYNC_WAIT setting yet: the bench sets the nodes' GLOBAL wsrep_sync_wait per case instead"
            : 'the app has no DB_SYNC_WAIT setting yet and the cluster is not ours: "sw=1" runs with the nodes\' own wsrep_sync_wait',
        );
      if (PROFILE_SETTING !== '0' && clusterSpecs.some((s) => s.name === 'galera1'))
        profileDir = PROFILE_SETTING || mkdtempSync(join(tmpdir(), 'sa-bench-galera-prof-'));
      await record(
        () => runDatabase(NODE_URLS, clusterSpecs, { galera: true, profileDir, globalSyncWait }),
        'cluster',
      );
    } else if (clusterSpecs.length && !interruption.interrupted) {
      failed = true;
      console.error('the cluster is not up (every node Synced, all in one cluster): cases skipped');
    }
  } finally {
    if (running.cluster) {
      console.log(`\nstopping the cluster the bench started (bash ${GALERA_SCRIPT} stop)`);
      running.cluster = false;
      galeraScript('stop');
    }
  }

  for (const r of results.filter((x) => x.error)) {
    failed = true;
    console.error(`\n== ${r.spec.label}: failed\n${r.error}`);
  }
  printTable(results);
  if (profileDir && existsSync(profileDir)) {
    if (!readdirSync(profileDir).some((f) => f.endsWith('.cpuprofile')))
      console.log('\nno CPU profile was written (the profiled case failed)');
    else
      try {
        printProfile(profileDir);
      } catch (error) {
        console.error(`profile summary failed: ${error instanceof Error ? error.message : error}`);
      }
    if (!PROFILE_SETTING) rmSync(profileDir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

cleanUpOnSignals();

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
