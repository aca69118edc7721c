import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Repository } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import { PositionsService } from '../../competency/positions.service.js';
import { User } from '../../identity/user.entity.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import { AccessService, candidateOf } from '../../platform/auth/access.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Clock } from '../../platform/clock.js';
import { NotificationsService } from '../../platform/notifications/notifications.service.js';
import { renderMarkdown } from '../../platform/web/markdown.js';
import { QuestionTypeRegistry } from '../../registry/registries.js';
import { QuestionVersion } from '../banks/question-bank.entity.js';
import {
  type AttemptGraded,
  ATTEMPT_OVERRIDDEN,
  type AttemptOverridden,
} from './assessment.events.js';
import { Assessment, Attempt, AttemptItem } from './assessment.entity.js';
import { AssessmentsService } from './assessments.service.js';
import { attemptError, AttemptsService } from './attempts.service.js';
import { countingAttempt, reviewNow, round2 } from './attempt-rules.js';

/** A stable pseudonym for a candidate in a grader's queue: the same person, the same label. */
const pseudonym = (attemptId: string) =>
  `Peserta ${createHash('sha256').update(attemptId).digest('hex').slice(0, 6).toUpperCase()}`;

/**
 * What coordinators do with attempts: grade essays by hand, follow and export results,
 * regrade after a key correction.
 */
@Injectable()
export class GradingService {
  constructor(
    @InjectRepository(Attempt) private readonly attempts: Repository<Attempt>,
    @InjectRepository(AttemptItem) private readonly items: Repository<AttemptItem>,
    @InjectRepository(Assessment) private readonly assessmentRows: Repository<Assessment>,
    @InjectRepository(QuestionVersion) private readonly versions: Repository<QuestionVersion>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly assessments: AssessmentsService,
    private readonly attemptsService: AttemptsService,
    private readonly transactions: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly types: QuestionTypeRegistry,
    private readonly events: EventEmitter2,
    private readonly positions: PositionsService,
  ) {}

  private readonly logger = new Logger('Grading');

  /** Whether a person grades this type: essays and types declared `manualGrading` (ADR 0020). */
  /**
   * An item of a closed attempt that `actor` may decide about: the assessment is theirs to
   * manage and the candidate is someone they may decide for (never themselves; ADR 0012).
   */
  private async closedItem(actor: AuthUser, attemptId: string, slot: number) {
    const attempt = await this.attempts.findOneBy({ id: attemptId });
    if (!attempt) throw attemptError('attempt.not_found');
    await this.assessments.requireManaged(actor, attempt.assessmentId);
    const candidate = await this.users.findOne({
      where: { id: attempt.userId },
      relations: { position: true },
    });
    if (!candidate) throw attemptError('attempt.not_found', { variant: 'candidate' });
    this.access.requireMayDecideFor(actor, candidateOf(candidate));
    if (attempt.status === 'in_progress' || attempt.status === 'submitted')
      throw attemptError('attempt.closed', { variant: 'notFinished', field: 'status' });
    const item = await this.items.findOneBy({ attemptId, slot });
    if (!item) throw attemptError('attempt.not_found', { variant: 'slot', params: { slot } });
    return { attempt, item };
  }

  private needsPerson(type: string): boolean {
    return this.types.get(type)?.manualGrading === true;
  }

  /** Answers waiting for a person, oldest first, in the caller's sectors; anonymised unless asked. */
  async queue(caller: AuthUser, options: { reveal?: boolean; limit?: number } = {}) {
    const managed = this.access.managedSectors(caller);
    const assessments = await this.assessmentRows.find({
      select: { id: true, title: true, sector: true },
      where: managed ? { sector: In(managed.length ? managed : ['-']) } : {},
    });
    if (!assessments.length) return [];
    // Only answers the caller may grade (ADR 0012, the rule of AccessService.mayDecideFor,
    // here in SQL so that the limit counts them): never their own, and for a coordinator
    // only those of ASN whose position is in one of their sectors.
    const query = this.attempts
      .createQueryBuilder('a')
      .where('a.status = :status', { status: 'needs_grading' })
      .andWhere('a.assessmentId IN (:...assessmentIds)', {
        assessmentIds: assessments.map((a) => a.id),
      })
      .andWhere('a.userId <> :self', { self: caller.id });
    if (managed) {
      // A coordinator grades the ASN whose position is in their sectors (ADR 0012).
      const positionIds = await this.positions.idsInSectors(managed);
      query
        .innerJoin(User, 'u', 'u.id = a.userId')
        .andWhere('u.role = :asn', { asn: 'asn' })
        .andWhere('u.positionId IN (:...positionIds)', {
          positionIds: positionIds.length ? positionIds : ['-'],
        });
    }
    const waiting = await query
      .orderBy('a.submittedAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(options.limit ?? 100)
      .getMany();
    if (!waiting.length) return [];
    const items = await this.items.find({
      where: { attemptId: In(waiting.map((a) => a.id)), score: IsNull() },
      order: { slot: 'ASC' },
    });
    const versions = items.length
      ? await this.versions.find({
          where: items.map((i) => ({ questionId: i.questionId, version: i.questionVersion })),
        })
      : [];
    const names = options.reveal
      ? new Map(
          (await this.users.findBy({ id: In(waiting.map((a) => a.userId)) })).map((u) => [
            u.id,
            u.name,
          ]),
        )
      : null;
    return waiting.flatMap((attempt) => {
      const assessment = assessments.find((a) => a.id === attempt.assessmentId)!;
      return items
        .filter((i) => i.attemptId === attempt.id)
        .map((item) => {
          const version = versions.find(
            (v) => v.questionId === item.questionId && v.version === item.questionVersion,
          );
          return {
            attemptId: attempt.id,
            slot: item.slot,
            assessmentId: assessment.id,
            assessmentTitle: assessment.title,
            candidate: names?.get(attempt.userId) ?? pseudonym(attempt.id),
            submittedAt: attempt.submittedAt?.toISOString() ?? null,
            type: item.type,
            points: item.points,
            stem: version?.stem ?? '',
            stemHtml: renderMarkdown(version?.stem ?? ''),
            rubric: String((version?.definition as { rubric?: string })?.rubric ?? ''),
            response: item.response,
          };
        });
    });
  }

  /**
   * Records a person's grade of one answer; the attempt's result follows when none waits.
   * Nobody grades their own answer, a coordinator only ASN of their sectors (ADR 0012); the
   * audit entry names the grader, the candidate and the comment, the grader's reason.
   */
  async grade(
    actor: AuthUser,
    attemptId: string,
    slot: number,
    input: { score: number; comment?: string },
  ) {
    const { attempt, item } = await this.closedItem(actor, attemptId, slot);
    // Hand grading is for what a person must judge; the machine's grade of any other item
    // stands unless an admin overrides it, with a reason, through `override` (ADR 0020).
    if (!this.needsPerson(item.type))
      throw attemptError('attempt.machine_graded', {
        field: 'slot',
        params: { slot, type: item.type },
      });
    if (input.score > item.points)
      throw attemptError('attempt.invalid', {
        variant: 'scoreAbovePoints',
        field: 'score',
        params: { points: item.points },
      });
    const now = this.clock.now();
    const before = { score: attempt.score, passed: attempt.passed };
    let graded: AttemptGraded | null = null;
    await this.transactions.run(async (manager) => {
      await manager.getRepository(AttemptItem).update(
        { id: item.id },
        {
          score: round2(input.score),
          fraction: item.points > 0 ? round2(input.score) / item.points : 0,
          graderComment: input.comment?.trim() || null,
          gradedBy: actor.id,
          gradedAt: now,
        },
      );
      graded = await this.attemptsService.grade(attemptId, now, 'manual');
      await this.audit.record({
        actor,
        action: 'attempt.grade',
        entityType: 'attempt',
        entityId: attemptId,
        detail: {
          slot,
          score: input.score,
          points: item.points,
          gradedBy: { id: actor.id, name: actor.name, role: actor.role },
          candidateId: attempt.userId,
          comment: input.comment?.trim() || null,
          before,
        },
      });
    });
    if (graded) {
      await this.attemptsService.announce(graded);
      await this.tellCandidate(attempt, graded, 'Ujian dinilai');
    }
    return this.attemptsService.view(actor, attemptId);
  }

  /**
   * The notice (and its mail) to the candidate: the score only where the review policy shows
   * it now; under a policy that shows nothing, only that the attempt was graded (ADR 0020).
   */
  private async tellCandidate(attempt: Attempt, graded: AttemptGraded, heading: string) {
    const assessment = (await this.assessmentRows.findOneBy({ id: attempt.assessmentId }))!;
    const review = reviewNow(assessment.reviewPolicy, {
      finished: true,
      reviewAfterClose: assessment.reviewAfterClose,
      closesAt: assessment.closesAt,
      now: this.clock.now(),
    });
    await this.notifications.notify({
      userId: attempt.userId,
      kind: 'attempt.graded',
      title: `${heading}: ${assessment.title}`,
      body:
        review === 'none'
          ? 'Percobaan Anda sudah dinilai. Nilainya tidak ditampilkan menurut aturan tinjauan ujian ini.'
          : graded.passed
            ? `Selamat, Anda lulus dengan nilai ${graded.percent}%.`
            : `Nilai Anda ${graded.percent}%.`,
      link: `/ujian/percobaan/${attempt.id}/hasil`,
    });
  }

  /**
   * An admin replaces the machine's grade of one item (a key the regrade cannot fix, a
   * response the type misjudged), with a reason. Never for an essay (that is grading), never
   * their own or, by ADR 0012, anyone they may not decide for. The reason is audited, shown
   * on the attempt to staff (and to the candidate where the policy shows scores) and in the
   * history of a certificate that rests on the attempt; a regrade keeps it and says so.
   */
  async override(
    actor: AuthUser,
    attemptId: string,
    slot: number,
    input: { score: number; reason: string },
  ) {
    const reason = input.reason.trim();
    if (reason.length < 10)
      throw attemptError('attempt.invalid', { variant: 'overrideReason', field: 'reason' });
    const { attempt, item } = await this.closedItem(actor, attemptId, slot);
    if (this.needsPerson(item.type))
      throw attemptError('attempt.manual_item', {
        field: 'slot',
        params: { slot, type: item.type },
      });
    if (input.score > item.points)
      throw attemptError('attempt.invalid', {
        variant: 'scoreAbovePoints',
        field: 'score',
        params: { points: item.points },
      });
    const now = this.clock.now();
    const before = { score: attempt.score, percent: attempt.percent, passed: attempt.passed };
    let graded: AttemptGraded | null = null;
    await this.transactions.run(async (manager) => {
      await manager.getRepository(AttemptItem).update(
        { id: item.id },
        {
          score: round2(input.score),
          fraction: item.points > 0 ? round2(input.score) / item.points : 0,
          overrideReason: reason,
          gradedBy: actor.id,
          gradedAt: now,
        },
      );
      graded = await this.attemptsService.grade(attemptId, now, 'manual');
      const after = (await manager.getRepository(Attempt).findOneBy({ id: attemptId }))!;
      await this.audit.record({
        actor,
        action: 'attempt.override',
        entityType: 'attempt',
        entityId: attemptId,
        detail: {
          slot,
          type: item.type,
          machineScore: item.score,
          score: round2(input.score),
          points: item.points,
          reason,
          candidateId: attempt.userId,
          before,
          after: { score: after.score, percent: after.percent, passed: after.passed },
        },
      });
    });
    if (graded) {
      if (!(graded as AttemptGraded).passed !== !attempt.passed)
        await this.attemptsService.announce(graded);
      await this.tellCandidate(attempt, graded, 'Nilai ujian dikoreksi');
    }
    // After the pass (if any) was announced: a certificate issued from it shows the override.
    const overridden: AttemptOverridden = {
      userId: attempt.userId,
      assessmentId: attempt.assessmentId,
      attemptId,
      slot,
      score: round2(input.score),
      reason,
      by: { id: actor.id, name: actor.name },
      submittedAt: attempt.submittedAt,
    };
    try {
      await this.events.emitAsync(ATTEMPT_OVERRIDDEN, overridden);
    } catch (error) {
      this.logger.error({ err: error, attemptId }, 'A listener of an override failed');
    }
    return this.attemptsService.view(actor, attemptId);
  }

  /**
   * Regrades every finished attempt with each question's latest version (after a key
   * correction). People's grades stay; old and new scores go to the audit log.
   */
  async regrade(actor: AuthUser, assessmentId: string) {
    const assessment = await this.assessments.requireManaged(actor, assessmentId);
    const finished = await this.attempts.find({
      where: { assessmentId, status: In(['graded', 'needs_grading']) },
    });
    const changed: { attemptId: string; before: number | null; after: number | null }[] = [];
    // An admin's override is kept on purpose, and the answer says which (ADR 0020).
    const overridesKept = finished.length
      ? (
          await this.items.find({
            where: { attemptId: In(finished.map((a) => a.id)), overrideReason: Not(IsNull()) },
            order: { slot: 'ASC' },
          })
        ).map((i) => ({
          attemptId: i.attemptId,
          slot: i.slot,
          score: i.score,
          reason: i.overrideReason,
        }))
      : [];
    for (const attempt of finished) {
      const now = this.clock.now();
      let graded: AttemptGraded | null = null;
      // Pushed after the commit: a run rolled back after a conflict is run again whole.
      let change: (typeof changed)[number] | null = null;
      await this.transactions.run(async (manager) => {
        change = null;
        graded = await this.attemptsService.grade(attempt.id, now, 'regrade');
        const after = (await manager.getRepository(Attempt).findOneBy({ id: attempt.id }))!;
        if (after.score !== attempt.score) {
          change = { attemptId: attempt.id, before: attempt.score, after: after.score };
          await this.audit.record({
            actor,
            action: 'attempt.regrade',
            entityType: 'attempt',
            entityId: attempt.id,
            detail: {
              before: { score: attempt.score, percent: attempt.percent, passed: attempt.passed },
              after: { score: after.score, percent: after.percent, passed: after.passed },
              overridesKept: overridesKept.filter((o) => o.attemptId === attempt.id),
            },
          });
        }
      });
      if (change) changed.push(change);
      if (graded && !(graded as AttemptGraded).passed === !attempt.passed) graded = null;
      if (graded) await this.attemptsService.announce(graded);
      if (graded && attempt.passed) await this.attemptsService.announceVoided(graded, actor);
    }
    return { assessmentId: assessment.id, regraded: finished.length, changed, overridesKept };
  }

  /** Every attempt of an assessment with its candidate: the live view and the results table. */
  async results(caller: AuthUser, assessmentId: string) {
    const assessment = await this.assessments.requireManaged(caller, assessmentId);
    const attempts = await this.attempts.find({
      where: { assessmentId },
      order: { startedAt: 'ASC' },
    });
    const users = attempts.length
      ? await this.users.find({
          where: { id: In([...new Set(attempts.map((a) => a.userId))]) },
          relations: { orgUnit: true },
        })
      : [];
    const answered = attempts.length
      ? await this.items
          .createQueryBuilder('i')
          .select('i.attemptId', 'attemptId')
          .addSelect('COUNT(i.id)', 'total')
          .addSelect('SUM(CASE WHEN i.response IS NULL THEN 0 ELSE 1 END)', 'answered')
          .where({ attemptId: In(attempts.map((a) => a.id)) })
          .groupBy('i.attemptId')
          .getRawMany<{ attemptId: string; total: string; answered: string }>()
      : [];
    const now = this.clock.now();
    const byUser = new Map<string, Attempt[]>();
    for (const a of attempts) byUser.set(a.userId, [...(byUser.get(a.userId) ?? []), a]);
    const counting = new Set(
      [...byUser.values()].map((list) => countingAttempt(list, assessment.scoring)?.id),
    );
    return {
      assessment: {
        id: assessment.id,
        title: assessment.title,
        passPercent: assessment.passPercent,
      },
      attempts: attempts.map((a) => {
        const user = users.find((u) => u.id === a.userId);
        const count = answered.find((c) => c.attemptId === a.id);
        return {
          id: a.id,
          userId: a.userId,
          name: user?.name ?? '',
          nip: user?.nip ?? null,
          orgUnit: user?.orgUnit?.name ?? null,
          number: a.number,
          purpose: a.purpose ?? null,
          status: a.status,
          startedAt: a.startedAt.toISOString(),
          deadline: a.deadline?.toISOString() ?? null,
          secondsLeft:
            a.status === 'in_progress' && a.deadline
              ? Math.max(0, Math.round((a.deadline.getTime() - now.getTime()) / 1000))
              : null,
          answered: Number(count?.answered ?? 0),
          questions: Number(count?.total ?? 0),
          score: a.score,
          maxScore: a.maxScore,
          percent: a.percent,
          passed: a.passed,
          counts: counting.has(a.id),
        };
      }),
    };
  }
}
