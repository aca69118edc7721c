import ExcelJS from 'exceljs';
import { bootTestApp, engine, TestApp, asBytes } from '../helpers/test-app.js';

const levels = (prefix: string) =>
  [1, 2, 3, 4, 5].map((level) => ({
    level,
    description: `${prefix} level ${level}`,
    indicators: [`Indikator ${level}`],
  }));

describe(`competencies, standards, evidence and gaps (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let healthCoordinator: string;
  let educationCoordinator: string;
  let asnId: string;
  let asn: string;
  let otherAsn: string;
  let positionId: string;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    healthCoordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['health'] }),
    );
    educationCoordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
    const nurse = await t.createUser('asn', { nip: '199003152015032001' });
    asnId = nurse.id;
    asn = await t.tokenFor(nurse);
    otherAsn = await t.tokenFor(await t.createUser('asn'));
  });
  afterAll(() => t.close());

  it('ships the national managerial and socio-cultural competencies with five levels', async () => {
    const res = await t.as(asn).get('/api/v1/competencies').expect(200);
    const codes = res.body.map((c: { code: string }) => c.code);
    expect(codes).toEqual(
      expect.arrayContaining(['M.1', 'M.2', 'M.3', 'M.4', 'M.5', 'M.6', 'M.7', 'M.8', 'SK.1']),
    );
    const integrity = res.body.find((c: { code: string }) => c.code === 'M.1');
    expect(integrity).toEqual(
      expect.objectContaining({ title: 'Integritas', type: 'manajerial', sector: null }),
    );
    expect(integrity.levels).toHaveLength(5);
    const filtered = await t
      .as(asn)
      .get('/api/v1/competencies')
      .query({ type: 'sosial-kultural' })
      .expect(200);
    expect(filtered.body.map((c: { code: string }) => c.code)).toEqual(['SK.1']);
    await t.http.get('/api/v1/competencies').expect(401);
  });

  it('a coordinator adds technical competencies of their own sector only', async () => {
    const body = {
      code: 'KES.PPI',
      title: 'Pencegahan dan Pengendalian Infeksi',
      description: 'Menerapkan PPI di fasilitas kesehatan.',
      type: 'teknis',
      sector: 'health',
      levels: levels('PPI'),
    };
    const created = await t
      .as(healthCoordinator)
      .post('/api/v1/competencies')
      .send(body)
      .expect(201);
    expect(created.body).toEqual(expect.objectContaining({ code: 'KES.PPI', sector: 'health' }));
    await t
      .as(educationCoordinator)
      .post('/api/v1/competencies')
      .send({ ...body, code: 'KES.X' })
      .expect(403);
    await t
      .as(asn)
      .post('/api/v1/competencies')
      .send({ ...body, code: 'KES.Y' })
      .expect(403);
    await t.as(admin).post('/api/v1/competencies').send(body).expect(409);
    const noSector = await t
      .as(admin)
      .post('/api/v1/competencies')
      .send({ ...body, code: 'KES.Z', sector: undefined })
      .expect(400);
    expect(noSector.body.errors[0].field).toBe('sector');
    const fourLevels = await t
      .as(admin)
      .post('/api/v1/competencies')
      .send({ ...body, code: 'KES.W', levels: levels('x').slice(0, 4) })
      .expect(400);
    expect(fourLevels.body.errors[0].field).toBe('levels');
    await t.as(admin).get('/api/v1/competencies/NOPE').expect(404);
  });

  it('admin builds a position and its standard; others may not', async () => {
    const created = await t
      .as(admin)
      .post('/api/v1/positions')
      .send({
        code: 'PERAWAT-AP',
        name: 'Perawat Ahli Pertama',
        kind: 'fungsional',
        sector: 'health',
        orgUnitCodes: [],
      })
      .expect(201);
    positionId = created.body.id;
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'PERAWAT-AP', name: 'Lagi', kind: 'fungsional' })
      .expect(409);
    // A second position of the same name is made only on purpose (ADR 0028).
    const namesake = await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'KES-PERAWAT-2', name: '  perawat ahli pertama ', kind: 'fungsional' })
      .expect(409);
    expect(namesake.body).toMatchObject({
      statusCode: 409,
      code: 'position.duplicate_name',
      details: { existingCodes: 'PERAWAT-AP' },
    });
    expect(namesake.body.message).toContain('PERAWAT-AP');
    await t.as(admin).get('/api/v1/positions/KES-PERAWAT-2').expect(404);
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({
        code: 'KES-PERAWAT-2',
        name: 'Perawat Ahli Pertama',
        kind: 'fungsional',
        confirmDuplicateName: 'ya',
      })
      .expect(400);
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({
        code: 'KES-PERAWAT-2',
        name: 'Perawat Ahli Pertama',
        kind: 'fungsional',
        confirmDuplicateName: true,
      })
      .expect(201);
    await t.as(admin).delete('/api/v1/positions/KES-PERAWAT-2').expect(204);
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'X', name: 'Jenis salah', kind: 'lainnya' })
      .expect(400);
    const badUnit = await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'X', name: 'Unit salah', kind: 'pelaksana', orgUnitCodes: ['NOPE'] })
      .expect(400);
    expect(badUnit.body.errors[0].field).toBe('orgUnitCodes');
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'SEMENTARA', name: 'Jabatan sementara', kind: 'pelaksana' })
      .expect(201);
    await t.as(healthCoordinator).delete('/api/v1/positions/SEMENTARA').expect(403);
    await t.as(admin).delete('/api/v1/positions/SEMENTARA').expect(204);
    await t.as(admin).delete('/api/v1/positions/SEMENTARA').expect(404);
    await t
      .as(healthCoordinator)
      .post('/api/v1/positions')
      .send({ code: 'Y', name: 'Tidak boleh', kind: 'pelaksana' })
      .expect(403);

    const standard = {
      items: [
        { competencyCode: 'M.1', level: 2 },
        { competencyCode: 'M.5', level: 3 },
        { competencyCode: 'KES.PPI', level: 3 },
      ],
    };
    const put = await t
      .as(admin)
      .put(`/api/v1/positions/${positionId}/standard`)
      .send(standard)
      .expect(200);
    expect(
      put.body.standard
        .map((l: { competencyCode: string; level: number }) => `${l.competencyCode}:${l.level}`)
        .sort(),
    ).toEqual(['KES.PPI:3', 'M.1:2', 'M.5:3']);
    const unknown = await t
      .as(admin)
      .put(`/api/v1/positions/${positionId}/standard`)
      .send({ items: [{ competencyCode: 'NOPE', level: 2 }] })
      .expect(400);
    expect(unknown.body.message).toContain('NOPE');
    await t
      .as(admin)
      .put(`/api/v1/positions/${positionId}/standard`)
      .send({ items: [{ competencyCode: 'M.1', level: 6 }] })
      .expect(400);
    await t
      .as(healthCoordinator)
      .put(`/api/v1/positions/${positionId}/standard`)
      .send(standard)
      .expect(403);
    await t
      .as(admin)
      .put('/api/v1/positions/00000000-0000-0000-0000-000000000000/standard')
      .send(standard)
      .expect(404);
    // The standard was not touched by the refused attempts.
    const read = await t.as(healthCoordinator).get(`/api/v1/positions/${positionId}`).expect(200);
    expect(read.body.standard).toHaveLength(3);
    await t.as(educationCoordinator).get(`/api/v1/positions/${positionId}`).expect(404);
  });

  it('the ASN has no gaps to show until assigned; then gaps follow evidence', async () => {
    const before = await t.as(asn).get('/api/v1/me/gaps').expect(200);
    expect(before.body).toEqual(
      expect.objectContaining({
        position: null,
        items: [],
        reason: expect.stringContaining('jabatan'),
      }),
    );

    await t
      .as(admin)
      .post(`/api/v1/positions/${positionId}/assignments`)
      .send({ users: ['199003152015032001', 'tidak-ada'] })
      .expect(200, { assigned: 1, unknown: ['tidak-ada'] });
    const assigned = await t.as(asn).get('/api/v1/me/gaps').expect(200);
    expect(assigned.body.position).toEqual({ code: 'PERAWAT-AP', name: 'Perawat Ahli Pertama' });
    expect(assigned.body.summary).toEqual({ required: 3, met: 0, percentMet: 0, totalGap: 8 });
    expect(assigned.body.items[0]).toEqual(
      expect.objectContaining({
        requiredLevel: 3,
        achievedLevel: 0,
        gap: 3,
        met: false,
        recommendations: { courses: [], schemes: [] },
      }),
    );

    await t
      .as(healthCoordinator)
      .post(`/api/v1/users/${asnId}/evidence`)
      .send({
        competencyCode: 'KES.PPI',
        level: 4,
        reason: 'Sertifikat PPI dari lembaga sertifikasi profesi 2025',
      })
      .expect(201);
    await t
      .as(admin)
      .post(`/api/v1/users/${asnId}/evidence`)
      .send({
        competencyCode: 'M.1',
        level: 3,
        reason: 'Hasil asesmen manajerial BKPSDM',
        achievedAt: '2024-01-10T00:00:00Z',
        expiresAt: '2025-01-10T00:00:00Z',
      })
      .expect(201);
    await t
      .as(admin)
      .post(`/api/v1/users/${asnId}/evidence`)
      .send({ competencyCode: 'M.5', level: 2, reason: 'Penilaian atasan langsung' })
      .expect(201);
    const after = await t.as(asn).get('/api/v1/me/gaps').expect(200);
    const byCode = Object.fromEntries(
      after.body.items.map((i: { competency: { code: string } }) => [i.competency.code, i]),
    );
    expect(byCode['KES.PPI']).toEqual(
      expect.objectContaining({ achievedLevel: 4, gap: 0, met: true }),
    );
    expect(byCode['M.1']).toEqual(expect.objectContaining({ achievedLevel: 0, gap: 2 })); // expired evidence ignored
    expect(byCode['M.5']).toEqual(expect.objectContaining({ achievedLevel: 2, gap: 1 }));
    expect(after.body.summary).toEqual({ required: 3, met: 1, percentMet: 33, totalGap: 3 });

    const evidence = await t.as(asn).get('/api/v1/me/evidence').expect(200);
    expect(evidence.body.map((e: { valid: boolean }) => e.valid).sort()).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('scopes gaps and evidence: coordinators by sector, ASN to themselves', async () => {
    await t.as(healthCoordinator).get(`/api/v1/users/${asnId}/gaps`).expect(200);
    await t.as(educationCoordinator).get(`/api/v1/users/${asnId}/gaps`).expect(403);
    await t.as(otherAsn).get(`/api/v1/users/${asnId}/gaps`).expect(403);
    await t.as(admin).get(`/api/v1/users/${asnId}/gaps`).expect(200);
    await t.as(admin).get('/api/v1/users/00000000-0000-0000-0000-000000000000/gaps').expect(404);
    await t.as(educationCoordinator).get(`/api/v1/users/${asnId}/evidence`).expect(403);
    await t
      .as(educationCoordinator)
      .post(`/api/v1/users/${asnId}/evidence`)
      .send({ competencyCode: 'M.2', level: 2, reason: 'Bukan sektor saya' })
      .expect(403);
    await t
      .as(asn)
      .post(`/api/v1/users/${asnId}/evidence`)
      .send({ competencyCode: 'M.2', level: 5, reason: 'Menilai diri sendiri' })
      .expect(403);
    const bad = await t
      .as(admin)
      .post(`/api/v1/users/${asnId}/evidence`)
      .send({ competencyCode: 'M.2', level: 2, reason: 'x' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('reason');
    await t.http.get('/api/v1/me/gaps').expect(401);
    const held = await t.as(admin).delete(`/api/v1/positions/${positionId}`).expect(409);
    expect(held.body.message).toContain('masih dipegang');
  });

  it('attaches a PDF to manual evidence and serves it safely; refuses other file types', async () => {
    const list = await t.as(admin).get(`/api/v1/users/${asnId}/evidence`).expect(200);
    const id = list.body[0].id;
    await t
      .as(admin)
      .post(`/api/v1/evidence/${id}/attachment`)
      .attach('file', Buffer.from('MZ not a pdf'), 'virus.pdf')
      .expect(400);
    const pdf = Buffer.from('%PDF-1.4\n% sertifikat\n');
    await t
      .as(admin)
      .post(`/api/v1/evidence/${id}/attachment`)
      .attach('file', pdf, 'sertifikat.pdf')
      .expect(200);
    const res = await t.as(asn).get(`/api/v1/evidence/${id}/attachment`).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    await t.as(otherAsn).get(`/api/v1/evidence/${id}/attachment`).expect(403);
  });

  it('copies, exports and imports standards as CSV and XLSX', async () => {
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'PERAWAT-AM', name: 'Perawat Ahli Muda', kind: 'fungsional', sector: 'health' })
      .expect(201);
    const copied = await t
      .as(admin)
      .post('/api/v1/positions/PERAWAT-AM/standard/copy')
      .send({ fromPositionCode: 'PERAWAT-AP' })
      .expect(200);
    expect(copied.body.standard).toHaveLength(3);

    const csv = await t
      .as(admin)
      .get('/api/v1/positions/standards/export')
      .query({ format: 'csv', position: 'PERAWAT-AP' })
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain('Kode Jabatan,Nama Jabatan,Kode Kompetensi,Nama Kompetensi,Level');
    expect(csv.text).toContain('PERAWAT-AP,Perawat Ahli Pertama,KES.PPI');

    const xlsx = await t
      .as(admin)
      .get('/api/v1/positions/standards/export')
      .query({ format: 'xlsx' })
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    expect(workbook.worksheets[0].rowCount).toBe(7); // header + 3 + 3
    await t
      .as(admin)
      .get('/api/v1/positions/standards/export')
      .query({ format: 'pdf' })
      .expect(400);

    const file =
      'Kode Jabatan,Kode Kompetensi,Level\nPERAWAT-AM,M.1,3\nPERAWAT-AM,M.3,2\nPERAWAT-AM,NOPE,2\nTIDAK-ADA,M.1,1\nPERAWAT-AM,M.4,9\n';
    const imported = await t
      .as(admin)
      .post('/api/v1/positions/standards/import')
      .set('content-type', 'text/csv')
      .send(file)
      .expect(200);
    expect(imported.body).toEqual({
      positions: 1,
      requirements: 2,
      skipped: [
        expect.objectContaining({ line: 4 }),
        expect.objectContaining({ line: 5 }),
        expect.objectContaining({ line: 6 }),
      ],
    });
    const after = await t.as(admin).get('/api/v1/positions/PERAWAT-AM').expect(200);
    expect(
      after.body.standard.map(
        (l: { competencyCode: string; level: number }) => `${l.competencyCode}:${l.level}`,
      ),
    ).toEqual(['M.1:3', 'M.3:2']);
    await t
      .as(healthCoordinator)
      .post('/api/v1/positions/standards/import')
      .set('content-type', 'text/csv')
      .send(file)
      .expect(403);
  });

  it('the user import assigns positions by the Jabatan column, and PATCH /users/:id by positionCode', async () => {
    const csv =
      'NIP,Nama,Jabatan\n198807202014031002,dr. Fadli Nasution,Perawat Ahli Muda\n198512102010012003,Siti Aminah,JABATAN-TIDAK-ADA\n';
    const res = await t
      .as(admin)
      .post('/api/v1/users/import')
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(res.body.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['create', 'error']);
    expect(res.body.rows[1].errors).toEqual(['Jabatan "JABATAN-TIDAK-ADA" tidak dikenal']);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: '198807202014031002', password: res.body.credentials[0].temporaryPassword })
      .expect(200);
    expect(login.body.user.position).toEqual({ code: 'PERAWAT-AM', name: 'Perawat Ahli Muda' });

    const user = await t.createUser('asn');
    const patched = await t
      .as(admin)
      .patch(`/api/v1/users/${user.id}`)
      .send({ positionCode: 'PERAWAT-AP' })
      .expect(200);
    expect(patched.body.position).toEqual({ code: 'PERAWAT-AP', name: 'Perawat Ahli Pertama' });
    await t.as(admin).patch(`/api/v1/users/${user.id}`).send({ positionCode: 'NOPE' }).expect(400);
  });
});
