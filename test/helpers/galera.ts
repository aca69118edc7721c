import mysql from 'mysql2/promise';
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CHILD_ADMIN,
  ensureBuilt,
  login,
  ROOT,
  type RunningApp,
  sleep,
  startApp,
  stopApp,
} from './child-app.js';
import { TEST_PASSWORD } from './test-app.js';

/*
 * The Galera suite's world (issue 29): a 3-node MariaDB Galera cluster that
 * `bash scripts/galera.sh start` runs on loopback (client ports 3311-3313), said by
 * GALERA_URLS, and two instances of the compiled app as child processes, the first writing
 * through node 1 and the second through node 2, as a load balancer in front of two
 * instances would send them. Each test file makes its own database, once, through node 1;
 * Galera replicates it (and everything after) to the others.
 */

/** The nodes' base URLs (`mysql://root@127.0.0.1:3311`, …), or empty when the suite is off. */
export const GALERA_URLS = (process.env.GALERA_URLS ?? '')
  .split(',')
  .map((url) => url.trim().replace(/\/$/, ''))
  .filter(Boolean);

/** Whether the suite runs: GALERA_URLS names the three nodes. */
export const galeraReady = GALERA_URLS.length === 3;

/** describe, or describe.skip with a title that says how to run it. */
export function galeraSuite(title: string, body: () => void): void {
  if (galeraReady) describe(`${title} (Galera, 3 nodes)`, body);
  else
    describe.skip(
      `${title}: skipped, set GALERA_URLS ` +
        '(bash scripts/galera.sh start && eval "$(bash scripts/galera.sh env)")',
      body,
    );
}

const SCRIPT = join(ROOT, 'scripts/galera.sh');

/**
 * Runs `scripts/galera.sh` without blocking the event loop: requests in flight meanwhile go
 * on and are answered. Its output, for a failure message.
 */
export async function galera(...args: string[]): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)('bash', [SCRIPT, ...args], {
    timeout: 180_000,
  });
  return `${stdout}${stderr}`;
}

/** The test file's database on every node, and the app instances on nodes 1 and 2. */
export interface GaleraWorld {
  name: string;
  /** The database's URL through node 1, 2 and 3 (index 0, 1, 2). */
  urls: string[];
  /** The instance on node 1 and the one on node 2. */
  apps: RunningApp[];
  /** The admin the first instance created at boot: an access token valid on both. */
  admin: string;
  close(): Promise<void>;
}

/**
 * Creates the file's database (through node 1), migrates it, and starts the compiled app on
 * node 1, then on node 2 (one after the other: a first boot migrates; two at once are another test's
 * matter). Both share one data folder, as instances behind a load balancer share a volume.
 */
export async function galeraWorld(env: Record<string, string> = {}): Promise<GaleraWorld> {
  ensureBuilt();
  const name = `sa_test_${randomBytes(6).toString('hex')}`;
  const connection = await mysql.createConnection(GALERA_URLS[0]);
  await connection.query(
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await connection.end();
  const urls = GALERA_URLS.map((base) => `${base}/${name}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'sa-galera-app-'));
  const apps: RunningApp[] = [];
  const close = async () => {
    // GALERA_LOGS=<folder>: what each instance printed last, for a failure's post-mortem.
    const logs = process.env.GALERA_LOGS;
    apps.forEach((app, i) => {
      if (logs) writeFileSync(join(logs, `${name}-instance${i + 1}.log`), app.output());
    });
    for (const app of apps) await stopApp(app);
    rmSync(dataDir, { recursive: true, force: true });
    // Through any node that is up and primary.
    for (const base of GALERA_URLS) {
      try {
        const c = await mysql.createConnection(base);
        try {
          await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
          return;
        } finally {
          await c.end();
        }
      } catch {
        // That node is down or out of the cluster: the next one.
      }
    }
  };
  try {
    // Migrated first, as a deployment's separate step (`npm run migration:run`): a first boot
    // would migrate within startApp's 30 s, which a busy two-core machine may not leave it.
    await promisify(execFile)(process.execPath, [join(ROOT, 'dist/src/database/migrate.js')], {
      cwd: ROOT,
      timeout: 180_000,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: urls[0],
        JWT_SECRET: 'galera-suite-migration-secret-that-is-long-enough-0123456789',
        DATABASE_CONNECT_TIMEOUT_MS: '30000',
      },
    });
    const appEnv = { CONTENT_SYNC: 'false', ...env };
    apps.push(await startApp(urls[0], dataDir, appEnv));
    apps.push(await startApp(urls[1], dataDir, appEnv));
    const admin = await login(apps[0].base, CHILD_ADMIN.email, CHILD_ADMIN.password);
    return { name, urls, apps, admin, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Reads through one node, after that node has applied every write the cluster committed
 * before the read (wsrep_sync_wait): what the cluster holds, not a lagging node's view.
 */
export async function readRows<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const connection = await mysql.createConnection(url);
  try {
    await connection.query('SET SESSION wsrep_sync_wait = 1');
    const [rows] = await connection.query(sql, params);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

/** The password hash the app accepts for a generated secret (PasswordService.hashGenerated). */
function quickHash(password: string): string {
  const salt = randomBytes(16);
  const digest = createHash('sha256').update(salt).update(password).digest();
  return ['sha256', salt.toString('base64'), digest.toString('base64')].join('$');
}

/**
 * `count` ASN accounts written straight into the database (password {@link TEST_PASSWORD}):
 * hundreds of candidates without hundreds of scrypt hashes (~0.4 s each), which would be
 * most of the suite's time and none of what it tests. Their e-mails, in order.
 */
export async function insertCandidates(url: string, count: number, tag: string) {
  const emails = Array.from({ length: count }, (_, i) => `asn.${tag}.${i}@galera.uji.example`);
  const hash = quickHash(TEST_PASSWORD);
  const now = new Date();
  const connection = await mysql.createConnection(url);
  try {
    for (let i = 0; i < emails.length; i += 100)
      await connection.query(
        `INSERT INTO users (id, nip, email, name, role, sectors, orgUnitId, positionId,
           supervisorId, passwordHash, active, mustChangePassword, failedLogins, lockedUntil,
           sessionVersion, createdAt, updatedAt) VALUES ?`,
        [
          emails
            .slice(i, i + 100)
            .map((email, j) => [
              randomUUID(),
              null,
              email,
              `Peserta Galera ${i + j + 1}`,
              'asn',
              '[]',
              null,
              null,
              null,
              hash,
              1,
              0,
              0,
              null,
              0,
              now,
              now,
            ]),
        ],
      );
  } finally {
    await connection.end();
  }
  return emails;
}

/** One HTTP answer; status -1 for a request that got no answer (network error, 30 s). */
export interface Answer {
  status: number;
  body: Record<string, unknown> | string | null;
  error?: string;
}

/** One request to a running instance, never throwing: the answer, or status -1. */
export async function ask(
  base: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: Answer['body'] = text;
    if ((res.headers.get('content-type') ?? '').includes('json'))
      body = JSON.parse(text) as Record<string, unknown>;
    return { status: res.status, body };
  } catch (error) {
    return { status: -1, body: null, error: String(error) };
  }
}

/** `work` for each of `items`, at most `limit` at a time; the results in order. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Logs in through `base`, retrying only a missing answer; the access token. */
export async function tokenOf(base: string, username: string): Promise<string> {
  for (let i = 0; ; i++) {
    const res = await ask(base, '/api/v1/auth/login', {
      method: 'POST',
      body: { username, password: TEST_PASSWORD },
    });
    if (res.status === 200) return (res.body as { accessToken: string }).accessToken;
    if (i >= 3)
      throw new Error(
        `login of ${username}: ${res.status} ${JSON.stringify(res.body)} ${res.error ?? ''}`,
      );
    await sleep(200);
  }
}

/** Polls `probe` every 250 ms until it returns a value, or throws after `limitMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  limitMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** Counts answers by status: `{ "200": 38, "503": 2 }`, for failure messages. */
export function tally(answers: readonly Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[String(a.status)] = (out[String(a.status)] ?? 0) + 1;
  return out;
}

export { CHILD_ADMIN, sleep };
