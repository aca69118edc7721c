import { Injectable } from '@nestjs/common';
import { Question, QuestionVersion } from '../assessment/banks/question-bank.entity.js';
import { Assessment, Attempt, AttemptItem } from '../assessment/engine/assessment.entity.js';
import type { ChoiceDefinition } from '../assessment/question-types/choice.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { Course } from '../learning/course.entity.js';
import { Enrollment } from '../learning/enrollment.entity.js';
import { User } from '../identity/user.entity.js';
import {
  itemStatistics,
  type ItemFlag,
  partStatistics,
  type PartStatistics,
} from './item-analysis.js';
import { blankLabel } from '../assessment/interchange/cloze-syntax.js';
import { blankCredits, type ClozeDefinition } from '../assessment/question-types/cloze.type.js';
import { num, percent, whereLearnerInScope, whereSectorInScope } from './report-queries.js';
import { reportError, type ReportScope } from './report-scope.js';

export interface CourseRow {
  code: string;
  title: string;
  sector: string;
  enrolled: number;
  completed: number;
  percentCompleted: number;
  overdue: number;
  averageDaysToComplete: number | null;
}

/** Scores in ten bands of ten percent: [0–10), [10–20) … [90–100]. */
export type Histogram = number[];

export interface AssessmentRow {
  id: string;
  title: string;
  sector: string;
  passPercent: number;
  attempts: number;
  candidates: number;
  passed: number;
  percentPassed: number;
  averagePercent: number | null;
  awaitingGrading: number;
  histogram: Histogram;
}

export interface ItemRow {
  questionId: string;
  version: number;
  name: string;
  type: string;
  attempts: number;
  correct: number;
  facility: number;
  discrimination: number | null;
  unanswered: number;
  options: { id: string; text: string; credit: number; chosen: number }[] | null;
  /** A cloze: facility and discrimination per blank. */
  blanks: PartStatistics[] | null;
  flags: ItemFlag[];
}

export interface ItemAnalysis {
  assessment: { id: string; title: string; sector: string };
  attempts: number;
  items: ItemRow[];
}

const BANDS = 10;

/**
 * How the sector's programmes work: completion per course, results per assessment, and the
 * statistics of each question. Scoped by the sector of the course or assessment, and by the
 * learners' org unit and position. Read from a replica when there is one: a report may lag
 * the primary by a moment.
 */
@Injectable()
export class ProgrammeReports {
  constructor(private readonly replicas: ReplicaReads) {}

  /** Enrolments of the year per course (all versions of a code together). */
  async courses(scope: ReportScope): Promise<CourseRow[]> {
    return this.replicas.run(async (db) => {
      const days =
        db.dataSource.options.type === 'better-sqlite3'
          ? 'julianday(e.completedAt) - julianday(e.enrolledAt)'
          : 'TIMESTAMPDIFF(SECOND, e.enrolledAt, e.completedAt) / 86400';
      const query = db
        .createQueryBuilder()
        .select('c.code', 'code')
        .addSelect('c.sector', 'sector')
        .addSelect('COUNT(*)', 'enrolled')
        .addSelect("SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END)", 'completed')
        .addSelect(
          "SUM(CASE WHEN e.status = 'active' AND e.dueAt IS NOT NULL AND e.dueAt < :now THEN 1 ELSE 0 END)",
          'overdue',
        )
        .addSelect(`AVG(CASE WHEN e.status = 'completed' THEN ${days} END)`, 'days')
        .from(Enrollment, 'e')
        .innerJoin(Course, 'c', 'c.id = e.courseId')
        .innerJoin(User, 'u', 'u.id = e.userId')
        .where('e.enrolledAt >= :from AND e.enrolledAt < :to', { from: scope.from, to: scope.to })
        .setParameter('now', scope.now)
        .groupBy('c.code')
        .addGroupBy('c.sector');
      whereSectorInScope(query, scope, 'c.sector');
      whereLearnerInScope(query, scope);
      const rows = await query.getRawMany<Record<string, unknown>>();
      const titles = await this.courseTitles(rows.map((r) => String(r.code)));
      return rows
        .map((r) => {
          const enrolled = num(r.enrolled);
          const completed = num(r.completed);
          return {
            code: String(r.code),
            title: titles.get(String(r.code)) ?? String(r.code),
            sector: String(r.sector),
            enrolled,
            completed,
            percentCompleted: percent(completed, enrolled),
            overdue: num(r.overdue),
            averageDaysToComplete:
              r.days === null || r.days === undefined ? null : Math.round(num(r.days) * 10) / 10,
          };
        })
        .sort((a, b) => b.enrolled - a.enrolled || a.code.localeCompare(b.code));
    });
  }

  /** Graded attempts started in the year: pass rate, mean and score bands per assessment. */
  async assessments(scope: ReportScope): Promise<AssessmentRow[]> {
    return this.replicas.run(async (db) => {
      const band = Array.from({ length: BANDS - 1 }, (_, i) => BANDS - 1 - i)
        .map((b) => `WHEN t.percent >= ${b * 10} THEN ${b}`)
        .join(' ');
      const base = () => {
        const query = db
          .createQueryBuilder()
          .from(Attempt, 't')
          .innerJoin(Assessment, 'a', 'a.id = t.assessmentId')
          .innerJoin(User, 'u', 'u.id = t.userId')
          .where('t.startedAt >= :from AND t.startedAt < :to', { from: scope.from, to: scope.to });
        whereSectorInScope(query, scope, 'a.sector');
        return whereLearnerInScope(query, scope);
      };
      const [summaries, bands] = await Promise.all([
        base()
          .select('a.id', 'id')
          .addSelect('a.title', 'title')
          .addSelect('a.sector', 'sector')
          .addSelect('a.passPercent', 'passPercent')
          .addSelect("SUM(CASE WHEN t.status = 'graded' THEN 1 ELSE 0 END)", 'attempts')
          .addSelect(
            "COUNT(DISTINCT CASE WHEN t.status = 'graded' THEN t.userId END)",
            'candidates',
          )
          .addSelect(
            "SUM(CASE WHEN t.status = 'graded' AND t.passed = :yes THEN 1 ELSE 0 END)",
            'passed',
          )
          .addSelect("AVG(CASE WHEN t.status = 'graded' THEN t.percent END)", 'average')
          .addSelect("SUM(CASE WHEN t.status = 'needs_grading' THEN 1 ELSE 0 END)", 'awaiting')
          .setParameter('yes', true)
          .groupBy('a.id')
          .addGroupBy('a.title')
          .addGroupBy('a.sector')
          .addGroupBy('a.passPercent')
          .getRawMany<Record<string, unknown>>(),
        base()
          .select('t.assessmentId', 'id')
          .addSelect(`CASE ${band} ELSE 0 END`, 'band')
          .addSelect('COUNT(*)', 'n')
          .andWhere("t.status = 'graded'")
          .groupBy('t.assessmentId')
          .addGroupBy('band')
          .getRawMany<Record<string, unknown>>(),
      ]);
      const histograms = new Map<string, Histogram>();
      for (const b of bands) {
        const histogram = histograms.get(String(b.id)) ?? new Array<number>(BANDS).fill(0);
        histogram[num(b.band)] += num(b.n);
        histograms.set(String(b.id), histogram);
      }
      return summaries
        .map((r) => {
          const attempts = num(r.attempts);
          const passed = num(r.passed);
          return {
            id: String(r.id),
            title: String(r.title),
            sector: String(r.sector),
            passPercent: num(r.passPercent),
            attempts,
            candidates: num(r.candidates),
            passed,
            percentPassed: percent(passed, attempts),
            averagePercent:
              r.average === null || r.average === undefined
                ? null
                : Math.round(num(r.average) * 10) / 10,
            awaitingGrading: num(r.awaiting),
            histogram: histograms.get(String(r.id)) ?? new Array<number>(BANDS).fill(0),
          };
        })
        .sort((a, b) => b.attempts - a.attempts || a.title.localeCompare(b.title));
    });
  }

  /** Facility, discrimination and option counts of every question an assessment drew. */
  async items(scope: ReportScope, assessmentId: string): Promise<ItemAnalysis> {
    return this.replicas.run(async (db) => {
      const assessment = await db
        .getRepository(Assessment)
        .findOne({ where: { id: assessmentId }, select: { id: true, title: true, sector: true } });
      if (!assessment || (scope.sectors && !scope.sectors.includes(assessment.sector)))
        throw reportError('report.not_found', { variant: 'assessment', field: 'id' });
      const query = db
        .createQueryBuilder()
        .select('i.attemptId', 'attemptId')
        .addSelect('i.questionId', 'questionId')
        .addSelect('i.questionVersion', 'version')
        .addSelect('i.type', 'type')
        .addSelect('i.fraction', 'fraction')
        .addSelect('i.points', 'points')
        .addSelect('i.response', 'response')
        .from(AttemptItem, 'i')
        .innerJoin(Attempt, 't', 't.id = i.attemptId')
        .innerJoin(User, 'u', 'u.id = t.userId')
        .where('t.assessmentId = :assessmentId', { assessmentId })
        .andWhere("t.status = 'graded'")
        .andWhere('t.startedAt >= :from AND t.startedAt < :to', { from: scope.from, to: scope.to })
        .andWhere('i.fraction IS NOT NULL')
        .orderBy('i.slot', 'ASC');
      whereLearnerInScope(query, scope);
      const rows = await query.getRawMany<Record<string, unknown>>();
      const types = new Map<string, string>();
      const responses = rows.map((r) => {
        types.set(String(r.questionId), String(r.type));
        return {
          attemptId: String(r.attemptId),
          questionId: String(r.questionId),
          version: num(r.version),
          fraction: num(r.fraction),
          points: num(r.points),
          response: parseJson(r.response),
        };
      });
      const stats = itemStatistics(responses);
      const content = await this.questionContent(stats);
      return {
        assessment: { id: assessment.id, title: assessment.title, sector: assessment.sector },
        attempts: new Set(responses.map((r) => r.attemptId)).size,
        items: stats.map((s) => {
          const question = content.get(`${s.questionId}#${s.version}`);
          const options = question?.options ?? null;
          const cloze = question?.blanks ?? null;
          return {
            questionId: s.questionId,
            version: s.version,
            name: question?.name ?? s.questionId,
            type: types.get(s.questionId) ?? '',
            attempts: s.attempts,
            correct: s.correct,
            facility: s.facility,
            discrimination: s.discrimination,
            unanswered: s.unanswered,
            options:
              options && s.chosen
                ? options.map((o) => ({ ...o, chosen: s.chosen![o.id] ?? 0 }))
                : null,
            // A cloze: each blank as its own little item (facility, discrimination).
            blanks: cloze
              ? partStatistics(
                  responses,
                  s,
                  cloze.blanks.map((b, i) => ({ label: blankLabel(i), weight: b.weight })),
                  (response) => blankCredits(cloze, response),
                )
              : null,
            flags: s.flags,
          };
        }),
      };
    });
  }

  private async courseTitles(codes: string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const courses = await this.replicas
      .manager()
      .getRepository(Course)
      .createQueryBuilder('c')
      .select(['c.code', 'c.version', 'c.title'])
      .where('c.code IN (:...codes)', { codes })
      .orderBy('c.version', 'ASC')
      .getMany();
    // Ascending versions: the newest title wins.
    return new Map(courses.map((c) => [c.code, c.title]));
  }

  /** Names, and the options of choice and true/false questions, of the versions analysed. */
  private async questionContent(stats: { questionId: string; version: number }[]) {
    const db = this.replicas.manager();
    const content = new Map<
      string,
      {
        name: string;
        options: { id: string; text: string; credit: number }[] | null;
        blanks: ClozeDefinition | null;
      }
    >();
    if (!stats.length) return content;
    const ids = [...new Set(stats.map((s) => s.questionId))];
    const [questions, versions] = await Promise.all([
      db
        .getRepository(Question)
        .createQueryBuilder('q')
        .select(['q.id', 'q.name'])
        .where('q.id IN (:...ids)', { ids })
        .getMany(),
      db
        .getRepository(QuestionVersion)
        .createQueryBuilder('v')
        .select(['v.questionId', 'v.version', 'v.definition'])
        .where('v.questionId IN (:...ids)', { ids })
        .getMany(),
    ]);
    const names = new Map(questions.map((q) => [q.id, q.name]));
    for (const v of versions) {
      content.set(`${v.questionId}#${v.version}`, {
        name: names.get(v.questionId) ?? v.questionId,
        options: optionsOf(v.definition),
        blanks: Array.isArray((v.definition as Partial<ClozeDefinition> | null)?.blanks)
          ? (v.definition as unknown as ClozeDefinition)
          : null,
      });
    }
    return content;
  }
}

/** Choice options with their credit; true/false as the two options "true" and "false". */
function optionsOf(definition: unknown): { id: string; text: string; credit: number }[] | null {
  const d = definition as Partial<ChoiceDefinition> & { answer?: unknown };
  if (Array.isArray(d?.options))
    return d.options.map((o) => ({ id: o.id, text: o.text, credit: o.fraction }));
  if (typeof d?.answer === 'boolean')
    return [
      { id: 'true', text: 'Benar', credit: d.answer ? 1 : 0 },
      { id: 'false', text: 'Salah', credit: d.answer ? 0 : 1 },
    ];
  return null;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
