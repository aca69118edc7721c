import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { bootTestApp, engine, TEST_PASSWORD, TestApp } from '../helpers/test-app.js';

describe(`authentication (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it('logs in by e-mail or NIP and returns the contract shape', async () => {
    const user = await t.createUser('asn', { nip: '199003152015032001' });
    for (const username of [user.email, user.nip]) {
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ username, password: TEST_PASSWORD })
        .expect(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        user: {
          id: user.id,
          nip: user.nip,
          name: user.name,
          email: user.email,
          role: 'asn',
          sectors: [],
          position: null,
          orgUnit: null,
          supervisor: null,
        },
        passwordChangeRequired: false,
      });
    }
  });

  it('refuses a wrong password with 401 and audits it; a missing field with 400', async () => {
    const user = await t.createUser('asn');
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: 'salah' })
      .expect(401);
    expect(res.body).toEqual(expect.objectContaining({ statusCode: 401, error: 'Unauthorized' }));
    expect(
      await t.dataSource
        .getRepository(AuditEntry)
        .countBy({ action: 'auth.login_failed', entityId: user.id }),
    ).toBe(1);
    const bad = await t.http.post('/api/v1/auth/login').send({ username: user.email }).expect(400);
    expect(bad.body.errors[0].field).toBe('password');
  });

  it('five wrong passwords do not lock the owner out (ADR 0015: back-off per address, not a lock)', async () => {
    const user = await t.createUser('asn');
    for (let i = 0; i < 5; i++) {
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: user.email, password: 'salah' })
        .expect(401);
    }
    await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: TEST_PASSWORD })
      .expect(200);
    expect(
      await t.dataSource
        .getRepository(AuditEntry)
        .countBy({ action: 'auth.login_failed', entityId: user.id }),
    ).toBe(5);
  });

  it('speaks the caller’s language in API errors', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('accept-language', 'en-GB,en;q=0.8')
      .send({ username: 'nobody@uji.example', password: 'x' })
      .expect(401);
    expect(res.body.message).toBe('Wrong NIP/e-mail or password');
    const id = await t.http
      .post('/api/v1/auth/login')
      .send({ username: 'nobody@uji.example', password: 'x' })
      .expect(401);
    expect(id.body.message).toBe('NIP/e-mail atau kata sandi salah');
  });

  it('GET /api/v1/me needs a valid token', async () => {
    await t.http.get('/api/v1/me').expect(401);
    await t.as('not-a-token').get('/api/v1/me').expect(401);
    const user = await t.createUser('coordinator', { sectors: ['health'] });
    const res = await t
      .as(await t.tokenFor(user))
      .get('/api/v1/me')
      .expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({ id: user.id, role: 'coordinator', sectors: ['health'] }),
    );
  });

  it('a deactivated user loses access at once', async () => {
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    await t.dataSource.getRepository('User').update({ id: user.id }, { active: false });
    await t.as(token).get('/api/v1/me').expect(401);
  });

  it('rotates refresh tokens, and a reused one revokes the family', async () => {
    const user = await t.createUser('asn');
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: TEST_PASSWORD })
      .expect(200);
    const first = login.body.refreshToken;
    const second = (
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(200)
    ).body.refreshToken;
    expect(second).not.toBe(first);
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(401);
    // The reuse ended the family: the newer token is dead too.
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: second }).expect(401);
  });

  it('logout revokes the refresh token', async () => {
    const user = await t.createUser('asn');
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: TEST_PASSWORD })
      .expect(200);
    await t.http
      .post('/api/v1/auth/logout')
      .send({ refreshToken: login.body.refreshToken })
      .expect(204);
    await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(401);
  });

  it('a temporary password opens only /me and the password change, which ends other sessions', async () => {
    const user = await t.createUser('asn', { mustChangePassword: true });
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: TEST_PASSWORD })
      .expect(200);
    const token = login.body.accessToken;
    await t.as(token).get('/api/v1/me').expect(200);
    const adminOnly = await t.createUser('admin', { mustChangePassword: true });
    const adminToken = await t.tokenFor(adminOnly);
    const blocked = await t.as(adminToken).get('/api/v1/users').expect(403);
    expect(blocked.body.code).toBe('auth.password_change_required');

    await t
      .as(token)
      .post('/api/v1/me/password')
      .send({ currentPassword: 'salah', newPassword: 'Salak-Manis-Sidimpuan' })
      .expect(400);
    const weak = await t
      .as(token)
      .post('/api/v1/me/password')
      .send({ currentPassword: TEST_PASSWORD, newPassword: '1234567890' })
      .expect(400);
    expect(weak.body.errors[0].field).toBe('newPassword');
    await t
      .as(token)
      .post('/api/v1/me/password')
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Salak-Manis-Sidimpuan' })
      .expect(204);
    await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: 'Salak-Manis-Sidimpuan' })
      .expect(200);
    await t.http
      .post('/api/v1/me/password')
      .send({ currentPassword: 'x', newPassword: 'y' })
      .expect(401);
  });

  it('says why a password is refused in the reader’s language', async () => {
    const user = await t.createUser('asn', { nip: '198806122014031004' });
    const authorization = `Bearer ${await t.tokenFor(user)}`;
    const refused = (lang: string, newPassword: string) =>
      t.http
        .post('/api/v1/me/password')
        .set({ authorization, 'accept-language': lang })
        .send({ currentPassword: TEST_PASSWORD, newPassword })
        .expect(400);
    const english = await refused('en', 'x198806122014031004');
    expect(english.body).toMatchObject({ code: 'auth.weak_password' });
    expect(english.body.message).toBe('The password must not contain the NIP');
    const indonesian = await refused('id', 'pendek');
    expect(indonesian.body.message).toBe('Kata sandi minimal 10 karakter');
  });
});
