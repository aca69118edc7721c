/**
 * `npm run bench:wire`: what the 20-question exam page costs on the wire, as Chromium counts
 * it (headers and bodies as received, CDP `Network.loadingFinished.encodedDataLength`), on the
 * compiled app in production mode (the build's precompressed assets) with SQLite:
 *   cold  a new browser profile, nothing cached: the page, its stylesheet, script and icon;
 *   warm  the same profile again: the versioned assets come from the cache, the page travels;
 * each compressed (what browsers ask for) and uncompressed (Accept-Encoding: identity, what
 * every client got before compression: the "before" figures). Then the server's side: the
 * mean time of the exam page's GET with brotli and without, one request at a time.
 * Prints figures; never fails on speed or size (the browser test asserts the limits).
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium), BENCH_REQUESTS (default 100).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { ACCESS_COOKIE } from '../src/platform/web/cookies.js';
import { describeVisit, twentyQuestionExam, visit, type WireVisit } from '../test/helpers/wire.js';
import { BenchApp, cleanUpOnSignals, setUpExamRoom } from './harness.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);

/** Mean ms and bytes of `count` GETs of `path`, one after another on one keep-alive socket. */
async function timeGets(
  port: number,
  path: string,
  token: string,
  encoding: string,
  count: number,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++)
    bytes = await new Promise<number>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port,
          path,
          agent,
          headers: { cookie: `${ACCESS_COOKIE}=${token}`, 'accept-encoding': encoding },
        },
        (res) => {
          let n = 0;
          res.on('data', (c: Buffer) => (n += c.length));
          res.on('end', () =>
            res.statusCode === 200 ? resolve(n) : reject(new Error(`${path} → ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
    });
  agent.destroy();
  return { ms: (performance.now() - started) / count, bytes };
}

async function main(): Promise<void> {
  cleanUpOnSignals();
  const bench = new BenchApp('sqlite', {
    name: 'wire',
    mysqlBase: '',
    candidates: 1,
    accessTokenTtlSeconds: 3600,
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const api = await bench.start();
    const room = await setUpExamRoom(bench, { candidates: 1, maxAttempts: 0 });
    const candidate = room.candidates[0].token;
    const call = (token: string, method: string, path: string, body?: unknown) =>
      api.must(`${method} ${path}`, method, path, {
        token,
        ...(typeof body === 'string'
          ? { text: body, type: 'text/plain' }
          : body !== undefined
            ? { json: body }
            : {}),
      });
    const path = await twentyQuestionExam(call, room.coordinatorToken, candidate);
    const base = `http://127.0.0.1:${api.port}`;

    const profile = async (identity: boolean): Promise<[WireVisit, WireVisit]> => {
      const context = await browser.newContext({ locale: 'id-ID' });
      await context.addCookies([
        { name: ACCESS_COOKIE, value: candidate, url: base, httpOnly: true },
      ]);
      const cold = await visit(context, base + path, { identity });
      const warm = await visit(context, base + path, { identity });
      await context.close();
      return [cold, warm];
    };
    const [cold, warm] = await profile(false);
    const [plainCold, plainWarm] = await profile(true);

    const kb = (n: number) => `${n} B`.padStart(9);
    console.log('\nThe 20-question exam page on the wire (Chromium, headers included)\n');
    console.log('                          cold       warm');
    console.log(`uncompressed (before) ${kb(plainCold.total)}   ${kb(plainWarm.total)}`);
    console.log(`compressed   (after)  ${kb(cold.total)}   ${kb(warm.total)}`);
    console.log(`target (issue 23)      ${kb(15_000)}   ${kb(8_000)}`);
    console.log(`\ncold, compressed:\n${describeVisit(cold, base)}`);
    console.log(`\nwarm, compressed:\n${describeVisit(warm, base)}`);
    console.log(`\ncold, uncompressed:\n${describeVisit(plainCold, base)}`);

    const br = await timeGets(api.port, path, candidate, 'br', REQUESTS);
    const plain = await timeGets(api.port, path, candidate, 'identity', REQUESTS);
    console.log(`\nThe server's side: GET of the exam page, ${REQUESTS} one after another`);
    console.log(`  identity  ${plain.ms.toFixed(2)} ms  ${plain.bytes} B body`);
    console.log(`  brotli    ${br.ms.toFixed(2)} ms  ${br.bytes} B body`);
  } finally {
    await browser.close();
    await bench.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
