import { EventEmitter2 } from '@nestjs/event-emitter';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ATTEMPT_GRADED } from '../../src/assessment/engine/assessment.events.js';
import { Browser } from '../helpers/browser.js';
import {
  bootTestApp,
  createTestDatabase,
  csrfOf,
  engine,
  TEST_PASSWORD,
  type TestApp,
  type TestDatabase,
  TEST_REDIS_URL as REDIS_URL,
} from '../helpers/test-app.js';

/** Six questions a machine grades: the right option is always "Benar", every statement true. */
const GIFT = [
  '::P1:: Cuci tangan sebelum kontak dengan pasien? {=Benar ~Salah ~Tidak perlu}',
  '::P2:: Identitas pasien dicek dua kali? {=Benar ~Salah ~Kadang-kadang}',
  '::P3:: Limbah tajam masuk kotak khusus? {=Benar ~Salah ~Terserah}',
  '::P4:: Alat pelindung diri dipakai sesuai risiko? {=Benar ~Salah ~Tidak tahu}',
  '::P5:: Hand rub berbasis alkohol boleh dipakai bila tangan tidak tampak kotor. {T}',
  '::P6:: Insiden keselamatan pasien wajib dilaporkan. {T}',
].join('\n\n');

type Item = { slot: number; type: string; options?: { id: string; text: string }[] };
type AttemptBody = {
  id: string;
  status: string;
  items: (Item & { response: unknown; seq: number })[];
  result?: { score: number; maxScore: number; percent: number; passed: boolean | null };
};

/**
 * Two instances of the app on one database, as behind a load balancer: an ASN's exam moves
 * from one to the other with nothing lost and is graded once; the answer-save limit is shared
 * through Redis, and counted per instance without it.
 */
describe(`an exam across two instances (${engine})`, () => {
  let database: TestDatabase;
  const prefix = `sa-test-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });

  beforeAll(async () => {
    database = await createTestDatabase();
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await database.drop();
  });

  // Each test boots and closes its own pair: passport keeps one strategy per process, the
  // last booted app's, so an instance must not outlive the pair it was booted with.
  async function pair(env: Record<string, string> = {}): Promise<[TestApp, TestApp]> {
    const first = await bootTestApp({ database, env });
    return [first, await bootTestApp({ database, env })];
  }

  /** A published exam of the six questions, made through instance `t`. */
  async function publishedExam(t: TestApp, extra: Record<string, unknown> = {}) {
    const coordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['health'] }),
    );
    const bankId = (
      await t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: `Bank ${randomBytes(3).toString('hex')}`, sector: 'health' })
        .expect(201)
    ).body.id as string;
    await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);
    // The exam attests a national competency, which only an admin sets (ADR 0012).
    const admin = await t.tokenFor(await t.createUser('admin'));
    const id = (
      await t
        .as(admin)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian Keselamatan Pasien',
          sector: 'health',
          timeLimitMinutes: 60,
          passPercent: 70,
          maxAttempts: 1,
          shuffle: true,
          sections: [{ bankId, count: 6 }],
          attests: [{ competencyCode: 'M.1', level: 2 }],
          reviewPolicy: 'feedback',
          ...extra,
        })
        .expect(201)
    ).body.id as string;
    await t.as(coordinator).post(`/api/v1/assessments/${id}/publish`).expect(200);
    return id;
  }

  const right = (item: Item) =>
    item.type === 'true_false' ? true : item.options!.find((o) => o.text === 'Benar')!.id;
  const wrong = (item: Item) =>
    item.type === 'true_false' ? false : item.options!.find((o) => o.text === 'Salah')!.id;
  /** The field value a page form sends for a response. */
  const field = (value: unknown) => String(value);

  it("moves an ASN's exam between instances: every answer kept, stale saves ignored, graded once", async () => {
    const [a, b] = await pair();
    const instances = [a, b];
    try {
      const assessmentId = await publishedExam(a);
      const user = await a.createUser('asn');
      const token = await a.tokenFor(user);
      const graded: string[] = [];
      for (const [n, t] of instances.entries())
        t.app.get(EventEmitter2).on(ATTEMPT_GRADED, () => graded.push(n === 0 ? 'A' : 'B'));

      // Signed in through the login page of A; the attempt starts on A's pages.
      const browser = new Browser(instances);
      const login = await browser.get(0, '/masuk');
      const signedIn = await browser.post(0, '/masuk', {
        _csrf: csrfOf(login.text),
        username: user.email!,
        password: TEST_PASSWORD,
      });
      expect(signedIn.status).toBe(303);
      const start = await browser.get(0, `/ujian/${assessmentId}`);
      expect(start.status).toBe(200);
      const started = await browser.post(0, `/ujian/${assessmentId}/mulai`, {
        _csrf: csrfOf(start.text),
      });
      expect(started.status).toBe(303);
      const attemptId = /\/ujian\/percobaan\/([^/?#]+)$/.exec(started.headers.location)![1];
      const api = `/api/v1/attempts/${attemptId}`;
      const items = (await a.as(token).get(api).expect(200)).body.items as Item[];
      expect(items).toHaveLength(6);
      const [i1, i2, i3, i4, i5, i6] = items;

      // Two answers saved on A through the API (the first, wrong, to be corrected later).
      await a
        .as(token)
        .put(`${api}/answers/${i1.slot}`)
        .send({ response: wrong(i1), seq: 1 })
        .expect(200);
      await a
        .as(token)
        .put(`${api}/answers/${i2.slot}`)
        .send({ response: right(i2), seq: 2 })
        .expect(200);

      // The connection moves to B: the same page session shows the exam with those answers.
      const onB = await browser.get(1, `/ujian/percobaan/${attemptId}`);
      expect(onB.status).toBe(200);
      expect(onB.text).toContain(`value="${right(i2)}" checked`);
      const csrfFromB = csrfOf(onB.text);
      // exam.js's autosave on B, then a form without JavaScript on B.
      const autosaved = await browser.put(
        1,
        `/ujian/percobaan/${attemptId}/jawaban/${i3.slot}`,
        { response: right(i3), seq: 3 },
        csrfFromB,
      );
      expect(autosaved.status).toBe(200);
      expect(autosaved.body).toMatchObject({ saved: true, seq: 3 });
      const formSave = await browser.post(1, `/ujian/percobaan/${attemptId}`, {
        _csrf: csrfFromB,
        slots: `${i4.slot},${i5.slot}`,
        [`s${i4.slot}`]: field(right(i4)),
        [`s${i5.slot}`]: field(right(i5)),
        go: '',
      });
      expect(formSave.status).toBe(303);
      // A CSRF token one instance issued is good on the other (the secret is in the cookie).
      const crossCsrf = await browser.put(
        0,
        `/ujian/percobaan/${attemptId}/jawaban/${i6.slot}`,
        { flagged: true },
        csrfFromB,
      );
      expect(crossCsrf.status).toBe(200);
      // The session outlives its access cookie: B renews it from the refresh cookie A set.
      browser.forget('sa_access');
      const renewed = await browser.get(1, `/ujian/percobaan/${attemptId}`);
      expect(renewed.status).toBe(200);
      expect(browser.has('sa_access')).toBe(true);

      // The correction of the first answer goes to A with seq 10; a retry of an older save
      // (seq 9), still in flight, lands on B afterwards: it is acknowledged and ignored.
      await a
        .as(token)
        .put(`${api}/answers/${i1.slot}`)
        .send({ response: right(i1), seq: 10 })
        .expect(200);
      const stale = await b
        .as(token)
        .put(`${api}/answers/${i1.slot}`)
        .send({ response: wrong(i1), seq: 9 })
        .expect(200);
      expect(stale.body).toMatchObject({ saved: false, seq: 10, response: right(i1) });
      // Two saves of one slot racing on the two instances: the higher seq wins wherever it lands.
      await Promise.all([
        a
          .as(token)
          .put(`${api}/answers/${i6.slot}`)
          .send({ response: right(i6), seq: 12 })
          .expect(200),
        b
          .as(token)
          .put(`${api}/answers/${i6.slot}`)
          .send({ response: wrong(i6), seq: 11 })
          .expect(200),
      ]);

      // Read on B: every answer, wherever it was saved, at its newest seq.
      const read = (await b.as(token).get(api).expect(200)).body as AttemptBody;
      expect(read.status).toBe('in_progress');
      const bySlot = new Map(read.items.map((item) => [item.slot, item]));
      for (const item of items) expect(bySlot.get(item.slot)!.response).toEqual(right(item));
      expect(bySlot.get(i1.slot)!.seq).toBe(10);
      expect(bySlot.get(i6.slot)).toMatchObject({ seq: 12, flagged: true });
      // The same on A.
      expect(((await a.as(token).get(api).expect(200)).body as AttemptBody).items).toEqual(
        read.items,
      );

      // Submitted on both instances at the same instant: one grading, the same result to both.
      const [onA, onBSubmit] = await Promise.all([
        a.as(token).post(`${api}/submit`),
        b.as(token).post(`${api}/submit`),
      ]);
      expect([onA.status, onBSubmit.status]).toEqual([200, 200]);
      expect(onA.body.status).toBe('graded');
      expect(onA.body.result).toEqual({ score: 6, maxScore: 6, percent: 100, passed: true });
      expect(onBSubmit.body.result).toEqual(onA.body.result);
      // The page's submit on B afterwards: straight to the same result.
      const pageSubmit = await browser.post(1, `/ujian/percobaan/${attemptId}/kumpulkan`, {
        _csrf: csrfFromB,
      });
      expect(pageSubmit.status).toBe(303);
      expect(pageSubmit.headers.location).toBe(`/ujian/percobaan/${attemptId}/hasil`);
      const result = await browser.get(0, `/ujian/percobaan/${attemptId}/hasil`);
      expect(result.status).toBe(200);
      expect(graded).toHaveLength(1);
      const evidence = await a.dataSource.query(
        'SELECT source, sourceId FROM evidence WHERE userId = ?',
        [user.id],
      );
      expect(evidence).toEqual([{ source: 'assessment', sourceId: attemptId }]);

      // Closed everywhere: a late save to either instance is a 409 and changes nothing.
      for (const t of instances)
        await t
          .as(token)
          .put(`${api}/answers/${i2.slot}`)
          .send({ response: wrong(i2), seq: 99 })
          .expect(409);
      const late = await browser.put(
        1,
        `/ujian/percobaan/${attemptId}/jawaban/${i3.slot}`,
        { response: wrong(i3), seq: 99 },
        csrfFromB,
      );
      expect(late.status).toBe(409);
      const final = (await b.as(token).get(api).expect(200)).body as AttemptBody;
      expect(final.result).toEqual(onA.body.result);
      expect(final.items.map((i) => i.response)).toEqual(read.items.map((i) => i.response));
    } finally {
      await b.close();
      await a.close();
    }
  });

  /** Starts an attempt through `t` and returns a save that answers its first question. */
  async function saver(t: TestApp, assessmentId: string) {
    const token = await t.tokenFor(await t.createUser('asn'));
    const attempt = (await t.as(token).post(`/api/v1/assessments/${assessmentId}/attempts`))
      .body as AttemptBody;
    let seq = 0;
    return (on: TestApp) =>
      on
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${attempt.items[0].slot}`)
        .send({ response: right(attempt.items[0]), seq: ++seq });
  }

  it('without Redis each instance counts answer saves on its own', async () => {
    const [a, b] = await pair({ ANSWER_RATE_LIMIT: '3' });
    try {
      const save = await saver(a, await publishedExam(a));
      for (let i = 0; i < 3; i++) await save(a).expect(200);
      await save(a).expect(429);
      // The other instance has counted nothing yet.
      for (let i = 0; i < 3; i++) await save(b).expect(200);
      await save(b).expect(429);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('with Redis the answer-save limit holds across instances: 429 with Retry-After, nothing stored', async () => {
    const [a, b] = await pair({ ANSWER_RATE_LIMIT: '4', REDIS_URL, REDIS_PREFIX: prefix });
    try {
      const assessmentId = await publishedExam(a);
      const save = await saver(a, assessmentId);
      await save(a).expect(200);
      await save(b).expect(200);
      await save(a).expect(200);
      await save(b).expect(200);
      const refused = await save(a).expect(429);
      expect(refused.body).toMatchObject({
        statusCode: 429,
        code: 'attempt.throttled',
        message: expect.stringContaining('Terlalu banyak penyimpanan jawaban'),
      });
      const wait = Number(refused.headers['retry-after']);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      await save(b).expect(429);
      expect((await redis.keys(`${prefix}:answer-user*`)).length).toBe(1);

      // Another candidate has a limit of their own; the exam pages count too: the
      // autosave and the no-JavaScript form, one hit per request, on either instance.
      const user = await a.createUser('asn');
      const browser = new Browser([a, b]);
      const login = await browser.get(0, '/masuk');
      await browser.post(0, '/masuk', {
        _csrf: csrfOf(login.text),
        username: user.email!,
        password: TEST_PASSWORD,
      });
      const start = await browser.get(0, `/ujian/${assessmentId}`);
      const started = await browser.post(0, `/ujian/${assessmentId}/mulai`, {
        _csrf: csrfOf(start.text),
      });
      const exam = await browser.get(1, started.headers.location);
      const csrf = csrfOf(exam.text);
      const attemptId = started.headers.location.split('/').pop()!;
      const token = await a.tokenFor(user);
      const items = (await a.as(token).get(`/api/v1/attempts/${attemptId}`)).body.items as Item[];
      const allOnOnePage = {
        _csrf: csrf,
        slots: items.map((i) => i.slot).join(','),
        ...Object.fromEntries(items.map((i) => [`s${i.slot}`, field(right(i))])),
        go: '',
      };
      // Six answers in one form: one hit.
      expect((await browser.post(1, started.headers.location, allOnOnePage)).status).toBe(303);
      for (const [n, on] of [0, 1].entries())
        expect(
          (
            await browser.put(
              on,
              `/ujian/percobaan/${attemptId}/jawaban/${items[0].slot}`,
              { response: wrong(items[0]), seq: 20 + n },
              csrf,
            )
          ).status,
        ).toBe(200);
      await a
        .as(token)
        .put(`/api/v1/attempts/${attemptId}/answers/${items[1].slot}`)
        .send({ response: wrong(items[1]), seq: 30 })
        .expect(200);
      const autosave = await browser.put(
        1,
        `/ujian/percobaan/${attemptId}/jawaban/${items[2].slot}`,
        { response: wrong(items[2]), seq: 40 },
        csrf,
      );
      expect(autosave.status).toBe(429);
      expect(Number(autosave.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      const form = await browser.post(0, started.headers.location, {
        ...allOnOnePage,
        [`s${items[3].slot}`]: field(wrong(items[3])),
      });
      expect(form.status).toBe(429);
      expect(form.text).toContain('<h1>Terlalu banyak permintaan</h1>');
      expect(form.text).toContain('Terlalu banyak penyimpanan jawaban');
      // What was refused was not stored.
      const stored = (await b.as(token).get(`/api/v1/attempts/${attemptId}`)).body as AttemptBody;
      const bySlot = new Map(stored.items.map((i) => [i.slot, i.response]));
      expect(bySlot.get(items[2].slot)).toEqual(right(items[2]));
      expect(bySlot.get(items[3].slot)).toEqual(right(items[3]));
      // Reading and submitting are not limited.
      await b.as(token).post(`/api/v1/attempts/${attemptId}/submit`).expect(200);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
