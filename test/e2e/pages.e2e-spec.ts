import request from 'supertest';
import {
  bootTestApp,
  csrfOf,
  engine,
  signInAgent,
  TEST_PASSWORD,
  TestApp,
} from '../helpers/test-app.js';

describe(`pages (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  /** A browser-like client: keeps cookies, posts forms with the page's CSRF token. */
  const signIn = (username: string, password = TEST_PASSWORD) => signInAgent(t, username, password);

  it('the login page is light, Indonesian and labelled', async () => {
    const res = await t.http.get('/masuk').expect(200);
    expect(res.text.length).toBeLessThan(30_000);
    expect(res.text).toContain('<label for="username">NIP atau e-mail</label>');
    const css = await t.http.get('/assets/app.css').expect(200);
    expect(res.text.length + css.text.length).toBeLessThan(30_000);
  });

  it('signs in by form, shows the role navigation, and signs out', async () => {
    const admin = await t.createUser('admin');
    const { agent, res } = await signIn(admin.email!);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/beranda');
    expect(String(res.headers['set-cookie'])).toMatch(/sa_access=.*HttpOnly/i);
    const home = await agent.get('/beranda').expect(200);
    expect(home.text).toContain('href="/admin/pengguna"');
    expect(home.text).toContain('href="/admin/audit"');
    const out = await agent
      .post('/keluar')
      .type('form')
      .send({ _csrf: csrfOf(home.text) })
      .expect(303);
    expect(out.headers.location).toBe('/masuk');
    const after = await agent.get('/beranda').expect(303);
    expect(after.headers.location).toBe('/masuk?next=%2Fberanda');
  });

  it('an ASN sees only their own navigation and gets a 403 page on admin pages', async () => {
    const asn = await t.createUser('asn');
    const { agent } = await signIn(asn.email!);
    const home = await agent.get('/beranda').expect(200);
    expect(home.text).not.toContain('/admin/pengguna');
    const denied = await agent.get('/admin/pengguna').expect(403);
    expect(denied.text).toContain('Akses ditolak');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const admin = await t.createUser('admin');
    const { agent } = await signIn(admin.email!);
    const res = await agent
      .post('/admin/unit-kerja')
      .type('form')
      .send({ code: 'TANPA', name: 'Tanpa token' })
      .expect(403);
    expect(res.text).toContain('Formulir kedaluwarsa');
    await t.http
      .post('/masuk')
      .type('form')
      .send({ username: admin.email, password: TEST_PASSWORD })
      .expect(403);
  });

  it('shows a wrong password on the form with 401', async () => {
    const asn = await t.createUser('asn');
    const { res } = await signIn(asn.email!, 'salah-sekali');
    expect(res.status).toBe(401);
    expect(res.text).toContain('NIP/e-mail atau kata sandi salah');
  });

  it('switches the language by cookie, and Accept-Language works too', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get('/masuk').expect(200);
    await agent
      .post('/bahasa')
      .type('form')
      .send({ _csrf: csrfOf(page.text), lang: 'en', next: '/masuk' })
      .expect(303);
    const english = await agent.get('/masuk').expect(200);
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('NIP or e-mail');
    // A refusal on the form is in the reader's language too (the catalogue's errors.<code>).
    const wrong = await agent
      .post('/masuk')
      .type('form')
      .send({
        _csrf: csrfOf(english.text),
        username: 'nobody@example.id',
        password: 'salah-sekali',
      })
      .expect(401);
    expect(wrong.text).toContain('Wrong NIP/e-mail or password');
    const byHeader = await t.http.get('/masuk').set('accept-language', 'en').expect(200);
    expect(byHeader.text).toContain('Log in');
  });

  it('sends a user with a temporary password to the change form first', async () => {
    const asn = await t.createUser('asn', { mustChangePassword: true });
    const { agent, res } = await signIn(asn.email!);
    expect(res.headers.location).toBe('/ganti-sandi');
    expect((await agent.get('/profil').expect(303)).headers.location).toBe('/ganti-sandi');
    const form = await agent.get('/ganti-sandi').expect(200);
    const mismatch = await agent
      .post('/ganti-sandi')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        currentPassword: TEST_PASSWORD,
        newPassword: 'Salak-Manis-Sidimpuan',
        confirmPassword: 'lain',
      })
      .expect(400);
    expect(mismatch.text).toContain('tidak sama');
    const done = await agent
      .post('/ganti-sandi')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        currentPassword: TEST_PASSWORD,
        newPassword: 'Salak-Manis-Sidimpuan',
        confirmPassword: 'Salak-Manis-Sidimpuan',
      })
      .expect(303);
    expect(done.headers.location).toBe('/masuk');
    const again = await signIn(asn.email!, 'Salak-Manis-Sidimpuan');
    expect(again.res.headers.location).toBe('/beranda');
  });

  it('admin pages: create a user by form, see the temporary password, find them in the list; the audit page shows it', async () => {
    const admin = await t.createUser('admin');
    const { agent } = await signIn(admin.email!);
    const form = await agent.get('/admin/pengguna/baru').expect(200);
    const bad = await agent
      .post('/admin/pengguna')
      .type('form')
      .send({ _csrf: csrfOf(form.text), nip: '123', name: 'Salah NIP', role: 'asn' })
      .expect(400);
    expect(bad.text).toContain('NIP harus 18 angka');
    expect(bad.text).toContain('value="Salah NIP"');
    // The position is chosen on the form too, shown with its code; a wrong one keeps the rest.
    await t
      .as(await t.tokenFor(admin))
      .post('/api/v1/positions')
      .send({ code: 'ANALIS-KEP', name: 'Analis Kepegawaian', kind: 'fungsional' })
      .expect(201);
    const withPosition = await agent.get('/admin/pengguna/baru').expect(200);
    expect(withPosition.text).toContain(
      '<option value="ANALIS-KEP">Analis Kepegawaian (ANALIS-KEP)</option>',
    );
    const badPosition = await agent
      .post('/admin/pengguna')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        nip: '199107142019031008',
        name: 'Jabatan Salah',
        role: 'asn',
        positionCode: 'TIDAK-ADA',
      })
      .expect(400);
    expect(badPosition.text).toContain('Jabatan &quot;TIDAK-ADA&quot; tidak dikenal');
    expect(badPosition.text).toContain('value="Jabatan Salah"');
    const badEmail = await agent
      .post('/admin/pengguna')
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: 'bukan-email', name: 'Email Salah', role: 'asn' })
      .expect(400);
    expect(badEmail.text).toContain('email harus alamat e-mail yang sah');
    const created = await agent
      .post('/admin/pengguna')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        nip: '199208172020121005',
        name: 'Dedi Kurniawan Daulay',
        role: 'asn',
        email: '',
        sectors: '',
        orgUnitCode: '',
        positionCode: 'ANALIS-KEP',
      })
      .expect(303);
    const detail = await agent.get(created.headers.location).expect(200);
    expect(detail.text).toMatch(/Kata sandi sementara .*: Sa-/);
    expect(detail.text).toContain('<option value="ANALIS-KEP" selected>');
    const edited = await agent
      .post(created.headers.location)
      .type('form')
      .send({
        _csrf: csrfOf(detail.text),
        name: 'Dedi Kurniawan Daulay',
        role: 'asn',
        positionCode: '',
      })
      .expect(303);
    const after = await agent.get(edited.headers.location).expect(200);
    expect(after.text).not.toContain('<option value="ANALIS-KEP" selected>');
    const list = await agent.get('/admin/pengguna?search=kurniawan').expect(200);
    expect(list.text).toContain('Dedi Kurniawan Daulay');
    const audit = await agent.get('/admin/audit?action=user.create').expect(200);
    expect(audit.text).toContain('user.create');
  });

  it('import page: dry run of an uploaded CSV lists each row', async () => {
    const admin = await t.createUser('admin');
    const { agent } = await signIn(admin.email!);
    const page = await agent.get('/admin/impor').expect(200);
    const token = csrfOf(page.text);
    const csv = 'NIP,Nama\n198512102010012003,Siti Aminah Lubis\n1985,Salah\n';
    const res = await agent
      .post(`/admin/impor?mode=dry&_csrf=${encodeURIComponent(token)}`)
      .attach('file', Buffer.from(csv), 'pegawai.csv')
      .expect(200);
    expect(res.text).toContain('1 baru, 0 diperbarui, 0 tanpa perubahan, 1 galat.');
    expect(res.text).toContain('NIP harus 18 angka');
  });

  it('GET /api/v1/audit is for admins only and filters by action prefix', async () => {
    const admin = (await t.signIn('admin')).api;
    const res = await admin.get('/api/v1/audit').query({ action: 'auth.' }).expect(200);
    expect(res.body.items.every((e: { action: string }) => e.action.startsWith('auth.'))).toBe(
      true,
    );
    await admin.get('/api/v1/audit').query({ from: 'kemarin' }).expect(400);
    const asn = (await t.signIn('asn')).api;
    await asn.get('/api/v1/audit').expect(403);
    await t.http.get('/api/v1/audit').expect(401);
  });
});
