import { Clock } from '../../src/platform/clock.js';
import { AttemptDeadlineJob } from '../../src/assessment/engine/attempt-deadline.job.js';
import { inAttemptIds } from '../helpers/answers.js';
import { aSectorCompetency, aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

const GIFT = [
  '::SC:: Ibu kota Sumatera Utara? {=Medan#Benar sekali ~Padang#Itu Sumatera Barat ~Sibolga}',
  '::MR:: Identitas pasien yang dipakai {~%50%Nama#ya ~%50%Tanggal lahir ~%-100%Nomor kamar#bukan}',
  '::TF:: Cuci tangan sebelum kontak pasien. {T#betul#keliru}',
  '::SA:: Singkatan pusat kesehatan masyarakat? {=puskesmas#tepat =pkm}',
  '::NUM:: Dua tambah dua? {#4:0}',
  '::MATCH:: Pasangkan. {=SKP -> Kinerja =SPBE -> Elektronik}',
  '::ESSAY:: Jelaskan lima momen kebersihan tangan. {}',
].join('\n\n');

/** Keys a candidate may see on an item before any review. */
const CANDIDATE_KEYS = new Set([
  'slot',
  'type',
  'stem',
  'stemHtml',
  'points',
  'options',
  'left',
  'right',
  'items',
  'response',
  'flagged',
  'seq',
]);

type Item = { slot: number; type: string; options?: { id: string; text: string }[] };
type Def = Record<string, unknown>;

describe(`assessments and attempts (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  let asn: string;
  let asnId: string;
  let otherAsn: string;
  let bankId: string;
  /** The right response of each type, from the bank as the coordinator sees it. */
  let rightAnswers: Map<string, unknown>;
  let definitions: Map<string, Def>;
  /** The right response to an item in its attempt's opaque ids (authoring ids are refused). */
  const rightOf = (item: Item) =>
    inAttemptIds(item, definitions.get(item.type)!, rightAnswers.get(item.type));

  beforeAll(async () => {
    t = await bootTestApp();
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    // A health exam attests a health competency, and its essays are graded by the health
    // coordinator for ASN of the health sector (ADR 0012).
    const admin = await t.tokenFor(await t.createUser('admin'));
    await aSectorCompetency(t, admin, 'health', 'KES.PPI');
    const asnUser = await anAsnIn(t, await aSectorPosition(t, admin, 'health', 'KES-PERAWAT'));
    asnId = asnUser.id;
    asn = await t.tokenFor(asnUser);
    otherAsn = await t.tokenFor(await t.createUser('asn'));
    bankId = (
      await t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Ujian PPI', sector: 'health' })
        .expect(201)
    ).body.id;
    const imported = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);
    expect(imported.body).toMatchObject({ imported: 7, skipped: [] });
    const questions = (await t.as(coordinator).get(`/api/v1/question-banks/${bankId}/questions`))
      .body as { type: string; definition: Record<string, never> }[];
    const def = (type: string) =>
      questions.find((q) => q.type === type)!.definition as never as {
        options: { id: string; fraction: number }[];
        key: Record<string, string>;
      };
    definitions = new Map(questions.map((q) => [q.type, q.definition as Def]));
    rightAnswers = new Map<string, unknown>([
      ['single_choice', def('single_choice').options.find((o) => o.fraction === 1)!.id],
      [
        'multiple_response',
        def('multiple_response')
          .options.filter((o) => o.fraction > 0)
          .map((o) => o.id),
      ],
      ['true_false', true],
      ['short_answer', ' PUSKESMAS '],
      ['numeric', 4],
      ['matching', def('matching').key],
      ['essay', 'Sebelum kontak pasien, sebelum tindakan aseptik, ...'],
    ]);
  });
  afterAll(() => t.close());

  async function createAssessment(extra: Record<string, unknown> = {}) {
    const created = await t
      .as(coordinator)
      .post('/api/v1/assessments')
      .send({
        title: 'Ujian PPI Dasar',
        sector: 'health',
        timeLimitMinutes: 30,
        passPercent: 60,
        maxAttempts: 2,
        shuffle: true,
        sections: [{ bankId, count: 7 }],
        attests: [{ competencyCode: 'KES.PPI', level: 2 }],
        reviewPolicy: 'feedback',
        ...extra,
      })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/assessments/${created.body.id}/publish`).expect(200);
    return created.body.id as string;
  }

  it('refuses what a DTO or a rule refuses, and other sectors', async () => {
    const other = await t.tokenFor(await t.createUser('coordinator', { sectors: ['education'] }));
    await t
      .as(other)
      .post('/api/v1/assessments')
      .send({ title: 'Ujian', sector: 'health', sections: [{ bankId, count: 1 }] })
      .expect(403);
    await t
      .as(asn)
      .post('/api/v1/assessments')
      .send({ title: 'Ujian', sector: 'health', sections: [{ bankId, count: 1 }] })
      .expect(403);
    const bad = await t
      .as(coordinator)
      .post('/api/v1/assessments')
      .send({ title: 'Ujian', sector: 'health', sections: [{ bankId, count: 'x' }] })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('count');
    const draft = await t
      .as(coordinator)
      .post('/api/v1/assessments')
      .send({ title: 'Terlalu banyak', sector: 'health', sections: [{ bankId, count: 50 }] })
      .expect(201);
    const refused = await t
      .as(coordinator)
      .post(`/api/v1/assessments/${draft.body.id}/publish`)
      .expect(422);
    expect(refused.body.message).toContain('Bagian 1 (bank «');
    expect(refused.body.message).toMatch(/perlu 50 soal yang cocok, bank hanya punya \d+/);
    // A draft is invisible to candidates.
    await t.as(asn).post(`/api/v1/assessments/${draft.body.id}/attempts`).expect(404);
  });

  it('an ASN sits the exam: no key before submit, idempotent answers, one grading, essay graded by hand, evidence on pass', async () => {
    const id = await createAssessment();
    const started = await t.as(asn).post(`/api/v1/assessments/${id}/attempts`).expect(201);
    const attempt = started.body;
    expect(attempt).toMatchObject({ assessmentId: id, status: 'in_progress' });
    expect(new Date(attempt.deadline).getTime() - new Date(attempt.startedAt).getTime()).toBe(
      30 * 60_000,
    );
    expect(attempt.items).toHaveLength(7);
    expect(attempt.result).toBeUndefined();
    for (const item of attempt.items as Record<string, unknown>[]) {
      expect(Object.keys(item).filter((key) => !CANDIDATE_KEYS.has(key))).toEqual([]);
      for (const option of (item.options ?? []) as Record<string, unknown>[])
        expect(Object.keys(option).sort()).toEqual(['id', 'text']);
    }
    const raw = JSON.stringify(attempt);
    for (const secret of ['fraction', 'feedback', 'Benar sekali', 'rubric', '"key"'])
      expect(raw).not.toContain(secret);

    // Starting again returns the open attempt.
    const again = await t.as(asn).post(`/api/v1/assessments/${id}/attempts`).expect(200);
    expect(again.body.id).toBe(attempt.id);
    // Someone else's attempt does not exist for them.
    await t.as(otherAsn).get(`/api/v1/attempts/${attempt.id}`).expect(404);
    await t
      .as(otherAsn)
      .put(`/api/v1/attempts/${attempt.id}/answers/1`)
      .send({ response: 'a' })
      .expect(404);

    const items = attempt.items as Item[];
    const slotOf = (type: string) => items.find((i) => i.type === type)!.slot;
    // A late retry (lower seq) never overwrites a newer answer.
    const sc = slotOf('single_choice');
    const choiceItem = items.find((i) => i.slot === sc)!;
    const wrong = choiceItem.options!.find((o) => o.id !== rightOf(choiceItem))!.id;
    // The authoring id is not an id of this attempt.
    const authoring = await t
      .as(asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/${sc}`)
      .send({ response: rightAnswers.get('single_choice'), seq: 4 })
      .expect(400);
    expect(authoring.body.message).toContain('response');
    await t
      .as(asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/${sc}`)
      .send({ response: rightOf(choiceItem), seq: 5 })
      .expect(200);
    const late = await t
      .as(asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/${sc}`)
      .send({ response: wrong, seq: 3 })
      .expect(200);
    expect(late.body).toMatchObject({ saved: false, seq: 5 });
    const malformed = await t
      .as(asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/${slotOf('numeric')}`)
      .send({ response: 'empat' })
      .expect(400);
    expect(malformed.body.message).toContain('response');
    await t
      .as(asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/99`)
      .send({ response: 'a' })
      .expect(404);
    for (const item of items.filter((i) => i.slot !== sc))
      await t
        .as(asn)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: rightOf(item), seq: 1 })
        .expect(200);
    await t
      .as(asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/${slotOf('essay')}`)
      .send({ flagged: true })
      .expect(200);
    const read = (await t.as(asn).get(`/api/v1/attempts/${attempt.id}`)).body;
    expect(read.items.find((i: Item) => i.slot === slotOf('essay')).flagged).toBe(true);
    expect(JSON.stringify(read)).not.toContain('fraction');

    // Two submits at the same instant: one grading, the same answer to both.
    const [first, second] = await Promise.all([
      t.as(asn).post(`/api/v1/attempts/${attempt.id}/submit`),
      t.as(asn).post(`/api/v1/attempts/${attempt.id}/submit`),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.status).toBe('needs_grading');
    expect(second.body.status).toBe('needs_grading');
    expect(first.body.result).toEqual(second.body.result);
    expect(first.body.result).toMatchObject({ score: 6, maxScore: 7, passed: null });
    const [{ n }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM attempts WHERE userId = ? AND assessmentId = ?`,
      [asnId, id],
    );
    expect(Number(n)).toBe(1);
    await t
      .as(asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/${sc}`)
      .send({ response: wrong })
      .expect(409);

    // The essay waits in the grading queue, anonymised.
    const queue = (await t.as(coordinator).get('/api/v1/grading').expect(200)).body;
    const waiting = queue.find((q: { attemptId: string }) => q.attemptId === attempt.id);
    expect(waiting).toMatchObject({ slot: slotOf('essay'), type: 'essay' });
    expect(waiting.candidate).toMatch(/^Peserta [0-9A-F]{6}$/);
    await t.as(asn).get('/api/v1/grading').expect(403);
    await t
      .as(coordinator)
      .post(`/api/v1/attempts/${attempt.id}/answers/${slotOf('essay')}/grade`)
      .send({ score: 3 })
      .expect(400);
    const graded = await t
      .as(coordinator)
      .post(`/api/v1/attempts/${attempt.id}/answers/${slotOf('essay')}/grade`)
      .send({ score: 1, comment: 'Lengkap' })
      .expect(200);
    expect(graded.body.status).toBe('graded');
    const notes = (await t.as(asn).get('/api/v1/me/notifications').expect(200)).body;
    expect(notes.unread).toBe(1);
    expect(notes.items[0]).toMatchObject({
      kind: 'attempt.graded',
      link: `/ujian/percobaan/${attempt.id}/hasil`,
    });
    await t.as(otherAsn).post(`/api/v1/me/notifications/${notes.items[0].id}/read`).expect(404);
    await t
      .as(asn)
      .post(`/api/v1/me/notifications/${notes.items[0].id}/read`)
      .expect(200, { read: 1 });
    const mine = (await t.as(asn).get(`/api/v1/attempts/${attempt.id}`)).body;
    expect(mine.result).toEqual({ score: 7, maxScore: 7, percent: 100, passed: true });
    // The policy is full feedback: now the candidate sees it.
    const scItem = mine.items.find((i: Item) => i.slot === sc);
    expect(scItem).toMatchObject({ correct: true, score: 1, feedback: ['Benar sekali'] });
    const evidence = await t.dataSource.query(
      `SELECT e.level, e.source, e.sourceId FROM evidence e WHERE e.userId = ?`,
      [asnId],
    );
    expect(evidence).toEqual([{ level: 2, source: 'assessment', sourceId: attempt.id }]);

    const results = (await t.as(coordinator).get(`/api/v1/assessments/${id}/attempts`).expect(200))
      .body;
    expect(results.attempts[0]).toMatchObject({
      answered: 7,
      questions: 7,
      percent: 100,
      counts: true,
    });
  });

  it('keeps time on the server: a late answer gets 409 and the job closes and grades the attempt', async () => {
    const id = await createAssessment({ reviewPolicy: 'score', timeLimitMinutes: 10 });
    const attempt = (await t.as(otherAsn).post(`/api/v1/assessments/${id}/attempts`).expect(201))
      .body;
    const item = (attempt.items as Item[]).find((i) => i.type === 'true_false')!;
    await t
      .as(otherAsn)
      .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
      .send({ response: true })
      .expect(200);
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => new Date(real().getTime() + 11 * 60_000);
    try {
      expect(await t.app.get(AttemptDeadlineJob).tick()).toBe(true);
      const closed = await t.dataSource.query(`SELECT status, score FROM attempts WHERE id = ?`, [
        attempt.id,
      ]);
      // The unanswered essay scores 0, so the attempt is graded at once: 1 of 7.
      expect(closed[0].status).toBe('graded');
      expect(Number(closed[0].score)).toBe(1);
      const late = await t
        .as(otherAsn)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: false })
        .expect(409);
      expect(late.body.message).toMatch(/dikumpulkan|habis/);
      const view = (await t.as(otherAsn).get(`/api/v1/attempts/${attempt.id}`)).body;
      // Review policy "score": the result, but nothing about which were right.
      expect(view.result).toMatchObject({ score: 1, maxScore: 7, passed: false });
      expect(JSON.stringify(view.items)).not.toContain('correct');
    } finally {
      clock.now = real;
    }
  });

  it('closes an overdue attempt on reading it, even without the job', async () => {
    const id = await createAssessment({ reviewPolicy: 'none', timeLimitMinutes: 5 });
    const user = await t.tokenFor(await t.createUser('asn'));
    const attempt = (await t.as(user).post(`/api/v1/assessments/${id}/attempts`).expect(201)).body;
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => new Date(real().getTime() + 6 * 60_000);
    try {
      const view = (await t.as(user).get(`/api/v1/attempts/${attempt.id}`)).body;
      expect(view.status).toBe('graded');
      expect(view.result).toBeUndefined();
    } finally {
      clock.now = real;
    }
  });

  it('an assessment lesson completes, and its course with it, when the assessment is passed', async () => {
    const id = await createAssessment({ timeLimitMinutes: null, maxAttempts: 0 });
    const course = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'KES-UJI-01', title: 'PPI dengan ujian akhir', jp: 3 })
        .expect(201)
    ).body;
    const bad = await t
      .as(coordinator)
      .post(`/api/v1/courses/${course.id}/lessons`)
      .send({ title: 'Ujian akhir', kind: 'assessment' })
      .expect(400);
    expect(bad.body.message).toContain('assessmentId');
    const lesson = (
      await t
        .as(coordinator)
        .post(`/api/v1/courses/${course.id}/lessons`)
        .send({ title: 'Ujian akhir', kind: 'assessment', assessmentId: id })
        .expect(201)
    ).body;
    expect(lesson.assessmentId).toBe(id);
    await t.as(coordinator).post(`/api/v1/courses/${course.id}/publish`).expect(200);
    const learner = await t.createUser('asn');
    const token = await t.tokenFor(learner);
    const enrollment = (
      await t.as(token).post(`/api/v1/courses/${course.id}/enrollments`).expect(201)
    ).body;
    // Not by hand: only a pass completes it.
    await t
      .as(token)
      .post(`/api/v1/enrollments/${enrollment.id}/lessons/${lesson.id}/complete`)
      .expect(422);

    const attempt = (await t.as(token).post(`/api/v1/assessments/${id}/attempts`).expect(201)).body;
    for (const item of attempt.items as Item[])
      if (item.type !== 'essay')
        await t
          .as(token)
          .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
          .send({ response: rightOf(item) })
          .expect(200);
    // 6 of 7 with the essay unanswered: 85.7% ≥ 60%, graded at once.
    const submitted = (await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200))
      .body;
    expect(submitted.result).toMatchObject({ passed: true });
    const mine = (await t.as(token).get('/api/v1/me/enrollments').expect(200)).body;
    const entry = (mine.items ?? mine).find((e: { id: string }) => e.id === enrollment.id);
    expect(entry.status).toBe('completed');
    const jp = (await t.as(token).get('/api/v1/me/jp').expect(200)).body;
    expect(jp.total).toBe(3);
  });
});
