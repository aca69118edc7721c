/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** One response of a visit as Chromium received it. */
export interface WireEntry {
  url: string;
  /** Bytes on the wire: headers and (compressed) body, 0 when served from the cache. */
  bytes: number;
  encoding: string;
  fromCache: boolean;
}

export interface WireVisit {
  total: number;
  entries: WireEntry[];
}

/**
 * Opens `url` in a new tab of `context` and adds up what crossed the network for it, as
 * Chromium counts it (CDP `Network.loadingFinished.encodedDataLength`: headers and body as
 * sent, the DevTools "transferred" column). `identity` asks for uncompressed answers, as a
 * client that cannot decompress would (the figures before compression).
 */
export async function visit(
  context: BrowserContext,
  url: string,
  options: { identity?: boolean } = {},
): Promise<WireVisit> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const entries = new Map<string, WireEntry>();
  const done = new Set<string>();
  cdp.on('Network.responseReceived', (e) => {
    const headers = e.response.headers as Record<string, string>;
    const encoding = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-encoding');
    entries.set(e.requestId, {
      url: e.response.url,
      bytes: 0,
      encoding: encoding?.[1] ?? '',
      fromCache: !!(e.response.fromDiskCache || e.response.fromPrefetchCache),
    });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const entry = entries.get(e.requestId);
    if (entry) entry.fromCache = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const entry = entries.get(e.requestId);
    if (entry) entry.bytes = e.encodedDataLength;
    done.add(e.requestId);
  });
  await cdp.send('Network.enable');
  if (options.identity)
    await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  await page.goto(url, { waitUntil: 'load' });
  // Scripts may fetch after load (the exam's autosave queue): wait until the network is quiet.
  await page.waitForLoadState('networkidle');
  for (let i = 0; i < 50 && [...entries.keys()].some((id) => !done.has(id)); i++)
    await page.waitForTimeout(20);
  await cdp.detach();
  await page.close();
  const list = [...entries.values()];
  return { total: list.reduce((sum, e) => sum + e.bytes, 0), entries: list };
}

/** A visit as one line per response, for a failing test's message and the bench's print. */
export const describeVisit = (v: WireVisit, base: string) =>
  v.entries
    .map(
      (e) =>
        `${e.url.replace(base, '').padEnd(48)} ${String(e.bytes).padStart(7)} B ${e.encoding || 'identity'}${e.fromCache ? ' (cache)' : ''}`,
    )
    .join('\n');

type Call = (token: string, method: string, path: string, body?: unknown) => Promise<unknown>;

/**
 * The exam page the figures are about: a health bank of the first 20 of the sector's own
 * patient-safety questions (modules/health/content/banks/kes-skp.gift: every GIFT type, long
 * stems), a published assessment drawing all 20, and an attempt of `candidate` started
 * through the API. The same 20 every run, so the figures compare (a random 20 of the 44
 * varies the page by about ±1 KB).
 * @returns the attempt page's path
 */
export async function twentyQuestionExam(
  call: Call,
  coordinator: string,
  candidate: string,
  root = process.cwd(),
): Promise<string> {
  const blocks = readFileSync(join(root, 'modules/health/content/banks/kes-skp.gift'), 'utf8')
    .split(/\n\s*\n/)
    .filter((block) => block.includes('::'));
  const gift = blocks.slice(0, 20).join('\n\n') + '\n';
  const bank = (await call(coordinator, 'POST', '/api/v1/question-banks', {
    name: 'Bank Soal Keselamatan Pasien (ukuran halaman)',
    sector: 'health',
  })) as { id: string };
  await call(coordinator, 'POST', `/api/v1/question-banks/${bank.id}/import?format=gift`, gift);
  const assessment = (await call(coordinator, 'POST', '/api/v1/assessments', {
    title: 'Ujian Keselamatan Pasien (ukuran halaman)',
    sector: 'health',
    timeLimitMinutes: 30,
    passPercent: 70,
    maxAttempts: 0,
    shuffle: false,
    sections: [{ bankId: bank.id, count: 20 }],
  })) as { id: string };
  await call(coordinator, 'POST', `/api/v1/assessments/${assessment.id}/publish`);
  const attempt = (await call(
    candidate,
    'POST',
    `/api/v1/assessments/${assessment.id}/attempts`,
    {},
  )) as {
    id: string;
    items: unknown[];
  };
  if (attempt.items.length !== 20)
    throw new Error(`the attempt has ${attempt.items.length} questions`);
  return `/ujian/percobaan/${attempt.id}`;
}
