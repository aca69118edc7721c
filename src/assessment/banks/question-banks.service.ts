import type { QuestionResponse } from './question-bank.response.js';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import type { JsonObject } from '../../database/columns.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import { AccessService } from '../../platform/auth/access.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { errorFamily } from '../../platform/http/domain-error.js';
import { renderMarkdown } from '../../platform/web/markdown.js';
import { QuestionTypeRegistry } from '../../registry/registries.js';
import { type InterchangeQuestion, InterchangeFileError, parseGift } from '../interchange/gift.js';
import { questionMeta } from '../interchange/tags.js';
import { parseMoodleXml, writeMoodleXml } from '../interchange/moodle-xml.js';
import {
  type MoodleFile,
  mapStrings,
  pluginfileNames,
  questionFileNames,
  rewritePluginfile,
} from '../interchange/moodle-files.js';
import { QuestionFilesService } from './question-files.service.js';

/** The interchange formats of `?format=` on import and export. */
const FORMATS = ['gift', 'moodle-xml'];
import { writeGift } from '../interchange/gift-writer.js';
import type { LoadedSector } from '../../registry/sector-loader.js';
import { LOADED_SECTORS } from '../../registry/sectors.service.js';
import type {
  BulkQuestionsDto,
  CreateBankDto,
  CreateCategoryDto,
  CreateQuestionDto,
  QuestionContentDto,
  QuestionQuery,
} from './question-bank.dto.js';
import { ExamCache } from '../engine/exam-cache.js';
import { categoryTree, ensureCategoryPath, withSubcategories } from './categories.js';
import { definitionProblems } from './definition-problems.js';
import {
  Question,
  QuestionBank,
  QuestionCategory,
  QuestionVersion,
} from './question-bank.entity.js';

export { categoryTree };

export const bankError = errorFamily({
  'bank.not_found': 'not_found',
  'bank.invalid': 'invalid',
  'bank.format': 'invalid',
});

/** A question as the API shows it: the declared response, one definition. */
export type QuestionView = QuestionResponse;

const bankView = (b: QuestionBank) => ({
  id: b.id,
  sector: b.sector,
  name: b.name,
  description: b.description,
  createdAt: b.createdAt.toISOString(),
});

/**
 * Question banks of the sectors: only their coordinators (and admins) see or change them.
 * Every question is validated by its type in the registry; editing a version an attempt
 * has shown makes a new version.
 */
@Injectable()
export class QuestionBanksService {
  constructor(
    @InjectRepository(QuestionBank) private readonly banks: Repository<QuestionBank>,
    @InjectRepository(QuestionCategory) private readonly categories: Repository<QuestionCategory>,
    @InjectRepository(Question) private readonly questions: Repository<Question>,
    @InjectRepository(QuestionVersion) private readonly versions: Repository<QuestionVersion>,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    private readonly questionFiles: QuestionFilesService,
    private readonly types: QuestionTypeRegistry,
    private readonly transactions: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly examCache: ExamCache,
  ) {}

  async list(caller: AuthUser) {
    const managed = this.access.managedSectors(caller);
    const rows = await this.banks.find({
      where: managed ? { sector: In(managed.length ? managed : ['-']) } : {},
      order: { name: 'ASC' },
    });
    return rows.map(bankView);
  }

  async create(actor: AuthUser, input: CreateBankDto) {
    if (!this.sectors.some((s) => s.manifest.key === input.sector))
      throw bankError('bank.invalid', {
        variant: 'sector',
        field: 'sector',
        params: { sector: input.sector },
      });
    this.access.requireSector(actor, input.sector);
    const now = new Date();
    const bank = this.banks.create({
      sector: input.sector,
      name: input.name,
      description: input.description ?? '',
      createdAt: now,
      updatedAt: now,
    });
    await this.banks.insert(bank);
    await this.audit.record({
      actor,
      action: 'bank.create',
      entityType: 'question_bank',
      entityId: bank.id,
      detail: { name: bank.name, sector: bank.sector },
    });
    return bankView(bank);
  }

  async get(caller: AuthUser, id: string) {
    const bank = await this.requireBank(caller, id);
    const [categories, count] = await Promise.all([
      this.categories.find({ where: { bankId: bank.id }, order: { name: 'ASC' } }),
      this.questions.countBy({ bankId: bank.id }),
    ]);
    return {
      ...bankView(bank),
      questionCount: count,
      categories: categoryTree(categories),
    };
  }

  async addCategory(actor: AuthUser, bankId: string, input: CreateCategoryDto) {
    const bank = await this.requireBank(actor, bankId);
    if (
      input.parentId &&
      !(await this.categories.existsBy({ id: input.parentId, bankId: bank.id }))
    ) {
      throw bankError('bank.invalid', { variant: 'parent', field: 'parentId' });
    }
    const category = this.categories.create({
      bankId: bank.id,
      parentId: input.parentId ?? null,
      name: input.name,
      info: input.info ?? '',
    });
    await this.categories.insert(category);
    await this.audit.record({
      actor,
      action: 'bank.category',
      entityType: 'question_bank',
      entityId: bank.id,
      detail: { category: category.name },
    });
    return {
      id: category.id,
      parentId: category.parentId,
      name: category.name,
      info: category.info,
    };
  }

  async listQuestions(
    caller: AuthUser,
    bankId: string,
    query: QuestionQuery,
  ): Promise<QuestionView[]> {
    const bank = await this.requireBank(caller, bankId);
    const rows = await this.questions.find({
      where: {
        bankId: bank.id,
        ...(query.type && { type: query.type }),
        ...(query.difficulty && { difficulty: query.difficulty }),
        ...(query.competency && { competencyCode: query.competency }),
        ...(query.category && { categoryId: query.category }),
      },
      order: { name: 'ASC' },
    });
    const text = query.q?.toLowerCase();
    const filtered = text
      ? rows.filter(
          (q) =>
            q.name.toLowerCase().includes(text) ||
            q.tags.some((t) => t.toLowerCase().includes(text)),
        )
      : rows;
    const current = filtered.length
      ? await this.versions.find({
          where: filtered.map((q) => ({ questionId: q.id, version: q.currentVersion })),
        })
      : [];
    const byQuestion = new Map(current.map((v) => [v.questionId, v]));
    return filtered.map((q) => this.view(q, byQuestion.get(q.id)!));
  }

  /** `idnumber`: from an imported file only, already checked free in the bank. */
  async addQuestion(
    actor: AuthUser,
    bankId: string,
    input: CreateQuestionDto,
    idnumber: string | null = null,
  ): Promise<QuestionView> {
    const bank = await this.requireBank(actor, bankId);
    this.checkDefinition(input.type, input.definition);
    await this.checkCategory(bank.id, input.categoryId);
    const now = new Date();
    const question = this.questions.create({
      bankId: bank.id,
      categoryId: input.categoryId ?? null,
      name: input.name,
      idnumber,
      type: input.type,
      currentVersion: 1,
      competencyCode: input.competencyCode ?? null,
      competencyLevel: input.competencyLevel ?? null,
      difficulty: input.difficulty ?? null,
      tags: input.tags ?? [],
      createdAt: now,
      updatedAt: now,
    });
    const version = this.versions.create({
      version: 1,
      stem: input.stem,
      definition: input.definition as JsonObject,
      points: input.points ?? 1,
      generalFeedback: input.generalFeedback ?? '',
      usedAt: null,
      createdBy: actor.id,
      createdAt: now,
    });
    await this.transactions.run(async (manager) => {
      await manager.getRepository(Question).insert(question);
      version.questionId = question.id;
      await manager.getRepository(QuestionVersion).save(version);
      await this.audit.record({
        actor,
        action: 'question.create',
        entityType: 'question',
        entityId: question.id,
        detail: { bank: bank.id, type: question.type },
      });
    });
    this.examCache.forgetPools();
    return this.view(question, version);
  }

  async getQuestion(caller: AuthUser, id: string, versionNumber?: number): Promise<QuestionView> {
    const question = await this.requireQuestion(caller, id);
    const all = await this.versions.find({
      where: { questionId: question.id },
      order: { version: 'ASC' },
    });
    const shown = all.find((v) => v.version === (versionNumber ?? question.currentVersion));
    if (!shown)
      throw bankError('bank.not_found', {
        variant: 'version',
        params: { version: String(versionNumber) },
      });
    return {
      ...this.view(question, shown),
      versions: all.map((v) => ({
        version: v.version,
        createdAt: v.createdAt.toISOString(),
        used: !!v.usedAt,
      })),
    };
  }

  /** Edits the content: in place while no attempt has shown it, else as a new version. */
  async updateQuestion(
    actor: AuthUser,
    id: string,
    input: QuestionContentDto,
  ): Promise<QuestionView> {
    const question = await this.requireQuestion(actor, id);
    const current = (await this.versions.findOneBy({
      questionId: question.id,
      version: question.currentVersion,
    }))!;
    const definition = (input.definition as JsonObject | undefined) ?? current.definition;
    if (input.definition) this.checkDefinition(question.type, definition);
    await this.checkCategory(question.bankId, input.categoryId);
    const content = {
      stem: input.stem ?? current.stem,
      definition,
      points: input.points ?? current.points,
      generalFeedback: input.generalFeedback ?? current.generalFeedback,
    };
    const now = new Date();
    await this.transactions.run(async (manager) => {
      const versions = manager.getRepository(QuestionVersion);
      let version = question.currentVersion;
      // In place only while unused, checked in the write itself: a start that marks the
      // version first (it draws what publication did not mark) makes this a new version.
      // (`as never`: the JSON definition is too deep for TypeORM's partial-entity type.)
      const inPlace =
        !current.usedAt &&
        (await versions.update({ id: current.id, usedAt: IsNull() }, content as never)).affected ===
          1;
      if (!inPlace) {
        version += 1;
        await versions.save(
          versions.create({
            questionId: question.id,
            version,
            ...content,
            usedAt: null,
            createdBy: actor.id,
            createdAt: now,
          }),
        );
      }
      await manager.getRepository(Question).update(
        { id: question.id },
        {
          currentVersion: version,
          updatedAt: now,
          ...(input.name !== undefined && { name: input.name }),
          ...(input.categoryId !== undefined && { categoryId: input.categoryId }),
          ...(input.competencyCode !== undefined && { competencyCode: input.competencyCode }),
          ...(input.competencyLevel !== undefined && { competencyLevel: input.competencyLevel }),
          ...(input.difficulty !== undefined && { difficulty: input.difficulty }),
          ...(input.tags !== undefined && { tags: input.tags }),
        },
      );
      await this.audit.record({
        actor,
        action: 'question.update',
        entityType: 'question',
        entityId: question.id,
        detail: { version },
      });
    });
    this.examCache.forgetPools();
    return this.getQuestion(actor, id);
  }

  /** The question as a candidate will see it: rendered stem and the type's view, no key. */
  async preview(caller: AuthUser, id: string, versionNumber?: number) {
    const question = await this.getQuestion(caller, id, versionNumber);
    const type = this.types.get(question.type);
    return {
      id: question.id,
      type: question.type,
      version: question.version,
      stemHtml: renderMarkdown(question.stem),
      points: question.points,
      ...(type ? type.candidateView(question.definition) : {}),
    };
  }

  /**
   * Imports a GIFT file into a bank: each question is checked by its type; the ones that
   * fail are reported with their line, the rest are stored (nothing when `dryRun`).
   */
  async importFile(
    actor: AuthUser,
    bankId: string,
    file: Buffer | string,
    format: string,
    dryRun = false,
  ) {
    const bank = await this.requireBank(actor, bankId);
    this.checkFormat(format);
    let parsed: {
      questions: (InterchangeQuestion & { line: number; files?: MoodleFile[] })[];
      skipped: { line: number; name: string; reason: string }[];
      warnings?: { line: number; name: string; reason: string }[];
    };
    try {
      parsed = format === 'gift' ? parseGift(file) : parseMoodleXml(file);
    } catch (error) {
      if (error instanceof InterchangeFileError)
        throw bankError('bank.invalid', {
          variant: 'file',
          field: 'file',
          params: { problem: error.message },
        });
      throw error;
    }
    const skipped = [...parsed.skipped];
    const valid = parsed.questions.filter((q) => {
      const problems = definitionProblems(this.types, q.type, q.definition);
      // The editor's bounds for a mark hold for a file too.
      if (q.points !== undefined && !(q.points >= 0 && q.points <= 1000))
        problems.push(`nilai soal ${q.points} harus 0–1000`);
      if (problems.length)
        skipped.push({ line: q.line, name: q.name, reason: problems.join('; ') });
      return !problems.length;
    });
    skipped.sort((a, b) => a.line - b.line);
    const warnings = [...(parsed.warnings ?? [])];
    const carried = await this.carryFiles(actor, bank.id, format, valid, warnings, dryRun);
    warnings.sort((a, b) => a.line - b.line);
    if (dryRun)
      return {
        imported: 0,
        wouldImport: valid.length,
        skipped,
        warnings,
        questions: valid.map((q) => ({
          line: q.line,
          name: q.name,
          type: q.type,
          category: q.category,
        })),
      };
    const categoryIds = new Map<string, string>();
    // As Moodle's import: an idnumber already taken (in the bank, or earlier in the file)
    // is dropped and the question kept.
    const taken = new Set(
      (await this.questions.find({ select: { idnumber: true }, where: { bankId: bank.id } }))
        .map((q) => q.idnumber)
        .filter(Boolean),
    );
    for (const question of carried) {
      const categoryId = question.category
        ? ((await ensureCategoryPath(this.categories, bank.id, question.category, categoryIds)) ??
          undefined)
        : undefined;
      const meta = questionMeta(question.tags);
      const idnumber = question.idnumber?.slice(0, 100) || null;
      const keepId = !!idnumber && !taken.has(idnumber);
      if (keepId) taken.add(idnumber);
      await this.addQuestion(
        actor,
        bank.id,
        {
          name: question.name.slice(0, 200),
          type: question.type,
          stem: question.stem,
          definition: question.definition,
          points: question.points,
          generalFeedback: question.generalFeedback,
          categoryId,
          tags: meta.tags,
          competencyCode: meta.competencyCode ?? undefined,
          competencyLevel: meta.competencyLevel ?? undefined,
          difficulty: meta.difficulty ?? undefined,
        },
        keepId ? idnumber : null,
      );
    }
    await this.audit.record({
      actor,
      action: 'bank.import',
      entityType: 'question_bank',
      entityId: bank.id,
      detail: {
        format,
        imported: valid.length,
        skipped: skipped.length,
        warnings: warnings.length,
      },
    });
    return { imported: valid.length, skipped, warnings };
  }

  /**
   * The files an import's questions carry, stored, and their `@@PLUGINFILE@@` references
   * turned into the app's addresses (ADR 0034). Whatever is not brought in (a refused or
   * missing file, any reference GIFT cannot carry bytes for) is a warning with the
   * question's line and name: the question is kept, nothing is dropped unsaid.
   */
  private async carryFiles<Q extends InterchangeQuestion & { line: number; files?: MoodleFile[] }>(
    actor: AuthUser,
    bankId: string,
    format: string,
    questions: Q[],
    warnings: { line: number; name: string; reason: string }[],
    dryRun: boolean,
  ): Promise<Q[]> {
    const out: Q[] = [];
    for (const question of questions) {
      const urls = new Map<string, string>();
      const refused = new Set<string>();
      for (const file of question.files ?? []) {
        const problem = this.questionFiles.refusal(file.content, file.name);
        if (problem) {
          refused.add(file.name);
          warnings.push({ line: question.line, name: question.name, reason: problem });
        } else if (dryRun) urls.set(file.name, file.name);
        else
          urls.set(
            file.name,
            (await this.questionFiles.store(actor, bankId, file.content, file.name)).url,
          );
      }
      const rewrite = (text: string) => rewritePluginfile(text, (name) => urls.get(name));
      const rewritten = {
        ...question,
        stem: rewrite(question.stem),
        generalFeedback: rewrite(question.generalFeedback),
        definition: mapStrings(question.definition, rewrite),
      };
      const texts = [
        rewritten.stem,
        rewritten.generalFeedback,
        JSON.stringify(rewritten.definition),
      ];
      const missing = new Set(
        texts.flatMap(pluginfileNames).filter((n) => !urls.has(n) && !refused.has(n)),
      );
      for (const name of missing)
        warnings.push({
          line: question.line,
          name: question.name,
          reason:
            format === 'gift'
              ? `GIFT tidak dapat membawa berkas "${name}"; unggah gambarnya di penyunting soal`
              : `berkas "${name}" dirujuk tetapi tidak ada di dalam impor`,
        });
      // An app address copied from another bank or installation (a GIFT export) shows
      // nothing here: this bank holds no such file, and no other bank's is lent to it.
      const foreign = dryRun
        ? []
        : await this.questionFiles.missingIn(bankId, [
            ...new Set(texts.flatMap(questionFileNames)),
          ]);
      for (const name of foreign)
        warnings.push({
          line: question.line,
          name: question.name,
          reason: `berkas "${name}" tidak ada di bank ini; unggah gambarnya di penyunting soal`,
        });
      out.push(rewritten);
    }
    return out;
  }

  /**
   * The editor's "add image": stores the file and puts it at the end of the question's
   * text (a new version once the question has been used), so no script is needed.
   */
  async addImageToStem(
    actor: AuthUser,
    bankId: string,
    questionId: string,
    content: Buffer,
    filename: string,
    alt: string,
  ): Promise<QuestionView> {
    const question = await this.requireQuestion(actor, questionId);
    if (question.bankId !== bankId) throw bankError('bank.not_found', { variant: 'question' });
    const { stem } = await this.getQuestion(actor, questionId);
    const stored = await this.uploadFile(actor, bankId, content, filename);
    const escaped = alt.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`).slice(0, 200);
    const tag =
      stored.name.endsWith('.jpg') || /\.(png|gif|webp)$/.test(stored.name)
        ? `<img src="${stored.url}" alt="${escaped}">`
        : `<audio controls src="${stored.url}"></audio>`;
    return this.updateQuestion(actor, questionId, { stem: `${stem.trimEnd()}\n\n${tag}\n` });
  }

  /** Stores an image or audio file for a bank's questions; its address goes into a text. */
  async uploadFile(actor: AuthUser, bankId: string, content: Buffer, filename: string) {
    const bank = await this.requireBank(actor, bankId);
    const stored = await this.questionFiles.store(actor, bank.id, content, filename);
    await this.audit.record({
      actor,
      action: 'bank.file',
      entityType: 'question_bank',
      entityId: bank.id,
      detail: { name: stored.name },
    });
    return stored;
  }

  /** A bank (or one category of it) as GIFT. */
  async exportFile(
    caller: AuthUser,
    bankId: string,
    format: string,
    categoryId?: string,
  ): Promise<string> {
    const bank = await this.requireBank(caller, bankId);
    this.checkFormat(format);
    const categories = await this.categories.find({ where: { bankId: bank.id } });
    const tree = categoryTree(categories);
    const pathOf = (id: string | null) => tree.find((c) => c.id === id)?.path ?? null;
    // A category's export holds its subcategories too, as Moodle's does.
    if (categoryId && !categories.some((c) => c.id === categoryId))
      throw bankError('bank.invalid', { variant: 'category', field: 'category' });
    const inside = categoryId ? withSubcategories(categories, categoryId) : null;
    const questions = (await this.listQuestions(caller, bank.id, {})).filter(
      (q) => !inside || (!!q.categoryId && inside.has(q.categoryId)),
    );
    // GIFT has no cloze: say so, and which format carries it, rather than fail on it.
    const cloze = format === 'gift' ? questions.find((q) => q.type === 'cloze') : undefined;
    if (cloze)
      throw bankError('bank.invalid', {
        variant: 'file',
        field: 'format',
        params: {
          problem: `GIFT tidak mengenal soal isian rumpang (cloze) "${cloze.name}": ekspor sebagai Moodle XML`,
        },
      });
    const idnumbers = new Map(
      (
        await this.questions.find({
          select: { id: true, idnumber: true },
          where: { bankId: bank.id },
        })
      ).map((q) => [q.id, q.idnumber]),
    );
    const exported = questions.map((q) => ({
      name: q.name,
      type: q.type,
      stem: q.stem,
      definition: q.definition as JsonObject,
      points: q.points,
      generalFeedback: q.generalFeedback,
      category: pathOf(q.categoryId),
      // The fields travel as tags, so an export imports back with them.
      tags: [
        ...q.tags,
        ...(q.competencyCode ? [`kompetensi:${q.competencyCode}`] : []),
        ...(q.competencyLevel ? [`level:${q.competencyLevel}`] : []),
        ...(q.difficulty ? [`kesulitan:${q.difficulty}`] : []),
      ],
      idnumber: idnumbers.get(q.id) ?? null,
    }));
    if (format === 'gift') return writeGift(exported);
    // Moodle XML carries the bytes of the files the texts name (ADR 0034).
    const names = exported.flatMap((q) =>
      [q.stem, q.generalFeedback, JSON.stringify(q.definition)].flatMap(questionFileNames),
    );
    return writeMoodleXml(exported, await this.questionFiles.bytesOf(bank.id, names));
  }

  private checkFormat(format: string): void {
    if (!FORMATS.includes(format))
      throw bankError('bank.format', { field: 'format', params: { formats: FORMATS.join(', ') } });
  }

  /**
   * A draft from the editor, judged by its type and shown as the candidate would see it.
   * Nothing is saved, so a coordinator can try a question before keeping it.
   */
  async previewDraft(
    caller: AuthUser,
    bankId: string,
    draft: { type: string; stem: string; definition: Record<string, unknown> },
  ) {
    await this.requireBank(caller, bankId);
    const type = this.types.get(draft.type);
    const problems = definitionProblems(this.types, draft.type, draft.definition);
    if (!type) return { problems, preview: null };
    return {
      problems,
      preview: problems.length
        ? null
        : {
            type: draft.type,
            stemHtml: renderMarkdown(draft.stem),
            ...type.candidateView(draft.definition),
          },
    };
  }

  /** Moves questions to a category (null: none) and adds or removes tags, in one go. */
  async bulkUpdate(actor: AuthUser, bankId: string, input: BulkQuestionsDto) {
    const bank = await this.requireBank(actor, bankId);
    if (input.categoryId) await this.checkCategory(bank.id, input.categoryId);
    const rows = input.questionIds.length
      ? await this.questions.findBy({ bankId: bank.id, id: In(input.questionIds) })
      : [];
    if (rows.length !== new Set(input.questionIds).size)
      throw bankError('bank.invalid', { variant: 'questions', field: 'questionIds' });
    const add = (input.addTags ?? []).map((t) => t.trim()).filter(Boolean);
    const remove = new Set((input.removeTags ?? []).map((t) => t.trim()));
    const now = new Date();
    await this.transactions.run(async (manager) => {
      for (const question of rows) {
        const tags = [...new Set([...question.tags, ...add])].filter((t) => !remove.has(t));
        await manager.getRepository(Question).update(
          { id: question.id },
          {
            tags: tags.slice(0, 30),
            updatedAt: now,
            ...(input.categoryId !== undefined && { categoryId: input.categoryId || null }),
          },
        );
      }
      await this.audit.record({
        actor,
        action: 'question.bulk',
        entityType: 'question_bank',
        entityId: bank.id,
        detail: {
          count: rows.length,
          ...(input.categoryId !== undefined && { categoryId: input.categoryId }),
          ...(add.length && { addTags: add }),
          ...(remove.size && { removeTags: [...remove] }),
        },
      });
    });
    this.examCache.forgetPools();
    return { updated: rows.length };
  }

  /** Called by the assessment engine when an attempt first shows a version. */
  async markUsed(questionId: string, version: number): Promise<void> {
    await this.versions.update({ questionId, version, usedAt: IsNull() }, { usedAt: new Date() });
    this.examCache.forgetPools();
  }

  private async requireBank(caller: AuthUser, id: string): Promise<QuestionBank> {
    const bank = await this.banks.findOneBy({ id });
    // Another sector's bank is reported as missing, not forbidden, so ids reveal nothing.
    if (!bank || !this.access.canManageSector(caller, bank.sector)) {
      if (bank && caller.role === 'coordinator') this.access.requireSector(caller, bank.sector);
      throw bankError('bank.not_found');
    }
    return bank;
  }

  private async requireQuestion(caller: AuthUser, id: string): Promise<Question> {
    const question = await this.questions.findOneBy({ id });
    if (!question) throw bankError('bank.not_found', { variant: 'question' });
    await this.requireBank(caller, question.bankId);
    return question;
  }

  private checkDefinition(typeKey: string, definition: unknown): void {
    const type = this.types.get(typeKey);
    if (!type)
      throw bankError('bank.invalid', {
        variant: 'type',
        field: 'type',
        params: {
          type: typeKey,
          known: this.types
            .list()
            .map((t) => t.key)
            .join(', '),
        },
      });
    const problems = definitionProblems(this.types, typeKey, definition);
    if (problems.length)
      throw bankError('bank.invalid', {
        variant: 'definition',
        field: 'definition',
        params: { problems: problems.join('; ') },
      });
  }

  private async checkCategory(bankId: string, categoryId: string | undefined): Promise<void> {
    if (categoryId && !(await this.categories.existsBy({ id: categoryId, bankId })))
      throw bankError('bank.invalid', { variant: 'category', field: 'categoryId' });
  }

  private view(
    q: Question,
    v: Pick<QuestionVersion, 'version' | 'stem' | 'definition' | 'points' | 'generalFeedback'>,
  ): QuestionView {
    return {
      id: q.id,
      bankId: q.bankId,
      categoryId: q.categoryId,
      name: q.name,
      type: q.type,
      version: v.version,
      stem: v.stem,
      definition: v.definition,
      points: v.points,
      generalFeedback: v.generalFeedback,
      competencyCode: q.competencyCode,
      competencyLevel: q.competencyLevel,
      difficulty: q.difficulty,
      tags: q.tags,
    };
  }
}
