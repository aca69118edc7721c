/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import {
  bootBrowserWorld,
  DESKTOP,
  PHONE,
  screenshot,
  type BrowserWorld,
} from '../helpers/browser-world.js';

const GIFT = [
  '::Ibu kota:: Ibu kota Sumatera Utara? {=Medan ~Padang ~Sibolga}',
  '::Cuci tangan:: Cuci tangan sebelum kontak dengan pasien. {T}',
  '::Identifikasi:: Jelaskan langkah identifikasi pasien sebelum memberi obat. {}',
].join('\n\n');

/**
 * A sector coordinator's day on the pages, as the demo health coordinator: a course, a bank,
 * an import checked before it is applied, a question the editor refuses in Indonesian, an
 * exam published with its unsaved edits, the draft's preview, and an essay graded.
 */
describe('coordinator journey in a real browser', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ browser, base } = world);
    const context = await browser.newContext({ locale: 'id-ID', viewport: DESKTOP });
    page = await context.newPage();
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill('koordinator.health@demo.sertifikasi.id');
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
  });
  afterAll(async () => {
    await page?.context().close();
    await world?.close();
  });

  /** The page fits the phone's width: nothing to scroll sideways. */
  async function fitsPhone(name: string) {
    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, `${name}-phone`);
    await page.setViewportSize(DESKTOP);
  }

  const alertText = () => page.getByRole('alert').first().textContent();

  let bankUrl = '';
  let examUrl = '';

  it('authors a course and an empty bank, which says it is empty and how to fill it', async () => {
    await page.goto(`${base}/kelola/pelatihan`);
    await page.getByLabel('Kode', { exact: true }).fill('KES-JRN-01');
    await page.getByLabel('Judul', { exact: true }).fill('Identifikasi Pasien yang Benar');
    await page.getByLabel('JP', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Pelatihan baru' }).click();
    await page.waitForURL(/\/kelola\/pelatihan\/[0-9a-f-]+$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Identifikasi Pasien yang Benar',
    );
    await screenshot(page, 'coordinator-01-course');

    await page.goto(`${base}/kelola/bank-soal`);
    await page.getByLabel('Nama bank').fill('Bank Identifikasi Pasien');
    await page.getByRole('button', { name: 'Bank soal baru' }).click();
    await page.waitForURL(/\/kelola\/bank-soal\/[0-9a-f-]+$/);
    bankUrl = page.url();
    const empty = page.getByRole('cell', { name: /Bank ini belum berisi soal/ });
    await expect(empty.count()).resolves.toBe(1);
    await expect(page.getByText('Belum ada pelatihan').count()).resolves.toBe(0);
    await expect(empty.getByRole('link', { name: 'Tambah soal baru' }).count()).resolves.toBe(1);
    await screenshot(page, 'coordinator-02-empty-bank');
    await fitsPhone('coordinator-02-empty-bank');
  });

  it('previews a GIFT import, then imports it without choosing the file again', async () => {
    const file = page.getByLabel('Berkas soal (GIFT atau Moodle XML)');
    await file.setInputFiles({
      name: 'identifikasi.gift',
      mimeType: 'text/plain',
      buffer: Buffer.from(GIFT),
    });
    await page.getByRole('button', { name: 'Pratinjau impor (GIFT)' }).click();
    await page.waitForLoadState('domcontentloaded');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      '3 soal akan diimpor.',
    );
    // Nothing saved by the preview.
    await expect(
      page.getByRole('cell', { name: /Bank ini belum berisi soal/ }).count(),
    ).resolves.toBe(1);
    await screenshot(page, 'coordinator-03-import-preview');
    await fitsPhone('coordinator-03-import-preview');

    await page.getByRole('button', { name: 'Impor 3 soal ini' }).click();
    await page.waitForLoadState('domcontentloaded');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      '3 soal diimpor.',
    );
    await expect(
      page.getByRole('link', { name: 'Identifikasi', exact: true }).count(),
    ).resolves.toBe(1);
    await screenshot(page, 'coordinator-04-imported');
  });

  it('the question editor refuses a question without full credit, in Indonesian, live and on save', async () => {
    await page.goto(`${bankUrl}/soal-baru`);
    await page.getByLabel('Nama soal').fill('Gelang identitas');
    await page.getByLabel('Teks soal (Markdown)').fill('Apa yang dicocokkan pada gelang?');
    await page.locator('input[name="r0_text"]').fill('Nama dan tanggal lahir');
    await page.locator('input[name="r0_fraction"]').fill('50');
    await page.locator('input[name="r1_text"]').fill('Nomor kamar');
    await page.locator('input[name="r1_fraction"]').fill('0');
    // The live preview (JavaScript) answers in Indonesian too.
    await page
      .locator('#question-preview')
      .getByText('Satu pilihan harus bernilai penuh (100 persen)')
      .waitFor();
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.waitForLoadState('domcontentloaded');
    const problems = await alertText();
    expect(problems).toContain('Soal belum bisa disimpan:');
    expect(problems).toContain('Satu pilihan harus bernilai penuh (100 persen)');
    expect(problems).not.toMatch(/fraction|full credit/);
    await expect(page.getByLabel('Nama soal').inputValue()).resolves.toBe('Gelang identitas');
    await screenshot(page, 'coordinator-05-editor-error');
    await fitsPhone('coordinator-05-editor-error');
  });

  it("builds an exam; the draft's preview speaks to the coordinator; Terbitkan publishes what is on screen", async () => {
    await page.goto(`${base}/kelola/ujian`);
    await page.getByLabel('Judul ujian').fill('Ujian Identifikasi Pasien');
    await page
      .getByLabel('Bank soal')
      .selectOption({ label: 'Bank Identifikasi Pasien (Kesehatan)' });
    await page.getByLabel('Jumlah soal diambil acak').fill('20');
    await page.getByRole('button', { name: 'Ujian baru' }).click();
    await page.waitForURL(/\/kelola\/ujian\/[0-9a-f-]+$/);
    examUrl = page.url();

    // A draft whose bank is too small: the preview says which section and what to do.
    await page.getByRole('link', { name: 'Pratinjau sebagai peserta' }).click();
    await page.waitForURL(`${examUrl}/pratinjau`);
    const short = await alertText();
    expect(short).toContain(
      'Bagian 1 (bank «Bank Identifikasi Pasien»): perlu 20 soal yang cocok, bank hanya punya 3.',
    );
    expect(short).not.toContain('hubungi koordinator');
    await screenshot(page, 'coordinator-06-draft-preview');

    // Edited and not saved, then "Terbitkan": the typed title and count are saved first;
    // 12 is more than the bank holds, so the page names the section and keeps the edit.
    await page.goto(examUrl);
    await page.getByLabel('Judul ujian').fill('Ujian Identifikasi Pasien 2026');
    await page.getByLabel('Jumlah soal diambil acak').fill('12');
    await page.getByRole('button', { name: 'Terbitkan' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await alertText()).toContain(
      'Perubahan disimpan, tetapi ujian belum diterbitkan: Bagian 1 (bank «Bank Identifikasi Pasien»): perlu 12 soal yang cocok, bank hanya punya 3.',
    );
    await expect(page.getByLabel('Jumlah soal diambil acak').inputValue()).resolves.toBe('12');
    await screenshot(page, 'coordinator-07-publish-refused');
    await fitsPhone('coordinator-07-publish-refused');

    // The count the bank can fill, typed and not saved: "Terbitkan" publishes it.
    await page.getByLabel('Jumlah soal diambil acak').fill('3');
    await page.getByRole('button', { name: 'Terbitkan' }).click();
    await page.waitForURL(examUrl);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Ujian diterbitkan.',
    );
    await expect(page.getByLabel('Jumlah soal diambil acak').inputValue()).resolves.toBe('3');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Ujian Identifikasi Pasien 2026',
    );
    await expect(page.getByRole('button', { name: 'Terbitkan' }).count()).resolves.toBe(0);
    await screenshot(page, 'coordinator-08-published');
  });

  it('grades an essay: a score above the points is refused with the comment kept, then a valid one saves', async () => {
    // A demo ASN of health sits the exam through the API and writes the essay.
    const asn = await world.login('199003152015032001');
    const assessmentId = examUrl.split('/').pop()!;
    const attempt = await world.call(asn, 'POST', `/api/v1/assessments/${assessmentId}/attempts`);
    const essay = (attempt.items as { slot: number; type: string }[]).find(
      (i) => i.type === 'essay',
    )!;
    await world.call(asn, 'PUT', `/api/v1/attempts/${attempt.id}/answers/${essay.slot}`, {
      response: 'Tanya nama dan tanggal lahir, cocokkan dengan gelang identitas.',
    });
    await world.call(asn, 'POST', `/api/v1/attempts/${attempt.id}/submit`);

    await page.goto(`${base}/kelola/penilaian`);
    const item = page.getByRole('region', { name: /Ujian Identifikasi Pasien 2026/ });
    await item.getByLabel('Nilai (0–1)').fill('5');
    await item.getByLabel('Catatan').fill('Runtut, tetapi lupa memeriksa gelang.');
    await item.getByRole('button', { name: 'Simpan nilai' }).click();
    await page.waitForLoadState('domcontentloaded');
    const again = page.getByRole('region', { name: /Ujian Identifikasi Pasien 2026/ });
    await expect(again.getByRole('alert').textContent()).resolves.toContain(
      'Nilai untuk soal ini belum disimpan: Nilai tidak boleh melebihi poin soal (1)',
    );
    await expect(again.getByLabel('Catatan').inputValue()).resolves.toBe(
      'Runtut, tetapi lupa memeriksa gelang.',
    );
    await expect(again.getByLabel('Nilai (0–1)').inputValue()).resolves.toBe('5');
    await expect(page.getByText('Bad Request').count()).resolves.toBe(0);
    await screenshot(page, 'coordinator-09-grade-refused');
    await fitsPhone('coordinator-09-grade-refused');

    await again.getByLabel('Nilai (0–1)').fill('0,5');
    await again.getByRole('button', { name: 'Simpan nilai' }).click();
    await page.waitForURL(`${base}/kelola/penilaian`);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Nilai disimpan.',
    );
    await expect(
      page.getByRole('region', { name: /Ujian Identifikasi Pasien 2026/ }).count(),
    ).resolves.toBe(0);
    await screenshot(page, 'coordinator-10-graded');
  });
});
