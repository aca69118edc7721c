import { Clock } from '../../src/platform/clock.js';
import { keyOfAttempt, rightFor, type CandidateItem } from '../helpers/answers.js';
import { publishedExam } from '../helpers/exams.js';
import { activateScheme } from '../helpers/schemes.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

/** Eight true/false questions: an exam of four draws from a bank of twice its count. */
const GIFT = Array.from(
  { length: 8 },
  (_, i) => `::PRE-${i + 1}:: Pernyataan pre-test nomor ${i + 1} benar. {${i % 2 ? 'T' : 'F'}}`,
).join('\n\n');

/**
 * The course pre-test (ADR 0040), from the side of a candidate who would like it to count:
 * a perfect pre-test must not pass, complete the course, credit JP, prove a competency or
 * issue a certificate; it must not use up a try; it cannot be sat twice, after the exam,
 * without enrolment, or on a course that has none. Its questions differ from the post-test's
 * where the bank allows.
 */
describe(`course pre-test (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  let exam: string;
  let course: { id: string; code: string };
  let plainCourse: string;
  let schemeId: string;

  async function examCourse(code: string, preTest: boolean, assessmentId: string) {
    const created = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code, title: `Pelatihan ${code}`, jp: 3, preTest })
        .expect(201)
    ).body;
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${created.id}/lessons`)
      .send({ title: 'Ujian akhir', kind: 'assessment', assessmentId })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/courses/${created.id}/publish`).expect(200);
    return { id: created.id as string, code };
  }

  async function enrolled() {
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    const enrollment = (
      await t.as(token).post(`/api/v1/courses/${course.id}/enrollments`).expect(201)
    ).body;
    return { user, token, enrollmentId: enrollment.id as string };
  }

  /** Answers every item right and submits: the result. */
  async function answerAllRight(token: string, attempt: { id: string; items: CandidateItem[] }) {
    const key = await keyOfAttempt(t.dataSource, attempt.id);
    for (const item of attempt.items)
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: rightFor(item, key.get(item.slot)!) })
        .expect(200);
    return (await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200)).body;
  }

  const questionsOf = async (attemptId: string) =>
    (
      await t.dataSource.query<{ questionId: string }[]>(
        'SELECT questionId FROM attempt_items WHERE attemptId = ?',
        [attemptId],
      )
    ).map((r) => r.questionId);

  beforeAll(async () => {
    t = await bootTestApp();
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    exam = (
      await publishedExam(t, coordinator, {
        title: 'Ujian pre-test',
        gift: GIFT,
        count: 4,
        settings: { maxAttempts: 1, shuffle: true },
      })
    ).id;
    course = await examCourse('PRETEST-01', true, exam);
    plainCourse = (await examCourse('PRETEST-02', false, exam)).id;
    schemeId = (
      await t
        .as(coordinator)
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code: 'SK-PRETEST',
          title: 'Skema dengan pre-test',
          requirements: {
            courses: ['PRETEST-01'],
            assessments: [{ assessmentId: exam, minPercent: 50 }],
          },
        })
        .expect(201)
    ).body.id;
    await activateScheme(t, coordinator, schemeId);
  });
  afterAll(() => t.close());

  it('a perfect pre-test never passes and gives nothing: no completion, JP, evidence or certificate', async () => {
    const { user, token, enrollmentId } = await enrolled();
    const started = await t.as(token).post(`/api/v1/courses/${course.id}/pretest`).expect(201);
    expect(started.body).toMatchObject({ purpose: 'pretest', number: 0, status: 'in_progress' });
    expect(started.body.items).toHaveLength(4);
    // Starting again while it is open returns it (as an exam does).
    const again = await t.as(token).post(`/api/v1/courses/${course.id}/pretest`).expect(200);
    expect(again.body).toMatchObject({ id: started.body.id, resumed: true });

    const result = await answerAllRight(token, started.body);
    expect(result).toMatchObject({ purpose: 'pretest', status: 'graded' });
    expect(result.result).toMatchObject({ percent: 100, passed: false });

    await t
      .as(token)
      .post('/api/v1/me/schemes/check')
      .expect((r) => expect(r.status).toBeLessThan(300));
    const certificates = (await t.as(token).get('/api/v1/me/certificates').expect(200)).body;
    expect(certificates.items ?? certificates).toHaveLength(0);
    const mine = (await t.as(token).get('/api/v1/me/enrollments').expect(200)).body;
    expect((mine.items ?? mine).find((e: { id: string }) => e.id === enrollmentId).status).toBe(
      'active',
    );
    expect((await t.as(token).get('/api/v1/me/jp').expect(200)).body.total).toBe(0);
    const [{ n }] = await t.dataSource.query<{ n: number | string }[]>(
      'SELECT COUNT(*) AS n FROM evidence WHERE userId = ?',
      [user.id],
    );
    expect(Number(n)).toBe(0);
    // The attempt itself says it did not pass.
    const stored = await t.dataSource.query<{ passed: unknown; purpose: string }[]>(
      'SELECT passed, purpose FROM attempts WHERE id = ?',
      [started.body.id],
    );
    expect(stored[0].purpose).toBe('pretest');
    expect(Boolean(Number(stored[0].passed))).toBe(false);
  });

  it('cannot be sat twice, does not use up the one try, and the post-test asks other questions', async () => {
    const { token, enrollmentId } = await enrolled();
    const pre = (await t.as(token).post(`/api/v1/courses/${course.id}/pretest`).expect(201)).body;
    await t.as(token).post(`/api/v1/attempts/${pre.id}/submit`).expect(200);
    const second = await t.as(token).post(`/api/v1/courses/${course.id}/pretest`).expect(409);
    expect(second.body.code).toBe('attempt.pretest');
    expect(JSON.stringify(second.body)).toContain('purpose');

    // maxAttempts is 1: the pre-test was not it.
    const post = (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`).expect(201)).body;
    expect(post).toMatchObject({ purpose: null, number: 1 });
    // Eight questions, four each: none of the pre-test's comes back.
    const before = new Set(await questionsOf(pre.id));
    expect(before.size).toBe(4);
    expect((await questionsOf(post.id)).filter((q) => before.has(q))).toEqual([]);

    // The real exam still works: passing it completes the course and issues the certificate.
    const result = await answerAllRight(token, post);
    expect(result.result).toMatchObject({ passed: true });
    const mine = (await t.as(token).get('/api/v1/me/enrollments').expect(200)).body;
    expect((mine.items ?? mine).find((e: { id: string }) => e.id === enrollmentId).status).toBe(
      'completed',
    );
    expect((await t.as(token).get('/api/v1/me/jp').expect(200)).body.total).toBe(3);
    const certificates = (await t.as(token).get('/api/v1/me/certificates').expect(200)).body;
    expect(certificates.items ?? certificates).toHaveLength(1);
    // And now the single try is spent; a pre-test after the exam is refused.
    await t.as(token).post(`/api/v1/assessments/${exam}/attempts`).expect(422);
    const late = await t.as(token).post(`/api/v1/courses/${course.id}/pretest`).expect(409);
    expect(late.body.code).toBe('attempt.pretest');

    // The coordinator's results tell the pre-test apart; it is never the attempt that counts.
    const results = (
      await t.as(coordinator).get(`/api/v1/assessments/${exam}/attempts`).expect(200)
    ).body;
    const row = results.attempts.find((a: { id: string }) => a.id === pre.id);
    expect(row).toMatchObject({ purpose: 'pretest', counts: false, passed: false });
  });

  it('a pre-test after a regular attempt is refused: it would not measure the before', async () => {
    const { token } = await enrolled();
    const attempt = (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`).expect(201))
      .body;
    // Even while that attempt is open.
    const open = await t.as(token).post(`/api/v1/courses/${course.id}/pretest`).expect(409);
    expect(open.body.code).toBe('attempt.pretest');
    await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    await t.as(token).post(`/api/v1/courses/${course.id}/pretest`).expect(409);
    const [{ n }] = await t.dataSource.query<{ n: number | string }[]>(
      "SELECT COUNT(*) AS n FROM attempts WHERE purpose = 'pretest' AND userId = (SELECT userId FROM attempts WHERE id = ?)",
      [attempt.id],
    );
    expect(Number(n)).toBe(0);
  });

  it('not enrolled: 404; a course without a pre-test: 409; nothing is started', async () => {
    const strangerUser = await t.createUser('asn');
    const stranger = await t.tokenFor(strangerUser);
    const res = await t.as(stranger).post(`/api/v1/courses/${course.id}/pretest`).expect(404);
    expect(res.body.code).toBe('enrollment.not_found');
    const { user, token } = await enrolled();
    await t.as(token).post(`/api/v1/courses/${plainCourse}/enrollments`).expect(201);
    const none = await t.as(token).post(`/api/v1/courses/${plainCourse}/pretest`).expect(409);
    expect(none.body.code).toBe('course.no_pretest');
    expect(JSON.stringify(none.body)).toContain('preTest');
    // A draft course (even its staff's) has no pre-test to start.
    const draft = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'PRETEST-DRAF', title: 'Draf', jp: 1, preTest: true })
        .expect(201)
    ).body;
    await t.as(token).post(`/api/v1/courses/${draft.id}/pretest`).expect(404);
    await t
      .as(token)
      .post('/api/v1/courses/00000000-0000-4000-8000-000000000000/pretest')
      .expect(404);
    const [{ n }] = await t.dataSource.query<{ n: number | string }[]>(
      "SELECT COUNT(*) AS n FROM attempts WHERE userId IN (?, ?) AND purpose = 'pretest'",
      [user.id, strangerUser.id],
    );
    expect(Number(n)).toBe(0);
  });

  it('a supervised exam has no pre-test: its questions would be seen outside the room', async () => {
    const supervisedExam = (
      await publishedExam(t, coordinator, {
        title: 'Ujian diawasi dengan pre-test',
        gift: GIFT,
        count: 4,
        settings: { supervised: true },
      })
    ).id;
    const supervisedCourse = await examCourse('PRETEST-AWAS', true, supervisedExam);
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    await t.as(token).post(`/api/v1/courses/${supervisedCourse.id}/enrollments`).expect(201);
    const refused = await t
      .as(token)
      .post(`/api/v1/courses/${supervisedCourse.id}/pretest`)
      .expect(409);
    expect(refused.body.code).toBe('attempt.pretest');
    const [{ n }] = await t.dataSource.query<{ n: number | string }[]>(
      'SELECT COUNT(*) AS n FROM attempts WHERE userId = ?',
      [user.id],
    );
    expect(Number(n)).toBe(0);
    // The course page does not offer what would be refused.
    const { agent } = await signInAgent(t, user.email!);
    const page = await agent.get(`/pelatihan/${supervisedCourse.id}`).expect(200);
    expect(page.text).not.toContain('Kerjakan pre-test');
  });

  it('is timed as any attempt: past its deadline it takes no answer and is graded, never passed', async () => {
    const timed = (
      await publishedExam(t, coordinator, {
        title: 'Ujian pre-test berwaktu',
        gift: GIFT,
        count: 4,
        settings: { timeLimitMinutes: 5 },
      })
    ).id;
    const timedCourse = await examCourse('PRETEST-WAKTU', true, timed);
    const token = await t.tokenFor(await t.createUser('asn'));
    await t.as(token).post(`/api/v1/courses/${timedCourse.id}/enrollments`).expect(201);
    const pre = (await t.as(token).post(`/api/v1/courses/${timedCourse.id}/pretest`).expect(201))
      .body;
    expect(pre.deadline).not.toBeNull();
    const key = await keyOfAttempt(t.dataSource, pre.id);
    const first = pre.items[0] as CandidateItem;
    await t
      .as(token)
      .put(`/api/v1/attempts/${pre.id}/answers/${first.slot}`)
      .send({ response: rightFor(first, key.get(first.slot)!) })
      .expect(200);
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => new Date(real().getTime() + 6 * 60_000);
    try {
      const late = pre.items[1] as CandidateItem;
      await t
        .as(token)
        .put(`/api/v1/attempts/${pre.id}/answers/${late.slot}`)
        .send({ response: rightFor(late, key.get(late.slot)!) })
        .expect(409);
      const view = (await t.as(token).get(`/api/v1/attempts/${pre.id}`).expect(200)).body;
      expect(view).toMatchObject({ purpose: 'pretest', status: 'graded', timedOut: true });
      expect(view.result).toMatchObject({ percent: 25, passed: false });
    } finally {
      clock.now = real;
    }
  });

  it('the impact report gives the gain per competency from the items of pre- and post-test', async () => {
    const { id: gainExam, bankId } = await publishedExam(t, coordinator, {
      title: 'Ujian perolehan per kompetensi',
      gift: GIFT,
      count: 8,
      settings: { maxAttempts: 1 },
    });
    // Half the bank asks about one competency, half about another.
    await t.dataSource.query(
      "UPDATE questions SET competencyCode = CASE WHEN name LIKE '%1' OR name LIKE '%2' OR name LIKE '%3' OR name LIKE '%4' THEN 'PRE-K1' ELSE 'PRE-K2' END WHERE bankId = ?",
      [bankId],
    );
    const gainCourse = await examCourse('PRETEST-GAIN', true, gainExam);
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    await t.as(token).post(`/api/v1/courses/${gainCourse.id}/enrollments`).expect(201);
    // Before: right on every PRE-K1 item, wrong on every PRE-K2 item.
    const pre = (await t.as(token).post(`/api/v1/courses/${gainCourse.id}/pretest`).expect(201))
      .body as { id: string; items: CandidateItem[] };
    const preKey = await keyOfAttempt(t.dataSource, pre.id);
    const competencyOf = new Map(
      (
        await t.dataSource.query<{ slot: number; code: string }[]>(
          'SELECT i.slot AS slot, q.competencyCode AS code FROM attempt_items i JOIN questions q ON q.id = i.questionId WHERE i.attemptId = ?',
          [pre.id],
        )
      ).map((r) => [Number(r.slot), r.code]),
    );
    for (const item of pre.items) {
      const right = rightFor(item, preKey.get(item.slot)!);
      await t
        .as(token)
        .put(`/api/v1/attempts/${pre.id}/answers/${item.slot}`)
        .send({ response: competencyOf.get(item.slot) === 'PRE-K1' ? right : !right })
        .expect(200);
    }
    await t.as(token).post(`/api/v1/attempts/${pre.id}/submit`).expect(200);
    // After: everything right.
    const post = (await t.as(token).post(`/api/v1/assessments/${gainExam}/attempts`).expect(201))
      .body as { id: string; items: CandidateItem[] };
    await answerAllRight(token, post);

    const admin = await t.tokenFor(await t.createUser('admin'));
    const year = new Date().getUTCFullYear();
    const report = (await t.as(admin).get('/api/v1/reports/impact').query({ year }).expect(200))
      .body as { competencies: { code: string; learners: number; learningGain: number | null }[] };
    const byCode = new Map(report.competencies.map((c) => [c.code, c]));
    // From 0 to 100 on PRE-K2: a gain of 1. PRE-K1 began at 100: nothing to gain, left out.
    expect(byCode.get('PRE-K2')).toMatchObject({ learners: 1, learningGain: 1 });
    expect(byCode.get('PRE-K1')).toMatchObject({ learners: 1, learningGain: null });
  });

  it('the course page offers "Kerjakan pre-test" before the lessons, and the score after', async () => {
    const { user } = await enrolled();
    const { agent } = await signInAgent(t, user.email!);
    const page = await agent.get(`/pelatihan/${course.id}`).expect(200);
    expect(page.text).toContain('Kerjakan pre-test');
    expect(page.text.indexOf('Kerjakan pre-test')).toBeLessThan(page.text.indexOf('Ujian akhir'));
    const started = await agent
      .post(`/pelatihan/${course.id}/pretest`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    const attemptId = /\/ujian\/percobaan\/([0-9a-f-]{36})/.exec(started.headers.location)![1];
    const token = await t.tokenFor(user);
    await t.as(token).post(`/api/v1/attempts/${attemptId}/submit`).expect(200);
    const result = await agent.get(`/ujian/percobaan/${attemptId}/hasil`).expect(200);
    expect(result.text).toContain('pretest-result');
    expect(result.text).not.toContain('Belum lulus');
    const after = await agent.get(`/pelatihan/${course.id}`).expect(200);
    expect(after.text).not.toContain('Kerjakan pre-test');
    expect(after.text).toContain('Skor pre-test Anda: 0');
  });
});
