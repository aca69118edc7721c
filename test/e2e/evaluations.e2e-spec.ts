import { randomBytes, randomUUID } from 'node:crypto';
import { Certificate, OutboxMail } from '../../src/certification/certification.entity.js';
import { Evaluation, EvaluationResponse } from '../../src/development/development.entity.js';
import { BehaviourEvaluationJob } from '../../src/development/evaluations/behaviour-evaluation.job.js';
import { User } from '../../src/identity/user.entity.js';
import { Course } from '../../src/learning/course.entity.js';
import { Clock } from '../../src/platform/clock.js';
import { Notification } from '../../src/platform/notifications/notification.entity.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import { passTime, studyLessons } from '../helpers/study.js';
import {
  bootTestApp,
  csrfOf,
  engine,
  signInAgent,
  type SignedIn,
  type TestApp,
} from '../helpers/test-app.js';

const DAY = 86_400;

/**
 * Evaluation levels 1 and 3 (ADR 0040), from the side of those who would bend them: a
 * learner who answers twice (or twice at once) to weigh a course, a colleague who answers
 * someone else's questionnaire, a reaction answer that would tell who gave it, a job run
 * twice, a rating of 7.
 */
describe(`evaluations: reaction and behaviour questionnaires (${engine})`, () => {
  let t: TestApp;
  let admin: SignedIn;
  let coordinator: SignedIn;
  let courseId: string;

  const evaluations = () => t.dataSource.getRepository(Evaluation);
  const responses = () => t.dataSource.getRepository(EvaluationResponse);

  async function complete(learner: SignedIn) {
    const res = await learner.api.post(`/api/v1/courses/${courseId}/enrollments`).expect(201);
    const lessons = (res.body.course.lessons as { id: string }[]).map((l) => l.id);
    const done = await studyLessons(t, learner.token, res.body.id as string, lessons);
    expect(done.status).toBe('completed');
  }

  const mine = async (who: SignedIn) =>
    (await who.api.get('/api/v1/me/evaluations').expect(200)).body as {
      id: string;
      kind: string;
      subject: { id: string; name: string };
      course?: { id: string; code: string; title: string };
      scheme?: { id: string; code: string; title: string };
      certificate?: { number: string };
      items: { key: string; text: string }[];
    }[];

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.signIn('admin');
    coordinator = await t.signIn('coordinator', { sectors: ['health'] });
    const created = await coordinator.api
      .post('/api/v1/courses')
      .send({ sector: 'health', code: 'EVA-REAKSI', title: 'Pelatihan Evaluasi', jp: 2 })
      .expect(201);
    courseId = created.body.id;
    await coordinator.api
      .post(`/api/v1/courses/${courseId}/lessons`)
      .send({ title: 'Bagian 1', kind: 'markdown', body: '## Isi\n\nIsi.', durationMinutes: 5 })
      .expect(201);
    await coordinator.api.post(`/api/v1/courses/${courseId}/publish`).expect(200);
  });

  afterAll(() => t.close());

  describe('reaction (level 1)', () => {
    it('a completed course sends one questionnaire with the default items; it is answered once', async () => {
      const learner = await t.signIn('asn');
      await complete(learner);
      const [questionnaire, ...more] = await mine(learner);
      expect(more).toEqual([]);
      expect(questionnaire).toMatchObject({
        kind: 'reaction',
        subject: { id: learner.user.id },
        course: { id: courseId, code: 'EVA-REAKSI', title: 'Pelatihan Evaluasi' },
      });
      expect(questionnaire.items.map((i) => i.key)).toEqual(['1', '2', '3', '4']);
      expect(questionnaire.items[0].text).toBe('Materi sesuai dengan kebutuhan pekerjaan saya');

      // A rating of 7, a missing item, an item the questionnaire does not have: 400s naming it.
      const seven = await learner.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 4, '2': 7, '3': 4, '4': 4 } })
        .expect(400);
      expect(seven.body.errors[0].field).toBe('ratings.2');
      const missing = await learner.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 4, '2': 4, '4': 4 } })
        .expect(400);
      expect(missing.body.errors[0].field).toBe('ratings.3');
      const extra = await learner.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 4, '2': 4, '3': 4, '4': 4, '5': 1 } })
        .expect(400);
      expect(extra.body.errors[0].field).toBe('ratings.5');
      const fraction = await learner.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 4.5, '2': 4, '3': 4, '4': 4 } })
        .expect(400);
      expect(fraction.body.errors[0].field).toBe('ratings.1');
      expect(await responses().countBy({ courseId })).toBe(0);

      // Someone else answering it: as if it did not exist.
      const stranger = await t.signIn('asn');
      await stranger.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 1, '2': 1, '3': 1, '4': 1 } })
        .expect(404);

      const answered = await learner.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 4, '2': 5, '3': 3, '4': 4 }, comment: 'Bermanfaat.' })
        .expect(201);
      expect(answered.body).toMatchObject({ id: questionnaire.id, kind: 'reaction' });
      await learner.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 1, '2': 1, '3': 1, '4': 1 } })
        .expect(409);
      expect(await mine(learner)).toEqual([]);

      // The answer tells nobody who gave it: no questionnaire, no person, no time of day.
      const stored = await responses().findBy({ courseId, kind: 'reaction' });
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        evaluationId: null,
        subjectUserId: null,
        certificateId: null,
        ratings: { '1': 4, '2': 5, '3': 3, '4': 4 },
        comment: 'Bermanfaat.',
      });
      expect(new Date(stored[0].createdAt).toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(JSON.stringify(stored[0])).not.toContain(learner.user.id);
    });

    it('two answers at once: one is taken, the other a 409, one row stored', async () => {
      const learner = await t.signIn('asn');
      await complete(learner);
      const [questionnaire] = await mine(learner);
      const before = await responses().countBy({ courseId });
      const send = () =>
        learner.api
          .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
          .send({ ratings: { '1': 5, '2': 5, '3': 5, '4': 5 } });
      const statuses = (await Promise.all([send(), send(), send()])).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409]);
      expect(await responses().countBy({ courseId })).toBe(before + 1);
    });

    it('the same course completed again in the year sends no second questionnaire', async () => {
      const learner = await t.signIn('asn');
      await complete(learner);
      const [questionnaire] = await mine(learner);
      await t.app.get(BehaviourEvaluationJob).run();
      const { EvaluationsService } =
        await import('../../src/development/evaluations/evaluations.service.js');
      await t.app.get(EvaluationsService).sendReaction({
        userId: learner.user.id,
        enrollmentId: randomUUID(),
        courseId,
        courseCode: 'EVA-REAKSI',
        jp: 2,
        completedAt: t.app.get(Clock).now(),
      });
      expect((await mine(learner)).map((q) => q.id)).toEqual([questionnaire.id]);
      expect(await evaluations().countBy({ recipientId: learner.user.id })).toBe(1);
    });

    it('a questionnaire not yet due is neither listed nor answerable', async () => {
      const learner = await t.signIn('asn');
      const id = randomUUID();
      await evaluations().insert({
        id,
        kind: 'reaction',
        dedupeKey: `reaction:${learner.user.id}:LATER:2099`,
        recipientId: learner.user.id,
        subjectUserId: learner.user.id,
        courseId,
        schemeId: null,
        certificateId: null,
        planId: null,
        competencyCodes: [],
        year: 2099,
        status: 'pending',
        dueAt: new Date(t.app.get(Clock).now().getTime() + 30 * DAY * 1000),
        remindedAt: null,
        answeredAt: null,
        createdAt: new Date(),
      });
      expect(await mine(learner)).toEqual([]);
      await learner.api
        .post(`/api/v1/evaluations/${id}/responses`)
        .send({ ratings: { '1': 4, '2': 4, '3': 4, '4': 4 } })
        .expect(409);
    });

    it('the form works without JavaScript and the dashboard says what waits', async () => {
      const learner = await t.signIn('asn');
      await complete(learner);
      const [questionnaire] = await mine(learner);
      const { agent } = await signInAgent(t, learner.user.email!);
      const home = await agent.get('/beranda').expect(200);
      expect(home.text).toContain('1 kuesioner menunggu');
      expect(home.text).toContain('href="/evaluasi"');
      const list = await agent.get('/evaluasi').expect(200);
      expect(list.text).toContain(`/evaluasi/${questionnaire.id}`);
      const form = await agent.get(`/evaluasi/${questionnaire.id}`).expect(200);
      expect(form.text).toContain('type="radio" name="rating:4" value="5"');
      const bad = await agent
        .post(`/evaluasi/${questionnaire.id}`)
        .type('form')
        .send({ _csrf: csrfOf(form.text), 'rating:1': '4', 'rating:2': '4', 'rating:3': '4' })
        .expect(400);
      expect(bad.text).toContain('aria-invalid="true"');
      const done = await agent
        .post(`/evaluasi/${questionnaire.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          'rating:1': '4',
          'rating:2': '4',
          'rating:3': '3',
          'rating:4': '5',
        })
        .expect(303);
      expect(done.headers.location).toBe('/evaluasi');
      expect(await mine(learner)).toEqual([]);
      const after = await agent.get('/beranda').expect(200);
      expect(after.text).not.toContain('kuesioner menunggu');
    });
  });

  it('a course with its own statements is rated on those', async () => {
    const courses = t.dataSource.getRepository(Course);
    await courses.update(
      { id: courseId },
      { reactionItems: ['Contoh kasus relevan', 'Fasilitator menguasai materi'] },
    );
    try {
      const learner = await t.signIn('asn');
      await complete(learner);
      const [questionnaire] = await mine(learner);
      expect(questionnaire.items).toEqual([
        { key: '1', text: 'Contoh kasus relevan' },
        { key: '2', text: 'Fasilitator menguasai materi' },
      ]);
      const four = await learner.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 4, '2': 4, '3': 4, '4': 4 } })
        .expect(400);
      expect(four.body.errors[0].field).toBe('ratings.3');
      await learner.api
        .post(`/api/v1/evaluations/${questionnaire.id}/responses`)
        .send({ ratings: { '1': 4, '2': 5 } })
        .expect(201);
    } finally {
      await courses.update({ id: courseId }, { reactionItems: null });
    }
  });

  it('an admin’s or coordinator’s dashboard says what waits for them too', async () => {
    for (const who of [admin, coordinator]) {
      await evaluations().insert({
        id: randomUUID(),
        kind: 'reaction',
        dedupeKey: `reaction:${who.user.id}:DASH:2026`,
        recipientId: who.user.id,
        subjectUserId: who.user.id,
        courseId,
        schemeId: null,
        certificateId: null,
        planId: null,
        competencyCodes: [],
        year: 2026,
        status: 'pending',
        dueAt: new Date(Date.now() - 60_000),
        remindedAt: null,
        answeredAt: null,
        createdAt: new Date(),
      });
      const { agent } = await signInAgent(t, who.user.email!);
      expect((await agent.get('/beranda').expect(200)).text).toContain('1 kuesioner menunggu');
    }
  });

  describe('behaviour (level 3)', () => {
    let holder: SignedIn;
    let supervisor: SignedIn;
    let certificateId: string;
    let schemeId: string;

    beforeAll(async () => {
      supervisor = await t.signIn('asn', { name: 'Atasan Langsung' });
      holder = await t.signIn('asn', { name: 'Pemegang Sertifikat' });
      await t.dataSource
        .getRepository(User)
        .update({ id: holder.user.id }, { supervisorId: supervisor.user.id });
      const scheme = await anApprovalScheme(t, admin.token, {
        code: 'EVA-SKEMA',
        title: 'Skema Evaluasi',
        validityMonths: 36,
      });
      schemeId = scheme.id;
      certificateId = randomUUID();
      const now = t.app.get(Clock).now();
      const tag = randomBytes(4).toString('hex');
      await t.dataSource.getRepository(Certificate).insert({
        id: certificateId,
        schemeId,
        userId: holder.user.id,
        number: `EVA/${tag}`,
        year: now.getUTCFullYear(),
        seq: 1,
        code: `EVA${tag}`,
        issueKey: `eva:${tag}`,
        status: 'active',
        issuedAt: now,
        expiresAt: null,
        revokedAt: null,
        revokedReason: null,
        renewsId: null,
        renewedById: null,
        holderName: 'Pemegang Sertifikat',
        holderNip: null,
        statusIndex: null,
        snapshot: {
          schemeCode: scheme.code,
          schemeTitle: scheme.title,
          sector: 'health',
          sectorName: 'Kesehatan',
          competencies: [{ code: 'M.1', title: 'Integritas', level: 2 }],
        },
      });
    });

    it('nothing is sent before the scheme’s days; after them, one to the holder and one to the supervisor, once', async () => {
      const job = t.app.get(BehaviourEvaluationJob);
      await job.run();
      expect(await evaluations().countBy({ certificateId })).toBe(0);

      passTime(t.app, 91 * DAY);
      await job.run();
      await job.run();
      // Two instances at once: the unique key makes the second a no-op.
      await Promise.all([job.send(), job.send()]);
      const sent = await evaluations().find({ where: { certificateId }, order: { kind: 'ASC' } });
      expect(sent.map((e) => [e.kind, e.recipientId, e.dedupeKey])).toEqual([
        ['behaviour_self', holder.user.id, `behaviour_self:${certificateId}`],
        ['behaviour_supervisor', supervisor.user.id, `behaviour_supervisor:${certificateId}`],
      ]);
      expect(sent.every((e) => e.subjectUserId === holder.user.id && e.schemeId === schemeId)).toBe(
        true,
      );
      expect(sent[0].competencyCodes).toEqual(['M.1']);

      const [self] = await mine(holder);
      expect(self).toMatchObject({
        kind: 'behaviour_self',
        subject: { id: holder.user.id, name: 'Pemegang Sertifikat' },
        scheme: { id: schemeId, title: 'Skema Evaluasi' },
        certificate: { number: expect.stringMatching(/^EVA\//) },
        items: [{ key: 'M.1', text: 'Integritas' }],
      });
      const [rating] = await mine(supervisor);
      expect(rating).toMatchObject({
        kind: 'behaviour_supervisor',
        subject: { id: holder.user.id, name: 'Pemegang Sertifikat' },
      });
    });

    it('a rating out of range, an unknown competency or no example is a 400 naming it', async () => {
      const [self] = await mine(holder);
      const post = (body: object) =>
        holder.api.post(`/api/v1/evaluations/${self.id}/responses`).send(body);
      expect(
        (await post({ ratings: { 'M.1': 0 }, comment: 'Saya menerapkan integritas.' }).expect(400))
          .body.errors[0].field,
      ).toBe('ratings.M.1');
      expect(
        (
          await post({
            ratings: { 'M.1': 4, 'M.2': 4 },
            comment: 'Saya menerapkan integritas.',
          }).expect(400)
        ).body.errors[0].field,
      ).toBe('ratings.M.2');
      expect((await post({ ratings: { 'M.1': 4 } }).expect(400)).body.errors[0].field).toBe(
        'comment',
      );
      expect(
        (await post({ ratings: { 'M.1': 4 }, comment: 'baik' }).expect(400)).body.errors[0].field,
      ).toBe('comment');
      // The supervisor's questionnaire is not the holder's to answer.
      const [rating] = await mine(supervisor);
      await holder.api
        .post(`/api/v1/evaluations/${rating.id}/responses`)
        .send({ ratings: { 'M.1': 5 }, comment: 'Saya menilai diri saya sendiri.' })
        .expect(404);

      await post({ ratings: { 'M.1': 4 }, comment: 'Menolak gratifikasi dari rekanan.' }).expect(
        201,
      );
      await post({ ratings: { 'M.1': 4 }, comment: 'Menolak gratifikasi dari rekanan.' }).expect(
        409,
      );
      const stored = await responses().findOneByOrFail({ evaluationId: self.id });
      expect(stored).toMatchObject({
        kind: 'behaviour_self',
        subjectUserId: holder.user.id,
        certificateId,
        schemeId,
        ratings: { 'M.1': 4 },
      });
    });

    it('an unanswered questionnaire is reminded after 7 days, then every 14, by mail and notification', async () => {
      const [rating] = await mine(supervisor);
      const job = t.app.get(BehaviourEvaluationJob);
      const reminders = async () =>
        (
          await t.dataSource.getRepository(OutboxMail).findBy({ userId: supervisor.user.id })
        ).filter((m) => m.dedupeKey.startsWith('evaluation-reminder:'));
      await job.run();
      expect(await reminders()).toHaveLength(0);

      passTime(t.app, 8 * DAY);
      await job.run();
      await job.run();
      const first = await reminders();
      expect(first).toHaveLength(1);
      expect(first[0].text).toContain(`/evaluasi/${rating.id}`);
      const reminded = await evaluations().findOneByOrFail({ id: rating.id });
      expect(reminded.remindedAt).not.toBeNull();
      expect(
        await t.dataSource
          .getRepository(Notification)
          .countBy({ userId: supervisor.user.id, kind: 'evaluation.reminder' }),
      ).toBe(1);
      // The holder answered: nothing to remind them of.
      expect(
        (await t.dataSource.getRepository(OutboxMail).findBy({ userId: holder.user.id })).filter(
          (m) => m.dedupeKey.startsWith('evaluation-reminder:'),
        ),
      ).toHaveLength(0);

      passTime(t.app, 7 * DAY);
      await job.run();
      expect(await reminders()).toHaveLength(1);
      passTime(t.app, 8 * DAY);
      await job.run();
      expect(await reminders()).toHaveLength(2);

      await supervisor.api
        .post(`/api/v1/evaluations/${rating.id}/responses`)
        .send({ ratings: { 'M.1': 5 }, comment: 'Menolak hadiah dan melaporkannya.' })
        .expect(201);
      passTime(t.app, 15 * DAY);
      await job.run();
      expect(await reminders()).toHaveLength(2);
    });
  });
});
