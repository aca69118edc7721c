import { randomUUID } from 'node:crypto';
import { DevelopmentModule } from '../../src/development/development.module.js';
import {
  EvaluationResponse,
  type EvaluationKind,
} from '../../src/development/development.entity.js';
import { EvaluationAggregates } from '../../src/development/evaluations/evaluation-aggregates.js';
import { bootMedium, type MediumApp } from '../helpers/medium.js';

const Y = 2026;

/** The numbers of levels 1 and 3 the reports read (ADR 0040), worked out by hand. */
describe('evaluation aggregates (medium)', () => {
  let m: MediumApp;
  let aggregates: EvaluationAggregates;

  const answer = (
    kind: EvaluationKind,
    ratings: Record<string, number>,
    extra: Partial<EvaluationResponse> = {},
  ): Partial<EvaluationResponse> => ({
    id: randomUUID(),
    kind,
    evaluationId: kind === 'reaction' ? null : randomUUID(),
    subjectUserId: null,
    courseId: null,
    schemeId: null,
    certificateId: null,
    ratings,
    comment: null,
    year: Y,
    createdAt: new Date(),
    ...extra,
  });

  async function insert(rows: Partial<EvaluationResponse>[]) {
    for (let i = 0; i < rows.length; i += 400)
      await m.dataSource
        .getRepository(EvaluationResponse)
        .createQueryBuilder()
        .insert()
        .values(rows.slice(i, i + 400))
        .execute();
  }

  beforeAll(async () => {
    m = await bootMedium([DevelopmentModule]);
    aggregates = m.get(EvaluationAggregates);
  });
  afterAll(() => m.close());

  it('a course’s reaction: count always, the mean of every rating and per item only from 5 answers', async () => {
    const five = randomUUID();
    const four = randomUUID();
    await insert([
      answer('reaction', { '1': 5, '2': 4, '3': 3, '4': 4 }, { courseId: five }),
      answer('reaction', { '1': 4, '2': 4, '3': 2, '4': 4 }, { courseId: five }),
      answer('reaction', { '1': 3, '2': 5, '3': 3, '4': 5 }, { courseId: five }),
      answer('reaction', { '1': 5, '2': 3, '3': 1, '4': 4 }, { courseId: five }),
      answer('reaction', { '1': 4, '2': 4, '3': 3, '4': 3 }, { courseId: five }),
      // Another year's answer does not count.
      answer('reaction', { '1': 1, '2': 1, '3': 1, '4': 1 }, { courseId: five, year: Y - 1 }),
      ...[1, 2, 3, 4].map(() =>
        answer('reaction', { '1': 5, '2': 5, '3': 5, '4': 5 }, { courseId: four }),
      ),
    ]);
    const result = await aggregates.reactionByCourse(Y, [five, four, randomUUID()]);
    // Items: 21/5, 20/5, 12/5, 20/5; all 20 ratings: 73/20.
    expect(result.get(five)).toEqual({
      count: 5,
      mean: 3.65,
      itemMeans: { '1': 4.2, '2': 4, '3': 2.4, '4': 4 },
    });
    expect(result.get(four)).toEqual({ count: 4, mean: null, itemMeans: null });
    expect(result.size).toBe(2);
    expect((await aggregates.reactionByCourse(Y, [])).size).toBe(0);
    expect((await aggregates.reactionByCourse(Y)).get(five)?.count).toBe(5);
  });

  it('a scheme’s behaviour: self and supervisor means, and the change from the same person’s baseline', async () => {
    const scheme = randomUUID();
    const [u1, u2, u3] = [randomUUID(), randomUUID(), randomUUID()];
    await insert([
      answer(
        'behaviour_supervisor',
        { 'M.1': 4, 'M.2': 5 },
        { schemeId: scheme, subjectUserId: u1 },
      ),
      answer(
        'behaviour_supervisor',
        { 'M.1': 3, 'M.2': 3 },
        { schemeId: scheme, subjectUserId: u2 },
      ),
      answer('behaviour_self', { 'M.1': 5, 'M.2': 5 }, { schemeId: scheme, subjectUserId: u1 }),
      // Baselines: u1's M.1 this year; u2's both last year; u2's older one and u3's ignored.
      answer('baseline', { 'M.1': 2 }, { subjectUserId: u1 }),
      answer('baseline', { 'M.1': 3, 'M.2': 1 }, { subjectUserId: u2, year: Y - 1 }),
      answer('baseline', { 'M.1': 5, 'M.2': 5 }, { subjectUserId: u2, year: Y - 2 }),
      answer('baseline', { 'M.1': 1 }, { subjectUserId: u3 }),
      // Another year's behaviour does not count.
      answer(
        'behaviour_supervisor',
        { 'M.1': 1 },
        { schemeId: scheme, subjectUserId: u3, year: Y - 1 },
      ),
    ]);
    const result = await aggregates.behaviourByScheme(Y);
    // Supervisor: (4+5+3+3)/4; baseline of the matched pairs: (2+3+1)/3; change: (2+0+2)/3.
    expect(result.get(scheme)).toEqual({
      count: 3,
      selfCount: 1,
      supervisorCount: 2,
      selfMean: 5,
      supervisorMean: 3.75,
      baselineMean: 2,
      supervisorChange: 1.33,
      pairs: 3,
    });
  });

  // Volume, not speed: the figures at 10,000 ASN come from `npm run bench:development`.
  it('a year of 10,000 ASN sums every pair once', async () => {
    const year = 2030;
    const courses = Array.from({ length: 40 }, () => randomUUID());
    const schemes = Array.from({ length: 20 }, () => randomUUID());
    const rows: Partial<EvaluationResponse>[] = [];
    const r = (i: number, k: number) => 1 + ((i * 7 + k * 3) % 5);
    for (let i = 0; i < 10_000; i++) {
      const subjectUserId = randomUUID();
      const schemeId = schemes[i % schemes.length];
      const codes = { 'M.1': r(i, 1), 'M.2': r(i, 2), 'S.3': r(i, 3) };
      rows.push(
        answer(
          'reaction',
          { '1': r(i, 1), '2': r(i, 2), '3': r(i, 3), '4': r(i, 4) },
          {
            courseId: courses[i % courses.length],
            year,
          },
        ),
        answer('behaviour_self', codes, { schemeId, subjectUserId, year }),
        answer('behaviour_supervisor', codes, { schemeId, subjectUserId, year }),
        answer('baseline', { 'M.1': 2, 'M.2': 2, 'S.3': 2 }, { subjectUserId, year }),
      );
    }
    await insert(rows);
    const [reaction, behaviour] = await Promise.all([
      aggregates.reactionByCourse(year),
      aggregates.behaviourByScheme(year),
    ]);
    expect(reaction.size).toBe(40);
    expect(behaviour.size).toBe(20);
    expect([...behaviour.values()].reduce((n, b) => n + b.pairs, 0)).toBe(30_000);
  }, 120_000);
});
