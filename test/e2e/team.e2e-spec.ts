import { Certificate } from '../../src/certification/certification.entity.js';
import { User } from '../../src/identity/user.entity.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

/*
 * "Tim saya" (ADR 0040): a supervisor sees their direct reports and nothing of anyone else's;
 * someone without reports sees an empty list; moving a person moves them at once.
 */
describe(`team (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  const tok: Record<string, string> = {};
  const uid: Record<string, string> = {};
  let schemeId: string;

  const setSupervisor = (userId: string, supervisorId: string | null) =>
    t.dataSource.getRepository(User).update({ id: userId }, { supervisorId });

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    await t
      .as(admin)
      .post('/api/v1/org-units')
      .send({ code: 'RSUD', name: 'RSUD Kota' })
      .expect(201);
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'PERAWAT-TIM', name: 'Perawat', kind: 'fungsional', sector: 'health' })
      .expect(201);
    await t
      .as(admin)
      .put('/api/v1/positions/PERAWAT-TIM/standard')
      .send({
        items: [
          { competencyCode: 'M.1', level: 2 },
          { competencyCode: 'M.5', level: 3 },
        ],
      })
      .expect(200);
    for (const name of ['Kepala', 'Ani', 'Budi', 'Lain', 'Cici', 'Sendiri']) {
      const user = await t.createUser('asn', { name: `Pegawai ${name}`, nip: null });
      uid[name] = user.id;
      tok[name] = await t.tokenFor(user);
    }
    for (const name of ['Ani', 'Budi'])
      await t
        .as(admin)
        .patch(`/api/v1/users/${uid[name]}`)
        .send({ orgUnitCode: 'RSUD', positionCode: 'PERAWAT-TIM' })
        .expect(200);
    await setSupervisor(uid.Ani, uid.Kepala);
    await setSupervisor(uid.Budi, uid.Kepala);
    await setSupervisor(uid.Cici, uid.Lain);
    await t
      .as(admin)
      .post(`/api/v1/users/${uid.Ani}/evidence`)
      .send({ competencyCode: 'M.1', level: 3, reason: 'Penilaian atasan' })
      .expect(201);
    // Ani holds a certificate expiring within 90 days.
    const scheme = await anApprovalScheme(t, admin, {
      code: 'TIM-PPI',
      title: 'Skema Tim PPI',
      validityMonths: 12,
    });
    schemeId = scheme.id;
    await t
      .as(admin)
      .post(`/api/v1/certification-schemes/${scheme.id}/approvals/${uid.Ani}`)
      .send({ approved: true, notes: 'Lulus praktik' })
      .expect(200);
    await t.dataSource
      .getRepository(Certificate)
      .update({ userId: uid.Ani }, { expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000) });
  });
  afterAll(() => t.close());

  it('lists the caller’s direct reports with gaps, plan, JP and certificates', async () => {
    await t.as(tok.Ani).get('/api/v1/me/plan').expect(200);
    const res = await t.as(tok.Kepala).get('/api/v1/team').expect(200);
    expect(res.body.map((m: { name: string }) => m.name)).toEqual(['Pegawai Ani', 'Pegawai Budi']);
    const [ani, budi] = res.body;
    expect(ani).toEqual(
      expect.objectContaining({
        id: uid.Ani,
        position: { code: 'PERAWAT-TIM', name: 'Perawat' },
        orgUnit: { code: 'RSUD', name: 'RSUD Kota' },
        gaps: { required: 2, met: 1, totalGap: 3 },
        jpThisYear: 0,
      }),
    );
    expect(ani.plan).toEqual(
      expect.objectContaining({ status: 'draft', plannedJp: 0, realisedJp: 0 }),
    );
    expect(ani.certificates).toEqual([
      expect.objectContaining({ scheme: 'Skema Tim PPI', status: 'active', expiringSoon: true }),
    ]);
    expect(budi.plan).toBeNull();
    expect(budi.gaps).toEqual({ required: 2, met: 0, totalGap: 5 });
  });

  it('counts a scheme item done when its certificate was issued this year', async () => {
    const plan = await t
      .as(tok.Ani)
      .post('/api/v1/me/plan/items')
      .send({ kind: 'scheme', refId: schemeId, reason: 'Sudah diuji praktik' })
      .expect(201);
    expect(plan.body.items).toEqual([
      expect.objectContaining({ kind: 'scheme', refId: schemeId, status: 'done', jp: 0 }),
    ]);
  });

  it('shows nothing of anyone else’s reports, and an empty list without reports', async () => {
    const other = await t.as(tok.Lain).get('/api/v1/team').expect(200);
    expect(other.body.map((m: { id: string }) => m.id)).toEqual([uid.Cici]);
    expect((await t.as(tok.Sendiri).get('/api/v1/team').expect(200)).body).toEqual([]);
    expect((await t.as(tok.Ani).get('/api/v1/team').expect(200)).body).toEqual([]);
    expect((await t.as(admin).get('/api/v1/team').expect(200)).body).toEqual([]);
    await t.http.get('/api/v1/team').expect(401);
  });

  it('moving a person to another supervisor moves them at once', async () => {
    await setSupervisor(uid.Budi, uid.Lain);
    const kepala = await t.as(tok.Kepala).get('/api/v1/team').expect(200);
    expect(kepala.body.map((m: { id: string }) => m.id)).toEqual([uid.Ani]);
    const lain = await t.as(tok.Lain).get('/api/v1/team').expect(200);
    expect(lain.body.map((m: { id: string }) => m.id).sort()).toEqual([uid.Budi, uid.Cici].sort());
    // The old supervisor no longer reads Budi's plan.
    const plan = (await t.as(tok.Budi).get('/api/v1/me/plan').expect(200)).body.id;
    await t.as(tok.Kepala).get(`/api/v1/plans/${plan}`).expect(404);
    await t.as(tok.Lain).get(`/api/v1/plans/${plan}`).expect(200);
    await setSupervisor(uid.Budi, uid.Kepala);
  });
});
