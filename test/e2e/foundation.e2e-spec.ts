import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

describe(`foundation over HTTP (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it('reports health including the database', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
    // Not a Galera node (SQLite, plain MariaDB): no cluster to report on.
    expect(Object.keys(res.body.details)).toEqual(['database']);
    await t.http.get('/health/live').expect(200, { status: 'ok' });
  });

  it('documents every API route in OpenAPI', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    const paths = Object.keys(res.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/sectors',
        '/api/v1/sectors/{key}',
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/api/v1/me',
        '/health',
      ]),
    );
    await t.http.get('/api/docs').expect(200).expect('content-type', /html/);
  });

  it('lists the three seed sectors, enabled', async () => {
    const res = await t.http.get('/api/v1/sectors').expect(200);
    expect(res.body.map((s: { key: string }) => s.key)).toEqual([
      'health',
      'education',
      'administration-it',
    ]);
    for (const sector of res.body) {
      expect(sector).toEqual(
        expect.objectContaining({
          enabled: true,
          version: '1.0.0',
          name: expect.any(String),
          description: expect.any(String),
        }),
      );
    }
    const en = await t.http
      .get('/api/v1/sectors')
      .set('accept-language', 'en-US,en;q=0.9')
      .expect(200);
    expect(en.body[0].name).toBe('Health');
  });

  it('answers a malformed JSON body with a 400 in the error shape', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"username": ')
      .expect(400);
    expect(res.body).toEqual(
      expect.objectContaining({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.any(String),
      }),
    );
  });

  it('answers an unknown route with a 404 in the error shape, and sets security headers and a request id', async () => {
    const res = await t.http.get('/api/v1/nope').set('x-request-id', 'abc-123').expect(404);
    expect(res.body).toEqual(expect.objectContaining({ statusCode: 404, error: 'Not Found' }));
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('renders the home page in Bahasa Indonesia with the sectors', async () => {
    const res = await t.http.get('/').expect(200).expect('content-type', /html/);
    expect(res.text).toContain('<html lang="id">');
    expect(res.text).toContain('Kesehatan');
    await t.http.get('/assets/app.css').expect(200).expect('content-type', /css/);
  });

  describe('PATCH /api/v1/sectors/:key', () => {
    it('refuses the anonymous with 401 and an ASN or coordinator with 403', async () => {
      await t.http.patch('/api/v1/sectors/health').send({ enabled: false }).expect(401);
      const asn = await t.tokenFor(await t.createUser('asn'));
      await t.as(asn).patch('/api/v1/sectors/health').send({ enabled: false }).expect(403);
      const coordinator = await t.tokenFor(
        await t.createUser('coordinator', { sectors: ['health'] }),
      );
      await t.as(coordinator).patch('/api/v1/sectors/health').send({ enabled: false }).expect(403);
    });

    it('lets an admin disable and re-enable a sector, audited', async () => {
      const admin = await t.createUser('admin');
      const token = await t.tokenFor(admin);
      const off = await t
        .as(token)
        .patch('/api/v1/sectors/education')
        .send({ enabled: false })
        .expect(200);
      expect(off.body).toEqual(expect.objectContaining({ key: 'education', enabled: false }));
      const list = await t.http.get('/api/v1/sectors').expect(200);
      expect(list.body.find((s: { key: string }) => s.key === 'education').enabled).toBe(false);
      const home = await t.http.get('/').expect(200);
      expect(home.text).not.toContain('Pendidikan');
      expect(home.text).toContain('Kesehatan');
      const entries = await t.dataSource
        .getRepository(AuditEntry)
        .findBy({ action: 'sector.disable', entityId: 'education' });
      expect(entries).toHaveLength(1);
      expect(entries[0].actorId).toBe(admin.id);
      await t.as(token).patch('/api/v1/sectors/education').send({ enabled: true }).expect(200);
    });

    it('names the field of a bad body (400) and refuses an unknown sector (404)', async () => {
      const token = await t.tokenFor(await t.createUser('admin'));
      const bad = await t
        .as(token)
        .patch('/api/v1/sectors/health')
        .send({ enabled: 'ya' })
        .expect(400);
      expect(bad.body.errors[0]).toEqual(
        expect.objectContaining({ field: 'enabled', code: 'validation.isBoolean' }),
      );
      expect(bad.body.message).toContain('enabled');
      const extra = await t
        .as(token)
        .patch('/api/v1/sectors/health')
        .send({ enabled: true, hack: 1 })
        .expect(400);
      expect(extra.body.errors[0]).toEqual(
        expect.objectContaining({ field: 'hack', code: 'validation.whitelistValidation' }),
      );
      await t.as(token).patch('/api/v1/sectors/unknown').send({ enabled: true }).expect(404);
    });
  });
});
