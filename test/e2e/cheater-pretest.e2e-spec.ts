import { publishedExam } from '../helpers/exams.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

/** Four true/false questions: the whole bank is one exam's draw. */
const GIFT = Array.from(
  { length: 4 },
  (_, i) => `::RV-${i + 1}:: Pernyataan nomor ${i + 1} benar. {${i % 2 ? 'T' : 'F'}}`,
).join('\n\n');

/**
 * A candidate who would use the pre-test as a marked rehearsal of a one-try exam: it tells
 * the score, never which answer was right (ADR 0040).
 */
describe(`cheater: the pre-test as a rehearsal (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;

  async function examCourse(code: string, assessmentId: string) {
    const created = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code, title: `Pelatihan ${code}`, jp: 3, preTest: true })
        .expect(201)
    ).body;
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${created.id}/lessons`)
      .send({ title: 'Ujian akhir', kind: 'assessment', assessmentId })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/courses/${created.id}/publish`).expect(200);
    return created.id as string;
  }

  beforeAll(async () => {
    t = await bootTestApp();
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
  });
  afterAll(() => t.close());

  it('a pre-test does not show per-question correctness of the one-try exam it precedes', async () => {
    const exam = (
      await publishedExam(t, coordinator, {
        title: 'Ujian satu kali',
        gift: GIFT,
        count: 4,
        settings: { maxAttempts: 1, reviewPolicy: 'feedback' },
      })
    ).id;
    const courseId = await examCourse('RV-PRE-01', exam);
    const token = await t.tokenFor(await t.createUser('asn'));
    await t.as(token).post(`/api/v1/courses/${courseId}/enrollments`).expect(201);
    const pre = (await t.as(token).post(`/api/v1/courses/${courseId}/pretest`).expect(201)).body;
    // Submits blank: the review then tells which statements are true or false.
    const graded = (await t.as(token).post(`/api/v1/attempts/${pre.id}/submit`).expect(200)).body;
    const leaked = graded.items.filter((i: object) => 'correct' in i || 'feedback' in i);
    // The one real try then draws the same four questions (the bank holds no others).
    const real = (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`)).body;
    expect({ review: graded.review, leaked: leaked.length, realItems: real.items?.length }).toEqual(
      {
        review: expect.stringMatching(/^(none|score)$/),
        leaked: 0,
        realItems: 4,
      },
    );
  });
});
