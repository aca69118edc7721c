import { CertificateExpiry } from '../../src/certification/certificate-expiry.js';
import { Clock } from '../../src/platform/clock.js';
import { aNip } from '../helpers/nip.js';
import { aSectorCompetency, aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, engine, signInAgent, TestApp } from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';
import { publishedExam } from '../helpers/exams.js';

/*
 * The cheater suite for rewards that outlive their basis (issue 31, items 3 and 4; ADR 0019):
 * a holder hoping to keep a level after the certificate behind it was revoked or expired, or
 * after the renewal was revoked; a candidate hoping that a key correction which turns their
 * pass into a fail leaves the certificate, the evidence and the course's JP in place.
 */

const DAY = 86_400_000;
const PLAIN = [
  '::P1:: Cuci tangan sebelum kontak pasien. {T}',
  '::P2:: Sarung tangan menggantikan cuci tangan. {F}',
].join('\n\n');
// The regrade exam: three statements; its key is corrected twice below.
const REGRADE = [
  '::R1:: Cuci tangan sebelum kontak pasien. {T}',
  '::R2:: Sarung tangan menggantikan cuci tangan. {F}',
  '::R3:: Masker bedah dibuang setelah dipakai. {T}',
].join('\n\n');

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

interface EvidenceRow {
  competency: { code: string };
  source: string;
  valid: boolean;
  endReason: string | null;
  endedAt: string | null;
}
interface Notice {
  kind: string;
  title: string;
  body: string;
}

describe(`cheater: evidence, certificates and JP withdrawn with their basis (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let coordinator: string;
  let positionId: string;
  let plainExam: string;
  let regradeExam: string;
  let regradeBank: string;
  let regradeCourse: string;

  async function exam(title: string, gift: string, passPercent: number) {
    return publishedExam(t, coordinator, {
      title,
      gift,
      count: gift.split('\n\n').length,
      settings: { passPercent, attests: [{ competencyCode: 'KES.WDR', level: 3 }] },
    });
  }

  /** Sits an exam, answering each statement by `answer` (its stem → true/false). */
  async function sit(token: string, assessmentId: string, answer: (stem: string) => boolean) {
    const attempt = (
      await t.as(token).post(`/api/v1/assessments/${assessmentId}/attempts`).expect(201)
    ).body;
    for (const item of attempt.items as { slot: number; stem: string }[])
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: answer(item.stem) })
        .expect(200);
    const submitted = await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    return { id: attempt.id as string, result: submitted.body.result };
  }
  const right = (stem: string) => !stem.includes('menggantikan');

  async function scheme(code: string, assessmentId: string, renewal: boolean) {
    const id = (
      await t
        .as(coordinator)
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code,
          title: `Skema ${code}`,
          requirements: { assessments: [{ assessmentId, minPercent: 0 }] },
          attests: [{ competencyCode: 'KES.WDR', level: 3 }],
          validityMonths: 12,
          ...(renewal && { renewal: { assessmentId, windowDays: 60 } }),
        })
        .expect(201)
    ).body.id as string;
    await activateScheme(t, coordinator, id); // a draft certifies nobody (ADR 0017)
    return id;
  }

  const gapHeld = async (token: string) => {
    const gaps = (await t.as(token).get('/api/v1/me/gaps').expect(200)).body;
    return gaps.items.find((i: { competency: { code: string } }) => i.competency.code === 'KES.WDR')
      .met as boolean;
  };
  const evidenceOf = async (token: string) =>
    ((await t.as(token).get('/api/v1/me/evidence').expect(200)).body as EvidenceRow[]).filter(
      (e) => e.competency.code === 'KES.WDR',
    );
  const certificatesOf = async (token: string) =>
    (await t.as(token).get('/api/v1/me/certificates').expect(200)).body as {
      id: string;
      code: string;
      status: string;
      renewsId: string | null;
    }[];
  const noticesOf = async (token: string) =>
    (await t.as(token).get('/api/v1/me/notifications').expect(200)).body.items as Notice[];

  /** Runs `fn` with the platform's clock at `at`. */
  async function at<T>(when: Date, fn: () => Promise<T>): Promise<T> {
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => when;
    try {
      return await fn();
    } finally {
      clock.now = real;
    }
  }

  beforeAll(async () => {
    t = await bootTestApp();
    const adminUser = await t.createUser('admin');
    adminId = adminUser.id;
    admin = await t.tokenFor(adminUser);
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    await aSectorCompetency(t, admin, 'health', 'KES.WDR');
    positionId = await aSectorPosition(t, admin, 'health', 'KES-WDR-AP');
    await t
      .as(admin)
      .put(`/api/v1/positions/${positionId}/standard`)
      .send({ items: [{ competencyCode: 'KES.WDR', level: 3 }] })
      .expect(200);
    plainExam = (await exam('Ujian PPI Dasar', PLAIN, 50)).id;
    await scheme('WDR-DASAR', plainExam, true);
    const r = await exam('Ujian PPI Regrade', REGRADE, 60);
    regradeExam = r.id;
    regradeBank = r.bankId;
    await scheme('WDR-REGRADE', regradeExam, false);
    // A course whose only lesson is the regrade exam: passing it completes the course (2 JP).
    regradeCourse = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({
          sector: 'health',
          code: 'WDR-KURSUS',
          title: 'Pelatihan PPI Regrade',
          summary: 'Pelatihan yang selesai dengan lulus ujian.',
          objectives: ['Menerapkan PPI'],
          competencies: [{ code: 'KES.WDR', level: 3 }],
          jp: 2,
        })
        .expect(201)
    ).body.id;
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${regradeCourse}/lessons`)
      .send({ title: 'Ujian akhir', kind: 'assessment', assessmentId: regradeExam })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/courses/${regradeCourse}/publish`).expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  it('a revoked certificate takes its level with it: the gap is back, the evidence shows it ended, holder and admins are told', async () => {
    const user = await anAsnIn(t, positionId, { nip: aNip(3101), name: 'Rudi Dicabut' });
    const token = await t.tokenFor(user);
    expect((await sit(token, plainExam, right)).result.passed).toBe(true);
    const [certificate] = await certificatesOf(token);
    expect(certificate.status).toBe('active');
    expect(await gapHeld(token)).toBe(true);
    // The certificate's evidence stands in place of the exam pass behind it.
    expect((await evidenceOf(token)).map((e) => [e.source, e.valid, e.endReason]).sort()).toEqual([
      ['assessment', false, 'superseded'],
      ['certificate', true, null],
    ]);

    await t
      .as(admin)
      .post(`/api/v1/certificates/${certificate.id}/revoke`)
      .send({ reason: 'Dokumen pendukung dipalsukan' })
      .expect(200);

    expect(await gapHeld(token)).toBe(false);
    const evidence = await evidenceOf(token);
    expect(evidence.every((e) => !e.valid && e.endedAt)).toBe(true);
    expect(evidence.find((e) => e.source === 'certificate')!.endReason).toBe('certificate_revoked');
    // The holder's page says so too.
    const { agent } = await signInAgent(t, user.email!);
    const page = await agent.get('/kompetensi').expect(200);
    expect(page.text).toContain('berakhir: sertifikatnya dicabut');
    expect(page.text).toContain('digantikan oleh sertifikat yang terbit darinya');
    const withdrawn = (await noticesOf(token)).find((n) => n.kind === 'evidence.withdrawn')!;
    expect(withdrawn.title).toBe('Tingkat kompetensi ditarik');
    expect(withdrawn.body).toContain('Dokumen pendukung dipalsukan');
    expect(withdrawn.body).toContain('level 3');
    expect(
      (await noticesOf(admin)).some(
        (n) => n.kind === 'evidence.withdrawn' && n.title.includes('Rudi Dicabut'),
      ),
    ).toBe(true);
  });

  it('an expired certificate leaves no level behind: the exam pass that earned it does not keep it', async () => {
    const user = await anAsnIn(t, positionId, { nip: aNip(3102) });
    const token = await t.tokenFor(user);
    // Certified 13 months ago for 12 months.
    await at(new Date(Date.now() - 395 * DAY), () => sit(token, plainExam, right));
    await t.app.get(CertificateExpiry).run();
    expect((await certificatesOf(token))[0].status).toBe('expired');

    expect(await gapHeld(token)).toBe(false);
    expect((await evidenceOf(token)).filter((e) => e.valid)).toEqual([]);
    const told = (await noticesOf(token)).find((n) => n.kind === 'evidence.withdrawn')!;
    expect(told.body).toContain('berakhir pada');
    expect(told.body).toContain('level 3');
  });

  it('revoking a renewal leaves no valid evidence anywhere in its chain', async () => {
    const user = await anAsnIn(t, positionId, { nip: aNip(3103) });
    const token = await t.tokenFor(user);
    // Certified 11 months ago: the 60-day renewal window is open now; passing again renews.
    await at(new Date(Date.now() - 335 * DAY), () => sit(token, plainExam, right));
    expect((await sit(token, plainExam, right)).result.passed).toBe(true);
    const chain = await certificatesOf(token);
    const renewal = chain.find((c) => c.renewsId)!;
    expect(renewal.status).toBe('active');
    expect(chain.find((c) => c.id === renewal.renewsId)!.status).toBe('renewed');

    await t
      .as(admin)
      .post(`/api/v1/certificates/${renewal.id}/revoke`)
      .send({ reason: 'Perpanjangan tidak sah' })
      .expect(200);

    expect(await gapHeld(token)).toBe(false);
    expect((await evidenceOf(token)).filter((e) => e.valid)).toEqual([]);
    const verified = (await t.http.get(`/api/v1/verify/${renewal.code}`).expect(200)).body;
    expect(verified).toMatchObject({ valid: false, status: 'revoked' });
  });

  /** The coordinator corrects the key of one statement (a new version) and regrades. */
  async function correctKeyAndRegrade(name: string, answer: boolean) {
    const questions = (
      await t.as(coordinator).get(`/api/v1/question-banks/${regradeBank}/questions`).expect(200)
    ).body as { id: string; name: string }[];
    const question = questions.find((q) => q.name === name)!;
    await t
      .as(coordinator)
      .put(`/api/v1/questions/${question.id}`)
      .send({ definition: { answer } })
      .expect(200);
    return (await t.as(coordinator).post(`/api/v1/assessments/${regradeExam}/regrade`).expect(200))
      .body as { changed: { attemptId: string }[] };
  }

  it('a regrade that keeps the pass changes nothing; one that voids it revokes the certificate, ends the evidence, reopens the course and withdraws its JP, with notices', async () => {
    // Both enrol in the course, then pass its exam: the course completes (2 JP) and certifies.
    const a = await anAsnIn(t, positionId, { nip: aNip(3104), name: 'Andi Regrade' });
    const b = await anAsnIn(t, positionId, { nip: aNip(3105), name: 'Budi Tetap' });
    const tokenA = await t.tokenFor(a);
    const tokenB = await t.tokenFor(b);
    for (const token of [tokenA, tokenB])
      await t.as(token).post(`/api/v1/courses/${regradeCourse}/enrollments`).expect(201);
    // A answers all three as keyed (100 %); B gets R3 wrong (67 %, still a pass at 60 %).
    const attemptA = await sit(tokenA, regradeExam, right);
    const attemptB = await sit(tokenB, regradeExam, (s) => right(s) && !s.includes('Masker'));
    expect(attemptA.result).toMatchObject({ passed: true, percent: 100 });
    expect(attemptB.result.passed).toBe(true);
    const snapshot = async (token: string) => ({
      certificates: (await certificatesOf(token)).map((c) => c.status),
      held: await gapHeld(token),
      valid: (await evidenceOf(token)).filter((e) => e.valid).map((e) => e.source),
      enrollments: (await t.as(token).get('/api/v1/me/enrollments').expect(200)).body.map(
        (e: { status: string }) => e.status,
      ),
      jp: (await t.as(token).get('/api/v1/me/jp').expect(200)).body.total,
    });
    const certified = {
      certificates: ['active'],
      held: true,
      valid: ['certificate'],
      enrollments: ['completed'],
      jp: 2,
    };
    expect(await snapshot(tokenA)).toEqual(certified);
    expect(await snapshot(tokenB)).toEqual(certified);

    // First correction (R3 is false): A drops to 67 %, B rises to 100 %: both still pass.
    const kept = await correctKeyAndRegrade('R3', false);
    expect(kept.changed.map((c) => c.attemptId).sort()).toEqual([attemptA.id, attemptB.id].sort());
    expect(await snapshot(tokenA)).toEqual(certified);
    expect(await snapshot(tokenB)).toEqual(certified);
    expect((await noticesOf(tokenA)).map((n) => n.kind)).not.toContain('evidence.withdrawn');

    // Second correction (R1 is false): A falls to 33 % (a fail), B stays at 67 % (a pass).
    await correctKeyAndRegrade('R1', false);
    const attempt = (await t.as(tokenA).get(`/api/v1/attempts/${attemptA.id}`).expect(200)).body;
    expect(attempt.passed ?? attempt.result?.passed).toBe(false);
    expect(await snapshot(tokenA)).toEqual({
      certificates: ['revoked'],
      held: false,
      valid: [],
      enrollments: ['active'],
      jp: 0,
    });
    expect(await snapshot(tokenB)).toEqual(certified);

    const [certificate] = await certificatesOf(tokenA);
    const verified = (await t.http.get(`/api/v1/verify/${certificate.code}`).expect(200)).body;
    expect(verified).toMatchObject({ valid: false, status: 'revoked' });
    const notices = await noticesOf(tokenA);
    const kinds = notices.map((n) => n.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['certificate.revoked', 'evidence.withdrawn', 'enrollment.reopened']),
    );
    expect(notices.find((n) => n.kind === 'certificate.revoked')!.body).toContain(
      'Dicabut karena regrade',
    );
    expect(notices.find((n) => n.kind === 'enrollment.reopened')!.body).toContain('2 JP ditarik');
    expect(
      (await noticesOf(admin)).some(
        (n) => n.kind === 'evidence.withdrawn' && n.title.includes('Andi Regrade'),
      ),
    ).toBe(true);
    // The audit names the regrade: the revocation and the reopened course.
    const audit = await t.dataSource.query(
      `SELECT action, actorId, detail FROM audit_log WHERE entityId IN (?, ?) ORDER BY at`,
      [
        certificate.id,
        (await t.dataSource.query(`SELECT id FROM enrollments WHERE userId = ?`, [a.id]))[0].id,
      ],
    );
    const revoke = audit.find((r: { action: string }) => r.action === 'certificate.revoke');
    expect(json(revoke.detail)).toMatchObject({
      cause: 'regrade',
      attemptId: attemptA.id,
    });
    expect(revoke.actorId).not.toBe(adminId);
    const reopen = audit.find((r: { action: string }) => r.action === 'enrollment.reopen');
    expect(json(reopen.detail)).toMatchObject({
      cause: 'regrade',
      attemptId: attemptA.id,
      jpWithdrawn: [{ year: expect.any(Number), jp: 2 }],
    });
  });
});
