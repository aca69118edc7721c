import { AttemptsRepository } from '../../src/assessment/engine/attempts.repository.js';
import { EvidenceService } from '../../src/competency/evidence.service.js';
import type { User } from '../../src/identity/user.entity.js';
import { inAttemptIds } from '../helpers/answers.js';
import { aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

/*
 * Issue 21, the start and the submit: question versions are marked used when an exam is
 * published (not by every start), a version drawn while still unmarked is marked by the
 * start that draws it, and grading writes every item's score in one statement that stores
 * exactly what one UPDATE per item stored, people's grades and overrides kept on a regrade.
 */

const choice = (right: string, wrong: string) => ({
  options: [
    { id: 'a', text: right, fraction: 1 },
    { id: 'b', text: wrong, fraction: 0 },
  ],
});

type Item = { slot: number; type: string; stem: string; options?: { id: string; text: string }[] };
type Version = { version: number; used: boolean };

/** A raw DATETIME(3): a Date from mysql2, UTC text from SQLite. */
const timeOf = (value: unknown) =>
  value === null
    ? null
    : value instanceof Date
      ? value.getTime()
      : new Date(`${String(value).replace(' ', 'T').replace(/Z?$/, 'Z')}`).getTime();

describe(`exam start and submit (${engine})`, () => {
  let t: TestApp;
  let adminToken: string;
  let coordinator: User;
  let coordinatorToken: string;
  let position: string;

  beforeAll(async () => {
    t = await bootTestApp();
    adminToken = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    coordinatorToken = await t.tokenFor(coordinator);
    position = await aSectorPosition(t, adminToken, 'health', 'KES-MULAI');
  });
  afterAll(() => t?.close());

  const aBank = async (name: string) =>
    (
      await t
        .as(coordinatorToken)
        .post('/api/v1/question-banks')
        .send({ name, sector: 'health' })
        .expect(201)
    ).body.id as string;

  const aQuestion = async (bankId: string, name: string, extra: Record<string, unknown> = {}) =>
    (
      await t
        .as(coordinatorToken)
        .post(`/api/v1/question-banks/${bankId}/questions`)
        .send({
          name,
          type: 'single_choice',
          stem: `Pertanyaan ${name}`,
          definition: choice('Benar', 'Salah'),
          ...extra,
        })
        .expect(201)
    ).body.id as string;

  const versionsOf = async (questionId: string) =>
    (
      (await t.as(coordinatorToken).get(`/api/v1/questions/${questionId}`).expect(200)).body
        .versions as Version[]
    ).map((v) => ({ version: v.version, used: v.used }));

  const edit = async (questionId: string, change: Record<string, unknown>) =>
    (await t.as(coordinatorToken).put(`/api/v1/questions/${questionId}`).send(change).expect(200))
      .body as { version: number };

  async function anExam(sections: unknown[], extra: Record<string, unknown> = {}) {
    const id = (
      await t
        .as(coordinatorToken)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian mulai',
          sector: 'health',
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections,
          ...extra,
        })
        .expect(201)
    ).body.id as string;
    return {
      id,
      publish: () => t.as(coordinatorToken).post(`/api/v1/assessments/${id}/publish`).expect(200),
    };
  }

  const aCandidate = async () => t.tokenFor(await anAsnIn(t, position));

  const start = async (token: string, examId: string) =>
    (await t.as(token).post(`/api/v1/assessments/${examId}/attempts`).expect(201)).body as {
      id: string;
      resumed: boolean;
      items: Item[];
    };

  it('publication marks the versions of the pool used; an edit after it makes a new version, which the next start marks', async () => {
    const bankId = await aBank('Bank publikasi');
    const first = await aQuestion(bankId, 'PUB-1');
    const second = await aQuestion(bankId, 'PUB-2');
    const unrelated = await aQuestion(bankId, 'LAIN', { difficulty: 'sulit' });
    const exam = await anExam([{ bankId, count: 2, difficulty: 'mudah' }]);
    await edit(first, { difficulty: 'mudah' });
    await edit(second, { difficulty: 'mudah' });
    // A draft holds nothing: its questions are edited in place.
    expect(await versionsOf(first)).toEqual([{ version: 1, used: false }]);

    await exam.publish();
    expect(await versionsOf(first)).toEqual([{ version: 1, used: true }]);
    expect(await versionsOf(second)).toEqual([{ version: 1, used: true }]);
    // Only the pool: a question the exam cannot draw stays editable in place.
    expect(await versionsOf(unrelated)).toEqual([{ version: 1, used: false }]);

    // No candidate has seen it, yet a candidate may at any moment: a new version.
    expect((await edit(first, { stem: 'Pertanyaan PUB-1, diperbaiki' })).version).toBe(2);
    expect(await versionsOf(first)).toEqual([
      { version: 1, used: true },
      { version: 2, used: false },
    ]);
    const attempt = await start(await aCandidate(), exam.id);
    expect(attempt.items.map((i) => i.stem)).toEqual([
      'Pertanyaan PUB-1, diperbaiki',
      'Pertanyaan PUB-2',
    ]);
    expect(await versionsOf(first)).toEqual([
      { version: 1, used: true },
      { version: 2, used: true },
    ]);
    expect((await edit(first, { stem: 'Pertanyaan PUB-1, versi tiga' })).version).toBe(3);
    // The attempt still shows what it drew.
    const shown = await t.as(coordinatorToken).get(`/api/v1/attempts/${attempt.id}`).expect(200);
    expect(shown.body.items[0].stem).toBe('Pertanyaan PUB-1, diperbaiki');
  });

  it('a question added to the bank after publication is marked used by the first start that draws it', async () => {
    const bankId = await aBank('Bank tambahan');
    const kept = await aQuestion(bankId, 'TAMBAH-1', { difficulty: 'mudah' });
    const leaving = await aQuestion(bankId, 'TAMBAH-2', { difficulty: 'mudah' });
    const exam = await anExam([{ bankId, count: 2, difficulty: 'mudah' }]);
    await exam.publish();
    const added = await aQuestion(bankId, 'TAMBAH-3', { difficulty: 'mudah' });
    expect(await versionsOf(added)).toEqual([{ version: 1, used: false }]);
    // One leaves the pool: the next draw must take the added one.
    await edit(leaving, { difficulty: 'sulit' });

    const attempt = await start(await aCandidate(), exam.id);
    expect(attempt.items.map((i) => i.stem).sort()).toEqual([
      'Pertanyaan TAMBAH-1',
      'Pertanyaan TAMBAH-3',
    ]);
    expect(await versionsOf(added)).toEqual([{ version: 1, used: true }]);
    expect(await versionsOf(kept)).toEqual([{ version: 1, used: true }]);
    // Used now: an edit makes a new version and the attempt keeps the one it showed.
    expect((await edit(added, { stem: 'Pertanyaan TAMBAH-3, diubah' })).version).toBe(2);
    const again = await t.as(coordinatorToken).get(`/api/v1/attempts/${attempt.id}`).expect(200);
    expect(again.body.items.map((i: Item) => i.stem).sort()).toEqual([
      'Pertanyaan TAMBAH-1',
      'Pertanyaan TAMBAH-3',
    ]);
  });

  /**
   * Makes `method` of `target` fail its first call as a conflict between Galera nodes does at
   * commit (1213): the transaction around it is rolled back and run again whole (ADR 0041).
   */
  function conflictOnce<T extends object>(target: T, method: keyof T & string) {
    const original = target[method] as (...args: unknown[]) => unknown;
    let calls = 0;
    (target as Record<string, unknown>)[method] = function (this: T, ...args: unknown[]) {
      if (++calls > 1) return original.apply(this, args);
      const conflict = new Error(
        'Deadlock found when trying to get lock; try restarting transaction',
      );
      return Promise.reject(Object.assign(conflict, { code: 'ER_LOCK_DEADLOCK', errno: 1213 }));
    };
    return {
      calls: () => calls,
      restore: () => delete (target as Record<string, unknown>)[method],
    };
  }

  it('a start that lost a conflict and ran again still marks the question it drew used, so an edit cannot change it under the candidate', async () => {
    const bankId = await aBank('Bank konflik mulai');
    const leaving = await aQuestion(bankId, 'KONFLIK-1', { difficulty: 'mudah' });
    const exam = await anExam([{ bankId, count: 1, difficulty: 'mudah' }]);
    await exam.publish();
    const added = await aQuestion(bankId, 'KONFLIK-2', { difficulty: 'mudah' });
    // The first leaves the pool: the start must draw the one added after publication.
    await edit(leaving, { difficulty: 'sulit' });
    expect(await versionsOf(added)).toEqual([{ version: 1, used: false }]);

    const conflict = conflictOnce(t.app.get(AttemptsRepository), 'insertStarted');
    let attempt;
    try {
      attempt = await start(await aCandidate(), exam.id);
    } finally {
      conflict.restore();
    }
    expect(conflict.calls()).toBe(2);
    expect(await versionsOf(added)).toEqual([{ version: 1, used: true }]);
    // An edit is a new version: the attempt keeps the text it showed.
    expect((await edit(added, { stem: 'Pertanyaan KONFLIK-2, diubah' })).version).toBe(2);
    const shown = await t.as(coordinatorToken).get(`/api/v1/attempts/${attempt.id}`).expect(200);
    expect(shown.body.items.map((i: Item) => i.stem)).toEqual(['Pertanyaan KONFLIK-2']);
  });

  it('a submit that lost a conflict and ran again still records the evidence of its pass', async () => {
    const bankId = await aBank('Bank konflik kumpul');
    await aQuestion(bankId, 'KUMPUL-1', { difficulty: 'mudah' });
    const exam = await anExam([{ bankId, count: 1 }], { passPercent: 0 });
    await exam.publish();
    const token = await aCandidate();
    const attempt = await start(token, exam.id);

    // The first run grades (the attempt passes) and fails as it records the evidence.
    const conflict = conflictOnce(t.app.get(EvidenceService), 'recordEarned');
    let submitted;
    try {
      submitted = await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    } finally {
      conflict.restore();
    }
    expect(submitted.body.status).toBe('graded');
    const [stored] = await t.dataSource.query<{ passed: number | boolean }[]>(
      'SELECT passed FROM attempts WHERE id = ?',
      [attempt.id],
    );
    expect(Boolean(stored.passed)).toBe(true);
    // The second run records it: the pass is not left without its evidence.
    expect(conflict.calls()).toBe(2);
  });

  it('the start answers with the attempt as a later read shows it', async () => {
    const bankId = await aBank('Bank tampilan');
    for (const name of ['TAMPIL-1', 'TAMPIL-2', 'TAMPIL-3'])
      await aQuestion(bankId, name, { difficulty: 'mudah' });
    const exam = await anExam([{ bankId, count: 3 }], { shuffle: true, timeLimitMinutes: 30 });
    await exam.publish();
    const token = await aCandidate();
    const started = await start(token, exam.id);
    expect(started.resumed).toBe(false);
    const read = await t.as(token).get(`/api/v1/attempts/${started.id}`).expect(200);
    const { serverTime: a, resumed, ...fromStart } = started as unknown as Record<string, unknown>;
    const { serverTime: b, ...fromRead } = read.body as Record<string, unknown>;
    expect([typeof a, typeof b, resumed]).toEqual(['string', 'string', false]);
    expect(fromStart).toEqual(fromRead);
    const resumedStart = (
      await t.as(token).post(`/api/v1/assessments/${exam.id}/attempts`).expect(200)
    ).body;
    expect(resumedStart.resumed).toBe(true);
    expect(resumedStart.id).toBe(started.id);
  });

  it('grading in one statement stores what one UPDATE per item stored, and a regrade keeps grades and overrides', async () => {
    const bankId = await aBank('Bank penilaian satu pernyataan');
    const imported = await t
      .as(coordinatorToken)
      .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(
        [
          '::A-PG:: Ibu kota Sumatera Utara? {=Medan ~Padang ~Sibolga}',
          '::B-ANGKA:: Dua tambah dua? {#4:0}',
          '::C-ISIAN:: Singkatan pusat kesehatan masyarakat? {=puskesmas}',
          '::D-URAIAN:: Jelaskan lima momen kebersihan tangan. {}',
        ].join('\n\n'),
      )
      .expect(200);
    expect(imported.body.imported).toBe(4);
    const exam = await anExam([{ bankId, count: 4 }], { reviewPolicy: 'feedback' });
    await exam.publish();
    const token = await aCandidate();
    const attempt = await start(token, exam.id);
    const slotOf = (type: string) => attempt.items.find((i) => i.type === type)!;
    const choiceItem = slotOf('single_choice');
    const answers: [number, unknown][] = [
      [choiceItem.slot, choiceItem.options!.find((o) => o.text === 'Medan')!.id],
      [slotOf('numeric').slot, 5],
      [slotOf('short_answer').slot, 'puskesmas'],
      [slotOf('essay').slot, 'Sebelum dan sesudah kontak pasien.'],
    ];
    for (const [slot, response] of answers)
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${slot}`)
        .send({ response })
        .expect(200);
    const submitted = await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    expect(submitted.body).toMatchObject({
      status: 'needs_grading',
      items: [
        { slot: 1, score: 1, correct: true },
        { slot: 2, score: 0, correct: false },
        { slot: 3, score: 1, correct: true },
        { slot: 4, score: null, correct: null },
      ],
    });
    // The submit's answer is the stored attempt.
    const { serverTime: s1, ...fromSubmit } = submitted.body;
    const read = await t.as(token).get(`/api/v1/attempts/${attempt.id}`).expect(200);
    const { serverTime: s2, ...fromRead } = read.body;
    expect([typeof s1, typeof s2]).toEqual(['string', 'string']);
    expect(fromSubmit).toEqual(fromRead);

    const rows = async () =>
      (
        (await t.dataSource.query(
          'SELECT slot, fraction, score, gradedBy, graderComment, gradedAt, overrideReason FROM attempt_items WHERE attemptId = ? ORDER BY slot',
          [attempt.id],
        )) as Record<string, unknown>[]
      ).map((r) => ({
        slot: Number(r.slot),
        fraction: r.fraction === null ? null : Number(r.fraction),
        score: r.score === null ? null : Number(r.score),
        gradedBy: r.gradedBy,
        graderComment: r.graderComment,
        gradedAt: timeOf(r.gradedAt),
        overrideReason: r.overrideReason,
      }));
    const submittedAt = new Date(submitted.body.submittedAt).getTime();
    // What one UPDATE per item wrote: every item graded at the submit, the essay waiting.
    expect(await rows()).toEqual([
      {
        slot: 1,
        fraction: 1,
        score: 1,
        gradedBy: null,
        graderComment: null,
        gradedAt: submittedAt,
        overrideReason: null,
      },
      {
        slot: 2,
        fraction: 0,
        score: 0,
        gradedBy: null,
        graderComment: null,
        gradedAt: submittedAt,
        overrideReason: null,
      },
      {
        slot: 3,
        fraction: 1,
        score: 1,
        gradedBy: null,
        graderComment: null,
        gradedAt: submittedAt,
        overrideReason: null,
      },
      {
        slot: 4,
        fraction: null,
        score: null,
        gradedBy: null,
        graderComment: null,
        gradedAt: submittedAt,
        overrideReason: null,
      },
    ]);

    // A person grades the essay; an admin overrides the numeric item with a reason.
    await t
      .as(coordinatorToken)
      .post(`/api/v1/attempts/${attempt.id}/answers/4/grade`)
      .send({ score: 0.5, comment: 'Kurang lengkap' })
      .expect(200);
    await t
      .as(adminToken)
      .post(`/api/v1/attempts/${attempt.id}/answers/2/override`)
      .send({ score: 1, reason: 'Kunci angka salah ketik di bank soal' })
      .expect(200);
    // A hand-set grade on a machine-graded item from before ADR 0020: a regrade replaces it.
    await t.dataSource.query(
      'UPDATE attempt_items SET gradedBy = ?, graderComment = ?, score = 0, fraction = 0 WHERE attemptId = ? AND slot = 3',
      [coordinator.id, 'dinilai tangan dulu', attempt.id],
    );
    const beforeRegrade = await rows();

    // The key is corrected: Padang is right now; the regrade uses the latest version.
    const choiceQuestion = (
      (await t.as(coordinatorToken).get(`/api/v1/question-banks/${bankId}/questions`)).body as {
        id: string;
        name: string;
        definition: { options: { id: string; text: string }[] };
      }[]
    ).find((q) => q.name === 'A-PG')!;
    await edit(choiceQuestion.id, {
      definition: {
        options: choiceQuestion.definition.options.map((o) => ({
          ...o,
          fraction: o.text === 'Padang' ? 1 : 0,
        })),
      },
    });
    const regraded = await t
      .as(coordinatorToken)
      .post(`/api/v1/assessments/${exam.id}/regrade`)
      .expect(200);
    expect(regraded.body).toMatchObject({ regraded: 1, overridesKept: [{ slot: 2, score: 1 }] });
    const after = await rows();
    const regradedAt = after[0].gradedAt!;
    expect(regradedAt).toBeGreaterThan(submittedAt);
    expect(after).toEqual([
      { ...beforeRegrade[0], fraction: 0, score: 0, gradedAt: regradedAt },
      // The override and the person's grade of the essay stay as they were, to the column.
      beforeRegrade[1],
      {
        ...beforeRegrade[2],
        fraction: 1,
        score: 1,
        gradedBy: null,
        graderComment: null,
        gradedAt: regradedAt,
      },
      beforeRegrade[3],
    ]);
    expect(beforeRegrade[1]).toMatchObject({ score: 1, overrideReason: expect.any(String) });
    expect(beforeRegrade[3]).toMatchObject({
      score: 0.5,
      gradedBy: coordinator.id,
      graderComment: 'Kurang lengkap',
    });
    const result = await t.as(token).get(`/api/v1/attempts/${attempt.id}`).expect(200);
    expect(result.body.result).toEqual({ score: 2.5, maxScore: 4, percent: 62.5, passed: true });
  });

  it('two submits at the same instant: one grades, both answer with the same result', async () => {
    const bankId = await aBank('Bank serentak');
    await aQuestion(bankId, 'SERENTAK-1');
    const exam = await anExam([{ bankId, count: 1 }], { reviewPolicy: 'correctness' });
    await exam.publish();
    const token = await aCandidate();
    const attempt = await start(token, exam.id);
    const item = attempt.items[0];
    const right = inAttemptIds(item, choice('Benar', 'Salah'), 'a');
    await t
      .as(token)
      .put(`/api/v1/attempts/${attempt.id}/answers/1`)
      .send({ response: right })
      .expect(200);
    const [a, b] = await Promise.all(
      [1, 2].map(() => t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200)),
    );
    const strip = (body: Record<string, unknown>) => ({ ...body, serverTime: undefined });
    expect(strip(a.body)).toEqual(strip(b.body));
    expect(a.body).toMatchObject({ status: 'graded', result: { percent: 100, passed: true } });
  });
});
