import type { EntityManager } from 'typeorm';
import { rawRows } from './development-plan-report.js';
import { meanGain, type GainPair } from './learning-gain.js';

/** The learning gain on one competency (Kirkpatrick level 2, per competency: ADR 0040). */
export interface CompetencyGain {
  code: string;
  title: string;
  /** Learners with a pre-test and a graded post-test that both asked about it. */
  learners: number;
  learningGain: number | null;
}

interface Sitting {
  id: string;
  userId: string;
  assessmentId: string;
  pretest: boolean;
  percent: number;
  startedAt: number;
}

const num = (value: unknown) => Number(value ?? 0);

/**
 * The normalised gain per competency: for each learner, their first pre-test and their best
 * graded regular attempt of the year on the same assessment, each scored on the items of the
 * competency alone (points earned ÷ points asked). Two grouped queries whatever the number
 * of learners; the pairing is done in memory over one row per sitting.
 */
export async function competencyGains(
  db: EntityManager,
  year: number,
  sectors: string[] | null,
): Promise<CompetencyGain[]> {
  const params = {
    from: new Date(Date.UTC(year, 0, 1)),
    to: new Date(Date.UTC(year + 1, 0, 1)),
    sectors: sectors?.length ? sectors : ['-'],
  };
  const inSector = sectors ? ' AND a.sector IN (:...sectors)' : '';
  // Sittings that can pair: pre-tests, and graded regular attempts of the year by someone
  // who sat the pre-test of that assessment.
  const scope = `FROM attempts t JOIN assessments a ON a.id = t.assessmentId
    WHERE ((t.purpose = 'pretest' AND t.percent IS NOT NULL)
      OR (t.purpose IS NULL AND t.status = 'graded' AND t.percent IS NOT NULL
        AND t.startedAt >= :from AND t.startedAt < :to
        AND EXISTS (SELECT 1 FROM attempts p WHERE p.userId = t.userId
          AND p.assessmentId = t.assessmentId AND p.purpose = 'pretest')))${inSector}`;
  const [sittings, scores] = await Promise.all([
    rawRows(
      db,
      `SELECT t.id AS id, t.userId AS userId, t.assessmentId AS assessmentId,
          t.purpose AS purpose, t.percent AS percent, t.startedAt AS startedAt ${scope}`,
      params,
    ),
    rawRows(
      db,
      `SELECT i.attemptId AS attemptId, q.competencyCode AS code, SUM(i.points) AS asked,
          SUM(COALESCE(i.fraction, 0) * i.points) AS earned
        FROM attempt_items i JOIN questions q ON q.id = i.questionId
        JOIN (SELECT t.id ${scope}) s ON s.id = i.attemptId
        WHERE q.competencyCode IS NOT NULL
        GROUP BY i.attemptId, q.competencyCode`,
      params,
    ),
  ]);

  // Per learner and assessment: the first pre-test and the best regular sitting.
  const pairs = new Map<string, { pre?: Sitting; post?: Sitting }>();
  for (const row of sittings) {
    const s: Sitting = {
      id: String(row.id),
      userId: String(row.userId),
      assessmentId: String(row.assessmentId),
      pretest: row.purpose === 'pretest',
      percent: num(row.percent),
      startedAt: new Date(row.startedAt as string).getTime(),
    };
    const key = `${s.userId}:${s.assessmentId}`;
    const pair = pairs.get(key) ?? {};
    if (s.pretest) {
      if (!pair.pre || s.startedAt < pair.pre.startedAt) pair.pre = s;
    } else if (!pair.post || s.percent > pair.post.percent) pair.post = s;
    pairs.set(key, pair);
  }
  const byAttempt = new Map<string, Map<string, number>>();
  for (const row of scores) {
    const asked = num(row.asked);
    if (!asked) continue;
    const attempt = byAttempt.get(String(row.attemptId)) ?? new Map<string, number>();
    attempt.set(String(row.code), (num(row.earned) / asked) * 100);
    byAttempt.set(String(row.attemptId), attempt);
  }
  const perCompetency = new Map<string, GainPair[]>();
  for (const { pre, post } of pairs.values()) {
    if (!pre || !post) continue;
    const before = byAttempt.get(pre.id);
    const after = byAttempt.get(post.id);
    if (!before || !after) continue;
    for (const [code, prePercent] of before) {
      const postPercent = after.get(code);
      if (postPercent === undefined) continue;
      const list = perCompetency.get(code) ?? [];
      list.push({ pre: prePercent, post: postPercent });
      perCompetency.set(code, list);
    }
  }
  if (!perCompetency.size) return [];
  const titles = new Map(
    (await rawRows(db, 'SELECT c.code AS code, c.title AS title FROM competencies c', {})).map(
      (r) => [String(r.code), String(r.title)],
    ),
  );
  return [...perCompetency]
    .map(([code, list]) => ({
      code,
      title: titles.get(code) ?? code,
      learners: list.length,
      learningGain: meanGain(list),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
}
