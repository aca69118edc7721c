import { LessonProgress } from '../../src/learning/enrollment.entity.js';
import type { User } from '../../src/identity/user.entity.js';
import { passTime, studyLessons } from '../helpers/study.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';

/**
 * The cheater suite, learning: a candidate who wants the JP, the completed course and the
 * certificate it leads to, without the study. Issue 20 found every lesson of a 6-JP course
 * completed in 50 ms, a lesson never opened completed, and four clicks on "Tandai selesai"
 * in ten seconds crediting 4 JP. Each attack below must fail; honest study must still work.
 */
describe(`cheater: completion without study (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  let coordinatorUser: User;
  let otherCoordinator: string;
  let admin: string;
  /** A 3-JP course of three 20-minute lessons: 10 minutes (600 s) of study each by default. */
  let course: { id: string; lessons: string[] };
  /** Reference material: minimum 0. */
  let reference: { id: string; lessons: string[] };

  async function makeCourse(
    code: string,
    extra: Record<string, unknown>,
    lessonCount: number,
  ): Promise<{ id: string; lessons: string[] }> {
    const created = await t
      .as(coordinator)
      .post('/api/v1/courses')
      .send({ sector: 'health', code, title: `Pelatihan ${code}`, jp: 3, ...extra })
      .expect(201);
    const lessons: string[] = [];
    for (let i = 1; i <= lessonCount; i++)
      lessons.push(
        (
          await t
            .as(coordinator)
            .post(`/api/v1/courses/${created.body.id}/lessons`)
            .send({
              title: `Bagian ${i}`,
              kind: 'markdown',
              body: `## Bagian ${i}\n\nIsi.`,
              durationMinutes: 20,
            })
            .expect(201)
        ).body.id,
      );
    await t.as(coordinator).post(`/api/v1/courses/${created.body.id}/publish`).expect(200);
    return { id: created.body.id, lessons };
  }

  async function learner() {
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    const enrollment = (
      await t.as(token).post(`/api/v1/courses/${course.id}/enrollments`).expect(201)
    ).body;
    return { user, token, enrollmentId: enrollment.id as string };
  }

  const complete = (token: string, enrollmentId: string, lessonId: string) =>
    t.as(token).post(`/api/v1/enrollments/${enrollmentId}/lessons/${lessonId}/complete`);
  const read = (token: string, enrollmentId: string, lessonId: string) =>
    t.as(token).get(`/api/v1/enrollments/${enrollmentId}/lessons/${lessonId}`);
  const jpTotal = async (token: string) =>
    (await t.as(token).get('/api/v1/me/jp').expect(200)).body.total as number;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinatorUser = await t.createUser('coordinator', { sectors: ['health'] });
    coordinator = await t.tokenFor(coordinatorUser);
    otherCoordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
    course = await makeCourse('CURANG-KP', {}, 3);
    reference = await makeCourse('CURANG-RUJUKAN', { minStudyPercent: 0 }, 2);
  });
  afterAll(() => t.close());

  it('the course says its rule: half of each lesson, 600 s for a 20-minute lesson', async () => {
    const view = (await t.as(admin).get(`/api/v1/courses/${course.id}`)).body;
    expect(view).toMatchObject({ minStudyPercent: 50, minStudyMinutes: null });
    expect(view.lessons.map((l: { minStudySeconds: number }) => l.minStudySeconds)).toEqual([
      600, 600, 600,
    ]);
  });

  it('completing a lesson never opened is refused, says why, and writes nothing', async () => {
    const { token, enrollmentId } = await learner();
    const res = await complete(token, enrollmentId, course.lessons[0]).expect(422);
    expect(res.body).toMatchObject({
      code: 'enrollment.not_opened',
      message: expect.stringContaining('Buka dan pelajari'),
      details: { remainingSeconds: 600 },
    });
    expect(await t.dataSource.getRepository(LessonProgress).countBy({ enrollmentId })).toBe(0);
  });

  it('completing right after opening is refused with the time that remains, losing nothing', async () => {
    const { token, enrollmentId } = await learner();
    const opened = (await read(token, enrollmentId, course.lessons[0]).expect(200)).body;
    expect(opened.lesson).toMatchObject({ id: course.lessons[0], minStudySeconds: 600 });
    expect(opened.progress).toMatchObject({
      openedAt: expect.any(String),
      completedAt: null,
      remainingSeconds: expect.any(Number),
    });
    const res = await complete(token, enrollmentId, course.lessons[0]).expect(422);
    expect(res.body.code).toBe('enrollment.too_soon');
    expect(res.body.message).toMatch(/tunggu \d+ menit \d+ detik lagi/);
    expect(res.body.details.remainingSeconds).toBeGreaterThan(590);
    expect(res.body.details.remainingSeconds).toBeLessThanOrEqual(600);
    expect(
      Date.parse(res.body.details.completableAt) - Date.parse(opened.progress.openedAt),
    ).toBeGreaterThanOrEqual(600_000);
    // The opening stands (a second read does not restart the clock), nothing completed.
    const again = (await read(token, enrollmentId, course.lessons[0]).expect(200)).body;
    expect(again.progress.openedAt).toBe(opened.progress.openedAt);
    expect(again.progress.completedAt).toBeNull();
    // In English too, with the same figure.
    const en = await complete(token, enrollmentId, course.lessons[0])
      .set('accept-language', 'en')
      .expect(422);
    expect(en.body.message).toMatch(/wait \d+ min \d+ s more/);
  });

  it('clicking through every lesson of the course credits no JP and completes nothing', async () => {
    const { token, enrollmentId } = await learner();
    const before = await jpTotal(token);
    for (const lesson of course.lessons) {
      await read(token, enrollmentId, lesson).expect(200);
      await complete(token, enrollmentId, lesson).expect(422);
    }
    const enrollment = (await t.as(token).get(`/api/v1/enrollments/${enrollmentId}`)).body;
    expect(enrollment).toMatchObject({ status: 'active', completedAt: null });
    expect(enrollment.progress.completed).toBe(0);
    expect(await jpTotal(token)).toBe(before);
  });

  it('four clicks on "Tandai selesai" on the page credit nothing; the page says how long remains', async () => {
    const { user } = await learner();
    const { agent } = await signInAgent(t, user.email!);
    const url = `/pelatihan/${course.id}/pelajaran/${course.lessons[0]}`;
    const page = await agent.get(url).expect(200);
    expect(page.text).toContain('id="study-wait"');
    expect(page.text).toMatch(/muncul dalam (9|10) menit/);
    // The button is there for the countdown to reveal, hidden until then.
    expect(page.text).toMatch(/<form[^>]*id="study-done" hidden>/);
    for (let i = 0; i < 4; i++) {
      const res = await agent
        .post(`${url}/selesai`)
        .type('form')
        .send({ _csrf: csrfOf(page.text) })
        .expect(303);
      expect(res.headers.location).toBe(url);
    }
    const after = await agent.get(url).expect(200);
    expect(after.text).toContain('waktu belajar minimal pelajaran ini belum terpenuhi');
    const token = await t.tokenFor(user);
    expect(await jpTotal(token)).toBe(0);
  });

  it('opening every lesson at once and waiting once completes one lesson, not the course', async () => {
    const { token, enrollmentId } = await learner();
    for (const lesson of course.lessons) await read(token, enrollmentId, lesson).expect(200);
    passTime(t.app, 601);
    await complete(token, enrollmentId, course.lessons[0]).expect(200);
    // The next lesson's time counts from that completion, not from its own opening.
    const next = await complete(token, enrollmentId, course.lessons[1]).expect(422);
    expect(next.body.details.remainingSeconds).toBeGreaterThan(590);
    expect(await jpTotal(token)).toBe(0);
  });

  it('two lessons completed at the same instant: the rule lets only one through', async () => {
    const { token, enrollmentId } = await learner();
    await read(token, enrollmentId, course.lessons[0]).expect(200);
    await read(token, enrollmentId, course.lessons[1]).expect(200);
    passTime(t.app, 601);
    const results = await Promise.all([
      complete(token, enrollmentId, course.lessons[0]),
      complete(token, enrollmentId, course.lessons[1]),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const done = await t.dataSource
      .getRepository(LessonProgress)
      .createQueryBuilder('p')
      .where('p.enrollmentId = :enrollmentId AND p.completedAt IS NOT NULL', { enrollmentId })
      .getCount();
    expect(done).toBe(1);
  });

  it('after the minimum the lesson completes; the course completes after each lesson was studied; JP and trail follow', async () => {
    const { user, token, enrollmentId } = await learner();
    const before = await jpTotal(token);
    await read(token, enrollmentId, course.lessons[0]).expect(200);
    passTime(t.app, 601);
    const first = (await complete(token, enrollmentId, course.lessons[0]).expect(200)).body;
    expect(first.status).toBe('active');
    // Completing it again is harmless and credits nothing twice.
    await complete(token, enrollmentId, course.lessons[0]).expect(200);
    const last = await studyLessons(t, token, enrollmentId, course.lessons.slice(1));
    expect(last).toMatchObject({ status: 'completed', progress: { completed: 3 } });
    expect(await jpTotal(token)).toBe(before + 3);

    // The trail is kept: opened earlier than completed by at least the minimum it met.
    const rows = await t.dataSource.getRepository(LessonProgress).findBy({ enrollmentId });
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.requiredSeconds).toBe(600);
      expect(row.completedAt!.getTime() - row.openedAt.getTime()).toBeGreaterThanOrEqual(600_000);
    }
    // ... and shown: to the learner (with the JP line), the sector's coordinator and the admin.
    const jp = (await t.as(token).get('/api/v1/me/jp').expect(200)).body;
    const credit = jp.credits.find(
      (c: { enrollmentId: string }) => c.enrollmentId === enrollmentId,
    );
    expect(credit.trail).toHaveLength(3);
    expect(credit.trail[0]).toMatchObject({ requiredMinutes: 10, openedAt: expect.any(String) });
    for (const viewer of [token, coordinator, admin]) {
      const trail = (
        await t.as(viewer).get(`/api/v1/enrollments/${enrollmentId}/trail`).expect(200)
      ).body;
      expect(trail).toMatchObject({ enrollmentId, status: 'completed' });
      expect(trail.lessons.every((l: { elapsedMinutes: number }) => l.elapsedMinutes >= 10)).toBe(
        true,
      );
    }
    // On the pages too: the learner's "Pembelajaran Saya" and the coordinator's learner list.
    const { agent } = await signInAgent(t, user.email!);
    const mine = (await agent.get('/pembelajaran').expect(200)).text;
    expect(mine).toContain('Jejak belajar');
    expect(mine).toContain('minimal 10 menit');
    const { agent: staff } = await signInAgent(t, coordinatorUser.email!);
    const manage = (await staff.get(`/kelola/pelatihan/${course.id}`).expect(200)).text;
    expect(manage).toContain('Jejak belajar');
    expect(manage).toContain('minimal 10 menit');
    const list = (await t.as(coordinator).get(`/api/v1/courses/${course.id}/enrollments`)).body;
    const item = list.items.find((i: { id: string }) => i.id === enrollmentId);
    expect(item.trail.map((l: { requiredMinutes: number }) => l.requiredMinutes)).toEqual([
      10, 10, 10,
    ]);
  });

  it('a course of minimum 0 (reference material) completes at once, once each lesson was opened', async () => {
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    const enrollmentId = (
      await t.as(token).post(`/api/v1/courses/${reference.id}/enrollments`).expect(201)
    ).body.id;
    await complete(token, enrollmentId, reference.lessons[0]).expect(422);
    let last;
    for (const lesson of reference.lessons) {
      await read(token, enrollmentId, lesson).expect(200);
      last = (await complete(token, enrollmentId, lesson).expect(200)).body;
    }
    expect(last.status).toBe('completed');
    expect(await jpTotal(token)).toBe(3);
  });

  it("another user's enrolment can be neither read, nor completed, nor its trail seen by a stranger", async () => {
    const victim = await learner();
    await read(victim.token, victim.enrollmentId, course.lessons[0]).expect(200);
    passTime(t.app, 601);
    const thief = await t.tokenFor(await t.createUser('asn'));
    await read(thief, victim.enrollmentId, course.lessons[0]).expect(403);
    await complete(thief, victim.enrollmentId, course.lessons[0]).expect(403);
    await t
      .as(thief)
      .post(`/api/v1/enrollments/${victim.enrollmentId}/lessons/${course.lessons[0]}/open`)
      .expect(403);
    for (const stranger of [thief, otherCoordinator])
      await t.as(stranger).get(`/api/v1/enrollments/${victim.enrollmentId}/trail`).expect(403);
    // A lesson of another course is not part of this enrolment.
    await complete(victim.token, victim.enrollmentId, reference.lessons[0]).expect(404);
    const progress = await t.dataSource
      .getRepository(LessonProgress)
      .findOneBy({ enrollmentId: victim.enrollmentId, lessonId: course.lessons[0] });
    expect(progress?.completedAt).toBeNull();
  });

  it("a scheme's course requirement is not met by click-completion, and is by study", async () => {
    const created = await t
      .as(admin)
      .post('/api/v1/certification-schemes')
      .send({
        sector: 'health',
        code: 'CURANG-SKEMA',
        title: 'Skema dengan syarat pelatihan',
        requirements: { courses: ['CURANG-KP'] },
        attests: [{ competencyCode: 'M.1', level: 2 }],
      })
      .expect(201);
    await activateScheme(t, admin, created.body.id);
    const { token, enrollmentId } = await learner();
    const scheme = async () =>
      (await t.as(token).get('/api/v1/me/schemes').expect(200)).body.find(
        (s: { code: string }) => s.code === 'CURANG-SKEMA',
      );
    for (const lesson of course.lessons) {
      await read(token, enrollmentId, lesson).expect(200);
      await complete(token, enrollmentId, lesson).expect(422);
    }
    expect(await scheme()).toMatchObject({ met: false });
    expect((await t.as(token).get('/api/v1/me/certificates')).body).toEqual([]);

    await studyLessons(t, token, enrollmentId, course.lessons);
    expect(await scheme()).toMatchObject({ met: true });
    expect((await t.as(token).get('/api/v1/me/certificates')).body).toHaveLength(1);
  });

  it('the coordinator sets the rule on the API; nonsense is a 400 naming the field', async () => {
    const draft = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'CURANG-ATUR', title: 'Atur minimum', jp: 1 })
        .expect(201)
    ).body;
    const minutes = await t
      .as(coordinator)
      .patch(`/api/v1/courses/${draft.id}`)
      .send({ minStudyMinutes: 5 })
      .expect(200);
    expect(minutes.body).toMatchObject({ minStudyPercent: 50, minStudyMinutes: 5 });
    const percent = await t
      .as(coordinator)
      .patch(`/api/v1/courses/${draft.id}`)
      .send({ minStudyPercent: 80 })
      .expect(200);
    expect(percent.body).toMatchObject({ minStudyPercent: 80, minStudyMinutes: null });
    for (const [body, field] of [
      [{ minStudyPercent: 101 }, 'minStudyPercent'],
      [{ minStudyPercent: -1 }, 'minStudyPercent'],
      [{ minStudyMinutes: 'lama' }, 'minStudyMinutes'],
      [{ minStudyPercent: 50, minStudyMinutes: 5 }, 'minStudyMinutes'],
    ] as const) {
      const res = await t
        .as(coordinator)
        .patch(`/api/v1/courses/${draft.id}`)
        .send(body)
        .expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });
});
