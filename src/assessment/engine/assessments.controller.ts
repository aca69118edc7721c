import {
  Body,
  Controller,
  Get,
  HttpCode,
  Ip,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { exportFormat, sendFile, type CsvDelimiter } from '../../platform/http/table-export.js';
import { ApiDelimiterQuery, CsvDelimiterOf } from '../../platform/http/csv-delimiter.js';
import { TableExports } from '../../platform/http/table-exports.service.js';
import {
  AnswerDto,
  CreateAssessmentDto,
  GradeDto,
  OverrideDto,
  StartAttemptDto,
  UpdateAssessmentDto,
} from './assessment.dto.js';
import { AnswerThrottleGuard } from './answer-throttle.guard.js';
import { AssessmentsService } from './assessments.service.js';
import { AttemptsService } from './attempts.service.js';
import { GradingService } from './grading.service.js';
import { ApiFileResponse, CSV, XLSX } from '../../platform/http/api-file.decorator.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import {
  AssessmentResponse,
  AssessmentResultsResponse,
  AttemptResponse,
  GradingQueueItemResponse,
  RegradeResponse,
  SavedAnswerResponse,
  StartedAttemptResponse,
} from './assessment.response.js';
import { ApiErrors } from '../../platform/http/api-errors.decorator.js';

@ApiTags('assessments')
@ApiBearerAuth()
@Controller('api/v1')
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly attempts: AttemptsService,
    private readonly grading: GradingService,
    private readonly exports: TableExports,
  ) {}

  /** Create an assessment. */
  @Allow('assessment.manage')
  @Post('assessments')
  create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateAssessmentDto,
  ): Promise<AssessmentResponse> {
    return this.assessments.create(user, body);
  }

  /** Coordinators: their sectors' assessments; ASN: the ones they may sit. */
  @Allow('assessment.take')
  @Get('assessments')
  @ApiQuery({ name: 'sector', required: false })
  list(
    @CurrentUser() user: AuthUser,
    @Query('sector') sector?: string,
  ): Promise<AssessmentResponse[]> {
    return this.assessments.list(user, sector);
  }

  /** One assessment. */
  @Allow('assessment.take')
  @Get('assessments/:id')
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AssessmentResponse> {
    return this.assessments.get(user, id);
  }

  /** Change an assessment. */
  @Allow('assessment.manage')
  @Put('assessments/:id')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: UpdateAssessmentDto,
  ): Promise<AssessmentResponse> {
    return this.assessments.update(user, id, body);
  }

  /** Publish an assessment. */
  @Allow('assessment.manage')
  @Post('assessments/:id/publish')
  @HttpCode(200)
  publish(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AssessmentResponse> {
    return this.assessments.publish(user, id);
  }

  /** Starts an attempt (201), or returns the open one (200). */
  @Allow('assessment.take')
  @Post('assessments/:id/attempts')
  async start(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: StartAttemptDto,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StartedAttemptResponse> {
    const attempt = await this.attempts.start(user, id, { ...body, ip });
    reply.status(attempt.resumed ? 200 : 201);
    return attempt;
  }

  /** Every attempt with its candidate (live state and results); `?format=csv|xlsx` exports. */
  @Allow('assessment.manage')
  @Get('assessments/:id/attempts')
  @ApiQuery({ name: 'format', enum: ['csv', 'xlsx'], required: false })
  @ApiDelimiterQuery()
  @ApiFileResponse([CSV, XLSX], { json: AssessmentResultsResponse })
  async results(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
    @Query('format') format?: string,
  ): Promise<AssessmentResultsResponse | undefined> {
    const results = await this.grading.results(user, id);
    if (format === undefined) return results;
    const file = await this.exports.write(
      'hasil-ujian',
      results.attempts,
      [
        { header: 'Nama', kind: 'text', value: (r) => r.name },
        { header: 'NIP', kind: 'text', value: (r) => r.nip },
        { header: 'Unit kerja', kind: 'text', value: (r) => r.orgUnit },
        { header: 'Percobaan ke', kind: 'number', value: (r) => r.number },
        { header: 'Status', kind: 'text', value: (r) => r.status },
        { header: 'Mulai', kind: 'datetime', value: (r) => r.startedAt },
        { header: 'Dijawab', kind: 'number', value: (r) => r.answered },
        { header: 'Jumlah soal', kind: 'number', value: (r) => r.questions },
        { header: 'Skor', kind: 'number', value: (r) => r.score },
        { header: 'Skor maksimum', kind: 'number', value: (r) => r.maxScore },
        { header: 'Persen', kind: 'number', value: (r) => r.percent },
        {
          header: 'Lulus',
          kind: 'text',
          value: (r) => (r.passed === null ? '' : r.passed ? 'Ya' : 'Tidak'),
        },
        { header: 'Dihitung', kind: 'text', value: (r) => (r.counts ? 'Ya' : '') },
      ],
      exportFormat(format),
      delimiter,
    );
    sendFile(reply, file);
  }

  /** Grade an assessment's attempts again. */
  @Allow('assessment.manage')
  @Post('assessments/:id/regrade')
  @HttpCode(200)
  regrade(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<RegradeResponse> {
    return this.grading.regrade(user, id);
  }

  /** One attempt, as its reader may see it. */
  @Allow('assessment.take')
  @Get('attempts/:id')
  attempt(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AttemptResponse> {
    return this.attempts.view(user, id);
  }

  /** Save the answer to one slot of an attempt. */
  @Allow('assessment.take')
  @UseGuards(AnswerThrottleGuard)
  @ApiErrors(429)
  @Put('attempts/:id/answers/:slot')
  answer(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Param('slot', ParseIntPipe) slot: number,
    @Body() body: AnswerDto,
    @Ip() ip: string,
  ): Promise<SavedAnswerResponse> {
    return this.attempts.answer(user, id, slot, body, ip);
  }

  /** Submit an attempt for grading. */
  @Allow('assessment.take')
  @Post('attempts/:id/submit')
  @HttpCode(200)
  submit(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AttemptResponse> {
    return this.attempts.submit(user, id);
  }

  /** Answers waiting for a person, oldest first; `?reveal=true` shows names. */
  @Allow('grading.manage')
  @Get('grading')
  @ApiQuery({ name: 'reveal', required: false })
  queue(
    @CurrentUser() user: AuthUser,
    @Query('reveal') reveal?: string,
  ): Promise<GradingQueueItemResponse[]> {
    return this.grading.queue(user, { reveal: reveal === 'true' });
  }

  /** Grade one answer by hand. */
  @Allow('grading.manage')
  @Post('attempts/:id/answers/:slot/grade')
  @HttpCode(200)
  grade(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Param('slot', ParseIntPipe) slot: number,
    @Body() body: GradeDto,
  ): Promise<AttemptResponse> {
    return this.grading.grade(user, id, slot, body);
  }

  /** An admin overrides a machine-graded item, with a reason; audited and shown (ADR 0020). */
  @Allow('grading.override')
  @Post('attempts/:id/answers/:slot/override')
  @HttpCode(200)
  override(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Param('slot', ParseIntPipe) slot: number,
    @Body() body: OverrideDto,
  ): Promise<AttemptResponse> {
    return this.grading.override(user, id, slot, body);
  }
}
