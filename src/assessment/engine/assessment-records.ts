import { Injectable } from '@nestjs/common';
import { And, In, IsNull, LessThanOrEqual, MoreThan, MoreThanOrEqual, Not } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import { Clock } from '../../platform/clock.js';
import { ExamSession } from '../sessions/session.entity.js';
import { Assessment, Attempt } from './assessment.entity.js';
import { reviewNow } from './attempt-rules.js';

/** A passed attempt as another domain sees it. */
export interface PassRef {
  id: string;
  percent: number | null;
  /** The supervised session it was sat in; null: unsupervised. */
  sessionId: string | null;
}

/** A graded attempt as another domain's rules read it: its percent, and whether supervised. */
export interface GradedRef {
  id: string;
  percent: number | null;
  passed: boolean | null;
  /** The supervised session it was sat in; null: unsupervised. */
  sessionId: string | null;
}

/** A pass sat in a supervised exam session, with where and when the session was held. */
export interface SupervisedPassRef {
  attemptId: string;
  assessmentId: string;
  percent: number | null;
  submittedAt: Date | null;
  session: { id: string; startsAt: Date; endsAt: Date; location: string };
}

/**
 * What the other domains may know of assessments and attempts (certification's requirements,
 * renewals and withdrawals, learning's exam lessons): passes, best scores, who sat an exam,
 * which assessments a sector has. It only reads, inside the caller's transaction when there
 * is one; nothing outside assessment reads its tables.
 */
@Injectable()
export class AssessmentRecords {
  constructor(
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  private get attempts() {
    return this.transactions.repository(Attempt);
  }

  /** The assessment an attempt belongs to; null for an unknown attempt. */
  async assessmentOf(attemptId: string): Promise<string | null> {
    const row = await this.attempts.findOne({
      select: { id: true, assessmentId: true },
      where: { id: attemptId },
    });
    return row?.assessmentId ?? null;
  }

  /**
   * A user's passes of an assessment submitted at or before `at`; a pass a proctor voided is
   * none (it keeps `passed` but not its status).
   */
  async passesUntil(userId: string, assessmentId: string, at: Date): Promise<PassRef[]> {
    const rows = await this.attempts.find({
      select: { id: true, percent: true, sessionId: true },
      where: {
        userId,
        assessmentId,
        status: 'graded',
        passed: true,
        submittedAt: LessThanOrEqual(at),
      },
    });
    return rows.map((a) => ({ id: a.id, percent: a.percent, sessionId: a.sessionId ?? null }));
  }

  /** A user's graded attempts of an assessment (graded from `since` on), with their sessions. */
  async gradedAttempts(userId: string, assessmentId: string, since?: Date): Promise<GradedRef[]> {
    const rows = await this.attempts.find({
      select: { id: true, percent: true, passed: true, sessionId: true },
      where: {
        userId,
        assessmentId,
        status: 'graded',
        // A pre-test is no sitting of the exam (ADR 0040).
        purpose: IsNull(),
        ...(since && { gradedAt: MoreThanOrEqual(since) }),
      },
    });
    return rows.map((a) => ({
      id: a.id,
      percent: a.percent === null || a.percent === undefined ? null : Number(a.percent),
      passed: a.passed ?? null,
      sessionId: a.sessionId ?? null,
    }));
  }

  /**
   * A user's graded passes of any of these assessments sat in a supervised session and
   * submitted at or before `until`, newest first, each with its session's time and place.
   */
  async supervisedPasses(
    userId: string,
    assessmentIds: readonly string[],
    until: Date,
  ): Promise<SupervisedPassRef[]> {
    if (!assessmentIds.length) return [];
    const passes = await this.attempts.find({
      select: { id: true, assessmentId: true, percent: true, submittedAt: true, sessionId: true },
      where: {
        userId,
        assessmentId: In([...assessmentIds]),
        status: 'graded',
        passed: true,
        sessionId: Not(IsNull()),
        submittedAt: LessThanOrEqual(until),
      },
      order: { submittedAt: 'DESC' },
    });
    if (!passes.length) return [];
    const sessions = await this.transactions.repository(ExamSession).find({
      select: { id: true, startsAt: true, endsAt: true, location: true },
      where: { id: In([...new Set(passes.map((a) => a.sessionId!))]) },
    });
    const out: SupervisedPassRef[] = [];
    for (const a of passes) {
      const session = sessions.find((s) => s.id === a.sessionId);
      if (!session) continue;
      out.push({
        attemptId: a.id,
        assessmentId: a.assessmentId,
        percent: a.percent === null || a.percent === undefined ? null : Number(a.percent),
        submittedAt: a.submittedAt,
        session: {
          id: session.id,
          startsAt: session.startsAt,
          endsAt: session.endsAt,
          location: session.location,
        },
      });
    }
    return out;
  }

  /** The ids of a user's passes of any of these assessments. */
  async passIds(userId: string, assessmentIds: readonly string[]): Promise<string[]> {
    if (!assessmentIds.length) return [];
    const rows = await this.attempts.find({
      select: { id: true },
      where: { userId, assessmentId: In([...assessmentIds]), passed: true },
    });
    return rows.map((a) => a.id);
  }

  /** Which of these assessments a user has passed (one query for a list of exams). */
  async passedAssessmentIds(
    userId: string,
    assessmentIds: readonly string[],
  ): Promise<Set<string>> {
    if (!assessmentIds.length) return new Set();
    const rows = await this.attempts.find({
      select: { assessmentId: true },
      where: { userId, assessmentId: In([...assessmentIds]), passed: true },
    });
    return new Set(rows.map((a) => a.assessmentId));
  }

  /** A user's best graded percent in an assessment (graded from `since` on); null if none. */
  async bestPercent(userId: string, assessmentId: string, since?: Date): Promise<number | null> {
    const best = await this.attempts
      .createQueryBuilder('a')
      .select('MAX(a.percent)', 'best')
      .where('a.userId = :userId AND a.assessmentId = :id AND a.status = :status', {
        userId,
        id: assessmentId,
        status: 'graded',
      })
      .andWhere('a.purpose IS NULL')
      .andWhere(since ? 'a.gradedAt >= :since' : '1=1', since ? { since } : {})
      .getRawOne<{ best: string | number | null }>();
    return best?.best === null || best?.best === undefined ? null : Number(best.best);
  }

  /** Whether the user passed the assessment, graded strictly after `after` and until `until`. */
  passedBetween(userId: string, assessmentId: string, after: Date, until: Date): Promise<boolean> {
    return this.attempts.existsBy({
      userId,
      assessmentId,
      status: 'graded',
      passed: true,
      gradedAt: And(MoreThan(after), LessThanOrEqual(until)),
    });
  }

  /** Everyone with a graded attempt of the assessment. */
  async gradedUsers(assessmentId: string): Promise<string[]> {
    const rows = await this.attempts
      .createQueryBuilder('a')
      .select('DISTINCT a.userId', 'userId')
      .where('a.assessmentId = :id AND a.status = :status', { id: assessmentId, status: 'graded' })
      .andWhere('a.purpose IS NULL')
      .getRawMany<{ userId: string }>();
    return rows.map((r) => r.userId);
  }

  /** Everyone with a graded pass of any of these assessments. */
  async passers(assessmentIds: readonly string[]): Promise<string[]> {
    if (!assessmentIds.length) return [];
    const rows = await this.attempts.find({
      select: { userId: true },
      where: { assessmentId: In([...assessmentIds]), status: 'graded', passed: true },
    });
    return rows.map((a) => a.userId);
  }

  /**
   * A learner's pre-test of an assessment (ADR 0040) and whether they have sat it regularly
   * since: what a course page offers (the pre-test, while neither exists) or shows (its score).
   */
  async pretestState(
    userId: string,
    assessmentId: string,
  ): Promise<{
    pretest: {
      attemptId: string;
      status: string;
      score: number | null;
      maxScore: number;
      percent: number | null;
    } | null;
    regular: boolean;
  }> {
    const rows = await this.attempts.find({
      select: {
        id: true,
        purpose: true,
        status: true,
        score: true,
        maxScore: true,
        percent: true,
      },
      where: { userId, assessmentId },
    });
    const pre = rows.find((a) => a.purpose === 'pretest');
    const num = (n: number | string | null) => (n === null || n === undefined ? null : Number(n));
    return {
      pretest: pre
        ? {
            attemptId: pre.id,
            status: pre.status,
            score: num(pre.score),
            maxScore: Number(pre.maxScore),
            percent: num(pre.percent),
          }
        : null,
      regular: rows.some((a) => a.purpose !== 'pretest'),
    };
  }

  /** Which of these assessments exist in the sector. */
  async knownAssessments(ids: readonly string[], sector: string): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.transactions.repository(Assessment).find({
      select: { id: true },
      where: { id: In([...ids]), sector },
    });
    return new Set(rows.map((a) => a.id));
  }

  /** Everyone with a pass graded since `since`. */
  async passedSince(since: Date): Promise<string[]> {
    const rows = await this.attempts.find({
      select: { userId: true },
      where: { status: 'graded', passed: true, gradedAt: MoreThanOrEqual(since) },
    });
    return rows.map((a) => a.userId);
  }

  /** A sector's assessments, by title, for a course's exam lesson to link. */
  ofSector(sector: string): Promise<Pick<Assessment, 'id' | 'title' | 'status'>[]> {
    return this.transactions.repository(Assessment).find({
      select: { id: true, title: true, status: true },
      where: { sector },
      order: { title: 'ASC' },
    });
  }

  /** Whether an assessment's review policy lets its candidates see their score now. */
  /** Whether the assessment is sat only in supervised sessions (then it has no pre-test). */
  async isSupervised(assessmentId: string): Promise<boolean> {
    const assessment = await this.transactions
      .repository(Assessment)
      .findOne({ where: { id: assessmentId }, select: { id: true, supervised: true } });
    return !!assessment?.supervised;
  }

  async showsScores(assessmentId: string): Promise<boolean> {
    const assessment = await this.transactions
      .repository(Assessment)
      .findOneBy({ id: assessmentId });
    if (!assessment) return false;
    const review = reviewNow(assessment.reviewPolicy, {
      finished: true,
      reviewAfterClose: assessment.reviewAfterClose,
      closesAt: assessment.closesAt,
      now: this.clock.now(),
    });
    return review !== 'none';
  }
}
