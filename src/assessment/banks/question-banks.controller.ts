import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendFile } from '../../platform/http/table-export.js';
import { ApiUpload, readFilePart, readUpload } from '../../platform/http/upload.js';
import { MAX_QUESTION_FILE_BYTES, QuestionFilesService } from './question-files.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import {
  CreateBankDto,
  BulkQuestionsDto,
  CreateCategoryDto,
  CreateQuestionDto,
  QuestionContentDto,
  QuestionQuery,
} from './question-bank.dto.js';
import { QuestionBanksService } from './question-banks.service.js';
import { ApiFileResponse } from '../../platform/http/api-file.decorator.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import {
  BulkUpdateResponse,
  QuestionFileResponse,
  QuestionImportResponse,
  NewCategoryResponse,
  QuestionBankDetailResponse,
  QuestionBankResponse,
  QuestionPreviewResponse,
  QuestionResponse,
} from './question-bank.response.js';

@ApiTags('question banks')
@ApiBearerAuth()
@Controller('api/v1')
export class QuestionBanksController {
  constructor(
    private readonly banks: QuestionBanksService,
    private readonly files: QuestionFilesService,
  ) {}

  /** The question banks the caller may see. */
  @Allow('bank.manage')
  @Get('question-banks')
  list(@CurrentUser() user: AuthUser): Promise<QuestionBankResponse[]> {
    return this.banks.list(user);
  }

  /** Create a question bank. */
  @Allow('bank.manage')
  @Post('question-banks')
  create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateBankDto,
  ): Promise<QuestionBankResponse> {
    return this.banks.create(user, body);
  }

  /** One question bank with its categories. */
  @Allow('bank.manage')
  @Get('question-banks/:id')
  get(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<QuestionBankDetailResponse> {
    return this.banks.get(user, id);
  }

  /** Add a category to a question bank. */
  @Allow('bank.manage')
  @Post('question-banks/:id/categories')
  addCategory(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: CreateCategoryDto,
  ): Promise<NewCategoryResponse> {
    return this.banks.addCategory(user, id, body);
  }

  /** A bank's questions, filtered by type, difficulty, competency and category. */
  @Allow('bank.manage')
  @Get('question-banks/:id/questions')
  questions(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: QuestionQuery,
  ): Promise<QuestionResponse[]> {
    return this.banks.listQuestions(user, id, query);
  }

  /** Add a question to a bank. */
  @Allow('bank.manage')
  @Post('question-banks/:id/questions')
  addQuestion(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: CreateQuestionDto,
  ): Promise<QuestionResponse> {
    return this.banks.addQuestion(user, id, body);
  }

  /** Move, tag or untag several questions of a bank at once. */
  @Allow('bank.manage')
  @Post('question-banks/:id/questions/bulk')
  @HttpCode(200)
  bulk(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: BulkQuestionsDto,
  ): Promise<BulkUpdateResponse> {
    return this.banks.bulkUpdate(user, id, body);
  }

  /** Import questions (GIFT as text/plain, Moodle XML as application/xml, or a file). */
  @Allow('bank.manage')
  @Post('question-banks/:id/import')
  @HttpCode(200)
  @ApiQuery({ name: 'format', enum: ['gift', 'moodle-xml'], required: false })
  @ApiQuery({ name: 'dryRun', required: false, description: 'true: report what would be imported' })
  @ApiUpload('text/plain', 'application/xml', 'multipart/form-data')
  async import(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Req() request: FastifyRequest,
    @Query('format') format = 'gift',
    @Query('dryRun') dryRun?: string,
  ): Promise<QuestionImportResponse> {
    return this.banks.importFile(user, id, await readUpload(request), format, dryRun === 'true');
  }

  /** Store an image or audio file for a bank's questions; its address to put in a text. */
  @Allow('bank.manage')
  @Post('question-banks/:id/files')
  @HttpCode(201)
  @ApiUpload('multipart/form-data')
  async uploadFile(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<QuestionFileResponse> {
    const { content, filename } = await readFilePart(request, {
      maxBytes: MAX_QUESTION_FILE_BYTES,
    });
    return this.banks.uploadFile(user, id, content, filename);
  }

  /** An image or audio file of a question: staff of its sector, or a candidate shown it. */
  @Allow('assessment.take')
  @Get('question-files/:name')
  @ApiFileResponse(['image/png', 'image/jpeg', 'audio/mpeg'], { description: 'The file' })
  async questionFile(
    @CurrentUser() user: AuthUser,
    @Param('name') name: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.files.read(user, name);
    return reply
      .header('content-type', file.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=86400, immutable')
      .send(file.content);
  }

  /** Export a bank's questions as GIFT or Moodle XML. */
  @Allow('bank.manage')
  @Get('question-banks/:id/export')
  @ApiQuery({ name: 'format', enum: ['gift', 'moodle-xml'], required: false })
  @ApiQuery({ name: 'category', required: false })
  @ApiFileResponse(['text/plain', 'application/xml'], {
    description: 'The bank as GIFT or Moodle XML',
  })
  async export(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res() reply: FastifyReply,
    @Query('format') format = 'gift',
    @Query('category') category?: string,
  ): Promise<void> {
    const text = await this.banks.exportFile(user, id, format, category);
    const xml = format === 'moodle-xml';
    return sendFile(reply, {
      body: Buffer.from(text, 'utf8'),
      contentType: xml ? 'application/xml; charset=utf-8' : 'text/plain; charset=utf-8',
      filename: xml ? 'bank-soal.xml' : 'bank-soal.gift.txt',
    });
  }

  /** One question, at its latest or a given version. */
  @Allow('bank.manage')
  @Get('questions/:id')
  @ApiQuery({ name: 'version', required: false })
  question(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query('version') version?: string,
  ): Promise<QuestionResponse> {
    return this.banks.getQuestion(user, id, version ? Number(version) : undefined);
  }

  /** Change a question (a used question gets a new version). */
  @Allow('bank.manage')
  @Put('questions/:id')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: QuestionContentDto,
  ): Promise<QuestionResponse> {
    return this.banks.updateQuestion(user, id, body);
  }

  /** A question as a candidate would see it. */
  @Allow('bank.manage')
  @Get('questions/:id/preview')
  @ApiQuery({ name: 'version', required: false })
  preview(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query('version') version?: string,
  ): Promise<QuestionPreviewResponse> {
    return this.banks.preview(user, id, version ? Number(version) : undefined);
  }
}
