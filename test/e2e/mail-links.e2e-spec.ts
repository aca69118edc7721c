import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import { MailOutbox } from '../../src/certification/mail-outbox.service.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import {
  resetTokenOf,
  startSmtpCatcher,
  type CaughtMail,
  type SmtpCatcher,
} from '../helpers/smtp-catcher.js';
import { bootTestApp, engine, type TestApp } from '../helpers/test-app.js';

/** The HTML part of a multipart message, its transfer encoding undone. */
function htmlPartOf(mail: CaughtMail): string {
  const start = mail.raw.search(/^Content-Type: text\/html/im);
  expect(start).toBeGreaterThan(-1);
  const part = mail.raw.slice(start);
  const headerEnd = part.indexOf('\r\n\r\n');
  const headers = part.slice(0, headerEnd);
  const body = part.slice(headerEnd + 4).split('\r\n--')[0];
  if (/base64/i.test(headers)) return Buffer.from(body, 'base64').toString('utf8');
  if (!/quoted-printable/i.test(headers)) return body;
  const bytes = body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The header block of the raw message, folded lines joined. */
const headersOf = (mail: CaughtMail) => mail.raw.split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ');

/**
 * Issue 23: every mail the platform sends says it is automatic (so out-of-office replies stay
 * away) and its HTML part carries real links, the same addresses as its text part.
 */
describe(`mail: clickable links and automatic-mail headers (${engine})`, () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await bootTestApp({
      env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://sertifikasi.padangsidempuan.example' },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  function expectAutomatic(mail: CaughtMail) {
    const headers = headersOf(mail);
    expect(headers).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(headers).toMatch(/^X-Auto-Response-Suppress: All$/m);
  }

  it('the password-reset mail links to its one-time page', async () => {
    const user = await t.createUser('asn');
    await t.http.post('/api/v1/auth/password-reset').send({ username: user.email }).expect(202);
    const mail = await smtp.next(user.email!);
    expectAutomatic(mail);
    const url = `https://sertifikasi.padangsidempuan.example/sandi-baru?token=${resetTokenOf(mail)}`;
    expect(htmlPartOf(mail)).toContain(`<a href="${url}">${url}</a>`);
  });

  it('a mail from the outbox (a certificate issued) links to the certificates and to its verification', async () => {
    const admin = await t.tokenFor(await t.createUser('admin'));
    const scheme = await anApprovalScheme(t, admin, {
      code: 'SURAT-TAUTAN',
      title: 'Pelayanan Prima',
      validityMonths: 12,
    });
    const holder = await t.createUser('asn');
    const certificate = (await t.app.get(CertificateIssuer).issue(scheme, holder.id, null))!;
    await t.app.get(MailOutbox).sendPending();
    const mail = await smtp.next(holder.email!);
    expectAutomatic(mail);
    const html = htmlPartOf(mail);
    const site = 'https://sertifikasi.padangsidempuan.example';
    expect(html).toContain(`<a href="${site}/sertifikat">${site}/sertifikat</a>`);
    const verify = `${site}/verify/${certificate.code}`;
    expect(html).toContain(`<a href="${verify}">${verify}</a>`);
    // The text part keeps the addresses as they are, for mail read as plain text.
    expect(mail.text).toContain(`${verify}.`);
  });
});
