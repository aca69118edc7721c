import { AnswerStore } from '../../src/assessment/engine/answer-store.js';
import { AttemptItem } from '../../src/assessment/engine/assessment.entity.js';
import { Clock } from '../../src/platform/clock.js';
import { SectorState } from '../../src/registry/sector-state.entity.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';
import { publishedExam } from '../helpers/exams.js';

/*
 * Issue 21, from the attacker's side: the answer save is one conditional UPDATE with the
 * attempt's fixed parts cached per process. Whatever the cache holds, a save lands only in
 * the caller's own open attempt before its deadline and while its sector is on, and every
 * refusal answers as the step-by-step checks did (404, 409, 422, saved:false).
 */

const GIFT = [
  '::SC:: Ibu kota Sumatera Utara? {=Medan ~Padang ~Sibolga}',
  '::TF:: Cuci tangan sebelum kontak pasien. {T}',
].join('\n\n');
const MINUTE = 60_000;

type Item = { slot: number; type: string; options?: { id: string; text: string }[] };
type Attempt = { id: string; deadline: string | null; items: Item[] };

describe(`answer save: one statement, no way around it (${engine})`, () => {
  let t: TestApp;
  let assessmentId: string;

  beforeAll(async () => {
    t = await bootTestApp();
    const coordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['health'] }),
    );
    ({ id: assessmentId } = await publishedExam(t, coordinator, {
      title: 'Ujian simpan jawaban',
      gift: GIFT,
      count: 2,
      settings: { timeLimitMinutes: 10 },
    }));
  });
  afterAll(() => t.close());

  async function candidate(): Promise<{ token: string; attempt: Attempt }> {
    const token = await t.tokenFor(await t.createUser('asn'));
    const attempt = (
      await t.as(token).post(`/api/v1/assessments/${assessmentId}/attempts`).expect(201)
    ).body as Attempt;
    return { token, attempt };
  }

  const choice = (attempt: Attempt) => attempt.items.find((i) => i.type === 'single_choice')!;
  const trueFalse = (attempt: Attempt) => attempt.items.find((i) => i.type === 'true_false')!;
  const save = (token: string, attemptId: string, slot: number, body: object) =>
    t.as(token).put(`/api/v1/attempts/${attemptId}/answers/${slot}`).send(body);

  async function stored(attemptId: string, slot: number) {
    const [row] = await t.dataSource.query(
      'SELECT response, responseSeq, flagged, answeredAt FROM attempt_items WHERE attemptId = ? AND slot = ?',
      [attemptId, slot],
    );
    return {
      response: row.response === null ? null : JSON.parse(row.response),
      seq: Number(row.responseSeq),
      flagged: !!Number(row.flagged),
      answered: row.answeredAt !== null,
    };
  }

  async function withClock<T>(offsetMs: number, work: () => Promise<T>): Promise<T> {
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => new Date(real().getTime() + offsetMs);
    try {
      return await work();
    } finally {
      clock.now = real;
    }
  }

  it("stores nothing in someone else's attempt, with the owner's snapshot cold or warm", async () => {
    const owner = await candidate();
    const intruder = await candidate();
    const slot = trueFalse(owner.attempt).slot;
    // Cold: the intruder is the first to touch the attempt.
    const cold = await save(intruder.token, owner.attempt.id, slot, { response: true, seq: 1 });
    expect(cold.status).toBe(404);
    // Warm: the owner saved, so the process holds the attempt's snapshot.
    await save(owner.token, owner.attempt.id, slot, { response: false, seq: 1 }).expect(200);
    for (const body of [{ response: true, seq: 9 }, { flagged: true }, { response: 'x' }]) {
      const warm = await save(intruder.token, owner.attempt.id, slot, body).expect(404);
      // The same answer as an id that does not exist: nothing tells the attempt exists.
      expect(warm.body.message).toBe(cold.body.message);
    }
    await save(intruder.token, owner.attempt.id, 99, { response: true }).expect(404);
    const missing = await save(intruder.token, '00000000-0000-4000-8000-000000000000', 1, {
      response: true,
    }).expect(404);
    expect(missing.body.message).toBe(cold.body.message);
    // The statement itself checks the owner: the snapshot is a cache, not the guard.
    const [intruderId] = await t.dataSource.query('SELECT userId FROM attempts WHERE id = ?', [
      intruder.attempt.id,
    ]);
    const write = (userId: string) =>
      t.app.get(AnswerStore).write({
        attemptId: owner.attempt.id,
        userId,
        slot,
        now: new Date(),
        answer: { response: true, seq: 50 },
      });
    expect(await write(intruderId.userId)).toBe(false);
    expect(await stored(owner.attempt.id, slot)).toMatchObject({
      response: false,
      seq: 1,
      flagged: false,
    });
  });

  it("never serves one candidate's warm snapshot to another: ids of one attempt mean nothing in the next", async () => {
    const first = await candidate();
    const second = await candidate();
    const firstChoice = choice(first.attempt);
    const medan = firstChoice.options!.find((o) => o.text === 'Medan')!.id;
    await save(first.token, first.attempt.id, firstChoice.slot, { response: medan, seq: 1 }).expect(
      200,
    );
    // The first attempt's opaque id is unknown in the second one; which would be is not said.
    const refused = await save(second.token, second.attempt.id, choice(second.attempt).slot, {
      response: medan,
      seq: 1,
    }).expect(400);
    for (const option of choice(second.attempt).options!)
      expect(JSON.stringify(refused.body)).not.toContain(option.id);
    const own = choice(second.attempt).options!.find((o) => o.text === 'Medan')!.id;
    const ok = await save(second.token, second.attempt.id, choice(second.attempt).slot, {
      response: own,
      seq: 1,
    }).expect(200);
    expect(ok.body).toMatchObject({ saved: true, seq: 1, response: own });
    expect((await stored(second.attempt.id, choice(second.attempt).slot)).response).toBe(
      (await stored(first.attempt.id, firstChoice.slot)).response,
    );
  });

  it('refuses a save after the deadline (409) with the snapshot warm, stores nothing and closes the attempt', async () => {
    const { token, attempt } = await candidate();
    const slot = trueFalse(attempt).slot;
    await save(token, attempt.id, slot, { response: true, seq: 1 }).expect(200);
    const deadline = new Date(attempt.deadline!).getTime();
    // A second before the deadline still counts (the comparison holds on the stored format).
    await withClock(deadline - Date.now() - 1_000, () =>
      save(token, attempt.id, slot, { response: true, seq: 2 }).expect(200),
    );
    const late = await withClock(deadline - Date.now() + 1, () =>
      save(token, attempt.id, slot, { response: false, seq: 3 }).expect(409),
    );
    expect(late.body.message).toMatch(/habis/);
    await withClock(11 * MINUTE, () =>
      save(token, attempt.id, slot, { flagged: true }).expect(409),
    );
    expect(await stored(attempt.id, slot)).toMatchObject({
      response: true,
      seq: 2,
      flagged: false,
    });
    const [row] = await t.dataSource.query('SELECT status FROM attempts WHERE id = ?', [
      attempt.id,
    ]);
    expect(row.status).not.toBe('in_progress');
  });

  it('refuses a save after submit (409), an invalid one too, and stores nothing', async () => {
    const { token, attempt } = await candidate();
    const slot = trueFalse(attempt).slot;
    await save(token, attempt.id, slot, { response: true, seq: 1 }).expect(200);
    await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    const late = await save(token, attempt.id, slot, { response: false, seq: 2 }).expect(409);
    expect(late.body.message).toMatch(/dikumpulkan/);
    await save(token, attempt.id, slot, { flagged: true }).expect(409);
    // What is wrong with the request is said only of an attempt still open, as before.
    await save(token, attempt.id, slot, { response: 'not a boolean' }).expect(409);
    await save(token, attempt.id, 99, { response: true }).expect(409);
    expect(await stored(attempt.id, slot)).toMatchObject({
      response: true,
      seq: 1,
      flagged: false,
    });
  });

  it('refuses a save into an open attempt whose sector is switched off (422), and takes it when on again', async () => {
    const { token, attempt } = await candidate();
    const slot = trueFalse(attempt).slot;
    await save(token, attempt.id, slot, { response: true, seq: 1 }).expect(200);
    // The state alone, as in a race with the voiding that follows the switch.
    const sectors = t.dataSource.getRepository(SectorState);
    await sectors.update({ key: 'health' }, { enabled: false });
    try {
      const off = await save(token, attempt.id, slot, { response: false, seq: 2 }).expect(422);
      expect(off.body.message).toContain('dinonaktifkan');
      await save(token, attempt.id, slot, { flagged: true }).expect(422);
    } finally {
      await sectors.update({ key: 'health' }, { enabled: true });
    }
    expect(await stored(attempt.id, slot)).toMatchObject({
      response: true,
      seq: 1,
      flagged: false,
    });
    await save(token, attempt.id, slot, { response: false, seq: 2 }).expect(200);
    expect(await stored(attempt.id, slot)).toMatchObject({ response: false, seq: 2 });
  });

  it('orders saves by seq: an older one is acknowledged, not stored, and told what is', async () => {
    const { token, attempt } = await candidate();
    const item = choice(attempt);
    const [medan, padang] = ['Medan', 'Padang'].map(
      (text) => item.options!.find((o) => o.text === text)!.id,
    );
    const newer = await save(token, attempt.id, item.slot, { response: padang, seq: 5 }).expect(
      200,
    );
    expect(newer.body).toMatchObject({ slot: item.slot, saved: true, seq: 5, response: padang });
    const older = await save(token, attempt.id, item.slot, { response: medan, seq: 4 }).expect(200);
    expect(older.body).toEqual({ slot: item.slot, saved: false, seq: 5, response: padang });
    // Without seq a save follows the stored one; a flag alone keeps the answer and its seq.
    const next = await save(token, attempt.id, item.slot, { response: medan }).expect(200);
    expect(next.body).toMatchObject({ saved: true, seq: 6, response: medan });
    const flag = await save(token, attempt.id, item.slot, { flagged: true }).expect(200);
    expect(flag.body).toMatchObject({ saved: true, seq: 6, flagged: true });
    expect(flag.body.response).toBeUndefined();
    expect(await stored(attempt.id, item.slot)).toMatchObject({ seq: 6, flagged: true });
    // The time is stored as TypeORM stores it, so the entity reads it back.
    const row = await t.dataSource
      .getRepository(AttemptItem)
      .findOneByOrFail({ attemptId: attempt.id, slot: item.slot });
    expect(row.answeredAt!.toISOString()).toBe(next.body.savedAt);
    // Clearing is an answer too.
    await save(token, attempt.id, item.slot, { response: null, seq: 7 }).expect(200);
    expect(await stored(attempt.id, item.slot)).toMatchObject({ response: null, seq: 7 });
  });
});
