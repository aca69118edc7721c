import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { AttemptsService } from '../assessment/engine/attempts.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { courseError, CoursesService } from './courses.service.js';
import type { Course } from './course.entity.js';
import { Enrollment } from './enrollment.entity.js';
import { enrollmentError } from './enrollments.service.js';

/** What a course page offers or shows of its pre-test to an enrolled learner. */
export interface PretestState {
  /** The learner may start (or resume) it now. */
  offered: boolean;
  /** Their pre-test, once started: its attempt and (graded, scores shown) its score. */
  attemptId: string | null;
  status: string | null;
  score: number | null;
  maxScore: number | null;
  percent: number | null;
}

/**
 * A course's pre-test (ADR 0040): an attempt with purpose 'pretest' on the course's
 * assessment lesson, started from the course by an enrolled learner before any regular
 * attempt. The engine draws, times, saves and grades it as any attempt; it never passes.
 */
@Injectable()
export class CoursePretests {
  constructor(
    @InjectRepository(Enrollment) private readonly enrollments: Repository<Enrollment>,
    private readonly courses: CoursesService,
    private readonly attempts: AttemptsService,
    private readonly records: AssessmentRecords,
    private readonly audit: AuditService,
  ) {}

  /** Starts the caller's pre-test of a course (or returns the open one). */
  async start(caller: AuthUser, courseId: string) {
    const course = await this.courses.require(courseId);
    const enrolled = await this.enrollments.existsBy({ userId: caller.id, courseId: course.id });
    // A draft, or a course the caller is not enrolled in: nothing to see here.
    if (course.status === 'draft') throw courseError('course.not_found');
    if (!enrolled) throw enrollmentError('enrollment.not_found');
    if (!course.preTest)
      throw courseError('course.no_pretest', { field: 'preTest', variant: 'off' });
    const assessmentId = await this.assessmentOf(course);
    if (!assessmentId)
      throw courseError('course.no_pretest', { field: 'preTest', variant: 'assessment' });
    const attempt = await this.attempts.startPretest(caller, assessmentId);
    if (!attempt.resumed)
      await this.audit.record({
        actor: caller,
        action: 'attempt.pretest',
        entityType: 'attempt',
        entityId: attempt.id,
        detail: { course: course.code, version: course.version, assessmentId },
      });
    return attempt;
  }

  /** The pre-test as the course page shows it to an enrolled learner; null when it has none. */
  async stateOf(
    userId: string,
    course: Pick<Course, 'preTest'>,
    lessons: readonly { kind: string; assessmentId: string | null }[],
  ): Promise<PretestState | null> {
    if (!course.preTest) return null;
    const assessmentId = lessons.find(
      (l) => l.kind === 'assessment' && l.assessmentId,
    )?.assessmentId;
    if (!assessmentId || (await this.records.isSupervised(assessmentId))) return null;
    const { pretest, regular } = await this.records.pretestState(userId, assessmentId);
    const shows =
      pretest?.status === 'graded' ? await this.records.showsScores(assessmentId) : false;
    return {
      offered: !regular && (!pretest || pretest.status === 'in_progress'),
      attemptId: pretest?.attemptId ?? null,
      status: pretest?.status ?? null,
      score: shows ? pretest!.score : null,
      maxScore: shows ? pretest!.maxScore : null,
      percent: shows ? pretest!.percent : null,
    };
  }

  /** The assessment of the course's first assessment lesson (the one its pre-test draws from). */
  private async assessmentOf(course: Course): Promise<string | null> {
    const lessons = await this.courses.lessonsOf(course.id);
    return lessons.find((l) => l.kind === 'assessment' && l.assessmentId)?.assessmentId ?? null;
  }
}
