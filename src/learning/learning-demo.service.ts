import { Injectable } from '@nestjs/common';
import { TransactionService } from '../database/transaction.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Course, Lesson } from './course.entity.js';
import { Enrollment } from './enrollment.entity.js';
import { EnrollmentsService } from './enrollments.service.js';

/** Learning's part of the demo records (see `ContentDemoService`). */
@Injectable()
export class LearningDemoService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly enrollments: EnrollmentsService,
  ) {}

  /**
   * Studies a share of a published course's lessons through the real rule (ADR 0011), as a
   * history in the past: enrolled, then each lesson opened a minute after the previous one
   * was done and marked done after its full stated minutes, more than the course's minimum.
   */
  async study(caller: AuthUser, code: string, share: number): Promise<void> {
    const course = await this.transactions
      .repository(Course)
      .findOneBy({ code, status: 'published' });
    if (!course) return;
    const enrollment = (await this.enrollments.enroll(caller, course.id, {})) as { id: string };
    const lessons = (
      await this.transactions
        .repository(Lesson)
        .find({ where: { courseId: course.id }, order: { position: 'ASC' } })
    ).filter((l) => l.kind !== 'assessment');
    const studied = lessons.slice(0, Math.ceil(lessons.length * share));
    const minutes = studied.reduce((n, l) => n + l.durationMinutes + 1, 0);
    let at = Date.now() - (minutes + 60) * 60_000;
    await this.transactions
      .repository(Enrollment)
      .update({ id: enrollment.id }, { enrolledAt: new Date(at) });
    for (const lesson of studied) {
      at += 60_000;
      await this.enrollments.open(caller, enrollment.id, lesson.id, new Date(at));
      at += lesson.durationMinutes * 60_000;
      await this.enrollments.complete(caller, enrollment.id, lesson.id, new Date(at));
    }
  }
}
