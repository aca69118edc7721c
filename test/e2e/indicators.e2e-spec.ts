import { randomUUID } from 'node:crypto';
import { OrgUnit } from '../../src/identity/org-unit.entity.js';
import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import {
  bootTestApp,
  csrfOf,
  engine,
  signInAgent,
  type SignedIn,
  type TestApp,
} from '../helpers/test-app.js';

/**
 * Evaluation level 4 (ADR 0040): programme indicators per org unit and year, recorded by
 * admins only, refused with the field named when they make no sense, every change audited.
 */
describe(`indicators: level 4 results (${engine})`, () => {
  let t: TestApp;
  let admin: SignedIn;

  const valid = {
    orgUnitCode: 'IND-UNIT',
    year: 2026,
    name: 'Rata-rata waktu layanan izin praktik',
    unit: 'hari',
    baselineValue: 14,
    lowerIsBetter: true,
    source: 'Laporan kinerja Dinas Kesehatan 2026',
  };

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.signIn('admin');
    await t.dataSource.getRepository(OrgUnit).insert({
      id: randomUUID(),
      code: 'IND-UNIT',
      name: 'Dinas Uji Indikator',
      active: true,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
  });

  afterAll(() => t.close());

  it('an admin records, lists, corrects and deletes an indicator; each change is audited', async () => {
    const created = await admin.api.post('/api/v1/indicators').send(valid).expect(201);
    expect(created.body).toMatchObject({
      orgUnit: { code: 'IND-UNIT', name: 'Dinas Uji Indikator' },
      year: 2026,
      baselineValue: 14,
      resultValue: null,
      change: null,
      improved: null,
      lowerIsBetter: true,
    });
    const id = created.body.id as string;

    const listed = await admin.api.get('/api/v1/indicators').query({ year: 2026 }).expect(200);
    expect(listed.body.map((i: { id: string }) => i.id)).toEqual([id]);
    expect(
      (await admin.api.get('/api/v1/indicators').query({ year: 2025 }).expect(200)).body,
    ).toEqual([]);

    const patched = await admin.api
      .patch(`/api/v1/indicators/${id}`)
      .send({ resultValue: 9.5 })
      .expect(200);
    expect(patched.body).toMatchObject({ resultValue: 9.5, change: -4.5, improved: true });

    await admin.api.delete(`/api/v1/indicators/${id}`).expect(204);
    await admin.api.patch(`/api/v1/indicators/${id}`).send({ resultValue: 1 }).expect(404);
    expect(
      (await t.dataSource.getRepository(AuditEntry).findBy({ entityId: id }))
        .map((a) => a.action)
        .sort(),
    ).toEqual(['indicator.create', 'indicator.delete', 'indicator.update']);
  });

  it('nobody else may read or write them', async () => {
    const created = await admin.api.post('/api/v1/indicators').send(valid).expect(201);
    for (const role of ['asn', 'coordinator'] as const) {
      const other = await t.signIn(role);
      await other.api.get('/api/v1/indicators').expect(403);
      await other.api.post('/api/v1/indicators').send(valid).expect(403);
      await other.api
        .patch(`/api/v1/indicators/${created.body.id}`)
        .send({ resultValue: 1 })
        .expect(403);
      await other.api.delete(`/api/v1/indicators/${created.body.id}`).expect(403);
      const { agent } = await signInAgent(t, other.user.email!);
      await agent.get('/admin/indikator').expect(403);
    }
    await t.http.get('/api/v1/indicators').expect(401);
    await admin.api.delete(`/api/v1/indicators/${created.body.id}`).expect(204);
  });

  it.each([
    ['orgUnitCode', { orgUnitCode: 'TIDAK-ADA' }],
    ['year', { year: 1999 }],
    ['year', { year: 2026.5 }],
    ['baselineValue', { baselineValue: 'banyak' }],
    ['baselineValue', { baselineValue: 1e20 }],
    ['resultValue', { resultValue: -1e20 }],
    ['source', { source: '' }],
    ['source', { source: '   ' }],
    ['unit', { unit: '' }],
    ['name', { name: undefined }],
    ['lowerIsBetter', { lowerIsBetter: 'ya' }],
    ['schemeId', { schemeId: randomUUID() }],
    ['courseId', { courseId: randomUUID() }],
  ])('a bad %s is a 400 naming it, and nothing is saved', async (field, change) => {
    const res = await admin.api
      .post('/api/v1/indicators')
      .send({ ...valid, ...change })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await admin.api.get('/api/v1/indicators').query({ year: 2026 })).body).toEqual([]);
  });

  it('the page lists the year and its forms work without JavaScript', async () => {
    const { agent } = await signInAgent(t, admin.user.email!);
    const page = await agent.get('/admin/indikator?year=2026').expect(200);
    expect(page.text).toContain('Belum ada indikator');
    const bad = await agent
      .post('/admin/indikator')
      .type('form')
      .send({ _csrf: csrfOf(page.text), ...valid, year: '2026', baselineValue: '14', source: '' })
      .expect(400);
    expect(bad.text).toContain('aria-invalid="true"');
    await agent
      .post('/admin/indikator')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        ...valid,
        year: '2026',
        baselineValue: '14',
        lowerIsBetter: 'true',
      })
      .expect(303);
    const [indicator] = (await admin.api.get('/api/v1/indicators').query({ year: 2026 })).body;
    const edit = await agent.get(`/admin/indikator?year=2026&edit=${indicator.id}`).expect(200);
    expect(edit.text).toContain(`action="/admin/indikator/${indicator.id}"`);
    await agent
      .post(`/admin/indikator/${indicator.id}`)
      .type('form')
      .send({
        _csrf: csrfOf(edit.text),
        ...valid,
        year: '2026',
        baselineValue: '14',
        resultValue: '10,5',
        lowerIsBetter: 'true',
      })
      .expect(303);
    const after = await agent.get('/admin/indikator?year=2026').expect(200);
    expect(after.text).toContain('Dinas Uji Indikator');
    expect((await admin.api.get(`/api/v1/indicators`).query({ year: 2026 })).body[0]).toMatchObject(
      { resultValue: 10.5, change: -3.5, improved: true },
    );
    await agent
      .post(`/admin/indikator/${indicator.id}/hapus`)
      .type('form')
      .send({ _csrf: csrfOf(after.text) })
      .expect(303);
    expect((await admin.api.get('/api/v1/indicators').query({ year: 2026 })).body).toEqual([]);
  });
});
