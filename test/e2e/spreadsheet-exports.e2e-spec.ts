import { randomUUID } from 'node:crypto';
import { Position } from '../../src/competency/position.entity.js';
import { OrgUnit } from '../../src/identity/org-unit.entity.js';
import { JpCredit } from '../../src/learning/enrollment.entity.js';
import { byHeader, openCsvAsIndonesianExcel, openXlsx } from '../helpers/excel.js';
import { aNip } from '../helpers/nip.js';
import { asBytes, bootTestApp, engine, signInAgent, TestApp } from '../helpers/test-app.js';

const YEAR = new Date().getUTCFullYear();
const NIP = aNip(4242);

/**
 * Exports as office PCs open them (ADR 0030): a `;` CSV for Indonesian Excel, a `,` CSV for
 * scripts, XLSX with typed cells; and the imports take back what the exports wrote.
 */
describe(`spreadsheet exports and imports (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let adminEmail: string;

  beforeAll(async () => {
    t = await bootTestApp();
    const adminUser = await t.createUser('admin');
    adminEmail = adminUser.email!;
    admin = await t.tokenFor(adminUser);
    // A code of digits, as many offices number their units: Excel would make it 102.
    await t
      .as(admin)
      .post('/api/v1/org-units')
      .send({ code: '0102', name: 'Dinas Kesehatan' })
      .expect(201);
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: '0301', name: 'Perawat Ahli', kind: 'fungsional', sector: 'health' })
      .expect(201);
    await t
      .as(admin)
      .put('/api/v1/positions/0301/standard')
      .send({
        items: [
          { competencyCode: 'M.1', level: 2 },
          { competencyCode: 'M.2', level: 3 },
        ],
      })
      .expect(200);
    const nurse = await t.createUser('asn', {
      nip: NIP,
      name: 'Siti Aminah, S.Kep.',
      orgUnitId: (await t.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: '0102' })).id,
      positionId: (await t.dataSource.getRepository(Position).findOneByOrFail({ code: '0301' })).id,
    });
    await t.dataSource.getRepository(JpCredit).insert({
      id: randomUUID(),
      userId: nurse.id,
      year: YEAR,
      jp: 19.5,
      source: 'external',
      sourceId: randomUUID(),
      title: 'Diklat Triase',
      startedAt: new Date(Date.UTC(YEAR, 2, 9, 2)),
      completedAt: new Date(Date.UTC(YEAR, 2, 10, 8)),
      createdAt: new Date(),
    });
  });
  afterAll(() => t.close());

  const jp = (query: Record<string, string>, headers: Record<string, string> = {}) => {
    const req = t
      .as(admin)
      .get('/api/v1/reports/jp')
      .query({ year: String(YEAR), ...query });
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req.buffer(true).parse(asBytes);
  };

  it('a request in Indonesian gets a ; CSV that Indonesian Excel opens in columns, NIP intact', async () => {
    const res = await jp({ format: 'csv' }, { 'accept-language': 'id-ID,id;q=0.9,en;q=0.5' });
    expect(res.status).toBe(200);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFFNIP;Nama;Unit Kerja;')).toBe(true);
    expect(text).toContain('\r\n');
    const [row] = byHeader(openCsvAsIndonesianExcel(res.body as Buffer));
    expect(row).toEqual({
      NIP,
      Nama: 'Siti Aminah, S.Kep.',
      'Unit Kerja': 'Dinas Kesehatan',
      'Nama Pelatihan': 'Diklat Triase',
      'Jenis Pelatihan': 'e-learning',
      'Tanggal Mulai': new Date(Date.UTC(YEAR, 2, 9)),
      'Tanggal Selesai': new Date(Date.UTC(YEAR, 2, 10)),
      JP: 19.5,
    });
    expect(row.NIP).toHaveLength(18);

    // The language cookie the pages set says the same.
    const byCookie = await jp({ format: 'csv' }, { cookie: 'sa_lang=id' });
    expect((byCookie.body as Buffer).toString('utf8')).toBe(text);
  });

  it('an API call without a language keeps the comma (and LF) scripts have been reading', async () => {
    const res = await jp({ format: 'csv' }).expect(200);
    const lines = (res.body as Buffer)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\n');
    expect(lines[0]).toBe(
      'NIP,Nama,Unit Kerja,Nama Pelatihan,Jenis Pelatihan,Tanggal Mulai,Tanggal Selesai,JP',
    );
    expect(lines[1]).toBe(
      `"=""${NIP}""","Siti Aminah, S.Kep.",Dinas Kesehatan,Diklat Triase,e-learning,${YEAR}-03-09,${YEAR}-03-10,19.5`,
    );
    // Opened in Indonesian Excel, a comma file is one column: why `;` is the Indonesian default.
    expect(openCsvAsIndonesianExcel(`${lines[0]}\r\n`)[0]).toHaveLength(1);
  });

  it('?delimiter= wins over the language, and anything else is a 400 naming it', async () => {
    const comma = await jp(
      { format: 'csv', delimiter: 'comma' },
      { 'accept-language': 'id', cookie: 'sa_lang=id' },
    ).expect(200);
    expect((comma.body as Buffer).toString('utf8')).toMatch(/^\uFEFFNIP,Nama,/);
    const semicolon = await jp({ format: 'csv', delimiter: 'semicolon' }).expect(200);
    expect((semicolon.body as Buffer).toString('utf8')).toMatch(/^\uFEFFNIP;Nama;/);

    for (const [path, query] of [
      ['/api/v1/reports/jp', { format: 'csv', delimiter: 'tab' }],
      ['/api/v1/reports/workforce', { format: 'csv', delimiter: ';' }],
      ['/api/v1/positions/standards/export', { format: 'csv', delimiter: 'pipe' }],
      ['/api/v1/reports/gaps', { format: 'csv', delimiter: '' }],
    ] as const) {
      const bad = await t.as(admin).get(path).query(query).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('delimiter');
    }
  });

  it('XLSX: NIP a string of 18 characters formatted as text, dates date cells, JP a number', async () => {
    const res = await jp({ format: 'xlsx' }).expect(200);
    const { rows, sheet } = await openXlsx(res.body as Buffer);
    const [row] = byHeader(rows);
    expect(typeof row.NIP).toBe('string');
    expect(row.NIP).toBe(NIP);
    expect(sheet.getCell('A2').numFmt).toBe('@');
    expect(row['Tanggal Selesai']).toBeInstanceOf(Date);
    expect(row['Tanggal Selesai']).toEqual(new Date(Date.UTC(YEAR, 2, 10)));
    expect(sheet.getCell('G2').numFmt).toBe('dd/mm/yyyy');
    expect(row.JP).toBe(19.5);
  });

  it('report codes of digits stay text in CSV and XLSX', async () => {
    const csv = await t
      .as(admin)
      .get('/api/v1/reports/workforce')
      .query({ format: 'csv', delimiter: 'semicolon' })
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    const rows = byHeader(openCsvAsIndonesianExcel(csv.body as Buffer));
    expect(rows).toContainEqual(
      expect.objectContaining({ 'Kode Unit Kerja': '0102', 'Jumlah ASN': 1 }),
    );
    const xlsx = await t
      .as(admin)
      .get('/api/v1/reports/workforce')
      .query({ format: 'xlsx' })
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    expect(byHeader((await openXlsx(xlsx.body as Buffer)).rows)).toContainEqual(
      expect.objectContaining({ 'Kode Unit Kerja': '0102', 'Jumlah ASN': 1 }),
    );
  });

  it.each([
    ['a ; CSV', { format: 'csv', delimiter: 'semicolon' }, 'text/csv'],
    ['a , CSV', { format: 'csv', delimiter: 'comma' }, 'text/csv'],
    [
      'an XLSX',
      { format: 'xlsx' },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
  ])(
    'competency standards: %s export comes back through the import unchanged',
    async (_, query, type) => {
      const exported = await t
        .as(admin)
        .get('/api/v1/positions/standards/export')
        .query({ ...query, position: '0301' })
        .buffer(true)
        .parse(asBytes)
        .expect(200);
      await t
        .as(admin)
        .put('/api/v1/positions/0301/standard')
        .send({ items: [{ competencyCode: 'M.1', level: 5 }] })
        .expect(200);
      const imported = await t
        .as(admin)
        .post('/api/v1/positions/standards/import')
        .set('content-type', type)
        .send(exported.body as Buffer)
        .expect(200);
      expect(imported.body).toEqual({ positions: 1, requirements: 2, skipped: [] });
      const position = await t.as(admin).get('/api/v1/positions/0301').expect(200);
      const items = position.body.standard as { competencyCode: string; level: number }[];
      expect(
        items
          .map((i): [string, number] => [i.competencyCode, i.level])
          .sort(([a], [b]) => a.localeCompare(b)),
      ).toEqual([
        ['M.1', 2],
        ['M.2', 3],
      ]);
    },
  );

  it.each([
    ['a ; CSV', { format: 'csv', delimiter: 'semicolon' }, 'text/csv'],
    [
      'an XLSX',
      { format: 'xlsx' },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
  ])('the user import takes %s the reports wrote, NIP intact', async (_, query, type) => {
    const exported = await jp(query).expect(200);
    const dry = await t
      .as(admin)
      .post('/api/v1/users/import')
      .query({ dryRun: 'true' })
      .set('content-type', type)
      .send(exported.body as Buffer)
      .expect(200);
    expect(dry.body.rows).toEqual([
      expect.objectContaining({ line: 2, nip: NIP, name: 'Siti Aminah, S.Kep.' }),
    ]);
    expect(dry.body.rows[0].outcome).not.toBe('error');
  });

  it('pages offer XLSX first, and CSV with the delimiter their reader needs', async () => {
    const { agent } = await signInAgent(t, adminEmail);
    const indonesian = await agent.get('/laporan').expect(200);
    const links = [...indonesian.text.matchAll(/href="([^"]*format=(?:csv|xlsx)[^"]*)"/g)].map(
      (m) => m[1].replace(/&amp;/g, '&'),
    );
    expect(links.length).toBeGreaterThan(0);
    expect(links[0]).toContain('format=xlsx');
    const csvLinks = links.filter((l) => l.includes('format=csv'));
    expect(csvLinks.length).toBeGreaterThan(0);
    for (const link of csvLinks) expect(link).toContain('delimiter=semicolon');
    const file = await agent.get(csvLinks[0]).buffer(true).parse(asBytes).expect(200);
    expect((file.body as Buffer).toString('utf8')).toMatch(/^\uFEFF[^\r\n,]+;/);

    const english = await agent.get('/laporan').set('accept-language', 'en').expect(200);
    expect(english.text).toContain('format=csv&amp;delimiter=comma');
    expect(english.text).not.toContain('delimiter=semicolon');

    for (const path of ['/admin/jabatan', '/admin/jabatan/0301', '/laporan/kesenjangan']) {
      const page = await agent.get(path).expect(200);
      const offers = [...page.text.matchAll(/format=(csv|xlsx)/g)].map((m) => m[1]);
      expect(offers[0]).toBe('xlsx');
      expect(offers).toContain('csv');
      expect(page.text).not.toMatch(/format=csv"/);
    }
  });
});
