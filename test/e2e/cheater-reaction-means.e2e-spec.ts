import { randomUUID } from 'node:crypto';
import { EvaluationResponse } from '../../src/development/development.entity.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => {
  const today = new Date();
  return new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - n * DAY,
  );
};
// The year of the answers below (they are dated up to three days back).
const YEAR = daysAgo(3).getUTCFullYear();

interface Row {
  code: string;
  reactionMean: number | null;
  reactionCount: number;
}

/**
 * A coordinator who wants to know what one learner thought of a course (ADR 0040): reaction
 * means are published over whole groups of five answers of days that are over, so neither a
 * scheme's mean minus a course's nor the mean before and after one answer tells anyone's.
 */
describe(`cheater: one learner's reaction from the impact report (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  beforeAll(async () => {
    t = await bootTestApp();
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
  });
  afterAll(() => t?.close());

  const course = async (code: string) =>
    (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code, title: `Pelatihan ${code}`, jp: 2 })
        .expect(201)
    ).body.id as string;
  const answer = (courseId: string, rating: number, createdAt: Date) =>
    t.dataSource.getRepository(EvaluationResponse).insert({
      id: randomUUID(),
      kind: 'reaction',
      evaluationId: null,
      subjectUserId: null,
      courseId,
      schemeId: null,
      certificateId: null,
      ratings: { '1': rating, '2': rating, '3': rating, '4': rating },
      comment: null,
      year: YEAR,
      createdAt,
    });
  const report = async () =>
    (await t.as(coordinator).get('/api/v1/reports/impact').query({ year: YEAR }).expect(200))
      .body as { courses: Row[]; schemes: Row[] };

  it("a scheme's mean minus a course's leaves nobody's answer", async () => {
    const big = await course('RV-BIG');
    const small = await course('RV-SMALL');
    await t
      .as(coordinator)
      .post('/api/v1/certification-schemes')
      .send({
        sector: 'health',
        code: 'SK-RV',
        title: 'Skema uji',
        requirements: { courses: ['RV-BIG', 'RV-SMALL'] },
      })
      .expect(201);
    for (let i = 0; i < 5; i++) await answer(big, 4, daysAgo(2));
    // The only learner of RV-SMALL this year rates it 1 throughout.
    await answer(small, 1, daysAgo(2));

    const body = await report();
    const a = body.courses.find((c) => c.code === 'RV-BIG')!;
    const b = body.courses.find((c) => c.code === 'RV-SMALL');
    const s = body.schemes.find((x) => x.code === 'SK-RV')!;
    expect(a).toMatchObject({ reactionMean: 4, reactionCount: 5 });
    // Below five answers a course shows neither a mean nor how many answered...
    if (b) expect(b).toMatchObject({ reactionMean: null, reactionCount: 0 });
    // ...and its answer is not in the scheme's mean either.
    expect(s).toMatchObject({ reactionMean: 4, reactionCount: 5 });
  });

  it('the mean before and after one more answer is the same; it moves by five answers', async () => {
    const id = await course('RV-DIFF');
    const read = async () => (await report()).courses.find((c) => c.code === 'RV-DIFF')!;
    for (let i = 0; i < 5; i++) await answer(id, 5, daysAgo(3));
    const before = await read();
    expect(before).toMatchObject({ reactionMean: 5, reactionCount: 5 });
    // Learner X answers: today's answers wait for the day to end, yesterday's for four more.
    await answer(id, 1, new Date());
    await answer(id, 1, daysAgo(1));
    const after = await read();
    expect(after).toMatchObject({ reactionMean: 5, reactionCount: 5 });
    // Four more answers of a day that is over complete a group of five: the change is the
    // mean of five people, not of one.
    for (let i = 0; i < 4; i++) await answer(id, 3, daysAgo(1));
    const five = await read();
    expect(five.reactionCount).toBe(10);
    expect(five.reactionMean! * 10 - 5 * 5).toBeCloseTo(1 + 3 * 4, 5);
  });
});
