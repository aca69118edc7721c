import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { Assessment, Attempt } from '../../src/assessment/engine/assessment.entity.js';
import { Certificate, CertificationScheme } from '../../src/certification/certification.entity.js';
import {
  DevelopmentPlan,
  DevelopmentPlanItem,
  EvaluationResponse,
  OrgUnitBudget,
  ProgrammeIndicator,
} from '../../src/development/development.entity.js';
import { OrgUnit } from '../../src/identity/org-unit.entity.js';
import { Course, Lesson } from '../../src/learning/course.entity.js';
import { Enrollment } from '../../src/learning/enrollment.entity.js';
import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { asBytes, bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

const YEAR = new Date().getUTCFullYear();
const inYear = (month: number, day: number) => new Date(Date.UTC(YEAR, month - 1, day, 8));
const EVIL = '<script>alert("x")</script> Pelatihan';

type Row = Record<string, unknown>;

async function sheetRows(body: Buffer, sheet: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.getWorksheet(sheet)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/**
 * The agency plan and the impact report (ADR 0040) on a prepared year, on both engines:
 *   DINKES (top) ⊃ PKM-A: a1, a2 (agreed plans); DINKES: a3 (submitted); DISDIK: e1 (draft).
 *   a1: KES-01 (Rp 3.000.000, 10 JP, completed) + SK-KES (Rp 5.000.000, certified) + a dropped
 *   item; a2: KES-01 (Rp 3.000.000, 10 JP, not completed). PKM-A's ceiling Rp 5.000.000.
 */
describe(`development plan and impact reports (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let adminEmail: string;
  let health: string;
  let healthEmail: string;
  let education: string;
  let asn: string;
  const ids: Record<string, string> = {};
  const units: Record<string, string> = {};

  beforeAll(async () => {
    t = await bootTestApp();
    const adminUser = await t.createUser('admin');
    adminEmail = adminUser.email!;
    admin = await t.tokenFor(adminUser);
    const healthUser = await t.createUser('coordinator', { sectors: ['health'] });
    healthEmail = healthUser.email!;
    health = await t.tokenFor(healthUser);
    education = await t.tokenFor(await t.createUser('coordinator', { sectors: ['education'] }));

    for (const [code, name] of [
      ['DINKES', 'Dinas Kesehatan'],
      ['PKM-A', 'Puskesmas A'],
      ['DISDIK', 'Dinas Pendidikan'],
    ]) {
      await t.as(admin).post('/api/v1/org-units').send({ code, name }).expect(201);
      units[code] = (await t.dataSource.getRepository(OrgUnit).findOneByOrFail({ code })).id;
    }
    await t.dataSource
      .getRepository(OrgUnit)
      .update({ id: units['PKM-A'] }, { parentId: units.DINKES });

    for (const [key, unit] of [
      ['a1', 'PKM-A'],
      ['a2', 'PKM-A'],
      ['a3', 'DINKES'],
      ['e1', 'DISDIK'],
    ]) {
      const user = await t.createUser('asn', { name: `ASN ${key}`, orgUnitId: units[unit] });
      ids[key] = user.id;
      if (key === 'a1') asn = await t.tokenFor(user);
    }

    // Courses: KES-01 (health, with an exam), DIK-01 (education), and a health course whose
    // author typed markup into its title.
    const course = (code: string, sector: string, title = `Pelatihan ${code}`) => ({
      id: randomUUID(),
      code,
      version: 1,
      status: 'published' as const,
      sector,
      title,
      summary: 'Ringkas',
      objectives: [],
      competencies: [{ code: 'M.1', level: 2 }],
      jp: 10,
      durationMinutes: 450,
      costIdr: 3_000_000,
      deliveryMode: 'classical' as const,
      preTest: true,
      publishedAt: new Date(),
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const kes = course('KES-01', 'health');
    const dik = course('DIK-01', 'education');
    const evil = course('KES-99', 'health', EVIL);
    for (const c of [kes, dik, evil]) await t.dataSource.getRepository(Course).insert(c);
    ids.kes = kes.id;
    ids.dik = dik.id;
    ids.evil = evil.id;

    const exam = {
      id: randomUUID(),
      sector: 'health',
      title: 'Ujian KES-01',
      instructions: '',
      sections: [],
      shuffle: false,
      timeLimitMinutes: null,
      maxAttempts: 0,
      scoring: 'highest' as const,
      passPercent: 60,
      opensAt: null,
      closesAt: null,
      audience: { everyone: true },
      reviewPolicy: 'score' as const,
      reviewAfterClose: false,
      attests: [],
      layout: 'all' as const,
      supervised: false,
      status: 'published' as const,
      createdBy: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await t.dataSource.getRepository(Assessment).insert(exam);
    await t.dataSource.getRepository(Lesson).insert({
      id: randomUUID(),
      courseId: kes.id,
      position: 1,
      section: null,
      title: 'Ujian akhir',
      kind: 'assessment',
      body: null,
      url: null,
      linkNote: null,
      fileKey: null,
      fileName: null,
      fileSize: null,
      assessmentId: exam.id,
      required: true,
      durationMinutes: 30,
    });
    // a1: pre-test 40, then 70 (passed): gain 0.5. a2: pre-test 100 (left out), then 50 (failed).
    let n = 0;
    const attempt = (user: string, percent: number, purpose: 'pretest' | null, month: number) => ({
      id: randomUUID(),
      assessmentId: exam.id,
      userId: ids[user],
      number: ++n,
      openKey: null,
      purpose,
      status: 'graded' as const,
      startedAt: inYear(month, 1),
      deadline: null,
      submittedAt: inYear(month, 1),
      score: percent,
      maxScore: 100,
      percent,
      passed: purpose ? false : percent >= 60,
      gradedAt: inYear(month, 1),
      sessionId: null,
      pausedAt: null,
      voidedFor: null,
      deviceSession: null,
    });
    for (const a of [
      attempt('a1', 40, 'pretest', 1),
      attempt('a1', 70, null, 2),
      attempt('a2', 100, 'pretest', 1),
      attempt('a2', 50, null, 2),
    ])
      await t.dataSource.getRepository(Attempt).insert(a);

    const enrol = (user: string, courseId: string, completed: boolean) => ({
      id: randomUUID(),
      userId: ids[user],
      courseId,
      status: completed ? ('completed' as const) : ('active' as const),
      assignedBy: null,
      dueAt: null,
      enrolledAt: inYear(1, 2),
      completedAt: completed ? inYear(2, 2) : null,
    });
    await t.dataSource
      .getRepository(Enrollment)
      .insert([
        enrol('a1', kes.id, true),
        enrol('a2', kes.id, false),
        enrol('e1', dik.id, true),
        enrol('a3', evil.id, false),
      ]);

    const scheme = {
      id: randomUUID(),
      sector: 'health',
      code: 'SK-KES',
      title: 'Skema Kesehatan',
      description: '',
      targetPositions: [],
      requirements: {
        courses: ['KES-01'],
        assessments: [{ assessmentId: exam.id, minPercent: 60 }],
        approval: false,
        rules: [],
      },
      attests: [{ competencyCode: 'M.1', level: 2 }],
      validityMonths: 12,
      renewal: null,
      costIdr: 5_000_000,
      template: 'default',
      numberFormat: '{seq}',
      status: 'active' as const,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await t.dataSource.getRepository(CertificationScheme).insert(scheme);
    ids.scheme = scheme.id;
    await t.dataSource.getRepository(Certificate).insert({
      id: randomUUID(),
      schemeId: scheme.id,
      userId: ids.a1,
      number: `1/SERT/${YEAR}`,
      year: YEAR,
      seq: 1,
      code: `C${randomUUID().slice(0, 12)}`,
      issueKey: randomUUID(),
      status: 'active',
      issuedAt: inYear(3, 1),
      expiresAt: null,
      revokedAt: null,
      revokedReason: null,
      renewsId: null,
      renewedById: null,
      holderName: 'ASN a1',
      holderNip: null,
      snapshot: {
        schemeCode: 'SK-KES',
        schemeTitle: 'Skema Kesehatan',
        sector: 'health',
        sectorName: 'Kesehatan',
        competencies: [],
      },
    });

    // Plans.
    const plan = async (user: string, status: string) => {
      const row = {
        id: randomUUID(),
        userId: ids[user],
        year: YEAR,
        status: status as 'agreed',
        returnReason: null,
        submittedAt: new Date(),
        decidedAt: status === 'agreed' ? new Date() : null,
        decidedById: null,
        decidedAsAdmin: null,
        createdAt: new Date(),
        updatedAt: new Date(),
      };
      await t.dataSource.getRepository(DevelopmentPlan).insert(row);
      return row.id;
    };
    let position = 0;
    const item = (
      planId: string,
      kind: 'course' | 'scheme',
      refId: string,
      code: string,
      jp: number,
      costIdr: number,
      extra: { status?: 'planned' | 'dropped' } = {},
    ) =>
      t.dataSource.getRepository(DevelopmentPlanItem).insert({
        id: randomUUID(),
        planId,
        kind,
        refId,
        code,
        title: code,
        sector: 'health',
        competencyCode: 'M.1',
        jp,
        costIdr,
        deliveryMode: kind === 'course' ? 'classical' : 'blended',
        status: 'planned',
        origin: 'proposed',
        reason: null,
        doneAt: null,
        position: ++position,
        createdAt: new Date(),
        updatedAt: new Date(),
        ...extra,
      });
    const p1 = await plan('a1', 'agreed');
    await item(p1, 'course', kes.id, 'KES-01', 10, 3_000_000);
    await item(p1, 'scheme', scheme.id, 'SK-KES', 0, 5_000_000);
    await item(p1, 'course', evil.id, 'KES-99', 8, 9_999, { status: 'dropped' });
    const p2 = await plan('a2', 'agreed');
    await item(p2, 'course', kes.id, 'KES-01', 10, 3_000_000);
    const p3 = await plan('a3', 'submitted');
    await item(p3, 'course', kes.id, 'KES-01', 10, 3_000_000);
    await plan('e1', 'draft');

    // Reactions: five to KES-01 (means shown), four to DIK-01 (not shown), of a day that is
    // over (today's answers wait for the day's end).
    const answered = new Date(Date.now() - 2 * 86_400_000);
    const response = (kind: string, extra: Partial<EvaluationResponse>) => ({
      id: randomUUID(),
      kind: kind as 'reaction',
      evaluationId: null,
      subjectUserId: null,
      courseId: null,
      schemeId: null,
      certificateId: null,
      ratings: {},
      comment: null,
      year: YEAR,
      createdAt: new Date(),
      ...extra,
    });
    const responses = t.dataSource.getRepository(EvaluationResponse);
    for (const ratings of [
      { '0': 5, '1': 4 },
      { '0': 4, '1': 4 },
      { '0': 3, '1': 5 },
      { '0': 4, '1': 3 },
      { '0': 5, '1': 5 },
    ])
      await responses.insert(
        response('reaction', { courseId: kes.id, ratings, createdAt: answered }),
      );
    for (let i = 0; i < 4; i++)
      await responses.insert(
        response('reaction', { courseId: dik.id, ratings: { '0': 1 }, createdAt: answered }),
      );
    // Behaviour of SK-KES: five supervisors rate 4 against a baseline of 2 (change +2); four
    // self ratings (too few to show).
    for (let i = 0; i < 5; i++) {
      const subject = randomUUID();
      const user = await t.createUser('asn', { name: `Subjek ${i}` });
      void subject;
      await responses.insert(
        response('baseline', { subjectUserId: user.id, ratings: { 'M.1': 2 } }),
      );
      await responses.insert(
        response('behaviour_supervisor', {
          subjectUserId: user.id,
          schemeId: scheme.id,
          ratings: { 'M.1': 4 },
        }),
      );
      if (i < 4)
        await responses.insert(
          response('behaviour_self', {
            subjectUserId: user.id,
            schemeId: scheme.id,
            ratings: { 'M.1': 5 },
          }),
        );
    }
    // An indicator of KES-01: days to serve a patient fell from 10 to 5 (lower is better: +50 %).
    await t.dataSource.getRepository(ProgrammeIndicator).insert({
      id: randomUUID(),
      orgUnitId: units.DINKES,
      year: YEAR,
      schemeId: null,
      courseId: kes.id,
      name: 'Waktu layanan',
      unit: 'hari',
      baselineValue: 10,
      resultValue: 5,
      lowerIsBetter: true,
      source: 'SIMPUS',
      recordedById: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });

    await t
      .as(admin)
      .put(`/api/v1/org-units/${units['PKM-A']}/budget`)
      .send({ year: YEAR, ceilingIdr: 5_000_000 })
      .expect(200);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, token: string, query: Record<string, unknown> = {}) =>
    t.as(token).get(path).query(query);

  describe('the agency plan', () => {
    it('sums agreed plans per unit, top unit, sector, competency and mode against the ceilings', async () => {
      const res = await get('/api/v1/reports/development-plan', admin, { year: YEAR }).expect(200);
      const body = res.body as Row;
      expect(body.year).toBe(YEAR);
      // Five subjects of behaviour ratings are ASN too: 4 + 5 active ASN.
      expect(body.target).toEqual({
        jpPerAsn: 20,
        asn: 9,
        plannedJp: 20,
        coveragePercent: Math.round((20 / (9 * 20)) * 1000) / 10,
      });
      expect(body.counts).toEqual({ draft: 1, submitted: 1, agreed: 2, returned: 0, none: 5 });
      const byUnit = body.byOrgUnit as Row[];
      const pkm = byUnit.find((u) => u.code === 'PKM-A')!;
      expect(pkm).toMatchObject({
        name: 'Puskesmas A',
        parentCode: 'DINKES',
        asn: 2,
        agreedPlans: 2,
        plannedJp: 20,
        estimatedCostIdr: 11_000_000,
        ceilingIdr: 5_000_000,
        overCeiling: true,
        overByIdr: 6_000_000,
      });
      expect(byUnit.find((u) => u.code === 'DINKES')).toMatchObject({
        parentCode: null,
        asn: 1,
        agreedPlans: 0,
        estimatedCostIdr: 0,
        ceilingIdr: null,
        overCeiling: false,
        overByIdr: 0,
      });
      // Rolled up: DINKES holds PKM-A; its ceiling is the one set below it.
      const tops = body.byTopUnit as Row[];
      expect(tops.map((u) => u.code).sort()).toEqual(['DINKES', 'DISDIK']);
      expect(tops.find((u) => u.code === 'DINKES')).toMatchObject({
        asn: 3,
        agreedPlans: 2,
        estimatedCostIdr: 11_000_000,
        ceilingIdr: 5_000_000,
        overCeiling: true,
        overByIdr: 6_000_000,
      });
      expect(body.bySector).toEqual([
        { key: 'health', name: 'Kesehatan', asn: 2, jp: 20, estimatedCostIdr: 11_000_000 },
      ]);
      expect(body.byCompetency).toEqual([
        { key: 'M.1', name: expect.any(String), asn: 2, jp: 20, estimatedCostIdr: 11_000_000 },
      ]);
      expect(body.byMode).toEqual([
        { key: 'classical', name: 'Klasikal', asn: 2, jp: 20, estimatedCostIdr: 6_000_000 },
        { key: 'blended', name: expect.any(String), asn: 1, jp: 0, estimatedCostIdr: 5_000_000 },
      ]);
    });

    it('is for admins only', async () => {
      await get('/api/v1/reports/development-plan', health).expect(403);
      await get('/api/v1/reports/development-plan', asn).expect(403);
      await t.as(health).get('/api/v1/org-units/budgets').query({ year: YEAR }).expect(403);
      await t
        .as(health)
        .put(`/api/v1/org-units/${units['PKM-A']}/budget`)
        .send({ year: YEAR, ceilingIdr: 1 })
        .expect(403);
    });

    it('refuses a year that is not one, naming it', async () => {
      for (const year of ['abc', '1999', '2026.5']) {
        const res = await get('/api/v1/reports/development-plan', admin, { year }).expect(400);
        expect(JSON.stringify(res.body)).toContain('year');
      }
      await get('/api/v1/reports/impact', admin, { year: 'x' }).expect(400);
      await get('/api/v1/reports/impact', admin, { format: 'docx' }).expect(400);
    });

    it('downloads as XLSX with typed cells and as PDF', async () => {
      const xlsx = await get('/api/v1/reports/development-plan', admin, {
        year: YEAR,
        format: 'xlsx',
      })
        .buffer(true)
        .parse(asBytes)
        .expect(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const rows = await sheetRows(xlsx.body as Buffer, 'Per Unit Kerja');
      expect(rows[0]).toContain('Perkiraan Biaya (Rp)');
      const pkm = rows.find((r) => r[0] === 'PKM-A')!;
      expect(pkm[6]).toBe(11_000_000);
      expect(pkm[7]).toBe(5_000_000);
      expect(pkm[8]).toBe('Ya');

      const pdf = await get('/api/v1/reports/development-plan', admin, {
        year: YEAR,
        format: 'pdf',
      })
        .buffer(true)
        .parse(asBytes)
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      expect((pdf.body as Buffer).length).toBeGreaterThan(1000);
    });
  });

  describe('budget ceilings', () => {
    it('lists the ceilings of a year and audits a change', async () => {
      const list = await t
        .as(admin)
        .get('/api/v1/org-units/budgets')
        .query({ year: YEAR })
        .expect(200);
      expect(list.body).toEqual([
        expect.objectContaining({ orgUnitCode: 'PKM-A', year: YEAR, ceilingIdr: 5_000_000 }),
      ]);
      const audit = await t.dataSource
        .getRepository(AuditEntry)
        .findBy({ action: 'budget.set', entityId: units['PKM-A'] });
      expect(audit).toHaveLength(1);
    });

    it('refuses a bad ceiling naming the field, and changes nothing', async () => {
      for (const [body, field] of [
        [{ year: YEAR, ceilingIdr: -1 }, 'ceilingIdr'],
        [{ year: YEAR, ceilingIdr: 10_000_000_000_001 }, 'ceilingIdr'],
        [{ year: YEAR, ceilingIdr: 1.5 }, 'ceilingIdr'],
        [{ year: YEAR, ceilingIdr: '5000' }, 'ceilingIdr'],
        [{ year: 1999, ceilingIdr: 5 }, 'year'],
        [{ ceilingIdr: 5 }, 'year'],
      ] as const) {
        const res = await t
          .as(admin)
          .put(`/api/v1/org-units/${units['PKM-A']}/budget`)
          .send(body)
          .expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      await t
        .as(admin)
        .put(`/api/v1/org-units/${randomUUID()}/budget`)
        .send({ year: YEAR, ceilingIdr: 5 })
        .expect(404);
      const rows = await t.dataSource.getRepository(OrgUnitBudget).find();
      expect(rows.map((r) => Number(r.ceilingIdr))).toEqual([5_000_000]);
    });

    it('is set from the agency plan page, whose over-ceiling rows say so in words', async () => {
      const { agent } = await signInAgent(t, adminEmail);
      const page = await agent
        .get('/laporan/rencana-pengembangan')
        .query({ year: YEAR })
        .expect(200);
      expect(page.text).toContain('data-test="over-ceiling"');
      expect(page.text).toContain('Melebihi pagu Rp');
      expect(page.text).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Perkiraan biaya dan pagu/);
      const bad = await agent
        .post('/laporan/rencana-pengembangan/pagu')
        .type('form')
        .send({ _csrf: csrfOf(page.text), orgUnitId: units.DISDIK, year: YEAR, ceilingIdr: '-5' })
        .expect(303);
      const shown = await agent.get(bad.headers.location).expect(200);
      expect(shown.text).toContain('Pagu harus bilangan bulat rupiah');
      expect(
        await t.dataSource.getRepository(OrgUnitBudget).countBy({ orgUnitId: units.DISDIK }),
      ).toBe(0);
      await agent
        .post('/laporan/rencana-pengembangan/pagu')
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          orgUnitId: units.DISDIK,
          year: YEAR,
          ceilingIdr: '7.500.000',
        })
        .expect(303);
      const saved = await t.dataSource
        .getRepository(OrgUnitBudget)
        .findOneByOrFail({ orgUnitId: units.DISDIK, year: YEAR });
      expect(Number(saved.ceilingIdr)).toBe(7_500_000);
      const file = await agent
        .get('/laporan/rencana-pengembangan/unduh')
        .query({ year: YEAR, format: 'pdf' })
        .buffer(true)
        .parse(asBytes)
        .expect(200);
      expect(file.headers['content-type']).toBe('application/pdf');
    });
  });

  describe('the impact report', () => {
    it('gives each course and scheme its four levels and its cost', async () => {
      const res = await get('/api/v1/reports/impact', admin, { year: YEAR }).expect(200);
      const body = res.body as { year: number; schemes: Row[]; courses: Row[] };
      expect(body.year).toBe(YEAR);
      const kes = body.courses.find((c) => c.code === 'KES-01')!;
      expect(kes).toEqual({
        id: ids.kes,
        code: 'KES-01',
        title: 'Pelatihan KES-01',
        sector: 'health',
        sectorName: expect.any(String),
        participants: 2,
        completed: 1,
        completionPercent: 50,
        passRatePercent: 50,
        reactionMean: 4.2,
        reactionCount: 5,
        learningGain: 0.5,
        behaviour: null,
        indicatorChange: 50,
        costPerCompletionIdr: 3_000_000,
        costPerCertificateIdr: null,
      });
      // Four answers: neither a mean nor how many (a count moving by one tells who answered).
      const dik = body.courses.find((c) => c.code === 'DIK-01')!;
      expect(dik).toMatchObject({ reactionMean: null, reactionCount: 0, completed: 1 });
      expect(JSON.stringify(body)).not.toContain('comment');

      const scheme = body.schemes.find((s) => s.code === 'SK-KES')!;
      expect(scheme).toMatchObject({
        id: ids.scheme,
        participants: 1,
        completed: 1,
        completionPercent: 100,
        passRatePercent: 50,
        reactionMean: 4.2,
        learningGain: 0.5,
        behaviour: { selfMean: null, supervisorMean: 4, supervisorChange: 2 },
        indicatorChange: null,
        costPerCompletionIdr: 5_000_000,
        costPerCertificateIdr: 5_000_000,
      });
    });

    it('shows a coordinator their sectors only, and an ASN nothing', async () => {
      const mine = await get('/api/v1/reports/impact', health, { year: YEAR }).expect(200);
      expect(mine.body.courses.map((c: Row) => c.code).sort()).toEqual(['KES-01', 'KES-99']);
      expect(mine.body.schemes.map((s: Row) => s.code)).toEqual(['SK-KES']);
      const theirs = await get('/api/v1/reports/impact', education, { year: YEAR }).expect(200);
      expect(theirs.body.courses.map((c: Row) => c.code)).toEqual(['DIK-01']);
      expect(theirs.body.schemes).toEqual([]);
      await get('/api/v1/reports/impact', asn, { year: YEAR }).expect(403);
    });

    it("downloads as XLSX and PDF, the coordinator's only", async () => {
      const xlsx = await get('/api/v1/reports/impact', health, { year: YEAR, format: 'xlsx' })
        .buffer(true)
        .parse(asBytes)
        .expect(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const courses = await sheetRows(xlsx.body as Buffer, 'Pelatihan');
      expect(courses[0][0]).toBe('Kode');
      const kes = courses.find((r) => r[0] === 'KES-01')!;
      expect(kes[3]).toBe(2);
      expect(kes[7]).toBe(4.2);
      expect(courses.some((r) => r[0] === 'DIK-01')).toBe(false);
      const pdf = await get('/api/v1/reports/impact', admin, { year: YEAR, format: 'pdf' })
        .buffer(true)
        .parse(asBytes)
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('draws its charts on the page with the titles escaped', async () => {
      const { agent } = await signInAgent(t, healthEmail);
      const page = await agent.get('/laporan/dampak').query({ year: YEAR }).expect(200);
      expect(page.text).toContain('data-test="impact-chart"');
      expect(page.text).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Persentase lulus/);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).toContain('&lt;script&gt;');
      expect(page.text).not.toContain('DIK-01');
    });
  });
});
