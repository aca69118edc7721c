import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { DomainError } from '../../platform/http/domain-error.js';
import { readUpload } from '../../platform/http/upload.js';
import { PageRenderer } from '../../platform/web/page-renderer.js';
import { QuestionTypeRegistry } from '../../registry/registries.js';
import { DIFFICULTIES } from './question-bank.entity.js';
import { QuestionBanksService } from './question-banks.service.js';

type Form = Record<string, string | undefined>;

/** Coordinators' bank pages: list, a bank with filters, import with preview, question preview. */
@ApiExcludeController()
@Controller('kelola/bank-soal')
export class QuestionBanksPages {
  constructor(
    private readonly banks: QuestionBanksService,
    private readonly types: QuestionTypeRegistry,
    private readonly pages: PageRenderer,
  ) {}

  @Allow('bank.manage')
  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'assessment/banks', {
      titleKey: 'banks.title',
      banks: await this.banks.list(user),
      sectors: user.role === 'admin' ? null : user.sectors,
    });
  }

  @Allow('bank.manage')
  @Post()
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Body() form: Form,
  ) {
    try {
      const name = String(form.name ?? '').trim();
      if (name.length < 3)
        throw new DomainError('invalid', 'bank.name', 'Nama bank minimal 3 karakter', 'name');
      const bank = await this.banks.create(user, {
        name,
        sector: String(form.sector ?? ''),
        description: form.description,
      });
      return this.pages.redirect(reply, `/kelola/bank-soal/${bank.id}`, {
        kind: 'success',
        key: 'banks.created',
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.render(
        req,
        reply,
        'assessment/banks',
        {
          titleKey: 'banks.title',
          banks: await this.banks.list(user),
          sectors: user.role === 'admin' ? null : user.sectors,
          error: error.message,
        },
        error.kind === 'forbidden' ? 403 : 400,
      );
    }
  }

  @Allow('bank.manage')
  @Get(':id')
  async bank(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: Form,
  ) {
    return this.renderBank(req, reply, user, id, query);
  }

  @Allow('bank.manage')
  @Post(':id/impor')
  async import(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query('format') format = 'gift',
    @Query('mode') mode = 'preview',
  ) {
    try {
      const result = await this.banks.importFile(
        user,
        id,
        await readUpload(req),
        format,
        mode !== 'apply',
      );
      return this.renderBank(
        req,
        reply,
        user,
        id,
        {},
        { importResult: result, importFormat: format, applied: mode === 'apply' },
      );
    } catch (error) {
      if (
        !(error instanceof DomainError) ||
        error.kind === 'not_found' ||
        error.kind === 'forbidden'
      )
        throw error;
      return this.renderBank(req, reply, user, id, {}, { importError: error.message }, 400);
    }
  }

  @Allow('bank.manage')
  @Get(':id/soal/:questionId')
  async question(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') _id: string,
    @Param('questionId') questionId: string,
    @Query('version') version?: string,
  ) {
    const question = await this.banks.getQuestion(
      user,
      questionId,
      version ? Number(version) || undefined : undefined,
    );
    const preview = await this.banks.preview(user, questionId, question.version);
    return this.pages.render(req, reply, 'assessment/question', {
      title: question.name,
      question,
      preview,
      typeLabel: this.types.get(question.type)?.label.id ?? question.type,
    });
  }

  private async renderBank(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    id: string,
    query: Form,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const bank = await this.banks.get(user, id);
    const filter = {
      type: query.type || undefined,
      difficulty: (DIFFICULTIES as readonly string[]).includes(query.difficulty ?? '')
        ? (query.difficulty as (typeof DIFFICULTIES)[number])
        : undefined,
      q: query.q?.slice(0, 100) || undefined,
      category: query.category || undefined,
    };
    const questions = await this.banks.listQuestions(user, id, filter);
    return this.pages.render(
      req,
      reply,
      'assessment/bank',
      {
        title: bank.name,
        bank,
        questions,
        filter,
        types: this.types.list().map((t) => ({ key: t.key, label: t.label.id })),
        difficulties: DIFFICULTIES,
        ...extra,
      },
      status,
    );
  }
}
