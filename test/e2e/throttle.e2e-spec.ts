import { bootTestApp, engine, TEST_PASSWORD } from '../helpers/test-app.js';

// Its own file: passport keeps strategies process-wide, so a second app in the same
// file would take over the first one's token checks.
describe(`login throttling (${engine})`, () => {
  it('throttles logins per account and per IP with 429', async () => {
    const limited = await bootTestApp({
      env: { LOGIN_RATE_LIMIT_ACCOUNT: '3', LOGIN_RATE_LIMIT_IP: '5' },
    });
    try {
      const user = await limited.createUser('asn');
      for (let i = 0; i < 3; i++) {
        await limited.http
          .post('/api/v1/auth/login')
          .send({ username: user.email, password: 'salah' })
          .expect(401);
      }
      const res = await limited.http
        .post('/api/v1/auth/login')
        .send({ username: user.email, password: TEST_PASSWORD })
        .expect(429);
      expect(res.body).toEqual(
        expect.objectContaining({
          statusCode: 429,
          message: expect.stringContaining('Terlalu banyak'),
        }),
      );
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Other accounts from the same IP still get in, until the IP's own limit.
      const other = await limited.createUser('asn');
      await limited.http
        .post('/api/v1/auth/login')
        .send({ username: other.email, password: TEST_PASSWORD })
        .expect(200);
      await limited.http
        .post('/api/v1/auth/login')
        .send({ username: other.email, password: TEST_PASSWORD })
        .expect(200);
      await limited.http
        .post('/api/v1/auth/login')
        .send({ username: 'x@y.id', password: TEST_PASSWORD })
        .expect(429);
    } finally {
      await limited.close();
    }
  });
});
