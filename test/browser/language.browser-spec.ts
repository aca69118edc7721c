/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import {
  bootBrowserWorld,
  certifyByApproval,
  type BrowserWorld,
} from '../helpers/browser-world.js';

/**
 * Issue 23: an Indonesian page says nothing in the app's internal English. Each demo role
 * walks its menu and the first pages behind it; no internal key may show as a word in what
 * the reader sees, dates read "22 Desember 2026, 23.52 WIB", decimals carry a comma.
 */

/** Keys the code uses that a reader must never see on an Indonesian page. */
const INTERNAL_WORDS = [
  'health',
  'education',
  'administration-it',
  'published',
  'draft',
  'active',
  'archived',
  'single_choice',
  'multiple_response',
  'true_false',
  'short_answer',
  'numeric',
  'matching',
  'essay',
  'in_progress',
  'needs_grading',
  'submitted',
  'revoked',
  'expired',
  'certificate',
  'assessment',
  'SERT-HEALTH',
  'SERT-EDUCATION',
  'SERT-ADMINISTRATION-IT',
  'UTC',
];
/** An evidence source printed raw: "(manual)", "(certificate)". */
const RAW_SOURCE = /\((?:manual|certificate|assessment)\)/;
const LEAK = new RegExp(
  `(?<![\\w/.@-])(?:${INTERNAL_WORDS.map((w) => w.replace(/-/g, '\\-')).join('|')})(?![\\w-])`,
);
const MONTHS =
  'Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember';
const LOCAL_DATE_TIME = new RegExp(`\\b\\d{1,2} (?:${MONTHS}) \\d{4}, \\d{2}\\.\\d{2} WIB\\b`);
const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** A decimal as Indonesian writes it: "87,5", "51,55 %". */
const DECIMAL_COMMA = /\b\d+,\d{1,2}(?: %)?(?!\d)/;

describe('language and formats in a real browser (issue 23)', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;

  /** Pages reached only through data made here: an exam result, the exam's attempts. */
  const extra: Record<string, string[]> = {};

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ browser, base } = world);
    const { login, call } = world;
    // A three-question exam answered one right in three: a score of 33,33 %.
    const coordinator = await login('koordinator.health@demo.sertifikasi.id');
    const bank = await call(coordinator, 'POST', '/api/v1/question-banks', {
      name: 'Bank Keselamatan Pasien Harian',
      sector: 'health',
    });
    await call(
      coordinator,
      'POST',
      `/api/v1/question-banks/${bank.id}/import?format=gift`,
      [
        '::S1 Cuci tangan:: Cuci tangan mencegah infeksi silang. {T}',
        '::S2 Gelang:: Gelang identitas dipasang saat pasien masuk. {T}',
        '::S3 APD:: Alat pelindung diri dilepas di luar ruang isolasi. {T}',
      ].join('\n\n'),
    );
    const exam = await call(coordinator, 'POST', '/api/v1/assessments', {
      title: 'Kuis Keselamatan Pasien Harian',
      sector: 'health',
      timeLimitMinutes: 30,
      passPercent: 50,
      maxAttempts: 0,
      shuffle: false,
      sections: [{ bankId: bank.id, count: 3 }],
    });
    await call(coordinator, 'POST', `/api/v1/assessments/${exam.id}/publish`);
    const asn = await login('199003152015032001');
    const attempt = await call(asn, 'POST', `/api/v1/assessments/${exam.id}/attempts`, {});
    // One right (slot 1), two wrong, whatever order the bank lists them in: all are true.
    for (const [slot, response] of [
      [1, true],
      [2, false],
      [3, false],
    ] as const)
      await call(asn, 'PUT', `/api/v1/attempts/${attempt.id}/answers/${slot}`, { response });
    await call(asn, 'POST', `/api/v1/attempts/${attempt.id}/submit`);

    // A certificate for the same ASN (an approval-only scheme): its dates on their pages.
    const admin = await login('admin@demo.sertifikasi.id');
    await certifyByApproval(call, admin, asn, {
      code: 'BAHASA-UJI',
      title: 'Komunikasi Efektif dengan Pasien',
      notes: 'Komunikasi dengan pasien diamati langsung.',
    });
    extra.asn = [`/ujian/percobaan/${attempt.id}/hasil`];
    extra.coordinator = [`/kelola/ujian/${exam.id}/peserta`, `/kelola/bank-soal/${bank.id}`];
    extra.admin = [];
  });
  afterAll(() => world?.close());

  async function logIn(page: Page, username: string) {
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(username);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
  }

  /**
   * The visible text of the page. Identifiers shown as such (the audit log's action codes,
   * marked `translate="no"`) are not words of the interface and are left out.
   */
  async function visibleText(page: Page): Promise<string> {
    return page.evaluate(() => {
      const body = document.body.cloneNode(true) as HTMLElement;
      body.querySelectorAll('[translate="no"]').forEach((code) => code.remove());
      // innerText of a detached clone has no layout: read it attached, out of sight.
      body.style.position = 'absolute';
      body.style.left = '-10000px';
      document.documentElement.appendChild(body);
      const text = body.innerText;
      body.remove();
      return text;
    });
  }

  /** Same-site page links inside `main` and the menu, no downloads, no API, no sign-out. */
  async function pageLinks(page: Page, scope: string): Promise<string[]> {
    const hrefs = await page.$$eval(`${scope} a[href^="/"]`, (links) =>
      links.map((a) => (a as HTMLAnchorElement).getAttribute('href')!),
    );
    return hrefs.filter(
      (href) =>
        !/^\/(api|assets|sessions\/[^/]+\/board)|\.(pdf|csv|xlsx|json|zip|png)$|[?&]format=|\/unduh|\/pdf/.test(
          href,
        ),
    );
  }

  /**
   * The menu's pages, and on each the first link of every kind it leads to (one course, one
   * exam, one bank…): a few dozen pages, enough to meet every template the role sees.
   */
  async function walk(page: Page, more: string[]): Promise<Map<string, string>> {
    const seen = new Map<string, string>();
    const menu = await pageLinks(page, 'nav');
    const shapeOf = (href: string) =>
      href.replace(/\?.*$/, '').replace(/[0-9a-f-]{36}|\d+/g, ':id');
    const shapes = new Set<string>();
    const visit = async (href: string) => {
      const path = href.replace(/#.*$/, '');
      if (seen.has(path) || seen.size >= 45) return false;
      const response = await page.goto(base + path);
      if (
        !response ||
        response.status() >= 400 ||
        !response.headers()['content-type']?.includes('html')
      )
        return false;
      seen.set(path, await visibleText(page));
      return true;
    };
    for (const href of [...more, ...menu]) {
      if (!(await visit(href))) continue;
      for (const next of await pageLinks(page, 'main')) {
        const shape = shapeOf(next);
        if (shapes.has(shape)) continue;
        shapes.add(shape);
        await visit(next);
      }
    }
    return seen;
  }

  const roles = [
    { role: 'admin', username: 'admin@demo.sertifikasi.id' },
    { role: 'coordinator', username: 'koordinator.health@demo.sertifikasi.id' },
    { role: 'asn', username: '199003152015032001' },
  ];

  for (const { role, username } of roles) {
    it(`${role}: no internal key on any Indonesian page, local dates, and back from English`, async () => {
      const context = await browser.newContext({ locale: 'id-ID' });
      const page = await context.newPage();
      await logIn(page, username);
      const pages = await walk(page, extra[role]);
      expect(pages.size).toBeGreaterThan(5);

      const leaks = [...pages].flatMap(([path, text]) =>
        text
          .split('\n')
          .filter((line) => LEAK.test(line) || RAW_SOURCE.test(line) || ISO_TIME.test(line))
          .map((line) => `${path}: ${line.trim().slice(0, 160)}`),
      );
      expect(leaks).toEqual([]);

      const all = [...pages.values()].join('\n');
      if (role !== 'coordinator') expect(all).toMatch(LOCAL_DATE_TIME);
      if (role !== 'admin') expect(all).toMatch(/\b33,33 %/);
      expect(all).toMatch(DECIMAL_COMMA);

      // English, then Indonesian again: the switch holds both ways.
      await page.goto(`${base}/beranda`);
      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      // Exams and questions are written in Bahasa Indonesia: in English they say so.
      if (role === 'asn') {
        await page.goto(`${base}/ujian`);
        expect(await page.locator('main .card a[lang="id"]').count()).toBeGreaterThan(0);
        expect(await page.getAttribute('html', 'lang')).toBe('en');
      }
      await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await visibleText(page)).not.toMatch(LEAK);
      await context.close();
    });
  }
});
