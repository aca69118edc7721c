import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { isUniqueViolation } from '../../database/db-errors.js';
import { TransactionService } from '../../database/transaction.service.js';
import { maskNip } from '../../identity/nip.js';
import { User } from '../../identity/user.entity.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import { AccessService } from '../../platform/auth/access.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Clock } from '../../platform/clock.js';
import { Assessment, Attempt, AttemptItem } from '../engine/assessment.entity.js';
import { AssessmentsService } from '../engine/assessments.service.js';
import { AttemptsService } from '../engine/attempts.service.js';
import { reviewNow } from '../engine/attempt-rules.js';
import { sessionError } from './session-errors.js';
import { currentPin, isIpRange } from './session-rules.js';
import {
  ExamSession,
  type IncidentKind,
  SessionCandidate,
  SessionIncident,
  SessionProctor,
} from './session.entity.js';

export interface SessionInput {
  startsAt: string;
  endsAt: string;
  location: string;
  capacity: number;
  proctorIds: string[];
  ipRanges?: string[];
  selfBooking?: boolean;
  boardShowsNames?: boolean;
  pinMinutes?: number;
}

/** What a candidate's row on the console and the board is doing. */
export type SeatState =
  | 'assigned'
  | 'absent'
  | 'locked'
  | 'in_progress'
  | 'paused'
  | 'submitted'
  | 'needs_grading'
  | 'graded'
  | 'voided';

/** One seat with its attempt, as the console, the board and the minutes read it. */
export interface SeatRow {
  seat: number;
  userId: string;
  nip: string | null;
  name: string;
  state: SeatState;
  pinFailures: number;
  checkedInAt: Date | null;
  attempt: Attempt | null;
  answered: number;
  questions: number;
}

/**
 * Supervised exam sessions (ADR 0024): scheduling by the sector's coordinator, seats
 * (assigned or booked), the proctor's console with the PIN, the public board, closing.
 * Proctor actions on one attempt are SupervisionService's; the minutes, SessionMinutesService's.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(ExamSession) private readonly sessions: Repository<ExamSession>,
    @InjectRepository(SessionProctor) private readonly proctors: Repository<SessionProctor>,
    @InjectRepository(SessionCandidate) private readonly seats: Repository<SessionCandidate>,
    @InjectRepository(SessionIncident) private readonly incidents: Repository<SessionIncident>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly assessments: AssessmentsService,
    private readonly attempts: AttemptsService,
    private readonly access: AccessService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: AuthUser, assessmentId: string, input: SessionInput) {
    const assessment = await this.assessments.requireManaged(actor, assessmentId);
    if (!assessment.supervised)
      throw sessionError('session.not_supervised', { field: 'supervised' });
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    if (!(endsAt > startsAt))
      throw sessionError('session.invalid', { variant: 'window', field: 'endsAt' });
    const ipRanges = (input.ipRanges ?? []).map((r) => r.trim());
    const badRanges = ipRanges.filter((r) => !isIpRange(r));
    if (badRanges.length)
      throw sessionError('session.invalid', {
        variant: 'ipRanges',
        field: 'ipRanges',
        params: { ranges: badRanges.join(', ') },
      });
    const proctorIds = [...new Set(input.proctorIds)];
    const found = await this.users.find({
      select: { id: true },
      where: { id: In(proctorIds), active: true },
    });
    const missing = proctorIds.filter((id) => !found.some((u) => u.id === id));
    if (missing.length)
      throw sessionError('session.invalid', {
        variant: 'proctors',
        field: 'proctorIds',
        params: { ids: missing.join(', ') },
      });
    const session: ExamSession = {
      id: randomUUID(),
      assessmentId,
      sector: assessment.sector,
      startsAt,
      endsAt,
      location: input.location.trim(),
      capacity: input.capacity,
      ipRanges,
      selfBooking: input.selfBooking ?? false,
      boardShowsNames: input.boardShowsNames ?? false,
      pinMinutes: input.pinMinutes ?? 15,
      pinSecret: randomBytes(32).toString('hex'),
      pinEpoch: 0,
      status: 'scheduled',
      closedAt: null,
      closedBy: null,
      createdBy: actor.id,
      createdAt: this.clock.now(),
    };
    await this.transactions.run(async () => {
      await this.transactions.repository(ExamSession).insert(session);
      if (proctorIds.length)
        await this.transactions
          .repository(SessionProctor)
          .insert(
            proctorIds.map((userId) => ({ id: randomUUID(), sessionId: session.id, userId })),
          );
      await this.audit.record({
        actor: { id: actor.id, role: actor.role },
        action: 'session.create',
        entityType: 'exam_session',
        entityId: session.id,
        detail: { assessmentId, location: session.location, proctorIds },
      });
    });
    return this.console(actor, session.id);
  }

  /** The console: the session, its current PIN (while open), every seat, every incident. */
  async console(actor: AuthUser, id: string) {
    const { session, assessment } = await this.requireConsole(actor, id);
    const now = this.clock.now();
    const rows = await this.seatRows(session);
    const shows = this.showsScores(assessment, now);
    const people = await this.namesOf([
      ...(await this.proctorIdsOf(session.id)),
      ...(await this.incidentsOf(session.id)).flatMap((i) => [i.actorId, i.userId]),
    ]);
    const pin =
      session.status === 'closed'
        ? null
        : currentPin(
            { secret: session.pinSecret, epoch: session.pinEpoch, minutes: session.pinMinutes },
            now,
          );
    return {
      ...this.sessionView(session, assessment),
      serverTime: now.toISOString(),
      pin: pin?.pin ?? null,
      pinExpiresAt: pin?.expiresAt.toISOString() ?? null,
      ipRanges: session.ipRanges,
      pinMinutes: session.pinMinutes,
      proctors: (await this.proctorIdsOf(session.id)).map((userId) => ({
        id: userId,
        name: people.get(userId) ?? '',
      })),
      candidates: rows.map((r) => ({
        seat: r.seat,
        userId: r.userId,
        nip: r.nip,
        name: r.name,
        state: r.state,
        pinFailures: r.pinFailures,
        checkedInAt: r.checkedInAt?.toISOString() ?? null,
        attemptId: r.attempt?.id ?? null,
        startedAt: r.attempt?.startedAt.toISOString() ?? null,
        deadline: r.attempt?.deadline?.toISOString() ?? null,
        pausedAt: r.attempt?.pausedAt?.toISOString() ?? null,
        secondsLeft: secondsLeft(r.attempt, now),
        answered: r.answered,
        questions: r.questions,
        submittedAt: r.attempt?.submittedAt?.toISOString() ?? null,
        ...scoreOf(r, shows),
      })),
      incidents: (await this.incidentsOf(session.id)).map((i) => ({
        kind: i.kind,
        userId: i.userId,
        name: i.userId ? (people.get(i.userId) ?? '') : null,
        attemptId: i.attemptId,
        minutes: i.minutes,
        reason: i.reason,
        actor: i.actorId ? { id: i.actorId, name: people.get(i.actorId) ?? '' } : null,
        at: i.at.toISOString(),
      })),
    };
  }

  /** Assigns candidates by NIP; all or nothing: an unknown NIP or too few seats changes nothing. */
  async assign(actor: AuthUser, id: string, nips: string[]) {
    const session = await this.requireManagedSession(actor, id);
    const wanted = [...new Set(nips.map((n) => n.trim()))];
    const users = await this.users.find({
      select: { id: true, nip: true },
      where: { nip: In(wanted), active: true },
    });
    const unknown = wanted.filter((nip) => !users.some((u) => u.nip === nip));
    if (unknown.length)
      throw sessionError('session.invalid', {
        variant: 'nips',
        field: 'nips',
        params: { nips: unknown.join(', ') },
      });
    const proctorIds = new Set(await this.proctorIdsOf(session.id));
    const proctorsAmong = users.filter((u) => proctorIds.has(u.id)).map((u) => u.nip ?? '');
    if (proctorsAmong.length)
      throw sessionError('session.invalid', {
        variant: 'proctorCandidate',
        field: 'nips',
        params: { nips: proctorsAmong.join(', ') },
      });
    const added = await this.addSeats(session, users, 'assigned');
    await this.audit.record({
      actor: { id: actor.id, role: actor.role },
      action: 'session.assign',
      entityType: 'exam_session',
      entityId: session.id,
      detail: { nips: added.map((u) => u.nip ?? '') },
    });
    return {
      assigned: added.map((u) => u.nip ?? ''),
      alreadyAssigned: users.filter((u) => !added.includes(u)).map((u) => u.nip ?? ''),
      seatsLeft: session.capacity - (await this.seats.countBy({ sessionId: session.id })),
    };
  }

  /** A candidate books a free seat of a session open to booking, before it starts. */
  async book(caller: AuthUser, id: string) {
    const session = await this.sessions.findOneBy({ id });
    if (!session) throw sessionError('session.not_found');
    // The assessment must be one the caller may sit (published, their audience).
    await this.assessments.requireOpenFor(caller, session.assessmentId);
    if (!session.selfBooking || session.status === 'closed' || this.clock.now() >= session.startsAt)
      throw sessionError('session.booking_closed');
    if (await this.proctors.existsBy({ sessionId: id, userId: caller.id }))
      throw sessionError('session.invalid', {
        variant: 'proctorCandidate',
        field: 'sessionId',
        params: { nips: '' },
      });
    const user = (await this.users.findOneBy({ id: caller.id }))!;
    await this.addSeats(session, [user], 'booked');
    return (await this.mine(caller)).find((s) => s.id === id)!;
  }

  /** The caller's seats, soonest first: where and when, and their participant number. */
  async mine(caller: AuthUser) {
    const seats = await this.seats.find({ where: { userId: caller.id } });
    if (!seats.length) return [];
    const sessions = await this.sessions.find({
      where: { id: In(seats.map((s) => s.sessionId)) },
      order: { startsAt: 'ASC' },
    });
    const titles = await this.titlesOf(sessions.map((s) => s.assessmentId));
    return sessions.map((s) => {
      const seat = seats.find((x) => x.sessionId === s.id)!;
      return {
        id: s.id,
        assessmentId: s.assessmentId,
        title: titles.get(s.assessmentId) ?? '',
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        location: s.location,
        status: s.status,
        seat: seat.seat,
        seatStatus: seat.status,
        locked: !!seat.lockedAt,
        attemptId: seat.attemptId,
      };
    });
  }

  /**
   * An assessment's sessions: all of them for its managers; for a candidate, the ones with
   * their seat and the ones they may still book.
   */
  async ofAssessment(caller: AuthUser, assessmentId: string) {
    const assessment = await this.assessments.settingsOf(assessmentId);
    if (!assessment) throw sessionError('session.not_found');
    const manages = this.access.canManageSector(caller, assessment.sector);
    if (!manages) await this.assessments.requireOpenFor(caller, assessmentId);
    const sessions = await this.sessions.find({
      where: { assessmentId },
      order: { startsAt: 'ASC' },
    });
    const counts = await this.seatCounts(sessions.map((s) => s.id));
    const mySeats = new Map(
      (await this.seats.find({ where: { userId: caller.id } })).map((s) => [s.sessionId, s]),
    );
    const now = this.clock.now();
    return sessions
      .filter(
        (s) =>
          manages ||
          mySeats.has(s.id) ||
          (s.selfBooking && s.status !== 'closed' && now < s.startsAt),
      )
      .map((s) => ({
        ...this.sessionView(s, assessment),
        seatsTaken: counts.get(s.id) ?? 0,
        seatsLeft: s.capacity - (counts.get(s.id) ?? 0),
        mySeat: mySeats.get(s.id)?.seat ?? null,
      }));
  }

  /** A proctor re-draws the PIN at once (it was seen by the wrong people). */
  async redrawPin(actor: AuthUser, id: string, reason: string) {
    const { session } = await this.requireConsole(actor, id, { open: true });
    await this.transactions.run(async () => {
      await this.transactions
        .repository(ExamSession)
        .createQueryBuilder()
        .update()
        .set({ pinEpoch: () => 'pinEpoch + 1' })
        .where({ id: session.id })
        .execute();
      await this.incident(actor, session.id, 'pin_redrawn', null, reason || 'PIN diganti');
    });
    return this.console(actor, id);
  }

  async markAbsent(actor: AuthUser, id: string, userId: string, reason: string) {
    const { session } = await this.requireConsole(actor, id, { open: true });
    const seat = await this.requireSeat(session.id, userId);
    this.access.requireNotSelf(actor, userId);
    if (seat.attemptId) throw sessionError('session.started', { field: 'userId' });
    await this.transactions.run(async () => {
      await this.transactions.repository(SessionCandidate).update(seat.id, { status: 'absent' });
      await this.incident(actor, session.id, 'absent', userId, reason);
    });
    return this.console(actor, id);
  }

  /** Unlocks a seat locked by wrong PINs (and clears an absence marked by mistake). */
  async release(actor: AuthUser, id: string, userId: string, reason: string) {
    const { session } = await this.requireConsole(actor, id, { open: true });
    const seat = await this.requireSeat(session.id, userId);
    this.access.requireNotSelf(actor, userId);
    await this.transactions.run(async () => {
      await this.transactions
        .repository(SessionCandidate)
        .update(seat.id, { pinFailures: 0, lockedAt: null, status: 'assigned' });
      await this.incident(actor, session.id, 'release', userId, reason);
    });
    return this.console(actor, id);
  }

  /**
   * Closes the session: refused while someone is still working (a time-up attempt is closed
   * first). The conditional status change is the lock: one close wins.
   */
  async close(actor: AuthUser, id: string): Promise<ExamSession> {
    const { session } = await this.requireConsole(actor, id, { open: true });
    const open = await this.transactions
      .repository(Attempt)
      .find({ where: { sessionId: session.id, status: 'in_progress' } });
    let working = 0;
    for (const attempt of open)
      if (this.attempts.isOverdue(attempt)) await this.attempts.close(attempt.id);
      else working++;
    if (working)
      throw sessionError('session.attempts_open', {
        params: { count: working },
        details: { working },
      });
    const now = this.clock.now();
    const { affected } = await this.sessions.update(
      { id: session.id, status: 'scheduled' },
      { status: 'closed', closedAt: now, closedBy: actor.id },
    );
    if (affected !== 1) throw sessionError('session.closed');
    await this.audit.record({
      actor: { id: actor.id, role: actor.role },
      action: 'session.close',
      entityType: 'exam_session',
      entityId: session.id,
    });
    return (await this.sessions.findOneBy({ id: session.id }))!;
  }

  /**
   * The public board: participant number, masked NIP, the name when the session says so,
   * and each result as it comes in, when the review policy lets candidates see scores.
   */
  async board(id: string) {
    const session = await this.sessions.findOneBy({ id });
    if (!session) throw sessionError('session.not_found');
    const assessment = (await this.assessments.settingsOf(session.assessmentId))!;
    const now = this.clock.now();
    const shows = this.showsScores(assessment, now);
    const rows = await this.seatRows(session);
    return {
      id: session.id,
      title: assessment.title,
      location: session.location,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      status: session.status,
      showsScores: shows,
      showsNames: session.boardShowsNames,
      passPercent: shows ? assessment.passPercent : null,
      updatedAt: now.toISOString(),
      rows: rows.map((r) => ({
        seat: r.seat,
        nip: maskNip(r.nip),
        ...(session.boardShowsNames && { name: r.name }),
        state: boardState(r.state),
        answered: r.answered,
        questions: r.questions,
        ...scoreOf(r, shows),
      })),
    };
  }

  /** The session and its rows for the minutes (the console's reader). */
  async record(actor: AuthUser, id: string) {
    const { session, assessment } = await this.requireConsole(actor, id);
    const rows = await this.seatRows(session);
    const incidents = await this.incidentsOf(session.id);
    const people = await this.namesOf([
      ...(await this.proctorIdsOf(session.id)),
      ...incidents.flatMap((i) => [i.actorId, i.userId]),
    ]);
    return {
      session,
      assessment,
      rows,
      incidents,
      proctors: (await this.proctorIdsOf(session.id)).map((pid) => people.get(pid) ?? ''),
      people,
      showsScores: this.showsScores(assessment, this.clock.now()),
    };
  }

  /**
   * The session if the actor may see its console: a proctor of it, or a manager of its
   * sector. `open`: and it is not closed yet.
   */
  async requireConsole(actor: AuthUser, id: string, need: { open?: boolean } = {}) {
    const session = await this.sessions.findOneBy({ id });
    if (!session) throw sessionError('session.not_found');
    const proctor = await this.proctors.existsBy({ sessionId: id, userId: actor.id });
    if (!proctor && !this.access.canManageSector(actor, session.sector))
      throw sessionError('session.not_proctor');
    if (need.open && session.status === 'closed') throw sessionError('session.closed');
    const assessment = (await this.assessments.settingsOf(session.assessmentId))!;
    return { session, assessment };
  }

  private async requireManagedSession(actor: AuthUser, id: string): Promise<ExamSession> {
    const session = await this.sessions.findOneBy({ id });
    if (!session) throw sessionError('session.not_found');
    this.access.requireSector(actor, session.sector);
    if (session.status === 'closed') throw sessionError('session.closed');
    return session;
  }

  private async requireSeat(sessionId: string, userId: string): Promise<SessionCandidate> {
    const seat = await this.seats.findOneBy({ sessionId, userId });
    if (!seat) throw sessionError('session.invalid', { variant: 'candidate', field: 'userId' });
    return seat;
  }

  /**
   * New seats numbered after the last, in one transaction; users already seated are left as
   * they are. A seat number taken by a parallel assignment retries once.
   */
  private async addSeats(
    session: ExamSession,
    users: Pick<User, 'id' | 'nip'>[],
    source: 'assigned' | 'booked',
  ) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.transactions.run(async () => {
          const seats = this.transactions.repository(SessionCandidate);
          const taken = await seats.find({ where: { sessionId: session.id } });
          const fresh = users.filter((u) => !taken.some((t) => t.userId === u.id));
          const left = session.capacity - taken.length;
          if (fresh.length > left)
            throw sessionError('session.full', {
              field: 'nips',
              params: { left },
              details: { seatsLeft: left },
            });
          let next = taken.reduce((n, t) => Math.max(n, t.seat), 0);
          const now = this.clock.now();
          if (fresh.length)
            await seats.insert(
              fresh.map((u) => ({
                id: randomUUID(),
                sessionId: session.id,
                userId: u.id,
                seat: ++next,
                status: 'assigned' as const,
                pinFailures: 0,
                lockedAt: null,
                checkedInAt: null,
                attemptId: null,
                source,
                createdAt: now,
              })),
            );
          return fresh;
        });
      } catch (error) {
        if (attempt > 2 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  /** Seats in participant order, each with its attempt and how many answers it holds. */
  private async seatRows(session: ExamSession): Promise<SeatRow[]> {
    const seats = await this.seats.find({
      where: { sessionId: session.id },
      order: { seat: 'ASC' },
    });
    if (!seats.length) return [];
    const users = new Map(
      (
        await this.users.find({
          select: { id: true, nip: true, name: true },
          where: { id: In(seats.map((s) => s.userId)) },
        })
      ).map((u) => [u.id, u]),
    );
    const attemptIds = seats.flatMap((s) => (s.attemptId ? [s.attemptId] : []));
    const attempts = new Map(
      (attemptIds.length
        ? await this.transactions.repository(Attempt).findBy({ id: In(attemptIds) })
        : []
      ).map((a) => [a.id, a]),
    );
    const progress = await this.progressOf(attemptIds);
    return seats.map((s) => {
      const attempt = s.attemptId ? (attempts.get(s.attemptId) ?? null) : null;
      const user = users.get(s.userId);
      return {
        seat: s.seat,
        userId: s.userId,
        nip: user?.nip ?? null,
        name: user?.name ?? '',
        state: stateOf(s, attempt, this.attempts.isOverdue.bind(this.attempts)),
        pinFailures: s.pinFailures,
        checkedInAt: s.checkedInAt,
        attempt,
        answered: progress.get(s.attemptId ?? '')?.answered ?? 0,
        questions: progress.get(s.attemptId ?? '')?.questions ?? 0,
      };
    });
  }

  private async progressOf(attemptIds: string[]) {
    const out = new Map<string, { answered: number; questions: number }>();
    if (!attemptIds.length) return out;
    const rows: { attemptId: string; questions: string | number; answered: string | number }[] =
      await this.transactions
        .repository(AttemptItem)
        .createQueryBuilder('i')
        .select('i.attemptId', 'attemptId')
        .addSelect('COUNT(*)', 'questions')
        .addSelect('SUM(CASE WHEN i.response IS NULL THEN 0 ELSE 1 END)', 'answered')
        .where({ attemptId: In(attemptIds) })
        .groupBy('i.attemptId')
        .getRawMany();
    for (const r of rows)
      out.set(r.attemptId, { answered: Number(r.answered), questions: Number(r.questions) });
    return out;
  }

  private sessionView(s: ExamSession, assessment: Pick<Assessment, 'title'>) {
    return {
      id: s.id,
      assessmentId: s.assessmentId,
      title: assessment.title,
      sector: s.sector,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      location: s.location,
      capacity: s.capacity,
      selfBooking: s.selfBooking,
      boardShowsNames: s.boardShowsNames,
      status: s.status,
      closedAt: s.closedAt?.toISOString() ?? null,
    };
  }

  /** Whether the review policy lets candidates see their score now (console and board alike). */
  private showsScores(assessment: Assessment, now: Date): boolean {
    return (
      reviewNow(assessment.reviewPolicy, {
        finished: true,
        reviewAfterClose: assessment.reviewAfterClose,
        closesAt: assessment.closesAt,
        now,
      }) !== 'none'
    );
  }

  private async incident(
    actor: AuthUser,
    sessionId: string,
    kind: IncidentKind,
    userId: string | null,
    reason: string,
  ): Promise<void> {
    await this.transactions.repository(SessionIncident).insert({
      id: randomUUID(),
      sessionId,
      kind,
      userId,
      attemptId: null,
      minutes: null,
      reason,
      actorId: actor.id,
      at: this.clock.now(),
    });
    await this.audit.record({
      actor: { id: actor.id, role: actor.role },
      action: `session.${kind}`,
      entityType: 'exam_session',
      entityId: sessionId,
      detail: { userId, reason },
    });
  }

  private incidentsOf(sessionId: string) {
    return this.incidents.find({ where: { sessionId }, order: { at: 'ASC' } });
  }

  private async proctorIdsOf(sessionId: string): Promise<string[]> {
    return (await this.proctors.find({ where: { sessionId } })).map((p) => p.userId);
  }

  private async namesOf(ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((i): i is string => !!i))];
    if (!wanted.length) return new Map();
    const rows = await this.users.find({
      select: { id: true, name: true },
      where: { id: In(wanted) },
    });
    return new Map(rows.map((u) => [u.id, u.name]));
  }

  private async titlesOf(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of new Set(ids))
      out.set(id, (await this.assessments.settingsOf(id))?.title ?? '');
    return out;
  }

  private async seatCounts(sessionIds: string[]): Promise<Map<string, number>> {
    if (!sessionIds.length) return new Map();
    const rows: { sessionId: string; n: string | number }[] = await this.seats
      .createQueryBuilder('s')
      .select('s.sessionId', 'sessionId')
      .addSelect('COUNT(*)', 'n')
      .where({ sessionId: In(sessionIds) })
      .groupBy('s.sessionId')
      .getRawMany();
    return new Map(rows.map((r) => [r.sessionId, Number(r.n)]));
  }
}

function stateOf(
  seat: SessionCandidate,
  attempt: Attempt | null,
  overdue: (a: Attempt) => boolean,
): SeatState {
  if (attempt) {
    if (attempt.status === 'in_progress')
      return overdue(attempt) ? 'submitted' : attempt.pausedAt ? 'paused' : 'in_progress';
    return attempt.status;
  }
  if (seat.status === 'absent') return 'absent';
  return seat.lockedAt ? 'locked' : 'assigned';
}

/** The board says less than the console: waiting, working, finished, absent, voided. */
function boardState(
  state: SeatState,
): 'waiting' | 'in_progress' | 'finished' | 'absent' | 'voided' {
  switch (state) {
    case 'assigned':
    case 'locked':
      return 'waiting';
    case 'in_progress':
    case 'paused':
      return 'in_progress';
    case 'absent':
    case 'voided':
      return state;
    default:
      return 'finished';
  }
}

function secondsLeft(attempt: Attempt | null, now: Date): number | null {
  if (!attempt?.deadline || attempt.status !== 'in_progress') return null;
  const from = attempt.pausedAt ?? now;
  return Math.max(0, Math.round((attempt.deadline.getTime() - from.getTime()) / 1000));
}

/** A finished attempt's result when scores may be shown; nulls otherwise. */
function scoreOf(row: SeatRow, shows: boolean) {
  const a = row.attempt;
  const done = !!a && a.status !== 'in_progress' && a.status !== 'voided' && a.percent !== null;
  return {
    score: shows && done ? Number(a.score) : null,
    percent: shows && done ? Number(a.percent) : null,
    passed: shows && done && a.status === 'graded' ? !!a.passed : null,
  };
}
