import { Injectable } from '@nestjs/common';
import { In, MoreThanOrEqual } from 'typeorm';
import { TransactionService } from '../database/transaction.service.js';
import { Course, Lesson } from './course.entity.js';
import { Enrollment } from './enrollment.entity.js';

/**
 * What the other domains may know of courses and completions (certification's requirements,
 * renewals and withdrawals). A course is named by its code, across versions. It only reads,
 * inside the caller's transaction when there is one.
 */
@Injectable()
export class CourseRecords {
  constructor(private readonly transactions: TransactionService) {}

  /**
   * Whether the user completed any version of a course: from `since` on (inclusive), or, with
   * `until`, strictly after `since` and until `until`; with `until` alone, until then.
   */
  completed(userId: string, code: string, since?: Date, until?: Date): Promise<boolean> {
    const query = this.transactions
      .repository(Enrollment)
      .createQueryBuilder('e')
      .innerJoin(Course, 'c', 'c.id = e.courseId')
      .where('e.userId = :userId AND c.code = :code AND e.status = :status', {
        userId,
        code,
        status: 'completed',
      });
    if (since)
      query.andWhere(until ? 'e.completedAt > :since' : 'e.completedAt >= :since', { since });
    if (until) query.andWhere('e.completedAt <= :until', { until });
    return query.getExists();
  }

  /** Everyone who completed any version of any of these courses. */
  async completers(codes: readonly string[]): Promise<string[]> {
    if (!codes.length) return [];
    const rows = await this.transactions
      .repository(Enrollment)
      .createQueryBuilder('e')
      .innerJoin(Course, 'c', 'c.id = e.courseId')
      .select('DISTINCT e.userId', 'userId')
      .where('c.code IN (:...codes) AND e.status = :status', {
        codes: [...codes],
        status: 'completed',
      })
      .getRawMany<{ userId: string }>();
    return rows.map((r) => r.userId);
  }

  /** Which of these course codes exist in the sector (any version). */
  async knownCodes(codes: readonly string[], sector: string): Promise<Set<string>> {
    if (!codes.length) return new Set();
    const rows = await this.transactions.repository(Course).find({
      select: { id: true, code: true },
      where: { code: In([...codes]), sector },
    });
    return new Set(rows.map((c) => c.code));
  }

  /** Everyone who completed a course since `since`. */
  async completedSince(since: Date): Promise<string[]> {
    const rows = await this.transactions.repository(Enrollment).find({
      select: { userId: true },
      where: { status: 'completed', completedAt: MoreThanOrEqual(since) },
    });
    return rows.map((e) => e.userId);
  }

  /** The title of the course's newest version; null for an unknown code. */
  async titleOf(code: string): Promise<string | null> {
    const course = await this.transactions
      .repository(Course)
      .findOne({ select: { id: true, title: true }, where: { code }, order: { version: 'DESC' } });
    return course?.title ?? null;
  }

  /** The assessments that are lessons (exams) of any version of these courses. */
  async examsOf(codes: readonly string[]): Promise<string[]> {
    if (!codes.length) return [];
    const lessons = await this.transactions
      .repository(Lesson)
      .createQueryBuilder('l')
      .innerJoin(Course, 'c', 'c.id = l.courseId')
      .where('l.assessmentId IS NOT NULL AND c.code IN (:...codes)', { codes: [...codes] })
      .getMany();
    return [...new Set(lessons.map((l) => l.assessmentId!))];
  }
}
