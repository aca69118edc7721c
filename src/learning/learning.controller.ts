import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { exportFormat, sendFile, type CsvDelimiter } from '../platform/http/table-export.js';
import { CsvDelimiterOf } from '../platform/http/csv-delimiter.js';
import { TableExports } from '../platform/http/table-exports.service.js';
import { ApiUpload, readFilePart } from '../platform/http/upload.js';
import {
  ApiFileResponse,
  ApiOneOfResponse,
  CSV,
  XLSX,
} from '../platform/http/api-file.decorator.js';
import { UuidParam } from '../platform/http/uuid-param.decorator.js';
import {
  BulkEnrollmentResponse,
  CourseEnrollmentsResponse,
  CourseResponse,
  EnrollmentResponse,
  JpLedgerResponse,
  JpResponse,
  LessonResponse,
  ReadLessonResponse,
  StudyTrailResponse,
} from './learning.response.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { CoursesService } from './courses.service.js';
import { CoursePretests } from './course-pretest.js';
import { StartedAttemptResponse } from '../assessment/engine/assessment.response.js';
import { EnrollmentsService } from './enrollments.service.js';
import { JP_CREDIT_COLUMNS } from './jp-columns.js';
import {
  CourseFieldsDto,
  CreateCourseDto,
  CreateLessonDto,
  EnrollDto,
  JpQuery,
  LessonDto,
  ReorderLessonsDto,
} from './learning.dto.js';

@ApiTags('courses')
@ApiBearerAuth()
@Controller('api/v1/courses')
export class CoursesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly enrollments: EnrollmentsService,
    private readonly pretests: CoursePretests,
  ) {}

  /** Courses, filtered by sector and competency. */
  @Allow('course.read')
  @Get()
  @ApiQuery({ name: 'sector', required: false, description: 'Only this sector (key)' })
  @ApiQuery({
    name: 'competency',
    required: false,
    description: 'Only courses that develop this competency (code)',
  })
  list(
    @CurrentUser() user: AuthUser,
    @Query('sector') sector?: string,
    @Query('competency') competency?: string,
  ): Promise<CourseResponse[]> {
    return this.courses.list(user, { sector, competency });
  }

  /** Create a course. */
  @Allow('course.manage')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCourseDto): Promise<CourseResponse> {
    return this.courses.create(user, body);
  }

  /** One course with its lessons. */
  @Allow('course.read')
  @Get(':id')
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<CourseResponse> {
    return this.courses.get(user, id);
  }

  /** Change a course. */
  @Allow('course.manage')
  @Patch(':id')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: CourseFieldsDto,
  ): Promise<CourseResponse> {
    return this.courses.update(user, id, body);
  }

  /**
   * Start the course's pre-test (201), or return the open one (200): an attempt on the
   * course's assessment that measures the before; it never passes and does not count.
   */
  @Allow('assessment.take')
  @Post(':id/pretest')
  async pretest(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StartedAttemptResponse> {
    const attempt = await this.pretests.start(user, id);
    reply.status(attempt.resumed ? 200 : 201);
    return attempt;
  }

  /** Start a new draft of a published course. */
  @Allow('course.manage')
  @Post(':id/draft')
  draft(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<CourseResponse> {
    return this.courses.createDraft(user, id);
  }

  /** Publish a course. */
  @Allow('course.manage')
  @Post(':id/publish')
  @HttpCode(200)
  publish(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<CourseResponse> {
    return this.courses.publish(user, id);
  }

  /** Archive a course. */
  @Allow('course.manage')
  @Post(':id/archive')
  @HttpCode(200)
  archive(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<CourseResponse> {
    return this.courses.archive(user, id);
  }

  /** Add a lesson to a course. */
  @Allow('course.manage')
  @Post(':id/lessons')
  addLesson(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: CreateLessonDto,
  ): Promise<LessonResponse> {
    return this.courses.addLesson(user, id, body);
  }

  /** Reorder a course's lessons. */
  @Allow('course.manage')
  @Put(':id/lessons/order')
  reorder(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: ReorderLessonsDto,
  ): Promise<LessonResponse[]> {
    return this.courses.reorder(user, id, body.lessonIds);
  }

  /** Change a lesson. */
  @Allow('course.manage')
  @Patch(':id/lessons/:lessonId')
  updateLesson(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('lessonId') lessonId: string,
    @Body() body: LessonDto,
  ): Promise<LessonResponse> {
    return this.courses.updateLesson(user, id, lessonId, body);
  }

  /** Remove a lesson. */
  @Allow('course.manage')
  @Delete(':id/lessons/:lessonId')
  @HttpCode(204)
  async removeLesson(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('lessonId') lessonId: string,
  ): Promise<void> {
    await this.courses.removeLesson(user, id, lessonId);
  }

  /** Upload a lesson's file. */
  @Allow('course.manage')
  @Post(':id/lessons/:lessonId/file')
  @HttpCode(200)
  @ApiUpload('multipart/form-data')
  async upload(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('lessonId') lessonId: string,
    @Req() request: FastifyRequest,
  ): Promise<LessonResponse> {
    const { content, filename } = await readFilePart(request);
    return this.courses.uploadLessonFile(user, id, lessonId, content, filename);
  }

  /** Enrol the caller, or (staff) users by id, NIP or position, in a course. */
  @Allow('course.read')
  @Post(':id/enrollments')
  @ApiOneOfResponse(
    201,
    [EnrollmentResponse, BulkEnrollmentResponse],
    'The caller’s enrolment, or the count of those a manager assigned',
  )
  enroll(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: EnrollDto,
  ): Promise<EnrollmentResponse | BulkEnrollmentResponse> {
    return this.enrollments.enroll(user, id, body ?? {});
  }

  /** A course's enrolments. */
  @Allow('course.manage')
  @Get(':id/enrollments')
  courseEnrollments(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<CourseEnrollmentsResponse> {
    return this.enrollments.ofCourse(user, id);
  }
}

@ApiTags('learning')
@ApiBearerAuth()
@Controller('api/v1')
export class LearningController {
  constructor(
    private readonly courses: CoursesService,
    private readonly enrollments: EnrollmentsService,
    private readonly exports: TableExports,
  ) {}

  /** The caller's enrolments. */
  @Allow('self.read')
  @Get('me/enrollments')
  mine(@CurrentUser() user: AuthUser): Promise<EnrollmentResponse[]> {
    return this.enrollments.mine(user);
  }

  /** The caller's JP (learning hours) for a year (JSON, CSV or XLSX). */
  @Allow('self.read')
  @Get('me/jp')
  @ApiFileResponse([CSV, XLSX], { json: JpResponse })
  async jp(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: JpQuery,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
  ): Promise<JpResponse | undefined> {
    const year = query.year ?? new Date().getUTCFullYear();
    const ledger = await this.enrollments.ledger(user.id, year);
    if (!query.format || query.format === 'json') return ledger;
    const file = await this.exports.write(
      `jp-saya-${year}`,
      ledger.credits,
      JP_CREDIT_COLUMNS,
      exportFormat(query.format),
      delimiter,
    );
    sendFile(reply, file);
  }

  /** One enrolment with its progress. */
  @Allow('self.read')
  @Get('enrollments/:id')
  enrollment(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<EnrollmentResponse> {
    return this.enrollments.get(user, id);
  }

  @Allow('self.read')
  @Get('enrollments/:id/trail')
  @ApiOperation({
    summary:
      'The study trail of an enrolment: each lesson opened, completed and the minimum it met (learner, admin, sector coordinator)',
  })
  trail(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<StudyTrailResponse> {
    return this.enrollments.trail(user, id);
  }

  @Allow('self.read')
  @Get('enrollments/:id/lessons/:lessonId')
  @ApiOperation({
    summary:
      'A lesson as its learner reads it; the first read marks it opened, from which its study time counts',
  })
  readLesson(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('lessonId') lessonId: string,
  ): Promise<ReadLessonResponse> {
    return this.enrollments.readLesson(user, id, lessonId);
  }

  /** Open a lesson (starts its clock). */
  @Allow('self.read')
  @Post('enrollments/:id/lessons/:lessonId/open')
  @HttpCode(200)
  open(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('lessonId') lessonId: string,
  ): Promise<EnrollmentResponse> {
    return this.enrollments.open(user, id, lessonId);
  }

  @Allow('self.read')
  @Post('enrollments/:id/lessons/:lessonId/complete')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Marks a lesson done: only once opened and after its minimum study time (422 with details.remainingSeconds otherwise)',
  })
  @ApiOkResponse({ type: EnrollmentResponse })
  @ApiUnprocessableEntityResponse({
    description:
      'enrollment.not_opened or enrollment.too_soon; details: { remainingSeconds, completableAt }',
  })
  complete(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('lessonId') lessonId: string,
  ): Promise<EnrollmentResponse> {
    return this.enrollments.complete(user, id, lessonId);
  }

  /** Download a lesson's file. */
  @Allow('course.read')
  @Get('lessons/:id/file')
  @ApiFileResponse(['application/octet-stream'], { description: 'The lesson’s file' })
  async file(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.courses.lessonFile(user, id);
    return sendFile(reply, {
      body: file.content,
      contentType: file.contentType,
      filename: file.filename.replace(/"/g, ''),
    });
  }

  /** JP report per ASN (JSON, CSV or XLSX). */
  @Allow('report.read')
  @Get('reports/jp')
  @ApiFileResponse([CSV, XLSX], { json: JpLedgerResponse })
  async jpReport(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: JpQuery,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
  ): Promise<JpLedgerResponse | undefined> {
    const year = query.year ?? new Date().getUTCFullYear();
    const rows = await this.enrollments.ledgerRows(user, year, query.orgUnit);
    if (!query.format || query.format === 'json') return { year, rows };
    const file = await this.exports.write(
      `riwayat-jp-${year}`,
      rows,
      [
        { header: 'NIP', kind: 'text', value: (r) => r.nip },
        { header: 'Nama', kind: 'text', value: (r) => r.name },
        { header: 'Unit Kerja', kind: 'text', value: (r) => r.orgUnit },
        { header: 'Nama Pelatihan', kind: 'text', value: (r) => r.title },
        { header: 'Jenis Pelatihan', kind: 'text', value: (r) => r.type },
        { header: 'Tanggal Mulai', kind: 'date', value: (r) => r.startedAt },
        { header: 'Tanggal Selesai', kind: 'date', value: (r) => r.completedAt },
        { header: 'JP', kind: 'number', value: (r) => r.jp },
      ],
      exportFormat(query.format),
      delimiter,
    );
    sendFile(reply, file);
  }
}
