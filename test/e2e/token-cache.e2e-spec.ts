import { Redis } from 'ioredis';
import { aNip } from '../helpers/nip.js';
import {
  bootTestApp,
  createTestDatabase,
  engine,
  TEST_PASSWORD,
  redisEnv,
  type TestApp,
} from '../helpers/test-app.js';

/**
 * The guard keeps the user behind a token for a few seconds (AuthUserCache). Whatever ends a
 * user's sessions must still refuse the old token on its very next request, even though that
 * token was just accepted from the cache.
 */
describe(`a cached token holder is forgotten at once (${engine})`, () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
  });
  afterAll(() => t.close());

  const me = (token: string) => t.as(token).get('/api/v1/me');
  /** Uses the token twice: the second answer comes from the warm cache. */
  const warm = async (token: string) => {
    await me(token).expect(200);
    await me(token).expect(200);
  };
  const login = async (username: string) =>
    (
      await t.http
        .post('/api/v1/auth/login')
        .send({ username, password: TEST_PASSWORD })
        .expect(200)
    ).body as { accessToken: string; refreshToken: string };

  it('after logout', async () => {
    const user = await t.createUser('asn');
    const session = await login(String(user.email));
    await warm(session.accessToken);
    await t.http
      .post('/api/v1/auth/logout')
      .send({ refreshToken: session.refreshToken })
      .expect(204);
    await me(session.accessToken).expect(401);
  });

  it('after an admin deactivates the account; after reactivation only a new login works', async () => {
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    await warm(token);
    await t.as(admin).post(`/api/v1/users/${user.id}/deactivate`).expect(200);
    await me(token).expect(401);
    await t.as(admin).post(`/api/v1/users/${user.id}/reactivate`).expect(200);
    await me(token).expect(401);
    await warm(await t.tokenFor(user));
  });

  it('after a role change; the new login carries the new role', async () => {
    const user = await t.createUser('coordinator', { sectors: ['health'] });
    const token = await t.tokenFor(user);
    await warm(token);
    await t.as(token).get('/api/v1/users').expect(403);
    await t.as(admin).patch(`/api/v1/users/${user.id}`).send({ role: 'asn' }).expect(200);
    await me(token).expect(401);
    const fresh = await t.tokenFor(user);
    expect((await me(fresh).expect(200)).body).toMatchObject({ role: 'asn', sectors: [] });
  });

  it('after a role change by import, inside its transaction', async () => {
    const user = await t.createUser('coordinator', { sectors: ['health'], nip: aNip(7001) });
    const token = await t.tokenFor(user);
    await warm(token);
    const csv = `NIP,Nama,Email,Unit Kerja,Jabatan,Peran\n${user.nip},${user.name},${user.email},,,ASN`;
    const res = await t
      .as(admin)
      .post('/api/v1/users/import')
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(res.body.summary.update).toBe(1);
    await me(token).expect(401);
  });

  it('after a password change; the new password signs in', async () => {
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    await warm(token);
    await t
      .as(token)
      .post('/api/v1/me/password')
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Sandi-Baru-Yang-Panjang-77' })
      .expect(204);
    await me(token).expect(401);
    await warm(await t.tokenFor(String(user.email), 'Sandi-Baru-Yang-Panjang-77'));
  });

  it('/me shows the profile as it is now: name, unit and position changed by an admin', async () => {
    const user = await t.createUser('asn', { nip: aNip(7002) });
    const token = await t.tokenFor(user);
    await warm(token);
    await t
      .as(admin)
      .post('/api/v1/org-units')
      .send({ code: 'DINKES', name: 'Dinas Kesehatan' })
      .expect(201);
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'PENGELOLA', name: 'Pengelola Data', kind: 'pelaksana' })
      .expect(201);
    await t
      .as(admin)
      .patch(`/api/v1/users/${user.id}`)
      .send({ name: 'Nama Baru', orgUnitCode: 'DINKES', positionCode: 'PENGELOLA' })
      .expect(200);
    expect((await me(token).expect(200)).body).toEqual({
      id: user.id,
      nip: user.nip,
      name: 'Nama Baru',
      email: user.email,
      role: 'asn',
      sectors: [],
      position: { code: 'PENGELOLA', name: 'Pengelola Data' },
      orgUnit: { code: 'DINKES', name: 'Dinas Kesehatan' },
      supervisor: null,
    });
  });
});

describe(`a cached token holder is forgotten in every instance, through Redis (${engine})`, () => {
  it('logout on one instance refuses the token on the other, whose cache was warm', async () => {
    const database = await createTestDatabase();
    const env = redisEnv();
    // Passport keeps one strategy per process, the last booted app's: both instances check
    // tokens with B's cache, which only Redis can tell about a logout that A handled.
    const a = await bootTestApp({ database, env });
    const b = await bootTestApp({ database, env });
    const probe = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const user = await a.createUser('asn');
      const session = (
        await a.http
          .post('/api/v1/auth/login')
          .send({ username: user.email, password: TEST_PASSWORD })
          .expect(200)
      ).body as { accessToken: string; refreshToken: string };
      for (const t of [a, b, b]) await t.as(session.accessToken).get('/api/v1/me').expect(200);
      const heard = new Promise<string>((resolve) => {
        void probe.subscribe(`${env.REDIS_PREFIX}:invalidate`);
        probe.on('message', (_channel, message: string) => resolve(message));
      });
      await new Promise((resolve) => setTimeout(resolve, 100)); // the probe subscribed
      await a.http
        .post('/api/v1/auth/logout')
        .send({ refreshToken: session.refreshToken })
        .expect(204);
      // Pub/sub is asynchronous: B hears of it within moments, well before any TTL.
      const deadline = Date.now() + 1000;
      let status = 200;
      while (status === 200 && Date.now() < deadline)
        status = (await b.as(session.accessToken).get('/api/v1/me')).status;
      expect(status).toBe(401);
      const nothing = new Promise<string>((resolve) =>
        setTimeout(() => resolve('null'), 2000).unref(),
      );
      expect(JSON.parse(await Promise.race([heard, nothing]))).toEqual({
        channel: 'auth-user',
        key: user.id,
      });
    } finally {
      probe.disconnect();
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});
