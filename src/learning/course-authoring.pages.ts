import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { DomainError, messageOf } from '../platform/http/domain-error.js';
import { languageOf } from '../platform/http/lang.decorator.js';
import { fromWallClock } from '../platform/i18n/local-format.js';
import { uploadError } from '../platform/http/upload.js';
import type { MessageKey } from '../platform/i18n/i18n.js';
import { renderMarkdown } from '../platform/web/markdown.js';
import { PageRenderer } from '../platform/web/page-renderer.js';
import {
  DELIVERY_MODES,
  LESSON_KINDS,
  type DeliveryMode,
  type LessonKind,
} from './course.entity.js';
import { courseError, CoursesService } from './courses.service.js';
import { EnrollmentsService } from './enrollments.service.js';

type Form = Record<string, string | undefined>;

const lines = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** "M.5:3" lines to course competencies. */
const competencyLines = (text: string | undefined) =>
  lines(text).map((line) => {
    const [code, level] = line.split(':').map((s) => s.trim());
    return { code, level: Number(level) || 1 };
  });

/** The form's study minimum: fixed minutes when filled in, else the share (ADR 0011). */
const studyPolicyForm = (form: Form) =>
  form.minStudyMinutes?.trim()
    ? { minStudyMinutes: Number(form.minStudyMinutes) }
    : form.minStudyPercent?.trim()
      ? { minStudyPercent: Number(form.minStudyPercent) }
      : { minStudyMinutes: null };

/**
 * The form's cost, mode, pre-test and reaction items (ADR 0040): blank cost or mode is
 * unknown (null), "1.500.000" is read as rupiah with thousands dots, blank items the defaults.
 * The service checks what it is given (a bad cost is a 400 naming costIdr).
 */
const planningForm = (form: Form) => {
  const cost = (form.costIdr ?? '').trim().replace(/\s/g, '');
  const items = lines(form.reactionItems);
  return {
    costIdr: cost
      ? Number(/^\d{1,3}(\.\d{3})+$/.test(cost) ? cost.replace(/\./g, '') : cost)
      : null,
    deliveryMode: (form.deliveryMode?.trim() || null) as DeliveryMode | null,
    preTest: form.preTest === '1',
    reactionItems: items.length ? items : null,
  };
};

/** Coordinators' pages: their sectors' courses, lessons, publishing and assignment. */
@ApiExcludeController()
@Controller('kelola/pelatihan')
export class CourseAuthoringPages {
  constructor(
    private readonly courses: CoursesService,
    private readonly enrollments: EnrollmentsService,
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A due day (`YYYY-MM-DD`) runs to its end in the city (TIME_ZONE); blank is none. */
  private endOfDay(day: string | undefined): string | undefined {
    if (!day) return undefined;
    const end = fromWallClock(`${day}T23:59:59`, this.config.timeZone);
    if (!end) throw courseError('course.invalid', { variant: 'dueAt', field: 'dueAt' });
    return end.toISOString();
  }

  @Allow('course.manage')
  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'learning/manage-list', {
      titleKey: 'manage.title',
      courses: await this.courses.list(user),
      sectors: user.role === 'admin' ? null : user.sectors,
      values: {},
    });
  }

  @Allow('course.manage')
  @Post()
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Body() form: Form,
  ) {
    try {
      const jp = Number(form.jp);
      if (!Number.isFinite(jp) || jp <= 0)
        throw courseError('course.invalid', { variant: 'jp', field: 'jp' });
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(form.code ?? ''))
        throw courseError('course.invalid', { variant: 'code', field: 'code' });
      if ((form.title ?? '').trim().length < 3)
        throw courseError('course.invalid', { variant: 'title', field: 'title' });
      const course = await this.courses.create(user, {
        sector: String(form.sector ?? ''),
        code: String(form.code),
        title: String(form.title).trim(),
        summary: form.summary ?? '',
        objectives: lines(form.objectives),
        competencies: competencyLines(form.competencies),
        jp,
      });
      return this.pages.redirect(reply, `/kelola/pelatihan/${course.id}`, {
        kind: 'success',
        key: 'manage.saved',
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.render(
        req,
        reply,
        'learning/manage-list',
        {
          titleKey: 'manage.title',
          courses: await this.courses.list(user),
          sectors: user.role === 'admin' ? null : user.sectors,
          values: form,
          error: messageOf(error, languageOf(req)),
          field: error.field,
        },
        error.kind === 'forbidden' ? 403 : 400,
      );
    }
  }

  @Allow('course.manage')
  @Get(':id')
  async edit(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query('ubah') lessonId?: string,
  ) {
    const course = await this.courses.get(user, id);
    const lesson = course.lessons?.find((l) => l.id === lessonId);
    return this.renderEdit(
      req,
      reply,
      user,
      id,
      lesson
        ? { lesson: { ...lesson, required: lesson.required ? 'true' : '' }, editing: lesson.id }
        : {},
    );
  }

  @Allow('course.manage')
  @Post(':id/pelajaran/:lessonId')
  async updateLesson(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('lessonId') lessonId: string,
    @Body() form: Form,
  ) {
    if (form.action === 'preview')
      return this.renderEdit(req, reply, user, id, {
        preview: renderMarkdown(form.body ?? ''),
        lesson: form,
        editing: lessonId,
      });
    return this.attempt(
      req,
      reply,
      user,
      id,
      async () => {
        await this.courses.updateLesson(user, id, lessonId, {
          title: String(form.title ?? '').trim(),
          section: form.section,
          body: form.body || undefined,
          url: form.url || undefined,
          linkNote: form.linkNote,
          assessmentId: form.assessmentId || undefined,
          required: form.required === 'true',
        });
        return `/kelola/pelatihan/${id}`;
      },
      { lesson: form, editing: lessonId },
    );
  }

  @Allow('course.manage')
  @Post(':id')
  async update(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    return this.attempt(req, reply, user, id, async () => {
      const course = await this.courses.update(user, id, {
        title: form.title?.trim(),
        summary: form.summary ?? '',
        objectives: lines(form.objectives),
        competencies: competencyLines(form.competencies),
        jp: Number(form.jp),
        ...studyPolicyForm(form),
        repeatable: form.repeatable === '1',
        ...planningForm(form),
      });
      return `/kelola/pelatihan/${course.id}`;
    });
  }

  @Allow('course.manage')
  @Post(':id/pelajaran')
  async addLesson(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    if (form.action === 'preview')
      return this.renderEdit(req, reply, user, id, {
        preview: renderMarkdown(form.body ?? ''),
        lesson: form,
      });
    return this.attempt(
      req,
      reply,
      user,
      id,
      async () => {
        const kind = (
          LESSON_KINDS.includes(form.kind as LessonKind) ? form.kind : 'markdown'
        ) as LessonKind;
        await this.courses.addLesson(user, id, {
          title: String(form.title ?? '').trim(),
          kind,
          section: form.section,
          body: kind === 'markdown' ? form.body : undefined,
          url: kind === 'link' ? form.url : undefined,
          linkNote: kind === 'link' ? form.linkNote : undefined,
          assessmentId: kind === 'assessment' ? form.assessmentId : undefined,
          required: form.required === 'true',
        });
        return `/kelola/pelatihan/${id}`;
      },
      { lesson: form },
    );
  }

  @Allow('course.manage')
  @Post(':id/pelajaran/:lessonId/hapus')
  async removeLesson(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('lessonId') lessonId: string,
  ) {
    return this.attempt(req, reply, user, id, async () => {
      await this.courses.removeLesson(user, id, lessonId);
      return `/kelola/pelatihan/${id}`;
    });
  }

  @Allow('course.manage')
  @Post(':id/pelajaran/:lessonId/geser')
  async move(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('lessonId') lessonId: string,
    @Body() form: Form,
  ) {
    return this.attempt(req, reply, user, id, async () => {
      const ids = (await this.courses.lessonsOf(id)).map((l) => l.id);
      const at = ids.indexOf(lessonId);
      const to = form.direction === 'up' ? at - 1 : at + 1;
      if (at >= 0 && to >= 0 && to < ids.length) [ids[at], ids[to]] = [ids[to], ids[at]];
      await this.courses.reorder(user, id, ids);
      return `/kelola/pelatihan/${id}`;
    });
  }

  @Allow('course.manage')
  @Post(':id/pelajaran/:lessonId/berkas')
  async upload(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('lessonId') lessonId: string,
  ) {
    return this.attempt(req, reply, user, id, async () => {
      const part = req.isMultipart() ? await req.file() : undefined;
      if (!part) throw uploadError('upload.missing', { variant: 'choose', field: 'file' });
      const content = await part.toBuffer().catch(() => {
        throw uploadError('upload.too_large', { field: 'file' });
      });
      await this.courses.uploadLessonFile(user, id, lessonId, content, part.filename);
      return `/kelola/pelatihan/${id}`;
    });
  }

  @Allow('course.manage')
  @Post(':id/terbitkan')
  async publish(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    return this.attempt(
      req,
      reply,
      user,
      id,
      async () => {
        await this.courses.publish(user, id);
        return `/kelola/pelatihan/${id}`;
      },
      {},
      'manage.published',
    );
  }

  @Allow('course.manage')
  @Post(':id/arsipkan')
  async archive(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    return this.attempt(req, reply, user, id, async () => {
      await this.courses.archive(user, id);
      return `/kelola/pelatihan/${id}`;
    });
  }

  @Allow('course.manage')
  @Post(':id/draf')
  async draft(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    return this.attempt(
      req,
      reply,
      user,
      id,
      async () => `/kelola/pelatihan/${(await this.courses.createDraft(user, id)).id}`,
    );
  }

  @Allow('course.manage')
  @Post(':id/tugaskan')
  async assign(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    let enrolled = 0;
    const result = await this.attempt(
      req,
      reply,
      user,
      id,
      async () => {
        const users = (form.users ?? '').split(/[\s,;]+/).filter(Boolean);
        const outcome = await this.enrollments.enroll(user, id, {
          users: users.length ? users : undefined,
          positionCode: form.positionCode || undefined,
          orgUnitCode: form.orgUnitCode || undefined,
          dueAt: this.endOfDay(form.dueAt),
        });
        enrolled = 'enrolled' in outcome ? outcome.enrolled : 1;
        return `/kelola/pelatihan/${id}`;
      },
      {},
      'manage.assigned',
      () => ({ enrolled }),
    );
    return result;
  }

  private async attempt(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    id: string,
    work: () => Promise<string>,
    extra: Record<string, unknown> = {},
    key: MessageKey = 'manage.saved',
    params?: () => Record<string, number>,
  ) {
    try {
      const to = await work();
      return this.pages.redirect(reply, to, { kind: 'success', key, params: params?.() });
    } catch (error) {
      if (
        !(error instanceof DomainError) ||
        error.kind === 'not_found' ||
        error.kind === 'forbidden'
      )
        throw error;
      return this.renderEdit(
        req,
        reply,
        user,
        id,
        { ...extra, error: messageOf(error, languageOf(req)), field: error.field },
        400,
      );
    }
  }

  private async renderEdit(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const course = await this.courses.get(user, id);
    const people = await this.enrollments.ofCourse(user, id);
    return this.pages.render(
      req,
      reply,
      'learning/manage-edit',
      {
        title: course.title,
        course,
        isDraft: course.status === 'draft',
        objectivesText: course.objectives.join('\n'),
        reactionItemsText: (course.reactionItems ?? []).join('\n'),
        modes: DELIVERY_MODES.map((key) => ({ key, selected: course.deliveryMode === key })),
        competenciesText: course.competencies.map((c) => `${c.code}:${c.level}`).join('\n'),
        kinds: LESSON_KINDS,
        assessments: await this.courses.assessmentsOf(course.sector),
        people,
        lesson: {},
        ...extra,
      },
      status,
    );
  }
}
