import { formText as text } from '../../platform/web/form-values.js';
import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { DomainError, messageOf, STATUS_OF_KIND } from '../../platform/http/domain-error.js';
import { languageOf } from '../../platform/http/lang.decorator.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { t } from '../../platform/i18n/i18n.js';
import { fromWallClock, wallClock } from '../../platform/i18n/local-format.js';
import { PageRenderer } from '../../platform/web/page-renderer.js';
import { QuestionBanksService } from '../banks/question-banks.service.js';
import { candidateWidget, type Form } from '../question-types/question-form.js';
import type { UpdateAssessmentDto } from './assessment.dto.js';
import { REVIEW_POLICIES } from './assessment.entity.js';
import { assessmentError, type AssessmentView, AssessmentsService } from './assessments.service.js';
import { attemptError, AttemptsService } from './attempts.service.js';
import { GradingService } from './grading.service.js';
import { MAX_EXTENSION_MINUTES, SupervisionService } from '../sessions/supervision.service.js';
import { SessionsService } from '../sessions/sessions.service.js';

const int = (value: string | string[] | undefined) => {
  const n = Number(text(value));
  return Number.isInteger(n) ? n : undefined;
};

/**
 * Coordinators' assessment pages: write and publish, preview as a candidate, follow the
 * attempts live (extend one, export, regrade), and grade essays.
 */
@ApiExcludeController()
@Controller()
export class AssessmentAuthoringPages {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly attempts: AttemptsService,
    private readonly grading: GradingService,
    private readonly banks: QuestionBanksService,
    private readonly pages: PageRenderer,
    private readonly supervision: SupervisionService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Allow('assessment.manage')
  @Get('kelola/ujian')
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.renderList(req, reply, user);
  }

  @Allow('assessment.manage')
  @Post('kelola/ujian')
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Body() form: Form,
  ) {
    try {
      const created = await this.assessments.create(user, {
        ...this.fromForm(form),
        sector: text(form.sector),
        title: text(form.title).trim(),
        sections: this.fromForm(form).sections ?? [],
      });
      return this.pages.redirect(reply, `/kelola/ujian/${created.id}`, {
        kind: 'success',
        key: 'assessments.created',
      });
    } catch (error) {
      // Bad input and a competency the author may not attest (ADR 0012) come back with the form.
      if (
        !(error instanceof DomainError) ||
        !(error.kind === 'invalid' || error.field?.startsWith('attests'))
      )
        throw error;
      return this.renderList(
        req,
        reply,
        user,
        messageOf(error, languageOf(req)),
        form,
        STATUS_OF_KIND[error.kind],
      );
    }
  }

  @Allow('assessment.manage')
  @Get('kelola/ujian/:id')
  async edit(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    const assessment = await this.assessments.get(user, id);
    this.assertManaged(user, assessment);
    return this.renderEdit(req, reply, user, assessment);
  }

  @Allow('assessment.manage')
  @Post('kelola/ujian/:id')
  async update(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    const publish = text(form.action) === 'publish';
    let saved = false;
    try {
      // "Terbitkan" submits the form as it stands: what is on screen is saved, then published,
      // so edits typed since the last save are never left behind. A bare `action=publish`
      // (no fields: a script, not the page) publishes what is stored.
      const current = await this.assessments.get(user, id);
      if (!publish || (current.status !== 'published' && Object.hasOwn(form, 'title'))) {
        await this.assessments.update(user, id, {
          ...this.fromForm(form),
          title: text(form.title).trim(),
        });
        saved = true;
      }
      if (publish) await this.assessments.publish(user, id);
      return this.pages.redirect(reply, `/kelola/ujian/${id}`, {
        kind: 'success',
        key: publish ? 'assessments.published' : 'assessments.saved',
      });
    } catch (error) {
      if (
        !(error instanceof DomainError) ||
        !(['invalid', 'refused'].includes(error.kind) || error.field?.startsWith('attests'))
      )
        throw error;
      const assessment = await this.assessments.get(user, id);
      const status = error.field?.startsWith('attests') ? STATUS_OF_KIND[error.kind] : 400;
      const lang = languageOf(req);
      const problem = messageOf(error, lang);
      return this.renderEdit(
        req,
        reply,
        user,
        assessment,
        saved ? t(lang, 'assessments.savedNotPublished', { problem }) : problem,
        status,
        saved ? undefined : form,
      );
    }
  }

  @Allow('assessment.manage')
  @Get('kelola/ujian/:id/pratinjau')
  async preview(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    const assessment = await this.assessments.get(user, id);
    this.assertManaged(user, assessment);
    let questions: unknown[] = [];
    let problem: string | null = null;
    const lang = languageOf(req);
    // The candidate's "ask the coordinator" is no help to the coordinator: name the section.
    const short = await this.assessments.readinessProblem(user, id);
    if (short) problem = t(lang, 'assessments.previewShort', { problem: messageOf(short, lang) });
    else
      try {
        questions = (await this.attempts.sample(user, id)).map((item) => ({
          ...item,
          widget: candidateWidget(item.type, item as Record<string, unknown>, `s${item.slot}`),
        }));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problem = messageOf(error, lang);
      }
    return this.pages.render(req, reply, 'assessment/manage-preview', {
      title: assessment.title,
      assessment,
      questions,
      problem,
    });
  }

  /** Who is in, how far, time left; results with export; extend one attempt; regrade. */
  @Allow('assessment.manage')
  @Get('kelola/ujian/:id/peserta')
  async attemptsPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    const results = await this.grading.results(user, id);
    return this.pages.render(req, reply, 'assessment/manage-attempts', {
      title: results.assessment.title,
      results,
      inProgress: results.attempts.filter((a) => a.status === 'in_progress').length,
      rows: results.attempts.map((a) => ({
        ...a,
        open: a.status === 'in_progress',
        minutesLeft: a.secondsLeft === null ? null : Math.ceil(a.secondsLeft / 60),
      })),
    });
  }

  @Allow('assessment.manage')
  @Post('kelola/ujian/:id/peserta/:attemptId/tambah-waktu')
  async extend(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('attemptId') attemptId: string,
    @Body() form: Form,
  ) {
    const minutes = int(form.minutes);
    if (!minutes || minutes < 1 || minutes > MAX_EXTENSION_MINUTES)
      throw attemptError('attempt.invalid', { variant: 'minutes', field: 'minutes' });
    const reason = text(form.reason);
    if (reason.length < 3)
      throw attemptError('attempt.invalid', { variant: 'reason', field: 'reason' });
    await this.supervision.extend(user, attemptId, minutes, reason);
    return this.pages.redirect(reply, `/kelola/ujian/${id}/peserta`, {
      kind: 'success',
      key: 'assessments.extended',
      params: { minutes },
    });
  }

  @Allow('assessment.manage')
  @Post('kelola/ujian/:id/nilai-ulang')
  async regrade(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    const result = await this.grading.regrade(user, id);
    return this.pages.redirect(reply, `/kelola/ujian/${id}/peserta`, {
      kind: 'success',
      key: 'assessments.regraded',
      params: {
        count: result.regraded,
        changed: result.changed.length,
        kept: result.overridesKept.length,
      },
    });
  }

  @Allow('grading.manage')
  @Get('kelola/penilaian')
  async queue(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'assessment/grading', {
      titleKey: 'grading.title',
      queue: await this.grading.queue(user),
    });
  }

  @Allow('grading.manage')
  @Post('kelola/penilaian/:attemptId/:slot')
  async grade(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('attemptId') attemptId: string,
    @Param('slot') slot: string,
    @Body() form: Form,
  ) {
    const score = Number(text(form.score).replace(',', '.'));
    const comment = text(form.comment).slice(0, 4000);
    try {
      if (!text(form.score).trim() || !Number.isFinite(score) || score < 0)
        throw attemptError('attempt.invalid', { variant: 'score', field: 'score' });
      await this.grading.grade(user, attemptId, Number(slot), { score, comment });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      // The grader's form again, with the message and the score and comment as typed.
      const lang = languageOf(req);
      const problem = t(lang, 'grading.error', { problem: messageOf(error, lang) });
      const queue = (await this.grading.queue(user)).map((item) =>
        item.attemptId === attemptId && String(item.slot) === slot
          ? { ...item, error: problem, typedScore: text(form.score), typedComment: comment }
          : item,
      );
      return this.pages.render(
        req,
        reply,
        'assessment/grading',
        { titleKey: 'grading.title', queue },
        400,
      );
    }
    return this.pages.redirect(reply, '/kelola/penilaian', {
      kind: 'success',
      key: 'grading.saved',
    });
  }

  /** A `datetime-local` field, typed as the city's wall clock (TIME_ZONE); blank is none. */
  private instant(form: Form, field: 'opensAt' | 'closesAt', lenient: boolean): string | null {
    const typed = text(form[field]).trim();
    if (!typed) return null;
    const instant = fromWallClock(typed, this.config.timeZone);
    if (!instant && lenient) return null;
    if (!instant) throw assessmentError('assessment.invalid', { variant: 'time', field });
    return instant.toISOString();
  }

  /** The datetime-local value showing `iso` in the city's zone. */
  private wallClockOf(iso: string | null): string {
    return iso ? wallClock(new Date(iso), this.config.timeZone).slice(0, 16) : '';
  }

  /** The form's fields as an update; blank optional fields stay unset. */
  private fromForm(form: Form, lenient = false): UpdateAssessmentDto {
    const attests = text(form.attests)
      .split(/[\n,]/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [code, level] = line.split(':');
        return { competencyCode: code.trim(), level: Number(level) || 1 };
      });
    const bankId = text(form.bankId);
    const timeLimit = int(form.timeLimitMinutes);
    const pass = Number(text(form.passPercent).replace(',', '.'));
    return {
      instructions: text(form.instructions).slice(0, 20000),
      ...(bankId && {
        sections: [
          {
            bankId,
            count: Math.max(0, Math.min(200, int(form.count) ?? 0)),
            ...(text(form.competencyCode).trim() && {
              competencyCode: text(form.competencyCode).trim(),
            }),
            ...(text(form.difficulty) && { difficulty: text(form.difficulty) }),
          },
        ],
      }),
      timeLimitMinutes: timeLimit && timeLimit > 0 ? Math.min(timeLimit, 1440) : null,
      maxAttempts: Math.max(0, Math.min(100, int(form.maxAttempts) ?? 1)),
      scoring: text(form.scoring) === 'last' ? 'last' : 'highest',
      passPercent: Number.isFinite(pass) ? Math.max(0, Math.min(100, pass)) : 70,
      reviewPolicy: (REVIEW_POLICIES as readonly string[]).includes(text(form.reviewPolicy))
        ? (text(form.reviewPolicy) as UpdateAssessmentDto['reviewPolicy'])
        : 'score',
      reviewAfterClose: text(form.reviewAfterClose) === '1',
      shuffle: text(form.shuffle) === '1',
      supervised: text(form.supervised) === '1',
      layout: text(form.layout) === 'one' ? 'one' : 'all',
      opensAt: this.instant(form, 'opensAt', lenient),
      closesAt: this.instant(form, 'closesAt', lenient),
      attests,
    };
  }

  private assertManaged(user: AuthUser, assessment: AssessmentView): void {
    if (
      user.role === 'asn' ||
      (user.role === 'coordinator' && !user.sectors.includes(assessment.sector))
    )
      throw assessmentError('assessment.forbidden');
  }

  private async renderList(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    error?: string,
    form: Form = {},
    status = 200,
  ) {
    return this.pages.render(
      req,
      reply,
      'assessment/manage-list',
      {
        titleKey: 'assessments.title',
        assessments: await this.assessments.list(user),
        banks: await this.banks.list(user),
        sectors: user.role === 'admin' ? null : user.sectors,
        policies: REVIEW_POLICIES,
        error,
        form,
      },
      status,
    );
  }

  private async renderEdit(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    assessment: AssessmentView,
    error?: string,
    status = 200,
    typed?: Form,
  ) {
    // A refused save shows what was typed, not the stored record.
    if (typed) {
      const input = this.fromForm(typed, true);
      assessment = {
        ...assessment,
        ...input,
        title: text(typed.title),
        sections: input.sections ?? assessment.sections,
        attests: assessment.attests,
      } as AssessmentView;
    }
    const section = assessment.sections[0];
    return this.pages.render(
      req,
      reply,
      'assessment/manage-edit',
      {
        title: assessment.title,
        assessment,
        section,
        banks: (await this.banks.list(user))
          .filter((b) => b.sector === assessment.sector)
          .map((b) => ({ ...b, current: b.id === section?.bankId })),
        policies: REVIEW_POLICIES.map((p) => ({ key: p, current: p === assessment.reviewPolicy })),
        attestText: typed
          ? text(typed.attests)
          : assessment.attests.map((a) => `${a.competencyCode}:${a.level}`).join('\n'),
        // What was typed comes back as typed, even when it was not a time.
        opensAt: typed ? text(typed.opensAt) : this.wallClockOf(assessment.opensAt),
        closesAt: typed ? text(typed.closesAt) : this.wallClockOf(assessment.closesAt),
        // Its supervised sessions, each with the console and the board (ADR 0024).
        sessions: assessment.supervised
          ? await this.sessions.ofAssessment(user, assessment.id)
          : [],
        error,
      },
      status,
    );
  }
}
