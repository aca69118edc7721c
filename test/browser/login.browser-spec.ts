/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import type { AppConfig } from '../../src/config/app-config.js';
import { APP_CONFIG } from '../../src/config/config.module.js';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import {
  bootBrowserWorld,
  DESKTOP,
  PHONE,
  screenshot,
  type BrowserWorld,
} from '../helpers/browser-world.js';
import { resetTokenOf, startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp-catcher.js';

/** Signing in on a phone, a forgotten password by e-mail, and the admin's temporary password. */
describe('login and a forgotten password in a real browser', () => {
  let world: BrowserWorld;
  let smtp: SmtpCatcher;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    world = await bootBrowserWorld({ SMTP_URL: smtp.url });
    ({ browser, base } = world);
  });
  afterAll(async () => {
    await world?.close();
    await smtp?.close();
  });

  const pageAt = async (viewport: { width: number; height: number }) =>
    (await browser.newContext({ locale: 'id-ID', viewport })).newPage();

  async function signIn(page: Page, username: string, password: string) {
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(username);
    await page.getByLabel('Kata sandi').fill(password);
    await page.getByRole('button', { name: 'Masuk' }).click();
  }

  it('on a phone the NIP field opens the digit keypad; e-mail is one link away', async () => {
    const page = await pageAt(PHONE);
    await page.goto(`${base}/masuk?next=/profil`);
    const field = page.locator('#username');
    await expect(field.getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(page.getByRole('link', { name: 'Lupa kata sandi?' }).isVisible()).resolves.toBe(
      true,
    );
    await screenshot(page, 'login-01-phone-nip');
    await page.getByRole('link', { name: 'Masuk dengan e-mail' }).click();
    await expect(page.getByLabel('E-mail').getAttribute('inputmode')).resolves.toBe('email');
    // The e-mail form signs in and keeps where the user was going.
    await page.getByLabel('E-mail').fill('admin@demo.sertifikasi.id');
    await page.getByLabel('Kata sandi').fill('salah-sandi-sekali');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/salah/);
    await expect(page.getByLabel('E-mail').inputValue()).resolves.toBe('admin@demo.sertifikasi.id');
    await screenshot(page, 'login-02-phone-email');
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/profil`);
    await page.context().close();
  });

  it('"Lupa kata sandi": the mailed link sets a new password, which then signs in', async () => {
    const admin = await world.login('admin@demo.sertifikasi.id');
    const nip = '199204152019031007';
    const email = 'rina.lubis@uji.example';
    await world.call(admin, 'POST', '/api/v1/users', {
      nip,
      email,
      name: 'Rina Lubis',
      role: 'asn',
      password: 'Sandi-Awal-Rina-2026',
    });
    const page = await pageAt(DESKTOP);
    await page.goto(`${base}/masuk`);
    await page.getByRole('link', { name: 'Lupa kata sandi?' }).click();
    await page.waitForURL(`${base}/lupa-sandi`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Lupa kata sandi',
    );
    await page.getByLabel('NIP atau e-mail').fill(nip);
    await page.getByRole('button', { name: 'Kirim tautan' }).click();
    await expect(page.locator('#forgot-sent').textContent()).resolves.toMatch(
      /Jika NIP\/e-mail itu terdaftar/,
    );
    await screenshot(page, 'login-03-forgot-sent');
    // An unknown NIP gets the very same words.
    const said = await page.locator('#forgot-sent').textContent();
    await page.getByLabel('NIP atau e-mail').fill('198001012005011999');
    await page.getByRole('button', { name: 'Kirim tautan' }).click();
    await expect(page.locator('#forgot-sent').textContent()).resolves.toBe(said);

    const mail = await smtp.next(email);
    expect(mail.text).toContain('Rina Lubis');
    const link = /http:\/\/\S+\/sandi-baru\?token=[\w-]+/.exec(mail.text)![0];
    await page.goto(link);
    await page.getByLabel('Kata sandi baru', { exact: true }).fill('pendek');
    await page.getByLabel('Ulangi kata sandi baru').fill('pendek');
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/minimal 10 karakter/);
    await screenshot(page, 'login-04-reset-form');
    await page.getByLabel('Kata sandi baru', { exact: true }).fill('Sandi-Baru-Rina-Lewat-Surel');
    await page.getByLabel('Ulangi kata sandi baru').fill('Sandi-Baru-Rina-Lewat-Surel');
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await page.waitForURL(`${base}/masuk`);
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(
      /Kata sandi baru tersimpan/,
    );
    await screenshot(page, 'login-05-reset-done');
    // The link works once.
    await page.goto(link);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/sudah dipakai/);
    await signIn(page, nip, 'Sandi-Baru-Rina-Lewat-Surel');
    await page.waitForURL(`${base}/beranda`);
    expect(resetTokenOf(mail)).toBeTruthy();
    await page.context().close();
  });

  it('without SMTP the forgot-password page names whom to ask', async () => {
    const config = world.app.get<AppConfig>(APP_CONFIG);
    const smtpUrl = config.smtpUrl;
    // The same world with mail switched off, as a deployment without SMTP_URL runs.
    config.smtpUrl = null;
    try {
      const page = await pageAt(PHONE);
      await page.goto(`${base}/lupa-sandi`);
      await expect(page.locator('main').textContent()).resolves.toMatch(
        /Hubungi admin BKPSDM[\s\S]*kata sandi sementara/,
      );
      await expect(page.getByRole('button', { name: 'Kirim tautan' }).count()).resolves.toBe(0);
      await screenshot(page, 'login-06-forgot-no-smtp');
      await page.context().close();
    } finally {
      config.smtpUrl = smtpUrl;
    }
  });

  it('the admin resets a password on the page; the user must change it at first sign-in', async () => {
    const page = await pageAt(DESKTOP);
    await signIn(page, 'admin@demo.sertifikasi.id', DEMO_PASSWORD);
    await page.waitForURL(`${base}/beranda`);
    await page.goto(`${base}/admin/pengguna?search=Fadli`);
    await page.getByRole('link', { name: 'dr. Fadli Nasution' }).click();
    await page.getByRole('button', { name: 'Atur ulang kata sandi' }).click();
    const flash = (await page.getByRole('status').first().textContent()) ?? '';
    expect(flash).toMatch(/Kata sandi sementara/);
    const temporary = /:\s*(\S+)\s*$/.exec(flash)![1];
    await screenshot(page, 'login-07-admin-reset');
    await page.context().close();

    const user = await pageAt(PHONE);
    await signIn(user, '198807202014031002', temporary);
    await user.waitForURL(`${base}/ganti-sandi`);
    await expect(user.locator('main').textContent()).resolves.toMatch(/ganti kata sandi sementara/);
    // Nothing else opens until the temporary password is replaced.
    await user.goto(`${base}/beranda`);
    await user.waitForURL(`${base}/ganti-sandi`);
    await screenshot(user, 'login-08-must-change');
    // Only sign-out in the menu: every other page would lead back here.
    await expect(
      user.getByRole('navigation', { name: 'Menu utama' }).getByRole('link').count(),
    ).resolves.toBe(0);
    await user.getByLabel('Kata sandi sementara').fill(temporary);
    await user.getByLabel('Kata sandi baru', { exact: true }).fill('Sandi-Fadli-Pilihan-Sendiri');
    await user.getByLabel('Ulangi kata sandi baru').fill('Sandi-Fadli-Pilihan-Sendiri');
    await user.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await user.waitForURL(`${base}/masuk`);
    await expect(user.getByRole('status').first().textContent()).resolves.toMatch(
      /berhasil diganti/,
    );
    await signIn(user, '198807202014031002', 'Sandi-Fadli-Pilihan-Sendiri');
    await user.waitForURL(`${base}/beranda`);
    await screenshot(user, 'login-09-signed-in');
    await user.context().close();
  });
});
