import { Injectable } from '@nestjs/common';
import { CertificatesService } from '../certification/certificates.service.js';
import { GapReportService, type Heatmap } from '../competency/gap-report.service.js';
import { GapsService } from '../competency/gaps.service.js';
import { CourseNextSteps, nextStepCourse } from '../learning/course-next-steps.js';
import { EnrollmentsService, JP_TARGET } from '../learning/enrollments.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { NotificationsService } from '../platform/notifications/notifications.service.js';
import {
  ProgrammeReports,
  type AssessmentRow,
  type CourseRow,
} from './programme-reports.service.js';
import { percent } from './report-queries.js';
import type { ReportScope } from './report-scope.js';
import {
  WorkforceReports,
  type CoverageRow,
  type ExpiringRow,
  type JpComplianceRow,
  type LiveExamRow,
  type WorkforceRow,
} from './workforce-reports.service.js';

export interface AdminDashboard {
  filters: ReportScope['filters'];
  totals: {
    asn: number;
    percentCovered: number;
    percentJpCompliant: number;
    expiring: number;
    liveExams: number;
    sitting: number;
  };
  workforce: WorkforceRow[];
  coverage: CoverageRow[];
  jpCompliance: JpComplianceRow[];
  heatmap: Heatmap;
  expiring: ExpiringRow[];
  liveExams: LiveExamRow[];
}

export interface CoordinatorDashboard {
  filters: ReportScope['filters'];
  sectors: string[] | null;
  courses: CourseRow[];
  assessments: AssessmentRow[];
  liveExams: LiveExamRow[];
}

const DAY = 86_400_000;
const TOP_GAPS = 5;
/** How many finished courses the dashboard looks past for their next step. */
const NEXT_STEPS = 3;

/** What each role sees first: composed from the reports, each part in parallel. */
@Injectable()
export class Dashboards {
  constructor(
    private readonly workforce: WorkforceReports,
    private readonly programmes: ProgrammeReports,
    private readonly gapReport: GapReportService,
    private readonly gaps: GapsService,
    private readonly enrollments: EnrollmentsService,
    private readonly certificates: CertificatesService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly nextSteps: CourseNextSteps,
  ) {}

  /** The city's workforce: headcount, coverage, JP compliance, gaps, expiring, live exams. */
  async admin(caller: AuthUser, scope: ReportScope): Promise<AdminDashboard> {
    const [workforce, coverage, jpCompliance, heatmap, expiring, liveExams] = await Promise.all([
      this.workforce.workforce(scope),
      this.workforce.certificationCoverage(scope),
      this.workforce.jpCompliance(scope),
      this.gapReport.heatmap(caller, scope.now, scope),
      this.workforce.expiringCertificates(scope),
      this.workforce.liveExams(scope),
    ]);
    const sum = <T>(rows: T[], value: (row: T) => number) =>
      rows.reduce((total, row) => total + value(row), 0);
    const asn = sum(workforce, (r) => r.asn);
    return {
      filters: scope.filters,
      totals: {
        asn,
        percentCovered: percent(
          sum(coverage, (r) => r.covered),
          sum(coverage, (r) => r.asn),
        ),
        percentJpCompliant: percent(
          sum(jpCompliance, (r) => r.compliant),
          asn,
        ),
        expiring: expiring.length,
        liveExams: liveExams.length,
        sitting: sum(liveExams, (r) => r.sitting),
      },
      workforce,
      coverage,
      jpCompliance,
      heatmap,
      expiring,
      liveExams,
    };
  }

  /** The caller's sectors' programmes: courses, assessments, exams running now. */
  async coordinator(scope: ReportScope): Promise<CoordinatorDashboard> {
    const [courses, assessments, liveExams] = await Promise.all([
      this.programmes.courses(scope),
      this.programmes.assessments(scope),
      this.workforce.liveExams(scope),
    ]);
    return { filters: scope.filters, sectors: scope.sectors, courses, assessments, liveExams };
  }

  /** An ASN's own year: JP toward the target, top gaps, courses, certificates, notifications. */
  async asn(caller: AuthUser) {
    const now = this.clock.now();
    const year = now.getUTCFullYear();
    const [ledger, gaps, enrollments, certificates, notifications] = await Promise.all([
      this.enrollments.ledger(caller.id, year),
      this.gaps.forUser(caller, caller.id, now),
      this.enrollments.mine(caller),
      this.certificates.mine(caller),
      this.notifications.mine(caller, 5),
    ]);
    const finished = enrollments.filter((e) => e.status === 'completed');
    const finishedCodes = new Set(finished.map((e) => e.course.code));
    // The latest finished courses, each with what follows it while something still does.
    const after = await Promise.all(
      finished.slice(0, NEXT_STEPS).map(async (e) => ({
        courseId: e.course.id,
        title: e.course.title,
        step: await this.nextSteps.forCourse(caller, nextStepCourse(e.course)),
      })),
    );
    return {
      jp: {
        year,
        target: JP_TARGET,
        total: ledger.total,
        percent: Math.min(100, percent(ledger.total, JP_TARGET)),
      },
      position: gaps.position,
      gapSummary: gaps.summary,
      topGaps: gaps.items
        .filter((g) => !g.met)
        .slice(0, TOP_GAPS)
        .map((g) => ({
          competency: g.competency,
          requiredLevel: g.requiredLevel,
          achievedLevel: g.achievedLevel,
          gap: g.gap,
          // A finished course is not recommended again: its exam is what closes the gap.
          course: g.recommendations.courses?.find((c) => !finishedCodes.has(c.code)) ?? null,
          finishedCourse: g.recommendations.courses?.find((c) => finishedCodes.has(c.code)) ?? null,
        })),
      nextSteps: after
        .map(({ step, ...a }) => ({
          ...a,
          exams: step.exams.filter((x) => !x.passed),
          schemes: step.schemes.filter((x) => !x.met),
        }))
        .filter((a) => a.exams.length || a.schemes.length),
      courses: enrollments
        .filter((e) => e.status === 'active')
        .map((e) => ({
          enrollmentId: e.id,
          courseId: e.course.id,
          code: e.course.code,
          title: e.course.title,
          percent: e.progress.percent,
          dueAt: e.dueAt,
          overdue: !!e.dueAt && new Date(e.dueAt) < now,
        }))
        .sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999')),
      certificates: certificates
        .filter((c) => c.status === 'active' || c.status === 'expired')
        .map((c) => ({
          id: c.id,
          number: c.number,
          scheme: c.scheme,
          status: c.status,
          expiresAt: c.expiresAt,
          daysLeft: c.expiresAt
            ? Math.ceil((new Date(c.expiresAt).getTime() - now.getTime()) / DAY)
            : null,
        })),
      notifications,
    };
  }
}
