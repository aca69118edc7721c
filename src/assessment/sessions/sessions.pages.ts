import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser, Public } from '../../platform/auth/auth.decorators.js';
import { DomainError, messageOf, STATUS_OF_KIND } from '../../platform/http/domain-error.js';
import { languageOf } from '../../platform/http/lang.decorator.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { t } from '../../platform/i18n/i18n.js';
import { fromWallClock } from '../../platform/i18n/local-format.js';
import { type Form, formLines, formText as text } from '../../platform/web/form-values.js';
import { PageRenderer } from '../../platform/web/page-renderer.js';
import { AssessmentsService } from '../engine/assessments.service.js';
import { attemptError } from '../engine/attempts.service.js';
import { sessionError } from './session-errors.js';
import { SessionMinutesService } from './session-minutes.service.js';
import { SessionPeople } from './session-people.js';
import { SessionsService } from './sessions.service.js';
import { MAX_EXTENSION_MINUTES, SupervisionService } from './supervision.service.js';

/** The console refreshes itself this often (seconds); the board, a little faster. */
const CONSOLE_REFRESH = 15;
const BOARD_REFRESH = 10;

const int = (value: string | string[] | undefined) => {
  const n = Number(text(value).trim());
  return text(value).trim() && Number.isInteger(n) ? n : undefined;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ConsoleView = Awaited<ReturnType<SessionsService['console']>>;
type Candidate = ConsoleView['candidates'][number];

/** What a proctor's per-candidate form does, and the service call behind it. */
type AttemptAction = 'extend' | 'pause' | 'resume' | 'move' | 'void';
const ATTEMPT_ACTIONS: Record<string, AttemptAction> = {
  'tambah-waktu': 'extend',
  jeda: 'pause',
  lanjut: 'resume',
  pindah: 'move',
  batal: 'void',
};

/**
 * Supervised sessions as pages (ADR 0024): the proctor's console (`/sesi/:id`), the public
 * results board (`/sessions/:id/board`), the coordinator's sessions of an assessment
 * (`/kelola/ujian/:id/sesi`) and a candidate's seat booking. Each form posts, the service
 * decides, and a refusal comes back as a flash message on the page it came from.
 */
@ApiExcludeController()
@Controller()
export class ExamSessionsPages {
  constructor(
    private readonly sessions: SessionsService,
    private readonly supervision: SupervisionService,
    private readonly minutes: SessionMinutesService,
    private readonly assessments: AssessmentsService,
    private readonly people: SessionPeople,
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The console: PIN, seats, incidents and every action; a phone's page, refreshing itself. */
  @Allow('assessment.take')
  @Get('sesi/:id')
  async console(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ) {
    const session = await this.sessions.console(user, id);
    const minutes = await this.minutes.list(user, id);
    const lang = languageOf(req);
    const open = session.status !== 'closed';
    return this.pages.render(req, reply, 'sessions/console', {
      title: `${t(lang, 'sessions.console')}: ${session.title}`,
      refresh: CONSOLE_REFRESH,
      session,
      open,
      candidates: session.candidates.map((c) => this.row(c, open)),
      incidents: session.incidents,
      minutes,
      // Corrections are the coordinators' and admins' (as in the API).
      mayCorrect: !open && user.role !== 'asn',
    });
  }

  @Allow('assessment.take')
  @Post('sesi/:id/pin')
  async redraw(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() form: Form,
  ) {
    return this.act(reply, `/sesi/${id}`, 'sessions.redrawn', async () => {
      await this.sessions.redrawPin(user, id, text(form.reason).trim().slice(0, 500));
    });
  }

  @Allow('assessment.take')
  @Post('sesi/:id/tutup')
  async close(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ) {
    try {
      const closed = await this.minutes.close(user, id);
      return this.pages.redirect(reply, `/sesi/${id}`, {
        kind: 'success',
        key: 'sessions.closed',
        params: { version: closed.minutes.version },
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.redirectWithError(reply, `/sesi/${id}`, error);
    }
  }

  /** A correction of closed minutes: a new version naming the last; nothing rewritten. */
  @Allow('assessment.manage')
  @Post('sesi/:id/koreksi')
  async correct(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() form: Form,
  ) {
    try {
      const correction = text(form.correction).trim();
      if (correction.length < 10 || correction.length > 2000)
        throw sessionError('session.invalid', { variant: 'correction', field: 'correction' });
      const minutes = await this.minutes.correct(user, id, correction);
      return this.pages.redirect(reply, `/sesi/${id}`, {
        kind: 'success',
        key: 'sessions.corrected',
        params: { version: minutes.version },
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.redirectWithError(reply, `/sesi/${id}`, error);
    }
  }

  @Allow('assessment.take')
  @Post('sesi/:id/peserta/:userId/absen')
  async absent(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
    @Body() form: Form,
  ) {
    return this.act(reply, `/sesi/${id}`, 'sessions.recorded', async () => {
      await this.sessions.markAbsent(user, id, userId, reasonOf(form));
      return { action: t(languageOf(req), 'sessions.absent') };
    });
  }

  @Allow('assessment.take')
  @Post('sesi/:id/peserta/:userId/buka')
  async release(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
    @Body() form: Form,
  ) {
    return this.act(reply, `/sesi/${id}`, 'sessions.recorded', async () => {
      await this.sessions.release(user, id, userId, reasonOf(form));
      return { action: t(languageOf(req), 'sessions.release') };
    });
  }

  /** Extend, pause, resume, move or void one candidate's attempt, with a reason. */
  @Allow('assessment.take')
  @Post('sesi/:id/percobaan/:attemptId/:action')
  async attemptAction(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('attemptId') attemptId: string,
    @Param('action') slug: string,
    @Body() form: Form,
  ) {
    const action = Object.hasOwn(ATTEMPT_ACTIONS, slug) ? ATTEMPT_ACTIONS[slug] : undefined;
    if (!action) throw sessionError('session.not_found');
    const lang = languageOf(req);
    return this.act(reply, `/sesi/${id}`, 'sessions.recorded', async () => {
      const reason = text(form.reason).trim().slice(0, 500);
      switch (action) {
        case 'extend': {
          const minutes = int(form.minutes);
          if (!minutes || minutes < 1 || minutes > MAX_EXTENSION_MINUTES)
            throw attemptError('attempt.invalid', { variant: 'minutes', field: 'minutes' });
          await this.supervision.extend(user, attemptId, minutes, reasonOf(form));
          return {
            action: `${t(lang, 'assessments.extend')} (${t(lang, 'exam.minutes', { count: minutes })})`,
          };
        }
        case 'pause':
          await this.supervision.pause(user, attemptId, reason || 'Dijeda oleh pengawas');
          return { action: t(lang, 'sessions.pause') };
        case 'resume':
          await this.supervision.resume(user, attemptId, reason || 'Dilanjutkan oleh pengawas');
          return { action: t(lang, 'sessions.resume') };
        case 'move':
          await this.supervision.move(user, attemptId, reasonOf(form));
          return { action: t(lang, 'sessions.move') };
        case 'void':
          await this.supervision.void(user, attemptId, reasonOf(form));
          return { action: t(lang, 'sessions.void') };
      }
    });
  }

  /** The public results board, for a projector: large, light, refreshing itself; no script. */
  @Public()
  @Get('sessions/:id/board')
  async board(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const board = await this.sessions.board(id);
    return this.pages.render(req, reply, 'sessions/board', {
      title: `${t(languageOf(req), 'sessions.board')}: ${board.title}`,
      refresh: BOARD_REFRESH,
      bodyClass: 'board',
      board,
    });
  }

  /** A candidate books a free seat of a session open to booking. */
  @Allow('assessment.take')
  @Post('sesi/:id/pesan')
  async book(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() form: Form,
  ) {
    const assessmentId = text(form.assessmentId);
    const back = UUID.test(assessmentId) ? `/ujian/${assessmentId}` : '/ujian';
    try {
      const seat = await this.sessions.book(user, id);
      return this.pages.redirect(reply, `/ujian/${seat.assessmentId}`, {
        kind: 'success',
        key: 'sessions.booked',
        params: { seat: seat.seat },
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.redirectWithError(reply, back, error);
    }
  }

  /** The coordinator's sessions of an assessment: list, schedule, assign candidates. */
  @Allow('assessment.manage')
  @Get('kelola/ujian/:id/sesi')
  async manage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ) {
    return this.renderManage(req, reply, user, id);
  }

  @Allow('assessment.manage')
  @Post('kelola/ujian/:id/sesi')
  async schedule(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() form: Form,
  ) {
    try {
      // Typed in `datetime-local` fields: the wall clock of the city (TIME_ZONE).
      const startsAt = fromWallClock(text(form.startsAt), this.config.timeZone)?.toISOString();
      const endsAt = fromWallClock(text(form.endsAt), this.config.timeZone)?.toISOString();
      if (!startsAt || !endsAt) {
        const field = startsAt ? 'endsAt' : 'startsAt';
        throw sessionError('session.invalid', { variant: 'times', field });
      }
      const location = text(form.location).trim();
      if (location.length < 2 || location.length > 200)
        throw sessionError('session.invalid', { variant: 'location', field: 'location' });
      const capacity = int(form.capacity);
      if (!capacity || capacity < 1 || capacity > 1000)
        throw sessionError('session.invalid', { variant: 'capacity', field: 'capacity' });
      const pinMinutes = text(form.pinMinutes).trim() ? int(form.pinMinutes) : 15;
      if (!pinMinutes || pinMinutes < 1 || pinMinutes > 240)
        throw sessionError('session.invalid', { variant: 'pinMinutes', field: 'pinMinutes' });
      const proctorIds = await this.people.idsOf(lines(form.proctors));
      await this.sessions.create(user, id, {
        startsAt,
        endsAt,
        location,
        capacity,
        proctorIds,
        ipRanges: lines(form.ipRanges).slice(0, 20),
        selfBooking: text(form.selfBooking) === '1',
        boardShowsNames: text(form.boardShowsNames) === '1',
        pinMinutes,
      });
      return this.pages.redirect(reply, `/kelola/ujian/${id}/sesi`, {
        kind: 'success',
        key: 'sessions.created',
      });
    } catch (error) {
      if (!(error instanceof DomainError) || !['invalid', 'refused'].includes(error.kind))
        throw error;
      return this.renderManage(req, reply, user, id, {
        error: messageOf(error, languageOf(req)),
        form,
        status: STATUS_OF_KIND[error.kind],
      });
    }
  }

  @Allow('assessment.manage')
  @Post('kelola/ujian/:id/sesi/:sessionId/peserta')
  async assign(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('sessionId') sessionId: string,
    @Body() form: Form,
  ) {
    try {
      const nips = formLines(form.nips);
      const bad = nips.filter((n) => !/^\d{18}$/.test(n));
      if (bad.length || !nips.length)
        throw sessionError('session.invalid', {
          variant: 'nipFormat',
          field: 'nips',
          params: { nips: bad.join(', ') },
        });
      const result = await this.sessions.assign(user, sessionId, nips.slice(0, 1000));
      return this.pages.redirect(reply, `/kelola/ujian/${id}/sesi`, {
        kind: 'success',
        key: 'sessions.assigned',
        params: {
          count: result.assigned.length,
          already: result.alreadyAssigned.length,
          left: result.seatsLeft,
        },
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'forbidden') throw error;
      return this.renderManage(req, reply, user, id, {
        error: messageOf(error, languageOf(req)),
        assignTo: sessionId,
        form,
        status: STATUS_OF_KIND[error.kind],
      });
    }
  }

  private async renderManage(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    id: string,
    problem: { error?: string; form?: Form; assignTo?: string; status?: number } = {},
  ) {
    const assessment = await this.assessments.requireManaged(user, id);
    const sessions = await this.sessions.ofAssessment(user, id);
    const form = problem.assignTo ? {} : (problem.form ?? {});
    return this.pages.render(
      req,
      reply,
      'sessions/manage',
      {
        title: `${t(languageOf(req), 'sessions.title')}: ${assessment.title}`,
        assessment: {
          id: assessment.id,
          title: assessment.title,
          supervised: assessment.supervised,
        },
        sessions: sessions.map((s) => ({
          ...s,
          open: s.status !== 'closed',
          nips: problem.assignTo === s.id ? text(problem.form?.nips) : '',
        })),
        error: problem.error,
        form: {
          startsAt: text(form.startsAt),
          endsAt: text(form.endsAt),
          location: text(form.location),
          capacity: text(form.capacity) || '30',
          proctors: text(form.proctors),
          ipRanges: text(form.ipRanges),
          pinMinutes: text(form.pinMinutes) || '15',
          selfBooking: text(form.selfBooking) === '1',
          boardShowsNames: text(form.boardShowsNames) === '1',
        },
      },
      problem.status ?? 200,
    );
  }

  /** One seat on the console, with the actions that fit its state. */
  private row(c: Candidate, open: boolean) {
    const working = c.state === 'in_progress';
    return {
      ...c,
      minutesLeft: c.secondsLeft === null ? null : Math.ceil(c.secondsLeft / 60),
      can: open && {
        extend: working,
        pause: working,
        resume: c.state === 'paused',
        move: working,
        void: !!c.attemptId && c.state !== 'voided',
        absent: !c.attemptId && c.state !== 'absent',
        release: c.state === 'locked' || c.state === 'absent',
      },
    };
  }

  /** Runs a console action; a refusal (any domain error) is a flash message on the page. */
  private async act(
    reply: FastifyReply,
    back: string,
    key: 'sessions.redrawn' | 'sessions.recorded',
    run: () => Promise<{ action: string } | void>,
  ) {
    try {
      const params = await run();
      return this.pages.redirect(reply, back, { kind: 'success', key, ...(params && { params }) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.redirectWithError(reply, back, error);
    }
  }
}

/** A required reason: said in the minutes and the audit log. */
function reasonOf(form: Form): string {
  const reason = text(form.reason).trim();
  if (reason.length < 3 || reason.length > 500)
    throw attemptError('attempt.invalid', { variant: 'reason', field: 'reason' });
  return reason;
}

const lines = (value: string | string[] | undefined) =>
  text(value)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
