import ExcelJS from 'exceljs';
import { bootTestApp, engine, TestApp, asBytes } from '../helpers/test-app.js';

/**
 * A prepared data set: two units, two positions in two sectors, known evidence.
 *   DINKES: 2 nurses (standard M.1≥2, M.5≥3); nurse A has M.1=3, M.5=3 (2/2); nurse B has M.1=1 (0/2, gap 1+3)
 *   DISDIK: 1 teacher (standard M.1≥3); teacher has M.1=3 expired (0/1, gap 3)
 */
describe(`gap reports (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let educationCoordinator: string;

  beforeAll(async () => {
    t = await bootTestApp();
    const adminUser = await t.createUser('admin');
    admin = await t.tokenFor(adminUser);
    educationCoordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
    for (const [code, name] of [
      ['DINKES', 'Dinas Kesehatan'],
      ['DISDIK', 'Dinas Pendidikan'],
    ]) {
      await t.as(admin).post('/api/v1/org-units').send({ code, name }).expect(201);
    }
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'PERAWAT', name: 'Perawat', kind: 'fungsional', sector: 'health' })
      .expect(201);
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'GURU', name: 'Guru', kind: 'fungsional', sector: 'education' })
      .expect(201);
    await t
      .as(admin)
      .put('/api/v1/positions/PERAWAT/standard')
      .send({
        items: [
          { competencyCode: 'M.1', level: 2 },
          { competencyCode: 'M.5', level: 3 },
        ],
      })
      .expect(200);
    await t
      .as(admin)
      .put('/api/v1/positions/GURU/standard')
      .send({ items: [{ competencyCode: 'M.1', level: 3 }] })
      .expect(200);
    const person = async (unit: string, position: string) => {
      const u = await t.createUser('asn');
      await t
        .as(admin)
        .patch(`/api/v1/users/${u.id}`)
        .send({ orgUnitCode: unit, positionCode: position })
        .expect(200);
      return u.id;
    };
    const evidence = (
      userId: string,
      competencyCode: string,
      level: number,
      extra: Record<string, string> = {},
    ) =>
      t
        .as(admin)
        .post(`/api/v1/users/${userId}/evidence`)
        .send({ competencyCode, level, reason: 'Data uji laporan', ...extra })
        .expect(201);
    const nurseA = await person('DINKES', 'PERAWAT');
    const nurseB = await person('DINKES', 'PERAWAT');
    const teacher = await person('DISDIK', 'GURU');
    await evidence(nurseA, 'M.1', 3);
    await evidence(nurseA, 'M.5', 3);
    await evidence(nurseB, 'M.1', 1);
    await evidence(teacher, 'M.1', 3, {
      achievedAt: '2023-01-01T00:00:00Z',
      expiresAt: '2024-01-01T00:00:00Z',
    });
  });
  afterAll(() => t.close());

  it('reports gaps by org unit, position and sector with the prepared numbers', async () => {
    const byUnit = await t
      .as(admin)
      .get('/api/v1/reports/gaps')
      .query({ by: 'org-unit' })
      .expect(200);
    expect(byUnit.body).toEqual([
      {
        key: 'DISDIK',
        name: 'Dinas Pendidikan',
        asn: 1,
        requirements: 1,
        met: 0,
        percentMet: 0,
        averageGap: 3,
      },
      {
        key: 'DINKES',
        name: 'Dinas Kesehatan',
        asn: 2,
        requirements: 4,
        met: 2,
        percentMet: 50,
        averageGap: 1,
      },
    ]);
    const bySector = await t
      .as(admin)
      .get('/api/v1/reports/gaps')
      .query({ by: 'sector' })
      .expect(200);
    expect(bySector.body.map((r: { key: string; met: number }) => [r.key, r.met])).toEqual([
      ['education', 0],
      ['health', 2],
    ]);
    const byPosition = await t
      .as(admin)
      .get('/api/v1/reports/gaps')
      .query({ by: 'position' })
      .expect(200);
    expect(byPosition.body.map((r: { key: string; asn: number }) => [r.key, r.asn])).toEqual([
      ['GURU', 1],
      ['PERAWAT', 2],
    ]);
    await t.as(admin).get('/api/v1/reports/gaps').query({ by: 'planet' }).expect(400);
  });

  it('builds the competency × org unit heatmap', async () => {
    const res = await t.as(admin).get('/api/v1/reports/gap-heatmap').expect(200);
    expect(res.body.orgUnits.map((u: { code: string }) => u.code)).toEqual(['DINKES', 'DISDIK']);
    const cell = (unit: string, code: string) =>
      res.body.cells.find(
        (c: { orgUnit: string; competency: string }) => c.orgUnit === unit && c.competency === code,
      );
    expect(cell('DINKES', 'M.1')).toEqual({
      orgUnit: 'DINKES',
      competency: 'M.1',
      requirements: 2,
      met: 1,
      percentMet: 50,
    });
    expect(cell('DINKES', 'M.5')).toEqual(expect.objectContaining({ met: 1, percentMet: 50 }));
    expect(cell('DISDIK', 'M.1')).toEqual(expect.objectContaining({ met: 0, percentMet: 0 }));
  });

  it('a coordinator sees only their sector’s numbers; an ASN none', async () => {
    const res = await t
      .as(educationCoordinator)
      .get('/api/v1/reports/gaps')
      .query({ by: 'org-unit' })
      .expect(200);
    expect(res.body.map((r: { key: string }) => r.key)).toEqual(['DISDIK']);
    const asn = await t.tokenFor(await t.createUser('asn'));
    await t.as(asn).get('/api/v1/reports/gaps').expect(403);
    await t.http.get('/api/v1/reports/gap-heatmap').expect(401);
  });

  it('exports the same numbers as CSV and XLSX with Indonesian headers', async () => {
    const csv = await t
      .as(admin)
      .get('/api/v1/reports/gaps')
      .query({ by: 'org-unit', format: 'csv' })
      .expect(200);
    expect(csv.text.replace(/^\uFEFF/, '').split('\n')[0]).toBe(
      'Kode Unit Kerja,Unit Kerja,Jumlah ASN,Jumlah Persyaratan,Terpenuhi,Persen Terpenuhi,Rata-rata Kesenjangan',
    );
    expect(csv.text).toContain('DINKES,Dinas Kesehatan,2,4,2,50,1');
    const xlsx = await t
      .as(admin)
      .get('/api/v1/reports/gap-heatmap')
      .query({ format: 'xlsx' })
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    const rows = workbook.worksheets[0]
      .getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows[0]).toEqual([
      'Unit Kerja',
      'Kode Kompetensi',
      'Jumlah Persyaratan',
      'Terpenuhi',
      'Persen Terpenuhi',
    ]);
    expect(rows).toContainEqual(['DINKES', 'M.1', 2, 1, 50]);
  });
});
