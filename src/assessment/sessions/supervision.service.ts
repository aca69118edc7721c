import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsNull, type Repository } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import { AccessService } from '../../platform/auth/access.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { SessionsService as SignInSessions } from '../../platform/auth/sessions.service.js';
import { Clock } from '../../platform/clock.js';
import { AnswerTrailEntry, Attempt } from '../engine/assessment.entity.js';
import { AssessmentsService } from '../engine/assessments.service.js';
import { attemptError, AttemptsService } from '../engine/attempts.service.js';
import { sessionError } from './session-errors.js';
import {
  ExamSession,
  type IncidentKind,
  SessionIncident,
  SessionProctor,
} from './session.entity.js';

/** The longest one extension may add: past it, a new session is the honest answer. */
export const MAX_EXTENSION_MINUTES = 180;

/**
 * What a proctor does to one candidate's attempt (ADR 0024): extend its time, pause and
 * resume it after a power cut (its clock stands still), move it to another device (every
 * sign-in of the candidate ends), void it for misconduct. Each takes a reason and leaves an
 * incident (for the minutes) and an audit entry. The proctors of the attempt's session may
 * act, and the coordinators of its sector and admins; nobody on their own attempt.
 */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly attempts: AttemptsService,
    private readonly assessments: AssessmentsService,
    private readonly access: AccessService,
    private readonly signIns: SignInSessions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async extend(actor: AuthUser, attemptId: string, minutes: number, reason: string) {
    const attempt = await this.requireActable(actor, attemptId);
    const base = attempt.deadline ?? this.clock.now();
    const deadline = new Date(base.getTime() + minutes * 60_000);
    await this.change(actor, attempt, 'extend', reason, minutes, async (repo) => {
      const { affected } = await repo.update(
        { id: attempt.id, status: 'in_progress', deadline: attempt.deadline ?? IsNull() },
        { deadline },
      );
      return affected === 1;
    });
    return {
      id: attempt.id,
      assessmentId: attempt.assessmentId,
      deadline: deadline.toISOString(),
      pausedAt: attempt.pausedAt?.toISOString() ?? null,
    };
  }

  async pause(actor: AuthUser, attemptId: string, reason: string) {
    const attempt = await this.requireActable(actor, attemptId);
    if (attempt.pausedAt) throw attemptError('attempt.paused', { variant: 'already' });
    const now = this.clock.now();
    await this.change(actor, attempt, 'pause', reason, null, async (repo) => {
      const { affected } = await repo.update(
        { id: attempt.id, status: 'in_progress', pausedAt: IsNull() },
        { pausedAt: now },
      );
      return affected === 1;
    });
    return this.stateOf(attempt.id);
  }

  /** The deadline moves by the time the clock stood still, to the millisecond. */
  async resume(actor: AuthUser, attemptId: string, reason: string) {
    const attempt = await this.requireActable(actor, attemptId, { paused: true });
    const pausedAt = attempt.pausedAt;
    if (!pausedAt) throw attemptError('attempt.paused', { variant: 'notPaused' });
    const stood = Math.max(0, this.clock.now().getTime() - pausedAt.getTime());
    const deadline = attempt.deadline ? new Date(attempt.deadline.getTime() + stood) : null;
    const minutes = Math.ceil(stood / 60_000);
    await this.change(actor, attempt, 'resume', reason, minutes, async (repo) => {
      const { affected } = await repo.update(
        { id: attempt.id, status: 'in_progress', pausedAt },
        { pausedAt: null, deadline },
      );
      return affected === 1;
    });
    return this.stateOf(attempt.id);
  }

  /**
   * Every sign-in of the candidate ends and the attempt is unbound from its device: the old
   * device is out, the new one signs in and resumes with the PIN.
   */
  async move(actor: AuthUser, attemptId: string, reason: string) {
    const attempt = await this.requireActable(actor, attemptId);
    await this.change(actor, attempt, 'move', reason, null, async (attempts) => {
      const { affected } = await attempts.update(
        { id: attempt.id, status: 'in_progress' },
        { deviceSession: null },
      );
      await this.signIns.endAll(attempt.userId);
      return affected === 1;
    });
    return this.stateOf(attempt.id);
  }

  async void(actor: AuthUser, attemptId: string, reason: string) {
    const attempt = await this.requireActable(actor, attemptId, { finished: true });
    if (!(await this.attempts.voidForMisconduct(attempt.id, reason, actor)))
      throw attemptError('attempt.closed', { variant: 'voided', field: 'status' });
    await this.record(actor, attempt, 'void', reason, null);
    return this.stateOf(attempt.id);
  }

  /**
   * Every stored save of an attempt, oldest first; the coordinators of its sector and admins
   * read it (a proctor sees the console, not the answers).
   */
  async trail(actor: AuthUser, attemptId: string) {
    const attempt = await this.transactions.repository(Attempt).findOneBy({ id: attemptId });
    if (!attempt) throw attemptError('attempt.not_found');
    await this.assessments.requireManaged(actor, attempt.assessmentId);
    const rows = await this.transactions.repository(AnswerTrailEntry).find({
      where: { attemptId },
      order: { at: 'ASC', slot: 'ASC', seq: 'ASC' },
    });
    return {
      attemptId,
      userId: attempt.userId,
      sessionId: attempt.sessionId,
      status: attempt.status,
      entries: rows.map((r) => ({
        slot: r.slot,
        seq: r.seq,
        response: r.response,
        at: r.at.toISOString(),
        deviceSession: r.deviceSession,
        ip: r.ip,
      })),
    };
  }

  private async stateOf(attemptId: string) {
    const a = (await this.transactions.repository(Attempt).findOneBy({ id: attemptId }))!;
    return {
      id: a.id,
      assessmentId: a.assessmentId,
      status: a.status,
      deadline: a.deadline?.toISOString() ?? null,
      pausedAt: a.pausedAt?.toISOString() ?? null,
    };
  }

  /**
   * The attempt, if the actor may act on it now: a proctor of its session (open), or a
   * manager of its sector; never their own; open unless the action takes a finished one.
   */
  private async requireActable(
    actor: AuthUser,
    attemptId: string,
    allow: { finished?: boolean; paused?: boolean } = {},
  ): Promise<Attempt> {
    const attempt = await this.transactions.repository(Attempt).findOneBy({ id: attemptId });
    if (!attempt) throw attemptError('attempt.not_found');
    const assessment = await this.assessments.settingsOf(attempt.assessmentId);
    if (!assessment) throw attemptError('attempt.not_found');
    const session = attempt.sessionId
      ? await this.transactions.repository(ExamSession).findOneBy({ id: attempt.sessionId })
      : null;
    const proctor =
      !!session &&
      (await this.transactions
        .repository(SessionProctor)
        .existsBy({ sessionId: session.id, userId: actor.id }));
    if (!proctor && !this.access.canManageSector(actor, assessment.sector))
      throw sessionError('session.not_proctor');
    this.access.requireNotSelf(actor, attempt.userId);
    if (session?.status === 'closed') throw sessionError('session.closed');
    if (attempt.status === 'voided')
      throw attemptError('attempt.closed', { variant: 'voided', field: 'status' });
    if (!allow.finished) {
      if (this.attempts.isOverdue(attempt)) {
        await this.attempts.close(attempt.id);
        throw attemptError('attempt.closed', { variant: 'timeUp', field: 'deadline' });
      }
      if (attempt.status !== 'in_progress')
        throw attemptError('attempt.closed', { variant: 'submitted', field: 'status' });
      if (attempt.pausedAt && !allow.paused)
        throw attemptError('attempt.paused', { variant: 'already', field: 'status' });
    }
    return attempt;
  }

  /** Runs the change and, when it took, records it; a change that lost a race is a 409. */
  private async change(
    actor: AuthUser,
    attempt: Attempt,
    kind: IncidentKind,
    reason: string,
    minutes: number | null,
    write: (attempts: Repository<Attempt>) => Promise<boolean>,
  ): Promise<void> {
    await this.transactions.run(async () => {
      if (!(await write(this.transactions.repository(Attempt))))
        throw attemptError('attempt.closed', { variant: 'submitted', field: 'status' });
      await this.record(actor, attempt, kind, reason, minutes);
    });
  }

  private async record(
    actor: AuthUser,
    attempt: Attempt,
    kind: IncidentKind,
    reason: string,
    minutes: number | null,
  ): Promise<void> {
    if (attempt.sessionId)
      await this.transactions.repository(SessionIncident).insert({
        id: randomUUID(),
        sessionId: attempt.sessionId,
        kind,
        userId: attempt.userId,
        attemptId: attempt.id,
        minutes,
        reason,
        actorId: actor.id,
        at: this.clock.now(),
      });
    await this.audit.record({
      actor: { id: actor.id, role: actor.role },
      action: `attempt.${kind}`,
      entityType: 'attempt',
      entityId: attempt.id,
      detail: { reason, minutes, sessionId: attempt.sessionId, userId: attempt.userId },
    });
  }
}
