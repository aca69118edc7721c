/**
 * What the exam benchmarks share (`bench/exam.ts`, `bench/soak.ts`): a keep-alive HTTP client,
 * latency samples, the compiled app started in production mode on a fresh database, and the
 * exam room set up through the HTTP API (admin, coordinator, candidates imported from CSV,
 * a question bank from GIFT, a published assessment).
 */
import mysql from 'mysql2/promise';
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Questions drawn by the assessment. */
export const QUESTIONS = 20;
/** Password-hashing requests in flight during setup: scrypt runs on libuv's 4 threads. */
const SETUP_CONCURRENCY = 8;

// ---------------------------------------------------------------- HTTP client

export interface Reply {
  status: number;
  body: unknown;
  ms: number;
  /** Socket-level failure (no HTTP status). */
  error?: string;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  text?: string;
  type?: string;
}

/**
 * A keep-alive client on node:http rather than fetch: lighter per request, so less of the
 * shared CPU goes to the load generator, and each concurrent candidate keeps its own socket.
 */
export class Api {
  private readonly agent: http.Agent;

  constructor(
    readonly port: number,
    /** Idle sockets kept: one per concurrent caller, with room to spare. */
    maxFreeSockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets });
  }

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
export class Samples {
  readonly ms: number[] = [];
  readonly errors = new Map<string, number>();
  firstError = '';
  ok = 0;

  /** `kind` names the error (default: the socket error or the HTTP status). */
  add(reply: Reply, ok: boolean, kind?: string): void {
    this.ms.push(reply.ms);
    if (ok) {
      this.ok++;
      return;
    }
    kind ??= reply.error ?? String(reply.status);
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    this.firstError ||= `${kind} ${JSON.stringify(reply.body).slice(0, 200)}`;
  }

  get errorCount(): number {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }

  /** Exact percentiles by nearest rank over the sorted samples. */
  percentiles(): { p50: number; p95: number; p99: number; max: number } {
    const sorted = Float64Array.from(this.ms).sort();
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

export const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '-');
export const latency = (s: Samples) => {
  const p = s.percentiles();
  return `p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  max ${ms(p.max)}`;
};

// ---------------------------------------------------------------- exam content

/** 24 health questions of every GIFT type the bank takes; the assessment draws 20. */
export const GIFT = `
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

export interface Item {
  slot: number;
  type: string;
  options?: { id: string; text?: string }[];
  left?: { id: string; text?: string }[];
  right?: { id: string; text?: string }[];
  /** Sequence of the saved answer (0: none yet). */
  seq?: number;
}

export interface AttemptView {
  id: string;
  status?: string;
  items: Item[];
}

export const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)];

/** A valid response for the item's type, as a candidate's page would send it. */
export function answerFor(item: Item): unknown {
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

type Lists = Partial<
  Record<'options' | 'left' | 'right' | 'items', { id: string; text?: string }[]>
>;

/**
 * A response with each picked id replaced by its entry's text. A candidate answers with the
 * attempt's opaque ids and the server stores authoring ids; the texts are what both share.
 * `lists` is the candidate's item or the question's definition.
 */
export function responseTexts(response: unknown, lists: Lists): unknown {
  const text = (list: keyof Lists, id: unknown) =>
    lists[list]?.find((e) => e.id === id)?.text ?? `?${String(id)}`;
  const values: keyof Lists = lists.options ? 'options' : lists.items ? 'items' : 'right';
  if (typeof response === 'string' && (lists.options || lists.items)) return text(values, response);
  if (Array.isArray(response) && (lists.options || lists.items))
    return response.map((id) => text(values, id)).sort();
  if (response && typeof response === 'object' && !Array.isArray(response) && lists.left)
    return Object.entries(response as Record<string, unknown>)
      .map(([l, r]) => `${text('left', l)} → ${text('right', r)}`)
      .sort();
  return response;
}

/** A valid NIP per index: birth 1970–2000 (year by thousand), appointed 25 years on, seq 001–999. */
export function nipOf(i: number): string {
  const year = 1970 + Math.floor(i / 999);
  const date = `${year}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
  return `${date}${year + 25}${String(1 + (i % 12)).padStart(2, '0')}${1 + (i % 2)}${String(1 + (i % 999)).padStart(3, '0')}`;
}

export const password = () => `Uji-${randomBytes(12).toString('base64url')}`;

export async function inPool<T>(
  list: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length) await fn(list[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}

// ---------------------------------------------------------------- app process

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export function logTail(file: string): string {
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

export async function stop(app: ChildProcess): Promise<void> {
  if (app.exitCode !== null || app.signalCode !== null) return;
  const exited = once(app, 'exit');
  app.kill('SIGTERM');
  const kill = setTimeout(() => app.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(kill);
}

/**
 * Ctrl-C handling: `cleanup` is the run in progress (set by `BenchApp`), `interrupted` is set
 * on the signal so that nothing new is started while the cleanup runs.
 */
export const interruption: { interrupted: boolean; cleanup: (() => Promise<void>) | null } = {
  interrupted: false,
  cleanup: null,
};

/** On SIGINT/SIGTERM: stop the app, remove the bench database and directory, exit 130. */
export function cleanUpOnSignals(): void {
  // `on`, not `once`: a terminal (and `timeout`) delivers the signal to the process group, so
  // it may arrive twice; a second default-handled one would kill us before the cleanup ends.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interruption.interrupted) return;
      interruption.interrupted = true;
      console.error('\ninterrupted: stopping the app and removing the bench database…');
      void (interruption.cleanup?.() ?? Promise.resolve()).finally(() => process.exit(130));
    });
  }
}

export interface BenchAppOptions {
  /** Names the temporary directory and database: `sa-bench-<name>-`, `bench_<name>_<random>`. */
  name: string;
  /** MariaDB/MySQL server without a database, e.g. mysql://root@127.0.0.1:3306. */
  mysqlBase: string;
  /** Candidates who will sign in from this one address and hold a connection each. */
  candidates: number;
  accessTokenTtlSeconds: number;
  /** More environment for the app. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The compiled app (`dist/src/main.js`) as a child process with NODE_ENV=production on a fresh
 * database: a new MariaDB database (dropped by `cleanup`) or an SQLite file in a temporary
 * directory that also holds the app's log. Registers itself as the run Ctrl-C cleans up.
 */
export class BenchApp {
  readonly dir: string;
  readonly dbName: string;
  readonly log: string;
  /** The admin the app creates at boot. */
  readonly adminEmail = 'admin@bench.example';
  readonly adminPassword = password();
  app: ChildProcess | null = null;
  api: Api | null = null;
  databaseUrl = '';
  server = '';
  private dropDatabase = false;
  private done = false;

  constructor(
    readonly engine: string,
    private readonly options: BenchAppOptions,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `sa-bench-${options.name}-`));
    this.dbName = `bench_${options.name}_${randomBytes(4).toString('hex')}`;
    this.log = join(this.dir, 'app.log');
    interruption.cleanup = () => this.cleanup();
  }

  /** Creates the database, starts the app and waits until it answers. */
  async start(): Promise<Api> {
    const { mysqlBase, candidates } = this.options;
    this.databaseUrl = `sqlite:${join(this.dir, `${this.options.name}.sqlite`)}`;
    this.server = 'SQLite (better-sqlite3, WAL)';
    if (this.engine === 'mysql') {
      const conn = await mysql.createConnection(mysqlBase);
      try {
        const [rows] = await conn.query('SELECT VERSION() AS v');
        this.server = `MySQL/MariaDB ${(rows as { v: string }[])[0].v}`;
        this.dropDatabase = true; // before creating: a Ctrl-C during the query still drops it
        await conn.query(
          `CREATE DATABASE \`${this.dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        );
      } finally {
        await conn.end();
      }
      this.databaseUrl = `${mysqlBase}/${this.dbName}`;
    } else if (this.engine !== 'sqlite') {
      throw new Error(`unknown engine "${this.engine}" (use mysql or sqlite)`);
    }

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: this.dir,
      DATABASE_URL: this.databaseUrl,
      // Fresh per run: production refuses a missing or short secret.
      JWT_SECRET: randomBytes(48).toString('base64url'),
      // Certificate signing key, likewise required in production: a throwaway Ed25519 JWK.
      SIGNING_KEY: JSON.stringify(
        generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
      ),
      DEMO_DATA: 'false',
      ADMIN_EMAIL: this.adminEmail,
      ADMIN_PASSWORD: this.adminPassword,
      // Every candidate signs in from this one address within a minute; the default
      // (300/min per IP) would throttle a large room behind one NAT the same way.
      LOGIN_RATE_LIMIT_IP: String(Math.max(300, 2 * candidates + 10)),
      // The answer-save limit is per candidate; a scripted candidate may save faster than a person.
      ANSWER_RATE_LIMIT: '100000',
      // The SQLite leg runs in production mode too, which refuses SQLite unless told.
      ...(this.engine === 'sqlite' ? { ALLOW_SQLITE_IN_PRODUCTION: 'true' } : {}),
      // Tokens must outlive a long run at large N; the default is 15 minutes.
      ACCESS_TOKEN_TTL: String(this.options.accessTokenTtlSeconds),
      ...this.options.env,
    };
    if (interruption.interrupted) throw new Error('interrupted');
    const out = openSync(this.log, 'a');
    // BENCH_PROFILE=<dir>: a CPU profile of the app (each worker's), for bench/profile-summary.
    const profile = process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : [];
    this.app = spawn(process.execPath, [...profile, 'dist/src/main.js'], {
      env,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    this.api = new Api(port, candidates + 50);
    await waitUp(this.api, this.app, this.log);
    return this.api;
  }

  /** Stops the app (SIGTERM, SIGKILL after 10 s), keeping the database. */
  async stopApp(): Promise<void> {
    if (this.app) await stop(this.app);
  }

  /** Stops the app, drops the bench database, removes the directory; once. */
  async cleanup(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      this.api?.close();
      if (this.app) await stop(this.app);
      if (this.dropDatabase) {
        const conn = await mysql.createConnection(this.options.mysqlBase);
        await conn.query(`DROP DATABASE IF EXISTS \`${this.dbName}\``).finally(() => conn.end());
      }
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------- the exam room

export interface ExamRoom {
  /** Signed-in candidates whose temporary password is changed. */
  candidates: { token: string }[];
  assessmentId: string;
  coordinatorToken: string;
  setupSeconds: number;
  /** A supervised exam's session: every candidate holds a seat; the start needs its PIN. */
  session?: { id: string; pin: string };
}

/**
 * Through the API of a started app: a coordinator, `candidates` candidates imported from CSV who sign in and
 * change their temporary password, a bank from GIFT and a published assessment drawing
 * `QUESTIONS` questions with a 90-minute time limit.
 */
/**
 * A session of the supervised assessment, open now for three hours, proctored by the
 * coordinator, with every candidate seated; its PIN as the console shows it. The PIN is
 * re-drawn every 240 minutes (the longest allowed), so it holds for the whole run.
 */
async function scheduleSession(
  api: NonNullable<BenchApp['api']>,
  token: string,
  assessmentId: string,
  count: number,
): Promise<{ id: string; pin: string }> {
  const me = await api.must<{ id: string }>('coordinator', 'GET', '/api/v1/me', { token });
  const now = Date.now();
  const session = await api.must<{ id: string }>(
    'schedule session',
    'POST',
    `/api/v1/assessments/${assessmentId}/sessions`,
    {
      token,
      json: {
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3 * 3600_000).toISOString(),
        location: 'Lab Komputer BKPSDM',
        capacity: count,
        proctorIds: [me.id],
        pinMinutes: 240,
      },
    },
  );
  const nips = Array.from({ length: count }, (_, i) => nipOf(i));
  await api.must('assign candidates', 'POST', `/api/v1/sessions/${session.id}/candidates`, {
    token,
    json: { nips },
  });
  const console = await api.must<{ pin: string }>(
    'console',
    'GET',
    `/api/v1/sessions/${session.id}`,
    {
      token,
    },
  );
  return { id: session.id, pin: console.pin };
}

export async function setUpExamRoom(
  bench: BenchApp,
  options: { candidates: number; maxAttempts: number; supervised?: boolean },
): Promise<ExamRoom> {
  const api = bench.api;
  if (!api) throw new Error('the app is not started');
  const setupStarted = performance.now();
  type Login = { accessToken: string };
  const admin = await api.must<Login>('admin login', 'POST', '/api/v1/auth/login', {
    json: { username: bench.adminEmail, password: bench.adminPassword },
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

  const count = options.candidates;
  const csv = ['NIP,Nama,Peran']
    .concat(Array.from({ length: count }, (_, i) => `${nipOf(i)},Peserta Ujian ${i + 1},ASN`))
    .join('\n');
  const imported = await api.must<{
    summary: { create: number; error: number };
    credentials: { nip: string; temporaryPassword: string }[];
  }>('import candidates', 'POST', '/api/v1/users/import', {
    token: admin.accessToken,
    text: csv,
    type: 'text/csv',
  });
  if (imported.credentials.length !== count)
    throw new Error(
      `import created ${imported.credentials.length} of ${count}: ${JSON.stringify(imported.summary)}`,
    );

  // Imported accounts hold a temporary password and are refused everywhere but /me until
  // it is changed, as the first sign-in page asks. The change ends every session of the
  // account (ADR 0015), so each candidate signs in again with the new password.
  const candidates: { token: string }[] = [];
  await inPool(imported.credentials, SETUP_CONCURRENCY, async ({ nip, temporaryPassword }) => {
    const first = await api.must<Login>('candidate login', 'POST', '/api/v1/auth/login', {
      json: { username: nip, password: temporaryPassword },
    });
    const newPassword = password();
    await api.must('change password', 'POST', '/api/v1/me/password', {
      token: first.accessToken,
      json: { currentPassword: temporaryPassword, newPassword },
    });
    const login = await api.must<Login>('candidate login', 'POST', '/api/v1/auth/login', {
      json: { username: nip, password: newPassword },
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
        maxAttempts: options.maxAttempts,
        shuffle: true,
        supervised: options.supervised ?? false,
        sections: [{ bankId: bank.id, count: QUESTIONS }],
      },
    },
  );
  await api.must('publish', 'POST', `/api/v1/assessments/${assessment.id}/publish`, {
    token: coordinator.accessToken,
  });
  const session = options.supervised
    ? await scheduleSession(api, coordinator.accessToken, assessment.id, count)
    : undefined;
  return {
    candidates,
    assessmentId: assessment.id,
    coordinatorToken: coordinator.accessToken,
    setupSeconds: (performance.now() - setupStarted) / 1000,
    session,
  };
}
