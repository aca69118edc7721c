import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import type { ExportedFile } from '../platform/http/table-export.js';
import { sectorLabel } from '../registry/label-helpers.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { rawRows } from './development-plan-report.js';
import { competencyGains, type CompetencyGain } from './competency-gain.js';
import { meanGain, type GainPair } from './learning-gain.js';
import { documentTable, pdfFile, workbookFile, type DocumentColumn } from './report-documents.js';
import { num, percent } from './report-queries.js';

/**
 * Below this many answers a mean is not shown: with fewer, a reader could tell what one
 * person answered (ADR 0040). The same floor holds for the behaviour ratings, which name
 * whose work they are about.
 */
export const MIN_RESPONSES = 5;

export interface BehaviourChange {
  /** Mean of the holders' own ratings (1–5); null below {@link MIN_RESPONSES} answers. */
  selfMean: number | null;
  /** Mean of the supervisors' ratings (1–5); null below {@link MIN_RESPONSES} answers. */
  supervisorMean: number | null;
  /** Mean of supervisor rating − baseline, per person and competency; null below the floor. */
  supervisorChange: number | null;
}

export interface ImpactRow {
  id: string;
  code: string;
  title: string;
  sector: string;
  sectorName: string;
  participants: number;
  completed: number;
  completionPercent: number;
  passRatePercent: number | null;
  reactionMean: number | null;
  reactionCount: number;
  learningGain: number | null;
  behaviour: BehaviourChange | null;
  indicatorChange: number | null;
  costPerCompletionIdr: number | null;
  costPerCertificateIdr: number | null;
}

export interface ImpactReport {
  year: number;
  schemes: ImpactRow[];
  courses: ImpactRow[];
  /** The learning gain per competency, from the items of pre- and post-tests. */
  competencies: CompetencyGain[];
}

type Row = Record<string, unknown>;

/** A tally of ratings: how many answers, and the sum and count of their ratings. */
class Tally {
  responses = 0;
  sum = 0;
  count = 0;
  add(ratings: Record<string, number>) {
    this.responses += 1;
    for (const value of Object.values(ratings)) {
      const n = Number(value);
      if (Number.isFinite(n) && n >= 1 && n <= 5) {
        this.sum += n;
        this.count += 1;
      }
    }
  }
  merge(other: Tally | undefined) {
    if (!other) return;
    this.responses += other.responses;
    this.sum += other.sum;
    this.count += other.count;
  }
  /** The mean, or null below the floor of answers. */
  mean(): number | null {
    return this.responses >= MIN_RESPONSES && this.count ? round2(this.sum / this.count) : null;
  }
}

/**
 * The impact report (ADR 0040): per scheme and per course of a year, participation, pass
 * rate and the four levels of evaluation (reaction, learning gain, behaviour, indicators)
 * with the planned cost of what was realised. Coordinators see their sectors' courses and
 * schemes only. Each figure is one grouped query over the year, never a query per row.
 */
@Injectable()
export class ImpactReports {
  constructor(
    private readonly replicas: ReplicaReads,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
  ) {}

  async report(caller: AuthUser, year: number): Promise<ImpactReport> {
    const sectors = this.access.managedSectors(caller);
    return this.replicas.run((db) => this.compute(db, year, sectors));
  }

  private async compute(
    db: EntityManager,
    year: number,
    sectors: string[] | null,
  ): Promise<ImpactReport> {
    const params: Record<string, unknown> = {
      year,
      from: new Date(Date.UTC(year, 0, 1)),
      to: new Date(Date.UTC(year + 1, 0, 1)),
      yes: true,
      sectors: sectors?.length ? sectors : ['-'],
    };
    const inSector = (column: string) => (sectors ? ` AND ${column} IN (:...sectors)` : '');
    const inYear = (column: string) => `${column} >= :from AND ${column} < :to`;

    const [courses, schemes, lessonAssessments] = await Promise.all([
      rawRows(
        db,
        `SELECT c.id AS id, c.code AS code, c.version AS version, c.title AS title, c.sector AS sector
          FROM courses c WHERE 1 = 1${inSector('c.sector')}`,
        params,
      ),
      rawRows(
        db,
        `SELECT s.id AS id, s.code AS code, s.title AS title, s.sector AS sector,
            s.requirements AS requirements
          FROM certification_schemes s WHERE 1 = 1${inSector('s.sector')}`,
        params,
      ),
      rawRows(
        db,
        `SELECT DISTINCT c.code AS code, l.assessmentId AS assessmentId
          FROM lessons l JOIN courses c ON c.id = l.courseId
          WHERE l.assessmentId IS NOT NULL${inSector('c.sector')}`,
        params,
      ),
    ]);
    const courseInfo = new Map<
      string,
      { id: string; version: number; title: string; sector: string }
    >();
    for (const c of courses) {
      const code = String(c.code);
      const known = courseInfo.get(code);
      if (!known || num(c.version) > known.version)
        courseInfo.set(code, {
          id: String(c.id),
          version: num(c.version),
          title: String(c.title),
          sector: String(c.sector),
        });
    }
    const schemeInfo = schemes.map((s) => {
      const requirements = parseJson(s.requirements) as {
        courses?: string[];
        assessments?: { assessmentId: string }[];
      } | null;
      return {
        id: String(s.id),
        code: String(s.code),
        title: String(s.title),
        sector: String(s.sector),
        courseCodes: requirements?.courses ?? [],
        assessmentIds: (requirements?.assessments ?? []).map((a) => a.assessmentId),
      };
    });
    const courseAssessments = group(
      lessonAssessments,
      (r) => String(r.code),
      (r) => String(r.assessmentId),
    );
    const assessmentIds = [
      ...new Set([
        ...lessonAssessments.map((r) => String(r.assessmentId)),
        ...schemeInfo.flatMap((s) => s.assessmentIds),
      ]),
    ];
    const withIds = { ...params, assessmentIds: assessmentIds.length ? assessmentIds : ['-'] };

    const [
      enrolments,
      attempts,
      gains,
      reactions,
      behaviours,
      baselines,
      indicators,
      courseCosts,
      schemeCosts,
      schemeParticipants,
      certificates,
    ] = await Promise.all([
      rawRows(
        db,
        `SELECT c.code AS code,
            COUNT(DISTINCT CASE WHEN ${inYear('e.enrolledAt')} THEN e.userId END) AS participants,
            COUNT(DISTINCT CASE WHEN e.status = 'completed' AND ${inYear('e.completedAt')} THEN e.userId END) AS completed
          FROM enrollments e JOIN courses c ON c.id = e.courseId
          WHERE ((${inYear('e.enrolledAt')}) OR (${inYear('e.completedAt')}))${inSector('c.sector')}
          GROUP BY c.code`,
        params,
      ),
      rawRows(
        db,
        `SELECT t.assessmentId AS assessmentId, COUNT(*) AS graded,
            SUM(CASE WHEN t.passed = :yes THEN 1 ELSE 0 END) AS passed
          FROM attempts t
          WHERE t.purpose IS NULL AND t.status = 'graded' AND ${inYear('t.startedAt')}
            AND t.assessmentId IN (:...assessmentIds)
          GROUP BY t.assessmentId`,
        withIds,
      ),
      // Each learner's first pre-test against their best graded regular attempt of the year.
      rawRows(
        db,
        `SELECT pre.assessmentId AS assessmentId, pre.percent AS pre, MAX(post.percent) AS post
          FROM attempts pre
          JOIN attempts post ON post.userId = pre.userId AND post.assessmentId = pre.assessmentId
            AND post.purpose IS NULL AND post.status = 'graded' AND post.percent IS NOT NULL
            AND ${inYear('post.startedAt')}
          WHERE pre.purpose = 'pretest' AND pre.percent IS NOT NULL
            AND pre.assessmentId IN (:...assessmentIds)
            AND NOT EXISTS (SELECT 1 FROM attempts p2 WHERE p2.userId = pre.userId
              AND p2.assessmentId = pre.assessmentId AND p2.purpose = 'pretest'
              AND p2.percent IS NOT NULL
              AND (p2.startedAt < pre.startedAt OR (p2.startedAt = pre.startedAt AND p2.id < pre.id)))
          GROUP BY pre.id, pre.assessmentId, pre.percent`,
        withIds,
      ),
      rawRows(
        db,
        `SELECT c.code AS code, r.ratings AS ratings
          FROM evaluation_responses r JOIN courses c ON c.id = r.courseId
          WHERE r.kind = 'reaction' AND r.year = :year AND r.createdAt < :today${inSector('c.sector')}
          ORDER BY r.createdAt, r.id`,
        { ...params, today: startOfToday() },
      ),
      rawRows(
        db,
        `SELECT r.kind AS kind, r.schemeId AS schemeId, c.code AS code,
            r.subjectUserId AS subjectUserId, r.ratings AS ratings
          FROM evaluation_responses r LEFT JOIN courses c ON c.id = r.courseId
          WHERE r.kind IN ('behaviour_self', 'behaviour_supervisor') AND r.year = :year`,
        params,
      ),
      rawRows(
        db,
        `SELECT b.subjectUserId AS subjectUserId, b.ratings AS ratings
          FROM evaluation_responses b
          WHERE b.kind = 'baseline' AND b.subjectUserId IN (
            SELECT r.subjectUserId FROM evaluation_responses r
            WHERE r.kind = 'behaviour_supervisor' AND r.year = :year)
          ORDER BY b.createdAt ASC, b.id ASC`,
        params,
      ),
      rawRows(
        db,
        `SELECT c.code AS code, i.schemeId AS schemeId, COUNT(*) AS n,
            SUM((CASE WHEN i.lowerIsBetter = :yes THEN i.baselineValue - i.resultValue
                 ELSE i.resultValue - i.baselineValue END) * 100.0 / ABS(i.baselineValue)) AS total
          FROM programme_indicators i LEFT JOIN courses c ON c.id = i.courseId
          WHERE i.year = :year AND i.resultValue IS NOT NULL AND i.baselineValue <> 0
            AND (i.courseId IS NOT NULL OR i.schemeId IS NOT NULL)
          GROUP BY c.code, i.schemeId`,
        params,
      ),
      // The planned cost of agreed items realised: the course completed in the plan's year.
      rawRows(
        db,
        `SELECT i.code AS code, SUM(i.costIdr) AS cost
          FROM development_plan_items i JOIN development_plans p ON p.id = i.planId
          WHERE p.year = :year AND p.status = 'agreed' AND i.kind = 'course' AND i.status <> 'dropped'
            AND EXISTS (SELECT 1 FROM enrollments e JOIN courses c2 ON c2.id = e.courseId
              WHERE e.userId = p.userId AND c2.code = i.code AND e.status = 'completed'
                AND ${inYear('e.completedAt')})
          GROUP BY i.code`,
        params,
      ),
      rawRows(
        db,
        `SELECT i.refId AS schemeId, SUM(i.costIdr) AS cost
          FROM development_plan_items i JOIN development_plans p ON p.id = i.planId
          WHERE p.year = :year AND p.status = 'agreed' AND i.kind = 'scheme' AND i.status <> 'dropped'
            AND EXISTS (SELECT 1 FROM certificates ct WHERE ct.userId = p.userId
              AND ct.schemeId = i.refId AND ${inYear('ct.issuedAt')} AND ct.status <> 'revoked')
          GROUP BY i.refId`,
        params,
      ),
      rawRows(
        db,
        `SELECT x.schemeId AS schemeId, COUNT(DISTINCT x.userId) AS participants FROM (
            SELECT ct.schemeId AS schemeId, ct.userId AS userId FROM certificates ct
              WHERE ${inYear('ct.issuedAt')}
            UNION
            SELECT i.refId AS schemeId, p.userId AS userId
              FROM development_plan_items i JOIN development_plans p ON p.id = i.planId
              WHERE p.year = :year AND p.status = 'agreed' AND i.kind = 'scheme'
                AND i.status <> 'dropped'
          ) x GROUP BY x.schemeId`,
        params,
      ),
      rawRows(
        db,
        `SELECT ct.schemeId AS schemeId, COUNT(*) AS issued FROM certificates ct
          WHERE ${inYear('ct.issuedAt')} AND ct.status <> 'revoked'
          GROUP BY ct.schemeId`,
        params,
      ),
    ]);

    // Per assessment: graded and passed attempts, and the learners' gain pairs.
    const graded = new Map(attempts.map((r) => [String(r.assessmentId), r]));
    const pairs = new Map<string, GainPair[]>();
    for (const r of gains) {
      const list = pairs.get(String(r.assessmentId)) ?? [];
      list.push({ pre: num(r.pre), post: num(r.post) });
      pairs.set(String(r.assessmentId), list);
    }
    const passRate = (ids: readonly string[]) => {
      let all = 0;
      let passed = 0;
      for (const id of new Set(ids)) {
        all += num(graded.get(id)?.graded);
        passed += num(graded.get(id)?.passed);
      }
      return all ? percent(passed, all) : null;
    };
    const gainOf = (ids: readonly string[]) =>
      meanGain([...new Set(ids)].flatMap((id) => pairs.get(id) ?? []));

    const reactionByCode = new Map<string, Tally>();
    for (const [code, answers] of group(
      reactions,
      (r) => String(r.code),
      (r) => r.ratings,
    ))
      for (const ratings of published(answers))
        tallyOf(reactionByCode, code).add(ratingsOf(ratings));

    // Behaviour: self and supervisor ratings per scheme (or course), and the change of each
    // supervisor rating against the latest baseline of the same person and competency.
    const baseline = new Map<string, number>();
    for (const b of baselines)
      for (const [competency, rating] of Object.entries(ratingsOf(b.ratings)))
        baseline.set(`${String(b.subjectUserId)}|${competency}`, Number(rating));
    const behaviour = new Map<string, { self: Tally; supervisor: Tally; changes: number[] }>();
    for (const r of behaviours) {
      const key = r.schemeId ? `s:${String(r.schemeId)}` : r.code ? `c:${String(r.code)}` : null;
      if (!key) continue;
      const entry = behaviour.get(key) ?? {
        self: new Tally(),
        supervisor: new Tally(),
        changes: [],
      };
      behaviour.set(key, entry);
      const ratings = ratingsOf(r.ratings);
      if (r.kind === 'behaviour_self') entry.self.add(ratings);
      else {
        entry.supervisor.add(ratings);
        for (const [competency, rating] of Object.entries(ratings)) {
          const before = baseline.get(`${String(r.subjectUserId)}|${competency}`);
          if (before !== undefined && Number.isFinite(Number(rating)))
            entry.changes.push(Number(rating) - before);
        }
      }
    }
    const behaviourOf = (key: string): BehaviourChange | null => {
      const entry = behaviour.get(key);
      if (!entry) return null;
      const enough = entry.supervisor.responses >= MIN_RESPONSES && entry.changes.length;
      return {
        selfMean: entry.self.mean(),
        supervisorMean: entry.supervisor.mean(),
        supervisorChange: enough
          ? round2(entry.changes.reduce((a, b) => a + b, 0) / entry.changes.length)
          : null,
      };
    };

    const indicator = new Map<string, { total: number; n: number }>();
    for (const r of indicators) {
      const key = r.schemeId ? `s:${String(r.schemeId)}` : `c:${String(r.code)}`;
      const entry = indicator.get(key) ?? { total: 0, n: 0 };
      entry.total += num(r.total);
      entry.n += num(r.n);
      indicator.set(key, entry);
    }
    const indicatorOf = (key: string) => {
      const entry = indicator.get(key);
      return entry?.n ? round2(entry.total / entry.n) : null;
    };

    const enrolled = new Map(enrolments.map((r) => [String(r.code), r]));
    const courseCost = new Map(courseCosts.map((r) => [String(r.code), num(r.cost)]));
    const schemeCost = new Map(schemeCosts.map((r) => [String(r.schemeId), num(r.cost)]));
    const schemePeople = new Map(
      schemeParticipants.map((r) => [String(r.schemeId), num(r.participants)]),
    );
    const issued = new Map(certificates.map((r) => [String(r.schemeId), num(r.issued)]));
    const perHead = (cost: number | undefined, n: number) =>
      cost === undefined || !n ? null : Math.round(cost / n);

    const courseRows: ImpactRow[] = [...courseInfo].flatMap(([code, info]) => {
      const participants = num(enrolled.get(code)?.participants);
      const completed = num(enrolled.get(code)?.completed);
      const reaction = reactionByCode.get(code) ?? new Tally();
      const row: ImpactRow = {
        id: info.id,
        code,
        title: info.title,
        sector: info.sector,
        sectorName: sectorLabel(this.loaded, info.sector, 'id'),
        participants,
        completed,
        completionPercent: Math.min(100, percent(completed, participants)),
        passRatePercent: passRate(courseAssessments.get(code) ?? []),
        reactionMean: reaction.mean(),
        reactionCount: reaction.responses,
        learningGain: gainOf(courseAssessments.get(code) ?? []),
        behaviour: behaviourOf(`c:${code}`),
        indicatorChange: indicatorOf(`c:${code}`),
        costPerCompletionIdr: perHead(courseCost.get(code), completed),
        costPerCertificateIdr: null,
      };
      return hasData(row) ? [row] : [];
    });

    const schemeRows: ImpactRow[] = schemeInfo.flatMap((s) => {
      const participants = schemePeople.get(s.id) ?? 0;
      const completed = issued.get(s.id) ?? 0;
      const reaction = new Tally();
      for (const code of new Set(s.courseCodes)) reaction.merge(reactionByCode.get(code));
      const cost = schemeCost.get(s.id);
      const row: ImpactRow = {
        id: s.id,
        code: s.code,
        title: s.title,
        sector: s.sector,
        sectorName: sectorLabel(this.loaded, s.sector, 'id'),
        participants,
        completed,
        completionPercent: Math.min(100, percent(completed, participants)),
        passRatePercent: passRate(s.assessmentIds),
        reactionMean: reaction.mean(),
        reactionCount: reaction.responses,
        learningGain: gainOf(s.assessmentIds),
        behaviour: behaviourOf(`s:${s.id}`),
        indicatorChange: indicatorOf(`s:${s.id}`),
        costPerCompletionIdr: perHead(cost, completed),
        costPerCertificateIdr: perHead(cost, completed),
      };
      return hasData(row) ? [row] : [];
    });
    const order = (a: ImpactRow, b: ImpactRow) =>
      b.participants - a.participants || a.code.localeCompare(b.code);
    return {
      year,
      schemes: schemeRows.sort(order),
      courses: courseRows.sort(order),
      competencies: await competencyGains(db, year, sectors),
    };
  }

  /** The report as an XLSX workbook (schemes, courses) or a tagged PDF. */
  async file(report: ImpactReport, format: 'xlsx' | 'pdf'): Promise<ExportedFile> {
    const name = `dampak-pengembangan-${report.year}`;
    const columns: DocumentColumn<ImpactRow>[] = [
      { header: 'Kode', kind: 'text', value: (r) => r.code },
      { header: 'Judul', kind: 'text', value: (r) => r.title, width: 2.5 },
      { header: 'Sektor', kind: 'text', value: (r) => r.sectorName },
      { header: 'Peserta', kind: 'number', value: (r) => r.participants },
      { header: 'Selesai', kind: 'number', value: (r) => r.completed },
      { header: 'Persen Selesai', kind: 'number', value: (r) => r.completionPercent },
      { header: 'Persen Lulus', kind: 'number', value: (r) => r.passRatePercent },
      { header: 'Reaksi (1–5)', kind: 'number', value: (r) => r.reactionMean },
      { header: 'Jumlah Jawaban Reaksi', kind: 'number', value: (r) => r.reactionCount },
      { header: 'Perolehan Belajar', kind: 'number', value: (r) => r.learningGain },
      {
        header: 'Perilaku Diri (1–5)',
        kind: 'number',
        value: (r) => r.behaviour?.selfMean ?? null,
      },
      {
        header: 'Perilaku Atasan (1–5)',
        kind: 'number',
        value: (r) => r.behaviour?.supervisorMean ?? null,
      },
      {
        header: 'Perubahan Menurut Atasan',
        kind: 'number',
        value: (r) => r.behaviour?.supervisorChange ?? null,
      },
      { header: 'Perubahan Indikator (%)', kind: 'number', value: (r) => r.indicatorChange },
      { header: 'Biaya per Kelulusan (Rp)', kind: 'number', value: (r) => r.costPerCompletionIdr },
      {
        header: 'Biaya per Sertifikat (Rp)',
        kind: 'number',
        value: (r) => r.costPerCertificateIdr,
      },
    ];
    const tables = [
      documentTable({ name: 'Skema Sertifikasi', columns, rows: report.schemes }),
      documentTable({
        name: 'Pelatihan',
        columns: columns.filter((c) => c.header !== 'Biaya per Sertifikat (Rp)'),
        rows: report.courses,
      }),
      documentTable({
        name: 'Perolehan per Kompetensi',
        columns: [
          { header: 'Kode', kind: 'text', value: (r: CompetencyGain) => r.code },
          { header: 'Kompetensi', kind: 'text', value: (r) => r.title, width: 2.5 },
          { header: 'Peserta dengan Pre-test', kind: 'number', value: (r) => r.learners },
          { header: 'Perolehan Belajar', kind: 'number', value: (r) => r.learningGain },
        ],
        rows: report.competencies,
      }),
    ];
    if (format === 'xlsx') return workbookFile(name, tables);
    return pdfFile(
      name,
      this.config,
      {
        title: `Laporan Dampak Pengembangan Kompetensi Tahun ${report.year}`,
        lines: [
          this.config.authority.agency,
          `Rata-rata reaksi dan perilaku hanya ditampilkan bila ada sedikitnya ${MIN_RESPONSES} jawaban.`,
        ],
      },
      tables,
    );
  }
}

/**
 * The reaction answers a report may use: a prefix of whole groups of {@link MIN_RESPONSES}, in
 * a fixed order (date, then id) and only of days that are over, so two readings of the report
 * differ by five answers or more and no difference of means tells one person's answer.
 */
export function published<T>(answersInOrder: readonly T[]): T[] {
  return answersInOrder.slice(0, Math.floor(answersInOrder.length / MIN_RESPONSES) * MIN_RESPONSES);
}

/** Midnight UTC today: reaction answers carry their date only (ADR 0040). */
function startOfToday(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function hasData(row: ImpactRow): boolean {
  return Boolean(
    row.participants ||
    row.completed ||
    row.passRatePercent !== null ||
    row.reactionCount ||
    row.learningGain !== null ||
    row.behaviour ||
    row.indicatorChange !== null,
  );
}

function tallyOf(map: Map<string, Tally>, key: string): Tally {
  let tally = map.get(key);
  if (!tally) map.set(key, (tally = new Tally()));
  return tally;
}

function group<T>(rows: Row[], key: (r: Row) => string, value: (r: Row) => T): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(key(r)) ?? [];
    list.push(value(r));
    map.set(key(r), list);
  }
  return map;
}

function ratingsOf(value: unknown): Record<string, number> {
  const parsed = parseJson(value);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, number>)
    : {};
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

const round2 = (value: number) => Math.round(value * 100) / 100;
