import ExcelJS from 'exceljs';
import { User } from '../../src/identity/user.entity.js';
import { nipProblem } from '../../src/identity/nip.js';
import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { aNip } from '../helpers/nip.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

const HEADER = 'NIP,Nama,Email,Unit Kerja,Jabatan,Peran';

describe(`user import (${engine})`, () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    for (const [code, name] of [
      ['DINKES', 'Dinas Kesehatan'],
      ['DISDIK', 'Dinas Pendidikan'],
    ]) {
      await t.as(admin).post('/api/v1/org-units').send({ code, name }).expect(201);
    }
  });
  afterAll(() => t.close());

  const post = (body: string | Buffer, query: Record<string, string> = {}, type = 'text/csv') =>
    t.as(admin).post('/api/v1/users/import').query(query).set('content-type', type).send(body);

  it('imports 1,000 rows with 10 bad ones: the dry run lists exactly those, applying creates 990, re-applying changes nothing', async () => {
    const lines = [HEADER];
    const bad = new Set<number>();
    const nips = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      let nip = aNip(i);
      expect(nipProblem(nip)).toBeNull();
      expect(nips.has(nip)).toBe(false);
      nips.add(nip);
      let unit = i % 2 ? 'DINKES' : 'Dinas Pendidikan';
      if (i % 100 === 7) {
        bad.add(i + 2);
        // Ten kinds of mistakes: bad dates, short NIPs, unknown units.
        if (i < 300) nip = nip.slice(0, 4) + '1332' + nip.slice(8);
        else if (i < 600) nip = nip.slice(0, 17);
        else unit = 'Dinas Tidak Ada';
      }
      lines.push(`${nip},Pegawai Uji ${i},pegawai${i}@uji.example,${unit},,ASN`);
    }
    const csv = lines.join('\n');

    const dry = await post(csv, { dryRun: 'true' }).expect(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.summary).toEqual({ create: 990, update: 0, unchanged: 0, error: 10 });
    const errorRows = dry.body.rows.filter((r: { outcome: string }) => r.outcome === 'error');
    expect(new Set(errorRows.map((r: { line: number }) => r.line))).toEqual(bad);
    for (const row of errorRows) expect(row.errors[0]).toEqual(expect.any(String));
    expect(await t.dataSource.getRepository(User).countBy({ role: 'asn' })).toBe(0);

    const applied = await post(csv).expect(200);
    expect(applied.body.summary.create).toBe(990);
    expect(applied.body.credentials).toHaveLength(990);
    expect(
      await t.dataSource.getRepository(User).countBy({ role: 'asn', mustChangePassword: true }),
    ).toBe(990);

    const again = await post(csv).expect(200);
    expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 990, error: 10 });
    expect(again.body.credentials).toEqual([]);
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'user.import' })).toBe(2);

    const first = applied.body.credentials[0];
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: first.nip, password: first.temporaryPassword })
      .expect(200);
    expect(login.body.passwordChangeRequired).toBe(true);
    expect(login.body.user.orgUnit).toEqual({ code: 'DISDIK', name: 'Dinas Pendidikan' });
  });

  it('updates by NIP from an XLSX file, as multipart, semicolon-free', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Pegawai');
    sheet.addRow(['NIP', 'Nama', 'Email', 'Unit Kerja', 'Jabatan', 'Peran', 'Sektor']);
    sheet.addRow([
      aNip(1),
      'Pegawai Uji 1 (pindah)',
      'pegawai1@uji.example',
      'DISDIK',
      '',
      'Koordinator',
      'health',
    ]);
    sheet.addRow([aNip(5000), 'Pegawai Baru', '', 'DINKES', '', '', '']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await t
      .as(admin)
      .post('/api/v1/users/import')
      .attach('file', buffer, 'pegawai.xlsx')
      .expect(200);
    expect(res.body.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['update', 'create']);
    expect(res.body.rows[0].changes).toEqual(['Nama', 'Unit Kerja', 'Peran', 'Sektor']);
    const moved = await t.dataSource.getRepository(User).findOneByOrFail({ nip: aNip(1) });
    expect(moved).toEqual(
      expect.objectContaining({
        role: 'coordinator',
        sectors: ['health'],
        name: 'Pegawai Uji 1 (pindah)',
      }),
    );
  });

  it('reads semicolon CSV with a BOM, and reports duplicates inside the file', async () => {
    const csv =
      '\uFEFFNIP;Nama;Email\n' +
      `${aNip(7000)};Satu;satu@uji.example\n${aNip(7000)};Dua;dua@uji.example\n`;
    const res = await post(csv, { dryRun: 'true' }).expect(200);
    expect(res.body.rows[1]).toEqual(
      expect.objectContaining({ line: 3, outcome: 'error', errors: ['NIP sama dengan baris 2'] }),
    );
  });

  it('refuses files it cannot read with 400, and non-admins with 401/403', async () => {
    const noHeader = await post('nama,email\nx,y', { dryRun: 'true' }).expect(400);
    expect(noHeader.body.errors[0].field).toBe('file');
    await post(Buffer.from('PK\u0003\u0004garbage'), {}, 'application/octet-stream').expect(400);
    await t
      .as(admin)
      .post('/api/v1/users/import')
      .set('content-type', 'application/json')
      .send({})
      .expect(400);
    await t.http
      .post('/api/v1/users/import')
      .set('content-type', 'text/csv')
      .send(HEADER)
      .expect(401);
    const asn = await t.tokenFor(await t.createUser('asn'));
    await t
      .as(asn)
      .post('/api/v1/users/import')
      .set('content-type', 'text/csv')
      .send(HEADER)
      .expect(403);
  });
});
