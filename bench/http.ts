/**
 * `npm run bench:http`: requests per second of a few representative routes of the compiled
 * app on SQLite (or DATABASE_URL), with autocannon. Prints figures; never fails on speed.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = 3931;
const base = `http://127.0.0.1:${port}`;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);

async function waitUp(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/health/live`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('app did not start');
}

async function run(
  title: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const result = await autocannon({
    url: base + path,
    connections: 50,
    duration: seconds,
    headers,
  });
  const errors = result.non2xx + result.errors;
  console.log(
    `${title.padEnd(34)} ${Math.round(result.requests.average).toString().padStart(7)} req/s  p99 ${result.latency.p99} ms  non-2xx/errors ${errors}`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-'));
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dir,
    DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${dir}/bench.sqlite`,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
  };
  const app = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: 'ignore' });
  try {
    await waitUp();
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'admin@demo.sertifikasi.id',
        password: 'Demo-Sertifikasi-2026',
      }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    console.log(
      `autocannon, 50 connections, ${seconds} s per route, ${env.DATABASE_URL.split(':')[0]}`,
    );
    await run('GET /health/live (no database)', '/health/live');
    await run('GET /api/v1/sectors (one SELECT)', '/api/v1/sectors');
    await run('GET /api/v1/me (JWT + user lookup)', '/api/v1/me', {
      authorization: `Bearer ${accessToken}`,
    });
  } finally {
    app.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
