/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import {
  bootBrowserWorld,
  DESKTOP,
  PHONE,
  screenshot,
  type BrowserWorld,
} from '../helpers/browser-world.js';

const ADMIN = 'admin@demo.sertifikasi.id';
const NEW_NIP = '199205142019032007';

/**
 * Issue 22, the BKPSDM admin's journey: a user made with position and org unit, a namesake
 * position made only after a confirmation, a standard edited, the gap heatmap read with its
 * legend, a certificate found by part of its number and revoked only with a reason.
 */
describe('the admin journey in a real browser', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let second: { id: string; number: string; holderName: string };

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ browser, base } = world);
    // Certificates of one scheme, numbered 001, 002…, for the search and the revocation.
    const admin = await world.login(ADMIN);
    const created = await world.call(admin, 'POST', '/api/v1/certification-schemes', {
      sector: 'health',
      code: 'ADMIN-UJI',
      title: 'Skema Uji Admin',
      requirements: {
        rules: [{ key: 'health.observed-practice', params: { competencyCode: 'M.1', level: 2 } }],
      },
      attests: [{ competencyCode: 'M.1', level: 2 }],
    });
    const preview = await world.call(
      admin,
      'GET',
      `/api/v1/certification-schemes/${created.id}/activation-preview`,
    );
    await world.call(admin, 'POST', `/api/v1/certification-schemes/${created.id}/activate`, {
      confirm: preview.count,
    });
    // Activation certifies the demo people whose evidence already meets the rule (M.1 ≥ 2).
    const issued: { id: string; number: string; holderName: string }[] = await world.call(
      admin,
      'GET',
      '/api/v1/certificates?q=ADMIN-UJI',
    );
    expect(issued.length).toBeGreaterThanOrEqual(2);
    second = issued.find((c) => c.number.startsWith('002/'))!;
    expect(second.number).toMatch(/^002\//);

    context = await browser.newContext({ locale: 'id-ID', viewport: DESKTOP });
    page = await context.newPage();
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(ADMIN);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await world?.close();
  });

  /** The page itself never scrolls sideways (a wide chart scrolls inside its own box). */
  async function fitsThePhone(p: Page) {
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
  }

  async function onPhone(path: string, name: string) {
    const phone = await context.newPage();
    await phone.setViewportSize(PHONE);
    await phone.goto(base + path);
    await fitsThePhone(phone);
    await screenshot(phone, name);
    return phone;
  }

  const selected = (p: Page, id: string) =>
    p.locator(`#${id}`).evaluate((s) => (s as HTMLSelectElement).value);

  it('creates a user with position and org unit; a mistake keeps what was typed', async () => {
    await page.goto(`${base}/admin/pengguna/baru`);
    const options = await page.locator('#positionCode option').allTextContents();
    expect(options).toContain('Perawat Ahli Pertama (KES-PERAWAT-AP)');
    await page.getByLabel('NIP', { exact: true }).fill('123');
    await page.getByLabel('Nama', { exact: true }).fill('Rina Wati Siregar');
    await page.getByLabel('Unit kerja').selectOption('DINKES');
    await page.getByLabel('Jabatan', { exact: true }).selectOption('KES-PERAWAT-AP');
    await page.getByRole('button', { name: 'Buat pengguna' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/NIP/);
    await expect(
      page.getByLabel('NIP', { exact: true }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(page.getByLabel('Nama', { exact: true }).inputValue()).resolves.toBe(
      'Rina Wati Siregar',
    );
    await expect(selected(page, 'positionCode')).resolves.toBe('KES-PERAWAT-AP');
    await expect(selected(page, 'orgUnitCode')).resolves.toBe('DINKES');
    await screenshot(page, 'admin-01-user-error');

    await page.getByLabel('NIP', { exact: true }).fill(NEW_NIP);
    await page.getByRole('button', { name: 'Buat pengguna' }).click();
    await page.waitForURL(/\/admin\/pengguna\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Kata sandi sementara');
    // The edit page shows the current values chosen.
    await expect(selected(page, 'positionCode')).resolves.toBe('KES-PERAWAT-AP');
    await expect(selected(page, 'orgUnitCode')).resolves.toBe('DINKES');
    await screenshot(page, 'admin-02-user-edit');
    const me = await world.call(await world.login(ADMIN), 'GET', `/api/v1/users?search=${NEW_NIP}`);
    expect(JSON.stringify(me)).toContain('KES-PERAWAT-AP');

    // Changing the position on the edit page is saved.
    await page.getByLabel('Jabatan', { exact: true }).selectOption('DIK-GURU-AP');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Perubahan disimpan');
    await expect(selected(page, 'positionCode')).resolves.toBe('DIK-GURU-AP');
    await (await onPhone(page.url().replace(base, ''), 'admin-03-user-edit-phone')).close();
  });

  it('a position with an existing name is made only after a confirmation; the list shows both codes', async () => {
    await page.goto(`${base}/admin/jabatan`);
    await page.getByLabel('Kode').fill('PERAWAT-PUSKESMAS');
    await page.getByLabel('Nama jabatan').fill('Perawat Ahli Pertama');
    await page.getByLabel('Jenis').selectOption('fungsional');
    await page.getByLabel('Sektor').fill('health');
    await page.getByRole('button', { name: 'Tambah jabatan' }).click();
    await expect(
      page.getByRole('heading', { name: 'Nama jabatan ini sudah dipakai' }).count(),
    ).resolves.toBe(1);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('KES-PERAWAT-AP');
    await expect(page.getByRole('link', { name: 'PERAWAT-PUSKESMAS' }).count()).resolves.toBe(0);
    await screenshot(page, 'admin-04-position-confirm');
    await (await onPhone('/admin/jabatan', 'admin-05-positions-phone')).close();

    await page.getByRole('button', { name: 'Tetap buat jabatan PERAWAT-PUSKESMAS' }).click();
    await page.waitForURL(`${base}/admin/jabatan/PERAWAT-PUSKESMAS`);
    await page.goto(`${base}/admin/jabatan`);
    const row = (code: string) =>
      page.getByRole('row').filter({ has: page.getByRole('link', { name: code, exact: true }) });
    await expect(row('KES-PERAWAT-AP').textContent()).resolves.toContain(
      'nama sama dengan PERAWAT-PUSKESMAS',
    );
    await expect(row('PERAWAT-PUSKESMAS').textContent()).resolves.toContain(
      'nama sama dengan KES-PERAWAT-AP',
    );
    await screenshot(page, 'admin-06-positions');
    // And the user form tells the two apart.
    await page.goto(`${base}/admin/pengguna/baru`);
    const options = await page.locator('#positionCode option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining([
        'Perawat Ahli Pertama (KES-PERAWAT-AP)',
        'Perawat Ahli Pertama (PERAWAT-PUSKESMAS)',
      ]),
    );
  });

  it('edits the standard of a position', async () => {
    await page.goto(`${base}/admin/jabatan/PERAWAT-PUSKESMAS`);
    await page.getByLabel('Kompetensi 1', { exact: true }).selectOption('M.1');
    await page.getByLabel('Level 1', { exact: true }).selectOption('3');
    await page.getByLabel('Kompetensi 2', { exact: true }).selectOption('SK.1');
    await page.getByLabel('Level 2', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Simpan standar' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Standar kompetensi disimpan',
    );
    const chosen = await page
      .locator('select[name="competency"]')
      .evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value).filter(Boolean));
    expect(chosen).toEqual(['M.1', 'SK.1']);
    await screenshot(page, 'admin-07-standard');
  });

  it('reads the gap heatmap: legible labels, a colour legend, the value in every square', async () => {
    await page.goto(`${base}/laporan`);
    const legend = page.locator('.heat-legend li');
    await expect(legend.allTextContents()).resolves.toEqual([
      '0–24%',
      '25–49%',
      '50–74%',
      '75–100%',
    ]);
    await expect(page.getByText('Keterangan warna').count()).resolves.toBe(1);
    const swatches = await page
      .locator('.heat-legend .swatch')
      .evaluateAll((spans) => spans.map((s) => getComputedStyle(s).backgroundColor));
    expect(new Set(swatches).size).toBe(4);
    expect(swatches).not.toContain('rgba(0, 0, 0, 0)');
    const chart = page.locator('figure.chart-scroll svg');
    // Labels keep a readable size on screen (the chart is drawn 1:1, not shrunk to fit).
    const labelHeight = await chart
      .locator('text')
      .first()
      .evaluate((t) => t.getBoundingClientRect().height);
    expect(labelHeight).toBeGreaterThanOrEqual(12);
    const squares = await chart.locator('rect').count();
    expect(squares).toBeGreaterThan(0);
    const values = await chart.locator('g > text').allTextContents();
    expect(values).toHaveLength(squares);
    // Indonesian numbers: a decimal comma ("33,3").
    expect(values.filter((v) => !/^\d{1,3}(,\d+)?$/.test(v))).toEqual([]);
    await expect(chart.locator('g > title').first().textContent()).resolves.toMatch(
      / · .+: \d{1,3}(,\d+)?%$/,
    );
    await screenshot(page, 'admin-08-heatmap');
    await (await onPhone('/laporan', 'admin-09-heatmap-phone')).close();
  });

  it('finds a certificate by part of its number, and revokes it only with a reason', async () => {
    await page.goto(`${base}/admin/sertifikat`);
    await page.getByLabel('Nomor, NIP atau nama').fill('002');
    await page.getByRole('button', { name: 'Saring' }).click();
    const cards = page.locator('article.card');
    await expect(cards.count()).resolves.toBe(1);
    await expect(cards.getByRole('heading').textContent()).resolves.toBe(second.number);
    await screenshot(page, 'admin-10-certificate-search');

    await cards.getByRole('link', { name: 'Cabut' }).click();
    await page.waitForURL(`${base}/admin/sertifikat/${second.id}/cabut`);
    await expect(page.getByRole('heading', { name: 'Cabut sertifikat' }).count()).resolves.toBe(1);
    await expect(page.locator('main').textContent()).resolves.toContain(second.holderName);
    // An empty reason: the Indonesian message, nothing revoked (the browser's own check is off
    // on this form so that the server's answer is what the user reads).
    await page.getByRole('button', { name: 'Ya, cabut sertifikat ini' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Alasan pencabutan minimal 5 karakter',
    );
    await expect(page.getByLabel('Alasan pencabutan').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    const still = await (
      await fetch(`${base}/api/v1/verify/${encodeURIComponent(second.number)}`)
    ).json();
    expect(still.status).toBe('active');
    await screenshot(page, 'admin-11-revoke-refused');
    await (await onPhone(`/admin/sertifikat/${second.id}/cabut`, 'admin-12-revoke-phone')).close();

    await page.getByLabel('Alasan pencabutan').fill('Data kelulusan tidak sah');
    await page.getByRole('button', { name: 'Ya, cabut sertifikat ini' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Sertifikat dicabut');
    const revoked = await (
      await fetch(`${base}/api/v1/verify/${encodeURIComponent(second.number)}`)
    ).json();
    expect(revoked.status).toBe('revoked');
    await expect(
      page.locator('article.card').getByRole('link', { name: 'Cabut' }).count(),
    ).resolves.toBe(0);
    await screenshot(page, 'admin-13-revoked');
  });
});
