import { OutboxMail } from '../../src/certification/certification.entity.js';
import {
  DevelopmentPlan,
  DevelopmentPlanItem,
  Evaluation,
  EvaluationResponse,
} from '../../src/development/development.entity.js';
import { planYearOf } from '../../src/development/plans/plans.service.js';
import { User } from '../../src/identity/user.entity.js';
import { Course } from '../../src/learning/course.entity.js';
import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { studyLessons } from '../helpers/study.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

/*
 * The plan (ADR 0040) from the side of those who would bend it: an ASN who edits what their
 * supervisor agreed or reads a colleague's plan, a supervisor who agrees their own plan or
 * someone else's report's, an admin who overrides (recorded), costs sent by the client.
 *
 *   supervisor S (an ASN, a nurse too) ← reports A and B (nurses: standard M.5 ≥ 3)
 *   stranger supervisor X ← report Y
 *   KES-P1 (published, M.5 level 3, 4 JP, Rp 1.500.000) is what the gap proposes
 */
describe(`development plans (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let coordinator: string;
  const tok: Record<string, string> = {};
  const uid: Record<string, string> = {};
  let p1: string;
  let p1Lesson: string;
  let p2: string;
  let draftCourse: string;
  let planA: string;
  const year = planYearOf(new Date());

  const setSupervisor = (userId: string, supervisorId: string | null) =>
    t.dataSource.getRepository(User).update({ id: userId }, { supervisorId });
  const plans = () => t.dataSource.getRepository(DevelopmentPlan);
  const audits = (action: string, entityId: string) =>
    t.dataSource.getRepository(AuditEntry).find({ where: { action, entityId } });

  beforeAll(async () => {
    t = await bootTestApp();
    const adminUser = await t.createUser('admin');
    adminId = adminUser.id;
    admin = await t.tokenFor(adminUser);
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    const position = (
      await t
        .as(admin)
        .post('/api/v1/positions')
        .send({ code: 'PERAWAT-RP', name: 'Perawat', kind: 'fungsional', sector: 'health' })
        .expect(201)
    ).body.id as string;
    await t
      .as(admin)
      .put('/api/v1/positions/PERAWAT-RP/standard')
      .send({ items: [{ competencyCode: 'M.5', level: 3 }] })
      .expect(200);
    for (const name of ['S', 'A', 'B', 'X', 'Y', 'Lone']) {
      const user = await t.createUser('asn', {
        positionId: ['S', 'A', 'B'].includes(name) ? position : null,
        name: `Pegawai ${name}`,
      });
      uid[name] = user.id;
      tok[name] = await t.tokenFor(user);
    }
    await setSupervisor(uid.A, uid.S);
    await setSupervisor(uid.B, uid.S);
    await setSupervisor(uid.Y, uid.X);

    const course = async (code: string, competencies: { code: string; level: number }[]) => {
      const id = (
        await t
          .as(coordinator)
          .post('/api/v1/courses')
          .send({ sector: 'health', code, title: `Pelatihan ${code}`, competencies, jp: 4 })
          .expect(201)
      ).body.id as string;
      const lesson = (
        await t
          .as(coordinator)
          .post(`/api/v1/courses/${id}/lessons`)
          .send({ title: 'Bacaan', kind: 'markdown', body: '# Bacaan\n\nIsi.' })
          .expect(201)
      ).body.id as string;
      return { id, lesson };
    };
    ({ id: p1, lesson: p1Lesson } = await course('KES-P1', [{ code: 'M.5', level: 3 }]));
    ({ id: p2 } = await course('KES-P2', [{ code: 'M.1', level: 2 }]));
    ({ id: draftCourse } = await course('KES-DRAF', [{ code: 'M.5', level: 3 }]));
    await t.as(coordinator).post(`/api/v1/courses/${p1}/publish`).expect(200);
    await t.as(coordinator).post(`/api/v1/courses/${p2}/publish`).expect(200);
    await t.dataSource
      .getRepository(Course)
      .update({ id: p1 }, { costIdr: 1_500_000, deliveryMode: 'classical' });
    await t.dataSource.getRepository(Course).update({ id: p2 }, { costIdr: 250_000 });
  });
  afterAll(() => t.close());

  it('proposes a plan from the gaps on the first read, copying title, JP and cost', async () => {
    const res = await t.as(tok.A).get('/api/v1/me/plan').expect(200);
    planA = res.body.id;
    expect(res.body).toEqual(
      expect.objectContaining({
        year,
        status: 'draft',
        plannedJp: 4,
        realisedJp: 0,
        estimatedCostIdr: 1_500_000,
        returnReason: null,
      }),
    );
    expect(res.body.items).toEqual([
      expect.objectContaining({
        kind: 'course',
        refId: p1,
        title: 'Pelatihan KES-P1',
        competencyCode: 'M.5',
        jp: 4,
        costIdr: 1_500_000,
        status: 'planned',
        origin: 'proposed',
      }),
    ]);
    expect(res.body.supervisor).toEqual(expect.objectContaining({ id: uid.S }));
    // A second read is the same plan.
    expect((await t.as(tok.A).get('/api/v1/me/plan').expect(200)).body.id).toBe(planA);
  });

  it('makes one plan however many first reads come at once', async () => {
    const reads = await Promise.all(
      Array.from({ length: 6 }, () => t.as(tok.B).get('/api/v1/me/plan')),
    );
    expect(reads.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(new Set(reads.map((r) => r.body.id)).size).toBe(1);
    expect(await plans().countBy({ userId: uid.B, year })).toBe(1);
    expect(
      await t.dataSource.getRepository(DevelopmentPlanItem).countBy({ planId: reads[0].body.id }),
    ).toBe(1);
  });

  it('accepts only last, this and next year, naming the year', async () => {
    const bad = await t
      .as(tok.A)
      .get('/api/v1/me/plan')
      .query({ year: String(year - 5) })
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'year' })]);
    expect(bad.body.message).toContain(String(year - 5));
    await t.as(tok.A).get('/api/v1/me/plan').query({ year: 'abc' }).expect(400);
    const next = await t
      .as(tok.A)
      .get('/api/v1/me/plan')
      .query({ year: String(year + 1) })
      .expect(200);
    expect(next.body.year).toBe(year + 1);
    expect(next.body.id).not.toBe(planA);
  });

  it('refuses an item for a course that does not exist or is not published, naming refId', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    for (const refId of [ghost, draftCourse, 'bukan-id']) {
      const res = await t
        .as(tok.A)
        .post('/api/v1/me/plan/items')
        .send({ kind: 'course', refId })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'refId' })]);
    }
    await t.as(tok.A).post('/api/v1/me/plan/items').send({ kind: 'scheme', refId: p2 }).expect(400);
    // The cost is the course's: a client's own figure is not taken.
    const cheap = await t
      .as(tok.A)
      .post('/api/v1/me/plan/items')
      .send({ kind: 'course', refId: p2, reason: 'Untuk tugas baru', costIdr: 1 });
    expect(cheap.status).toBe(400);
    const added = await t
      .as(tok.A)
      .post('/api/v1/me/plan/items')
      .send({ kind: 'course', refId: p2, reason: 'Untuk tugas baru' })
      .expect(201);
    expect(added.body.items[1]).toEqual(
      expect.objectContaining({ refId: p2, costIdr: 250_000, origin: 'added', jp: 4 }),
    );
    expect(added.body.estimatedCostIdr).toBe(1_750_000);
    await t.as(tok.A).post('/api/v1/me/plan/items').send({ kind: 'course', refId: p2 }).expect(409);
  });

  it('lets the owner drop with a reason, restore and remove only what they added', async () => {
    const plan = (await t.as(tok.A).get('/api/v1/me/plan').expect(200)).body;
    const proposed = plan.items.find((i: { origin: string }) => i.origin === 'proposed');
    const added = plan.items.find((i: { origin: string }) => i.origin === 'added');
    await t.as(tok.A).delete(`/api/v1/me/plan/items/${proposed.id}`).expect(409);
    const noReason = await t
      .as(tok.A)
      .patch(`/api/v1/me/plan/items/${proposed.id}`)
      .send({ status: 'dropped' })
      .expect(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    const dropped = await t
      .as(tok.A)
      .patch(`/api/v1/me/plan/items/${proposed.id}`)
      .send({ status: 'dropped', reason: 'Sudah ikut tahun lalu' })
      .expect(200);
    expect(dropped.body.plannedJp).toBe(4);
    await t
      .as(tok.A)
      .patch(`/api/v1/me/plan/items/${proposed.id}`)
      .send({ status: 'planned' })
      .expect(200);
    const removed = await t.as(tok.A).delete(`/api/v1/me/plan/items/${added.id}`).expect(200);
    expect(removed.body.items).toHaveLength(1);
    // Another person's item is not found.
    await t
      .as(tok.B)
      .patch(`/api/v1/me/plan/items/${proposed.id}`)
      .send({ status: 'dropped', reason: 'Iseng menghapus' })
      .expect(404);
    await t.as(tok.B).delete(`/api/v1/me/plan/items/${proposed.id}`).expect(404);
  });

  it('shows a plan by id to its owner, their supervisor and an admin, and to nobody else', async () => {
    await t.as(tok.A).get(`/api/v1/plans/${planA}`).expect(200);
    await t.as(tok.S).get(`/api/v1/plans/${planA}`).expect(200);
    await t.as(admin).get(`/api/v1/plans/${planA}`).expect(200);
    await t.as(tok.B).get(`/api/v1/plans/${planA}`).expect(404);
    await t.as(tok.X).get(`/api/v1/plans/${planA}`).expect(404);
    await t.as(coordinator).get(`/api/v1/plans/${planA}`).expect(404);
  });

  it('decides only a submitted plan; the supervisor is told of a submission', async () => {
    await t.as(tok.S).post(`/api/v1/plans/${planA}/agree`).send({}).expect(409);
    const submitted = await t.as(tok.A).post('/api/v1/me/plan/submit').expect(200);
    expect(submitted.body.status).toBe('submitted');
    await t.as(tok.A).post('/api/v1/me/plan/submit').expect(409);
    expect(await audits('plan.submit', planA)).toHaveLength(1);
    expect(
      await t.dataSource.getRepository(OutboxMail).countBy({
        userId: uid.S,
        subject: `Rencana pengembangan diajukan: Pegawai A (${year})`,
      }),
    ).toBe(1);
    const notes = await t.as(tok.S).get('/api/v1/me/notifications').expect(200);
    expect(JSON.stringify(notes.body)).toContain('Pegawai A');
    // Locked while submitted.
    await t.as(tok.A).post('/api/v1/me/plan/items').send({ kind: 'course', refId: p2 }).expect(409);
  });

  it('refuses a stranger supervisor (404), the owner (403), and a return without a reason (400)', async () => {
    await t.as(tok.X).post(`/api/v1/plans/${planA}/agree`).send({}).expect(404);
    await t
      .as(tok.X)
      .post(`/api/v1/plans/${planA}/return`)
      .send({ reason: 'Bukan bawahan saya' })
      .expect(404);
    await t.as(tok.A).post(`/api/v1/plans/${planA}/agree`).send({}).expect(403);
    const none = await t.as(tok.S).post(`/api/v1/plans/${planA}/return`).send({}).expect(400);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    await t.as(tok.S).post(`/api/v1/plans/${planA}/return`).send({ reason: 'ok' }).expect(400);
    expect((await plans().findOneByOrFail({ id: planA })).status).toBe('submitted');
  });

  it('a supervisor cannot agree their own plan, nor an admin theirs: nothing changes', async () => {
    const own = (await t.as(tok.S).get('/api/v1/me/plan').expect(200)).body.id;
    await t.as(tok.S).post('/api/v1/me/plan/submit').expect(200);
    await t.as(tok.S).post(`/api/v1/plans/${own}/agree`).send({}).expect(403);
    await t
      .as(tok.S)
      .post(`/api/v1/plans/${own}/return`)
      .send({ reason: 'Mengembalikan sendiri' })
      .expect(403);
    const after = await plans().findOneByOrFail({ id: own });
    expect(after).toEqual(expect.objectContaining({ status: 'submitted', decidedById: null }));
    const adminPlan = (await t.as(admin).get('/api/v1/me/plan').expect(200)).body.id;
    await plans().update({ id: adminPlan }, { status: 'submitted' });
    await t.as(admin).post(`/api/v1/plans/${adminPlan}/agree`).send({}).expect(403);
    expect((await plans().findOneByOrFail({ id: adminPlan })).status).toBe('submitted');
    expect(await audits('plan.agree', own)).toHaveLength(0);
  });

  it('returns with a reason the owner sees; the owner changes the plan and resubmits', async () => {
    const returned = await t
      .as(tok.S)
      .post(`/api/v1/plans/${planA}/return`)
      .send({ reason: 'Tambahkan pelatihan komunikasi' })
      .expect(200);
    expect(returned.body).toEqual(
      expect.objectContaining({
        status: 'returned',
        returnReason: 'Tambahkan pelatihan komunikasi',
        decidedAsAdmin: false,
      }),
    );
    const [audit] = await audits('plan.return', planA);
    expect(audit.detail).toEqual(
      expect.objectContaining({ override: false, reason: 'Tambahkan pelatihan komunikasi' }),
    );
    expect(
      await t.dataSource
        .getRepository(OutboxMail)
        .count({ where: { userId: uid.A, subject: `Rencana pengembangan ${year} dikembalikan` } }),
    ).toBe(1);
    const mine = await t.as(tok.A).get('/api/v1/me/plan').expect(200);
    expect(mine.body.returnReason).toBe('Tambahkan pelatihan komunikasi');
    await t
      .as(tok.A)
      .post('/api/v1/me/plan/items')
      .send({ kind: 'course', refId: p2, reason: 'Saran atasan' })
      .expect(201);
    const again = await t.as(tok.A).post('/api/v1/me/plan/submit').expect(200);
    expect(again.body).toEqual(
      expect.objectContaining({ status: 'submitted', returnReason: null }),
    );
  });

  it('agrees with baseline ratings of the plan’s competencies only, 1–5', async () => {
    const bad = await t
      .as(tok.S)
      .post(`/api/v1/plans/${planA}/agree`)
      .send({ ratings: { 'M.5': 9 } })
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'ratings.M.5' })]);
    await t
      .as(tok.S)
      .post(`/api/v1/plans/${planA}/agree`)
      .send({ ratings: { 'X.99': 3 } })
      .expect(400);
    expect((await plans().findOneByOrFail({ id: planA })).status).toBe('submitted');
    const agreed = await t
      .as(tok.S)
      .post(`/api/v1/plans/${planA}/agree`)
      .send({ ratings: { 'M.5': 2 } })
      .expect(200);
    expect(agreed.body).toEqual(
      expect.objectContaining({ status: 'agreed', decidedAsAdmin: false, returnReason: null }),
    );
    const evaluation = await t.dataSource
      .getRepository(Evaluation)
      .findOneByOrFail({ dedupeKey: `baseline:${planA}` });
    expect(evaluation).toEqual(
      expect.objectContaining({
        kind: 'baseline',
        status: 'answered',
        recipientId: uid.S,
        subjectUserId: uid.A,
        planId: planA,
      }),
    );
    const answer = await t.dataSource
      .getRepository(EvaluationResponse)
      .findOneByOrFail({ evaluationId: evaluation.id });
    expect(answer).toEqual(
      expect.objectContaining({ kind: 'baseline', subjectUserId: uid.A, ratings: { 'M.5': 2 } }),
    );
    const [audit] = await audits('plan.agree', planA);
    expect(audit.detail).toEqual(expect.objectContaining({ override: false }));
    expect(
      await t.dataSource
        .getRepository(OutboxMail)
        .count({ where: { userId: uid.A, subject: `Rencana pengembangan ${year} disetujui` } }),
    ).toBe(1);
    await t.as(tok.S).post(`/api/v1/plans/${planA}/agree`).send({}).expect(409);
    // Agreed again (after a status change behind its back): the baseline stays the first one.
    await plans().update({ id: planA }, { status: 'submitted' });
    await t
      .as(tok.S)
      .post(`/api/v1/plans/${planA}/agree`)
      .send({ ratings: { 'M.5': 5 } })
      .expect(200);
    expect(
      await t.dataSource.getRepository(Evaluation).countBy({ dedupeKey: `baseline:${planA}` }),
    ).toBe(1);
    expect(
      (
        await t.dataSource
          .getRepository(EvaluationResponse)
          .findOneByOrFail({ evaluationId: evaluation.id })
      ).ratings,
    ).toEqual({ 'M.5': 2 });
  });

  it('locks an agreed plan except for dropping with a reason', async () => {
    const plan = (await t.as(tok.A).get('/api/v1/me/plan').expect(200)).body;
    const added = plan.items.find((i: { origin: string }) => i.origin === 'added');
    await t
      .as(tok.A)
      .post('/api/v1/me/plan/items')
      .send({ kind: 'course', refId: draftCourse })
      .expect(409);
    await t.as(tok.A).delete(`/api/v1/me/plan/items/${added.id}`).expect(409);
    await t.as(tok.A).post('/api/v1/me/plan/submit').expect(409);
    const dropped = await t
      .as(tok.A)
      .patch(`/api/v1/me/plan/items/${added.id}`)
      .send({ status: 'dropped', reason: 'Jadwal bentrok dengan dinas' })
      .expect(200);
    expect(dropped.body.status).toBe('agreed');
    await t
      .as(tok.A)
      .patch(`/api/v1/me/plan/items/${added.id}`)
      .send({ status: 'planned' })
      .expect(409);
  });

  it('lets an admin decide in place of the supervisor, recorded as an override', async () => {
    const planB = (await t.as(tok.B).post('/api/v1/me/plan/submit').expect(200)).body.id;
    const res = await t
      .as(admin)
      .post(`/api/v1/plans/${planB}/return`)
      .send({ reason: 'Atasan sedang cuti panjang' })
      .expect(200);
    expect(res.body.decidedAsAdmin).toBe(true);
    expect(await plans().findOneByOrFail({ id: planB })).toEqual(
      expect.objectContaining({ decidedAsAdmin: true, decidedById: adminId }),
    );
    const [audit] = await audits('plan.return', planB);
    expect(audit.detail).toEqual(expect.objectContaining({ override: true }));
    expect(audit.actorId).toBe(adminId);
  });

  it('computes done from a completion, and realised JP rises', async () => {
    const enrollment = (await t.as(tok.A).post(`/api/v1/courses/${p1}/enrollments`).expect(201))
      .body.id as string;
    await studyLessons(t, tok.A, enrollment, [p1Lesson]);
    const plan = (await t.as(tok.A).get('/api/v1/me/plan').expect(200)).body;
    expect(plan.realisedJp).toBe(4);
    expect(plan.items.find((i: { refId: string }) => i.refId === p1).status).toBe('done');
    expect(
      (
        await t.dataSource
          .getRepository(DevelopmentPlanItem)
          .findOneByOrFail({ refId: p1, planId: planA })
      ).status,
    ).toBe('done');
    // The supervisor sees it too.
    expect((await t.as(tok.S).get(`/api/v1/plans/${planA}`).expect(200)).body.realisedJp).toBe(4);
  });

  it('pages: the plan, the team, a report’s plan; a stranger’s plan is not found', async () => {
    const a = await signInAgent(
      t,
      (await t.dataSource.getRepository(User).findOneByOrFail({ id: uid.A })).email!,
    );
    const page = await a.agent.get('/rencana').expect(200);
    expect(page.text).toContain('Rencana pengembangan saya');
    expect(page.text).toContain('Pelatihan KES-P1');
    const s = await signInAgent(
      t,
      (await t.dataSource.getRepository(User).findOneByOrFail({ id: uid.S })).email!,
    );
    const team = await s.agent.get('/tim').expect(200);
    expect(team.text).toContain('Pegawai A');
    expect(team.text).toContain('Pegawai B');
    await s.agent.get(`/tim/rencana/${planA}`).expect(200);
    const lone = await signInAgent(
      t,
      (await t.dataSource.getRepository(User).findOneByOrFail({ id: uid.Lone })).email!,
    );
    expect((await lone.agent.get('/tim').expect(200)).text).toContain(
      'Anda tidak memiliki bawahan langsung',
    );
    await lone.agent.get(`/tim/rencana/${planA}`).expect(404);
    // A form without its CSRF token is refused; with it, a drop without reason shows the error.
    const form = csrfOf(page.text);
    expect(form).not.toBe('');
  });
});
