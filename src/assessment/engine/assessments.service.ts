import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { CompetenciesService } from '../../competency/competencies.service.js';
import { User } from '../../identity/user.entity.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import { AccessService } from '../../platform/auth/access.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Clock } from '../../platform/clock.js';
import { DomainError, errorFamily } from '../../platform/http/domain-error.js';
import type { LoadedSector } from '../../registry/sector-loader.js';
import { LOADED_SECTORS, SectorsService } from '../../registry/sectors.service.js';
import {
  Question,
  QuestionBank,
  QuestionCategory,
  QuestionVersion,
} from '../banks/question-bank.entity.js';
import { withSubcategories } from '../banks/categories.js';
import type { CreateAssessmentDto, UpdateAssessmentDto } from './assessment.dto.js';
import { Assessment, type Audience, type SectionSpec } from './assessment.entity.js';
import { ExamCache, type PoolVersion } from './exam-cache.js';

export const assessmentError = errorFamily({
  'assessment.not_found': 'not_found',
  'assessment.invalid': 'invalid',
  'assessment.refused': 'refused',
  'assessment.closed': 'conflict',
  'assessment.forbidden': 'forbidden',
});

export type AssessmentView = ReturnType<typeof assessmentView>;

/** A question of a draw pool: enough to draw it and find the version an attempt shows. */
export type PoolQuestion = Pick<Question, 'id' | 'type' | 'currentVersion'>;

export const assessmentView = (a: Assessment) => ({
  id: a.id,
  sector: a.sector,
  title: a.title,
  instructions: a.instructions,
  sections: a.sections,
  shuffle: a.shuffle,
  timeLimitMinutes: a.timeLimitMinutes,
  maxAttempts: a.maxAttempts,
  scoring: a.scoring,
  passPercent: a.passPercent,
  opensAt: a.opensAt?.toISOString() ?? null,
  closesAt: a.closesAt?.toISOString() ?? null,
  audience: a.audience,
  reviewPolicy: a.reviewPolicy,
  reviewAfterClose: a.reviewAfterClose,
  attests: a.attests,
  layout: a.layout,
  supervised: a.supervised,
  status: a.status,
  questionCount: a.sections.reduce((n, s) => n + (s.questionIds?.length || s.count), 0),
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

/**
 * Assessment blueprints of the sectors: coordinators write them, candidates see the
 * published ones their audience includes while the window is open.
 */
@Injectable()
export class AssessmentsService {
  constructor(
    @InjectRepository(Assessment) private readonly assessments: Repository<Assessment>,
    @InjectRepository(QuestionBank) private readonly banks: Repository<QuestionBank>,
    @InjectRepository(QuestionCategory) private readonly categories: Repository<QuestionCategory>,
    @InjectRepository(Question) private readonly questions: Repository<Question>,
    @InjectRepository(QuestionVersion) private readonly versions: Repository<QuestionVersion>,
    private readonly competencies: CompetenciesService,
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    private readonly sectorStates: SectorsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cache: ExamCache,
  ) {}

  async create(actor: AuthUser, input: CreateAssessmentDto): Promise<AssessmentView> {
    if (!this.sectors.some((s) => s.manifest.key === input.sector))
      throw assessmentError('assessment.invalid', {
        variant: 'sector',
        field: 'sector',
        params: { sector: input.sector },
      });
    this.access.requireSector(actor, input.sector);
    const now = this.clock.now();
    const assessment = this.assessments.create({
      sector: input.sector,
      title: input.title,
      instructions: input.instructions ?? '',
      sections: [],
      shuffle: input.shuffle ?? true,
      timeLimitMinutes: input.timeLimitMinutes ?? null,
      maxAttempts: input.maxAttempts ?? 1,
      scoring: input.scoring ?? 'highest',
      passPercent: input.passPercent ?? 70,
      opensAt: null,
      closesAt: null,
      audience: { everyone: true },
      reviewPolicy: input.reviewPolicy ?? 'score',
      reviewAfterClose: input.reviewAfterClose ?? false,
      attests: [],
      layout: input.layout ?? 'all',
      supervised: input.supervised ?? false,
      status: 'draft',
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await this.applyChecked(actor, assessment, input);
    await this.assessments.insert(assessment);
    await this.audit.record({
      actor,
      action: 'assessment.create',
      entityType: 'assessment',
      entityId: assessment.id,
      detail: { title: assessment.title, sector: assessment.sector },
    });
    return assessmentView(assessment);
  }

  /** Edits apply to attempts started afterwards; attempts already started keep their questions. */
  async update(actor: AuthUser, id: string, input: UpdateAssessmentDto): Promise<AssessmentView> {
    const assessment = await this.requireManaged(actor, id);
    const before = assessmentView(assessment);
    await this.applyChecked(actor, assessment, input);
    if (assessment.status === 'published')
      await this.markPoolUsed(await this.checkPools(assessment));
    assessment.updatedAt = this.clock.now();
    await this.assessments.save(assessment);
    this.cache.forgetAssessment(id);
    const after = assessmentView(assessment);
    await this.audit.record({
      actor,
      action: 'assessment.update',
      entityType: 'assessment',
      entityId: id,
      detail: {
        changed: Object.keys(input).filter(
          (k) =>
            JSON.stringify(before[k as keyof AssessmentView]) !==
            JSON.stringify(after[k as keyof AssessmentView]),
        ),
      },
    });
    return after;
  }

  async publish(actor: AuthUser, id: string): Promise<AssessmentView> {
    const assessment = await this.requireManaged(actor, id);
    await this.markPoolUsed(await this.checkPools(assessment));
    assessment.status = 'published';
    assessment.updatedAt = this.clock.now();
    await this.assessments.save(assessment);
    this.cache.forgetAssessment(id);
    await this.audit.record({
      actor,
      action: 'assessment.publish',
      entityType: 'assessment',
      entityId: id,
      detail: { title: assessment.title },
    });
    return assessmentView(assessment);
  }

  /** Coordinators see their sectors' assessments; everyone else the ones they may sit. */
  async list(caller: AuthUser, sector?: string): Promise<AssessmentView[]> {
    const managed = this.access.managedSectors(caller);
    if (caller.role !== 'asn') {
      const sectors = managed ?? null;
      const rows = await this.assessments.find({
        where: {
          ...(sectors && { sector: In(sectors.length ? sectors : ['-']) }),
          ...(sector && { sector }),
        },
        order: { createdAt: 'DESC' },
      });
      return rows.map(assessmentView);
    }
    return (await this.availableTo(caller)).filter((a) => !sector || a.sector === sector);
  }

  /**
   * Published assessments of enabled sectors whose audience holds the user; the window is
   * shown, not filtered. A switched-off sector's exams are not offered (ADR 0021).
   */
  async availableTo(caller: AuthUser): Promise<AssessmentView[]> {
    const enabled = await this.sectorStates.enabledKeys();
    const rows = await this.assessments.find({
      where: { status: 'published', sector: In(enabled.length ? enabled : ['-']) },
      order: { title: 'ASC' },
    });
    if (!rows.length) return [];
    const user = await this.candidateOf(caller.id);
    return rows.filter((a) => mayAttend(a.audience, user)).map(assessmentView);
  }

  async get(caller: AuthUser, id: string): Promise<AssessmentView> {
    const assessment = await this.assessments.findOneBy({ id });
    if (assessment && this.access.canManageSector(caller, assessment.sector))
      return assessmentView(assessment);
    // Anyone in the audience sees it as a candidate, as they may start it: a coordinator of
    // another sector is a civil servant too.
    if (assessment?.status === 'published') {
      const user = await this.candidateOf(caller.id);
      if (mayAttend(assessment.audience, user)) return assessmentView(assessment);
    }
    if (assessment && caller.role === 'coordinator')
      this.access.requireSector(caller, assessment.sector);
    throw assessmentError('assessment.not_found');
  }

  /** The assessment a candidate may start now, or the reason they may not. */
  async requireOpenFor(caller: AuthUser, id: string): Promise<Assessment> {
    const assessment = await this.settingsOf(id);
    if (
      !assessment ||
      assessment.status !== 'published' ||
      !(await this.attends(caller, assessment))
    )
      throw assessmentError('assessment.not_found');
    await this.sectorStates.requireEnabled(assessment.sector);
    const now = this.clock.now();
    if (assessment.opensAt && now < assessment.opensAt)
      throw assessmentError('assessment.refused', { field: 'opensAt' });
    if (assessment.closesAt && now >= assessment.closesAt)
      throw assessmentError('assessment.closed', { field: 'closesAt' });
    return assessment;
  }

  /**
   * The assessment's row as starts, submits and the exam page read it, from the exam cache
   * (ExamCache): shared between callers, never to be changed.
   */
  settingsOf(id: string): Promise<Assessment | null> {
    return this.cache.assessments.get(id, () => this.assessments.findOneBy({ id }));
  }

  /** Whether the caller is in the audience; an exam for everyone needs no look at the account. */
  private async attends(caller: AuthUser, assessment: Assessment): Promise<boolean> {
    if (assessment.audience.everyone) return true;
    return mayAttend(assessment.audience, await this.candidateOf(caller.id));
  }

  /** Ids of a sector's assessments (what switching the sector off closes). */
  async idsOfSector(sector: string): Promise<string[]> {
    const rows = await this.assessments.find({ select: { id: true }, where: { sector } });
    return rows.map((r) => r.id);
  }

  async requireManaged(caller: AuthUser, id: string): Promise<Assessment> {
    const assessment = await this.assessments.findOneBy({ id });
    if (!assessment) throw assessmentError('assessment.not_found');
    this.access.requireSector(caller, assessment.sector);
    return assessment;
  }

  /**
   * The questions each section may draw from (ids of current questions), in section order.
   * Fixed questions must be in the section's bank.
   */
  async poolsOf(assessment: Assessment): Promise<string[][]> {
    return (await this.poolQuestionsOf(assessment)).map((pool) => pool.map((q) => q.id));
  }

  /**
   * What a start draws from, from the exam cache (ExamCache): each section's questions at
   * their current version, in the pool's order. Shared between starts, never to be changed.
   */
  drawPoolsOf(assessment: Assessment): Promise<PoolVersion[][]> {
    return this.cache.pools.get(assessment.id, async () => {
      const pools = await this.poolQuestionsOf(assessment);
      const current = await this.currentVersionsOf(pools.flat());
      return pools.map((pool) =>
        pool
          .filter((q) => current.has(q.id))
          .map((q) => Object.assign(current.get(q.id)!, { type: q.type })),
      );
    });
  }

  /** Each question's current version, by question id. */
  private async currentVersionsOf(
    questions: PoolQuestion[],
  ): Promise<Map<string, QuestionVersion>> {
    const found = new Map<string, QuestionVersion>();
    for (let i = 0; i < questions.length; i += 500) {
      const rows = await this.versions
        .createQueryBuilder('v')
        .innerJoin(Question, 'q', 'q.id = v.questionId AND q.currentVersion = v.version')
        .where('v.questionId IN (:...ids)', { ids: questions.slice(i, i + 500).map((q) => q.id) })
        .getMany();
      for (const row of rows) found.set(row.questionId, row);
    }
    return found;
  }

  /**
   * The kinds of question an exam holds, for its start page: a section whose pool is of one
   * kind (or fixed questions) gives an exact count; a mixed pool names its kinds as possible
   * (count null), since the draw decides. Read with the candidate's access to the exam.
   */
  async contentsOf(
    caller: AuthUser,
    id: string,
  ): Promise<{ type: string; count: number | null }[]> {
    await this.get(caller, id);
    const assessment = (await this.settingsOf(id))!;
    const pools = await this.poolQuestionsOf(assessment);
    const exact = new Map<string, number>();
    const possible = new Set<string>();
    assessment.sections.forEach((section, i) => {
      const pool = pools[i] ?? [];
      // Fixed questions, or a draw of the whole pool: every question is known.
      if (section.questionIds?.length || section.count >= pool.length) {
        for (const q of pool) exact.set(q.type, (exact.get(q.type) ?? 0) + 1);
        return;
      }
      const types = new Set(pool.map((q) => q.type));
      if (types.size === 1) {
        const [type] = types;
        exact.set(type, (exact.get(type) ?? 0) + section.count);
      } else for (const type of types) possible.add(type);
    });
    return [
      ...[...exact].map(([type, count]) => ({ type, count })),
      ...[...possible].filter((t) => !exact.has(t)).map((type) => ({ type, count: null })),
    ];
  }

  /** The pools with what a draw needs of each question: its type and current version. */
  async poolQuestionsOf(assessment: Assessment): Promise<PoolQuestion[][]> {
    const select = { id: true, type: true, currentVersion: true };
    const pools: PoolQuestion[][] = [];
    for (const section of assessment.sections) {
      if (section.questionIds?.length) {
        const found = await this.questions.find({
          select,
          where: { bankId: section.bankId, id: In(section.questionIds) },
        });
        const byId = new Map(found.map((q) => [q.id, q]));
        pools.push(section.questionIds.filter((id) => byId.has(id)).map((id) => byId.get(id)!));
        continue;
      }
      let categoryIds: string[] | undefined;
      if (section.category) {
        categoryIds = [
          ...withSubcategories(
            await this.categories.findBy({ bankId: section.bankId }),
            section.category,
          ),
        ];
      }
      pools.push(
        await this.questions.find({
          select,
          where: {
            bankId: section.bankId,
            ...(categoryIds && { categoryId: In(categoryIds.length ? categoryIds : ['-']) }),
            ...(section.competencyCode && { competencyCode: section.competencyCode }),
            ...(section.difficulty && { difficulty: section.difficulty as never }),
          },
          order: { name: 'ASC', id: 'ASC' },
        }),
      );
    }
    return pools;
  }

  /**
   * From publication on, an edit of a question the exam may draw makes a new version: every
   * version of the pool's questions is marked used now, so that starts need not mark the
   * same rows for every candidate (a version added later is marked by the first start that
   * draws it). Older versions of a question are used already: a new one is made only then.
   */
  private async markPoolUsed(pools: string[][]): Promise<void> {
    const ids = [...new Set(pools.flat())];
    const now = this.clock.now();
    for (let i = 0; i < ids.length; i += 500)
      await this.versions
        .createQueryBuilder()
        .update()
        .set({ usedAt: now })
        .where({ questionId: In(ids.slice(i, i + 500)) })
        .andWhere('usedAt IS NULL')
        .execute();
  }

  /** Why the blueprint cannot be drawn yet (its banks too small), or null: for the preview. */
  async readinessProblem(actor: AuthUser, id: string): Promise<DomainError | null> {
    const assessment = await this.requireManaged(actor, id);
    try {
      await this.checkPools(assessment);
      return null;
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'refused') return error;
      throw error;
    }
  }

  /** Refuses a blueprint its banks cannot fill; the pools' question ids otherwise. */
  private async checkPools(assessment: Assessment): Promise<string[][]> {
    if (!assessment.sections.length)
      throw assessmentError('assessment.refused', { variant: 'noSections', field: 'sections' });
    const pools = await this.poolsOf(assessment);
    const short = assessment.sections.findIndex((section, i) => {
      const wanted = section.questionIds?.length ? section.questionIds.length : section.count;
      return pools[i].length < wanted || wanted === 0;
    });
    if (short >= 0) {
      // Named as the coordinator sees it: the section's number, its bank and its filters.
      const section = assessment.sections[short];
      const wanted = section.questionIds?.length ? section.questionIds.length : section.count;
      const bank = await this.banks.findOneBy({ id: section.bankId });
      const filters = [section.competencyCode, section.difficulty].filter(Boolean);
      throw assessmentError('assessment.refused', {
        variant: 'section',
        field: `sections[${short}].count`,
        params: {
          number: short + 1,
          bank: bank?.name ?? section.bankId,
          criteria: filters.length ? `, ${filters.join(', ')}` : '',
          wanted: wanted || 1,
          available: pools[short].length,
        },
      });
    }
    return pools;
  }

  /**
   * Copies the input onto the assessment after checking what a DTO cannot, among it that
   * the actor may attest what a pass will evidence (ADR 0012): the attests it keeps as well
   * as new ones, so a coordinator cannot change an exam that vouches for a national
   * competency, which only an admin may set.
   */
  private async applyChecked(
    actor: AuthUser,
    assessment: Assessment,
    input: UpdateAssessmentDto,
  ): Promise<void> {
    if (input.sections) {
      const bankIds = [...new Set(input.sections.map((s) => s.bankId))];
      const banks = await this.banks.findBy({ id: In(bankIds) });
      input.sections.forEach((s, i) => {
        const bank = banks.find((b) => b.id === s.bankId);
        if (!bank || bank.sector !== assessment.sector)
          throw assessmentError('assessment.invalid', {
            variant: 'bank',
            field: `sections[${i}].bankId`,
            params: { sector: assessment.sector },
          });
      });
      assessment.sections = input.sections.map((s): SectionSpec => ({
        bankId: s.bankId,
        count: s.count,
        ...(s.category && { category: s.category }),
        ...(s.competencyCode && { competencyCode: s.competencyCode }),
        ...(s.difficulty && { difficulty: s.difficulty }),
        ...(s.questionIds?.length && { questionIds: [...new Set(s.questionIds)] }),
      }));
    }
    // Checked on every write, the attests a record keeps too: a coordinator cannot edit an
    // exam that attests what they may not (ADR 0012).
    await this.competencies.requireAttestable(
      actor,
      assessment.sector,
      input.attests ?? assessment.attests,
    );
    if (input.attests)
      assessment.attests = input.attests.map((a) => ({
        competencyCode: a.competencyCode,
        level: a.level,
      }));
    const opensAt = input.opensAt === undefined ? assessment.opensAt : dateOrNull(input.opensAt);
    const closesAt =
      input.closesAt === undefined ? assessment.closesAt : dateOrNull(input.closesAt);
    if (opensAt && closesAt && closesAt <= opensAt)
      throw assessmentError('assessment.invalid', { variant: 'window', field: 'closesAt' });
    Object.assign(assessment, {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.instructions !== undefined && { instructions: input.instructions }),
      ...(input.shuffle !== undefined && { shuffle: input.shuffle }),
      ...(input.timeLimitMinutes !== undefined && { timeLimitMinutes: input.timeLimitMinutes }),
      ...(input.maxAttempts !== undefined && { maxAttempts: input.maxAttempts }),
      ...(input.scoring !== undefined && { scoring: input.scoring }),
      ...(input.passPercent !== undefined && { passPercent: input.passPercent }),
      ...(input.reviewPolicy !== undefined && { reviewPolicy: input.reviewPolicy }),
      ...(input.reviewAfterClose !== undefined && { reviewAfterClose: input.reviewAfterClose }),
      ...(input.layout !== undefined && { layout: input.layout }),
      ...(input.supervised !== undefined && { supervised: input.supervised }),
      ...(input.audience !== undefined && {
        audience: {
          everyone: input.audience.everyone,
          userIds: input.audience.userIds ?? [],
          positionCodes: input.audience.positionCodes ?? [],
          orgUnitCodes: input.audience.orgUnitCodes ?? [],
        },
      }),
      opensAt,
      closesAt,
    });
  }

  private async candidateOf(userId: string) {
    const user = await this.users.findOne({
      where: { id: userId },
      relations: { position: true, orgUnit: true },
    });
    return {
      id: userId,
      positionCode: user?.position?.code ?? null,
      orgUnitCode: user?.orgUnit?.code ?? null,
    };
  }
}

const dateOrNull = (value: string | null | undefined) => (value ? new Date(value) : null);

/** Whether a user is in an assessment's audience. */
export function mayAttend(
  audience: Audience,
  user: { id: string; positionCode: string | null; orgUnitCode: string | null },
): boolean {
  return (
    audience.everyone ||
    !!audience.userIds?.includes(user.id) ||
    (!!user.positionCode && !!audience.positionCodes?.includes(user.positionCode)) ||
    (!!user.orgUnitCode && !!audience.orgUnitCodes?.includes(user.orgUnitCode))
  );
}
