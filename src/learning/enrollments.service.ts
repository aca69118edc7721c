import type { JpResponse } from './learning.response.js';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import {
  ASSESSMENT_PASS_VOIDED,
  ASSESSMENT_PASSED,
  type AssessmentPassVoided,
  type AttemptGraded,
} from '../assessment/engine/assessment.events.js';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { User } from '../identity/user.entity.js';
import { PositionsService } from '../competency/positions.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { Clock } from '../platform/clock.js';
import { NotificationsService } from '../platform/notifications/notifications.service.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { t } from '../platform/i18n/i18n.js';
import { SectorsService } from '../registry/sectors.service.js';
import { Course, Lesson } from './course.entity.js';
import {
  CoursesService,
  courseView,
  lessonView,
  type CourseView,
  type LessonView,
} from './courses.service.js';
import { Enrollment, JpCredit, LessonProgress } from './enrollment.entity.js';
import type { EnrollDto } from './learning.dto.js';
import { minStudySeconds, studyClock } from './study-rule.js';

export const enrollmentError = errorFamily({
  'enrollment.not_found': 'not_found',
  'enrollment.forbidden': 'forbidden',
  'enrollment.refused': 'refused',
  'enrollment.invalid': 'invalid',
  'enrollment.not_opened': 'refused',
  'enrollment.too_soon': 'refused',
});

/** A completion the database refused inside its transaction: rolls the cursor back. */
class CompletionRefused extends Error {}

/** Domain event: a learner completed a course (payload `CourseCompleted`). */
export const COURSE_COMPLETED = 'course.completed';

export interface CourseCompleted {
  userId: string;
  enrollmentId: string;
  courseId: string;
  courseCode: string;
  jp: number;
  completedAt: Date;
}

/**
 * Domain event: a completed course was reopened because the exam pass its assessment lesson
 * rested on was voided by a regrade (payload `CourseReopened`; ADR 0019).
 */
export const COURSE_REOPENED = 'course.reopened';

export interface CourseReopened {
  userId: string;
  enrollmentId: string;
  courseCode: string;
  courseTitle: string;
  /** Why, in Bahasa Indonesia. */
  reason: string;
  /** Who caused it (the coordinator who regraded). */
  actorId: string | null;
}

/** The yearly national target of competency development, in JP. */
export const JP_TARGET = 20;

export interface EnrollmentView {
  id: string;
  status: string;
  course: CourseView;
  dueAt: string | null;
  enrolledAt: string;
  completedAt: string | null;
  progress: {
    completed: number;
    required: number;
    percent: number;
    /** Whether any lesson was opened: the course page says "Lanjutkan" rather than "Mulai". */
    started: boolean;
    /** Where to pick up: the first unfinished required lesson (else any unfinished one). */
    resumeLessonId: string | null;
  };
  lessons: LessonProgressView[];
}

/** One lesson of an enrolment: when it was opened and completed, and what the rule asks. */
export interface LessonProgressView {
  lessonId: string;
  openedAt: string | null;
  completedAt: string | null;
  /** The minimum study time the course asks of this lesson now. */
  minStudySeconds: number;
  /** The minimum its completion met (null before completion, or when an exam pass completed it). */
  requiredSeconds: number | null;
  /** When it may be marked done (null: not opened yet, or already done). */
  completableAt: string | null;
  /** Seconds still to wait before it may be marked done (0 when it may, or is done). */
  remainingSeconds: number;
}

/** The study trail behind a completion, for the learner and those who manage the course. */
export interface StudyTrail {
  enrollmentId: string;
  status: string;
  user: { id: string; name: string; nip: string | null };
  course: { id: string; code: string; version: number; title: string; jp: number };
  enrolledAt: string;
  completedAt: string | null;
  lessons: {
    lessonId: string;
    title: string;
    kind: string;
    required: boolean;
    durationMinutes: number;
    openedAt: string | null;
    completedAt: string | null;
    /** Minutes of study the completion met (null: by an exam pass, or before the rule). */
    requiredMinutes: number | null;
    /** Minutes between opening and completing. */
    elapsedMinutes: number | null;
  }[];
}

/** Enrolment (self or assigned), lesson progress, completion and the JP it credits. */
@Injectable()
export class EnrollmentsService implements OnModuleInit {
  constructor(
    @InjectRepository(Enrollment) private readonly enrollments: Repository<Enrollment>,
    @InjectRepository(LessonProgress) private readonly progress: Repository<LessonProgress>,
    @InjectRepository(Lesson) private readonly lessons: Repository<Lesson>,
    @InjectRepository(JpCredit) private readonly credits: Repository<JpCredit>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly positions: PositionsService,
    private readonly assessmentRecords: AssessmentRecords,
    @InjectRepository(OrgUnit) private readonly orgUnits: Repository<OrgUnit>,
    private readonly courses: CoursesService,
    private readonly sectors: SectorsService,
    private readonly transactions: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    // Unfinished enrolments of a sector: kept and paused while it is off (ADR 0021).
    this.sectors.contributeImpact(async (sector) => {
      const rows = await this.enrollments
        .createQueryBuilder('e')
        .innerJoin(Course, 'c', 'c.id = e.courseId')
        .select('e.userId', 'userId')
        .where('c.sector = :sector AND e.status = :status', { sector, status: 'active' })
        .getRawMany<{ userId: string }>();
      return { enrolmentsInProgress: rows.length, userIds: rows.map((r) => r.userId) };
    });
  }

  /**
   * `POST /courses/:id/enrollments`. Without targets the caller enrols themselves in a
   * published course of an enabled sector. With targets (users, a position, an org unit) an
   * admin or the sector's coordinator assigns it, optionally with a due date.
   */
  async enroll(
    caller: AuthUser,
    courseId: string,
    input: EnrollDto,
  ): Promise<EnrollmentView | { enrolled: number; alreadyEnrolled: number; unknown: string[] }> {
    const course = await this.courses.require(courseId);
    if (course.status !== 'published') throw enrollmentError('enrollment.refused');
    const assigning = !!(input.users?.length || input.positionCode || input.orgUnitCode);
    if (!assigning) {
      if (!(await this.sectors.enabledKeys()).includes(course.sector))
        throw enrollmentError('enrollment.refused', { variant: 'sectorOff' });
      const existing = await this.enrollments.findOneBy({ userId: caller.id, courseId: course.id });
      const enrollment = existing ?? (await this.create(caller.id, course, null, null));
      return this.view(enrollment, course);
    }
    this.access.requireSector(caller, course.sector);
    const { ids, unknown } = await this.targets(input);
    const dueAt = input.dueAt ? new Date(input.dueAt) : null;
    const already = new Set(
      (ids.length
        ? await this.enrollments.find({
            where: { courseId: course.id, userId: In(ids) },
            select: { userId: true },
          })
        : []
      ).map((e) => e.userId),
    );
    const fresh = ids.filter((i) => !already.has(i));
    const now = this.clock.now();
    try {
      // One statement per chunk; a learner who enrols at the same moment makes it fall back.
      for (let i = 0; i < fresh.length; i += 500) {
        await this.enrollments.insert(
          fresh.slice(i, i + 500).map((userId) =>
            this.enrollments.create({
              userId,
              courseId: course.id,
              status: 'active',
              assignedBy: caller.id,
              dueAt,
              enrolledAt: now,
              completedAt: null,
            }),
          ),
        );
      }
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      for (const id of fresh) await this.create(id, course, caller.id, dueAt);
    }
    const enrolled = fresh.length;
    await this.audit.record({
      actor: caller,
      action: 'course.assign',
      entityType: 'course',
      entityId: course.id,
      detail: { enrolled, dueAt: dueAt?.toISOString() ?? null },
    });
    return { enrolled, alreadyEnrolled: already.size, unknown };
  }

  async mine(caller: AuthUser): Promise<EnrollmentView[]> {
    const rows = await this.enrollments.find({
      where: { userId: caller.id },
      relations: { course: true },
      order: { enrolledAt: 'DESC' },
    });
    return this.views(rows);
  }

  /** The caller's enrolment in one course version, or null. */
  async forCourse(caller: AuthUser, courseId: string): Promise<EnrollmentView | null> {
    const enrollment = await this.enrollments.findOne({
      where: { userId: caller.id, courseId },
      relations: { course: true },
    });
    return enrollment ? this.view(enrollment, enrollment.course!) : null;
  }

  async get(caller: AuthUser, id: string): Promise<EnrollmentView> {
    const enrollment = await this.requireOwn(caller, id);
    return this.view(enrollment, enrollment.course!);
  }

  /**
   * Marks a lesson opened (the first time only: that moment is when its study time starts).
   * `at` is for the demo data, which writes a study history in the past.
   */
  async open(
    caller: AuthUser,
    enrollmentId: string,
    lessonId: string,
    at?: Date,
  ): Promise<EnrollmentView> {
    const enrollment = await this.requireOwn(caller, enrollmentId);
    await this.requireLessonOf(enrollment, lessonId);
    await this.upsertProgress(enrollment.id, lessonId, false, at ?? this.clock.now());
    return this.view(enrollment, enrollment.course!);
  }

  /** `GET /enrollments/:id/lessons/:lessonId`: the lesson as its learner reads it, opened by reading. */
  async readLesson(
    caller: AuthUser,
    enrollmentId: string,
    lessonId: string,
  ): Promise<{ enrollmentId: string; lesson: LessonView; progress: LessonProgressView }> {
    const enrollment = await this.requireOwn(caller, enrollmentId);
    const lesson = await this.requireLessonOf(enrollment, lessonId);
    await this.upsertProgress(enrollment.id, lessonId, false, this.clock.now());
    const view = await this.view(await this.requireOwn(caller, enrollmentId), enrollment.course!);
    return {
      enrollmentId: enrollment.id,
      lesson: lessonView(lesson, enrollment.course!),
      progress: view.lessons.find((l) => l.lessonId === lessonId)!,
    };
  }

  /**
   * Marks a lesson done, only once it was opened and its minimum study time has passed
   * (ADR 0011); completes the course, crediting its JP, when every required lesson is.
   * The rule sits in the `UPDATE`s' `WHERE`: two requests at once cannot both pass it, and a
   * refusal changes nothing. `at` is for the demo data's past study history.
   */
  async complete(
    caller: AuthUser,
    enrollmentId: string,
    lessonId: string,
    at?: Date,
  ): Promise<EnrollmentView> {
    const now = at ?? this.clock.now();
    const enrollment = await this.requireOwn(caller, enrollmentId);
    const lesson = await this.requireLessonOf(enrollment, lessonId);
    // A switched-off sector's courses earn nothing, JP included, until it is on again.
    await this.sectors.requireEnabled(enrollment.course!.sector);
    if (lesson.kind === 'assessment')
      throw enrollmentError('enrollment.refused', { variant: 'examLesson' });
    const required = minStudySeconds(enrollment.course!, lesson);
    const existing = await this.progress.findOneBy({ enrollmentId: enrollment.id, lessonId });
    if (!existing)
      throw enrollmentError('enrollment.not_opened', {
        details: { remainingSeconds: required, completableAt: null },
      });
    if (
      !existing.completedAt &&
      !(await this.completeLesson(enrollment.id, lessonId, required, now))
    ) {
      const [progress, fresh] = await Promise.all([
        this.progress.findOneBy({ enrollmentId: enrollment.id, lessonId }),
        this.enrollments.findOneBy({ id: enrollment.id }),
      ]);
      // A second click that lost to the first: the lesson is done, which is what was asked.
      if (!progress?.completedAt) {
        const clock = studyClock({
          openedAt: progress?.openedAt ?? existing.openedAt,
          lastCompletedAt: fresh?.lastLessonCompletedAt ?? null,
          requiredSeconds: required,
          now,
        });
        const remaining = Math.max(1, clock.remainingSeconds);
        const min = Math.floor(remaining / 60);
        const sec = remaining % 60;
        throw enrollmentError('enrollment.too_soon', {
          params: { min, sec },
          details: {
            remainingSeconds: remaining,
            completableAt: new Date(now.getTime() + remaining * 1000).toISOString(),
          },
        });
      }
    }
    if (enrollment.status !== 'completed') await this.completeIfDone(enrollment, now);
    return this.view(await this.requireOwn(caller, enrollmentId), enrollment.course!);
  }

  /**
   * One transaction: the enrolment's cursor moves only if the previous completion is at
   * least `required` seconds old, and the lesson completes only if it was opened at least
   * that long ago and is not done yet. Either refused: nothing is written.
   */
  private async completeLesson(
    enrollmentId: string,
    lessonId: string,
    required: number,
    now: Date,
  ): Promise<boolean> {
    const threshold = new Date(now.getTime() - required * 1000);
    try {
      await this.transactions.run(async (manager) => {
        const cursor = await manager
          .createQueryBuilder()
          .update(Enrollment)
          .set({ lastLessonCompletedAt: now })
          .where('id = :enrollmentId', { enrollmentId })
          .andWhere('(lastLessonCompletedAt IS NULL OR lastLessonCompletedAt <= :threshold)', {
            threshold,
          })
          .execute();
        if (cursor.affected !== 1) throw new CompletionRefused();
        const done = await manager
          .createQueryBuilder()
          .update(LessonProgress)
          .set({ completedAt: now, requiredSeconds: required })
          .where('enrollmentId = :enrollmentId AND lessonId = :lessonId', {
            enrollmentId,
            lessonId,
          })
          .andWhere('completedAt IS NULL')
          .andWhere('openedAt <= :threshold', { threshold })
          .execute();
        if (done.affected !== 1) throw new CompletionRefused();
      });
      return true;
    } catch (error) {
      if (error instanceof CompletionRefused) return false;
      throw error;
    }
  }

  /**
   * The study trail of an enrolment (each lesson: opened, completed, the minimum it met):
   * for its learner, and for the admin and coordinators of the course's sector.
   */
  async trail(caller: AuthUser, enrollmentId: string): Promise<StudyTrail> {
    const enrollment = await this.enrollments.findOne({
      where: { id: enrollmentId },
      relations: { course: true, user: true },
    });
    if (!enrollment) throw enrollmentError('enrollment.not_found');
    if (
      enrollment.userId !== caller.id &&
      !this.access.canManageSector(caller, enrollment.course!.sector)
    )
      throw enrollmentError('enrollment.forbidden');
    return (await this.trails([enrollment]))[0];
  }

  /** The lessons of the enrolments' courses (in order) and the enrolments' progress rows. */
  private lessonsAndProgress(rows: Enrollment[]) {
    return Promise.all([
      this.lessons.find({
        where: { courseId: In([...new Set(rows.map((e) => e.courseId))]) },
        order: { position: 'ASC' },
      }),
      this.progress.find({ where: { enrollmentId: In(rows.map((e) => e.id)) } }),
    ]);
  }

  /** Trails of many enrolments with two queries in all. */
  private async trails(rows: Enrollment[]): Promise<StudyTrail[]> {
    if (!rows.length) return [];
    const [lessons, progress] = await this.lessonsAndProgress(rows);
    return rows.map((e) => {
      const byLesson = new Map(
        progress.filter((p) => p.enrollmentId === e.id).map((p) => [p.lessonId, p]),
      );
      const course = e.course!;
      return {
        enrollmentId: e.id,
        status: e.status,
        user: { id: e.userId, name: e.user?.name ?? '', nip: e.user?.nip ?? null },
        course: {
          id: course.id,
          code: course.code,
          version: course.version,
          title: course.title,
          jp: course.jp,
        },
        enrolledAt: e.enrolledAt.toISOString(),
        completedAt: e.completedAt?.toISOString() ?? null,
        lessons: lessons
          .filter((l) => l.courseId === e.courseId)
          .map((l) => {
            const p = byLesson.get(l.id);
            return {
              lessonId: l.id,
              title: l.title,
              kind: l.kind,
              required: l.required,
              durationMinutes: l.durationMinutes,
              openedAt: p?.openedAt.toISOString() ?? null,
              completedAt: p?.completedAt?.toISOString() ?? null,
              requiredMinutes:
                p?.requiredSeconds === null || p?.requiredSeconds === undefined
                  ? null
                  : Math.round((p.requiredSeconds / 60) * 10) / 10,
              elapsedMinutes: p?.completedAt
                ? Math.round(((p.completedAt.getTime() - p.openedAt.getTime()) / 60_000) * 10) / 10
                : null,
            };
          }),
      };
    });
  }

  /** The JP ledger of a user for a year: every credit and the total against the target. */
  async ledger(userId: string, year: number): Promise<JpResponse> {
    const rows = await this.credits.find({
      where: { userId, year },
      order: { completedAt: 'ASC' },
    });
    const fromCourses = rows.filter((c) => c.source === 'course').map((c) => c.sourceId);
    const trails = new Map(
      (
        await this.trails(
          fromCourses.length
            ? await this.enrollments.find({
                where: { id: In(fromCourses) },
                relations: { course: true },
              })
            : [],
        )
      ).map((t) => [t.enrollmentId, t.lessons]),
    );
    const total = Math.round(rows.reduce((sum, c) => sum + c.jp, 0) * 100) / 100;
    return {
      year,
      target: JP_TARGET,
      total,
      credits: rows.map((c) => ({
        title: c.title,
        jp: c.jp,
        source: c.source,
        enrollmentId: c.source === 'course' ? c.sourceId : null,
        courseCode: c.courseCode ?? null,
        courseVersion: c.courseVersion ?? null,
        counted: c.refusedVersion === null || c.refusedVersion === undefined,
        refusedVersion: c.refusedVersion ?? null,
        note:
          c.refusedVersion === null || c.refusedVersion === undefined
            ? null
            : t('id', 'learning.jpRefused', { year: c.year, version: c.refusedVersion }),
        startedAt: c.startedAt.toISOString(),
        completedAt: c.completedAt.toISOString(),
        trail: trails.get(c.sourceId) ?? null,
      })),
    };
  }

  /** The years in which a user has JP lines, oldest first (the personal export's ledgers). */
  async jpYears(userId: string): Promise<number[]> {
    const rows: { year: number | string }[] = await this.credits
      .createQueryBuilder('c')
      .select('DISTINCT c.year', 'year')
      .where('c.userId = :userId', { userId })
      .orderBy('year', 'ASC')
      .getRawMany();
    return rows.map((r) => Number(r.year));
  }

  /** Ledger lines of a year for the JP export, scoped like other reports. */
  async ledgerRows(caller: AuthUser, year: number, orgUnitCode?: string) {
    const qb = this.credits
      .createQueryBuilder('c')
      .innerJoinAndSelect('c.user', 'u')
      .leftJoinAndSelect('u.orgUnit', 'unit')
      .leftJoinAndSelect('u.position', 'position')
      .where('c.year = :year', { year })
      // A refused line (ADR 0018) is no credit: the export lists what counts.
      .andWhere('c.refusedVersion IS NULL')
      .orderBy('unit.code', 'ASC')
      .addOrderBy('u.name', 'ASC')
      .addOrderBy('c.completedAt', 'ASC');
    if (orgUnitCode) qb.andWhere('unit.code = :unit', { unit: orgUnitCode });
    const managed = this.access.managedSectors(caller);
    if (managed)
      qb.andWhere('position.sector IN (:...sectors)', {
        sectors: managed.length ? managed : ['-'],
      });
    const rows = await qb.getMany();
    return rows.map((c) => ({
      nip: c.user?.nip ?? '',
      name: c.user?.name ?? '',
      orgUnit: c.user?.orgUnit?.name ?? '',
      title: c.title,
      type: 'e-learning',
      startedAt: c.startedAt.toISOString().slice(0, 10),
      completedAt: c.completedAt.toISOString().slice(0, 10),
      jp: c.jp,
    }));
  }

  /** Enrolments and completions of a course, for those who manage its sector. */
  async ofCourse(caller: AuthUser, courseId: string) {
    const course = await this.courses.require(courseId);
    this.access.requireSector(caller, course.sector);
    const rows = await this.enrollments.find({
      where: { courseId },
      relations: { user: true, course: true },
      order: { enrolledAt: 'ASC' },
    });
    const trails = new Map((await this.trails(rows)).map((t) => [t.enrollmentId, t.lessons]));
    return {
      total: rows.length,
      completed: rows.filter((e) => e.status === 'completed').length,
      items: rows.map((e) => ({
        id: e.id,
        user: { id: e.userId, name: e.user?.name ?? '', nip: e.user?.nip ?? null },
        status: e.status,
        dueAt: e.dueAt?.toISOString() ?? null,
        completedAt: e.completedAt?.toISOString() ?? null,
        /** Each lesson opened, completed and the minimum it met (ADR 0011). */
        trail: trails.get(e.id) ?? [],
      })),
    };
  }

  private async create(
    userId: string,
    course: Course,
    assignedBy: string | null,
    dueAt: Date | null,
  ): Promise<Enrollment> {
    const enrollment = this.enrollments.create({
      userId,
      courseId: course.id,
      status: 'active',
      assignedBy,
      dueAt,
      enrolledAt: this.clock.now(),
      completedAt: null,
    });
    try {
      await this.enrollments.insert(enrollment);
      return enrollment;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await this.enrollments.findOneBy({ userId, courseId: course.id }))!;
    }
  }

  /**
   * An assessment lesson completes when its assessment is passed: in every course the
   * learner is enrolled in that links it (and the course with it, when that was the last).
   */
  @OnEvent(ASSESSMENT_PASSED, { async: true, promisify: true })
  async onAssessmentPassed(event: AttemptGraded): Promise<void> {
    const lessons = await this.lessons.findBy({ assessmentId: event.assessmentId });
    if (!lessons.length) return;
    const enrollments = await this.enrollments.find({
      where: { userId: event.userId, courseId: In([...new Set(lessons.map((l) => l.courseId))]) },
      relations: { course: true },
    });
    for (const enrollment of enrollments) {
      for (const lesson of lessons.filter((l) => l.courseId === enrollment.courseId))
        await this.upsertProgress(enrollment.id, lesson.id, true, event.gradedAt);
      if (enrollment.status !== 'completed') await this.completeIfDone(enrollment, event.gradedAt);
    }
  }

  /**
   * A regrade voided an exam pass: its assessment lesson is no longer done, unless another
   * pass of the same exam stands; a course completed on it is reopened and its JP credit
   * withdrawn, audited (naming the regrade) and told to the learner (ADR 0019).
   */
  @OnEvent(ASSESSMENT_PASS_VOIDED, { async: true, promisify: true })
  async onPassVoided(event: AssessmentPassVoided): Promise<void> {
    const lessons = await this.lessons.findBy({ assessmentId: event.assessmentId });
    if (!lessons.length) return;
    const otherPasses = await this.assessmentRecords.passIds(event.userId, [event.assessmentId]);
    if (otherPasses.length > 0) return;
    const enrollments = await this.enrollments.find({
      where: { userId: event.userId, courseId: In([...new Set(lessons.map((l) => l.courseId))]) },
      relations: { course: true },
    });
    const reason = `kelulusan ujian "${event.assessmentTitle}" dibatalkan karena regrade`;
    for (const enrollment of enrollments) {
      const course = enrollment.course!;
      const reopened = await this.transactions.run(async (manager) => {
        await manager.getRepository(LessonProgress).update(
          {
            enrollmentId: enrollment.id,
            lessonId: In(lessons.filter((l) => l.courseId === course.id).map((l) => l.id)),
          },
          { completedAt: null },
        );
        const { affected } = await manager
          .getRepository(Enrollment)
          .update(
            { id: enrollment.id, status: 'completed' },
            { status: 'active', completedAt: null },
          );
        if (!affected) return false;
        const credits = await manager
          .getRepository(JpCredit)
          .findBy({ source: 'course', sourceId: enrollment.id });
        await manager.getRepository(JpCredit).delete({ source: 'course', sourceId: enrollment.id });
        const jp = credits.reduce((sum, c) => sum + c.jp, 0);
        await this.audit.record({
          actor: null,
          action: 'enrollment.reopen',
          entityType: 'enrollment',
          entityId: enrollment.id,
          detail: {
            cause: 'regrade',
            attemptId: event.attemptId,
            assessmentId: event.assessmentId,
            regradedBy: event.actorId,
            course: course.code,
            jpWithdrawn: credits.map((c) => ({ year: c.year, jp: c.jp })),
          },
        });
        await this.notifications.notify({
          userId: enrollment.userId,
          kind: 'enrollment.reopened',
          title: `Pelatihan dibuka kembali: ${course.title}`,
          body: `Penyelesaian pelatihan "${course.title}" dibuka kembali karena ${reason} (perbaikan kunci jawaban).${jp ? ` ${jp} JP ditarik dari catatan JP Anda.` : ''} Lulus kembali ujian tersebut untuk menyelesaikannya.`,
          link: '/pembelajaran',
        });
        return true;
      });
      if (reopened) {
        const reopenedEvent: CourseReopened = {
          userId: enrollment.userId,
          enrollmentId: enrollment.id,
          courseCode: course.code,
          courseTitle: course.title,
          reason,
          actorId: event.actorId,
        };
        await this.events.emitAsync(COURSE_REOPENED, reopenedEvent);
      }
    }
  }

  private async completeIfDone(enrollment: Enrollment, now: Date): Promise<void> {
    const required = await this.lessons.find({
      where: { courseId: enrollment.courseId, required: true },
      select: { id: true },
    });
    const completedIds = new Set(
      (
        await this.progress.find({
          where: { enrollmentId: enrollment.id },
          select: { lessonId: true, completedAt: true },
        })
      )
        .filter((p) => p.completedAt)
        .map((p) => p.lessonId),
    );
    if (required.some((l) => !completedIds.has(l.id))) return;
    const course = enrollment.course!;
    // No completion and no JP while the course's sector is off; it completes on its next step.
    if (!(await this.sectors.isEnabled(course.sector))) return;
    const completed = await this.transactions.run(async (manager) => {
      const { affected } = await manager
        .getRepository(Enrollment)
        .update({ id: enrollment.id, status: 'active' }, { status: 'completed', completedAt: now });
      if (!affected) return false;
      await this.credit(enrollment, course, now);
      return true;
    });
    if (completed) {
      const event: CourseCompleted = {
        userId: enrollment.userId,
        enrollmentId: enrollment.id,
        courseId: course.id,
        courseCode: course.code,
        jp: course.jp,
        completedAt: now,
      };
      await this.events.emitAsync(COURSE_COMPLETED, event);
    }
  }

  /**
   * Writes the JP line of a completed enrolment, inside the completion's transaction. A course
   * (its code, across versions) credits once per user and year (ADR 0018): the line that
   * counts carries the code in `creditKey`, unique per user and year, so of two completions at
   * once only one counts. The other still completes the course; its line has 0 JP and says
   * which version was credited, unless the course is repeatable, when it counts as well.
   */
  private async credit(enrollment: Enrollment, course: Course, now: Date): Promise<void> {
    const manager = this.transactions.manager();
    const repo = manager.getRepository(JpCredit);
    const year = now.getUTCFullYear();
    const line = {
      userId: enrollment.userId,
      year,
      jp: course.jp,
      source: 'course',
      sourceId: enrollment.id,
      title: course.title,
      courseCode: course.code,
      courseVersion: course.version,
      creditKey: course.code,
      refusedVersion: null,
      startedAt: enrollment.enrolledAt,
      completedAt: now,
      createdAt: now,
    };
    try {
      await repo.insert(line);
      return;
    } catch (error) {
      // Only the statement is undone, on both engines; the completion goes on.
      if (!isUniqueViolation(error)) throw error;
    }
    if (course.repeatable) {
      await repo.insert({ ...line, creditKey: null });
      return;
    }
    const query = repo
      .createQueryBuilder('j')
      .where('j.userId = :userId AND j.year = :year AND j.creditKey = :code', {
        userId: enrollment.userId,
        year,
        code: course.code,
      });
    // A locking read sees the line the other transaction has just committed (MariaDB).
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_read');
    const counted = await query.getOne();
    const refusedVersion = counted?.courseVersion ?? course.version;
    await repo.insert({ ...line, jp: 0, creditKey: null, refusedVersion });
    await this.notifications.notify({
      userId: enrollment.userId,
      kind: 'jp.refused',
      title: `Pelatihan selesai: ${course.title}`,
      body: t('id', 'learning.jpRefused', { year, version: refusedVersion }),
      link: '/pembelajaran',
    });
  }

  private async upsertProgress(
    enrollmentId: string,
    lessonId: string,
    complete: boolean,
    now: Date,
  ): Promise<void> {
    const existing = await this.progress.findOneBy({ enrollmentId, lessonId });
    if (!existing) {
      try {
        await this.progress.insert({
          enrollmentId,
          lessonId,
          openedAt: now,
          completedAt: complete ? now : null,
        });
        return;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    if (complete && !existing?.completedAt)
      await this.progress.update({ enrollmentId, lessonId }, { completedAt: now });
  }

  private async requireOwn(caller: AuthUser, id: string): Promise<Enrollment> {
    const enrollment = await this.enrollments.findOne({
      where: { id },
      relations: { course: true },
    });
    if (!enrollment) throw enrollmentError('enrollment.not_found');
    if (enrollment.userId !== caller.id) throw enrollmentError('enrollment.forbidden');
    return enrollment;
  }

  private async requireLessonOf(enrollment: Enrollment, lessonId: string): Promise<Lesson> {
    const lesson = await this.lessons.findOneBy({ id: lessonId, courseId: enrollment.courseId });
    if (!lesson) throw enrollmentError('enrollment.not_found', { variant: 'lesson' });
    return lesson;
  }

  private async targets(input: EnrollDto): Promise<{ ids: string[]; unknown: string[] }> {
    const ids = new Set<string>();
    const unknown: string[] = [];
    if (input.users?.length) {
      const nips = input.users.filter((r) => /^\d{18}$/.test(r));
      const found = await this.users.find({
        where: [{ nip: In(nips.length ? nips : ['-']) }, { id: In(input.users) }],
        select: { id: true, nip: true },
      });
      for (const ref of input.users) {
        const user = found.find((u) => u.id === ref || u.nip === ref);
        if (user) ids.add(user.id);
        else unknown.push(ref);
      }
    }
    if (input.positionCode) {
      const position = await this.positions.refByCode(input.positionCode);
      if (!position)
        throw enrollmentError('enrollment.invalid', {
          variant: 'position',
          field: 'positionCode',
          params: { code: input.positionCode },
        });
      for (const u of await this.users.find({
        where: { positionId: position.id, active: true },
        select: { id: true },
      }))
        ids.add(u.id);
    }
    if (input.orgUnitCode) {
      const unit = await this.orgUnits.findOneBy({ code: input.orgUnitCode });
      if (!unit)
        throw enrollmentError('enrollment.invalid', {
          variant: 'orgUnit',
          field: 'orgUnitCode',
          params: { code: input.orgUnitCode },
        });
      for (const u of await this.users.find({
        where: { orgUnitId: unit.id, active: true, role: 'asn' },
        select: { id: true },
      }))
        ids.add(u.id);
    }
    return { ids: [...ids], unknown };
  }

  private async view(enrollment: Enrollment, course: Course): Promise<EnrollmentView> {
    return (await this.views([{ ...enrollment, course }]))[0];
  }

  /** Views of many enrolments with two queries in all (lessons, progress), not two each. */
  private async views(rows: Enrollment[]): Promise<EnrollmentView[]> {
    if (!rows.length) return [];
    const [lessons, progress] = await this.lessonsAndProgress(rows);
    const now = this.clock.now();
    return rows.map((enrollment) => {
      const own = lessons.filter((l) => l.courseId === enrollment.courseId);
      const byLesson = new Map(
        progress.filter((p) => p.enrollmentId === enrollment.id).map((p) => [p.lessonId, p]),
      );
      const required = own.filter((l) => l.required);
      const completed = required.filter((l) => byLesson.get(l.id)?.completedAt).length;
      const unfinished = (l: Lesson) => !byLesson.get(l.id)?.completedAt;
      const resume = required.find(unfinished) ?? own.find(unfinished) ?? null;
      return {
        id: enrollment.id,
        status: enrollment.status,
        course: courseView(enrollment.course!, own),
        dueAt: enrollment.dueAt?.toISOString() ?? null,
        enrolledAt: enrollment.enrolledAt.toISOString(),
        completedAt: enrollment.completedAt?.toISOString() ?? null,
        progress: {
          completed,
          required: required.length,
          percent: required.length ? Math.round((completed / required.length) * 100) : 100,
          started: byLesson.size > 0,
          resumeLessonId: resume?.id ?? null,
        },
        lessons: own.map((l) => {
          const p = byLesson.get(l.id);
          const minimum = minStudySeconds(enrollment.course!, l);
          const clock =
            p?.completedAt || l.kind === 'assessment'
              ? null
              : studyClock({
                  openedAt: p?.openedAt ?? null,
                  lastCompletedAt: enrollment.lastLessonCompletedAt ?? null,
                  requiredSeconds: minimum,
                  now,
                });
          return {
            lessonId: l.id,
            openedAt: p?.openedAt.toISOString() ?? null,
            completedAt: p?.completedAt?.toISOString() ?? null,
            minStudySeconds: minimum,
            requiredSeconds: p?.requiredSeconds ?? null,
            completableAt: clock?.completableAt?.toISOString() ?? null,
            remainingSeconds: clock?.remainingSeconds ?? 0,
          };
        }),
      };
    });
  }
}
