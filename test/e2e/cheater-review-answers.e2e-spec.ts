import type { User } from '../../src/identity/user.entity.js';
import { aSectorCompetency, aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { aGiftBank } from '../helpers/exams.js';
import { aNip } from '../helpers/nip.js';
import { passTime } from '../helpers/study.js';
import { bootTestApp, engine, signInAgent, TestApp } from '../helpers/test-app.js';

/*
 * Issue 22, item 5, from the attacker's side: the result page now shows each question's right
 * answer where the review policy is `answers`. The key must not reach a candidate anywhere
 * else: not while the attempt is open (API, echo of a save, exam page, result page), not under
 * a policy that shows less (feedback), not while `reviewAfterClose` holds the review, and
 * never from another candidate's attempt, and not while the candidate may still try again (a
 * key read after one attempt would pass the next). Items 3 and 4 ride along: the start page says what
 * is inside, and an attempt closed by its deadline says so with what was saved.
 */

const GIFT = [
  '::PG:: Ibu kota Sumatera Utara? {=Medan ~Padang ~Sibolga}',
  '::ANGKA:: Dua tambah dua? {#4:0}',
  '::ISIAN:: Singkatan pusat kesehatan masyarakat? {=puskesmas}',
  '::URAIAN:: Jelaskan lima momen kebersihan tangan. {}',
].join('\n\n');

/** The short answer's key: it appears nowhere in what a candidate is shown, save the key. */
const KEY = 'puskesmas';

type Item = {
  slot: number;
  type: string;
  options?: { id: string; text: string }[];
  answer?: unknown;
  correct?: unknown;
};

describe(`cheater: the right answers stay hidden unless the review policy shows them (${engine})`, () => {
  let t: TestApp;
  let coordinatorToken: string;
  let position: string;
  let bankId: string;
  let people = 22_000 + Math.floor(Math.random() * 5_000);
  /** A health ASN with a NIP, to sign in on the pages. */
  const anAsn = () => anAsnIn(t, position, { nip: aNip(people++) });

  async function anExam(extra: Record<string, unknown>) {
    const id = (
      await t
        .as(coordinatorToken)
        .post('/api/v1/assessments')
        .send({
          title: `Ujian kunci ${Math.random().toString(36).slice(2, 7)}`,
          sector: 'health',
          timeLimitMinutes: 10,
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections: [{ bankId, count: 4 }],
          ...extra,
        })
        .expect(201)
    ).body.id as string;
    await t.as(coordinatorToken).post(`/api/v1/assessments/${id}/publish`).expect(200);
    return id;
  }

  /** A candidate starts, answers everything but the essay (the short answer wrong). */
  async function sit(examId: string, candidate?: User) {
    const user = candidate ?? (await anAsn());
    const token = await t.tokenFor(user);
    const started = await t.as(token).post(`/api/v1/assessments/${examId}/attempts`).expect(201);
    const attempt = started.body as { id: string; items: Item[] };
    const slotOf = (type: string) => attempt.items.find((i) => i.type === type)!.slot;
    const choice = attempt.items.find((i) => i.type === 'single_choice')!;
    const echoes: string[] = [JSON.stringify(started.body)];
    for (const [slot, response] of [
      [choice.slot, choice.options!.find((o) => o.text === 'Padang')!.id],
      [slotOf('numeric'), 4],
      [slotOf('short_answer'), 'posyandu'],
    ] as [number, unknown][])
      echoes.push(
        JSON.stringify(
          (
            await t
              .as(token)
              .put(`/api/v1/attempts/${attempt.id}/answers/${slot}`)
              .send({ response })
              .expect(200)
          ).body,
        ),
      );
    return { user, token, id: attempt.id, echoes, shortAnswer: slotOf('short_answer') };
  }

  beforeAll(async () => {
    t = await bootTestApp();
    const admin = await t.createUser('admin');
    const adminToken = await t.tokenFor(admin);
    const coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    coordinatorToken = await t.tokenFor(coordinator);
    await aSectorCompetency(t, adminToken, 'health', 'KES.KUNCI');
    position = await aSectorPosition(t, adminToken, 'health', 'KES-KUNCI-POS');
    bankId = await aGiftBank(t, coordinatorToken, 'Bank kunci (cheater)', GIFT);
  });
  afterAll(() => t?.close());

  it('an open attempt under the policy that shows answers carries no key: API, save echoes, exam page, result page', async () => {
    const examId = await anExam({ reviewPolicy: 'answers' });
    const attempt = await sit(examId);
    const read = await t.as(attempt.token).get(`/api/v1/attempts/${attempt.id}`).expect(200);
    expect(read.body.review).toBe('none');
    for (const item of read.body.items as Item[]) {
      expect(item).not.toHaveProperty('answer');
      expect(item).not.toHaveProperty('correct');
    }
    for (const text of [...attempt.echoes, JSON.stringify(read.body)])
      expect(text.toLowerCase()).not.toContain(KEY);
    const { agent } = await signInAgent(t, attempt.user.nip!);
    const page = await agent.get(`/ujian/percobaan/${attempt.id}`).expect(200);
    expect(page.text.toLowerCase()).not.toContain(KEY);
    expect(page.text).not.toContain('Jawaban benar');
    // The result page of an open attempt is the exam again, not a review.
    const result = await agent.get(`/ujian/percobaan/${attempt.id}/hasil`);
    expect(result.status).toBe(303);
    expect(result.headers.location).toBe(`/ujian/percobaan/${attempt.id}`);
  });

  it('under feedback, or answers held until the window closes, a finished attempt shows no key', async () => {
    const feedback = await anExam({ reviewPolicy: 'feedback' });
    const held = await anExam({
      reviewPolicy: 'answers',
      reviewAfterClose: true,
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    for (const examId of [feedback, held]) {
      const attempt = await sit(examId);
      const submitted = await t
        .as(attempt.token)
        .post(`/api/v1/attempts/${attempt.id}/submit`)
        .expect(200);
      const read = await t.as(attempt.token).get(`/api/v1/attempts/${attempt.id}`).expect(200);
      for (const body of [submitted.body, read.body]) {
        expect(JSON.stringify(body).toLowerCase()).not.toContain(KEY);
        for (const item of body.items as Item[]) expect(item).not.toHaveProperty('answer');
      }
      const { agent } = await signInAgent(t, attempt.user.nip!);
      const page = await agent.get(`/ujian/percobaan/${attempt.id}/hasil`).expect(200);
      expect(page.text.toLowerCase()).not.toContain(KEY);
      expect(page.text).not.toContain('Jawaban benar');
    }
  });

  it("another candidate cannot read a finished attempt's key, by API or page", async () => {
    const examId = await anExam({ reviewPolicy: 'answers' });
    const attempt = await sit(examId);
    await t.as(attempt.token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    const stranger = await anAsn();
    const strangerToken = await t.tokenFor(stranger);
    const api = await t.as(strangerToken).get(`/api/v1/attempts/${attempt.id}`);
    expect([403, 404]).toContain(api.status);
    expect(JSON.stringify(api.body).toLowerCase()).not.toContain(KEY);
    const { agent } = await signInAgent(t, stranger.nip!);
    const page = await agent.get(`/ujian/percobaan/${attempt.id}/hasil`);
    expect([403, 404]).toContain(page.status);
    expect(page.text.toLowerCase()).not.toContain(KEY);
  });

  it('under answers, a key read after one try never serves the next: withheld while another attempt is possible or open, shown after the last', async () => {
    const examId = await anExam({ reviewPolicy: 'answers', maxAttempts: 2 });
    const candidate = await anAsn();
    const first = await sit(examId, candidate);
    const noKey = async (attemptId: string, also: unknown[] = []) => {
      const read = await t.as(first.token).get(`/api/v1/attempts/${attemptId}`).expect(200);
      for (const body of [read.body, ...also]) {
        expect(JSON.stringify(body).toLowerCase()).not.toContain(KEY);
        for (const item of (body as { items: Item[] }).items)
          expect(item).not.toHaveProperty('answer');
      }
      const { agent } = await signInAgent(t, candidate.nip!);
      const page = await agent.get(`/ujian/percobaan/${attemptId}/hasil`).expect(200);
      expect(page.text.toLowerCase()).not.toContain(KEY);
      expect(page.text).not.toContain('Jawaban benar');
      return read.body;
    };
    // One try left: the first attempt's review is what `feedback` shows, without the key.
    const submitted = await t
      .as(first.token)
      .post(`/api/v1/attempts/${first.id}/submit`)
      .expect(200);
    expect((await noKey(first.id, [submitted.body])).review).toBe('feedback');
    // The last try open: the first attempt still shows no key beside it.
    const second = await sit(examId, candidate);
    await noKey(first.id);
    // The last try sent: both now show the right answers.
    const last = await t.as(second.token).post(`/api/v1/attempts/${second.id}/submit`).expect(200);
    expect(last.body.review).toBe('answers');
    expect(JSON.stringify(last.body).toLowerCase()).toContain(KEY);
    const reread = await t.as(first.token).get(`/api/v1/attempts/${first.id}`).expect(200);
    expect(reread.body.review).toBe('answers');

    // Unlimited tries: the key waits for the window to close.
    const unlimited = await anExam({ reviewPolicy: 'answers', maxAttempts: 0 });
    const open = await sit(unlimited);
    const sent = await t.as(open.token).post(`/api/v1/attempts/${open.id}/submit`).expect(200);
    expect(sent.body.review).toBe('feedback');
    expect(JSON.stringify(sent.body).toLowerCase()).not.toContain(KEY);
  });

  it('under answers, the finished attempt shows each answer and the right one (none for the essay)', async () => {
    const examId = await anExam({ reviewPolicy: 'answers', maxAttempts: 1 });
    const attempt = await sit(examId);
    const submitted = await t
      .as(attempt.token)
      .post(`/api/v1/attempts/${attempt.id}/submit`)
      .expect(200);
    const items = submitted.body.items as (Item & {
      answer: { yours: string[]; correct: string[] | null };
    })[];
    const byType = (type: string) => items.find((i) => i.type === type)!;
    expect(byType('short_answer').answer).toEqual({ yours: ['posyandu'], correct: [KEY] });
    expect(byType('single_choice').answer).toEqual({ yours: ['Padang'], correct: ['Medan'] });
    expect(byType('numeric').answer).toEqual({ yours: ['4'], correct: ['4'] });
    expect(byType('essay').answer).toEqual({ yours: [], correct: null });
    expect(submitted.body.timedOut).toBe(false);
    const { agent } = await signInAgent(t, attempt.user.nip!);
    const page = await agent.get(`/ujian/percobaan/${attempt.id}/hasil`).expect(200);
    expect(page.text).toContain('Jawaban benar');
    expect(page.text).toContain(KEY);
    expect(page.text).not.toContain('Waktu habis');
  });

  it('the start page says what is inside; an attempt closed by its deadline says it was sent automatically, with what was saved', async () => {
    const examId = await anExam({ reviewPolicy: 'answers', maxAttempts: 3 });
    const candidate = await anAsn();
    const { agent } = await signInAgent(t, candidate.nip!);
    const start = await agent.get(`/ujian/${examId}`).expect(200);
    for (const text of [
      'Isi ujian',
      'Uraian: 1 soal',
      'Isian angka: 1 soal',
      'Pilihan ganda: 1 soal',
      '10 menit',
      '3 dari 3',
      'Nilai lulus',
      'soal uraian',
      'jawaban yang benar',
    ])
      expect(start.text).toContain(text);

    const attempt = await sit(examId, candidate);
    passTime(t.app, 11 * 60);
    const read = await t.as(attempt.token).get(`/api/v1/attempts/${attempt.id}`).expect(200);
    expect(read.body.status).not.toBe('in_progress');
    expect(read.body.timedOut).toBe(true);
    const page = await agent.get(`/ujian/percobaan/${attempt.id}/hasil`).expect(200);
    expect(page.text).toContain('Waktu habis — jawaban Anda dikirim otomatis.');
    expect(page.text).toContain('Jawaban yang tersimpan: 3 dari 4 soal.');
    expect(page.text).toMatch(/Soal \d: tidak dijawab/);
    // A save after the deadline is refused, as before.
    await t
      .as(attempt.token)
      .put(`/api/v1/attempts/${attempt.id}/answers/${attempt.shortAnswer}`)
      .send({ response: KEY })
      .expect(409);
  });
});
