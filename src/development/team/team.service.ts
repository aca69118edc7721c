import { Injectable } from '@nestjs/common';
import { SchemePlanCatalogue } from '../../certification/scheme-plan-catalogue.js';
import { GapsService } from '../../competency/gaps.service.js';
import { CoursePlanCatalogue } from '../../learning/course-plan-catalogue.js';
import { ReportingLine } from '../../people/reporting-line.service.js';
import { UsersService } from '../../people/users.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Clock } from '../../platform/clock.js';
import { planYearOf, PlansService, type PlanSummary } from '../plans/plans.service.js';

/** Days before expiry from which the team page marks a certificate. */
export const EXPIRY_WARNING_DAYS = 90;

export interface TeamMemberView {
  id: string;
  nip: string | null;
  name: string;
  position: { code: string; name: string } | null;
  orgUnit: { code: string; name: string } | null;
  gaps: { required: number; met: number; totalGap: number };
  plan: PlanSummary | null;
  jpThisYear: number;
  certificates: {
    number: string;
    scheme: string;
    status: string;
    expiresAt: string | null;
    expiringSoon: boolean;
  }[];
}

/**
 * A supervisor's direct reports (ADR 0040): computed from `users.supervisorId` on each request,
 * so someone moved to another supervisor leaves this list at once.
 */
@Injectable()
export class TeamService {
  constructor(
    private readonly line: ReportingLine,
    private readonly users: UsersService,
    private readonly gaps: GapsService,
    private readonly plans: PlansService,
    private readonly courses: CoursePlanCatalogue,
    private readonly schemes: SchemePlanCatalogue,
    private readonly clock: Clock,
  ) {}

  /** The caller's direct reports with gaps, this year's plan, JP and certificates; empty without any. */
  async mine(caller: AuthUser): Promise<TeamMemberView[]> {
    const reports = await this.line.directReports(caller.id);
    if (!reports.length) return [];
    const now = this.clock.now();
    const year = planYearOf(now);
    const ids = reports.map((r) => r.id);
    const [plans, jp, certificates] = await Promise.all([
      this.plans.summaries(ids, year),
      this.courses.creditedJp(ids, year),
      this.schemes.heldBy(ids, now),
    ]);
    const soon = now.getTime() + EXPIRY_WARNING_DAYS * 24 * 3600 * 1000;
    const members: TeamMemberView[] = [];
    for (const report of reports) {
      const [user, gaps] = await Promise.all([
        this.users.get(report.id),
        this.gaps.forUserAsSupervisor(caller, report.id, now),
      ]);
      members.push({
        id: user.id,
        nip: user.nip,
        name: user.name,
        position: user.position,
        orgUnit: user.orgUnit,
        gaps: {
          required: gaps.summary.required,
          met: gaps.summary.met,
          totalGap: gaps.summary.totalGap,
        },
        plan: plans.get(user.id) ?? null,
        jpThisYear: jp.get(user.id) ?? 0,
        certificates: (certificates.get(user.id) ?? []).map((c) => ({
          ...c,
          expiringSoon:
            c.status === 'active' && !!c.expiresAt && new Date(c.expiresAt).getTime() <= soon,
        })),
      });
    }
    return members;
  }
}
