import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GapsService } from '../competency/gaps.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { DomainError, messageOf } from '../platform/http/domain-error.js';
import { languageOf, type Language } from '../platform/http/lang.decorator.js';
import { formatDateTime } from '../platform/i18n/local-format.js';
import { renderMarkdown } from '../platform/web/markdown.js';
import { PageRenderer } from '../platform/web/page-renderer.js';
import { SectorsService } from '../registry/sectors.service.js';
import { CourseNextSteps, nextStepCourse } from './course-next-steps.js';
import { CoursesService, type LessonView } from './courses.service.js';
import { CoursePretests } from './course-pretest.js';
import { EnrollmentsService } from './enrollments.service.js';
import { durationText } from './study-rule.js';
import { byteSize, offlineFileName, offlineLessonHtml } from './lesson-offline.js';

/** The learner's pages: catalogue, course, lesson player and "Pembelajaran Saya". */
@ApiExcludeController()
@Controller()
export class LearningPages {
  constructor(
    private readonly courses: CoursesService,
    private readonly enrollments: EnrollmentsService,
    private readonly gaps: GapsService,
    private readonly sectors: SectorsService,
    private readonly pages: PageRenderer,
    private readonly nextSteps: CourseNextSteps,
    private readonly pretests: CoursePretests,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Allow('course.read')
  @Get('pelatihan')
  async catalogue(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Query('sector') sector?: string,
    @Query('competency') competency?: string,
  ) {
    const filter = { sector: sector || undefined, competency: competency || undefined };
    const [courses, report, sectors, mine] = await Promise.all([
      this.courses.catalogue(filter),
      this.gaps.forUser(user, user.id),
      this.sectors.list(languageOf(req)),
      this.enrollments.mine(user),
    ]);
    const enrolled = new Map(mine.map((e) => [e.course.id, e]));
    const needs = new Map(
      report.items.filter((i) => !i.met).map((i) => [i.competency.code, i.requiredLevel]),
    );
    const items = courses
      .map((c) => ({
        ...c,
        enrollment: enrolled.get(c.id) ?? null,
        // The cost is the agency's planning figure: shown to staff only (ADR 0040).
        showCost: user.role !== 'asn' && c.costIdr !== null,
        // A finished course closes nothing more by being taken again: its exam does.
        closesGap:
          enrolled.get(c.id)?.status !== 'completed' &&
          c.competencies.some((k) => needs.has(k.code) && k.level >= needs.get(k.code)!),
      }))
      .sort((a, b) => Number(b.closesGap) - Number(a.closesGap) || a.title.localeCompare(b.title));
    const competencies = [
      ...new Map(
        courses.flatMap((c) => c.competencies.map((k) => [k.code, k.code] as const)),
      ).keys(),
    ].sort();
    return this.pages.render(req, reply, 'learning/catalogue', {
      titleKey: 'catalogue.title',
      items,
      filter,
      sectors: sectors.filter((s) => s.enabled),
      competencies,
    });
  }

  @Allow('course.read')
  @Get('pelatihan/:id')
  async course(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    const course = await this.courses.get(user, id);
    const enrollment = await this.enrollments.forCourse(user, id);
    const done = new Set(
      enrollment?.lessons.filter((l) => l.completedAt).map((l) => l.lessonId) ?? [],
    );
    const resume = enrollment?.status === 'active' ? enrollment.progress.resumeLessonId : null;
    // The pre-test, offered before the lessons to an enrolled learner, its score after (ADR 0040).
    const pretest = enrollment
      ? await this.pretests.stateOf(user.id, course, course.lessons ?? [])
      : null;
    return this.pages.render(req, reply, 'learning/course', {
      title: course.title,
      course,
      enrollment,
      pretest,
      // The cost is the agency's planning figure: shown to staff only.
      showCost: user.role !== 'asn' && course.costIdr !== null,
      lessons: (course.lessons ?? []).map((l) => ({
        ...l,
        done: done.has(l.id),
        resume: l.id === resume,
        // What a download costs, before the reader opens the lesson.
        fileSize: l.file ? byteSize(l.file.size, languageOf(req)) : null,
      })),
      nextStep:
        enrollment?.status === 'completed'
          ? await this.nextSteps.forCourse(user, nextStepCourse(course))
          : null,
    });
  }

  /** Starts (or resumes) the course's pre-test and opens it; a refusal shows on the course. */
  @Allow('assessment.take')
  @Post('pelatihan/:id/pretest')
  async pretest(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    try {
      const attempt = await this.pretests.start(user, id);
      return this.pages.redirect(reply, `/ujian/percobaan/${attempt.id}`);
    } catch (error) {
      if (!(error instanceof DomainError) || !['refused', 'conflict'].includes(error.kind))
        throw error;
      return this.pages.redirect(reply, `/pelatihan/${id}`, {
        kind: 'error',
        key: 'exam.cannotStart',
        params: { reason: messageOf(error, languageOf(req)) },
      });
    }
  }

  @Allow('course.read')
  @Post('pelatihan/:id/ikuti')
  async enroll(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser, @Param('id') id: string) {
    await this.enrollments.enroll(user, id, {});
    return this.pages.redirect(reply, `/pelatihan/${id}`, {
      kind: 'success',
      key: 'course.enrolled',
    });
  }

  @Allow('course.read')
  @Get('pelatihan/:id/pelajaran/:lessonId')
  async lesson(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('lessonId') lessonId: string,
  ) {
    const enrolled = await this.enrollments.forCourse(user, id);
    if (!enrolled) return this.pages.redirect(reply, `/pelatihan/${id}`);
    // Showing the page is opening the lesson: its study time counts from the first time.
    const enrollment = await this.enrollments.open(user, enrolled.id, lessonId);
    const lessons = enrollment.course.lessons ?? [];
    const index = lessons.findIndex((l) => l.id === lessonId);
    const lesson = lessons[index];
    const progress = enrollment.lessons.find((l) => l.lessonId === lessonId);
    const wait = progress && !progress.completedAt ? progress.remainingSeconds : 0;
    return this.pages.render(req, reply, 'learning/lesson', {
      title: lesson.title,
      course: enrollment.course,
      enrollment,
      lesson,
      html: lesson.kind === 'markdown' ? renderMarkdown(lesson.body ?? '') : null,
      offline: this.offlineLink(enrollment.course, lesson, index, lessons.length, languageOf(req)),
      done: !!progress?.completedAt,
      wait,
      waitText: durationText(wait, languageOf(req) === 'en' ? 'en' : 'id'),
      minStudyText: durationText(lesson.minStudySeconds, languageOf(req) === 'en' ? 'en' : 'id'),
      scripts: wait ? ['/assets/study-wait.js'] : [],
      number: index + 1,
      count: lessons.length,
      prev: lessons[index - 1]?.id ?? null,
      next: lessons[index + 1]?.id ?? null,
    });
  }

  /**
   * A lesson to keep for reading without a connection: a text lesson as one self-contained
   * HTML file, a file lesson as its file; both as attachments. For the enrolled, like the
   * lesson page; downloading does not open the lesson (its study time starts on the page).
   */
  @Allow('course.read')
  @Get('pelatihan/:id/pelajaran/:lessonId/unduh')
  async download(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('lessonId') lessonId: string,
  ) {
    const enrollment = await this.enrollments.forCourse(user, id);
    if (!enrollment) return this.pages.redirect(reply, `/pelatihan/${id}`);
    const lessons = enrollment.course.lessons ?? [];
    const index = lessons.findIndex((l) => l.id === lessonId);
    const lesson = lessons[index];
    if (lesson?.file) {
      const file = await this.courses.lessonFile(user, lesson.id);
      return attachment(reply, file.contentType, file.filename, file.content);
    }
    if (lesson?.kind !== 'markdown')
      return this.pages.redirect(reply, `/pelatihan/${id}`, {
        kind: 'error',
        key: 'lesson.noOffline',
      });
    const html = this.offlineHtml(
      enrollment.course,
      lesson,
      index,
      lessons.length,
      languageOf(req),
    );
    return attachment(reply, 'text/html; charset=utf-8', offlineFileName(lesson.title), html);
  }

  @Allow('course.read')
  @Post('pelatihan/:id/pelajaran/:lessonId/selesai')
  async complete(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('lessonId') lessonId: string,
  ) {
    const enrollment = await this.enrollments.forCourse(user, id);
    if (!enrollment) return this.pages.redirect(reply, `/pelatihan/${id}`);
    let after;
    try {
      after = await this.enrollments.complete(user, enrollment.id, lessonId);
    } catch (error) {
      // Too soon: back to the lesson, which says how long remains; nothing was lost.
      if (
        error instanceof DomainError &&
        (error.code === 'enrollment.too_soon' || error.code === 'enrollment.not_opened')
      )
        return this.pages.redirect(reply, `/pelatihan/${id}/pelajaran/${lessonId}`, {
          kind: 'error',
          key: 'lesson.tooSoon',
        });
      throw error;
    }
    const lessons = after.course.lessons ?? [];
    const next = lessons[lessons.findIndex((l) => l.id === lessonId) + 1];
    // Finished: the course page, which says what comes next (its exam, the scheme).
    if (after.status === 'completed')
      return this.pages.redirect(reply, `/pelatihan/${id}`, {
        kind: 'success',
        key: 'course.completed',
        params: {
          date: formatDateTime(after.completedAt, languageOf(req), this.config.timeZone),
        },
      });
    return this.pages.redirect(
      reply,
      next ? `/pelatihan/${id}/pelajaran/${next.id}` : `/pelatihan/${id}`,
      { kind: 'success', key: 'lesson.completed' },
    );
  }

  @Allow('self.read')
  @Get('pembelajaran')
  async mine(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    const year = new Date().getUTCFullYear();
    const [enrollments, ledger] = await Promise.all([
      this.enrollments.mine(user),
      this.enrollments.ledger(user.id, year),
    ]);
    return this.pages.render(req, reply, 'learning/mine', {
      titleKey: 'learning.title',
      active: enrollments.filter((e) => e.status === 'active'),
      finished: enrollments.filter((e) => e.status === 'completed'),
      ledger,
      jpPercent: Math.min(100, Math.round((ledger.total / ledger.target) * 100)),
    });
  }

  /** The lesson page's offline download: where, and how big the saved file is. */
  private offlineLink(
    course: { id: string; title: string },
    lesson: LessonView,
    index: number,
    count: number,
    lang: Language,
  ): { href: string; size: string; name: string | null } | null {
    // A file lesson's file has its own download URL, shared with the API.
    if (lesson.file)
      return {
        href: `/api/v1/lessons/${lesson.id}/file`,
        size: byteSize(lesson.file.size, lang),
        name: lesson.file.name,
      };
    const href = `/pelatihan/${course.id}/pelajaran/${lesson.id}/unduh`;
    if (lesson.kind !== 'markdown') return null;
    const html = this.offlineHtml(course, lesson, index, count, lang);
    return { href, size: byteSize(Buffer.byteLength(html), lang), name: null };
  }

  private offlineHtml(
    course: { id: string; title: string },
    lesson: LessonView,
    index: number,
    count: number,
    lang: Language,
  ): string {
    const source = `${this.config.publicUrl}/pelatihan/${course.id}/pelajaran/${lesson.id}`;
    return offlineLessonHtml(lesson, course, { number: index + 1, count }, source, lang);
  }
}

/** A download the browser saves rather than shows (RFC 6266 name, ASCII and UTF-8). */
function attachment(reply: FastifyReply, type: string, filename: string, body: Buffer | string) {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .header('content-type', type)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(body);
}
