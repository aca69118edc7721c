import { publishedExam } from '../helpers/exams.js';
import {
  bootTestApp,
  createTestDatabase,
  engine,
  type TestApp,
  redisEnv,
  type TestDatabase,
} from '../helpers/test-app.js';

/*
 * Issue 21: starts and submits read the assessment, its draw pool and the sectors' states
 * from short caches (ExamCache, SectorsService). A coordinator's or an admin's change must
 * still hold from the very next start, on this instance and, through Redis, on the others:
 * a cache warmed by a start just before is the attacker's window, so every test warms it first.
 */

const GIFT = [
  '::C1:: Cuci tangan sebelum kontak dengan pasien? {T}',
  '::C2:: Identitas pasien dicek dua kali? {T}',
].join('\n\n');

type Started = { id: string; items: { slot: number; stem: string }[] };

const start = (t: TestApp, token: string, examId: string) =>
  t.as(token).post(`/api/v1/assessments/${examId}/attempts`);

describe(`exam caches forget at once (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  const candidates: string[] = [];

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    for (let i = 0; i < 6; i++) candidates.push(await t.tokenFor(await t.createUser('asn')));
  });
  afterAll(() => t.close());

  it('an exam narrowed to one candidate refuses the others at their next start', async () => {
    const exam = await publishedExam(t, coordinator, {
      title: 'Cache Audiens',
      gift: GIFT,
      count: 2,
    });
    const [first, second] = candidates;
    await start(t, first, exam.id).expect(201);
    const me = (await t.as(first).get('/api/v1/me').expect(200)).body as {
      id: string;
    };
    await t
      .as(coordinator)
      .put(`/api/v1/assessments/${exam.id}`)
      .send({ audience: { everyone: false, userIds: [me.id] } })
      .expect(200);
    await start(t, second, exam.id).expect(404);
  });

  it('a question edited after a start is what the next start shows; the first keeps its own', async () => {
    const exam = await publishedExam(t, coordinator, { title: 'Cache Soal', gift: GIFT, count: 2 });
    const [, , third, fourth] = candidates;
    const before = (await start(t, third, exam.id).expect(201)).body as Started;
    const questions = (
      await t.as(coordinator).get(`/api/v1/question-banks/${exam.bankId}/questions`).expect(200)
    ).body as { id: string; name: string }[];
    const c1 = questions.find((q) => q.name === 'C1')!;
    await t
      .as(coordinator)
      .put(`/api/v1/questions/${c1.id}`)
      .send({ stem: 'Cuci tangan dengan sabun sebelum kontak dengan pasien?' })
      .expect(200);
    const after = (await start(t, fourth, exam.id).expect(201)).body as Started;
    expect(after.items[0].stem).toBe('Cuci tangan dengan sabun sebelum kontak dengan pasien?');
    const again = (await t.as(third).get(`/api/v1/attempts/${before.id}`)).body as Started;
    expect(again.items[0].stem).toBe(before.items[0].stem);
    expect(before.items[0].stem).toBe('Cuci tangan sebelum kontak dengan pasien?');
  });

  it('a sector switched off refuses the next start, with its state cached a moment before', async () => {
    const exam = await publishedExam(t, coordinator, {
      title: 'Cache Sektor',
      gift: GIFT,
      count: 2,
    });
    const [, , , , fifth, sixth] = candidates;
    await start(t, fifth, exam.id).expect(201);
    await t
      .as(admin)
      .patch('/api/v1/sectors/health')
      .send({ enabled: false, confirm: true })
      .expect(200);
    try {
      const refused = await start(t, sixth, exam.id).expect(422);
      expect(refused.body.code).toBe('sector.disabled');
    } finally {
      await t.as(admin).patch('/api/v1/sectors/health').send({ enabled: true });
    }
    await start(t, sixth, exam.id).expect(201);
  });
});

describe(`exam caches forget in every instance, through Redis (${engine})`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('an exam narrowed on one instance refuses others on the other, whose cache was warm', async () => {
    const env = redisEnv();
    const a = await bootTestApp({ database, env });
    const b = await bootTestApp({ database, env });
    try {
      const coordinator = await a.tokenFor(
        await a.createUser('coordinator', { sectors: ['health'] }),
      );
      const owner = await a.createUser('asn');
      const others: string[] = [];
      for (let i = 0; i < 5; i++) others.push(await a.tokenFor(await a.createUser('asn')));
      const exam = await publishedExam(a, coordinator, {
        title: 'Cache Dua',
        gift: GIFT,
        count: 2,
      });
      await start(b, await a.tokenFor(owner), exam.id).expect(201);
      await a
        .as(coordinator)
        .put(`/api/v1/assessments/${exam.id}`)
        .send({ audience: { everyone: false, userIds: [owner.id] } })
        .expect(200);
      // Pub/sub is asynchronous: B hears of it within moments, well before the 2 s TTL.
      const deadline = Date.now() + 1000;
      let status = 201;
      for (const token of others) {
        status = (await start(b, token, exam.id)).status;
        if (status !== 201 || Date.now() > deadline) break;
      }
      expect(status).toBe(404);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
