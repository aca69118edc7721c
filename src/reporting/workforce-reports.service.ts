import { Injectable } from '@nestjs/common';
import { Assessment, Attempt } from '../assessment/engine/assessment.entity.js';
import { Certificate, CertificationScheme } from '../certification/certification.entity.js';
import { Position } from '../competency/position.entity.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { JP_TARGET } from '../learning/enrollments.service.js';
import { JpCredit } from '../learning/enrollment.entity.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { User } from '../identity/user.entity.js';
import {
  num,
  percent,
  whereAsnInScope,
  whereLearnerInScope,
  whereSectorInScope,
} from './report-queries.js';
import type { ReportScope } from './report-scope.js';

export interface WorkforceRow {
  sector: string | null;
  orgUnitCode: string | null;
  orgUnitName: string | null;
  asn: number;
}

export interface JpComplianceRow {
  orgUnitCode: string | null;
  orgUnitName: string | null;
  asn: number;
  compliant: number;
  percentCompliant: number;
  averageJp: number;
}

export interface CoverageRow {
  positionCode: string;
  positionName: string;
  sector: string;
  schemes: string[];
  asn: number;
  covered: number;
  percentCovered: number;
}

export interface ExpiringRow {
  number: string;
  holderName: string;
  holderNip: string | null;
  orgUnit: string | null;
  scheme: string;
  sector: string;
  expiresAt: string;
  daysLeft: number;
}

export interface LiveExamRow {
  id: string;
  title: string;
  sector: string;
  closesAt: string | null;
  sitting: number;
}

const DAY = 86_400_000;
export const EXPIRY_WINDOW_DAYS = 90;

/**
 * Where the workforce stands: headcount, JP compliance, certification coverage, expiring
 * certificates and exams running now. Every number is one grouped query, scoped by
 * `ReportScope` (a coordinator sees the ASN whose position belongs to their sectors). Read
 * from a replica when there is one: a report may lag the primary by a moment.
 */
@Injectable()
export class WorkforceReports {
  constructor(private readonly replicas: ReplicaReads) {}

  /** ASN by the sector of their position and by org unit. */
  async workforce(scope: ReportScope): Promise<WorkforceRow[]> {
    return this.replicas.run(async (db) => {
      const query = db
        .createQueryBuilder()
        .select('p.sector', 'sector')
        .addSelect('o.code', 'orgUnitCode')
        .addSelect('o.name', 'orgUnitName')
        .addSelect('COUNT(*)', 'asn')
        .from(User, 'u')
        .leftJoin(Position, 'p', 'p.id = u.positionId')
        .leftJoin(OrgUnit, 'o', 'o.id = u.orgUnitId')
        .groupBy('p.sector')
        .addGroupBy('o.code')
        .addGroupBy('o.name');
      const rows = await whereAsnInScope(query, scope).getRawMany<Record<string, unknown>>();
      return rows
        .map((r) => ({
          sector: (r.sector as string | null) ?? null,
          orgUnitCode: (r.orgUnitCode as string | null) ?? null,
          orgUnitName: (r.orgUnitName as string | null) ?? null,
          asn: num(r.asn),
        }))
        .sort(
          (a, b) =>
            (a.sector ?? '~').localeCompare(b.sector ?? '~') ||
            (a.orgUnitCode ?? '~').localeCompare(b.orgUnitCode ?? '~'),
        );
    });
  }

  /** Share of ASN with at least the yearly JP target, by org unit. */
  async jpCompliance(scope: ReportScope): Promise<JpComplianceRow[]> {
    return this.replicas.run(async (db) => {
      const totals = db
        .createQueryBuilder()
        .select('j.userId', 'userId')
        .addSelect('SUM(j.jp)', 'total')
        .from(JpCredit, 'j')
        .where('j.year = :jpYear', { jpYear: scope.year })
        .groupBy('j.userId');
      const query = db
        .createQueryBuilder()
        .select('o.code', 'orgUnitCode')
        .addSelect('o.name', 'orgUnitName')
        .addSelect('COUNT(*)', 'asn')
        .addSelect(
          'SUM(CASE WHEN COALESCE(jt.total, 0) >= :jpTarget THEN 1 ELSE 0 END)',
          'compliant',
        )
        .addSelect('SUM(COALESCE(jt.total, 0))', 'jp')
        .from(User, 'u')
        .leftJoin(Position, 'p', 'p.id = u.positionId')
        .leftJoin(OrgUnit, 'o', 'o.id = u.orgUnitId')
        .leftJoin(`(${totals.getQuery()})`, 'jt', 'jt.userId = u.id')
        .setParameters({ ...totals.getParameters(), jpTarget: JP_TARGET })
        .groupBy('o.code')
        .addGroupBy('o.name');
      const rows = await whereAsnInScope(query, scope).getRawMany<Record<string, unknown>>();
      return rows
        .map((r) => {
          const asn = num(r.asn);
          const compliant = num(r.compliant);
          return {
            orgUnitCode: (r.orgUnitCode as string | null) ?? null,
            orgUnitName: (r.orgUnitName as string | null) ?? null,
            asn,
            compliant,
            percentCompliant: percent(compliant, asn),
            averageJp: asn ? Math.round((num(r.jp) / asn) * 10) / 10 : 0,
          };
        })
        .sort(
          (a, b) =>
            a.percentCompliant - b.percentCompliant ||
            (a.orgUnitCode ?? '~').localeCompare(b.orgUnitCode ?? '~'),
        );
    });
  }

  /**
   * Per position that an active scheme targets: the share of its ASN holding a valid
   * certificate of every such scheme.
   */
  async certificationCoverage(scope: ReportScope): Promise<CoverageRow[]> {
    return this.replicas.run(async (db) => {
      const schemes = await db.getRepository(CertificationScheme).find({
        where: { status: 'active' },
        select: { id: true, code: true, targetPositions: true },
      });
      const schemesOf = new Map<string, { id: string; code: string }[]>();
      for (const scheme of schemes)
        for (const code of scheme.targetPositions ?? [])
          schemesOf.set(code, [...(schemesOf.get(code) ?? []), scheme]);
      if (!schemesOf.size) return [];

      const counted = db
        .createQueryBuilder()
        .select('p.code', 'code')
        .addSelect('p.name', 'name')
        .addSelect('p.sector', 'sector')
        .addSelect('COUNT(*)', 'asn')
        .from(User, 'u')
        .innerJoin(Position, 'p', 'p.id = u.positionId')
        .where('p.code IN (:...targeted)', { targeted: [...schemesOf.keys()] })
        .groupBy('p.code')
        .addGroupBy('p.name')
        .addGroupBy('p.sector');
      const held = db
        .createQueryBuilder()
        .select('p.code', 'code')
        .addSelect('c.userId', 'userId')
        .addSelect('c.schemeId', 'schemeId')
        .distinct(true)
        .from(Certificate, 'c')
        .innerJoin(User, 'u', 'u.id = c.userId')
        .innerJoin(Position, 'p', 'p.id = u.positionId')
        .where('c.status = :active', { active: 'active' })
        .andWhere('(c.expiresAt IS NULL OR c.expiresAt > :now)', { now: scope.now })
        .andWhere('c.schemeId IN (:...schemeIds)', { schemeIds: schemes.map((s) => s.id) })
        .andWhere('p.code IN (:...targeted)', { targeted: [...schemesOf.keys()] });
      const [positions, holdings] = await Promise.all([
        whereAsnInScope(counted, scope).getRawMany<Record<string, unknown>>(),
        whereAsnInScope(held, scope).getRawMany<Record<string, string>>(),
      ]);
      const heldBy = new Map<string, Set<string>>();
      for (const h of holdings) {
        const key = `${h.code}|${h.userId}`;
        heldBy.set(key, (heldBy.get(key) ?? new Set()).add(h.schemeId));
      }
      const coveredIn = new Map<string, number>();
      for (const [key, set] of heldBy) {
        const code = key.slice(0, key.indexOf('|'));
        if (schemesOf.get(code)!.every((s) => set.has(s.id)))
          coveredIn.set(code, (coveredIn.get(code) ?? 0) + 1);
      }
      return positions
        .map((p) => {
          const code = String(p.code);
          const asn = num(p.asn);
          const covered = coveredIn.get(code) ?? 0;
          return {
            positionCode: code,
            positionName: String(p.name),
            sector: String(p.sector),
            schemes: schemesOf
              .get(code)!
              .map((s) => s.code)
              .sort(),
            asn,
            covered,
            percentCovered: percent(covered, asn),
          };
        })
        .sort(
          (a, b) =>
            a.percentCovered - b.percentCovered || a.positionCode.localeCompare(b.positionCode),
        );
    });
  }

  /** Valid certificates whose expiry falls in the next `days` days, soonest first. */
  async expiringCertificates(
    scope: ReportScope,
    days = EXPIRY_WINDOW_DAYS,
  ): Promise<ExpiringRow[]> {
    return this.replicas.run(async (db) => {
      const query = db
        .createQueryBuilder()
        .select('c.number', 'number')
        .addSelect('c.holderName', 'holderName')
        .addSelect('c.holderNip', 'holderNip')
        .addSelect('c.expiresAt', 'expiresAt')
        .addSelect('o.code', 'orgUnit')
        .addSelect('s.code', 'scheme')
        .addSelect('s.sector', 'sector')
        .from(Certificate, 'c')
        .innerJoin(CertificationScheme, 's', 's.id = c.schemeId')
        .innerJoin(User, 'u', 'u.id = c.userId')
        .leftJoin(OrgUnit, 'o', 'o.id = u.orgUnitId')
        .where('c.status = :active', { active: 'active' })
        // Numbered only: a number follows its issue within moments (ADR 0041).
        .andWhere('c.seq IS NOT NULL')
        .andWhere('c.expiresAt > :now', { now: scope.now })
        .andWhere('c.expiresAt <= :until', { until: new Date(scope.now.getTime() + days * DAY) })
        .orderBy('c.expiresAt', 'ASC')
        .addOrderBy('c.number', 'ASC');
      whereSectorInScope(query, scope, 's.sector');
      whereLearnerInScope(query, scope);
      const rows = await query.getRawMany<Record<string, unknown>>();
      return rows.map((r) => {
        const expiresAt = toDate(r.expiresAt);
        return {
          number: String(r.number),
          holderName: String(r.holderName),
          holderNip: (r.holderNip as string | null) ?? null,
          orgUnit: (r.orgUnit as string | null) ?? null,
          scheme: String(r.scheme),
          sector: String(r.sector),
          expiresAt: expiresAt.toISOString(),
          daysLeft: Math.ceil((expiresAt.getTime() - scope.now.getTime()) / DAY),
        };
      });
    });
  }

  /** Published exams open now, and how many candidates are sitting each. */
  async liveExams(scope: ReportScope): Promise<LiveExamRow[]> {
    return this.replicas.run(async (db) => {
      const sitting = db
        .createQueryBuilder()
        .select('t.assessmentId', 'assessmentId')
        .addSelect('COUNT(*)', 'sitting')
        .from(Attempt, 't')
        .innerJoin(User, 'u', 'u.id = t.userId')
        .where('t.status = :inProgress', { inProgress: 'in_progress' })
        .andWhere('(t.deadline IS NULL OR t.deadline > :now)', { now: scope.now })
        .groupBy('t.assessmentId');
      whereLearnerInScope(sitting, scope);
      const query = db
        .createQueryBuilder()
        .select('a.id', 'id')
        .addSelect('a.title', 'title')
        .addSelect('a.sector', 'sector')
        .addSelect('a.closesAt', 'closesAt')
        .addSelect('COALESCE(live.sitting, 0)', 'sitting')
        .from(Assessment, 'a')
        .leftJoin(`(${sitting.getQuery()})`, 'live', 'live.assessmentId = a.id')
        .setParameters(sitting.getParameters())
        .where('a.status = :published', { published: 'published' })
        .andWhere('(a.opensAt IS NULL OR a.opensAt <= :now)', { now: scope.now })
        .andWhere('(a.closesAt IS NULL OR a.closesAt > :now)')
        .orderBy('sitting', 'DESC')
        .addOrderBy('a.title', 'ASC');
      whereSectorInScope(query, scope, 'a.sector');
      const rows = await query.getRawMany<Record<string, unknown>>();
      return rows.map((r) => ({
        id: String(r.id),
        title: String(r.title),
        sector: String(r.sector),
        closesAt: r.closesAt ? toDate(r.closesAt).toISOString() : null,
        sitting: num(r.sitting),
      }));
    });
  }
}

/** Raw datetimes come back as Date (mysql2) or as 'YYYY-MM-DD HH:MM:SS.mmm' UTC text (SQLite). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : text.replace(' ', 'T') + 'Z');
}
