import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { bootTestApp, engine, TEST_PASSWORD, TestApp } from '../helpers/test-app.js';

describe(`users and org units (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let asn: string;
  let coordinator: string;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    asn = await t.tokenFor(await t.createUser('asn'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
  });
  afterAll(() => t.close());

  describe('org units', () => {
    it('admin creates, lists and renames; coordinator reads; ASN and anonymous are refused', async () => {
      const created = await t
        .as(admin)
        .post('/api/v1/org-units')
        .send({ code: 'DINKES', name: 'Dinas Kesehatan' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        code: 'DINKES',
        name: 'Dinas Kesehatan',
        active: true,
        parentCode: null,
      });
      await t
        .as(admin)
        .post('/api/v1/org-units')
        .send({ code: 'DINKES', name: 'Lagi' })
        .expect(409);
      const bad = await t
        .as(admin)
        .post('/api/v1/org-units')
        .send({ code: 'dinas kesehatan', name: 'x' })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('code');
      const list = await t.as(coordinator).get('/api/v1/org-units').expect(200);
      expect(list.body.map((u: { code: string }) => u.code)).toContain('DINKES');
      await t.as(asn).get('/api/v1/org-units').expect(403);
      await t.http.get('/api/v1/org-units').expect(401);
      await t.as(coordinator).post('/api/v1/org-units').send({ code: 'X1', name: 'X' }).expect(403);
      const renamed = await t
        .as(admin)
        .patch(`/api/v1/org-units/${created.body.id}`)
        .send({ name: 'Dinas Kesehatan Kota' })
        .expect(200);
      expect(renamed.body.name).toBe('Dinas Kesehatan Kota');
      await t
        .as(admin)
        .patch('/api/v1/org-units/00000000-0000-0000-0000-000000000000')
        .send({ name: 'Tidak ada' })
        .expect(404);
    });
  });

  describe('POST /api/v1/users', () => {
    it('creates an ASN with NIP, unit and a temporary password that must be changed', async () => {
      await t
        .as(admin)
        .post('/api/v1/org-units')
        .send({ code: 'DISDIK', name: 'Dinas Pendidikan' })
        .expect(201);
      const res = await t
        .as(admin)
        .post('/api/v1/users')
        .send({
          nip: '198512102010012003',
          name: 'Siti Aminah Lubis',
          role: 'asn',
          orgUnitCode: 'DISDIK',
        })
        .expect(201);
      expect(res.body).toEqual(
        expect.objectContaining({
          nip: '198512102010012003',
          role: 'asn',
          orgUnit: { code: 'DISDIK', name: 'Dinas Pendidikan' },
          mustChangePassword: true,
          temporaryPassword: expect.any(String),
        }),
      );
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ username: '198512102010012003', password: res.body.temporaryPassword })
        .expect(200);
      expect(login.body.user.orgUnit).toEqual({ code: 'DISDIK', name: 'Dinas Pendidikan' });
      expect(
        await t.dataSource
          .getRepository(AuditEntry)
          .countBy({ action: 'user.create', entityId: res.body.id }),
      ).toBe(1);
    });

    it('creates a coordinator scoped to known sectors', async () => {
      const res = await t
        .as(admin)
        .post('/api/v1/users')
        .send({
          email: 'Koor.Baru@Dinkes.id',
          name: 'Koordinator Baru',
          role: 'coordinator',
          sectors: ['health'],
          password: 'Salak-Manis-Sidimpuan',
        })
        .expect(201);
      expect(res.body).toEqual(
        expect.objectContaining({
          email: 'koor.baru@dinkes.id',
          sectors: ['health'],
          mustChangePassword: false,
        }),
      );
      expect(res.body.temporaryPassword).toBeUndefined();
    });

    it.each([
      [{ nip: '199002302015032001', name: 'Tanggal Salah', role: 'asn' }, 'nip', /tanggal lahir/],
      [{ nip: '1990', name: 'Pendek', role: 'asn' }, 'nip', /18 angka/],
      [{ name: 'Tanpa Identitas', role: 'asn' }, 'nip', /NIP atau e-mail/],
      [{ email: 'bukan-email', name: 'X Y', role: 'asn' }, 'email', /e-mail/],
      [{ email: 'a@b.id', name: 'X Y', role: 'superuser' }, 'role', /role/],
      [{ email: 'c@b.id', name: 'X Y', role: 'coordinator' }, 'sectors', /sektor/],
      [
        { email: 'd@b.id', name: 'X Y', role: 'coordinator', sectors: ['forestry'] },
        'sectors',
        /tidak dikenal/,
      ],
      [{ email: 'e@b.id', name: 'X Y', role: 'asn', password: '12345678901' }, 'password', /umum/],
      [
        { email: 'f@b.id', name: 'X Y', role: 'asn', orgUnitCode: 'NOPE' },
        'orgUnitCode',
        /tidak ada/,
      ],
      [{ email: 'g@b.id', name: 'X Y', role: 'asn', extra: true }, 'extra', /should not exist/],
    ])('refuses %j with a 400 naming %s', async (body, field, reason) => {
      const res = await t.as(admin).post('/api/v1/users').send(body).expect(400);
      expect(res.body.errors[0].field).toBe(field);
      expect(res.body.message).toMatch(reason);
    });

    it('refuses a duplicate NIP or e-mail with 409, and non-admins with 403/401', async () => {
      const body = {
        nip: '199106052019031004',
        name: 'Ahmad Ridwan',
        role: 'asn',
        password: 'Kopi-Sipirok-2026',
      };
      await t.as(admin).post('/api/v1/users').send(body).expect(201);
      const dup = await t.as(admin).post('/api/v1/users').send(body).expect(409);
      expect(dup.body.errors[0].field).toBe('nip');
      await t
        .as(admin)
        .post('/api/v1/users')
        .send({ email: 'koor.baru@dinkes.id', name: 'Dup', role: 'asn' })
        .expect(409);
      await t.as(coordinator).post('/api/v1/users').send(body).expect(403);
      await t.as(asn).post('/api/v1/users').send(body).expect(403);
      await t.http.post('/api/v1/users').send(body).expect(401);
    });
  });

  describe('listing and editing', () => {
    it('searches by name or NIP, filters by role, unit and sector, and paginates', async () => {
      const byName = await t.as(admin).get('/api/v1/users').query({ search: 'aminah' }).expect(200);
      expect(byName.body.items.map((u: { name: string }) => u.name)).toEqual(['Siti Aminah Lubis']);
      const byNip = await t
        .as(admin)
        .get('/api/v1/users')
        .query({ search: '19910605' })
        .expect(200);
      expect(byNip.body.total).toBe(1);
      const byUnit = await t
        .as(admin)
        .get('/api/v1/users')
        .query({ orgUnit: 'DISDIK' })
        .expect(200);
      expect(byUnit.body.items).toHaveLength(1);
      const bySector = await t
        .as(admin)
        .get('/api/v1/users')
        .query({ sector: 'health', role: 'coordinator' })
        .expect(200);
      expect(
        bySector.body.items.every((u: { sectors: string[] }) => u.sectors.includes('health')),
      ).toBe(true);
      const paged = await t
        .as(admin)
        .get('/api/v1/users')
        .query({ pageSize: 2, page: 2 })
        .expect(200);
      expect(paged.body).toEqual(expect.objectContaining({ page: 2, pageSize: 2 }));
      expect(paged.body.items.length).toBeLessThanOrEqual(2);
      await t.as(admin).get('/api/v1/users').query({ pageSize: 1000 }).expect(400);
      await t.as(coordinator).get('/api/v1/users').expect(403);
    });

    it('edits, deactivates (login refused), reactivates and resets the password', async () => {
      const user = await t.createUser('asn');
      const base = `/api/v1/users/${user.id}`;
      const edited = await t
        .as(admin)
        .patch(base)
        .send({ name: 'Nama Baru', role: 'coordinator', sectors: ['education'] })
        .expect(200);
      expect(edited.body).toEqual(
        expect.objectContaining({ name: 'Nama Baru', role: 'coordinator', sectors: ['education'] }),
      );
      await t
        .as(admin)
        .patch(base)
        .send({ sectors: ['nope'] })
        .expect(400);
      const taken = await t
        .as(admin)
        .patch(base)
        .send({ email: 'koor.baru@dinkes.id' })
        .expect(409);
      expect(taken.body.errors[0].field).toBe('email');
      await t
        .as(admin)
        .patch('/api/v1/users/00000000-0000-0000-0000-000000000000')
        .send({ name: 'Siapa' })
        .expect(404);
      await t.as(admin).post(`${base}/deactivate`).expect(200);
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: user.email, password: TEST_PASSWORD })
        .expect(401);
      await t.as(admin).post(`${base}/reactivate`).expect(200);
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: user.email, password: TEST_PASSWORD })
        .expect(200);
      const reset = await t.as(admin).post(`${base}/reset-password`).send({}).expect(200);
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: user.email, password: reset.body.temporaryPassword })
        .expect(200);
      await t.as(admin).post(`${base}/reset-password`).send({ password: 'short' }).expect(400);
      await t.as(admin).get('/api/v1/users/00000000-0000-0000-0000-000000000000').expect(404);
      await t.as(asn).post(`${base}/deactivate`).expect(403);
    });

    it('an admin cannot deactivate their own account (422)', async () => {
      const self = await t.createUser('admin');
      const token = await t.tokenFor(self);
      await t.as(token).post(`/api/v1/users/${self.id}/deactivate`).expect(422);
    });
  });
});
