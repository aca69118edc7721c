/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { axeProblems, describeProblems } from '../helpers/axe.js';
import { bootBrowserWorld, DESKTOP, PHONE, type BrowserWorld } from '../helpers/browser-world.js';

const ADMIN = 'admin@demo.sertifikasi.id';
const COORDINATOR = 'koordinator.health@demo.sertifikasi.id';
const HOLDER = '199003152015032001'; // Nurhayati Harahap: holds a demo certificate
const CANDIDATE = '198807202014031002'; // dr. Fadli Nasution, same sector: sits the exam here

/**
 * Issue 23: axe-core (WCAG 2.0–2.2, A and AA) on every page of every role, on the demo data
 * with the sector packs installed; no serious or critical violation anywhere. One signed-in
 * context per role; each test lists every page's problems at once, so one run shows all there
 * is to fix.
 */
describe('accessibility: every page of every role passes axe-core', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    world = await bootBrowserWorld({ CONTENT_SYNC: 'true' });
    ({ browser, base } = world);
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await world?.close();
  });

  async function as(username: string | null, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ locale: 'id-ID', viewport });
    contexts.push(context);
    const page = await context.newPage();
    if (username) {
      await page.goto(`${base}/masuk`);
      await page.getByLabel('NIP atau e-mail').fill(username);
      await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL(`${base}/beranda`);
    }
    return page;
  }

  /** Opens each path (or checks the page as it is, for `''`) and gathers what axe finds. */
  async function audit(page: Page, paths: string[]): Promise<string> {
    const found: string[] = [];
    for (const path of paths) {
      if (path) {
        const res = await page.goto(base + path);
        expect([path, res?.status()]).toEqual([path, 200]);
      }
      const problems = await axeProblems(page);
      if (problems.length) found.push(describeProblems(path || page.url(), problems));
    }
    return found.join('\n');
  }

  /** The `href` of the first link matching `selector` on `path`: how a user would get there. */
  async function linkOn(page: Page, path: string, selector: string): Promise<string> {
    await page.goto(base + path);
    const href = await page.locator(selector).first().getAttribute('href', { timeout: 5_000 });
    expect([path, selector, href]).toEqual([path, selector, expect.stringMatching(/^\//)]);
    return href!;
  }

  it('public pages', async () => {
    const admin = await world.login(ADMIN);
    const [certificate] = await world.call(admin, 'GET', '/api/v1/certificates');
    const page = await as(null);
    const problems = await audit(page, [
      '/',
      '/masuk',
      '/lupa-sandi',
      '/verify',
      `/verify/${certificate.code}`,
      `/verify?code=${encodeURIComponent(certificate.number)}`,
    ]);
    // A page that is not there, as anyone may reach it.
    await page.goto(`${base}/tidak-ada`);
    expect(problems + (await audit(page, ['']))).toBe('');
  });

  it('an ASN: dashboard, learning, an exam from start to result, certificates, profile', async () => {
    const page = await as(HOLDER);
    const course = await linkOn(page, '/pelatihan', 'main a[href^="/pelatihan/"]');
    const lesson = await linkOn(page, course, 'main a[href*="/pelajaran/"]');
    const certificate = await linkOn(page, '/sertifikat', 'main a[href$="/kredensial"]');
    let problems = await audit(page, [
      '/beranda',
      '/kompetensi',
      '/pelatihan',
      course,
      lesson,
      '/pembelajaran',
      '/sertifikat',
      certificate,
      '/notifikasi',
      '/profil',
      '/ganti-sandi',
    ]);

    // An exam, sat by a colleague with attempts left: start page, the exam, confirm, result.
    const candidate = await as(CANDIDATE);
    const exam = await linkOn(candidate, '/ujian', 'main a[href^="/ujian/"]');
    problems += await audit(candidate, ['/ujian', exam]);
    await candidate.getByRole('button', { name: 'Mulai ujian' }).click();
    await candidate.waitForURL(/\/ujian\/percobaan\/[^/]+$/);
    problems += await audit(candidate, ['']);
    const attempt = new URL(candidate.url()).pathname;
    problems += await audit(candidate, [`${attempt}?no=1`, `${attempt}/kumpulkan`]);
    await candidate.getByRole('button', { name: 'Kumpulkan' }).click();
    await candidate.waitForURL(/\/hasil$/);
    problems += await audit(candidate, ['']);
    expect(problems).toBe('');
  });

  it('the exam page on a phone', async () => {
    const page = await as(HOLDER, PHONE);
    const exam = await linkOn(page, '/ujian', 'main a[href^="/ujian/"]');
    await page.goto(base + exam);
    const start = page.getByRole('button', { name: 'Mulai ujian' });
    if (await start.count()) await start.click();
    else await page.getByRole('link', { name: 'Lanjutkan' }).click();
    await page.waitForURL(/\/ujian\/percobaan\/[^/]+$/);
    expect(await audit(page, [''])).toBe('');
  });

  it('a coordinator: courses, banks and questions, exams, grading, sessions, schemes, reports', async () => {
    const page = await as(COORDINATOR);
    const course = await linkOn(page, '/kelola/pelatihan', 'main a[href^="/kelola/pelatihan/"]');
    const bank = await linkOn(page, '/kelola/bank-soal', 'main a[href^="/kelola/bank-soal/"]');
    const question = await linkOn(page, bank, 'main a[href*="/soal/"]:not([href$="/ubah"])');
    const exam = await linkOn(page, '/kelola/ujian', 'main a[href^="/kelola/ujian/"]');
    const report = await linkOn(page, '/laporan', 'main a[href^="/laporan/ujian/"]');
    const problems = await audit(page, [
      '/beranda',
      '/kelola/pelatihan',
      course,
      '/kelola/bank-soal',
      bank,
      `${bank}/soal-baru`,
      question,
      `${question}/ubah`,
      '/kelola/ujian',
      exam,
      `${exam}/pratinjau`,
      `${exam}/peserta`,
      `${exam}/sesi`,
      '/kelola/penilaian',
      '/kelola/skema',
      '/kompetensi-sektor',
      '/laporan',
      report,
      '/laporan/kesenjangan',
      '/profil',
    ]);
    expect(problems).toBe('');
  });

  it('an admin: people, structure, sectors, standards, certificates, reports, audit', async () => {
    const page = await as(ADMIN);
    const user = await linkOn(page, '/admin/pengguna', 'main a[href^="/admin/pengguna/"]:not([href$="/baru"])');
    const position = await linkOn(page, '/admin/jabatan', 'main a[href^="/admin/jabatan/"]');
    const revoke = await linkOn(page, '/admin/sertifikat', 'main a[href$="/cabut"]');
    const problems = await audit(page, [
      '/beranda',
      '/admin/pengguna',
      '/admin/pengguna/baru',
      user,
      '/admin/unit-kerja',
      '/admin/impor',
      '/admin/sektor',
      '/admin/jabatan',
      position,
      '/admin/kompetensi',
      '/admin/sertifikat',
      revoke,
      '/kelola/skema',
      '/laporan',
      '/laporan/program',
      '/laporan/kesenjangan',
      '/admin/audit',
    ]);
    expect(problems).toBe('');
  });
});
