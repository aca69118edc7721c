/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import {
  bootBrowserWorld,
  certifyByApproval,
  DESKTOP,
  PHONE,
  screenshot,
  type BrowserWorld,
} from '../helpers/browser-world.js';

const HOLDER_NIP = '199003152015032001'; // Nurhayati Harahap, a health ASN
const ADMIN = 'admin@demo.sertifikasi.id';
const OTHER_NIP = '198807202014031002'; // dr. Fadli Nasution, same sector, not the holder

/** Issue 22: the learner shares their certificate; a stranger verifies it from the paper. */
describe('a learner shares a credential; anyone verifies the paper', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  let certificate: {
    id: string;
    number: string;
    code: string;
    scheme: string;
    issuedAt: string;
    expiresAt: string | null;
    status: string;
  };

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ browser, base } = world);
    // The browser world installs no content packs: a scheme is set up as staff would, through
    // the API (an assessor's approval is its requirement), and the holder claims it.
    const { login, call } = world;
    const admin = await login(ADMIN);
    const token = await login(HOLDER_NIP);
    await certifyByApproval(call, admin, token, {
      code: 'PPI-BROWSER',
      title: 'Pencegahan dan Pengendalian Infeksi Dasar',
      notes: 'Praktik cuci tangan diamati langsung di ruang rawat.',
    });
    [certificate] = await call(token, 'GET', '/api/v1/me/certificates');
  });
  afterAll(() => world?.close());

  async function logIn(page: Page, username: string) {
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(username);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
  }

  /** Year and month (1–12) in WIB, as LinkedIn's form takes them. */
  const monthOf = (iso: string) => {
    const d = new Date(new Date(iso).getTime() + 7 * 3_600_000);
    return [String(d.getUTCFullYear()), String(d.getUTCMonth() + 1)];
  };

  it('the holder opens the credential page: share link, QR, JSON download, LinkedIn fields', async () => {
    expect(certificate.status).toBe('active');
    const context = await browser.newContext({
      locale: 'id-ID',
      viewport: DESKTOP,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await logIn(page, HOLDER_NIP);
    await page.goto(`${base}/sertifikat`);
    await page.getByRole('link', { name: 'Kredensial digital' }).first().click();
    await page.waitForURL(`${base}/sertifikat/${certificate.id}/kredensial`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Kredensial digital',
    );
    await expect(
      page.getByRole('heading', { name: 'Apa itu kredensial digital?' }).count(),
    ).resolves.toBe(1);
    const verifyUrl = `${base}/verify/${certificate.code}`;
    await expect(page.getByLabel('Tautan verifikasi publik').inputValue()).resolves.toBe(verifyUrl);
    const qr = page.getByRole('img', { name: 'Kode QR tautan verifikasi' });
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    await expect(qr.locator('svg').count()).resolves.toBe(1);
    // How anyone verifies: the public page and the issuer's key.
    await expect(
      page.getByRole('link', { name: `${base}/.well-known/jwks.json` }).count(),
    ).resolves.toBe(1);
    await expect(
      page.getByRole('link', { name: `${base}/verify`, exact: true }).count(),
    ).resolves.toBe(1);
    await screenshot(page, 'credential-01-page');

    // The decoded credential downloads as JSON, with the holder and the certificate's number.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Isi kredensial (.json)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`sertifikat-${certificate.code}.json`);
    const json = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(json.header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
    expect(json.payload.vc.id).toBe(verifyUrl);
    expect(json.payload.vc.credentialSubject.name).toBe('Nurhayati Harahap');
    expect(json.payload.vc.credentialSubject.achievement.description).toContain(certificate.number);

    // LinkedIn's add-certification form, every field filled and encoded.
    const href = (await page
      .getByRole('link', { name: 'Tambahkan ke profil LinkedIn' })
      .getAttribute('href'))!;
    expect(
      href.startsWith('https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&'),
    ).toBe(true);
    expect(href).not.toMatch(/ /);
    const params = new URL(href).searchParams;
    const [issueYear, issueMonth] = monthOf(certificate.issuedAt);
    expect(Object.fromEntries(params)).toMatchObject({
      startTask: 'CERTIFICATION_NAME',
      name: certificate.scheme,
      organizationName:
        'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Padangsidempuan',
      issueYear,
      issueMonth,
      certId: certificate.number,
      certUrl: verifyUrl,
    });
    expect(certificate.expiresAt).not.toBeNull();
    const [expirationYear, expirationMonth] = monthOf(certificate.expiresAt!);
    expect(params.get('expirationYear')).toBe(expirationYear);
    expect(params.get('expirationMonth')).toBe(expirationMonth);
    // The number's slashes travel encoded.
    expect(href).toContain(`certId=${encodeURIComponent(certificate.number)}`);

    // On a phone the page fits the screen.
    await page.setViewportSize(PHONE);
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await screenshot(page, 'credential-02-page-phone');
    await context.close();

    // Only the holder: another ASN of the same sector gets a 404.
    const other = await browser.newContext({ locale: 'id-ID' });
    const otherPage = await other.newPage();
    await logIn(otherPage, OTHER_NIP);
    const refused = await otherPage.goto(`${base}/sertifikat/${certificate.id}/kredensial`);
    expect(refused!.status()).toBe(404);
    const refusedJson = await otherPage.goto(
      `${base}/sertifikat/${certificate.id}/kredensial.json`,
    );
    expect(refusedJson!.status()).toBe(404);
    await other.close();
  });

  it('the holder clicks "Unduh data saya" on the profile and gets their data, certificate included', async () => {
    const context = await browser.newContext({
      locale: 'id-ID',
      viewport: DESKTOP,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await logIn(page, HOLDER_NIP);
    await page.goto(`${base}/profil`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Unduh data saya' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^data-saya-${HOLDER_NIP}-\\d{4}-\\d{2}-\\d{2}\\.zip$`),
    );
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['README.txt', 'profil.json', 'sertifikat.json', 'sertifikat.csv']),
    );
    expect(JSON.parse(strFromU8(files['profil.json']))).toMatchObject({ nip: HOLDER_NIP });
    expect(strFromU8(files['sertifikat.json'])).toContain(certificate.number);
    expect(strFromU8(files['sertifikat.json'])).not.toContain(OTHER_NIP);
    await context.close();
  });

  it('a visitor goes from the home page to verification, types the printed number, sees it valid', async () => {
    const context = await browser.newContext({ locale: 'id-ID', viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await expect(
      page.getByRole('heading', { name: 'Verifikasi sertifikat' }).count(),
    ).resolves.toBe(1);
    await screenshot(page, 'credential-03-home');
    await page
      .getByLabel('Kode verifikasi atau nomor sertifikat')
      .fill(certificate.number.toLowerCase());
    await page.getByRole('button', { name: 'Periksa' }).click();
    await page.waitForURL(/\/verify\?code=/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Sertifikat sah dan berlaku',
    );
    const facts = (await page.locator('dl.facts').textContent())!;
    await expect(page.locator('.verify li').first().textContent()).resolves.toContain('M.1');
    expect(facts).toContain(certificate.number);
    // The same public record as by the code: the name to compare with the paper.
    expect(facts).toContain('Nurhayati Harahap');
    await expect(page.getByText('Dicari dengan nomor sertifikat').count()).resolves.toBe(1);
    await screenshot(page, 'credential-04-verified-by-number');

    // The login page leads there too, and a mistyped number keeps what was typed.
    await page.goto(`${base}/masuk`);
    await page.getByRole('link', { name: 'Verifikasi sertifikat' }).click();
    await page.waitForURL(`${base}/verify`);
    await page.getByLabel('Kode verifikasi atau nomor sertifikat').fill('999/SALAH/2020');
    await page.getByRole('button', { name: 'Periksa' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('tidak dikenal');
    await expect(
      page.getByLabel('Kode verifikasi atau nomor sertifikat').inputValue(),
    ).resolves.toBe('999/SALAH/2020');
    await screenshot(page, 'credential-05-unknown');
    await context.close();
  });

  it('/kompetensi on a phone: every column, the gap included, inside the screen', async () => {
    const context = await browser.newContext({ locale: 'id-ID', viewport: PHONE });
    const page = await context.newPage();
    await logIn(page, HOLDER_NIP);
    await page.goto(`${base}/kompetensi`);
    const gapCells = page.locator('td.gap-cell');
    expect(await gapCells.count()).toBeGreaterThan(0);
    for (const cell of await gapCells.all()) {
      const box = (await cell.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await expect(cell.textContent()).resolves.toMatch(/\S/);
    }
    // Each value carries its column's name on the phone.
    const label = await gapCells.first().evaluate((td) => getComputedStyle(td, '::before').content);
    expect(label).toBe('"Kesenjangan"');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await screenshot(page, 'credential-06-kompetensi-phone');
    await context.close();
  });
});
