import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import { Certificate } from '../../src/certification/certification.entity.js';
import { Evidence } from '../../src/competency/evidence.entity.js';
import { Notification } from '../../src/platform/notifications/notification.entity.js';
import { aSectorCompetency } from '../helpers/sector-world.js';
import { passTime } from '../helpers/study.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';
import { publishedExam } from '../helpers/exams.js';

/*
 * Issue 31, item 7, from the candidate's side: a sector an admin switched off must not be a
 * back door. Its exams are not offered and cannot be started; an attempt left open with the
 * right answers saved cannot be submitted into a pass (it is voided at disabling); nothing of
 * it is earned while it is off (no evidence, no certificate even by the catch-up, no JP); the
 * admin sees what disabling touches before confirming; switching it on again lets people
 * start afresh, and the voided attempt does not use up their tries.
 */

const GIFT = [
  '::Q1:: Cuci tangan sebelum kontak pasien. {T}',
  '::Q2:: Sarung tangan menggantikan cuci tangan. {F}',
].join('\n\n');
const DAY = 86_400_000;

describe(`cheater2: a switched-off sector (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  let examA: string;
  let examB: string;
  let course: { id: string; lesson: string };
  /** Has an attempt open at exam A, every answer right, waiting to submit after disabling. */
  let sitter: { id: string; token: string; attemptId: string };
  /** Enrolled in the course, lesson opened, waiting to complete it after disabling. */
  let learner: { id: string; token: string; enrollmentId: string };
  /** Passed exam B while the sector was on, but the evaluation was lost (a crash). */
  let lost: { id: string; token: string };

  async function exam(title: string, extra: object = {}): Promise<string> {
    // No attempt limit sent unless asked: the server's default, as these tests were written.
    const settings = { maxAttempts: undefined, ...extra };
    return (await publishedExam(t, coordinator, { title, gift: GIFT, count: 2, settings })).id;
  }

  /** Starts an attempt and saves every answer right; returns the attempt id. */
  async function sitRight(token: string, assessmentId: string): Promise<string> {
    const attempt = (
      await t.as(token).post(`/api/v1/assessments/${assessmentId}/attempts`).expect(201)
    ).body;
    for (const item of attempt.items as { slot: number; stem: string }[])
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: item.stem.includes('sebelum kontak') })
        .expect(200);
    return attempt.id as string;
  }

  const listed = async (token: string) =>
    (
      (await t.as(token).get('/api/v1/assessments').expect(200)).body as {
        id: string;
      }[]
    ).map((a) => a.id);

  const evidenceOf = (userId: string) => t.dataSource.getRepository(Evidence).countBy({ userId });
  const certificatesOf = (userId: string) =>
    t.dataSource.getRepository(Certificate).countBy({ userId });

  const setHealth = (body: object) => t.as(admin).patch('/api/v1/sectors/health').send(body);

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    await aSectorCompetency(t, admin, 'health', 'KES.OFF.1');
    examA = await exam('Ujian Sektor Nonaktif', {
      maxAttempts: 1,
      attests: [{ competencyCode: 'KES.OFF.1', level: 2 }],
    });
    examB = await exam('Ujian Skema Nonaktif', { maxAttempts: 0 });
    const offScheme = await t
      .as(admin)
      .post('/api/v1/certification-schemes')
      .send({
        sector: 'health',
        code: 'SKEMA-NONAKTIF',
        title: 'Skema sektor nonaktif',
        attests: [{ competencyCode: 'KES.OFF.1', level: 2 }],
        requirements: { assessments: [{ assessmentId: examB, minPercent: 100 }] },
        validityMonths: 12,
      })
      .expect(201);
    await activateScheme(t, admin, offScheme.body.id);
    const created = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'KES-NONAKTIF', title: 'Pelatihan nonaktif', jp: 4 })
        .expect(201)
    ).body;
    const lesson = (
      await t
        .as(coordinator)
        .post(`/api/v1/courses/${created.id}/lessons`)
        .send({ title: 'Satu', kind: 'markdown', body: '## Satu\n\nIsi.', durationMinutes: 10 })
        .expect(201)
    ).body.id as string;
    await t.as(coordinator).post(`/api/v1/courses/${created.id}/publish`).expect(200);
    course = { id: created.id, lesson };

    const sitterUser = await t.createUser('asn');
    const sitterToken = await t.tokenFor(sitterUser);
    sitter = {
      id: sitterUser.id,
      token: sitterToken,
      attemptId: await sitRight(sitterToken, examA),
    };

    const learnerUser = await t.createUser('asn');
    const learnerToken = await t.tokenFor(learnerUser);
    const enrollment = (
      await t.as(learnerToken).post(`/api/v1/courses/${course.id}/enrollments`).send({}).expect(201)
    ).body;
    const read = await t
      .as(learnerToken)
      .get(`/api/v1/enrollments/${enrollment.id}/lessons/${lesson}`)
      .expect(200);
    passTime(t.app, (read.body.progress.remainingSeconds as number) + 1);
    learner = { id: learnerUser.id, token: learnerToken, enrollmentId: enrollment.id };

    const lostUser = await t.createUser('asn');
    lost = { id: lostUser.id, token: await t.tokenFor(lostUser) };
    const service = t.app.get(CertificateIssuer);
    const evaluate = service.evaluate;
    service.evaluate = () => Promise.reject(new Error('the process died before evaluating'));
    try {
      const attemptId = await sitRight(lost.token, examB);
      await t.as(lost.token).post(`/api/v1/attempts/${attemptId}/submit`).expect(200);
    } finally {
      service.evaluate = evaluate;
    }
    expect(await certificatesOf(lost.id)).toBe(0);
  });

  afterAll(() => t.close());

  it('shows the admin what disabling touches, and refuses to disable unconfirmed', async () => {
    const asn = await t.tokenFor(await t.createUser('asn'));
    await t.http.get('/api/v1/sectors/health/disable-preview').expect(401);
    await t.as(asn).get('/api/v1/sectors/health/disable-preview').expect(403);
    await t.as(admin).get('/api/v1/sectors/nowhere/disable-preview').expect(404);
    const preview = (await t.as(admin).get('/api/v1/sectors/health/disable-preview').expect(200))
      .body;
    expect(preview).toEqual({
      key: 'health',
      name: 'Kesehatan',
      enabled: true,
      attemptsInProgress: 1,
      enrolmentsInProgress: 1,
      activeSchemes: 1,
      candidates: 2,
    });

    // A client that only says `{ enabled: false }` is told what it would touch (409).
    const blind = await setHealth({ enabled: false }).expect(409);
    expect(blind.body.details).toMatchObject({ attemptsInProgress: 1, candidates: 2 });
    expect(blind.body.message).toContain('confirm');
    // Numbers seen earlier that no longer hold are refused too.
    const { key: _key, name: _name, enabled: _enabled, ...counts } = preview;
    await setHealth({ enabled: false, expected: { ...counts, attemptsInProgress: 0 } }).expect(409);
    // The preview as a whole is not a confirmation: only its counts are (400 names the field).
    await setHealth({ enabled: false, expected: preview }).expect(400);
    await setHealth({ enabled: false, confirm: 'ya' }).expect(400);
    expect((await t.http.get('/api/v1/sectors/health').expect(200)).body.enabled).toBe(true);
    // The sitter's attempt is still open, the sector still on.
    await t
      .as(sitter.token)
      .get(`/api/v1/attempts/${sitter.attemptId}`)
      .expect(200)
      .expect((res) => expect(res.body.status).toBe('in_progress'));

    const off = await setHealth({
      enabled: false,
      expected: {
        attemptsInProgress: preview.attemptsInProgress,
        enrolmentsInProgress: preview.enrolmentsInProgress,
        activeSchemes: preview.activeSchemes,
        candidates: preview.candidates,
      },
    }).expect(200);
    expect(off.body).toMatchObject({ key: 'health', enabled: false });
    expect(off.body.impact).toMatchObject({ attemptsInProgress: 1, candidates: 2 });
  });

  it('does not list the exam, and refuses a start naming the sector (422)', async () => {
    const fresh = await t.tokenFor(await t.createUser('asn'));
    expect(await listed(fresh)).not.toContain(examA);
    expect(await listed(fresh)).not.toContain(examB);
    const start = await t.as(fresh).post(`/api/v1/assessments/${examA}/attempts`).expect(422);
    expect(start.body.message).toContain('Kesehatan');
    expect(start.body.message).toContain('dinonaktifkan');
    // The sitter, whose attempt was open, cannot resume it through a start either.
    await t.as(sitter.token).post(`/api/v1/assessments/${examA}/attempts`).expect(422);
    const user = await t.createUser('asn');
    const { agent } = await signInAgent(t, user.email!);
    const page = await agent.get('/ujian').expect(200);
    expect(page.text).not.toContain('Ujian Sektor Nonaktif');
  });

  it('voided the open attempt: no save, a submit earns nothing, the candidate is told', async () => {
    const save = await t
      .as(sitter.token)
      .put(`/api/v1/attempts/${sitter.attemptId}/answers/1`)
      .send({ response: true })
      .expect(409);
    expect(save.body.message).toContain('dinonaktifkan');
    const submit = await t
      .as(sitter.token)
      .post(`/api/v1/attempts/${sitter.attemptId}/submit`)
      .expect(200);
    expect(submit.body.status).toBe('voided');
    expect(submit.body.result).toBeUndefined();
    expect(await evidenceOf(sitter.id)).toBe(0);
    const notes = await t.dataSource
      .getRepository(Notification)
      .findBy({ userId: sitter.id, kind: 'attempt.voided' });
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain('Kesehatan');
  });

  it('credits no JP for a course of the switched-off sector', async () => {
    const done = await t
      .as(learner.token)
      .post(`/api/v1/enrollments/${learner.enrollmentId}/lessons/${course.lesson}/complete`)
      .expect(422);
    expect(done.body.message).toContain('Kesehatan');
    const jp = (await t.as(learner.token).get('/api/v1/me/jp').expect(200)).body;
    expect(jp.total).toBe(0);
  });

  it('issues no certificate of the sector, even through the catch-up', async () => {
    await t.app.get(CertificateIssuer).catchUp(new Date(Date.now() - DAY));
    expect(await certificatesOf(lost.id)).toBe(0);
    await t.as(lost.token).post('/api/v1/me/schemes/check');
    expect(await certificatesOf(lost.id)).toBe(0);
  });

  it('switched on again, lets people start afresh; the voided attempt used no try', async () => {
    // Nobody is busy in an enabled sector: switching on needs no confirmation.
    await setHealth({ enabled: true }).expect(200);
    expect(await listed(sitter.token)).toContain(examA);
    // maxAttempts is 1 and the voided attempt does not count.
    const again = await sitRight(sitter.token, examA);
    const submitted = await t.as(sitter.token).post(`/api/v1/attempts/${again}/submit`).expect(200);
    expect(submitted.body.result).toMatchObject({ passed: true });
    expect(await evidenceOf(sitter.id)).toBe(1);
    // The lesson studied before completes now, and only now the JP is credited.
    const done = await t
      .as(learner.token)
      .post(`/api/v1/enrollments/${learner.enrollmentId}/lessons/${course.lesson}/complete`)
      .expect(200);
    expect(done.body.status).toBe('completed');
    const jp = (await t.as(learner.token).get('/api/v1/me/jp').expect(200)).body;
    expect(jp.total).toBe(4);
  });

  it("the admin's page shows the impact and disables only with the numbers seen", async () => {
    const sitting = await t.createUser('asn');
    await sitRight(await t.tokenFor(sitting), examB);
    const adminUser = await t.createUser('admin');
    const { agent } = await signInAgent(t, adminUser.email!);
    const page = await agent.get('/admin/sektor').expect(200);
    expect(page.text).toContain('Yang terdampak bila sektor ini dinonaktifkan');
    expect(page.text).toContain('1 percobaan ujian sedang berjalan');
    const form = {
      _csrf: csrfOf(page.text),
      enabled: 'false',
      attemptsInProgress: '1',
      enrolmentsInProgress: '0',
      activeSchemes: '1',
      candidates: '1',
    };
    // Numbers that no longer hold: nothing is switched off, the admin is asked again.
    await agent
      .post('/admin/sektor/health')
      .type('form')
      .send({ ...form, attemptsInProgress: '0' })
      .expect(303);
    expect((await t.http.get('/api/v1/sectors/health').expect(200)).body.enabled).toBe(true);
    const again = await agent.get('/admin/sektor').expect(200);
    expect(again.text).toContain('Angka dampak berubah');
    await agent.post('/admin/sektor/health').type('form').send(form).expect(303);
    expect((await t.http.get('/api/v1/sectors/health').expect(200)).body.enabled).toBe(false);
    await agent
      .post('/admin/sektor/health')
      .type('form')
      .send({ _csrf: form._csrf, enabled: 'true' })
      .expect(303);
    expect((await t.http.get('/api/v1/sectors/health').expect(200)).body.enabled).toBe(true);
  });
});
