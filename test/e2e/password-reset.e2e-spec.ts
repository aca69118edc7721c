import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { PasswordResetToken } from '../../src/platform/auth/password-reset-token.entity.js';
import { resetTokenOf, startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp-catcher.js';
import {
  bootTestApp,
  csrfOf,
  engine,
  signInAgent,
  TEST_PASSWORD,
  type TestApp,
} from '../helpers/test-app.js';
import request from 'supertest';

const NEW_PASSWORD = 'Sandi-Baru-Lewat-Surel-77';

describe(`password reset by e-mail (${engine})`, () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await bootTestApp({
      env: { SMTP_URL: smtp.url, PASSWORD_RESET_RATE_LIMIT_IP: '100000' },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const ask = (username: string) => t.http.post('/api/v1/auth/password-reset').send({ username });
  const confirm = (token: string, newPassword = NEW_PASSWORD) =>
    t.http.post('/api/v1/auth/password-reset/confirm').send({ token, newPassword });
  const tokensOf = (userId: string) =>
    t.dataSource.getRepository(PasswordResetToken).findBy({ userId });
  const audits = (action: string, entityId: string) =>
    t.dataSource.getRepository(AuditEntry).countBy({ action, entityId });

  it('says the same for an unknown, inactive or mail-less account, and mails only a real one', async () => {
    const known = await t.createUser('asn', { nip: '198702142011011003' });
    const inactive = await t.createUser('asn', { active: false });
    const noMail = await t.createUser('asn', { nip: '198702142011011004', email: null });
    const answers = [];
    for (const username of [
      known.nip!,
      '198702142011019999',
      'tidak.ada@uji.example',
      inactive.email!,
      noMail.nip!,
    ]) {
      const res = await ask(username).expect(202);
      answers.push(res.body);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].message).toMatch(/Jika NIP\/e-mail itu terdaftar/);
    const mail = await smtp.next(known.email!);
    expect(mail.text).toContain(`/sandi-baru?token=`);
    expect(await tokensOf(inactive.id)).toHaveLength(0);
    expect(await tokensOf(noMail.id)).toHaveLength(0);
    // Only the hash is stored; the link lives in the mail alone (not the outbox, not a notification).
    const token = resetTokenOf(mail);
    const [row] = await tokensOf(known.id);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(token);
    for (const table of ['mail_outbox', 'notifications']) {
      const [{ n }] = await t.dataSource.query(
        `SELECT COUNT(*) AS n FROM ${table} WHERE userId = ?`,
        [known.id],
      );
      expect(Number(n)).toBe(0);
    }
    expect(await audits('auth.password_reset_requested', known.id)).toBe(1);
    expect(smtp.mails.filter((m) => m.to.includes(inactive.email!))).toHaveLength(0);
  });

  it('sets the new password once, ends the other sessions and audits it', async () => {
    const user = await t.createUser('asn');
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: TEST_PASSWORD })
      .expect(200);
    await ask(user.email!).expect(202);
    const token = resetTokenOf(await smtp.next(user.email!));
    // The link opens the form.
    const page = await t.http.get(`/sandi-baru?token=${token}`).expect(200);
    expect(page.text).toContain('name="newPassword"');
    await confirm(token).expect(204);
    // Used once: the second time is refused, and the page says the link is spent.
    const again = await confirm(token, 'Sandi-Lain-Lagi-Sekali-88').expect(400);
    expect(again.body.message).toMatch(/tidak berlaku/);
    expect((await t.http.get(`/sandi-baru?token=${token}`).expect(400)).text).toMatch(
      /sudah dipakai, kedaluwarsa/,
    );
    // Every other sign-in ended: the access token and the refresh token are refused.
    await t.as(login.body.accessToken).get('/api/v1/me').expect(401);
    await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: TEST_PASSWORD })
      .expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: NEW_PASSWORD })
      .expect(200);
    expect(await audits('auth.password_reset', user.id)).toBe(1);
  });

  it('two uses of one link at once: exactly one succeeds', async () => {
    const user = await t.createUser('asn');
    await ask(user.email!).expect(202);
    const token = resetTokenOf(await smtp.next(user.email!));
    const results = await Promise.all([confirm(token), confirm(token, 'Sandi-Kedua-Serentak-99')]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
  });

  it('using one link ends the other links mailed to the account', async () => {
    const user = await t.createUser('asn');
    await ask(user.email!).expect(202);
    const first = resetTokenOf(await smtp.next(user.email!));
    await ask(user.email!).expect(202);
    const second = resetTokenOf(await smtp.next(user.email!));
    expect(second).not.toBe(first);
    await confirm(second).expect(204);
    await confirm(first, 'Sandi-Dari-Tautan-Lama-55').expect(400);
  });

  it('a password changed another way spends the links already mailed', async () => {
    const user = await t.createUser('asn');
    await ask(user.email!).expect(202);
    const token = resetTokenOf(await smtp.next(user.email!));
    await t
      .as(await t.tokenFor(user))
      .post('/api/v1/me/password')
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Sandi-Diganti-Sendiri-31' })
      .expect(204);
    // Whoever reads the old mailbox cannot take the account back with the earlier link.
    await confirm(token, 'Sandi-Dari-Kotak-Lama-13').expect(400);
  });

  it('refuses an expired link, a wrong one and a weak password (which leaves the link good)', async () => {
    const user = await t.createUser('asn', { nip: '199104022016032002' });
    await ask(user.nip!).expect(202);
    const token = resetTokenOf(await smtp.next(user.email!));
    const weak = await confirm(token, user.nip!).expect(400);
    expect(weak.body.errors[0].field).toBe('newPassword');
    const wrong = await confirm(`${token.slice(0, -2)}xy`).expect(400);
    expect(wrong.body.message).toMatch(/tidak berlaku/);
    await confirm('pendek').expect(400);
    await t.http.post('/api/v1/auth/password-reset/confirm').send({ token }).expect(400);
    // None of these spent the link.
    await t.http.get(`/sandi-baru?token=${token}`).expect(200);
    // Past its 30 minutes the link is dead.
    await t.dataSource
      .getRepository(PasswordResetToken)
      .update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1000) });
    await confirm(token).expect(400);
    await t.http.get(`/sandi-baru?token=${token}`).expect(400);
    await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.nip, password: TEST_PASSWORD })
      .expect(200);
  });

  it('the link lasts the configured 30 minutes', async () => {
    const user = await t.createUser('asn');
    const before = Date.now();
    await ask(user.email!).expect(202);
    await smtp.next(user.email!);
    const [row] = await tokensOf(user.id);
    const minutes = (row.expiresAt.getTime() - before) / 60_000;
    expect(minutes).toBeGreaterThan(29.9);
    expect(minutes).toBeLessThan(30.5);
  });

  it('is rate-limited per NIP/e-mail as typed, the same for an account that does not exist', async () => {
    const user = await t.createUser('asn');
    for (const username of [user.email!, 'tidak.ada.juga@uji.example']) {
      for (let i = 0; i < 3; i++) await ask(username).expect(202);
      const refused = await ask(username).expect(429);
      expect(refused.body.message).toMatch(/Terlalu banyak permintaan atur ulang/);
    }
    expect(await tokensOf(user.id)).toHaveLength(3);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const res = await t.http.post('/api/v1/auth/password-reset').send({}).expect(400);
    expect(res.body.errors[0].field).toBe('username');
    const options = await t.http.get('/api/v1/auth/password-reset').expect(200);
    expect(options.body).toEqual({ selfService: true, contact: expect.stringMatching(/admin/) });
  });

  it('works through the pages: the neutral answer, then the form the link opens', async () => {
    const user = await t.createUser('asn');
    const { agent } = await signInAgent(t, user.email!);
    const anon = request.agent(t.app.getHttpServer());
    const form = await anon.get('/lupa-sandi').expect(200);
    expect(form.text).toContain('action="/lupa-sandi"');
    const sent = await anon
      .post('/lupa-sandi')
      .type('form')
      .send({ _csrf: csrfOf(form.text), username: user.email })
      .expect(200);
    expect(sent.text).toContain('id="forgot-sent"');
    const unknown = await anon
      .post('/lupa-sandi')
      .type('form')
      .send({ _csrf: csrfOf(sent.text), username: 'siapa@uji.example' })
      .expect(200);
    expect(unknown.text).toContain('id="forgot-sent"');
    const empty = await anon
      .post('/lupa-sandi')
      .type('form')
      .send({ _csrf: csrfOf(unknown.text), username: ' ' })
      .expect(400);
    expect(empty.text).toContain('Isi NIP atau e-mail');
    const token = resetTokenOf(await smtp.next(user.email!));
    const page = await anon.get(`/sandi-baru?token=${token}`).expect(200);
    const mismatch = await anon
      .post('/sandi-baru')
      .type('form')
      .send({ _csrf: csrfOf(page.text), token, newPassword: NEW_PASSWORD, confirmPassword: 'x' })
      .expect(400);
    expect(mismatch.text).toContain('tidak sama');
    const done = await anon
      .post('/sandi-baru')
      .type('form')
      .send({
        _csrf: csrfOf(mismatch.text),
        token,
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      })
      .expect(303);
    expect(done.headers.location).toBe('/masuk');
    // The browser signed in before the reset is signed out.
    const after = await agent.get('/profil');
    expect(after.status).toBe(303);
    // A form without its CSRF token is refused.
    await anon.post('/lupa-sandi').type('form').send({ username: user.email }).expect(403);
  });
});

describe(`password reset without SMTP (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({
      env: { PASSWORD_HELP_CONTACT: 'Hubungi Bidang Pengembangan, ext. 204' },
    });
  });
  afterAll(() => t.close());

  it('names whom to ask, on the API and the page, and mails nothing', async () => {
    const user = await t.createUser('asn');
    const options = await t.http.get('/api/v1/auth/password-reset').expect(200);
    expect(options.body).toEqual({
      selfService: false,
      contact: 'Hubungi Bidang Pengembangan, ext. 204',
    });
    await t.http.post('/api/v1/auth/password-reset').send({ username: user.email }).expect(422);
    const page = await t.http.get('/lupa-sandi').expect(200);
    expect(page.text).toContain('Hubungi Bidang Pengembangan, ext. 204');
    expect(page.text).not.toContain('action="/lupa-sandi"');
  });
});
