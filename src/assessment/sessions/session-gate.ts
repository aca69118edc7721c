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
  /** The session's end: no attempt runs past it unless a proctor extends it. */
  endsAt: Date;
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
    const verdict = checkPin(
      { secret: session.pinSecret, epoch: session.pinEpoch, minutes: session.pinMinutes },
      entry.pin,
      now,
    );
    if (verdict === 'wrong') await this.refuseWrongPin(caller, session, seat, now);
    // A burst of parallel guesses all read the seat unlocked above: the right PIN among them
    // gets in only if fewer than five wrong ones were counted before it (read again now).
    if (!(await this.hasTriesLeft(seat.id))) throw sessionError('session.locked', { field: 'pin' });
    if (verdict === 'stale') throw sessionError('session.pin_stale', { field: 'pin' });
    return { sessionId: session.id, seatId: seat.id, openAttemptId: open, endsAt: session.endsAt };
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

  /**
   * A start that finds the candidate's attempt open: from its own device it resumes; after a
   * proctor moved the candidate (device cleared) the first device to come back with the PIN
   * is bound; any other device is refused.
   */
  async resumeOn(
    attempt: Pick<Attempt, 'id' | 'deviceSession'>,
    deviceSession: string | null,
  ): Promise<void> {
    if (attempt.deviceSession === deviceSession) return;
    if (attempt.deviceSession) throw sessionError('session.other_device', { field: 'sessionId' });
    const { affected } = await this.transactions
      .repository(Attempt)
      .update({ id: attempt.id, deviceSession: IsNull() }, { deviceSession });
    if (affected !== 1) throw sessionError('session.other_device', { field: 'sessionId' });
  }

  private async openAttempt(attemptId: string): Promise<string | null> {
    const attempt = await this.transactions
      .repository(Attempt)
      .findOne({ select: { id: true, status: true }, where: { id: attemptId } });
    return attempt?.status === 'in_progress' ? attempt.id : null;
  }

  private async hasTriesLeft(seatId: string): Promise<boolean> {
    const seat = await this.transactions
      .repository(SessionCandidate)
      .findOne({ select: { pinFailures: true, lockedAt: true }, where: { id: seatId } });
    return !!seat && !seat.lockedAt && seat.pinFailures < PIN_TRIES;
  }

  /**
   * Counts the wrong PIN on the seat in one conditional statement, so parallel guesses all
   * count and none past the fifth (those are told the seat is locked); the fifth locks it.
   */
  private async refuseWrongPin(
    caller: AuthUser,
    session: ExamSession,
    seat: SessionCandidate,
    now: Date,
  ): Promise<never> {
    const seats = this.transactions.repository(SessionCandidate);
    const counted = await seats
      .createQueryBuilder()
      .update()
      .set({ pinFailures: () => 'pinFailures + 1' })
      .where('id = :id AND lockedAt IS NULL AND pinFailures < :tries', {
        id: seat.id,
        tries: PIN_TRIES,
      })
      .execute();
    if (counted.affected !== 1) throw sessionError('session.locked', { field: 'pin' });
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
