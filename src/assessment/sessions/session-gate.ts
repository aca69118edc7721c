import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Attempt } from '../engine/assessment.entity.js';
import { sessionError } from './session-errors.js';
import { checkPin, inRanges, PIN_TRIES } from './session-rules.js';
import { ExamSession, SessionCandidate, SessionIncident } from './session.entity.js';
import { randomUUID } from 'node:crypto';

/** What a supervised start brings: the session chosen and the PIN the proctor gave. */
export interface SessionEntry {
  sessionId?: string;
  pin?: string;
  ip?: string;
}

/** The seat a supervised start was let in on. */
export interface Admission {
  sessionId: string;
  seatId: string;
  /** The seat's attempt still open: the start resumes it. */
  openAttemptId: string | null;
}

/**
 * The door of a supervised assessment (ADR 0024): a start gets in only on a seat of one of
 * its sessions, not closed, inside the session's window, from the room's network when one
 * is set, with the PIN valid now, and once. Each refusal is a 403 (409 for a second
 * attempt) with a code saying which rule; wrong PINs are counted on the seat even though
 * the start is refused, and the fifth locks it.
 */
@Injectable()
export class SessionGate {
  constructor(
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
  ) {}

  async admit(
    caller: AuthUser,
    assessmentId: string,
    entry: SessionEntry,
    now: Date,
  ): Promise<Admission> {
    if (!entry.sessionId || !entry.pin)
      throw sessionError('session.required', { field: entry.sessionId ? 'pin' : 'sessionId' });
    const sessions = this.transactions.repository(ExamSession);
    const session = await sessions.findOneBy({ id: entry.sessionId, assessmentId });
    if (!session) throw sessionError('session.not_found', { field: 'sessionId' });
    if (session.status === 'closed') throw sessionError('session.closed', { field: 'sessionId' });
    const seats = this.transactions.repository(SessionCandidate);
    const seat = await seats.findOneBy({ sessionId: session.id, userId: caller.id });
    if (!seat) throw sessionError('session.not_assigned', { field: 'sessionId' });
    if (seat.status === 'absent') throw sessionError('session.absent', { field: 'sessionId' });
    if (seat.lockedAt) throw sessionError('session.locked', { field: 'pin' });
    const open = seat.attemptId ? await this.openAttempt(seat.attemptId) : null;
    if (seat.attemptId && !open)
      throw sessionError('session.already_attempted', { field: 'sessionId' });
    if (now < session.startsAt)
      throw sessionError('session.outside_window', { variant: 'early', field: 'sessionId' });
    if (now >= session.endsAt && !open)
      throw sessionError('session.outside_window', { variant: 'late', field: 'sessionId' });
    if (!inRanges(entry.ip, session.ipRanges))
      throw sessionError('session.outside_range', { field: 'ip' });
    // A try is taken before the PIN is compared, in one conditional statement: a burst of
    // parallel guesses all read the seat unlocked above, and would otherwise all be compared
    // (the fifth wrong one locking the seat only after the rest were tried).
    if (!(await this.takeTry(seat.id))) throw sessionError('session.locked', { field: 'pin' });
    const verdict = checkPin(
      { secret: session.pinSecret, epoch: session.pinEpoch, minutes: session.pinMinutes },
      entry.pin,
      now,
    );
    // A right or stale PIN is not a guess: its try is given back.
    if (verdict !== 'wrong') await this.giveTryBack(seat.id);
    if (verdict === 'stale') throw sessionError('session.pin_stale', { field: 'pin' });
    if (verdict === 'wrong') await this.refuseWrongPin(caller, session, seat, now);
    return { sessionId: session.id, seatId: seat.id, openAttemptId: open };
  }

  /**
   * Binds the seat to the attempt just started, in the start's transaction: the condition
   * is the lock, so two starts at once on one seat leave one attempt.
   */
  async bind(seatId: string, attemptId: string, now: Date): Promise<void> {
    const { affected } = await this.transactions
      .repository(SessionCandidate)
      .update({ id: seatId, attemptId: IsNull() }, { attemptId, checkedInAt: now });
    if (affected !== 1) throw sessionError('session.already_attempted', { field: 'sessionId' });
  }

  private async openAttempt(attemptId: string): Promise<string | null> {
    const attempt = await this.transactions
      .repository(Attempt)
      .findOne({ select: { id: true, status: true }, where: { id: attemptId } });
    return attempt?.status === 'in_progress' ? attempt.id : null;
  }

  /** Counts a try on an unlocked seat with tries left; false: none left. */
  private async takeTry(seatId: string): Promise<boolean> {
    const { affected } = await this.transactions
      .repository(SessionCandidate)
      .createQueryBuilder()
      .update()
      .set({ pinFailures: () => 'pinFailures + 1' })
      .where('id = :id AND lockedAt IS NULL AND pinFailures < :tries', {
        id: seatId,
        tries: PIN_TRIES,
      })
      .execute();
    return affected === 1;
  }

  private async giveTryBack(seatId: string): Promise<void> {
    await this.transactions
      .repository(SessionCandidate)
      .createQueryBuilder()
      .update()
      .set({ pinFailures: () => 'pinFailures - 1' })
      .where('id = :id AND pinFailures > 0', { id: seatId })
      .execute();
  }

  /** The wrong PIN, already counted by takeTry; the fifth locks the seat. */
  private async refuseWrongPin(
    caller: AuthUser,
    session: ExamSession,
    seat: SessionCandidate,
    now: Date,
  ): Promise<never> {
    const seats = this.transactions.repository(SessionCandidate);
    const failures = (await seats.findOneBy({ id: seat.id }))!.pinFailures;
    if (failures < PIN_TRIES)
      throw sessionError('session.pin_wrong', {
        field: 'pin',
        params: { left: PIN_TRIES - failures },
        details: { triesLeft: PIN_TRIES - failures },
      });
    const { affected } = await seats.update({ id: seat.id, lockedAt: IsNull() }, { lockedAt: now });
    if (affected === 1) {
      await this.transactions.repository(SessionIncident).insert({
        id: randomUUID(),
        sessionId: session.id,
        kind: 'locked',
        userId: caller.id,
        attemptId: null,
        minutes: null,
        reason: `${PIN_TRIES} kali PIN salah`,
        actorId: null,
        at: now,
      });
      await this.audit.record({
        actor: { id: caller.id, role: caller.role },
        action: 'session.seat_locked',
        entityType: 'exam_session',
        entityId: session.id,
        detail: { userId: caller.id, failures },
      });
    }
    throw sessionError('session.locked', { field: 'pin' });
  }
}
