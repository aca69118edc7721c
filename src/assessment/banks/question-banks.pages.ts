import { formText as text, formList as list } from '../../platform/web/form-values.js';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { DomainError, messageOf } from '../../platform/http/domain-error.js';
import { languageOf } from '../../platform/http/lang.decorator.js';
import { readFilePart, readUpload, uploadError } from '../../platform/http/upload.js';
import { t } from '../../platform/i18n/i18n.js';
import { PageRenderer } from '../../platform/web/page-renderer.js';
import { QuestionTypeRegistry } from '../../registry/registries.js';
import {
  candidateWidget,
  clozeDraft,
  clozeSource,
  definitionFromForm,
  editorModel,
  type Form,
} from '../question-types/question-form.js';
import { problemsText, problemText } from '../question-types/problem-text.js';
import { DIFFICULTIES, type Difficulty } from './question-bank.entity.js';
import { bankError, QuestionBanksService } from './question-banks.service.js';
import { MAX_QUESTION_FILE_BYTES } from './question-files.service.js';

/**
 * The import's file: the content a preview carried back in its form (a plain form field),
 * else the uploaded file.
 */
async function previewedOrUploaded(req: FastifyRequest): Promise<Buffer | string> {
  const body = req.body as Form | undefined;
  if (!req.isMultipart() && body && typeof body === 'object' && !Buffer.isBuffer(body)) {
    const content = text(body.content);
    if (!content.trim()) throw uploadError('upload.missing', { variant: 'empty', field: 'file' });
    return content;
  }
  return readUpload(req);
}

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
      const name = text(form.name).trim();
      if (name.length < 3) throw bankError('bank.invalid', { variant: 'name', field: 'name' });
      const bank = await this.banks.create(user, {
        name,
        sector: text(form.sector),
        description: text(form.description).slice(0, 4000),
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
          error: messageOf(error, languageOf(req)),
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
      const content = await previewedOrUploaded(req);
      const result = await this.banks.importFile(user, id, content, format, mode !== 'apply');
      const lang = languageOf(req);
      for (const skipped of result.skipped) skipped.reason = problemsText(lang, skipped.reason);
      // A preview carries its text back in the page (ADR 0025), so "Impor" applies what was shown.
      const previewed = mode === 'apply' ? undefined : content.toString();
      return this.renderBank(
        req,
        reply,
        user,
        id,
        {},
        {
          importResult: result,
          importFormat: format,
          importFormatLabel: format === 'moodle-xml' ? 'Moodle XML' : 'GIFT',
          applied: mode === 'apply',
          previewed,
        },
      );
    } catch (error) {
      if (
        !(error instanceof DomainError) ||
        error.kind === 'not_found' ||
        error.kind === 'forbidden'
      )
        throw error;
      return this.renderBank(
        req,
        reply,
        user,
        id,
        {},
        { importError: messageOf(error, languageOf(req)) },
        400,
      );
    }
  }

  @Allow('bank.manage')
  @Post(':id/kategori')
  async addCategory(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    const name = text(form.name).trim();
    if (!name) throw bankError('bank.invalid', { variant: 'categoryName', field: 'name' });
    await this.banks.addCategory(user, id, {
      name: name.slice(0, 200),
      parentId: text(form.parentId) || undefined,
      info: text(form.info).slice(0, 4000),
    });
    return this.pages.redirect(reply, `/kelola/bank-soal/${id}`, {
      kind: 'success',
      key: 'banks.categoryAdded',
    });
  }

  /** Bulk move and tag: the checked questions of the bank's list. */
  @Allow('bank.manage')
  @Post(':id/massal')
  async bulk(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    const ids = list(form.ids);
    if (!ids.length) throw bankError('bank.invalid', { variant: 'noneChosen', field: 'ids' });
    const tags = text(form.tags)
      .split(',')
      .map((t) => t.trim().slice(0, 60))
      .filter(Boolean);
    const action = text(form.action);
    const result = await this.banks.bulkUpdate(user, id, {
      questionIds: ids.slice(0, 500),
      ...(action === 'move' && { categoryId: text(form.categoryId) }),
      ...(action === 'tag' && { addTags: tags }),
      ...(action === 'untag' && { removeTags: tags }),
    });
    return this.pages.redirect(reply, `/kelola/bank-soal/${id}`, {
      kind: 'success',
      key: 'banks.bulkDone',
      params: { count: result.updated },
    });
  }

  @Allow('bank.manage')
  @Get(':id/soal-baru')
  async newQuestion(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query('type') type = 'single_choice',
  ) {
    const bank = await this.banks.get(user, id);
    if (!this.types.get(type)) type = 'single_choice';
    return this.renderEditor(req, reply, bank, {
      type,
      name: '',
      stem: '',
      definition: {},
      points: 1,
      generalFeedback: '',
      categoryId: null,
      competencyCode: null,
      competencyLevel: null,
      difficulty: null,
      tags: [],
    });
  }

  @Allow('bank.manage')
  @Get(':id/soal/:questionId/ubah')
  async editQuestion(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
  ) {
    const question = await this.banks.getQuestion(user, questionId);
    const bank = await this.banks.get(user, question.bankId);
    if (bank.id !== id) throw bankError('bank.not_found', { variant: 'question' });
    return this.renderEditor(req, reply, bank, question);
  }

  /**
   * Saves the editor: a new question, or an edit (a new version once used). "Pratinjau"
   * shows the candidate's view of the draft without saving; with `?fragment=1` only that
   * view is returned, for the editor's live preview.
   */
  @Allow('bank.manage')
  @Post(':id/soal')
  async saveQuestion(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
    @Query('fragment') fragment?: string,
  ) {
    const bank = await this.banks.get(user, id);
    const draft = this.draftFrom(form);
    const questionId = text(form.questionId) || undefined;
    const definition = typeof draft.definition === 'string' ? {} : draft.definition;
    const checked =
      typeof draft.definition === 'string'
        ? { problems: [draft.definition], preview: null }
        : await this.banks.previewDraft(user, bank.id, { ...draft, definition });
    const lang = languageOf(req);
    checked.problems = checked.problems.map((p) => problemText(lang, p));
    if (fragment)
      return this.pages.fragment(req, reply, 'question-preview', {
        ...checked,
        stemHtml: checked.preview?.stemHtml,
        widget: this.widgetOf(draft.type, checked.preview),
      });
    const problems = [...checked.problems];
    if (!draft.name) problems.unshift(t(lang, 'editor.problem.name'));
    if (!draft.stem.trim()) problems.unshift(t(lang, 'editor.problem.stem'));
    if (text(form.intent) === 'preview' || problems.length)
      return this.renderEditor(
        req,
        reply,
        bank,
        { ...draft, id: questionId, definition },
        { checked, problems, formDefinition: draft.definition },
        problems.length && text(form.intent) !== 'preview' ? 400 : 200,
      );
    try {
      const content = {
        ...draft,
        definition,
        categoryId: draft.categoryId ?? undefined,
        competencyCode: draft.competencyCode ?? undefined,
        competencyLevel: draft.competencyLevel ?? undefined,
        difficulty: draft.difficulty ?? undefined,
      };
      const saved = questionId
        ? await this.banks.updateQuestion(user, questionId, content)
        : await this.banks.addQuestion(user, bank.id, content);
      return this.pages.redirect(reply, `/kelola/bank-soal/${bank.id}/soal/${saved.id}`, {
        kind: 'success',
        key: 'banks.questionSaved',
        params: { version: saved.version },
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return this.renderEditor(
        req,
        reply,
        bank,
        { ...draft, id: questionId, definition },
        {
          checked,
          problems: [messageOf(error, lang)],
          formDefinition: draft.definition,
        },
        400,
      );
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
      widget: this.widgetOf(question.type, preview),
      editor: editorModel(question.type, question.definition),
      typeLabel: this.types.get(question.type)?.label.id ?? question.type,
    });
  }

  /** "Tambah gambar": a multipart form (no script) that stores a file and puts it in the text. */
  @Allow('bank.manage')
  @Post(':id/soal/:questionId/gambar')
  async addImage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('questionId') questionId: string,
  ) {
    const target = `/kelola/bank-soal/${id}/soal/${questionId}`;
    try {
      const { content, filename, fields } = await readFilePart(req, {
        maxBytes: MAX_QUESTION_FILE_BYTES,
      });
      const saved = await this.banks.addImageToStem(
        user,
        id,
        questionId,
        content,
        filename,
        (fields.alt ?? '').trim(),
      );
      return this.pages.redirect(reply, `${target}?version=${saved.version}`, {
        kind: 'success',
        key: 'banks.imageAdded',
        params: { version: saved.version },
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return this.pages.redirect(reply, target, {
        kind: 'error',
        key: 'banks.imageRefused',
        params: { problem: messageOf(error, languageOf(req)) },
      });
    }
  }

  /** The editor's fields read back, kept as typed so a refused form loses nothing. */
  private draftFrom(form: Form) {
    const type = this.types.get(text(form.type)) ? text(form.type) : 'single_choice';
    const level = Number(text(form.competencyLevel));
    const difficulty = text(form.difficulty);
    const points = Number(text(form.points).replace(',', '.'));
    const stem = text(form.stem).slice(0, 20000);
    // A cloze's blanks are written inside its text: the text gives both stem and definition.
    const cloze = type === 'cloze' ? clozeDraft(stem) : null;
    return {
      type,
      name: text(form.name).trim().slice(0, 200),
      stem: cloze?.stem ?? stem,
      definition: cloze?.definition ?? definitionFromForm(type, form),
      points: Number.isFinite(points) && points >= 0 && points <= 1000 ? points : 1,
      generalFeedback: text(form.generalFeedback).slice(0, 20000),
      categoryId: text(form.categoryId) || null,
      competencyCode: text(form.competencyCode).trim().slice(0, 40) || null,
      competencyLevel: level >= 1 && level <= 5 ? Math.trunc(level) : null,
      difficulty: (DIFFICULTIES as readonly string[]).includes(difficulty)
        ? (difficulty as Difficulty)
        : null,
      tags: text(form.tags)
        .split(',')
        .map((t) => t.trim().slice(0, 60))
        .filter(Boolean)
        .slice(0, 30),
    };
  }

  private widgetOf(type: string, preview: Record<string, unknown> | null) {
    return preview ? candidateWidget(type, preview, 'jawaban') : null;
  }

  private renderEditor(
    req: FastifyRequest,
    reply: FastifyReply,
    bank: Awaited<ReturnType<QuestionBanksService['get']>>,
    question: {
      id?: string;
      type: string;
      name: string;
      stem: string;
      definition: Record<string, unknown>;
      points: number;
      generalFeedback: string;
      categoryId: string | null;
      competencyCode: string | null;
      competencyLevel: number | null;
      difficulty: string | null;
      tags: string[];
      version?: number;
    },
    extra: {
      checked?: { problems: string[]; preview: Record<string, unknown> | null };
      problems?: string[];
      formDefinition?: Record<string, unknown> | string;
    } = {},
    status = 200,
  ) {
    const editor = editorModel(question.type, question.definition);
    // The author edits a cloze in Moodle's syntax: its blanks written back into the text.
    if (question.type === 'cloze')
      question = { ...question, stem: clozeSource(question.stem, question.definition) };
    // Unreadable JSON goes back into the box as typed, not as the empty object.
    if (editor.kind === 'json' && typeof extra.formDefinition === 'string')
      editor.json = text((req.body as Form | undefined)?.definition);
    return this.pages.render(
      req,
      reply,
      'assessment/question-edit',
      {
        title: question.id ? question.name : 'Soal baru',
        bank,
        question: { ...question, tagText: question.tags.join(', ') },
        editor,
        types: this.types.list().map((t) => ({
          key: t.key,
          label: t.label.id,
          current: t.key === question.type,
        })),
        difficulties: DIFFICULTIES.map((d) => ({ key: d, current: d === question.difficulty })),
        categories: bank.categories.map((c) => ({
          ...c,
          current: c.id === question.categoryId,
          indent: '\u00a0\u00a0'.repeat(c.depth),
        })),
        problems: extra.problems ?? [],
        widget: this.widgetOf(question.type, extra.checked?.preview ?? null),
        stemHtml: (extra.checked?.preview as { stemHtml?: string } | null)?.stemHtml,
        scripts: ['/assets/question-editor.js'],
      },
      status,
    );
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
      type: text(query.type) || undefined,
      difficulty: (DIFFICULTIES as readonly string[]).includes(text(query.difficulty))
        ? (text(query.difficulty) as Difficulty)
        : undefined,
      q: text(query.q).slice(0, 100) || undefined,
      category: text(query.category) || undefined,
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
