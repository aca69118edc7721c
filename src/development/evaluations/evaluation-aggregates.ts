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
 * answers: a rating per row is expanded from the answer's JSON by the database itself
 * (`json_each` on SQLite, `JSON_TABLE` on MariaDB/MySQL), never read row by row here.
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

  /** FROM-clause expansion of `r.ratings` into (code, rating) rows. */
  private expand(): { join: string; code: string; rating: string } {
    return this.sqlite
      ? {
          join: ', json_each(r.`ratings`) j',
          code: 'j.`key`',
          rating: 'CAST(j.`value` AS REAL)',
        }
      : {
          join: ", JSON_TABLE(JSON_KEYS(r.`ratings`), '$[*]' COLUMNS (code VARCHAR(60) PATH '$')) j",
          code: 'j.code',
          rating: "CAST(JSON_EXTRACT(r.`ratings`, CONCAT('$.\"', j.code, '\"')) AS DECIMAL(10,4))",
        };
  }

  /** Per course id: answers, mean and item means of the year's reactions (means need 5 answers). */
  async reactionByCourse(
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
    const x = this.expand();
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

  /**
   * Per scheme id: the year's self and supervisor means, the supervisors' baseline (from plan
   * agreement, the year before or this one) of the same people and competencies, and the
   * change between them, pair by pair.
   */
  async behaviourByScheme(year: number): Promise<Map<string, BehaviourAggregate>> {
    const x = this.expand();
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
