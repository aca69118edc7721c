import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { Certificate, CertificationScheme } from '../../src/certification/certification.entity.js';
import { Position } from '../../src/competency/position.entity.js';
import { Course } from '../../src/learning/course.entity.js';
import { Enrollment, JpCredit } from '../../src/learning/enrollment.entity.js';
import { OrgUnit } from '../../src/identity/org-unit.entity.js';
import { bootTestApp, engine, signInAgent, TestApp, asBytes } from '../helpers/test-app.js';

const DAY = 86_400_000;
const YEAR = new Date().getUTCFullYear();
const inYear = (month: number, day: number) => new Date(Date.UTC(YEAR, month - 1, day, 8));

/** Three single-choice questions; option "Benar" is the key of each. */
const GIFT = [
  '::Q1:: Pertanyaan satu? {=Benar ~Salah ~Ragu}',
  '::Q2:: Pertanyaan dua? {=Benar ~Salah ~Ragu}',
  '::Q3:: Pertanyaan tiga? {=Benar ~Salah ~Ragu}',
].join('\n\n');

/**
 * The candidates' answers, as in a worked example (1 = "Benar", the key):
 *
 *        Q1 Q2 Q3   percent
 *   h1    1  1  0    66.67
 *   h2    1  1  1   100
 *   h3    1  0  1    66.67
 *   h4    0  0  1    33.33
 *
 * Facility: Q1 .75, Q2 .5, Q3 .75. Discrimination (item vs the rest of the test):
 * Q1 x=(1,1,1,0) y=(1,2,1,1): Σdxdy .25 / √(.75·.75) = 0.3333;
 * Q2 x=(1,1,0,0) y=(1,2,2,1): Σdxdy 0 → 0;
 * Q3 x=(0,1,1,1) y=(2,2,1,0): Σdxdy -.75 / √(.75·2.75) = -0.5222 → flagged.
 */
const ANSWERS: Record<string, [boolean, boolean, boolean]> = {
  h1: [true, true, false],
  h2: [true, true, true],
  h3: [true, false, true],
  h4: [false, false, true],
};

type Row = Record<string, unknown>;

async function xlsxRows(body: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The response body as bytes (XLSX). */
const asBuffer = (req: ReturnType<TestApp['http']['get']>) => req.buffer(true).parse(asBytes);

/**
 * Every report's numbers on a prepared data set, on both engines:
 *   DINKES: four nurses (health) h1–h4; DISDIK: one teacher (education) e1.
 */
describe(`reports and dashboards (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let adminEmail: string;
  const asnEmails: Record<string, string> = {};
  let health: string;
  let healthEmail: string;
  let asnTokens: Record<string, string>;
  const ids: Record<string, string> = {};
  let healthExam: string;
  let educationExam: string;

  beforeAll(async () => {
    t = await bootTestApp();
    const adminUser = await t.createUser('admin');
    adminEmail = adminUser.email!;
    admin = await t.tokenFor(adminUser);
    const healthUser = await t.createUser('coordinator', { sectors: ['health'] });
    healthEmail = healthUser.email!;
    health = await t.tokenFor(healthUser);
    const education = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
    for (const [code, name] of [
      ['DINKES', 'Dinas Kesehatan'],
      ['DISDIK', 'Dinas Pendidikan'],
    ])
      await t.as(admin).post('/api/v1/org-units').send({ code, name }).expect(201);
    for (const [code, name, sector] of [
      ['PERAWAT', 'Perawat', 'health'],
      ['GURU', 'Guru', 'education'],
    ])
      await t
        .as(admin)
        .post('/api/v1/positions')
        .send({ code, name, kind: 'fungsional', sector })
        .expect(201);
    await t
      .as(admin)
      .put('/api/v1/positions/PERAWAT/standard')
      .send({ items: [{ competencyCode: 'M.1', level: 2 }] })
      .expect(200);
    const unit = async (code: string) =>
      (await t.dataSource.getRepository(OrgUnit).findOneByOrFail({ code })).id;
    const position = async (code: string) =>
      (await t.dataSource.getRepository(Position).findOneByOrFail({ code })).id;
    const people: [string, string, string][] = [
      ['h1', 'DINKES', 'PERAWAT'],
      ['h2', 'DINKES', 'PERAWAT'],
      ['h3', 'DINKES', 'PERAWAT'],
      ['h4', 'DINKES', 'PERAWAT'],
      ['e1', 'DISDIK', 'GURU'],
    ];
    asnTokens = {};
    for (const [key, unitCode, positionCode] of people) {
      const user = await t.createUser('asn', {
        name: `ASN ${key}`,
        orgUnitId: await unit(unitCode),
        positionId: await position(positionCode),
      });
      ids[key] = user.id;
      asnEmails[key] = user.email!;
      asnTokens[key] = await t.tokenFor(user);
    }

    // JP: h1 20 (12 + 8), h2 19.5, h3 none this year (40 last year), h4 25, e1 30.
    const credit = (user: string, jp: number, year = YEAR) => ({
      id: randomUUID(),
      userId: ids[user],
      year,
      jp,
      source: 'external',
      sourceId: randomUUID(),
      title: 'Diklat',
      startedAt: inYear(1, 2),
      completedAt: inYear(1, 3),
      createdAt: new Date(),
    });
    await t.dataSource
      .getRepository(JpCredit)
      .insert([
        credit('h1', 12),
        credit('h1', 8),
        credit('h2', 19.5),
        credit('h3', 40, YEAR - 1),
        credit('h4', 25),
        credit('e1', 30),
      ]);

    // Courses: KES-01 (health) h1 done in 4 days, h2 in 2, h3 overdue, h4 open; DIK-01 e1 done.
    const course = (code: string, sector: string, competency: string) => ({
      id: randomUUID(),
      code,
      version: 1,
      status: 'published' as const,
      sector,
      title: `Pelatihan ${code}`,
      summary: 'Ringkas',
      objectives: [],
      competencies: [{ code: competency, level: 2 }],
      jp: 10,
      durationMinutes: 450,
      publishedAt: new Date(),
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const kes = course('KES-01', 'health', 'M.1');
    const dik = course('DIK-01', 'education', 'M.2');
    await t.dataSource.getRepository(Course).insert([kes, dik]);
    const enrol = (
      user: string,
      courseId: string,
      done: number | null,
      dueAt: Date | null = null,
    ) => ({
      id: randomUUID(),
      userId: ids[user],
      courseId,
      status: done === null ? ('active' as const) : ('completed' as const),
      assignedBy: null,
      dueAt,
      enrolledAt: inYear(1, 2),
      completedAt: done === null ? null : new Date(inYear(1, 2).getTime() + done * DAY),
    });
    await t.dataSource
      .getRepository(Enrollment)
      .insert([
        enrol('h1', kes.id, 4),
        enrol('h2', kes.id, 2),
        enrol('h3', kes.id, null, new Date(Date.now() - DAY)),
        enrol('h4', kes.id, null),
        enrol('e1', dik.id, 1),
      ]);

    // Certificates: PERAWAT and GURU each call for one scheme. h1 valid for 30 more days,
    // h2 for 200, h3 revoked, h4 past its expiry (not yet marked); e1 none.
    const scheme = (code: string, sector: string, target: string) => ({
      id: randomUUID(),
      sector,
      code,
      title: `Skema ${code}`,
      description: '',
      targetPositions: [target],
      requirements: { courses: [], assessments: [], approval: false, rules: [] },
      attests: [],
      validityMonths: 12,
      renewal: null,
      template: 'default',
      numberFormat: '{seq}',
      status: 'active' as const,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const nurseScheme = scheme('SK-PERAWAT', 'health', 'PERAWAT');
    // One row per insert: with a column default TypeORM reads inserted rows back (RETURNING
    // on SQLite, in no guaranteed order) and writes them onto the objects given, so a
    // two-row insert could hand the nurse scheme the teacher scheme's id.
    const schemes = t.dataSource.getRepository(CertificationScheme);
    await schemes.insert(nurseScheme);
    await schemes.insert(scheme('SK-GURU', 'education', 'GURU'));
    let seq = 0;
    const certificate = (user: string, status: string, expiresInDays: number) => {
      seq += 1;
      return {
        id: randomUUID(),
        schemeId: nurseScheme.id,
        userId: ids[user],
        number: `${seq}/SERT/${YEAR}`,
        year: YEAR,
        seq,
        code: `CODE${seq}${randomUUID().slice(0, 8)}`,
        issueKey: randomUUID(),
        status: status as 'active',
        issuedAt: new Date(),
        expiresAt: new Date(Date.now() + expiresInDays * DAY),
        revokedAt: status === 'revoked' ? new Date() : null,
        revokedReason: status === 'revoked' ? 'uji' : null,
        renewsId: null,
        renewedById: null,
        holderName: `ASN ${user}`,
        holderNip: null,
        snapshot: {
          schemeCode: 'SK-PERAWAT',
          schemeTitle: 'Skema SK-PERAWAT',
          sector: 'health',
          sectorName: 'Kesehatan',
          competencies: [],
        },
      };
    };
    await t.dataSource
      .getRepository(Certificate)
      .insert([
        certificate('h1', 'active', 30),
        certificate('h2', 'active', 200),
        certificate('h3', 'revoked', 100),
        certificate('h4', 'active', -1),
      ]);

    // Exams, sat for real: the health exam by h1–h4 as in ANSWERS; e1 is still in the education one.
    const exam = async (token: string, sector: string) => {
      const bank = await t
        .as(token)
        .post('/api/v1/question-banks')
        .send({ name: `Bank ${sector}`, sector })
        .expect(201);
      await t
        .as(token)
        .post(`/api/v1/question-banks/${bank.body.id}/import?format=gift`)
        .set('content-type', 'text/plain')
        .send(GIFT)
        .expect(200);
      const created = await t
        .as(token)
        .post('/api/v1/assessments')
        .send({
          title: `Ujian ${sector}`,
          sector,
          timeLimitMinutes: 60,
          passPercent: 70,
          maxAttempts: 1,
          shuffle: false,
          sections: [{ bankId: bank.body.id, count: 3 }],
          reviewPolicy: 'score',
        })
        .expect(201);
      await t.as(token).post(`/api/v1/assessments/${created.body.id}/publish`).expect(200);
      return created.body.id as string;
    };
    healthExam = await exam(health, 'health');
    educationExam = await exam(education, 'education');
    for (const [key, answers] of Object.entries(ANSWERS)) {
      const attempt = (
        await t.as(asnTokens[key]).post(`/api/v1/assessments/${healthExam}/attempts`).expect(201)
      ).body as {
        id: string;
        items: { slot: number; stem: string; options: { id: string; text: string }[] }[];
      };
      for (const item of attempt.items) {
        const question = Number(
          /Pertanyaan (satu|dua|tiga)/.exec(item.stem)![1] === 'satu'
            ? 0
            : /dua/.test(item.stem)
              ? 1
              : 2,
        );
        const text = answers[question] ? 'Benar' : 'Salah';
        await t
          .as(asnTokens[key])
          .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
          .send({ response: item.options.find((o) => o.text === text)!.id })
          .expect(200);
      }
      await t.as(asnTokens[key]).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    }
    await t.as(asnTokens.e1).post(`/api/v1/assessments/${educationExam}/attempts`).expect(201);
  });
  afterAll(() => t.close());

  const get = (path: string, token: string, query: Record<string, string | number> = {}) =>
    t
      .as(token)
      .get(path)
      .query({ year: YEAR, ...query });

  it('counts ASN by sector and org unit', async () => {
    const res = await get('/api/v1/reports/workforce', admin).expect(200);
    expect(res.body.filters).toEqual({ year: YEAR, sector: null, orgUnit: null, position: null });
    expect(res.body.rows).toEqual([
      { sector: 'education', orgUnitCode: 'DISDIK', orgUnitName: 'Dinas Pendidikan', asn: 1 },
      { sector: 'health', orgUnitCode: 'DINKES', orgUnitName: 'Dinas Kesehatan', asn: 4 },
    ]);
  });

  it('measures 20 JP compliance per org unit for the chosen year', async () => {
    const res = await get('/api/v1/reports/jp-compliance', admin).expect(200);
    expect(res.body.rows).toEqual([
      {
        orgUnitCode: 'DINKES',
        orgUnitName: 'Dinas Kesehatan',
        asn: 4,
        compliant: 2,
        percentCompliant: 50,
        averageJp: 16.1,
      },
      {
        orgUnitCode: 'DISDIK',
        orgUnitName: 'Dinas Pendidikan',
        asn: 1,
        compliant: 1,
        percentCompliant: 100,
        averageJp: 30,
      },
    ]);
    // Last year only h3 had JP (40).
    const last = await get('/api/v1/reports/jp-compliance', admin, { year: YEAR - 1 }).expect(200);
    expect(last.body.rows.find((r: Row) => r.orgUnitCode === 'DINKES')).toMatchObject({
      compliant: 1,
      percentCompliant: 25,
    });
  });

  it('measures certification coverage per position from valid certificates only', async () => {
    const res = await get('/api/v1/reports/certification-coverage', admin).expect(200);
    expect(res.body.rows).toEqual([
      {
        positionCode: 'GURU',
        positionName: 'Guru',
        sector: 'education',
        schemes: ['SK-GURU'],
        asn: 1,
        covered: 0,
        percentCovered: 0,
      },
      {
        positionCode: 'PERAWAT',
        positionName: 'Perawat',
        sector: 'health',
        schemes: ['SK-PERAWAT'],
        asn: 4,
        covered: 2,
        percentCovered: 50,
      },
    ]);
  });

  it('lists certificates expiring within 90 days', async () => {
    const res = await get('/api/v1/reports/expiring-certificates', admin).expect(200);
    expect(res.body.rows).toHaveLength(1);
    expect(res.body.rows[0]).toMatchObject({
      holderName: 'ASN h1',
      orgUnit: 'DINKES',
      scheme: 'SK-PERAWAT',
      sector: 'health',
      daysLeft: 30,
    });
  });

  it('reports completion per course with average days and overdue enrolments', async () => {
    const res = await get('/api/v1/reports/courses', admin).expect(200);
    expect(res.body.rows).toEqual([
      {
        code: 'KES-01',
        title: 'Pelatihan KES-01',
        sector: 'health',
        enrolled: 4,
        completed: 2,
        percentCompleted: 50,
        overdue: 1,
        averageDaysToComplete: 3,
      },
      {
        code: 'DIK-01',
        title: 'Pelatihan DIK-01',
        sector: 'education',
        enrolled: 1,
        completed: 1,
        percentCompleted: 100,
        overdue: 0,
        averageDaysToComplete: 1,
      },
    ]);
  });

  it('reports pass rates and score bands per assessment, and exams open now', async () => {
    const res = await get('/api/v1/reports/assessments', admin).expect(200);
    const healthRow = res.body.rows.find((r: Row) => r.id === healthExam);
    expect(healthRow).toMatchObject({
      attempts: 4,
      candidates: 4,
      passed: 1,
      percentPassed: 25,
      averagePercent: 66.7,
      awaitingGrading: 0,
      histogram: [0, 0, 0, 1, 0, 0, 2, 0, 0, 1],
    });
    const live = await get('/api/v1/reports/live-exams', admin).expect(200);
    expect(live.body.rows.map((r: Row) => [r.id, r.sitting])).toEqual([
      [educationExam, 1],
      [healthExam, 0],
    ]);
  });

  it('analyses each question: facility, discrimination, options chosen, flags', async () => {
    const res = await get(`/api/v1/reports/assessments/${healthExam}/items`, health).expect(200);
    expect(res.body.attempts).toBe(4);
    const byName = Object.fromEntries(res.body.items.map((i: Row) => [i.name, i]));
    expect([byName.Q1.facility, byName.Q2.facility, byName.Q3.facility]).toEqual([0.75, 0.5, 0.75]);
    expect([byName.Q1.discrimination, byName.Q2.discrimination, byName.Q3.discrimination]).toEqual([
      0.3333, 0, -0.5222,
    ]);
    expect(byName.Q3.flags).toEqual(['negative_discrimination']);
    expect(byName.Q1.flags).toEqual([]);
    expect(
      (byName.Q1.options as { text: string; chosen: number; credit: number }[]).map((o) => [
        o.text,
        o.chosen,
        o.credit,
      ]),
    ).toEqual([
      ['Benar', 3, 1],
      ['Salah', 1, 0],
      ['Ragu', 0, 0],
    ]);
  });

  it('filters by sector, org unit and position', async () => {
    const bySector = await get('/api/v1/reports/workforce', admin, { sector: 'education' }).expect(
      200,
    );
    expect(bySector.body.rows.map((r: Row) => r.asn)).toEqual([1]);
    const byUnit = await get('/api/v1/reports/gap-heatmap', admin, { orgUnit: 'DINKES' }).expect(
      200,
    );
    expect(byUnit.body.orgUnits.map((u: Row) => u.code)).toEqual(['DINKES']);
    const byPosition = await get('/api/v1/reports/courses', admin, { position: 'GURU' }).expect(
      200,
    );
    expect(byPosition.body.rows.map((r: Row) => r.code)).toEqual(['DIK-01']);
    const unknown = await get('/api/v1/reports/courses', admin, { orgUnit: 'NOPE' }).expect(400);
    expect(unknown.body.errors[0].field).toBe('orgUnit');
    const badYear = await get('/api/v1/reports/courses', admin, { year: 'lalu' }).expect(400);
    expect(badYear.body.errors[0].field).toBe('year');
    await get('/api/v1/reports/nothing', admin).expect(404);
  });

  it('never shows a coordinator another sector’s numbers', async () => {
    const courses = await get('/api/v1/reports/courses', health).expect(200);
    expect(courses.body.rows.map((r: Row) => r.sector)).toEqual(['health']);
    const exams = await get('/api/v1/reports/assessments', health).expect(200);
    expect(exams.body.rows.every((r: Row) => r.sector === 'health')).toBe(true);
    const dashboard = await get('/api/v1/reports/dashboards/admin', health).expect(200);
    expect(dashboard.body.totals.asn).toBe(4);
    expect(dashboard.body.coverage.map((r: Row) => r.positionCode)).toEqual(['PERAWAT']);
    expect(dashboard.body.jpCompliance.map((r: Row) => r.orgUnitCode)).toEqual(['DINKES']);
    const programmes = await get('/api/v1/reports/dashboards/coordinator', health).expect(200);
    expect(programmes.body.liveExams.map((r: Row) => r.id)).toEqual([healthExam]);
    await get(`/api/v1/reports/assessments/${educationExam}/items`, health).expect(404);
    const other = await get('/api/v1/reports/courses', health, { sector: 'education' }).expect(403);
    expect(other.body.errors?.[0]?.field ?? other.body.field).toBe('sector');
    await get('/api/v1/reports/courses', asnTokens.h1).expect(403);
    await t.http.get('/api/v1/reports/courses').expect(401);
  });

  it('exports every table as XLSX and CSV with the numbers of the JSON', async () => {
    const json = await get('/api/v1/reports/jp-compliance', admin).expect(200);
    const xlsx = await asBuffer(
      get('/api/v1/reports/jp-compliance', admin, { format: 'xlsx' }),
    ).expect(200);
    expect(xlsx.headers['content-disposition']).toContain(`kepatuhan-jp-${YEAR}.xlsx`);
    const rows = await xlsxRows(xlsx.body as Buffer);
    expect(rows[0]).toEqual([
      'Kode Unit Kerja',
      'Unit Kerja',
      'Jumlah ASN',
      'ASN Mencapai 20 JP',
      'Persen Mencapai',
      'Rata-rata JP',
    ]);
    expect(rows.slice(1)).toEqual(
      json.body.rows.map((r: Row) => [
        r.orgUnitCode,
        r.orgUnitName,
        r.asn,
        r.compliant,
        r.percentCompliant,
        r.averageJp,
      ]),
    );
    const csv = await get('/api/v1/reports/courses', admin, { format: 'csv' }).expect(200);
    expect(csv.text).toContain('Kode Pelatihan,Pelatihan,Sektor,Peserta,Selesai');
    expect(csv.text).toContain('KES-01,Pelatihan KES-01,health,4,2,50,1,3');
    const items = await asBuffer(
      get(`/api/v1/reports/assessments/${healthExam}/items`, admin, {
        format: 'xlsx',
      }),
    ).expect(200);
    const itemRows = await xlsxRows(items.body as Buffer);
    const q3 = itemRows.find((r) => r[0] === 'Q3')!;
    expect(q3.slice(3, 7)).toEqual([4, 3, 0.75, -0.5222]);
    expect(String(q3[9])).toContain('Daya beda negatif');
  });

  it('gives an ASN their own dashboard', async () => {
    const res = await t.as(asnTokens.h3).get('/api/v1/me/dashboard').expect(200);
    expect(res.body.jp).toEqual({ year: YEAR, target: 20, total: 0, percent: 0 });
    expect(res.body.topGaps[0]).toMatchObject({
      competency: { code: 'M.1' },
      requiredLevel: 2,
      achievedLevel: 0,
      course: { code: 'KES-01' },
    });
    expect(res.body.courses).toMatchObject([{ code: 'KES-01', overdue: true }]);
    expect(res.body.certificates).toEqual([]); // revoked ones are not shown as held
    const h1 = await t.as(asnTokens.h1).get('/api/v1/me/dashboard').expect(200);
    expect(h1.body.jp.total).toBe(20);
    expect(h1.body.certificates).toMatchObject([{ status: 'active', daysLeft: 30 }]);
  });

  it('renders each role’s dashboard page with charts, and downloads with the session', async () => {
    const { agent } = await signInAgent(t, healthEmail);
    const page = await agent.get('/beranda').expect(200);
    expect(page.text).toContain('Ujian health');
    expect(page.text).toContain('<svg');
    expect(page.text).toContain(`/laporan/ujian/${healthExam}`);
    expect(page.text).not.toContain('Ujian education');
    const items = await agent.get(`/laporan/ujian/${healthExam}`).expect(200);
    expect(items.text).toContain('daya beda negatif');
    await agent.get(`/laporan/ujian/${educationExam}`).expect(404);
    const file = await agent
      .get('/laporan/unduh/courses')
      .query({ year: YEAR, format: 'csv' })
      .expect(200);
    expect(file.text).toContain('KES-01');
    expect(file.text).not.toContain('DIK-01');
    await agent
      .get('/laporan/unduh/courses')
      .query({ sector: 'education', format: 'csv' })
      .expect(403);

    const { agent: adminAgent } = await signInAgent(t, adminEmail);
    const city = await adminAgent.get('/beranda').query({ year: YEAR }).expect(200);
    expect(city.text).toContain('Kepatuhan 20 JP per unit kerja');
    expect(city.text.match(/<svg/g)!.length).toBeGreaterThanOrEqual(4);
    expect(city.text).toContain('/laporan/unduh/jp-compliance?year=');

    const { agent: asnAgent } = await signInAgent(t, asnEmails.h1);
    const own = await asnAgent.get('/beranda').expect(200);
    expect(own.text).toContain('20 dari 20 JP tercapai');
    expect(own.text).toContain('<circle');
    await asnAgent.get('/laporan').expect(403);
    // The session cookie reads the API (the links of the pages) but never writes to it.
    await asnAgent.get('/api/v1/me/dashboard').expect(200);
    await asnAgent.post('/api/v1/courses').send({}).expect(401);
  });
});
