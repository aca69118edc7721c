import { formText as text } from '../../platform/web/form-values.js';
import {
  Body,
  Controller,
  Get,
  Ip,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { DomainError, messageOf, STATUS_OF_KIND } from '../../platform/http/domain-error.js';
import { languageOf } from '../../platform/http/lang.decorator.js';
import { renderMarkdown } from '../../platform/web/markdown.js';
import { PageRenderer } from '../../platform/web/page-renderer.js';
import { candidateWidget, type Form, responseFromForm } from '../question-types/question-form.js';
import { AnswerDto } from './assessment.dto.js';
import { AnswerThrottleGuard } from './answer-throttle.guard.js';
import { AssessmentsService } from './assessments.service.js';
import { AttemptsService } from './attempts.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { QuestionTypeRegistry } from '../../registry/registries.js';

type AttemptView = Awaited<ReturnType<AttemptsService['view']>>;
type ItemView = AttemptView['items'][number];

const answered = (item: { response: unknown }) =>
  item.response !== null && item.response !== undefined;

/**
 * The candidate's exam pages. Every page is a plain form that works without JavaScript;
 * `/assets/exam.js` adds autosave, an offline queue, the countdown and the submit dialog.
 */
@ApiExcludeController()
@Controller('ujian')
export class ExamPages {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly attempts: AttemptsService,
    private readonly pages: PageRenderer,
    private readonly sessions: SessionsService,
    private readonly types: QuestionTypeRegistry,
  ) {}

  @Allow('assessment.take')
  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    const now = Date.now();
    const list = (await this.assessments.availableTo(user)).map((a) => ({
      ...a,
      open:
        (!a.opensAt || Date.parse(a.opensAt) <= now) &&
        (!a.closesAt || Date.parse(a.closesAt) > now),
    }));
    return this.pages.render(req, reply, 'assessment/exams', { titleKey: 'exam.title', list });
  }

  @Allow('assessment.take')
  @Get(':id')
  async detail(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    return this.renderStart(req, reply, user, id);
  }

  /**
   * Starts (or resumes) an attempt. A supervised one brings the session and the PIN its
   * proctor gave; a refusal shows on the start page with what was typed.
   */
  @Allow('assessment.take')
  @Post(':id/mulai')
  async start(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Ip() ip: string,
    @Body() form: Form = {},
  ) {
    const sessionId = text(form.sessionId).trim().slice(0, 64);
    const pin = text(form.pin).trim().slice(0, 12);
    try {
      const attempt = await this.attempts.start(user, id, {
        ...(sessionId && { sessionId }),
        ...(pin && { pin }),
        ip,
      });
      return this.pages.redirect(reply, `/ujian/percobaan/${attempt.id}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code.startsWith('session.'))
        return this.renderStart(req, reply, user, id, {
          error: messageOf(error, languageOf(req)),
          sessionId,
          pin,
          status: STATUS_OF_KIND[error.kind],
        });
      if (!['refused', 'conflict'].includes(error.kind)) throw error;
      return this.pages.redirect(reply, `/ujian/${id}`, {
        kind: 'error',
        key: 'exam.cannotStart',
        params: { reason: messageOf(error, languageOf(req)) },
      });
    }
  }

  /** The exam: all questions, or one per screen (`?no=`), as a form. */
  @Allow('assessment.take')
  @Get('percobaan/:attemptId')
  async sit(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('attemptId') attemptId: string,
    @Query('no') no?: string,
  ) {
    const attempt = await this.attempts.view(user, attemptId);
    if (attempt.status !== 'in_progress')
      return this.pages.redirect(reply, `/ujian/percobaan/${attemptId}/hasil`);
    const assessment = await this.assessments.get(user, attempt.assessmentId);
    const one = assessment.layout === 'one';
    const current = Math.min(Math.max(Number(no) || 1, 1), attempt.items.length);
    const shown = one ? attempt.items.filter((i) => i.slot === current) : attempt.items;
    return this.pages.render(req, reply, 'assessment/exam', {
      title: attempt.title,
      attempt,
      one,
      current,
      prev: one && current > 1 ? current - 1 : null,
      next: one && current < attempt.items.length ? current + 1 : null,
      questions: shown.map((item) => this.question(item)),
      questionNav: attempt.items.map((item) => ({
        slot: item.slot,
        answered: answered(item),
        flagged: item.flagged,
        current: one && item.slot === current,
        href: one ? `?no=${item.slot}` : `#q${item.slot}`,
      })),
      answeredCount: attempt.items.filter(answered).length,
      // Paused by the proctor: the page looks again until the clock runs.
      ...(attempt.pausedAt && { refresh: 20 }),
      scripts: ['/assets/exam.js'],
    });
  }

  /** Saves the answers of the form (the page without JavaScript), then moves where asked. */
  @Allow('assessment.take')
  @UseGuards(AnswerThrottleGuard)
  @Post('percobaan/:attemptId')
  async save(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('attemptId') attemptId: string,
    @Body() form: Form,
  ) {
    const attempt = await this.attempts.view(user, attemptId);
    const here = `/ujian/percobaan/${attemptId}`;
    if (attempt.status !== 'in_progress') return this.pages.redirect(reply, `${here}/hasil`);
    const onPage = new Set(
      String(text(form.slots))
        .split(',')
        .map(Number)
        .filter((n) => n > 0),
    );
    try {
      for (const item of attempt.items.filter((i) => onPage.has(i.slot))) {
        const widget = this.question(item).widget;
        const response = responseFromForm(widget, form);
        const flagged = text(form[`flag${item.slot}`]) === '1';
        const changed = JSON.stringify(response ?? null) !== JSON.stringify(item.response ?? null);
        // A blank radio cannot mean "clear"; a blank text box can.
        const clearable = ['text', 'number', 'essay', 'cloze'].includes(widget.kind);
        if (changed && (response !== undefined || clearable))
          await this.attempts.answer(
            user,
            attemptId,
            item.slot,
            { response: response ?? null, ...(flagged !== item.flagged && { flagged }) },
            req.ip,
          );
        else if (flagged !== item.flagged)
          await this.attempts.answer(user, attemptId, item.slot, { flagged }, req.ip);
      }
    } catch (error) {
      // Paused by the proctor: the answers wait, the page says why.
      if (error instanceof DomainError && error.code === 'attempt.paused')
        return this.pages.redirectWithError(reply, here, error);
      if (error instanceof DomainError && error.kind === 'conflict')
        return this.pages.redirect(reply, `${here}/hasil`, { kind: 'error', key: 'exam.timeUp' });
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return this.pages.redirect(reply, here, {
        kind: 'error',
        key: 'exam.invalidAnswer',
        params: { reason: messageOf(error, languageOf(req)) },
      });
    }
    const go = text(form.go);
    if (go === 'finish') return this.pages.redirect(reply, `${here}/kumpulkan`);
    const target = Number(go);
    return this.pages.redirect(reply, target > 0 ? `${here}?no=${target}` : here, {
      kind: 'success',
      key: 'exam.saved',
    });
  }

  /** The autosave of exam.js: one answer as JSON, with the page's cookie and CSRF header. */
  @Allow('assessment.take')
  @UseGuards(AnswerThrottleGuard)
  @Put('percobaan/:attemptId/jawaban/:slot')
  answer(
    @CurrentUser() user: AuthUser,
    @Param('attemptId') attemptId: string,
    @Param('slot', ParseIntPipe) slot: number,
    @Body() body: AnswerDto,
    @Ip() ip: string,
  ) {
    return this.attempts.answer(user, attemptId, slot, body, ip);
  }

  /** Before submitting: which questions are unanswered or flagged. */
  @Allow('assessment.take')
  @Get('percobaan/:attemptId/kumpulkan')
  async confirm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('attemptId') attemptId: string,
  ) {
    const attempt = await this.attempts.view(user, attemptId);
    if (attempt.status !== 'in_progress')
      return this.pages.redirect(reply, `/ujian/percobaan/${attemptId}/hasil`);
    return this.pages.render(req, reply, 'assessment/exam-confirm', {
      title: attempt.title,
      attempt,
      unanswered: attempt.items.filter((i) => !answered(i)).map((i) => i.slot),
      flagged: attempt.items.filter((i) => i.flagged).map((i) => i.slot),
    });
  }

  @Allow('assessment.take')
  @Post('percobaan/:attemptId/kumpulkan')
  async submit(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('attemptId') attemptId: string,
  ) {
    await this.attempts.submit(user, attemptId);
    return this.pages.redirect(reply, `/ujian/percobaan/${attemptId}/hasil`, {
      kind: 'success',
      key: 'exam.submitted',
    });
  }

  /** The result and review, as far as the assessment's policy allows now. */
  @Allow('assessment.take')
  @Get('percobaan/:attemptId/hasil')
  async result(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('attemptId') attemptId: string,
  ) {
    const attempt = await this.attempts.view(user, attemptId, languageOf(req));
    if (attempt.status === 'in_progress')
      return this.pages.redirect(reply, `/ujian/percobaan/${attemptId}`);
    const detailed = ['correctness', 'feedback', 'answers'].includes(attempt.review);
    return this.pages.render(req, reply, 'assessment/exam-result', {
      title: attempt.title,
      attempt,
      detailed,
      questions: detailed ? attempt.items.map((item) => this.question(item, true)) : [],
      // What reached the server by the deadline: said whatever the policy, it is their own.
      saved: attempt.timedOut
        ? {
            answered: attempt.items.filter(answered).length,
            total: attempt.items.length,
            slots: attempt.items.map((i) => ({ slot: i.slot, answered: answered(i) })),
          }
        : null,
    });
  }

  /** The start page; a supervised assessment's shows the candidate's session and the PIN form. */
  private async renderStart(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    id: string,
    typed: { error?: string; sessionId?: string; pin?: string; status?: number } = {},
  ) {
    const assessment = await this.assessments.get(user, id);
    const attempts = await this.attempts.mine(user, id);
    const lang = languageOf(req);
    const kinds = (await this.assessments.contentsOf(user, id)).map((k) => ({
      ...k,
      label: this.types.get(k.type)?.label[lang] ?? k.type,
    }));
    const now = Date.now();
    const supervision = assessment.supervised ? await this.sessionsOf(user, id, typed) : null;
    return this.pages.render(
      req,
      reply,
      'assessment/exam-start',
      {
        title: assessment.title,
        assessment,
        instructionsHtml: renderMarkdown(assessment.instructions),
        kinds,
        exactKinds: kinds.filter((k) => k.count !== null),
        possibleKinds: kinds.filter((k) => k.count === null),
        hasEssay: kinds.some((k) => this.types.get(k.type)?.manualGrading),
        attempts,
        openAttempt: attempts.find((a) => a.open),
        attemptsLeft:
          assessment.maxAttempts === 0
            ? null
            : // A pre-test is not one of the tries (ADR 0040).
              Math.max(
                0,
                assessment.maxAttempts - attempts.filter((a) => a.purpose !== 'pretest').length,
              ),
        notYet: !!assessment.opensAt && Date.parse(assessment.opensAt) > now,
        closed: !!assessment.closesAt && Date.parse(assessment.closesAt) <= now,
        supervision,
        error: typed.error,
        pin: typed.pin ?? '',
      },
      typed.status ?? 200,
    );
  }

  /** The candidate's seats in this assessment's sessions, and the sessions they may book. */
  private async sessionsOf(user: AuthUser, id: string, typed: { sessionId?: string }) {
    // Not open now (before its window, after it, its sector off): no session to enter.
    const all = await this.sessions.ofAssessment(user, id).catch((error: unknown) => {
      if (error instanceof DomainError) return [];
      throw error;
    });
    const mine = new Map((await this.sessions.mine(user)).map((s) => [s.id, s]));
    const seats = all
      .filter((s) => s.mySeat !== null && s.status !== 'closed')
      .map((s, i, list) => ({
        ...s,
        locked: !!mine.get(s.id)?.locked,
        absent: mine.get(s.id)?.seatStatus === 'absent',
        chosen: typed.sessionId ? typed.sessionId === s.id : i === 0 && list.length > 0,
      }));
    const bookable = all.filter(
      (s) => s.mySeat === null && s.selfBooking && s.seatsLeft > 0 && s.status !== 'closed',
    );
    return { seats, bookable, several: seats.length > 1 };
  }

  private question(item: ItemView, readonly = false) {
    const { response, slot, type } = item;
    return {
      ...item,
      widget: candidateWidget(type, item as Record<string, unknown>, `s${slot}`, response),
      answered: answered(item),
      readonly,
    };
  }
}
