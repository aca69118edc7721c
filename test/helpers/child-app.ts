import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';

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

/** Builds dist/ when it is missing or older than the sources (`npm run build`). */
export function ensureBuilt(): void {
  const source = /(?<!\.spec)\.ts$/;
  const sources = Math.max(
    newest(join(ROOT, 'src'), source),
    newest(join(ROOT, 'modules'), source),
  );
  const built = existsSync(MAIN)
    ? Math.max(newest(join(ROOT, 'dist/src'), /\.js$/), newest(join(ROOT, 'dist/modules'), /\.js$/))
    : 0;
  if (built >= sources) return;
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
 */
export async function startApp(
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string> = {},
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
      ANSWER_RATE_LIMIT: '100000',
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
  const deadline = Date.now() + 30_000;
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
  throw new Error(`The app did not answer /health/live within 30 s:\n${printed}`);
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
