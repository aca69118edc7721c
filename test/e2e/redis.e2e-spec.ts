import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import {
  bootTestApp,
  createTestDatabase,
  engine,
  TEST_PASSWORD,
  type TestApp,
  type TestDatabase,
  TEST_REDIS_URL as REDIS_URL,
} from '../helpers/test-app.js';

/**
 * Two instances of the app on one database, with and without Redis: login limits and the
 * standards cache are shared through Redis, and per instance without it.
 */
describe(`two instances, with and without Redis (${engine})`, () => {
  let database: TestDatabase;
  const prefix = `sa-test-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });

  beforeAll(async () => {
    database = await createTestDatabase();
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await database.drop();
  });

  async function pair(env: Record<string, string>): Promise<[TestApp, TestApp]> {
    const settings = { database, env: { LOGIN_RATE_LIMIT_ACCOUNT: '3', ...env } };
    return [await bootTestApp(settings), await bootTestApp(settings)];
  }

  const failLogin = (t: TestApp, username: string) =>
    t.http.post('/api/v1/auth/login').send({ username, password: 'salah-sandi' });

  it('without Redis each instance counts logins on its own', async () => {
    const [a, b] = await pair({});
    try {
      const user = await a.createUser('asn');
      for (let i = 0; i < 3; i++) await failLogin(a, user.email!).expect(401);
      await failLogin(a, user.email!).expect(429);
      // The other instance has not counted anything yet.
      await b.http
        .post('/api/v1/auth/login')
        .send({ username: user.email, password: TEST_PASSWORD })
        .expect(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('with Redis the login limit holds across instances, and a standard changed on one is fresh on the other', async () => {
    const [a, b] = await pair({ REDIS_URL, REDIS_PREFIX: prefix });
    try {
      const user = await a.createUser('asn');
      await failLogin(a, user.email!).expect(401);
      await failLogin(b, user.email!).expect(401);
      await failLogin(a, user.email!).expect(401);
      await b.http
        .post('/api/v1/auth/login')
        .send({ username: user.email, password: TEST_PASSWORD })
        .expect(429);
      expect((await redis.keys(`${prefix}:login-user*`)).length).toBe(1);

      const admin = await a.tokenFor(await a.createUser('admin'));
      const code = `POS-${randomBytes(3).toString('hex')}`;
      await a
        .as(admin)
        .post('/api/v1/positions')
        .send({ code, name: 'Jabatan Uji', kind: 'pelaksana' })
        .expect(201);
      const levelOn = async (t: TestApp) =>
        (await t.as(admin).get(`/api/v1/positions/${code}`).expect(200)).body.standard as {
          competencyCode: string;
          level: number;
        }[];
      const set = (t: TestApp, level: number) =>
        t
          .as(admin)
          .put(`/api/v1/positions/${code}/standard`)
          .send({ items: [{ competencyCode: 'M.1', level }] })
          .expect(200);
      await set(a, 2);
      expect(await levelOn(a)).toMatchObject([{ competencyCode: 'M.1', level: 2 }]);
      expect(await levelOn(b)).toMatchObject([{ competencyCode: 'M.1', level: 2 }]);
      expect((await redis.keys(`${prefix}:cache:standards:*`)).length).toBeGreaterThan(0);
      // Changed through B: A, which has it cached, reads the new level at once.
      await set(b, 4);
      expect(await levelOn(a)).toMatchObject([{ competencyCode: 'M.1', level: 4 }]);
    } finally {
      await a.close();
      await b.close();
    }
  });
  it('with Redis the back-off of a guessing address, the spraying count and the owner’s known address hold across instances', async () => {
    const [a, b] = await pair({
      REDIS_URL,
      REDIS_PREFIX: prefix,
      LOGIN_RATE_LIMIT_ACCOUNT: '100',
      LOGIN_FAILURES_ACCOUNT_IP: '3',
      LOGIN_FAILURES_IP: '5',
      LOGIN_FAILURES_ACCOUNT: '4',
    });
    const from = (t: TestApp, ip: string, username: string, password: string) =>
      t.http.post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ username, password });
    try {
      const owner = await a.createUser('asn');
      await from(b, '10.9.0.1', owner.email!, TEST_PASSWORD).expect(200);
      // A stranger alternates instances: the back-off counts on both.
      await from(a, '10.9.0.66', owner.email!, 'salah-1').expect(401);
      await from(b, '10.9.0.66', owner.email!, 'salah-2').expect(401);
      await from(a, '10.9.0.66', owner.email!, 'salah-3').expect(401);
      await from(b, '10.9.0.66', owner.email!, TEST_PASSWORD).expect(429);
      // One more address brings the account to its ceiling of four failures…
      await from(a, '10.9.0.67', owner.email!, 'salah-4').expect(401);
      await from(b, '10.9.0.68', owner.email!, TEST_PASSWORD).expect(429);
      // …which the owner's address, remembered by the other instance, is not held by.
      await from(a, '10.9.0.1', owner.email!, TEST_PASSWORD).expect(200);
      // Spraying from one address over both instances: five failures, then 429.
      for (let i = 0; i < 5; i++)
        await from(i % 2 ? a : b, '10.9.0.99', `semprot.${i}@uji.example`, 'x').expect(401);
      await from(a, '10.9.0.99', 'semprot.9@uji.example', 'x').expect(429);
      expect((await redis.keys(`${prefix}:login-failures-*`)).length).toBeGreaterThan(0);
      expect(await redis.keys(`${prefix}:login-known:${owner.id}*`)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
