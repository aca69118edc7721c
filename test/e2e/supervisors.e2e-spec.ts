import { OrgUnit } from '../../src/identity/org-unit.entity.js';
import { User } from '../../src/identity/user.entity.js';
import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { BootstrapService, DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { DEMO_PEOPLE } from '../../src/people/demo-people.js';
import { OrgUnitsService } from '../../src/people/org-units.service.js';
import { aNip } from '../helpers/nip.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

interface ErrorBody {
  errors: { field: string; reason: string }[];
  details?: { reason: string; nip?: string; code?: string };
}

/** Who reports to whom and the org-unit tree, from the side of someone trying to bend them (ADR 0040). */
describe(`supervisors and the org-unit tree (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let adminUser: User;
  let n = 7000;
  const nextNip = () => aNip((n += 1));

  beforeAll(async () => {
    t = await bootTestApp();
    adminUser = await t.createUser('admin');
    admin = await t.tokenFor(adminUser);
  });
  afterAll(() => t.close());

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    t
      .as(admin)
      .post('/api/v1/users')
      .send({ nip: nextNip(), name, role: 'asn', password: 'Kata-Sandi-Uji-2026', ...extra });
  const supervisorOf = async (id: string) =>
    (await t.dataSource.getRepository(User).findOneByOrFail({ id })).supervisorId;
  const refused = (body: ErrorBody, field: string, reason: string) => {
    expect(body.errors.map((e) => e.field)).toEqual([field]);
    expect(body.details?.reason).toBe(reason);
  };

  describe('supervisorNip on the API', () => {
    it('is set on create, shown on every read of the user and on /me and login, changed and cleared by PATCH, and audited', async () => {
      const boss = (await create('dr. Maya Sari Pohan').expect(201)).body;
      const made = await create('Nurhayati Harahap', { supervisorNip: boss.nip }).expect(201);
      const ref = { id: boss.id, nip: boss.nip, name: 'dr. Maya Sari Pohan' };
      expect(made.body.supervisor).toEqual(ref);
      expect(
        (await t.as(admin).get(`/api/v1/users/${made.body.id}`).expect(200)).body.supervisor,
      ).toEqual(ref);
      const list = await t
        .as(admin)
        .get('/api/v1/users')
        .query({ search: 'Nurhayati' })
        .expect(200);
      expect(list.body.items[0].supervisor).toEqual(ref);
      expect((await t.as(admin).get(`/api/v1/users/${boss.id}`)).body.supervisor).toBeNull();

      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ username: made.body.nip, password: 'Kata-Sandi-Uji-2026' })
        .expect(200);
      expect(login.body.user.supervisor).toEqual(ref);
      const me = await t.as(login.body.accessToken).get('/api/v1/me').expect(200);
      expect(me.body.supervisor).toEqual(ref);

      const created = await t.dataSource
        .getRepository(AuditEntry)
        .findOneByOrFail({ action: 'user.create', entityId: made.body.id });
      expect(created.detail).toEqual(expect.objectContaining({ supervisorId: boss.id }));

      const other = (await create('Rahmat Lubis').expect(201)).body;
      const moved = await t
        .as(admin)
        .patch(`/api/v1/users/${made.body.id}`)
        .send({ supervisorNip: other.nip })
        .expect(200);
      expect(moved.body.supervisor).toEqual({ id: other.id, nip: other.nip, name: 'Rahmat Lubis' });
      const cleared = await t
        .as(admin)
        .patch(`/api/v1/users/${made.body.id}`)
        .send({ supervisorNip: null })
        .expect(200);
      expect(cleared.body.supervisor).toBeNull();
      expect(await supervisorOf(made.body.id)).toBeNull();
      const updates = await t.dataSource
        .getRepository(AuditEntry)
        .find({ where: { action: 'user.update', entityId: made.body.id }, order: { at: 'ASC' } });
      expect(updates.map((u) => u.detail)).toEqual([
        expect.objectContaining({ supervisorId: other.id }),
        expect.objectContaining({ supervisorId: null }),
      ]);
      // A change of something else leaves the supervisor as it is.
      await t.as(admin).patch(`/api/v1/users/${other.id}`).send({ supervisorNip: boss.nip });
      await t.as(admin).patch(`/api/v1/users/${other.id}`).send({ name: 'Rahmat H. Lubis' });
      expect(await supervisorOf(other.id)).toBe(boss.id);
    });

    it('refuses an unknown NIP, a malformed one and oneself with a 400 naming supervisorNip, saving nothing', async () => {
      const users = t.dataSource.getRepository(User);
      const before = await users.count();
      const ghost = nextNip();
      const unknown = await create('Tanpa Atasan', { supervisorNip: ghost }).expect(400);
      refused(unknown.body, 'supervisorNip', 'unknown');
      expect(unknown.body.errors[0].reason).toContain(ghost);
      await create('Tanpa Atasan', { supervisorNip: 'bos saya' }).expect(400);
      const nip = nextNip();
      const own = await create('Atasan Diri', { nip, supervisorNip: nip }).expect(400);
      refused(own.body, 'supervisorNip', 'self');
      expect(await users.count()).toBe(before);

      const someone = (await create('Seseorang').expect(201)).body;
      const self = await t
        .as(admin)
        .patch(`/api/v1/users/${someone.id}`)
        .send({ supervisorNip: someone.nip, name: 'Nama Lain' })
        .expect(400);
      refused(self.body, 'supervisorNip', 'self');
      const missing = await t
        .as(admin)
        .patch(`/api/v1/users/${someone.id}`)
        .send({ supervisorNip: nextNip(), name: 'Nama Lain' })
        .expect(400);
      refused(missing.body, 'supervisorNip', 'unknown');
      // Nothing of the refused change was saved, not even the name sent with it.
      const stored = await users.findOneByOrFail({ id: someone.id });
      expect(stored.name).toBe('Seseorang');
      expect(stored.supervisorId).toBeNull();
    });

    it('refuses a cycle of two and of three, leaving every supervisor as it was', async () => {
      const a = (await create('Atasan A').expect(201)).body;
      const b = (await create('Bawahan B', { supervisorNip: a.nip }).expect(201)).body;
      const two = await t
        .as(admin)
        .patch(`/api/v1/users/${a.id}`)
        .send({ supervisorNip: b.nip })
        .expect(400);
      refused(two.body, 'supervisorNip', 'cycle');
      expect(await supervisorOf(a.id)).toBeNull();
      expect(await supervisorOf(b.id)).toBe(a.id);

      const c = (await create('Bawahan C', { supervisorNip: b.nip }).expect(201)).body;
      const three = await t
        .as(admin)
        .patch(`/api/v1/users/${a.id}`)
        .send({ supervisorNip: c.nip })
        .expect(400);
      refused(three.body, 'supervisorNip', 'cycle');
      expect(await supervisorOf(a.id)).toBeNull();
      expect(await supervisorOf(c.id)).toBe(b.id);

      // A longer chain, closed at its far end.
      let top = c;
      for (let i = 0; i < 6; i++)
        top = (await create(`Rantai ${i}`, { supervisorNip: top.nip }).expect(201)).body;
      await t.as(admin).patch(`/api/v1/users/${a.id}`).send({ supervisorNip: top.nip }).expect(400);
      expect(await supervisorOf(a.id)).toBeNull();
      // Moving within the chain without closing it is fine.
      await t.as(admin).patch(`/api/v1/users/${top.id}`).send({ supervisorNip: a.nip }).expect(200);
    });

    it('two changes sent together that would close a cycle between them do not both pass', async () => {
      const a = (await create('Serentak A').expect(201)).body;
      const b = (await create('Serentak B').expect(201)).body;
      const results = await Promise.all([
        t.as(admin).patch(`/api/v1/users/${a.id}`).send({ supervisorNip: b.nip }),
        t.as(admin).patch(`/api/v1/users/${b.id}`).send({ supervisorNip: a.nip }),
      ]);
      expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      const [sa, sb] = [await supervisorOf(a.id), await supervisorOf(b.id)];
      expect(sa === b.id && sb === a.id).toBe(false);
    });

    it('only an admin sets a supervisor: a coordinator or the ASN themself are refused', async () => {
      const boss = (await create('Atasan Sah').expect(201)).body;
      const asnUser = await t.createUser('asn', { nip: nextNip() });
      const asn = await t.tokenFor(asnUser);
      const coordinator = await t.tokenFor(
        await t.createUser('coordinator', { sectors: ['health'] }),
      );
      for (const token of [asn, coordinator])
        await t
          .as(token)
          .patch(`/api/v1/users/${asnUser.id}`)
          .send({ supervisorNip: boss.nip })
          .expect(403);
      // A supervisor is not an admin: having reports opens no user record.
      await t.as(admin).patch(`/api/v1/users/${asnUser.id}`).send({ supervisorNip: boss.nip });
      const bossToken = (
        await t.http
          .post('/api/v1/auth/login')
          .send({ username: boss.nip, password: 'Kata-Sandi-Uji-2026' })
          .expect(200)
      ).body.accessToken;
      await t.as(bossToken).get(`/api/v1/users/${asnUser.id}`).expect(403);
      await t.as(bossToken).get('/api/v1/users').expect(403);
      expect(await supervisorOf(asnUser.id)).toBe(boss.id);
    });

    it('the admin page sets the supervisor by NIP and shows it and the direct reports', async () => {
      const boss = (await create('Kepala Puskesmas').expect(201)).body;
      const report = (await create('Perawat Puskesmas').expect(201)).body;
      const { agent } = await signInAgent(t, adminUser.email!);
      const page = await agent.get(`/admin/pengguna/${report.id}`).expect(200);
      expect(page.text).toContain('Atasan langsung (NIP)');
      const bad = await agent
        .post(`/admin/pengguna/${report.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          name: 'Perawat Puskesmas',
          role: 'asn',
          supervisorNip: report.nip,
        });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('aria-invalid="true"');
      await agent
        .post(`/admin/pengguna/${report.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          name: 'Perawat Puskesmas',
          role: 'asn',
          supervisorNip: boss.nip,
        })
        .expect(303);
      expect(await supervisorOf(report.id)).toBe(boss.id);
      const reportPage = await agent.get(`/admin/pengguna/${report.id}`).expect(200);
      expect(reportPage.text).toContain(`href="/admin/pengguna/${boss.id}"`);
      const bossPage = await agent.get(`/admin/pengguna/${boss.id}`).expect(200);
      expect(bossPage.text).toContain('Bawahan langsung');
      expect(bossPage.text).toContain('Perawat Puskesmas');
    });
  });

  describe('the org-unit tree', () => {
    const unit = (code: string, name: string, parentCode?: string) =>
      t.as(admin).post('/api/v1/org-units').send({ code, name, parentCode });
    const parentOf = async (code: string) =>
      (await t.dataSource.getRepository(OrgUnit).findOneByOrFail({ code })).parentId;

    it('takes parentCode on create and change, lists it, refuses unknown codes and cycles, and answers the tree helpers', async () => {
      const top = (await unit('T-DINKES', 'Dinas Kesehatan').expect(201)).body;
      expect(top.parentCode).toBeNull();
      const mid = (await unit('T-BIDANG', 'Bidang Pelayanan', 'T-DINKES').expect(201)).body;
      expect(mid.parentCode).toBe('T-DINKES');
      const leaf = (await unit('T-PKM', 'UPTD Puskesmas Sadabuan', 'T-BIDANG').expect(201)).body;
      const unknown = await unit('T-X', 'Tanpa Induk', 'T-TIDAK-ADA').expect(400);
      expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['parentCode']);
      expect(await t.dataSource.getRepository(OrgUnit).countBy({ code: 'T-X' })).toBe(0);

      const list = (await t.as(admin).get('/api/v1/org-units').expect(200)).body as {
        code: string;
        parentCode: string | null;
      }[];
      const parents = Object.fromEntries(list.map((u) => [u.code, u.parentCode]));
      expect(parents).toEqual(
        expect.objectContaining({ 'T-DINKES': null, 'T-BIDANG': 'T-DINKES', 'T-PKM': 'T-BIDANG' }),
      );

      const self = await t
        .as(admin)
        .patch(`/api/v1/org-units/${top.id}`)
        .send({ parentCode: 'T-DINKES', name: 'Nama Lain' })
        .expect(400);
      refused(self.body, 'parentCode', 'cycle');
      const two = await t
        .as(admin)
        .patch(`/api/v1/org-units/${mid.id}`)
        .send({ parentCode: 'T-PKM' })
        .expect(400);
      refused(two.body, 'parentCode', 'cycle');
      const three = await t
        .as(admin)
        .patch(`/api/v1/org-units/${top.id}`)
        .send({ parentCode: 'T-PKM' })
        .expect(400);
      refused(three.body, 'parentCode', 'cycle');
      const missing = await t
        .as(admin)
        .patch(`/api/v1/org-units/${top.id}`)
        .send({ parentCode: 'T-TIDAK-ADA' })
        .expect(400);
      expect(missing.body.errors[0].field).toBe('parentCode');
      expect(await parentOf('T-DINKES')).toBeNull();
      expect(await parentOf('T-BIDANG')).toBe(top.id);
      expect((await t.dataSource.getRepository(OrgUnit).findOneByOrFail({ id: top.id })).name).toBe(
        'Dinas Kesehatan',
      );

      const service = t.app.get(OrgUnitsService);
      expect(await service.rootOf(leaf.id)).toBe(top.id);
      expect(await service.rootOf(top.id)).toBe(top.id);
      expect(new Set(await service.descendantIds(top.id))).toEqual(new Set([mid.id, leaf.id]));
      expect(await service.descendantIds(leaf.id)).toEqual([]);
      const tree = await service.unitTree();
      expect(tree.find((u) => u.id === leaf.id)?.parentId).toBe(mid.id);

      // The leaf moves to the top, and back under the dinas directly.
      const moved = await t
        .as(admin)
        .patch(`/api/v1/org-units/${leaf.id}`)
        .send({ parentCode: null })
        .expect(200);
      expect(moved.body.parentCode).toBeNull();
      await t
        .as(admin)
        .patch(`/api/v1/org-units/${leaf.id}`)
        .send({ parentCode: 'T-DINKES' })
        .expect(200);
      expect(await parentOf('T-PKM')).toBe(top.id);
      const audit = await t.dataSource
        .getRepository(AuditEntry)
        .find({ where: { action: 'org_unit.update', entityId: leaf.id }, order: { at: 'ASC' } });
      expect(audit.map((a) => a.detail)).toEqual([
        expect.objectContaining({ parentId: null }),
        expect.objectContaining({ parentId: top.id }),
      ]);

      const coordinator = await t.tokenFor(
        await t.createUser('coordinator', { sectors: ['health'] }),
      );
      await t
        .as(coordinator)
        .patch(`/api/v1/org-units/${leaf.id}`)
        .send({ parentCode: null })
        .expect(403);
    });

    it('the org-unit page shows the tree and moves a unit with its parent select, refusing a cycle', async () => {
      await unit('P-DISDIK', 'Dinas Pendidikan Uji').expect(201);
      const school = (await unit('P-SDN', 'SD Negeri Uji', 'P-DISDIK').expect(201)).body;
      const { agent } = await signInAgent(t, adminUser.email!);
      const page = await agent.get('/admin/unit-kerja').expect(200);
      expect(page.text).toContain('Unit induk');
      expect(page.text).toMatch(/<option value="P-DISDIK" selected>[^<]*Dinas Pendidikan Uji/);
      const disdik = await t.dataSource
        .getRepository(OrgUnit)
        .findOneByOrFail({ code: 'P-DISDIK' });
      const loop = await agent
        .post(`/admin/unit-kerja/${disdik.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          name: 'Dinas Pendidikan Uji',
          active: 'true',
          parentCode: 'P-SDN',
        });
      expect(loop.status).toBe(400);
      expect(await parentOf('P-DISDIK')).toBeNull();
      await agent
        .post(`/admin/unit-kerja/${school.id}`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), name: 'SD Negeri Uji', active: 'true', parentCode: '' })
        .expect(303);
      expect(await parentOf('P-SDN')).toBeNull();
    });
  });

  describe('supervisorNip in the import', () => {
    const post = (csv: string, dryRun = false) =>
      t
        .as(admin)
        .post('/api/v1/users/import')
        .query(dryRun ? { dryRun: 'true' } : {})
        .set('content-type', 'text/csv')
        .send(csv);
    const header = 'NIP,Nama,Peran,supervisorNip';
    const byNip = (nip: string) => t.dataSource.getRepository(User).findOneBy({ nip });

    it('resolves a supervisor defined further down the file, and one already stored', async () => {
      const stored = (await create('Kepala Dinas Tersimpan').expect(201)).body;
      const [staff, head, deputy] = [nextNip(), nextNip(), nextNip()];
      const csv = [
        header,
        `${staff},Staf Baru,ASN,${deputy}`,
        `${deputy},Wakil Baru,ASN,${head}`,
        `${head},Kepala Baru,ASN,${stored.nip}`,
      ].join('\n');
      const dry = await post(csv, true).expect(200);
      expect(dry.body.summary).toEqual({ create: 3, update: 0, unchanged: 0, error: 0 });
      expect(await byNip(staff)).toBeNull();
      await post(csv).expect(200);
      const [s, d, h] = [await byNip(staff), await byNip(deputy), await byNip(head)];
      expect(s!.supervisorId).toBe(d!.id);
      expect(d!.supervisorId).toBe(h!.id);
      expect(h!.supervisorId).toBe(stored.id);
      // Again: nothing changes; a moved supervisor shows as a change of "Atasan".
      const again = await post(csv, true).expect(200);
      expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 3, error: 0 });
      const moved = await post([header, `${staff},Staf Baru,ASN,${head}`].join('\n'), true);
      expect(moved.body.rows[0]).toEqual(
        expect.objectContaining({ outcome: 'update', changes: ['Atasan'] }),
      );
    });

    it('reports an unknown supervisor, oneself and a cycle on their rows, saves none of them, and saves the rest', async () => {
      const a = (await create('Pegawai Tersimpan A').expect(201)).body;
      const b = (await create('Pegawai Tersimpan B', { supervisorNip: a.nip }).expect(201)).body;
      const [fine, ghost, self, x, y, orphan] = [
        nextNip(),
        nextNip(),
        nextNip(),
        nextNip(),
        nextNip(),
        nextNip(),
      ];
      const csv = [
        header,
        `${fine},Pegawai Baik,ASN,${a.nip}`,
        `${ghost},Atasan Hantu,ASN,${nextNip()}`,
        `${self},Atasan Diri,ASN,${self}`,
        // The stored A under B, who is under A: a cycle through the database.
        `${a.nip},Pegawai Tersimpan A,ASN,${b.nip}`,
        // A cycle inside the file: X under Y, Y under X.
        `${x},Pegawai X,ASN,${y}`,
        `${y},Pegawai Y,ASN,${x}`,
        // Under a row that is refused: refused too.
        `${orphan},Pegawai Yatim,ASN,${ghost}`,
      ].join('\n');
      const dry = await post(csv, true).expect(200);
      const outcome = Object.fromEntries(
        dry.body.rows.map((r: { line: number; outcome: string }) => [r.line, r.outcome]),
      );
      expect(outcome).toEqual({
        2: 'create',
        3: 'error',
        4: 'error',
        5: 'error',
        6: 'error',
        7: 'error',
        8: 'error',
      });
      const errors = (line: number) =>
        dry.body.rows.find((r: { line: number }) => r.line === line).errors.join(' ');
      expect(errors(3)).toMatch(/tidak ada/);
      expect(errors(4)).toMatch(/dirinya sendiri/);
      expect(errors(5)).toMatch(/melingkar/);
      expect(errors(7)).toMatch(/melingkar/);

      const applied = await post(csv).expect(200);
      expect(applied.body.summary).toEqual({ create: 1, update: 0, unchanged: 0, error: 6 });
      expect((await byNip(fine))!.supervisorId).toBe(a.id);
      for (const nip of [ghost, self, x, y, orphan]) expect(await byNip(nip)).toBeNull();
      expect(await supervisorOf(a.id)).toBeNull();
      expect(await supervisorOf(b.id)).toBe(a.id);
    });
  });
});

describe(`the demo's supervisors and unit tree (${engine})`, () => {
  it('puts units under their dinas and each demo ASN under a supervisor, printed with the logins, once', async () => {
    const t = await bootTestApp({ env: { DEMO_DATA: 'true' } });
    try {
      const login = async (username: string) =>
        (
          await t.http
            .post('/api/v1/auth/login')
            .send({ username, password: DEMO_PASSWORD })
            .expect(200)
        ).body;
      const maya = await login('197506182000032004');
      expect(maya.user).toEqual(
        expect.objectContaining({
          name: 'dr. Maya Sari Pohan',
          role: 'asn',
          orgUnit: { code: 'PKM-SADABUAN', name: 'UPTD Puskesmas Sadabuan' },
          supervisor: null,
        }),
      );
      const ref = { id: maya.user.id, nip: '197506182000032004', name: 'dr. Maya Sari Pohan' };
      for (const nip of ['199003152015032001', '198807202014031002'])
        expect((await login(nip)).user.supervisor).toEqual(ref);
      // Every demo ASN who is nobody's supervisor has one.
      const supervisors = new Set(DEMO_PEOPLE.map((p) => p.supervisor).filter(Boolean));
      for (const person of DEMO_PEOPLE.filter((p) => p.role === 'asn' && !supervisors.has(p.nip)))
        expect((await login(person.nip!)).user.supervisor).not.toBeNull();

      const admin = (await login('admin@demo.sertifikasi.id')).accessToken;
      const units = (await t.as(admin).get('/api/v1/org-units').expect(200)).body as {
        code: string;
        parentCode: string | null;
      }[];
      const parents = Object.fromEntries(units.map((u) => [u.code, u.parentCode]));
      expect(parents).toEqual(
        expect.objectContaining({
          DINKES: null,
          'PKM-SADABUAN': 'DINKES',
          'SDN-01-PSP': 'DISDIK',
          'DISKOMINFO-APTIKA': 'DISKOMINFO',
        }),
      );
      const bootstrap = t.app.get(BootstrapService);
      expect(bootstrap.demoLogins.find((l) => l.name === 'dr. Maya Sari Pohan')?.reports).toEqual([
        'Nurhayati Harahap',
        'dr. Fadli Nasution',
      ]);

      // An admin clears a line; booting again neither restores it nor adds anyone.
      const nurhayati = (await login('199003152015032001')).user;
      await t
        .as(admin)
        .patch(`/api/v1/users/${nurhayati.id}`)
        .send({ supervisorNip: null })
        .expect(200);
      const users = await t.dataSource.getRepository(User).count();
      await bootstrap.onApplicationBootstrap();
      expect(await t.dataSource.getRepository(User).count()).toBe(users);
      expect((await login('199003152015032001')).user.supervisor).toBeNull();
    } finally {
      await t.close();
    }
  });
});
