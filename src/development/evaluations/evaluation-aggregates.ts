import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IndicatorsService, type IndicatorView } from '../indicators/indicators.service.js';

/** Reports show a reaction mean only for a course and year with at least this many answers. */
export const MIN_REACTION_ANSWERS = 5;

/** A course's reaction in a year. */
export interface ReactionAggregate {
  count: number;
  /** The mean of every rating given (null below 5 answers). */
  mean: number | null;
  /** Per item key ("1".."n"), the mean of its ratings (null below 5 answers). */
  itemMeans: Record<string, number> | null;
}

/** A scheme's behaviour ratings in a year (level 3). */
export interface BehaviourAggregate {
  /** Answers (self and supervisor). */
  count: number;
  selfCount: number;
  supervisorCount: number;
  selfMean: number | null;
  supervisorMean: number | null;
  /** The supervisors' baseline of the same people and competencies, where one exists. */
  baselineMean: number | null;
  /** Mean of (supervisor rating − baseline) over the same person and competency. */
  supervisorChange: number | null;
  /** How many (person, competency) ratings had a baseline to compare with. */
  pairs: number;
}

const round = (value: unknown): number | null =>
  value === null || value === undefined ? null : Math.round(Number(value) * 100) / 100;

/**
 * The evaluation numbers the reports read (ADR 0040), each one set-based SQL over the
 * answers, never read row by row here. On SQLite the ratings are expanded by `json_each`
 * and grouped by key; on MariaDB/MySQL, where a JSON expansion grouped by key is slow, the
 * rating keys in use are read first (a few per course or scheme), then each is summed by a
 * constant JSON path in one grouped query.
 */
@Injectable()
export class EvaluationAggregates {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicators: IndicatorsService,
  ) {}

  private get sqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * The rating keys used by the answers `where` selects, per group column (course or
   * scheme): a small set, read first so that the sums below extract each key by a constant
   * path (a JSON expansion grouped by key is slow on MariaDB).
   */
  private async keysBy(
    group: 'courseId' | 'schemeId',
    where: string,
    params: unknown[],
  ): Promise<Map<string, Set<string>>> {
    const keys = new Map<string, Set<string>>();
    const add = (id: string, key: string) => {
      if (!keys.has(id)) keys.set(id, new Set());
      keys.get(id)!.add(key);
    };
    if (this.sqlite) {
      const rows: { id: string; k: string }[] = await this.dataSource.query(
        `SELECT DISTINCT r.\`${group}\` AS id, j.key AS k FROM \`evaluation_responses\` r, json_each(r.\`ratings\`) j WHERE ${where}`,
        params,
      );
      for (const row of rows) add(row.id, String(row.k));
    } else {
      const rows: { id: string; k: string }[] = await this.dataSource.query(
        `SELECT DISTINCT r.\`${group}\` AS id, JSON_KEYS(r.\`ratings\`) AS k FROM \`evaluation_responses\` r WHERE ${where}`,
        params,
      );
      for (const row of rows)
        for (const key of JSON.parse(row.k ?? '[]') as string[]) add(row.id, String(key));
    }
    return keys;
  }

  /** Per key: the JSON path and the groups whose answers have it. */
  private static columns(keys: Map<string, Set<string>>): { path: string; groups: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const [id, set] of keys)
      for (const key of set) groups.set(key, [...(groups.get(key) ?? []), id]);
    return [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, ids]) => ({ key, path: `$."${key.replace(/["\\]/g, '')}"`, groups: ids }))
      .map(({ path, groups: ids }) => ({ path, groups: ids }));
  }

  /** Per course id: answers, mean and item means of the year's reactions (means need 5 answers). */
  async reactionByCourse(
    year: number,
    courseIds?: string[],
  ): Promise<Map<string, ReactionAggregate>> {
    if (this.sqlite) return this.reactionByCourseSqlite(year, courseIds);
    const result = new Map<string, ReactionAggregate>();
    if (courseIds && !courseIds.length) return result;
    const filter = courseIds
      ? ` AND r.\`courseId\` IN (${courseIds.map(() => '?').join(', ')})`
      : '';
    const where = `r.\`kind\` = 'reaction' AND r.\`year\` = ? AND r.\`courseId\` IS NOT NULL${filter}`;
    const params = [year, ...(courseIds ?? [])];
    const keys = await this.keysBy('courseId', where, params);
    const itemKeys = [...new Set([...keys.values()].flatMap((set) => [...set]))].sort(
      (a, b) => Number(a) - Number(b) || a.localeCompare(b),
    );
    const columns: string[] = [];
    const columnParams: unknown[] = [];
    itemKeys.forEach((key, i) => {
      columns.push(
        `SUM(JSON_EXTRACT(r.\`ratings\`, ?)) AS s${i}`,
        `COUNT(JSON_EXTRACT(r.\`ratings\`, ?)) AS n${i}`,
      );
      columnParams.push(`$."${key}"`, `$."${key}"`);
    });
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT r.\`courseId\` AS courseId, COUNT(*) AS answers${columns.map((c) => `, ${c}`).join('')}
       FROM \`evaluation_responses\` r WHERE ${where} GROUP BY r.\`courseId\``,
      [...columnParams, ...params],
    );
    for (const row of rows) {
      const count = Number(row.answers);
      const aggregate: ReactionAggregate = { count, mean: null, itemMeans: null };
      result.set(String(row.courseId), aggregate);
      if (count < MIN_REACTION_ANSWERS) continue;
      let total = 0;
      let n = 0;
      const itemMeans: Record<string, number> = {};
      itemKeys.forEach((key, i) => {
        const sum = Number(row[`s${i}`] ?? 0);
        const given = Number(row[`n${i}`] ?? 0);
        if (!given) return;
        total += sum;
        n += given;
        itemMeans[key] = round(sum / given)!;
      });
      if (!n) continue;
      aggregate.mean = round(total / n);
      aggregate.itemMeans = itemMeans;
    }
    return result;
  }

  /**
   * Per scheme id: the year's self and supervisor means, the supervisors' baseline (from plan
   * agreement, the year before or this one) of the same people and competencies, and the
   * change between them, pair by pair.
   */
  async behaviourByScheme(year: number): Promise<Map<string, BehaviourAggregate>> {
    if (this.sqlite) return this.behaviourBySchemeSqlite(year);
    const where = `r.\`year\` = ? AND r.\`kind\` IN ('behaviour_self', 'behaviour_supervisor') AND r.\`schemeId\` IS NOT NULL`;
    const codes = EvaluationAggregates.columns(await this.keysBy('schemeId', where, [year]));
    if (!codes.length) return new Map();
    // One column per competency code, extracted only for the schemes that rate it.
    const xColumns: string[] = [];
    const xParams: unknown[] = [];
    const bColumns: string[] = [];
    const bParams: unknown[] = [];
    codes.forEach(({ path, groups }, i) => {
      xColumns.push(
        `CASE WHEN r.\`schemeId\` IN (${groups.map(() => '?').join(', ')}) THEN JSON_EXTRACT(r.\`ratings\`, ?) END AS v${i}`,
      );
      xParams.push(...groups, path);
      bColumns.push(`AVG(JSON_EXTRACT(r.\`ratings\`, ?)) AS b${i}`);
      bParams.push(path);
    });
    const both = (i: number) => `x.v${i} IS NOT NULL AND b.b${i} IS NOT NULL`;
    const sum = (expr: (i: number) => string) => codes.map((_, i) => expr(i)).join(' + ');
    const given = (i: number) => `CASE WHEN x.v${i} IS NOT NULL THEN 1 ELSE 0 END`;
    const value = (i: number) => `COALESCE(x.v${i}, 0)`;
    const paired = (i: number) => `CASE WHEN ${both(i)} THEN 1 ELSE 0 END`;
    const baseline = (i: number) => `CASE WHEN ${both(i)} THEN b.b${i} ELSE 0 END`;
    const change = (i: number) => `CASE WHEN ${both(i)} THEN x.v${i} - b.b${i} ELSE 0 END`;
    // Two queries, each on one kind: the holders' own ratings alone, the supervisors' beside
    // the baseline of the same person (one query over both kinds is slower on MariaDB).
    const ofKind = (kind: string, withBaseline: boolean): Promise<Record<string, unknown>[]> =>
      this.dataSource.query(
        `SELECT x.schemeId AS schemeId, COUNT(*) AS answers,
           SUM(${sum(value)}) AS total, SUM(${sum(given)}) AS given
           ${withBaseline ? `, SUM(${sum(baseline)}) AS baselineSum, SUM(${sum(change)}) AS changeSum, SUM(${sum(paired)}) AS pairs` : ''}
         FROM (
           SELECT r.\`schemeId\` AS schemeId, r.\`subjectUserId\` AS subjectUserId,
                  ${xColumns.join(',\n                  ')}
           FROM \`evaluation_responses\` r
           WHERE r.\`year\` = ? AND r.\`kind\` = ? AND r.\`schemeId\` IS NOT NULL
         ) x
         ${
           withBaseline
             ? `LEFT JOIN (
           SELECT r.\`subjectUserId\` AS subjectUserId, ${bColumns.join(', ')}
           FROM \`evaluation_responses\` r
           WHERE r.\`kind\` = 'baseline' AND r.\`year\` IN (?, ?) AND r.\`subjectUserId\` IN (
             SELECT s.\`subjectUserId\` FROM \`evaluation_responses\` s
             WHERE s.\`year\` = ? AND s.\`kind\` = 'behaviour_supervisor')
           GROUP BY r.\`subjectUserId\`
         ) b ON b.subjectUserId = x.subjectUserId`
             : ''
         }
         GROUP BY x.schemeId`,
        [...xParams, year, kind, ...(withBaseline ? [...bParams, year - 1, year, year] : [])],
      );
    const [selfRows, supervisorRows] = await Promise.all([
      ofKind('behaviour_self', false),
      ofKind('behaviour_supervisor', true),
    ]);
    const bySchemeSelf = new Map(selfRows.map((row) => [String(row.schemeId), row]));
    const bySchemeSupervisor = new Map(supervisorRows.map((row) => [String(row.schemeId), row]));
    const schemes = new Set([...bySchemeSelf.keys(), ...bySchemeSupervisor.keys()]);
    const mean = (total: unknown, n: unknown) =>
      Number(n) > 0 ? round(Number(total) / Number(n)) : null;
    return new Map(
      [...schemes].map((schemeId) => {
        const self = bySchemeSelf.get(schemeId) ?? {};
        const supervisor = bySchemeSupervisor.get(schemeId) ?? {};
        const selfCount = Number(self.answers ?? 0);
        const supervisorCount = Number(supervisor.answers ?? 0);
        return [
          schemeId,
          {
            count: selfCount + supervisorCount,
            selfCount,
            supervisorCount,
            selfMean: mean(self.total, self.given),
            supervisorMean: mean(supervisor.total, supervisor.given),
            baselineMean: mean(supervisor.baselineSum, supervisor.pairs),
            supervisorChange: mean(supervisor.changeSum, supervisor.pairs),
            pairs: Number(supervisor.pairs ?? 0),
          },
        ];
      }),
    );
  }

  /** SQLite: `r.ratings` expanded into (code, rating) rows by `json_each`. */
  private readonly expanded = {
    join: ', json_each(r.`ratings`) j',
    code: 'j.`key`',
    rating: 'CAST(j.`value` AS REAL)',
  };

  /** {@link reactionByCourse} on SQLite, where a JSON expansion grouped by key is fast. */
  private async reactionByCourseSqlite(
    year: number,
    courseIds?: string[],
  ): Promise<Map<string, ReactionAggregate>> {
    const result = new Map<string, ReactionAggregate>();
    if (courseIds && !courseIds.length) return result;
    const filter = courseIds
      ? ` AND r.\`courseId\` IN (${courseIds.map(() => '?').join(', ')})`
      : '';
    const params = [year, ...(courseIds ?? [])];
    const counts: { courseId: string; n: number | string }[] = await this.dataSource.query(
      `SELECT r.\`courseId\` AS courseId, COUNT(*) AS n FROM \`evaluation_responses\` r
       WHERE r.\`kind\` = 'reaction' AND r.\`year\` = ? AND r.\`courseId\` IS NOT NULL${filter}
       GROUP BY r.\`courseId\``,
      params,
    );
    const x = this.expanded;
    const items: { courseId: string; code: string; total: number | string; n: number | string }[] =
      await this.dataSource.query(
        `SELECT r.\`courseId\` AS courseId, ${x.code} AS code, SUM(${x.rating}) AS total, COUNT(*) AS n
         FROM \`evaluation_responses\` r${x.join}
         WHERE r.\`kind\` = 'reaction' AND r.\`year\` = ? AND r.\`courseId\` IS NOT NULL${filter}
         GROUP BY r.\`courseId\`, ${x.code}`,
        params,
      );
    for (const row of counts)
      result.set(row.courseId, { count: Number(row.n), mean: null, itemMeans: null });
    const sums = new Map<string, { total: number; n: number; items: Record<string, number> }>();
    for (const row of items) {
      const entry = sums.get(row.courseId) ?? { total: 0, n: 0, items: {} };
      entry.total += Number(row.total);
      entry.n += Number(row.n);
      entry.items[String(row.code)] = round(Number(row.total) / Number(row.n))!;
      sums.set(row.courseId, entry);
    }
    for (const [courseId, aggregate] of result) {
      const entry = sums.get(courseId);
      if (aggregate.count < MIN_REACTION_ANSWERS || !entry || !entry.n) continue;
      aggregate.mean = round(entry.total / entry.n);
      aggregate.itemMeans = Object.fromEntries(
        Object.entries(entry.items).sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b)),
      );
    }
    return result;
  }

  /** {@link behaviourByScheme} on SQLite. */
  private async behaviourBySchemeSqlite(year: number): Promise<Map<string, BehaviourAggregate>> {
    const x = this.expanded;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH x AS (
         SELECT r.\`id\` AS id, r.\`kind\` AS kind, r.\`schemeId\` AS schemeId,
                r.\`subjectUserId\` AS subjectUserId, ${x.code} AS code, ${x.rating} AS rating
         FROM \`evaluation_responses\` r${x.join}
         WHERE r.\`year\` = ? AND r.\`kind\` IN ('behaviour_self', 'behaviour_supervisor')
           AND r.\`schemeId\` IS NOT NULL
       ), b AS (
         SELECT r.\`subjectUserId\` AS subjectUserId, ${x.code} AS code, AVG(${x.rating}) AS rating
         FROM \`evaluation_responses\` r${x.join}
         WHERE r.\`kind\` = 'baseline' AND r.\`year\` IN (?, ?) AND r.\`subjectUserId\` IS NOT NULL
         GROUP BY r.\`subjectUserId\`, ${x.code}
       )
       SELECT x.schemeId AS schemeId,
         COUNT(DISTINCT x.id) AS count,
         COUNT(DISTINCT CASE WHEN x.kind = 'behaviour_self' THEN x.id END) AS selfCount,
         COUNT(DISTINCT CASE WHEN x.kind = 'behaviour_supervisor' THEN x.id END) AS supervisorCount,
         AVG(CASE WHEN x.kind = 'behaviour_self' THEN x.rating END) AS selfMean,
         AVG(CASE WHEN x.kind = 'behaviour_supervisor' THEN x.rating END) AS supervisorMean,
         AVG(CASE WHEN x.kind = 'behaviour_supervisor' THEN b.rating END) AS baselineMean,
         AVG(CASE WHEN x.kind = 'behaviour_supervisor' AND b.rating IS NOT NULL
                  THEN x.rating - b.rating END) AS supervisorChange,
         SUM(CASE WHEN x.kind = 'behaviour_supervisor' AND b.rating IS NOT NULL
                  THEN 1 ELSE 0 END) AS pairs
       FROM x LEFT JOIN b ON b.subjectUserId = x.subjectUserId AND b.code = x.code
       GROUP BY x.schemeId`,
      [year, year - 1, year],
    );
    return new Map(
      rows.map((row) => [
        String(row.schemeId),
        {
          count: Number(row.count),
          selfCount: Number(row.selfCount),
          supervisorCount: Number(row.supervisorCount),
          selfMean: round(row.selfMean),
          supervisorMean: round(row.supervisorMean),
          baselineMean: round(row.baselineMean),
          supervisorChange: round(row.supervisorChange),
          pairs: Number(row.pairs ?? 0),
        },
      ]),
    );
  }

  /** The year's indicators (level 4) with their change. */
  indicatorsBy(year: number): Promise<IndicatorView[]> {
    return this.indicators.list(year);
  }
}
