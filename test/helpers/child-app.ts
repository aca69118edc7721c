import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { TEST_PASSWORD } from './test-app.js';
import { clientAs } from './client.js';

/*
 * The compiled app (`node dist/src/main.js`) as a child process, for the tests that must
 * kill it (SIGKILL, SIGTERM) or watch it outlive its database: nothing is shared with Jest's
 * process, and the app boots exactly as in production, through main.ts.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/main.js');
/** The admin the app creates at boot on a database without one. */
export const CHILD_ADMIN = { email: 'admin@crash.uji.example', password: 'Admin-Uji-Crash-2026' };
const JWT_SECRET = 'crash-safety-secret-that-is-long-enough-0123456789';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The newest modification time of the files under `dir` whose names match. */
function newest(dir: string, match: RegExp): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    if (match.test(name)) latest = Math.max(latest, statSync(join(dir, name)).mtimeMs);
  return latest;
}

/** Whether dist/ holds a build at least as new as the sources. */
function isBuilt(): boolean {
  if (!existsSync(MAIN)) return false;
  const source = /(?<!\.spec)\.ts$/;
  const sources = Math.max(
    newest(join(ROOT, 'src'), source),
    newest(join(ROOT, 'modules'), source),
  );
  const built = Math.max(
    newest(join(ROOT, 'dist/src'), /\.js$/),
    newest(join(ROOT, 'dist/modules'), /\.js$/),
  );
  return built >= sources;
}

/** A directory made atomically: one Jest worker builds while the others wait for it. */
const BUILD_LOCK = join(ROOT, '.build-lock');

/** Builds dist/ when it is missing or older than the sources (`npm run build`). */
export function ensureBuilt(): void {
  if (isBuilt()) return;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A worker that died while building leaves its lock: older than a build can take.
      const held = statSync(BUILD_LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 180_000)
        rmSync(BUILD_LOCK, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (!isBuilt()) build();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

function build(): void {
  try {
    execSync('npm run build', { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `npm run build failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`,
      { cause: error },
    );
  }
  if (!existsSync(MAIN)) throw new Error(`npm run build did not write ${MAIN}`);
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export interface RunningApp {
  child: ChildProcess;
  base: string;
  exited: Promise<unknown>;
  /** The last of what the process printed, for failure messages. */
  output(): string;
}

/**
 * Starts `node dist/src/main.js` on the database and waits until /health/live answers.
 * @param env added to (or replacing) the app's environment
 * @param bootTimeoutMs how long it may take to answer (instances that take turns take longer)
 */
export async function startApp(
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string> = {},
  bootTimeoutMs = 30_000,
): Promise<RunningApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    // Only what the app is meant to read: nothing leaks in from the shell or from Jest.
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      JWT_SECRET,
      ADMIN_EMAIL: CHILD_ADMIN.email,
      ADMIN_PASSWORD: CHILD_ADMIN.password,
      LOGIN_RATE_LIMIT_IP: '100000',
      LOGIN_RATE_LIMIT_ACCOUNT: '100000',
      LOGIN_FAILURES_ACCOUNT_IP: '100000',
      LOGIN_FAILURES_IP: '100000',
      LOGIN_FAILURES_ACCOUNT: '100000',
      ANSWER_RATE_LIMIT: '100000',
      VERIFY_RATE_LIMIT: '100000',
      // As in the in-process apps: under CI's load a handshake can take over the default 3 s,
      // which drops the connection mid-boot. The outage suite times the 3 s and sets it back.
      DATABASE_CONNECT_TIMEOUT_MS: '30000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const keep = (chunk: Buffer) => (printed = (printed + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const app: RunningApp = {
    child,
    base: `http://127.0.0.1:${port}`,
    exited: once(child, 'exit'),
    output: () => printed,
  };
  const deadline = Date.now() + bootTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `The app stopped during boot (${child.exitCode ?? child.signalCode}):\n${printed}`,
      );
    try {
      if ((await fetch(`${app.base}/health/live`)).status === 200) return app;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(
    `The app did not answer /health/live within ${bootTimeoutMs / 1000} s:\n${printed}`,
  );
}

export async function stopApp(app: RunningApp | undefined): Promise<void> {
  if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGKILL');
  await app.exited;
}

export async function login(base: string, username: string, password: string): Promise<string> {
  const res = await request(base)
    .post('/api/v1/auth/login')
    .send({ username, password })
    .expect(200);
  return res.body.accessToken as string;
}

/** An ASN made by the admin through the API, signed in: their access token. */
export async function signedInAsn(
  base: string,
  admin: string,
  nip: string,
  name = 'Peserta Ujian',
): Promise<string> {
  await clientAs(base, admin)
    .post('/api/v1/users')
    .send({ nip, name, password: TEST_PASSWORD, role: 'asn' })
    .expect(201);
  return login(base, nip, TEST_PASSWORD);
}

/** What {@link publishExam} makes: `count` questions of `gift`, published by a new coordinator. */
export interface ExamSpec {
  gift: string;
  count: number;
  coordinatorEmail: string;
  title: string;
  /** Default true. */
  shuffle?: boolean;
}

/**
 * Through a running app's API, as a new coordinator of health the admin creates: a bank
 * imported from GIFT and a published 60-minute assessment of one attempt.
 * @returns the assessment's id and the coordinator's access token
 */
export async function publishExam(
  base: string,
  admin: string,
  spec: ExamSpec,
): Promise<{ id: string; coordinator: string }> {
  const http = request(base);
  await clientAs(http, admin)
    .post('/api/v1/users')
    .send({
      email: spec.coordinatorEmail,
      name: 'Koordinator Kesehatan',
      password: TEST_PASSWORD,
      role: 'coordinator',
      sectors: ['health'],
    })
    .expect(201);
  const coordinator = await login(base, spec.coordinatorEmail, TEST_PASSWORD);
  const bank = await clientAs(http, coordinator)
    .post('/api/v1/question-banks')
    .send({ name: `Bank ${spec.title}`, sector: 'health' })
    .expect(201);
  const imported = await clientAs(http, coordinator)
    .post(`/api/v1/question-banks/${bank.body.id}/import?format=gift`)
    .set('content-type', 'text/plain')
    .send(spec.gift)
    .expect(200);
  if (imported.body.imported !== spec.count)
    throw new Error(`GIFT import: ${JSON.stringify(imported.body)}`);
  const assessment = await clientAs(http, coordinator)
    .post('/api/v1/assessments')
    .send({
      title: spec.title,
      sector: 'health',
      timeLimitMinutes: 60,
      passPercent: 50,
      maxAttempts: 1,
      shuffle: spec.shuffle ?? true,
      sections: [{ bankId: bank.body.id, count: spec.count }],
    })
    .expect(201);
  await clientAs(http, coordinator)
    .post(`/api/v1/assessments/${assessment.body.id}/publish`)
    .expect(200);
  return { id: assessment.body.id as string, coordinator };
}

/** One statement run straight on the database, beside the running app. */
export async function execute(databaseUrl: string, sql: string, params: unknown[] = []) {
  if (databaseUrl.startsWith('sqlite:')) {
    const sqlite = new Database(databaseUrl.slice('sqlite:'.length), { timeout: 10_000 });
    try {
      sqlite.prepare(sql).run(...params);
    } finally {
      sqlite.close();
    }
    return;
  }
  const connection = await mysql.createConnection(databaseUrl);
  try {
    await connection.query(sql, params);
  } finally {
    await connection.end();
  }
}

/**
 * Rows read straight from the database, without the app: what is on disk after a kill.
 * SQLite is opened read-only, since a writable connection would checkpoint the WAL and tidy
 * up after the crash.
 */
export async function readRows<T>(
  databaseUrl: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (databaseUrl.startsWith('sqlite:')) {
    const sqlite = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return sqlite.prepare(sql).all(...params) as T[];
    } finally {
      sqlite.close();
    }
  }
  const connection = await mysql.createConnection(databaseUrl);
  try {
    const [rows] = await connection.query(sql, params);
    return rows as T[];
  } finally {
    await connection.end();
  }
}
