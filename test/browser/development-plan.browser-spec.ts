/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { User } from '../../src/identity/user.entity.js';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import {
  bootBrowserWorld,
  DESKTOP,
  screenshot,
  type BrowserWorld,
} from '../helpers/browser-world.js';

const COORDINATOR = 'koordinator.health@demo.sertifikasi.id';
const ASN = '199003152015032001'; // Nurhayati Harahap
const SUPERVISOR = '198807202014031002'; // dr. Fadli Nasution, her supervisor in this journey
const FIRST = 'Pelatihan Rencana Komunikasi Efektif';
const SECOND = 'Pelatihan Rencana Pencegahan Infeksi';
const REASON = 'Tambahkan pelatihan pencegahan infeksi sesuai tugas ruangan';

/**
 * Issue 28, the plan agreed with the supervisor, through the pages only: the ASN adds a
 * course and submits; the supervisor returns it with a reason; the ASN reads it, adds what was
 * asked and resubmits; the supervisor agrees with a baseline rating.
 */
describe('the development plan journey: submit, return, change, resubmit, agree', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  const courses: Record<string, string> = {};

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ browser, base } = world);
    const { call, login } = world;
    const coordinator = await login(COORDINATOR);
    for (const [code, title] of [
      ['KES-RP-KOM', FIRST],
      ['KES-RP-PPI', SECOND],
    ]) {
      const course = await call(coordinator, 'POST', '/api/v1/courses', {
        sector: 'health',
        code,
        title,
        summary: 'Pelatihan untuk uji rencana pengembangan.',
        competencies: [{ code: 'M.1', level: 2 }],
        jp: 4,
      });
      await call(coordinator, 'POST', `/api/v1/courses/${course.id}/lessons`, {
        title: 'Bacaan',
        kind: 'markdown',
        body: '# Bacaan\n\nIsi pelatihan.',
      });
      await call(coordinator, 'POST', `/api/v1/courses/${course.id}/publish`);
      courses[title] = course.id;
    }
    const users = world.app.get(DataSource).getRepository(User);
    const supervisor = await users.findOneByOrFail({ nip: SUPERVISOR });
    await users.update({ nip: ASN }, { supervisorId: supervisor.id });
  });
  afterAll(() => world?.close());

  async function signedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'id-ID', viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(username);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
    return page;
  }

  const status = async (page: Page) =>
    ((await page.locator('#plan-state .badge').first().textContent()) ?? '').trim();

  it('walks the plan from draft to agreed through a return', async () => {
    const asn = await signedIn(ASN);
    await asn.goto(`${base}/rencana`);
    await expect(status(asn)).resolves.toBe('Draf');
    await asn
      .getByLabel('Pelatihan atau skema sertifikasi')
      .selectOption(`course:${courses[FIRST]}`);
    await asn.getByLabel('Alasan', { exact: true }).fill('Melayani keluarga pasien');
    await asn.getByRole('button', { name: 'Tambah kegiatan' }).click();
    await asn.waitForURL(/\/rencana\?year=\d{4}$/);
    await expect(asn.locator('#plan-items').textContent()).resolves.toContain(FIRST);
    await asn.getByRole('button', { name: 'Ajukan ke atasan' }).click();
    await asn.waitForURL(/\/rencana\?year=\d{4}$/);
    await expect(status(asn)).resolves.toBe('Diajukan');
    await expect(asn.getByRole('button', { name: 'Ajukan ke atasan' }).count()).resolves.toBe(0);

    // The supervisor finds it on the team page and returns it with a reason.
    const boss = await signedIn(SUPERVISOR);
    await boss.goto(`${base}/tim`);
    await expect(boss.locator('main').textContent()).resolves.toContain('Nurhayati Harahap');
    await boss.getByRole('link', { name: /Tinjau rencana/ }).click();
    await boss.waitForURL(/\/tim\/rencana\//);
    await boss.getByRole('button', { name: 'Kembalikan' }).click(); // no reason: the browser stops it
    await boss.getByLabel('Alasan pengembalian (5–1000 karakter)').fill(REASON);
    await boss.getByRole('button', { name: 'Kembalikan' }).click();
    await boss.waitForURL(/\/tim\/rencana\//);
    await expect(boss.locator('.flash').first().textContent()).resolves.toContain(
      'Rencana dikembalikan',
    );
    await screenshot(boss, 'plan-returned-by-supervisor');

    // The ASN reads the reason, adds the course asked for and resubmits.
    await asn.goto(`${base}/rencana`);
    await expect(status(asn)).resolves.toBe('Dikembalikan');
    await expect(asn.locator('#return-reason').textContent()).resolves.toContain(REASON);
    await asn
      .getByLabel('Pelatihan atau skema sertifikasi')
      .selectOption(`course:${courses[SECOND]}`);
    await asn.getByRole('button', { name: 'Tambah kegiatan' }).click();
    await asn.waitForURL(/\/rencana\?year=\d{4}$/);
    await expect(asn.locator('#plan-items').textContent()).resolves.toContain(SECOND);
    await asn.getByRole('button', { name: 'Ajukan ke atasan' }).click();
    await asn.waitForURL(/\/rencana\?year=\d{4}$/);
    await expect(status(asn)).resolves.toBe('Diajukan');
    await expect(asn.locator('#return-reason').count()).resolves.toBe(0);

    // The supervisor agrees, rating the baseline of the plan's competency.
    await boss.goto(`${base}/tim`);
    await boss.getByRole('link', { name: /Tinjau rencana/ }).click();
    await boss.waitForURL(/\/tim\/rencana\//);
    await expect(boss.locator('main').textContent()).resolves.toContain(SECOND);
    const rating = boss.locator('#agree-plan select');
    if (await rating.count()) await rating.first().selectOption('3');
    await boss.getByRole('button', { name: 'Setujui' }).click();
    await boss.waitForURL(/\/tim\/rencana\//);
    await expect(boss.locator('#plan-state .badge').textContent()).resolves.toContain('Disetujui');

    await asn.goto(`${base}/rencana`);
    await expect(status(asn)).resolves.toBe('Disetujui');
    await expect(asn.getByRole('button', { name: 'Tambah kegiatan' }).count()).resolves.toBe(0);
    await screenshot(asn, 'plan-agreed');
  });
});
