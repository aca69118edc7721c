import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { MailOutbox } from '../../certification/mail-outbox.service.js';
import {
  SchemePlanCatalogue,
  type PlannableScheme,
} from '../../certification/scheme-plan-catalogue.js';
import { GapsService } from '../../competency/gaps.service.js';
import { isUniqueViolation } from '../../database/db-errors.js';
import { TransactionService } from '../../database/transaction.service.js';
import { CoursePlanCatalogue, type PlannableCourse } from '../../learning/course-plan-catalogue.js';
import { ReportingLine } from '../../people/reporting-line.service.js';
import { UsersService } from '../../people/users.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Clock } from '../../platform/clock.js';
import { errorFamily } from '../../platform/http/domain-error.js';
import {
  DevelopmentPlan,
  DevelopmentPlanItem,
  Evaluation,
  EvaluationResponse,
  type PlanItemKind,
  type PlanStatus,
} from '../development.entity.js';

export const planError = errorFamily({
  'plan.invalid': 'invalid',
  'plan.not_found': 'not_found',
  'plan.own': 'forbidden',
  'plan.conflict': 'conflict',
});

/** The yearly JP target every ASN is held to (20 JP). */
export const JP_TARGET = 20;
/** The platform's pace: JP a person can reasonably study in a week. */
export const JP_PER_WEEK = 2;
const WEEK_MS = 7 * 24 * 3600 * 1000;
/** Asia/Jakarta is UTC+7 all year. */
const JAKARTA_OFFSET_MS = 7 * 3600 * 1000;

/** The current year in Asia/Jakarta. */
export function planYearOf(now: Date): number {
  return new Date(now.getTime() + JAKARTA_OFFSET_MS).getUTCFullYear();
}

export interface PlanItemView {
  id: string;
  kind: PlanItemKind;
  refId: string;
  code: string;
  title: string;
  competencyCode: string | null;
  jp: number;
  costIdr: number;
  deliveryMode: string | null;
  status: 'planned' | 'done' | 'dropped';
  origin: 'proposed' | 'added';
  reason: string | null;
  /** Its remaining JP exceed what the rest of the year holds at 2 JP a week. */
  willNotFit: boolean;
  doneAt: string | null;
}

export interface PlanView {
  id: string;
  year: number;
  status: PlanStatus;
  owner: { id: string; name: string; nip: string | null };
  supervisor: { id: string; name: string; nip: string | null } | null;
  items: PlanItemView[];
  plannedJp: number;
  realisedJp: number;
  targetJp: number;
  estimatedCostIdr: number;
  returnReason: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  decidedAsAdmin: boolean;
  /** The competencies of the plan, which a supervisor may rate when agreeing. */
  competencyCodes: string[];
}

/** A plan in a list: its status and its JP, without the items. */
export interface PlanSummary {
  id: string;
  year: number;
  status: PlanStatus;
  plannedJp: number;
  realisedJp: number;
}

type Offer = (PlannableCourse | PlannableScheme) & { kind: PlanItemKind };

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Each ASN's yearly development plan (ADR 0040): proposed from their gaps, edited by them,
 * submitted to their direct supervisor, agreed or returned; progress computed on read.
 */
@Injectable()
export class PlansService {
  constructor(
    @InjectRepository(DevelopmentPlan) private readonly plans: Repository<DevelopmentPlan>,
    @InjectRepository(DevelopmentPlanItem)
    private readonly items: Repository<DevelopmentPlanItem>,
    private readonly gaps: GapsService,
    private readonly courses: CoursePlanCatalogue,
    private readonly schemes: SchemePlanCatalogue,
    private readonly line: ReportingLine,
    private readonly users: UsersService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
  ) {}

  /** The year asked for: the current one in Asia/Jakarta by default; only last, this and next. */
  yearOf(raw: string | undefined): number {
    const current = planYearOf(this.clock.now());
    if (raw === undefined || raw === '') return current;
    const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
    if (!(year >= current - 1 && year <= current + 1))
      throw planError('plan.invalid', {
        variant: 'year',
        field: 'year',
        params: { year: String(raw).slice(0, 20) },
      });
    return year;
  }

  /** The caller's plan of the year, proposed from their gaps on the first read. */
  async mine(caller: AuthUser, rawYear?: string): Promise<PlanView> {
    const plan = await this.own(caller, this.yearOf(rawYear));
    return this.view(plan);
  }

  /** Published courses and active schemes one may add to a plan. */
  async offers(): Promise<{ courses: PlannableCourse[]; schemes: PlannableScheme[] }> {
    const [courses, schemes] = await Promise.all([this.courses.published(), this.schemes.active()]);
    return { courses, schemes };
  }

  /** Adds a published course or an active scheme; cost and JP come from it, not the caller. */
  async addItem(
    caller: AuthUser,
    rawYear: string | undefined,
    input: { kind: string; refId: string; reason?: string },
  ): Promise<PlanView> {
    const plan = await this.own(caller, this.yearOf(rawYear));
    this.requireEditable(plan);
    if (input.kind !== 'course' && input.kind !== 'scheme')
      throw planError('plan.invalid', { variant: 'kind', field: 'kind' });
    const refId = String(input.refId ?? '');
    const found =
      input.kind === 'course'
        ? await this.courses.publishedById(refId)
        : await this.schemes.activeById(refId);
    if (!found)
      throw planError('plan.invalid', {
        variant: 'refId',
        field: 'refId',
        params: { refId: refId.slice(0, 60) },
      });
    const reason = input.reason?.trim() || null;
    if (reason && reason.length > 500)
      throw planError('plan.invalid', { variant: 'reason', field: 'reason' });
    const unmet = await this.unmetCodes(caller);
    const competencyCode = found.competencies.find((c) => unmet.has(c.code))?.code ?? null;
    const now = this.clock.now();
    const last = await this.items.find({
      where: { planId: plan.id },
      order: { position: 'DESC' },
      take: 1,
    });
    try {
      await this.transactions.run(async (manager) => {
        await manager.getRepository(DevelopmentPlanItem).insert({
          ...this.itemOf(plan.id, { ...found, kind: input.kind as PlanItemKind }, competencyCode),
          origin: 'added',
          reason,
          position: (last[0]?.position ?? -1) + 1,
          createdAt: now,
          updatedAt: now,
        });
        await manager.getRepository(DevelopmentPlan).update({ id: plan.id }, { updatedAt: now });
        await this.audit.record({
          actor: caller,
          action: 'plan.item.add',
          entityType: 'development_plan',
          entityId: plan.id,
          detail: { kind: input.kind, refId, code: found.code, costIdr: found.costIdr, reason },
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw planError('plan.conflict', { variant: 'duplicate' });
    }
    return this.view(await this.requirePlan(plan.id));
  }

  /**
   * Drops an item with a reason, or plans a dropped one again. An agreed plan only lets an
   * item be dropped.
   */
  async updateItem(
    caller: AuthUser,
    itemId: string,
    input: { status: string; reason?: string },
  ): Promise<PlanView> {
    const { plan, item } = await this.ownItem(caller, itemId);
    if (input.status !== 'dropped' && input.status !== 'planned')
      throw planError('plan.invalid', { variant: 'status', field: 'status' });
    const reason = input.reason?.trim() ?? '';
    if (input.status === 'dropped') {
      if (plan.status === 'submitted') throw planError('plan.conflict', { variant: 'locked' });
      if (reason.length < 5 || reason.length > 500)
        throw planError('plan.invalid', { variant: 'dropReason', field: 'reason' });
      if (item.status === 'dropped') return this.view(plan);
    } else {
      this.requireEditable(plan);
      if (item.status !== 'dropped') return this.view(plan);
    }
    const now = this.clock.now();
    await this.transactions.run(async (manager) => {
      await manager.getRepository(DevelopmentPlanItem).update(
        { id: item.id },
        {
          status: input.status as 'planned' | 'dropped',
          reason:
            input.status === 'dropped' ? reason : item.origin === 'added' ? item.reason : null,
          updatedAt: now,
        },
      );
      await manager.getRepository(DevelopmentPlan).update({ id: plan.id }, { updatedAt: now });
      await this.audit.record({
        actor: caller,
        action: input.status === 'dropped' ? 'plan.item.drop' : 'plan.item.restore',
        entityType: 'development_plan',
        entityId: plan.id,
        detail: { itemId: item.id, code: item.code, planStatus: plan.status, reason },
      });
    });
    return this.view(await this.requirePlan(plan.id));
  }

  /** Removes an item the owner added; a proposed one is dropped with a reason instead. */
  async removeItem(caller: AuthUser, itemId: string): Promise<PlanView> {
    const { plan, item } = await this.ownItem(caller, itemId);
    this.requireEditable(plan);
    if (item.origin !== 'added') throw planError('plan.conflict', { variant: 'proposed' });
    await this.transactions.run(async (manager) => {
      await manager.getRepository(DevelopmentPlanItem).delete({ id: item.id });
      await manager
        .getRepository(DevelopmentPlan)
        .update({ id: plan.id }, { updatedAt: this.clock.now() });
      await this.audit.record({
        actor: caller,
        action: 'plan.item.remove',
        entityType: 'development_plan',
        entityId: plan.id,
        detail: { itemId: item.id, code: item.code },
      });
    });
    return this.view(await this.requirePlan(plan.id));
  }

  /** Sends a draft or returned plan to the supervisor. */
  async submit(caller: AuthUser, rawYear?: string): Promise<PlanView> {
    const plan = await this.own(caller, this.yearOf(rawYear));
    this.requireEditable(plan);
    const planned = await this.items.countBy({ planId: plan.id, status: In(['planned', 'done']) });
    if (!planned) throw planError('plan.invalid', { variant: 'empty', field: 'items' });
    const supervisor = await this.line.supervisorOf(plan.userId);
    const now = this.clock.now();
    await this.transactions.run(async (manager) => {
      const done = await manager
        .getRepository(DevelopmentPlan)
        .update(
          { id: plan.id, status: In(['draft', 'returned']) },
          { status: 'submitted', submittedAt: now, returnReason: null, updatedAt: now },
        );
      if (!done.affected) throw planError('plan.conflict', { variant: 'locked' });
      await this.audit.record({
        actor: caller,
        action: 'plan.submit',
        entityType: 'development_plan',
        entityId: plan.id,
        detail: { year: plan.year, supervisorId: supervisor?.id ?? null },
      });
      if (supervisor)
        await this.outbox.enqueue({
          userId: supervisor.id,
          kind: 'plan.submitted',
          template: 'plan-submitted',
          dedupeKey: `plan.submit:${plan.id}:${now.getTime()}`,
          link: `/tim/rencana/${plan.id}`,
          data: { ownerName: caller.name, year: plan.year },
        });
    });
    return this.view(await this.requirePlan(plan.id));
  }

  /** A plan by id: its owner, the owner's supervisor, or an admin; anyone else is told it does not exist. */
  async get(caller: AuthUser, planId: string): Promise<PlanView> {
    const plan = await this.plans.findOneBy({ id: planId });
    if (!plan) throw planError('plan.not_found');
    if (plan.userId !== caller.id && caller.role !== 'admin') {
      if (!(await this.line.isDirectReport(caller.id, plan.userId)))
        throw planError('plan.not_found');
    }
    return this.view(plan);
  }

  /** The supervisor (or an admin in their place) agrees a submitted plan, optionally rating a baseline. */
  async agree(
    caller: AuthUser,
    planId: string,
    ratings: Record<string, unknown> | undefined,
  ): Promise<PlanView> {
    const { plan, override } = await this.decidable(caller, planId);
    const items = await this.items.findBy({ planId: plan.id });
    const codes = new Set(items.map((i) => i.competencyCode).filter((c): c is string => !!c));
    const given = this.checkRatings(ratings, codes);
    const now = this.clock.now();
    await this.transactions.run(async (manager) => {
      const done = await manager.getRepository(DevelopmentPlan).update(
        { id: plan.id, status: 'submitted' },
        {
          status: 'agreed',
          returnReason: null,
          decidedAt: now,
          decidedById: caller.id,
          decidedAsAdmin: override,
          updatedAt: now,
        },
      );
      if (!done.affected) throw planError('plan.conflict', { variant: 'notSubmitted' });
      let baseline = false;
      if (Object.keys(given).length) {
        const evaluations = manager.getRepository(Evaluation);
        const dedupeKey = `baseline:${plan.id}`;
        if (!(await evaluations.existsBy({ dedupeKey }))) {
          const evaluation = {
            id: randomUUID(),
            kind: 'baseline' as const,
            dedupeKey,
            recipientId: caller.id,
            subjectUserId: plan.userId,
            courseId: null,
            schemeId: null,
            certificateId: null,
            planId: plan.id,
            competencyCodes: Object.keys(given),
            year: plan.year,
            status: 'answered' as const,
            dueAt: now,
            remindedAt: null,
            answeredAt: now,
            createdAt: now,
          };
          await evaluations.insert(evaluation);
          await manager.getRepository(EvaluationResponse).insert({
            kind: 'baseline',
            evaluationId: evaluation.id,
            subjectUserId: plan.userId,
            courseId: null,
            schemeId: null,
            certificateId: null,
            ratings: given,
            comment: null,
            year: plan.year,
            createdAt: now,
          });
          baseline = true;
        }
      }
      await this.audit.record({
        actor: caller,
        action: 'plan.agree',
        entityType: 'development_plan',
        entityId: plan.id,
        detail: {
          ownerId: plan.userId,
          year: plan.year,
          override,
          ...(baseline ? { ratings: given } : {}),
        },
      });
      await this.outbox.enqueue({
        userId: plan.userId,
        kind: 'plan.agreed',
        template: 'plan-agreed',
        dedupeKey: `plan.agree:${plan.id}:${now.getTime()}`,
        link: `/rencana?year=${plan.year}`,
        data: { year: plan.year, deciderName: caller.name },
      });
    });
    return this.view(await this.requirePlan(plan.id));
  }

  /** The supervisor (or an admin in their place) returns a submitted plan with a reason. */
  async returnPlan(caller: AuthUser, planId: string, rawReason: unknown): Promise<PlanView> {
    const { plan, override } = await this.decidable(caller, planId);
    const reason = typeof rawReason === 'string' ? rawReason.trim() : '';
    if (reason.length < 5 || reason.length > 1000)
      throw planError('plan.invalid', { variant: 'returnReason', field: 'reason' });
    const now = this.clock.now();
    await this.transactions.run(async (manager) => {
      const done = await manager.getRepository(DevelopmentPlan).update(
        { id: plan.id, status: 'submitted' },
        {
          status: 'returned',
          returnReason: reason,
          decidedAt: now,
          decidedById: caller.id,
          decidedAsAdmin: override,
          updatedAt: now,
        },
      );
      if (!done.affected) throw planError('plan.conflict', { variant: 'notSubmitted' });
      await this.audit.record({
        actor: caller,
        action: 'plan.return',
        entityType: 'development_plan',
        entityId: plan.id,
        detail: { ownerId: plan.userId, year: plan.year, override, reason },
      });
      await this.outbox.enqueue({
        userId: plan.userId,
        kind: 'plan.returned',
        template: 'plan-returned',
        dedupeKey: `plan.return:${plan.id}:${now.getTime()}`,
        link: `/rencana?year=${plan.year}`,
        data: { year: plan.year, deciderName: caller.name, reason },
      });
    });
    return this.view(await this.requirePlan(plan.id));
  }

  /** The plans of these people for a year (none is created), with their JP. */
  async summaries(userIds: readonly string[], year: number): Promise<Map<string, PlanSummary>> {
    const result = new Map<string, PlanSummary>();
    if (!userIds.length) return result;
    const plans = await this.plans.findBy({ userId: In([...userIds]), year });
    for (const plan of plans) {
      const view = await this.view(plan);
      result.set(plan.userId, {
        id: plan.id,
        year: plan.year,
        status: plan.status,
        plannedJp: view.plannedJp,
        realisedJp: view.realisedJp,
      });
    }
    return result;
  }

  private async decidable(
    caller: AuthUser,
    planId: string,
  ): Promise<{ plan: DevelopmentPlan; override: boolean }> {
    const plan = await this.plans.findOneBy({ id: planId });
    if (!plan) throw planError('plan.not_found');
    if (plan.userId === caller.id) throw planError('plan.own');
    const supervises = await this.line.isDirectReport(caller.id, plan.userId);
    if (!supervises && caller.role !== 'admin') throw planError('plan.not_found');
    if (plan.status !== 'submitted') throw planError('plan.conflict', { variant: 'notSubmitted' });
    return { plan, override: !supervises };
  }

  private checkRatings(
    ratings: Record<string, unknown> | undefined,
    codes: Set<string>,
  ): Record<string, number> {
    if (ratings === undefined || ratings === null) return {};
    if (typeof ratings !== 'object' || Array.isArray(ratings))
      throw planError('plan.invalid', { variant: 'ratingsShape', field: 'ratings' });
    const given: Record<string, number> = {};
    for (const [code, value] of Object.entries(ratings)) {
      if (!codes.has(code))
        throw planError('plan.invalid', {
          variant: 'ratingsCode',
          field: `ratings.${code.slice(0, 60)}`,
          params: { code: code.slice(0, 60) },
        });
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5)
        throw planError('plan.invalid', {
          variant: 'ratings',
          field: `ratings.${code}`,
          params: { code },
        });
      given[code] = value;
    }
    return given;
  }

  private requireEditable(plan: DevelopmentPlan): void {
    if (plan.status !== 'draft' && plan.status !== 'returned')
      throw planError('plan.conflict', { variant: 'locked' });
  }

  private async requirePlan(id: string): Promise<DevelopmentPlan> {
    const plan = await this.plans.findOneBy({ id });
    if (!plan) throw planError('plan.not_found');
    return plan;
  }

  private async ownItem(
    caller: AuthUser,
    itemId: string,
  ): Promise<{ plan: DevelopmentPlan; item: DevelopmentPlanItem }> {
    const item = await this.items.findOneBy({ id: itemId });
    const plan = item ? await this.plans.findOneBy({ id: item.planId }) : null;
    if (!item || !plan || plan.userId !== caller.id)
      throw planError('plan.not_found', { variant: 'item' });
    return { plan, item };
  }

  private async unmetCodes(caller: AuthUser): Promise<Set<string>> {
    const report = await this.gaps.forUser(caller, caller.id, this.clock.now());
    return new Set(report.items.filter((i) => !i.met).map((i) => i.competency.code));
  }

  /** The caller's plan of the year; created from their gaps when there is none (once, however many ask at once). */
  private async own(caller: AuthUser, year: number): Promise<DevelopmentPlan> {
    const existing = await this.plans.findOneBy({ userId: caller.id, year });
    if (existing) return existing;
    const report = await this.gaps.forUser(caller, caller.id, this.clock.now());
    const { courses, schemes } = await this.offers();
    const courseById = new Map(courses.map((c) => [c.id, c]));
    const schemeById = new Map(schemes.map((s) => [s.id, s]));
    const proposed: { offer: Offer; competencyCode: string }[] = [];
    const seen = new Set<string>();
    for (const gap of report.items) {
      if (gap.met) continue;
      const course = (gap.recommendations.courses ?? [])
        .map((r) => courseById.get(r.id))
        .find((c) => !!c);
      const scheme = (gap.recommendations.schemes ?? [])
        .map((r) => schemeById.get(r.id))
        .find((s) => !!s);
      for (const [offer, kind] of [
        [course, 'course'],
        [scheme, 'scheme'],
      ] as const) {
        if (!offer || seen.has(`${kind}:${offer.id}`)) continue;
        seen.add(`${kind}:${offer.id}`);
        proposed.push({ offer: { ...offer, kind }, competencyCode: gap.competency.code });
      }
    }
    const now = this.clock.now();
    try {
      return await this.transactions.run(async (manager) => {
        const plan = {
          id: randomUUID(),
          userId: caller.id,
          year,
          status: 'draft',
          returnReason: null,
          submittedAt: null,
          decidedAt: null,
          decidedById: null,
          decidedAsAdmin: null,
          createdAt: now,
          updatedAt: now,
        } satisfies Omit<DevelopmentPlan, 'user'>;
        await manager.getRepository(DevelopmentPlan).insert(plan);
        if (proposed.length)
          await manager.getRepository(DevelopmentPlanItem).insert(
            proposed.map((p, position) => ({
              ...this.itemOf(plan.id, p.offer, p.competencyCode),
              origin: 'proposed' as const,
              reason: null,
              position,
              createdAt: now,
              updatedAt: now,
            })),
          );
        return plan;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const plan = await this.plans.findOneBy({ userId: caller.id, year });
      if (!plan) throw error;
      return plan;
    }
  }

  private itemOf(planId: string, offer: Offer, competencyCode: string | null) {
    return {
      planId,
      kind: offer.kind,
      refId: offer.id,
      code: offer.code.slice(0, 40),
      title: offer.title.slice(0, 200),
      sector: offer.sector,
      competencyCode,
      jp: offer.jp,
      costIdr: offer.costIdr,
      deliveryMode: offer.deliveryMode,
      status: 'planned' as const,
      doneAt: null,
    };
  }

  /** The plan as it reads now: items done computed from completions and certificates. */
  private async view(plan: DevelopmentPlan): Promise<PlanView> {
    const now = this.clock.now();
    const items = await this.items.find({
      where: { planId: plan.id },
      order: { position: 'ASC', createdAt: 'ASC' },
    });
    const courseCodes = [...new Set(items.filter((i) => i.kind === 'course').map((i) => i.code))];
    const schemeIds = items.filter((i) => i.kind === 'scheme').map((i) => i.refId);
    const [completed, issued, credited, owner, supervisor] = await Promise.all([
      this.courses.completedInYear(plan.userId, courseCodes, plan.year),
      this.schemes.issuedInYear(plan.userId, schemeIds, plan.year),
      this.courses.creditedJp([plan.userId], plan.year),
      this.users.get(plan.userId),
      this.line.supervisorOf(plan.userId),
    ]);
    const yearEnd = Date.UTC(plan.year + 1, 0, 1) - JAKARTA_OFFSET_MS;
    const yearStart = Date.UTC(plan.year, 0, 1) - JAKARTA_OFFSET_MS;
    const weeksLeft = Math.max(0, (yearEnd - Math.max(now.getTime(), yearStart)) / WEEK_MS);
    const capacity = weeksLeft * JP_PER_WEEK;
    const views: PlanItemView[] = [];
    for (const item of items) {
      const doneAt = item.kind === 'course' ? completed.get(item.code) : issued.get(item.refId);
      const status =
        item.status === 'dropped' ? 'dropped' : doneAt ? ('done' as const) : ('planned' as const);
      if (item.status !== status) {
        // Progress is computed, and kept on the row for the reports that sum it.
        await this.items.update({ id: item.id }, { status, doneAt: doneAt ?? null });
      }
      views.push({
        id: item.id,
        kind: item.kind,
        refId: item.refId,
        code: item.code,
        title: item.title,
        competencyCode: item.competencyCode,
        jp: Number(item.jp),
        costIdr: Number(item.costIdr),
        deliveryMode: item.deliveryMode,
        status,
        origin: item.origin,
        reason: item.reason,
        willNotFit: status === 'planned' && item.kind === 'course' && Number(item.jp) > capacity,
        doneAt: doneAt ? doneAt.toISOString() : null,
      });
    }
    const kept = views.filter((v) => v.status !== 'dropped');
    return {
      id: plan.id,
      year: plan.year,
      status: plan.status,
      owner: { id: owner.id, name: owner.name, nip: owner.nip },
      supervisor: supervisor
        ? { id: supervisor.id, name: supervisor.name, nip: supervisor.nip }
        : null,
      items: views,
      plannedJp: round2(kept.reduce((sum, v) => sum + v.jp, 0)),
      realisedJp: credited.get(plan.userId) ?? 0,
      targetJp: JP_TARGET,
      estimatedCostIdr: kept.reduce((sum, v) => sum + v.costIdr, 0),
      returnReason: plan.returnReason,
      submittedAt: plan.submittedAt ? plan.submittedAt.toISOString() : null,
      decidedAt: plan.decidedAt ? plan.decidedAt.toISOString() : null,
      decidedAsAdmin: plan.decidedAsAdmin === true,
      competencyCodes: [
        ...new Set(kept.map((v) => v.competencyCode).filter((c): c is string => !!c)),
      ].sort(),
    };
  }
}
