import { execFileSync } from 'node:child_process';
import type { BrowserContext } from 'playwright-core';
import { ACCESS_COOKIE } from '../../src/platform/web/cookies.js';
import { bootBrowserWorld, type BrowserWorld } from '../helpers/browser-world.js';
import { describeVisit, twentyQuestionExam, visit } from '../helpers/wire.js';

const COORDINATOR = 'koordinator.health@demo.sertifikasi.id';
const CANDIDATE = '199003152015032001'; // Nurhayati Harahap, a demo ASN of the health sector

/**
 * Issue 23: what a candidate on a slow link pays for the exam page, counted by Chromium. The
 * stricter reading of "15 KB" and "8 KB" (1,000 bytes), so neither reading is broken.
 */
const COLD_LIMIT = 15_000;
const WARM_LIMIT = 8_000;

describe('the exam page on the wire', () => {
  let world: BrowserWorld;
  let examUrl: string;
  let token: string;

  beforeAll(async () => {
    // As production serves them: minified and precompressed by the build (`npm run build`).
    execFileSync(process.execPath, ['scripts/compress-assets.mjs']);
    world = await bootBrowserWorld();
    token = await world.login(CANDIDATE);
    examUrl =
      world.base + (await twentyQuestionExam(world.call, await world.login(COORDINATOR), token));
  });
  afterAll(() => world?.close());

  /** A fresh browser profile (empty cache) signed in as the candidate. */
  async function freshProfile(): Promise<BrowserContext> {
    const context = await world.browser.newContext({ locale: 'id-ID' });
    await context.addCookies([
      { name: ACCESS_COOKIE, value: token, url: world.base, httpOnly: true },
    ]);
    return context;
  }

  it(`a 20-question exam costs at most ${COLD_LIMIT} bytes cold and ${WARM_LIMIT} warm`, async () => {
    const context = await freshProfile();
    const cold = await visit(context, examUrl);
    const warm = await visit(context, examUrl);
    await context.close();
    const report = `cold ${cold.total} B:\n${describeVisit(cold, world.base)}\nwarm ${warm.total} B:\n${describeVisit(warm, world.base)}`;

    // The figures, in the test's output and in a failure's context.
    console.log(report);

    // The page, its stylesheet and its script, compressed; nothing missing (no 404 favicon).
    const page = cold.entries.find((e) => e.url === examUrl);
    expect(page?.encoding).toMatch(/^(br|gzip)$/);
    for (const asset of ['/assets/app.css?v=', '/assets/exam.js?v='])
      expect(cold.entries.find((e) => e.url.includes(asset))?.encoding).toMatch(/^(br|gzip)$/);
    expect(cold.total).toBeLessThanOrEqual(COLD_LIMIT);

    // Warm: the versioned assets come from the cache without asking; only the page travels.
    for (const asset of ['/assets/app.css?v=', '/assets/exam.js?v='])
      expect(warm.entries.find((e) => e.url.includes(asset))).toMatchObject({
        fromCache: true,
        bytes: 0,
      });
    expect(warm.total).toBeLessThanOrEqual(WARM_LIMIT);
  });

  it('uncompressed (a client that asks for identity) the same page costs several times more', async () => {
    const context = await freshProfile();
    const plain = await visit(context, examUrl, { identity: true });
    await context.close();
    expect(plain.entries.find((e) => e.url === examUrl)?.encoding).toBe('');
    expect(plain.total).toBeGreaterThan((3 * COLD_LIMIT) / 2);
  });
});
