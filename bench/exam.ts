/**
 * `npm run bench:exam`: an exam morning on the compiled app in production mode, on MariaDB
 * and on SQLite. Per engine: a fresh database, the app started with NODE_ENV=production,
 * setup through the HTTP API (admin, coordinator, N candidates imported from CSV who sign in
 * and change their temporary password, a question bank from GIFT, a published 20-question
 * assessment), then
 *   1. start storm: all N candidates start their attempt at the same moment;
 *   2. answering: N candidates at once, each saving 20 answers one after another, then submitting;
 *   3. the same concurrency and request count on GET /api/v1/me, as a yardstick;
 *   4. a database check that every acknowledged answer is stored with its sequence.
 * Prints figures; never fails on speed (exit 1 only when setup breaks). The target is one
 * 2-core machine, where this load generator shares the CPUs with the app and the database.
 *
 * Environment:
 *   BENCH_CANDIDATES  candidates (default 300)
 *   BENCH_ENGINES     comma list of mysql, sqlite (default mysql,sqlite)
 *   BENCH_MYSQL_URL   MariaDB/MySQL server without a database, for another host or user
 *                     (default mysql://root@127.0.0.1:3306); a database bench_exam_<random>
 *                     is created there and dropped afterwards
 *   LOG_LEVEL         passed to the app (default: the production default, info)
 */
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 300);
const ENGINES = (process.env.BENCH_ENGINES ?? 'mysql,sqlite')
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean);
const MYSQL_BASE = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(
  /\/+$/,
  '',
);
const QUESTIONS = 20;
/** Password-hashing requests in flight during setup: scrypt runs on libuv's 4 threads. */
const SETUP_CONCURRENCY = 8;

// ---------------------------------------------------------------- HTTP client

interface Reply {
  status: number;
  body: unknown;
  ms: number;
  /** Socket-level failure (no HTTP status). */
  error?: string;
}

interface CallOptions {
  token?: string;
  json?: unknown;
  text?: string;
  type?: string;
}

/**
 * A keep-alive client on node:http rather than fetch: lighter per request, so less of the
 * shared CPU goes to the load generator, and each concurrent candidate keeps its own socket.
 */
class Api {
  private readonly agent = new http.Agent({
    keepAlive: true,
    maxSockets: Infinity,
    maxFreeSockets: CANDIDATES + 50,
  });

  constructor(readonly port: number) {}

  call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const payload = options.json !== undefined ? JSON.stringify(options.json) : options.text;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (payload !== undefined) {
      headers['content-type'] =
        options.json !== undefined ? 'application/json' : (options.type ?? 'text/plain');
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const started = performance.now();
    return new Promise((resolve) => {
      const fail = (error: Error) =>
        resolve({
          status: 0,
          body: null,
          ms: performance.now() - started,
          error: (error as NodeJS.ErrnoException).code ?? error.message,
        });
      const request = http.request(
        { host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            if (response.headers['content-type']?.includes('json')) {
              try {
                body = JSON.parse(text);
              } catch {
                /* keep the text */
              }
            }
            resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - started });
          });
        },
      );
      request.on('error', fail);
      request.end(payload);
    });
  }

  /** A setup step: anything but the expected status stops the run. */
  async must<T>(what: string, method: string, path: string, options: CallOptions = {}) {
    const reply = await this.call(method, path, options);
    if (reply.status < 200 || reply.status > 299) {
      const detail = reply.error ?? JSON.stringify(reply.body).slice(0, 400);
      throw new Error(`${what}: ${method} ${path} → ${reply.status} ${detail}`);
    }
    return reply.body as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------- figures

/** Latency samples of one phase, with the errors by kind (HTTP status or socket error). */
class Samples {
  readonly ms: number[] = [];
  readonly errors = new Map<string, number>();
  firstError = '';
  ok = 0;

  add(reply: Reply, ok: boolean): void {
    this.ms.push(reply.ms);
    if (ok) {
      this.ok++;
      return;
    }
    const kind = reply.error ?? String(reply.status);
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    this.firstError ||= `${kind} ${JSON.stringify(reply.body).slice(0, 200)}`;
  }

  get errorCount(): number {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }

  /** Exact percentiles by nearest rank over the sorted samples (a few thousand: cheap). */
  percentiles(): { p50: number; p95: number; p99: number; max: number } {
    const sorted = [...this.ms].sort((a, b) => a - b);
    const at = (p: number) =>
      sorted.length
        ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
        : NaN;
    return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN };
  }

  describeErrors(): string {
    if (!this.errors.size) return '0';
    const kinds = [...this.errors].map(([k, n]) => `${k}×${n}`).join(', ');
    return `${this.errorCount} (${kinds}; first: ${this.firstError})`;
  }
}

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '-');
const latency = (s: Samples) => {
  const p = s.percentiles();
  return `p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  max ${ms(p.max)}`;
};

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
  check: {
    acknowledged: number;
    stored: number;
    seqMismatch: number;
    responseMismatch: number;
    statuses: string;
  };
}

// ---------------------------------------------------------------- exam content

/** 24 health questions of every GIFT type the bank takes; the assessment draws 20. */
const GIFT = `
::PG1:: Vaksin BCG diberikan untuk mencegah? {=Tuberkulosis ~Campak ~Polio ~Hepatitis B}

::PG2:: Alat pelindung diri untuk saluran napas adalah? {=Masker ~Sarung tangan ~Apron ~Sepatu bot}

::PG3:: Kantong limbah medis infeksius berwarna? {=Kuning ~Hitam ~Hijau ~Biru}

::PG4:: JKN adalah singkatan dari? {=Jaminan Kesehatan Nasional ~Jaringan Klinik Nasional ~Jasa Kesehatan Negeri}

::PG5:: Demam berdarah dengue ditularkan oleh nyamuk? {=Aedes aegypti ~Anopheles ~Culex ~Mansonia}

::PG6:: Sasaran utama Posyandu adalah? {=Ibu dan balita ~Pekerja pabrik ~Atlet ~Wisatawan}

::PG7:: Langkah cuci tangan menurut WHO berjumlah? {=Enam ~Empat ~Delapan ~Sepuluh}

::PG8:: Oralit terutama diberikan pada pasien? {=Diare ~Patah tulang ~Sakit gigi ~Rabun jauh}

::PJ1:: Termasuk lima momen cuci tangan? {~%50%Sebelum kontak dengan pasien ~%50%Setelah kontak dengan pasien ~%-100%Sebelum apel pagi ~%-100%Setelah rapat}

::PJ2:: Tanda dehidrasi? {~%50%Mulut kering ~%50%Urine pekat ~%-100%Berat badan naik ~%-100%Nafsu makan bertambah}

::PJ3:: Termasuk imunisasi dasar? {~%50%BCG ~%50%Polio ~%-100%Tablet tambah darah ~%-100%Obat cacing}

::PJ4:: Sumber vitamin C yang baik? {~%50%Jeruk ~%50%Jambu biji ~%-100%Minyak goreng ~%-100%Gula pasir}

::BS1:: Antibiotik efektif untuk mengobati influenza. {F}

::BS2:: ASI eksklusif diberikan selama enam bulan pertama. {T}

::BS3:: Demam berdarah disebabkan oleh bakteri. {F}

::BS4:: Jarum suntik bekas dibuang ke wadah tahan tusuk. {T}

::IS1:: Organ yang memompa darah ke seluruh tubuh disebut? {=jantung}

::IS2:: Zat besi diperlukan tubuh untuk membentuk? {=hemoglobin =Hb}

::IS3:: Puskesmas adalah Pusat Kesehatan? {=Masyarakat}

::AN1:: Suhu tubuh normal orang dewasa dalam derajat Celsius? {#37:0.5}

::AN2:: Berapa kali kunjungan antenatal minimal selama kehamilan? {#6}

::JD1:: Pasangkan vitamin dengan sumbernya. {=Vitamin A -> Wortel =Vitamin C -> Jeruk =Vitamin D -> Sinar matahari}

::JD2:: Pasangkan penyakit dengan penyebabnya. {=Malaria -> Plasmodium =Tuberkulosis -> Mycobacterium =Influenza -> Virus}

::UR1:: Jelaskan penanganan pertama pada pasien syok. {}
`;

interface Item {
  slot: number;
  type: string;
  options?: { id: string }[];
  left?: { id: string }[];
  right?: { id: string }[];
}

interface AttemptView {
  id: string;
  items: Item[];
}

const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)];

/** A valid response for the item's type, as a candidate's page would send it. */
function answerFor(item: Item): unknown {
  switch (item.type) {
    case 'single_choice':
      return pick(item.options!).id;
    case 'multiple_response': {
      const chosen = item.options!.filter(() => Math.random() < 0.5).map((o) => o.id);
      return chosen.length ? chosen : [item.options![0].id];
    }
    case 'true_false':
      return Math.random() < 0.5;
    case 'numeric':
      return 36 + randomInt(3);
    case 'matching':
      return Object.fromEntries(item.left!.map((l) => [l.id, pick(item.right!).id]));
    case 'short_answer':
      return pick(['jantung', 'hemoglobin', 'Masyarakat', 'tidak tahu']);
    default:
      return 'Baringkan pasien, tinggikan tungkai, longgarkan pakaian, dan segera rujuk.';
  }
}

/** A valid NIP per index: birth 1970–2000 (year by thousand), appointed 25 years on, seq 001–999. */
function nipOf(i: number): string {
  const year = 1970 + Math.floor(i / 999);
  const date = `${year}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
  return `${date}${year + 25}${String(1 + (i % 12)).padStart(2, '0')}${1 + (i % 2)}${String(1 + (i % 999)).padStart(3, '0')}`;
}

const password = () => `Uji-${randomBytes(12).toString('base64url')}`;

async function inPool<T>(list: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length) await fn(list[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}

// ---------------------------------------------------------------- app process

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitUp(api: Api, app: ChildProcess, log: string): Promise<void> {
  // Migrations on a fresh MariaDB database take a while: up to two minutes.
  for (let i = 0; i < 480; i++) {
    if (app.exitCode !== null) throw new Error(`app exited with ${app.exitCode}:\n${logTail(log)}`);
    if ((await api.call('GET', '/health/live')).status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`app did not start:\n${logTail(log)}`);
}

async function stop(app: ChildProcess): Promise<void> {
  if (app.exitCode !== null || app.signalCode !== null) return;
  const exited = once(app, 'exit');
  app.kill('SIGTERM');
  const kill = setTimeout(() => app.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(kill);
}

/** Cleanup of the engine in progress, also run on Ctrl-C. */
let cleanup: (() => Promise<void>) | null = null;
/** Set on Ctrl-C: nothing new is started while the cleanup runs. */
let interrupted = false;

// ---------------------------------------------------------------- one engine

interface Candidate {
  token: string;
  attempt?: AttemptView;
}

interface Ack {
  attemptId: string;
  slot: number;
  seq: number;
  response: unknown;
}

async function runEngine(engine: string): Promise<EngineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-exam-'));
  const dbName = `bench_exam_${randomBytes(4).toString('hex')}`;
  const log = join(dir, 'app.log');
  let app: ChildProcess | null = null;
  let api: Api | null = null;
  let dropDatabase = false;
  let done = false;
  cleanup = async () => {
    if (done) return;
    done = true;
    try {
      api?.close();
      if (app) await stop(app);
      if (dropDatabase) {
        const conn = await mysql.createConnection(MYSQL_BASE);
        await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``).finally(() => conn.end());
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  try {
    let databaseUrl = `sqlite:${join(dir, 'exam.sqlite')}`;
    let server = 'SQLite (better-sqlite3, WAL)';
    if (engine === 'mysql') {
      const conn = await mysql.createConnection(MYSQL_BASE);
      try {
        const [rows] = await conn.query('SELECT VERSION() AS v');
        server = `MySQL/MariaDB ${(rows as { v: string }[])[0].v}`;
        dropDatabase = true; // before creating: a Ctrl-C during the query still drops it
        await conn.query(
          `CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        );
      } finally {
        await conn.end();
      }
      databaseUrl = `${MYSQL_BASE}/${dbName}`;
    } else if (engine !== 'sqlite') {
      throw new Error(`unknown engine "${engine}" (use mysql or sqlite)`);
    }

    const port = await freePort();
    const adminEmail = 'admin@bench.example';
    const adminPassword = password();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      // Fresh per run: production refuses a missing or short secret.
      JWT_SECRET: randomBytes(48).toString('base64url'),
      // Certificate signing key, likewise required in production: a throwaway Ed25519 JWK.
      SIGNING_KEY: JSON.stringify(
        generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
      ),
      DEMO_DATA: 'false',
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
      // Every candidate signs in from this one address within a minute; the default
      // (300/min per IP) would throttle a large room behind one NAT the same way.
      LOGIN_RATE_LIMIT_IP: String(Math.max(300, 2 * CANDIDATES + 10)),
      // Tokens must outlive a long run at large N; the default is 15 minutes.
      ACCESS_TOKEN_TTL: '3600',
    };
    if (interrupted) throw new Error('interrupted');
    const out = openSync(log, 'a');
    app = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', out, out] });
    closeSync(out);
    api = new Api(port);
    await waitUp(api, app, log);

    // -------- setup through the API
    const setupStarted = performance.now();
    type Login = { accessToken: string };
    const admin = await api.must<Login>('admin login', 'POST', '/api/v1/auth/login', {
      json: { username: adminEmail, password: adminPassword },
    });
    const coordinatorPassword = password();
    await api.must('create coordinator', 'POST', '/api/v1/users', {
      token: admin.accessToken,
      json: {
        email: 'koordinator@bench.example',
        name: 'Koordinator Kesehatan',
        password: coordinatorPassword,
        role: 'coordinator',
        sectors: ['health'],
      },
    });
    const coordinator = await api.must<Login>('coordinator login', 'POST', '/api/v1/auth/login', {
      json: { username: 'koordinator@bench.example', password: coordinatorPassword },
    });

    const csv = ['NIP,Nama,Peran']
      .concat(
        Array.from({ length: CANDIDATES }, (_, i) => `${nipOf(i)},Peserta Ujian ${i + 1},ASN`),
      )
      .join('\n');
    const imported = await api.must<{
      summary: { create: number; error: number };
      credentials: { nip: string; temporaryPassword: string }[];
    }>('import candidates', 'POST', '/api/v1/users/import', {
      token: admin.accessToken,
      text: csv,
      type: 'text/csv',
    });
    if (imported.credentials.length !== CANDIDATES)
      throw new Error(
        `import created ${imported.credentials.length} of ${CANDIDATES}: ${JSON.stringify(imported.summary)}`,
      );

    // Imported accounts hold a temporary password and are refused everywhere but /me until
    // it is changed, as the first sign-in page asks. The access token stays valid across the
    // change (the guard re-reads the account per request), so no second scrypt login is spent.
    const candidates: Candidate[] = [];
    await inPool(imported.credentials, SETUP_CONCURRENCY, async ({ nip, temporaryPassword }) => {
      const login = await api!.must<Login>('candidate login', 'POST', '/api/v1/auth/login', {
        json: { username: nip, password: temporaryPassword },
      });
      await api!.must('change password', 'POST', '/api/v1/me/password', {
        token: login.accessToken,
        json: { currentPassword: temporaryPassword, newPassword: password() },
      });
      candidates.push({ token: login.accessToken });
    });

    const bank = await api.must<{ id: string }>('create bank', 'POST', '/api/v1/question-banks', {
      token: coordinator.accessToken,
      json: { name: 'Bank Soal Uji Beban', sector: 'health' },
    });
    const gift = await api.must<{ imported: number; skipped: unknown[] }>(
      'import GIFT',
      'POST',
      `/api/v1/question-banks/${bank.id}/import?format=gift`,
      { token: coordinator.accessToken, text: GIFT, type: 'text/plain' },
    );
    if (gift.imported < QUESTIONS || gift.skipped.length)
      throw new Error(`GIFT import: ${JSON.stringify(gift)}`);
    const assessment = await api.must<{ id: string }>(
      'create assessment',
      'POST',
      '/api/v1/assessments',
      {
        token: coordinator.accessToken,
        json: {
          title: 'Uji Kompetensi Teknis Kesehatan',
          sector: 'health',
          timeLimitMinutes: 90,
          passPercent: 60,
          maxAttempts: 1,
          shuffle: true,
          sections: [{ bankId: bank.id, count: QUESTIONS }],
        },
      },
    );
    await api.must('publish', 'POST', `/api/v1/assessments/${assessment.id}/publish`, {
      token: coordinator.accessToken,
    });
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    // -------- 1. start storm: all N requests issued at once, each on its own connection
    const stormSamples = new Samples();
    const startPath = `/api/v1/assessments/${assessment.id}/attempts`;
    const stormStarted = performance.now();
    let lastStart = stormStarted;
    const starts = candidates.map(async (c) => {
      const reply = await api!.call('POST', startPath, { token: c.token });
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
      c.attempt = await api.must<AttemptView>('retry start', 'POST', startPath, { token: c.token });
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
          const reply = await api!.call(
            'PUT',
            `/api/v1/attempts/${attempt.id}/answers/${item.slot}`,
            {
              token: c.token,
              json: { response, seq: 1 },
            },
          );
          const ok = reply.status === 200 && (reply.body as { saved?: unknown })?.saved === true;
          saveSamples.add(reply, ok);
          if (ok) acks.push({ attemptId: attempt.id, slot: item.slot, seq: 1, response });
          lastSave = Math.max(lastSave, performance.now());
        }
        const submitted = await api!.call('POST', `/api/v1/attempts/${attempt.id}/submit`, {
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
          const reply = await api!.call('GET', '/api/v1/me', { token: c.token });
          meSamples.add(reply, reply.status === 200);
        }
      }),
    );
    const meSeconds = (performance.now() - meStarted) / 1000;

    // -------- 4. what the database holds, read directly after the app has stopped
    await stop(app);
    const check = await verify(engine, databaseUrl, dbName, assessment.id, acks);

    return {
      engine,
      server,
      setupSeconds,
      types: [...types].map(([type, n]) => `${type} ${n}`).join(', '),
      storm: { firedMs, seconds: stormSeconds, started, retried, samples: stormSamples },
      saves: {
        seconds: savesSeconds,
        perSecond: saveSamples.ok / savesSeconds,
        samples: saveSamples,
      },
      submits: submitSamples,
      me: { seconds: meSeconds, perSecond: meSamples.ok / meSeconds, samples: meSamples },
      check,
    };
  } finally {
    await cleanup();
    cleanup = null;
  }
}

interface StoredItem {
  attemptId: string;
  slot: number;
  responseSeq: number;
  response: string | null;
}

async function verify(
  engine: string,
  databaseUrl: string,
  dbName: string,
  assessmentId: string,
  acks: Ack[],
): Promise<EngineResult['check']> {
  const itemsSql =
    'SELECT i.attemptId, i.slot, i.responseSeq, i.response FROM attempt_items i ' +
    'JOIN attempts a ON a.id = i.attemptId WHERE a.assessmentId = ?';
  const statusSql =
    'SELECT status, COUNT(*) AS n FROM attempts WHERE assessmentId = ? GROUP BY status';
  let items: StoredItem[];
  let statuses: { status: string; n: number }[];
  if (engine === 'mysql') {
    const conn = await mysql.createConnection(`${MYSQL_BASE}/${dbName}`);
    try {
      items = (await conn.query(itemsSql, [assessmentId]))[0] as StoredItem[];
      statuses = (await conn.query(statusSql, [assessmentId]))[0] as {
        status: string;
        n: number;
      }[];
    } finally {
      await conn.end();
    }
  } else {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { fileMustExist: true });
    try {
      items = db.prepare(itemsSql).all(assessmentId) as StoredItem[];
      statuses = db.prepare(statusSql).all(assessmentId) as { status: string; n: number }[];
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
    // Responses are stored as JSON text on both engines.
    else if (
      stored.response === null ||
      JSON.stringify(JSON.parse(stored.response)) !== JSON.stringify(ack.response)
    )
      responseMismatch++;
  }
  return {
    acknowledged: acks.length,
    stored: items.filter((i) => i.response !== null).length,
    seqMismatch,
    responseMismatch,
    statuses: statuses.map((s) => `${s.status} ${s.n}`).join(', '),
  };
}

// ---------------------------------------------------------------- report

function printEngine(r: EngineResult): void {
  const n = CANDIDATES;
  const c = r.check;
  const good = c.acknowledged === c.stored && c.seqMismatch === 0 && c.responseMismatch === 0;
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
        `${c.seqMismatch} seq mismatches, ${c.responseMismatch} response mismatches; attempts: ${c.statuses}`,
    ],
  ];
  console.log(
    `\n== ${r.engine}: ${r.server}, ${n} candidates, ${QUESTIONS} questions, NODE_ENV=production`,
  );
  for (const [k, v] of rows) console.log(`${k.padEnd(27)} ${v}`);
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
    if (interrupted) return;
    try {
      const result = await runEngine(engine);
      printEngine(result);
      results.push(result);
    } catch (error) {
      if (interrupted) return;
      failed = true;
      console.error(
        `\n== ${engine}: setup failed\n${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  printComparison(results);
  process.exitCode = failed ? 1 : 0;
}

// `on`, not `once`: a terminal (and `timeout`) delivers the signal to the process group, so
// it may arrive twice; a second default-handled one would kill us before the cleanup ends.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error('\ninterrupted: stopping the app and removing the bench database…');
    void (cleanup?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
