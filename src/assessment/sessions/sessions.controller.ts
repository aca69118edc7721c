import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser, Public } from '../../platform/auth/auth.decorators.js';
import { ApiFileResponse, CSV, PDF, XLSX } from '../../platform/http/api-file.decorator.js';
import { exportFormat, sendFile, type CsvDelimiter } from '../../platform/http/table-export.js';
import { ApiDelimiterQuery, CsvDelimiterOf } from '../../platform/http/csv-delimiter.js';
import { TableExports } from '../../platform/http/table-exports.service.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import { SessionMinutesService } from './session-minutes.service.js';
import {
  AssignCandidatesDto,
  CorrectionDto,
  CreateSessionDto,
  ExtendDto,
  OptionalReasonDto,
  ReasonDto,
} from './sessions.dto.js';
import {
  AnswerTrailResponse,
  AssessmentSessionResponse,
  AssignedCandidatesResponse,
  ClosedSessionResponse,
  MySessionResponse,
  SessionBoardResponse,
  SessionConsoleResponse,
  SessionMinutesResponse,
  SupervisedAttemptResponse,
} from './sessions.response.js';
import { SessionsService } from './sessions.service.js';
import { SupervisionService } from './supervision.service.js';
import { sessionError } from './session-errors.js';

/**
 * Supervised exam sessions (ADR 0024). Who may act is decided per record in the services:
 * the session's proctors (any user named), its sector's coordinators and admins.
 */
@ApiTags('sessions')
@ApiBearerAuth()
@Controller('api/v1')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly supervision: SupervisionService,
    private readonly minutes: SessionMinutesService,
    private readonly exports: TableExports,
  ) {}

  /** Schedule a supervised session of an assessment. */
  @Allow('assessment.manage')
  @Post('assessments/:id/sessions')
  create(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: CreateSessionDto,
  ): Promise<SessionConsoleResponse> {
    return this.sessions.create(user, id, body);
  }

  /** All sessions for its managers; a candidate's own and the bookable ones for a candidate. */
  @Allow('assessment.take')
  @Get('assessments/:id/sessions')
  ofAssessment(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<AssessmentSessionResponse[]> {
    return this.sessions.ofAssessment(user, id);
  }

  /** The sessions the caller sits or proctors. */
  @Allow('assessment.take')
  @Get('me/sessions')
  mine(@CurrentUser() user: AuthUser): Promise<MySessionResponse[]> {
    return this.sessions.mine(user);
  }

  /** The console: for the session's proctors and its sector's coordinators, with the PIN. */
  @Allow('assessment.take')
  @Get('sessions/:id')
  console(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<SessionConsoleResponse> {
    return this.sessions.console(user, id);
  }

  /** Name candidates for a session by NIP. */
  @Allow('assessment.manage')
  @Post('sessions/:id/candidates')
  @HttpCode(200)
  assign(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: AssignCandidatesDto,
  ): Promise<AssignedCandidatesResponse> {
    return this.sessions.assign(user, id, body.nips);
  }

  /** Book the caller a seat in a session. */
  @Allow('assessment.take')
  @Post('sessions/:id/booking')
  book(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<MySessionResponse> {
    return this.sessions.book(user, id);
  }

  /** Draw a new PIN for a session. */
  @Allow('assessment.take')
  @Post('sessions/:id/pin')
  @HttpCode(200)
  redrawPin(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: OptionalReasonDto,
  ): Promise<SessionConsoleResponse> {
    return this.sessions.redrawPin(user, id, body.reason ?? '');
  }

  /** Mark a session's candidate absent. */
  @Allow('assessment.take')
  @Post('sessions/:id/candidates/:userId/absent')
  @HttpCode(200)
  absent(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
    @Body() body: ReasonDto,
  ): Promise<SessionConsoleResponse> {
    return this.sessions.markAbsent(user, id, userId, body.reason);
  }

  /** Unlock a candidate's seat locked by wrong PINs (or undo an absence), with a reason. */
  @Allow('assessment.take')
  @Post('sessions/:id/candidates/:userId/release')
  @HttpCode(200)
  release(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
    @Body() body: ReasonDto,
  ): Promise<SessionConsoleResponse> {
    return this.sessions.release(user, id, userId, body.reason);
  }

  /** Closes the session and writes its minutes (PDF, SHA-256 recorded). */
  @Allow('assessment.take')
  @Post('sessions/:id/close')
  @HttpCode(200)
  close(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<ClosedSessionResponse> {
    return this.minutes.close(user, id);
  }

  /** The minutes as PDF: the latest, or `?version=`; the SHA-256 in `X-Content-SHA256`. */
  @Allow('assessment.take')
  @Get('sessions/:id/minutes')
  @ApiQuery({ name: 'version', required: false })
  @ApiFileResponse([PDF])
  async minutesFile(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('version') version?: string,
  ): Promise<void> {
    const wanted = version === undefined ? undefined : Number(version);
    if (wanted !== undefined && !(Number.isInteger(wanted) && wanted > 0))
      throw sessionError('session.invalid', { variant: 'window', field: 'version' });
    const file = await this.minutes.file(user, id, wanted);
    reply.header('x-content-sha256', file.sha256);
    sendFile(reply, file);
  }

  /** The versions of a session's minutes. */
  @Allow('assessment.take')
  @Get('sessions/:id/minutes/versions')
  minutesVersions(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<SessionMinutesResponse[]> {
    return this.minutes.list(user, id);
  }

  /** A correction of closed minutes: a new version naming the previous; nothing rewritten. */
  @Allow('assessment.manage')
  @Post('sessions/:id/minutes/corrections')
  correct(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: CorrectionDto,
  ): Promise<SessionMinutesResponse> {
    return this.minutes.correct(user, id, body.correction);
  }

  /** The public results board: masked NIPs, names and scores only as the session allows. */
  @Public()
  @Get('sessions/:id/board')
  board(@UuidParam('id') id: string): Promise<SessionBoardResponse> {
    return this.sessions.board(id);
  }

  /** Give an attempt extra time. */
  @Allow('assessment.take')
  @Post('attempts/:id/extend')
  @HttpCode(200)
  extend(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: ExtendDto,
  ): Promise<SupervisedAttemptResponse> {
    return this.supervision.extend(user, id, body.minutes, body.reason);
  }

  /** Stops one candidate's clock (a power cut); answers wait until resumed. */
  @Allow('assessment.take')
  @Post('attempts/:id/pause')
  @HttpCode(200)
  pause(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: OptionalReasonDto,
  ): Promise<SupervisedAttemptResponse> {
    return this.supervision.pause(user, id, body.reason || 'Dijeda oleh pengawas');
  }

  /** Restarts the clock; the deadline moves by the time it stood still. */
  @Allow('assessment.take')
  @Post('attempts/:id/resume')
  @HttpCode(200)
  resume(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: OptionalReasonDto,
  ): Promise<SupervisedAttemptResponse> {
    return this.supervision.resume(user, id, body.reason || 'Dilanjutkan oleh pengawas');
  }

  /** Moves the candidate to another device: every sign-in of theirs ends. */
  @Allow('assessment.take')
  @Post('attempts/:id/move')
  @HttpCode(200)
  move(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: ReasonDto,
  ): Promise<SupervisedAttemptResponse> {
    return this.supervision.move(user, id, body.reason);
  }

  /** Void an attempt, with a reason. */
  @Allow('assessment.take')
  @Post('attempts/:id/void')
  @HttpCode(200)
  void(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: ReasonDto,
  ): Promise<SupervisedAttemptResponse> {
    return this.supervision.void(user, id, body.reason);
  }

  /** Every stored save, oldest first; `?format=csv|xlsx` exports. */
  @Allow('assessment.manage')
  @Get('attempts/:id/trail')
  @ApiQuery({ name: 'format', enum: ['csv', 'xlsx'], required: false })
  @ApiDelimiterQuery()
  @ApiFileResponse([CSV, XLSX], { json: AnswerTrailResponse })
  async trail(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
    @Query('format') format?: string,
  ): Promise<AnswerTrailResponse | undefined> {
    const trail = await this.supervision.trail(user, id);
    if (format === undefined) return trail;
    const file = await this.exports.write(
      `jejak-jawaban-${id.slice(0, 8)}`,
      trail.entries,
      [
        { header: 'Waktu', kind: 'datetime', value: (r) => r.at },
        { header: 'Nomor soal', kind: 'number', value: (r) => r.slot },
        { header: 'Urutan', kind: 'number', value: (r) => r.seq },
        { header: 'Jawaban', kind: 'text', value: (r) => JSON.stringify(r.response) },
        { header: 'Sesi perangkat', kind: 'text', value: (r) => r.deviceSession ?? '' },
        { header: 'IP', kind: 'text', value: (r) => r.ip ?? '' },
      ],
      exportFormat(format),
      delimiter,
    );
    sendFile(reply, file);
  }
}
