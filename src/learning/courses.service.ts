import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Repository } from 'typeorm';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { CompetenciesService } from '../competency/competencies.service.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { TransactionService } from '../database/transaction.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { ReadCache } from '../platform/redis/read-cache.js';
import { FileStorage } from '../platform/storage/file-storage.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS, SectorsService } from '../registry/sectors.service.js';
import { Course, DELIVERY_MODES, type DeliveryMode, Lesson } from './course.entity.js';
import { Enrollment } from './enrollment.entity.js';
import { DEFAULT_MIN_STUDY_PERCENT, minStudySeconds, type StudyPolicy } from './study-rule.js';
import type {
  CourseFieldsDto,
  CreateCourseDto,
  CreateLessonDto,
  LessonDto,
} from './learning.dto.js';

export const courseError = errorFamily({
  'course.not_found': 'not_found',
  'course.duplicate': 'conflict',
  'course.invalid': 'invalid',
  'course.not_draft': 'conflict',
  'course.refused': 'refused',
  /** A pre-test asked of a course without one (ADR 0040). */
  'course.no_pretest': 'conflict',
});

export interface LessonView {
  id: string;
  position: number;
  section: string | null;
  title: string;
  kind: string;
  body: string | null;
  url: string | null;
  linkNote: string | null;
  file: { name: string; size: number } | null;
  required: boolean;
  /** The assessment to pass (kind assessment). */
  assessmentId: string | null;
  durationMinutes: number;
  /** How long the lesson must be open before it can be marked done (ADR 0011). */
  minStudySeconds: number;
}

/** The read-cache namespace of the published catalogue. */
export const CATALOGUE_CACHE = 'catalogue';

export interface CourseView {
  id: string;
  code: string;
  version: number;
  status: string;
  sector: string;
  title: string;
  summary: string;
  objectives: string[];
  competencies: { code: string; level: number }[];
  jp: number;
  durationMinutes: number;
  /** Share of each lesson's stated minutes it must be open before it can be marked done. */
  minStudyPercent: number;
  /** Or fixed minutes per lesson (when set, instead of the share). */
  minStudyMinutes: number | null;
  /** May be credited again in a year it already was (ADR 0018); false: once a year across versions. */
  repeatable: boolean;
  /** Estimated cost per participant in rupiah (ADR 0040); null: unknown. */
  costIdr: number | null;
  deliveryMode: DeliveryMode | null;
  /** Learners may sit a pre-test on the course's assessment before studying. */
  preTest: boolean;
  /** The reaction questionnaire's statements; null: the platform's default items. */
  reactionItems: string[] | null;
  publishedAt: string | null;
  lessons?: LessonView[];
}

export const lessonView = (l: Lesson, policy: StudyPolicy): LessonView => ({
  id: l.id,
  position: l.position,
  section: l.section,
  title: l.title,
  kind: l.kind,
  body: l.body,
  url: l.url,
  linkNote: l.linkNote,
  file: l.fileKey ? { name: l.fileName ?? 'berkas', size: l.fileSize ?? 0 } : null,
  assessmentId: l.assessmentId,
  required: l.required,
  durationMinutes: l.durationMinutes,
  minStudySeconds: minStudySeconds(policy, l),
});

export const courseView = (c: Course, lessons?: Lesson[]): CourseView => ({
  id: c.id,
  code: c.code,
  version: c.version,
  status: c.status,
  sector: c.sector,
  title: c.title,
  summary: c.summary,
  objectives: c.objectives,
  competencies: c.competencies,
  jp: c.jp,
  durationMinutes: c.durationMinutes,
  minStudyPercent: c.minStudyPercent ?? DEFAULT_MIN_STUDY_PERCENT,
  minStudyMinutes: c.minStudyMinutes ?? null,
  repeatable: !!c.repeatable,
  costIdr: c.costIdr ?? null,
  deliveryMode: c.deliveryMode ?? null,
  preTest: !!c.preTest,
  reactionItems: c.reactionItems ?? null,
  publishedAt: c.publishedAt?.toISOString() ?? null,
  ...(lessons && { lessons: lessons.map((l) => lessonView(l, c)) }),
});

/**
 * The study policy after an edit: fixed minutes, or a share (which clears fixed minutes).
 * Both at once is refused, so a course never carries a rule its coordinator did not choose.
 */
function studyPolicyOf(
  input: { minStudyPercent?: number; minStudyMinutes?: number | null },
  current: StudyPolicy,
): StudyPolicy {
  const minutes = input.minStudyMinutes;
  // Checked here, not only in the DTO: the authoring page reaches the service without it.
  if (
    input.minStudyPercent !== undefined &&
    !(
      Number.isInteger(input.minStudyPercent) &&
      input.minStudyPercent >= 0 &&
      input.minStudyPercent <= 100
    )
  )
    throw courseError('course.invalid', { variant: 'minStudyPercent', field: 'minStudyPercent' });
  if (
    minutes !== undefined &&
    minutes !== null &&
    !(Number.isInteger(minutes) && minutes >= 0 && minutes <= 600)
  )
    throw courseError('course.invalid', { variant: 'minStudyMinutes', field: 'minStudyMinutes' });
  if (input.minStudyPercent !== undefined && minutes !== undefined && minutes !== null)
    throw courseError('course.invalid', { variant: 'minStudyBoth', field: 'minStudyMinutes' });
  if (minutes !== undefined && minutes !== null)
    return { minStudyPercent: current.minStudyPercent, minStudyMinutes: minutes };
  if (input.minStudyPercent !== undefined)
    return { minStudyPercent: input.minStudyPercent, minStudyMinutes: null };
  if (minutes === null) return { minStudyPercent: current.minStudyPercent, minStudyMinutes: null };
  return { minStudyPercent: current.minStudyPercent, minStudyMinutes: current.minStudyMinutes };
}

/** Checked here too: the authoring page reaches the service without the DTO. */
function repeatableOf(value: unknown, current: boolean): boolean {
  if (value === undefined) return current;
  if (typeof value !== 'boolean')
    throw courseError('course.invalid', { variant: 'repeatable', field: 'repeatable' });
  return value;
}

/**
 * Cost, mode, pre-test and reaction items of an edit (ADR 0040), checked here too: the
 * authoring page and content packs reach the service without the DTO. Absent fields are
 * left out; null clears.
 */
export function planningFieldsOf(input: {
  costIdr?: unknown;
  deliveryMode?: unknown;
  preTest?: unknown;
  reactionItems?: unknown;
}): Partial<Pick<Course, 'costIdr' | 'deliveryMode' | 'preTest' | 'reactionItems'>> {
  const out: Partial<Pick<Course, 'costIdr' | 'deliveryMode' | 'preTest' | 'reactionItems'>> = {};
  const { costIdr, deliveryMode, preTest, reactionItems } = input;
  if (costIdr !== undefined) {
    if (
      costIdr !== null &&
      !(Number.isInteger(costIdr) && (costIdr as number) >= 0 && (costIdr as number) <= 1e8)
    )
      throw courseError('course.invalid', { variant: 'costIdr', field: 'costIdr' });
    out.costIdr = costIdr as number | null;
  }
  if (deliveryMode !== undefined) {
    if (deliveryMode !== null && !DELIVERY_MODES.includes(deliveryMode as DeliveryMode))
      throw courseError('course.invalid', { variant: 'deliveryMode', field: 'deliveryMode' });
    out.deliveryMode = deliveryMode as DeliveryMode | null;
  }
  if (preTest !== undefined) {
    if (typeof preTest !== 'boolean')
      throw courseError('course.invalid', { variant: 'preTest', field: 'preTest' });
    out.preTest = preTest;
  }
  if (reactionItems !== undefined) {
    if (
      reactionItems !== null &&
      !(
        Array.isArray(reactionItems) &&
        reactionItems.length >= 1 &&
        reactionItems.length <= 10 &&
        reactionItems.every(
          (i) => typeof i === 'string' && i.trim().length >= 5 && i.trim().length <= 200,
        )
      )
    )
      throw courseError('course.invalid', { variant: 'reactionItems', field: 'reactionItems' });
    out.reactionItems =
      reactionItems === null ? null : (reactionItems as string[]).map((i) => i.trim());
  }
  return out;
}

/** Courses of the sectors, authored by their coordinators, versioned on edit after publishing. */
@Injectable()
export class CoursesService {
  constructor(
    @InjectRepository(Course) private readonly courses: Repository<Course>,
    @InjectRepository(Lesson) private readonly lessons: Repository<Lesson>,
    @InjectRepository(Enrollment) private readonly enrollments: Repository<Enrollment>,
    private readonly competencyCatalogue: CompetenciesService,
    private readonly assessmentRecords: AssessmentRecords,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    private readonly sectorStates: SectorsService,
    private readonly files: FileStorage,
    private readonly transactions: TransactionService,
    private readonly replicas: ReplicaReads,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly cache: ReadCache,
  ) {}

  /**
   * The catalogue: published courses of enabled sectors, optionally by sector or competency
   * code. Cached (shared through Redis when configured) until a course is published or
   * archived; read from a replica when there is one.
   */
  async catalogue(filter: { sector?: string; competency?: string } = {}): Promise<CourseView[]> {
    const [enabled, published] = await Promise.all([
      this.sectorStates.enabledKeys(),
      this.cache.get(CATALOGUE_CACHE, 'published', async () =>
        (
          await this.replicas.run((db) =>
            db.getRepository(Course).find({
              where: { status: 'published' },
              order: { title: 'ASC' },
            }),
          )
        ).map((c) => courseView(c)),
      ),
    ]);
    return published.filter(
      (c) =>
        enabled.includes(c.sector) &&
        (!filter.sector || c.sector === filter.sector) &&
        (!filter.competency || c.competencies.some((k) => k.code === filter.competency)),
    );
  }

  /** What a caller may list: ASN the catalogue; staff also the latest drafts of the sectors they manage. */
  async list(
    caller: AuthUser,
    filter: { sector?: string; competency?: string } = {},
  ): Promise<CourseView[]> {
    if (caller.role === 'asn') return this.catalogue(filter);
    const managed = this.access.managedSectors(caller);
    const rows = await this.courses.find({
      where: managed ? { sector: In(managed.length ? managed : ['-']) } : {},
      order: { code: 'ASC', version: 'DESC' },
    });
    const latest = new Map<string, Course>();
    for (const c of rows) if (!latest.has(c.code)) latest.set(c.code, c);
    return [...latest.values()]
      .filter(
        (c) =>
          (!filter.sector || c.sector === filter.sector) &&
          (!filter.competency || c.competencies.some((k) => k.code === filter.competency)),
      )
      .map((c) => courseView(c));
  }

  /** A course with its lessons: published ones for anyone, others for those who manage its sector. */
  async get(caller: AuthUser, id: string): Promise<CourseView> {
    const course = await this.require(id);
    if (course.status !== 'published' && !this.access.canManageSector(caller, course.sector)) {
      throw courseError('course.not_found');
    }
    return courseView(course, await this.lessonsOf(course.id));
  }

  async create(actor: AuthUser, input: CreateCourseDto): Promise<CourseView> {
    this.checkSector(input.sector);
    this.access.requireSector(actor, input.sector);
    const competencies = await this.checkCompetencies(input.competencies ?? []);
    if (await this.courses.existsBy({ code: input.code }))
      throw courseError('course.duplicate', { field: 'code', params: { code: input.code } });
    const now = new Date();
    const course = this.courses.create({
      code: input.code,
      version: 1,
      status: 'draft',
      sector: input.sector,
      title: input.title,
      summary: input.summary ?? '',
      objectives: input.objectives ?? [],
      competencies,
      jp: input.jp,
      durationMinutes: input.durationMinutes ?? Math.round(input.jp * 45),
      ...studyPolicyOf(input, {
        minStudyPercent: DEFAULT_MIN_STUDY_PERCENT,
        minStudyMinutes: null,
      }),
      repeatable: repeatableOf(input.repeatable, false),
      costIdr: null,
      deliveryMode: null,
      preTest: false,
      reactionItems: null,
      ...planningFieldsOf(input),
      publishedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.courses.insert(course);
    } catch (error) {
      if (isUniqueViolation(error))
        throw courseError('course.duplicate', { field: 'code', params: { code: input.code } });
      throw error;
    }
    await this.audit.record({
      actor,
      action: 'course.create',
      entityType: 'course',
      entityId: course.id,
      detail: { code: course.code },
    });
    return courseView(course, []);
  }

  /** Edits a draft; editing a published course edits (creating if needed) its next draft version. */
  async update(actor: AuthUser, id: string, input: CourseFieldsDto): Promise<CourseView> {
    let course = await this.requireManaged(actor, id);
    if (course.status === 'archived') throw courseError('course.not_draft');
    // Checked before a published course gets its draft: a refused edit creates nothing.
    const planning = planningFieldsOf(input);
    if (course.status === 'published') course = await this.draftOf(actor, course);
    const changes: Partial<Course> = {};
    if (input.title !== undefined) changes.title = input.title;
    if (input.summary !== undefined) changes.summary = input.summary;
    if (input.objectives !== undefined) changes.objectives = input.objectives;
    if (input.competencies !== undefined)
      changes.competencies = await this.checkCompetencies(input.competencies);
    if (input.jp !== undefined) changes.jp = input.jp;
    if (input.durationMinutes !== undefined) changes.durationMinutes = input.durationMinutes;
    if (input.repeatable !== undefined)
      changes.repeatable = repeatableOf(input.repeatable, !!course.repeatable);
    Object.assign(changes, studyPolicyOf(input, course), planning);
    Object.assign(course, changes, { updatedAt: new Date() });
    await this.courses.save(course);
    await this.audit.record({
      actor,
      action: 'course.update',
      entityType: 'course',
      entityId: course.id,
      detail: {
        code: course.code,
        version: course.version,
        repeatable: course.repeatable,
        ...(input.costIdr !== undefined && { costIdr: course.costIdr }),
        ...(input.deliveryMode !== undefined && { deliveryMode: course.deliveryMode }),
        ...(input.preTest !== undefined && { preTest: course.preTest }),
      },
    });
    return courseView(course, await this.lessonsOf(course.id));
  }

  /** The draft that continues a published course (created with a copy of its lessons). */
  async draftOf(actor: AuthUser, published: Course): Promise<Course> {
    const existing = await this.courses.findOneBy({ code: published.code, status: 'draft' });
    if (existing) return existing;
    return this.transactions.run(async (manager) => {
      const repo = manager.getRepository(Course);
      const latest = await repo.find({
        where: { code: published.code },
        order: { version: 'DESC' },
        take: 1,
      });
      const now = new Date();
      const { id: _id, ...fields } = published;
      const draft = repo.create({
        ...fields,
        version: latest[0].version + 1,
        status: 'draft',
        publishedAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await repo.insert(draft);
      const lessonRepo = manager.getRepository(Lesson);
      const lessons = await lessonRepo.find({
        where: { courseId: published.id },
        order: { position: 'ASC' },
      });
      if (lessons.length)
        await lessonRepo.insert(
          lessons.map(({ id: _lessonId, ...lesson }) =>
            lessonRepo.create({ ...lesson, courseId: draft.id }),
          ),
        );
      await this.audit.record({
        actor,
        action: 'course.draft',
        entityType: 'course',
        entityId: draft.id,
        detail: { code: draft.code, version: draft.version },
      });
      return draft;
    });
  }

  async createDraft(actor: AuthUser, id: string): Promise<CourseView> {
    const course = await this.requireManaged(actor, id);
    if (course.status === 'draft') return courseView(course, await this.lessonsOf(course.id));
    const draft = await this.draftOf(actor, course);
    return courseView(draft, await this.lessonsOf(draft.id));
  }

  /** Publishes a draft; the version it replaces is archived, its learners keep their progress. */
  async publish(actor: AuthUser, id: string): Promise<CourseView> {
    const course = await this.requireManaged(actor, id);
    if (course.status !== 'draft') throw courseError('course.not_draft', { variant: 'publish' });
    const lessons = await this.lessonsOf(course.id);
    if (!lessons.some((l) => l.required)) throw courseError('course.refused');
    const now = new Date();
    await this.transactions.run(async (manager) => {
      const repo = manager.getRepository(Course);
      await repo.update(
        { code: course.code, status: 'published', id: Not(course.id) },
        { status: 'archived', updatedAt: now },
      );
      await repo.update(
        { id: course.id },
        { status: 'published', publishedAt: now, updatedAt: now },
      );
      await this.audit.record({
        actor,
        action: 'course.publish',
        entityType: 'course',
        entityId: course.id,
        detail: { code: course.code, version: course.version },
      });
    });
    await this.cache.invalidate(CATALOGUE_CACHE);
    return courseView({ ...course, status: 'published', publishedAt: now }, lessons);
  }

  async archive(actor: AuthUser, id: string): Promise<CourseView> {
    const course = await this.requireManaged(actor, id);
    await this.courses.update({ id: course.id }, { status: 'archived', updatedAt: new Date() });
    await this.cache.invalidate(CATALOGUE_CACHE);
    await this.audit.record({
      actor,
      action: 'course.archive',
      entityType: 'course',
      entityId: course.id,
      detail: { code: course.code },
    });
    return courseView({ ...course, status: 'archived' });
  }

  async addLesson(actor: AuthUser, courseId: string, input: CreateLessonDto): Promise<LessonView> {
    const course = await this.requireDraft(actor, courseId);
    this.checkLessonContent(input.kind, input);
    if (input.kind === 'assessment') await this.checkAssessment(course, input.assessmentId);
    const last = await this.lessons.find({
      where: { courseId: course.id },
      order: { position: 'DESC' },
      take: 1,
    });
    const lesson = this.lessons.create({
      courseId: course.id,
      position: (last[0]?.position ?? 0) + 1,
      section: input.section?.trim() || null,
      title: input.title,
      kind: input.kind,
      body: input.kind === 'markdown' ? (input.body ?? '') : null,
      url: input.kind === 'link' ? input.url! : null,
      linkNote: input.kind === 'link' ? (input.linkNote ?? null) : null,
      fileKey: null,
      fileName: null,
      fileSize: null,
      assessmentId: input.kind === 'assessment' ? input.assessmentId! : null,
      required: input.required ?? true,
      durationMinutes: input.durationMinutes ?? 15,
    });
    await this.lessons.insert(lesson);
    await this.audit.record({
      actor,
      action: 'lesson.create',
      entityType: 'lesson',
      entityId: lesson.id,
      detail: { course: course.code, kind: lesson.kind },
    });
    return lessonView(lesson, course);
  }

  async updateLesson(
    actor: AuthUser,
    courseId: string,
    lessonId: string,
    input: LessonDto,
  ): Promise<LessonView> {
    const course = await this.requireDraft(actor, courseId);
    const lesson = await this.requireLesson(course.id, lessonId);
    const kind = input.kind ?? lesson.kind;
    this.checkLessonContent(kind, {
      ...lesson,
      ...input,
      body: input.body ?? lesson.body ?? undefined,
      url: input.url ?? lesson.url ?? undefined,
    });
    if (kind === 'assessment')
      await this.checkAssessment(course, input.assessmentId ?? lesson.assessmentId ?? undefined);
    Object.assign(lesson, {
      ...(input.title !== undefined && { title: input.title }),
      assessmentId: kind === 'assessment' ? (input.assessmentId ?? lesson.assessmentId) : null,
      ...(input.section !== undefined && { section: input.section.trim() || null }),
      ...(input.body !== undefined && { body: input.body }),
      ...(input.url !== undefined && { url: input.url }),
      ...(input.linkNote !== undefined && { linkNote: input.linkNote }),
      ...(input.required !== undefined && { required: input.required }),
      ...(input.durationMinutes !== undefined && { durationMinutes: input.durationMinutes }),
      kind,
    });
    await this.lessons.save(lesson);
    await this.audit.record({
      actor,
      action: 'lesson.update',
      entityType: 'lesson',
      entityId: lesson.id,
    });
    return lessonView(lesson, course);
  }

  async removeLesson(actor: AuthUser, courseId: string, lessonId: string): Promise<void> {
    const course = await this.requireDraft(actor, courseId);
    const lesson = await this.requireLesson(course.id, lessonId);
    await this.lessons.delete({ id: lesson.id });
    await this.audit.record({
      actor,
      action: 'lesson.delete',
      entityType: 'lesson',
      entityId: lesson.id,
    });
  }

  async reorder(actor: AuthUser, courseId: string, lessonIds: string[]): Promise<LessonView[]> {
    const course = await this.requireDraft(actor, courseId);
    const lessons = await this.lessonsOf(course.id);
    const ids = lessons.map((l) => l.id);
    if (lessonIds.length !== ids.length || ids.some((id) => !lessonIds.includes(id))) {
      throw courseError('course.invalid', { variant: 'lessonOrder', field: 'lessonIds' });
    }
    await this.transactions.run(async (manager) => {
      for (const [index, id] of lessonIds.entries())
        await manager.getRepository(Lesson).update({ id }, { position: index + 1 });
    });
    return (await this.lessonsOf(course.id)).map((l) => lessonView(l, course));
  }

  async uploadLessonFile(
    actor: AuthUser,
    courseId: string,
    lessonId: string,
    content: Buffer,
    filename: string,
  ): Promise<LessonView> {
    const course = await this.requireDraft(actor, courseId);
    const lesson = await this.requireLesson(course.id, lessonId);
    if (lesson.kind !== 'file')
      throw courseError('course.invalid', { variant: 'upload', field: 'file' });
    const stored = await this.files.save(content, 'lessons', filename);
    Object.assign(lesson, {
      fileKey: stored.key,
      fileName: filename.replace(/[^\w.\- ]/g, '_').slice(0, 200),
      fileSize: content.length,
    });
    await this.lessons.save(lesson);
    await this.audit.record({
      actor,
      action: 'lesson.upload',
      entityType: 'lesson',
      entityId: lesson.id,
      detail: { file: lesson.fileName },
    });
    return lessonView(lesson, course);
  }

  /**
   * The file of a lesson: for the learners enrolled in its course (as the lesson page) and
   * the staff of its sector; anyone else gets the same 404 as for no such file.
   */
  async lessonFile(
    caller: AuthUser,
    lessonId: string,
  ): Promise<{ content: Buffer; contentType: string; filename: string }> {
    const lesson = await this.lessons.findOne({
      where: { id: lessonId },
      relations: { course: true },
    });
    if (!lesson?.fileKey || !lesson.course)
      throw courseError('course.not_found', { variant: 'file' });
    const staff = this.access.canManageSector(caller, lesson.course.sector);
    const enrolled =
      !staff &&
      lesson.course.status !== 'draft' &&
      (await this.enrollments.existsBy({ userId: caller.id, courseId: lesson.course.id }));
    if (!staff && !enrolled) throw courseError('course.not_found', { variant: 'file' });
    const file = await this.files.read(lesson.fileKey);
    return { ...file, filename: lesson.fileName ?? 'berkas' };
  }

  async require(id: string): Promise<Course> {
    const course = await this.courses.findOneBy({ id });
    if (!course) throw courseError('course.not_found');
    return course;
  }

  lessonsOf(courseId: string): Promise<Lesson[]> {
    return this.lessons.find({ where: { courseId }, order: { position: 'ASC' } });
  }

  private async requireManaged(actor: AuthUser, id: string): Promise<Course> {
    const course = await this.require(id);
    this.access.requireSector(actor, course.sector);
    return course;
  }

  private async requireDraft(actor: AuthUser, id: string): Promise<Course> {
    const course = await this.requireManaged(actor, id);
    if (course.status !== 'draft') {
      throw courseError('course.not_draft', { variant: 'lessons' });
    }
    return course;
  }

  private async requireLesson(courseId: string, lessonId: string): Promise<Lesson> {
    const lesson = await this.lessons.findOneBy({ id: lessonId, courseId });
    if (!lesson) throw courseError('course.not_found', { variant: 'lesson' });
    return lesson;
  }

  private checkSector(sector: string): void {
    if (!this.sectors.some((s) => s.manifest.key === sector))
      throw courseError('course.invalid', {
        variant: 'sector',
        field: 'sector',
        params: { sector },
      });
  }

  private async checkCompetencies(
    list: { code: string; level: number }[],
  ): Promise<{ code: string; level: number }[]> {
    const codes = [...new Set(list.map((c) => c.code))];
    const found = await this.competencyCatalogue.titlesOf(codes);
    const unknown = codes.filter((c) => !found.some((f) => f.code === c));
    if (unknown.length)
      throw courseError('course.invalid', {
        variant: 'competencies',
        field: 'competencies',
        params: { codes: unknown.join(', ') },
      });
    return list.map((c) => ({ code: c.code, level: c.level }));
  }

  private checkLessonContent(
    kind: string,
    input: { body?: string | null; url?: string | null },
  ): void {
    if (kind === 'markdown' && !input.body?.trim())
      throw courseError('course.invalid', { variant: 'body', field: 'body' });
    // Checked here too, not only in the DTO: pages reach the service without it, and a
    // javascript: link would run in a learner's browser.
    if (kind === 'link' && !/^https?:\/\/[^\s"'<>]+$/i.test(input.url ?? '')) {
      throw courseError('course.invalid', { variant: 'url', field: 'url' });
    }
  }

  /** The assessments an assessment lesson of a sector's course may link. */
  async assessmentsOf(sector: string) {
    return this.assessmentRecords.ofSector(sector);
  }

  /** An assessment lesson links a published-or-draft assessment of the course's own sector. */
  private async checkAssessment(course: Course, assessmentId: string | undefined): Promise<void> {
    const known = assessmentId
      ? await this.assessmentRecords.knownAssessments([assessmentId], course.sector)
      : new Set<string>();
    if (!known.size)
      throw courseError('course.invalid', { variant: 'assessment', field: 'assessmentId' });
  }
}
