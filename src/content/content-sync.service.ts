import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Repository } from 'typeorm';
import { ExamCache } from '../assessment/engine/exam-cache.js';
import { Assessment } from '../assessment/engine/assessment.entity.js';
import {
  Question,
  QuestionBank,
  QuestionCategory,
  QuestionVersion,
} from '../assessment/banks/question-bank.entity.js';
import { ensureCategoryPath } from '../assessment/banks/categories.js';
import { questionMeta } from '../assessment/interchange/tags.js';
import { CertificationScheme, hasRealRequirement } from '../certification/certification.entity.js';
import { CompetenciesService } from '../competency/competencies.service.js';
import { Competency } from '../competency/competency.entity.js';
import { Position, PositionRequirement } from '../competency/position.entity.js';
import type { JsonObject } from '../database/columns.js';
import { TransactionService } from '../database/transaction.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Course, Lesson } from '../learning/course.entity.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { ReadCache } from '../platform/redis/read-cache.js';
import { STANDARDS_CACHE } from '../competency/standard-cache.js';
import { CATALOGUE_CACHE } from '../learning/courses.service.js';
import { DEFAULT_MIN_STUDY_PERCENT } from '../learning/study-rule.js';
import { Clock } from '../platform/clock.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS, SectorEvents, SectorsService } from '../registry/sectors.service.js';
import { type ContentPack, checksum, loadContentPack, packProblems } from './content-pack.js';
import { type ContentKind, ContentItem, ContentSync, type SyncReport } from './content.entity.js';

type Item = { kind: ContentKind; code: string; content: unknown };
type Refs = Map<string, string>;

/**
 * Installs and upgrades the sectors' content packs. A sector is synced when first seen and
 * whenever its module version differs from the last sync; otherwise boot does nothing.
 * An item a coordinator changed since it was installed (its record no longer hashes as the
 * sync left it) is left alone and reported; an item gone from the pack is archived.
 */
@Injectable()
export class ContentSyncService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ContentSync');
  private running: Promise<void> | null = null;

  constructor(
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(ContentSync) private readonly syncs: Repository<ContentSync>,
    @InjectRepository(Competency) private readonly competencyRows: Repository<Competency>,
    private readonly sectors: SectorsService,
    private readonly competencies: CompetenciesService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cache: ReadCache,
    private readonly examCache: ExamCache,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.ready();
  }

  /** Resolves once every enabled sector's pack is in; later callers share the same run. */
  ready(): Promise<void> {
    this.running ??= this.syncAll();
    return this.running;
  }

  async lastReports(): Promise<Map<string, ContentSync>> {
    return new Map((await this.syncs.find()).map((s) => [s.sector, s]));
  }

  private async syncAll(): Promise<void> {
    if (!this.config.contentSync) return;
    // The national competencies a pack's standards refer to come first.
    await this.competencies.onApplicationBootstrap();
    const enabled = new Set(await this.sectors.enabledKeys());
    for (const sector of this.loaded) {
      if (!sector.manifest.content || !enabled.has(sector.manifest.key)) continue;
      const last = await this.syncs.findOneBy({ sector: sector.manifest.key });
      if (last?.version === sector.manifest.version) continue;
      await this.sync(sector.manifest.key, sector.manifest.version, sector.manifest.content);
    }
  }

  /** A sector switched on installs (or upgrades) its content then. */
  @OnEvent(SectorEvents.toggled, { async: true, promisify: true })
  async onToggled(event: { key: string; enabled: boolean }): Promise<void> {
    const sector = this.loaded.find((s) => s.manifest.key === event.key);
    if (!event.enabled || !sector?.manifest.content || !this.config.contentSync) return;
    await this.ready();
    const last = await this.syncs.findOneBy({ sector: event.key });
    if (last?.version !== sector.manifest.version)
      await this.sync(event.key, sector.manifest.version, sector.manifest.content);
  }

  /** Syncs one sector's pack now (also used by tests). */
  async sync(sector: string, version: string, dir: string): Promise<SyncReport> {
    const report: SyncReport = {
      version,
      created: [],
      updated: [],
      keptLocal: [],
      archived: [],
      problems: [],
    };
    const pack = loadContentPack(dir);
    const onPlatform = await this.competencyRows.find({
      select: { code: true, type: true, sector: true },
    });
    report.problems = packProblems(
      pack,
      onPlatform.map((c) => c.code),
      onPlatform.filter((c) => c.type !== 'teknis' || c.sector !== sector).map((c) => c.code),
    );
    if (report.problems.length) {
      this.logger.error(
        `Content of ${sector} ${version} not installed: ${report.problems.join('; ')}`,
      );
      await this.saveReport(sector, version, report);
      return report;
    }
    await this.transactions.run(async (manager) => {
      const items = manager.getRepository(ContentItem);
      const known = new Map(
        (await items.findBy({ sector })).map((i) => [`${i.kind}:${i.code}`, i]),
      );
      const refs: Refs = new Map();
      const seen = new Set<string>();
      for (const item of this.itemsOf(pack)) {
        const key = `${item.kind}:${item.code}`;
        seen.add(key);
        const contentHash = checksum(item.content);
        const existing = known.get(key);
        if (existing && existing.status === 'active' && existing.contentHash === contentHash) {
          refs.set(key, existing.entityId);
          continue;
        }
        if (existing && existing.status === 'active') {
          const now = await this.recordHash(item.kind, existing.entityId, sector);
          if (now !== existing.recordHash) {
            report.keptLocal.push(key);
            refs.set(key, existing.entityId);
            continue;
          }
          const entityId = await this.write(sector, item, refs, existing.entityId);
          refs.set(key, entityId);
          await items.update(
            { id: existing.id },
            {
              entityId,
              contentHash,
              recordHash: await this.recordHash(item.kind, entityId, sector),
              updatedAt: this.clock.now(),
            },
          );
          report.updated.push(key);
          continue;
        }
        const entityId = await this.write(sector, item, refs, null);
        refs.set(key, entityId);
        const values = {
          entityId,
          contentHash,
          recordHash: await this.recordHash(item.kind, entityId, sector),
          status: 'active' as const,
          updatedAt: this.clock.now(),
        };
        if (existing) await items.update({ id: existing.id }, values);
        else await items.insert({ sector, kind: item.kind, code: item.code, ...values });
        report.created.push(key);
      }
      for (const [key, item] of known) {
        if (seen.has(key) || item.status === 'archived') continue;
        await this.archive(item);
        await items.update({ id: item.id }, { status: 'archived', updatedAt: this.clock.now() });
        report.archived.push(key);
      }
      await this.audit.record({
        actor: null,
        action: 'content.sync',
        entityType: 'sector',
        entityId: sector,
        detail: {
          version,
          created: report.created.length,
          updated: report.updated.length,
          keptLocal: report.keptLocal,
          archived: report.archived,
        },
      });
    });
    await this.saveReport(sector, version, report);
    // The pack writes competencies, standards and courses directly: cached copies must go.
    if (report.created.length || report.updated.length || report.archived.length) {
      await this.cache.invalidate(STANDARDS_CACHE);
      await this.cache.invalidate(CATALOGUE_CACHE);
      this.examCache.forgetAll();
    }
    this.logger.log(
      `Content of ${sector} ${version}: ${report.created.length} created, ${report.updated.length} updated, ` +
        `${report.keptLocal.length} kept as changed locally${report.keptLocal.length ? ` (${report.keptLocal.join(', ')})` : ''}, ` +
        `${report.archived.length} archived`,
    );
    return report;
  }

  /** The pack as items in dependency order. */
  private itemsOf(pack: ContentPack): Item[] {
    return [
      ...pack.competencies.map((c) => ({ kind: 'competency' as const, code: c.code, content: c })),
      ...pack.positions.map((p) => ({ kind: 'position' as const, code: p.code, content: p })),
      ...pack.courses.map((c) => ({
        kind: 'course' as const,
        code: c.code,
        content: {
          ...c,
          lessons: c.lessons.map(({ title, body, durationMinutes }) => ({
            title,
            body,
            durationMinutes,
          })),
        },
      })),
      ...pack.banks.flatMap((b) => [
        { kind: 'bank' as const, code: b.code, content: { name: b.name } },
        ...b.questions.map((q) => ({
          kind: 'question' as const,
          code: `${b.code}/${q.name}`,
          content: { bank: b.code, ...q, line: undefined },
        })),
      ]),
      ...pack.assessments.map((a) => ({ kind: 'assessment' as const, code: a.code, content: a })),
      ...pack.schemes.map((s) => ({ kind: 'scheme' as const, code: s.code, content: s })),
    ];
  }

  /** Creates the record of an item, or (with `entityId`) brings it to the pack's version. */
  private async write(
    sector: string,
    item: Item,
    refs: Refs,
    entityId: string | null,
  ): Promise<string> {
    const m = this.transactions.manager();
    const now = this.clock.now();
    const competencyIds = async (codes: string[]) =>
      new Map(
        (await m.getRepository(Competency).findBy({ code: In(codes.length ? codes : ['-']) })).map(
          (c) => [c.code, c.id],
        ),
      );
    switch (item.kind) {
      case 'competency': {
        const c = item.content as ContentPack['competencies'][number];
        const repo = m.getRepository(Competency);
        const values = {
          title: c.title,
          description: c.description,
          levels: c.levels,
          updatedAt: now,
        };
        if (entityId) {
          await repo.update({ id: entityId }, values);
          return entityId;
        }
        const found = await repo.findOneBy({ code: c.code });
        if (found) return found.id; // made by hand before the pack: adopted as it is
        const row = repo.create({
          code: c.code,
          type: 'teknis',
          sector,
          createdAt: now,
          ...values,
        });
        await repo.insert(row);
        return row.id;
      }
      case 'position': {
        const p = item.content as ContentPack['positions'][number];
        const repo = m.getRepository(Position);
        let id = entityId ?? (await repo.findOneBy({ code: p.code }))?.id ?? null;
        if (id) await repo.update({ id }, { name: p.name, kind: p.kind, updatedAt: now });
        else {
          const row = repo.create({
            code: p.code,
            name: p.name,
            kind: p.kind,
            sector,
            orgUnitCodes: [],
            createdAt: now,
            updatedAt: now,
          });
          await repo.insert(row);
          id = row.id;
        }
        const ids = await competencyIds(p.standard.map((s) => s.competencyCode));
        await m.getRepository(PositionRequirement).delete({ positionId: id });
        await m.getRepository(PositionRequirement).insert(
          p.standard.map((s) => ({
            positionId: id,
            competencyId: ids.get(s.competencyCode)!,
            requiredLevel: s.level,
          })),
        );
        return id;
      }
      case 'course': {
        const c = item.content as ContentPack['courses'][number];
        const repo = m.getRepository(Course);
        const latest = await repo.findOne({ where: { code: c.code }, order: { version: 'DESC' } });
        // A published course is never edited: a changed pack publishes the next version.
        if (latest)
          await repo.update(
            { code: c.code, status: 'published' },
            { status: 'archived', updatedAt: now },
          );
        const course = repo.create({
          code: c.code,
          version: (latest?.version ?? 0) + 1,
          status: 'published',
          sector,
          title: c.title,
          summary: c.summary,
          objectives: c.objectives,
          competencies: c.competencies,
          jp: c.jp,
          durationMinutes: c.lessons.reduce((n, l) => n + (l.durationMinutes || 15), 0),
          minStudyPercent: c.minStudyPercent ?? DEFAULT_MIN_STUDY_PERCENT,
          minStudyMinutes: c.minStudyMinutes ?? null,
          repeatable: c.repeatable ?? false,
          publishedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        await repo.insert(course);
        await m.getRepository(Lesson).insert(
          c.lessons.map((l, i) => ({
            courseId: course.id,
            position: i + 1,
            section: null,
            title: l.title,
            kind: 'markdown' as const,
            body: l.body,
            url: null,
            linkNote: null,
            fileKey: null,
            fileName: null,
            fileSize: null,
            assessmentId: null,
            required: true,
            durationMinutes: l.durationMinutes || 15,
          })),
        );
        return course.id;
      }
      case 'bank': {
        const b = item.content as { name: string };
        const repo = m.getRepository(QuestionBank);
        if (entityId) {
          await repo.update({ id: entityId }, { name: b.name, updatedAt: now });
          return entityId;
        }
        const row = repo.create({
          sector,
          name: b.name,
          description: '',
          createdAt: now,
          updatedAt: now,
        });
        await repo.insert(row);
        return row.id;
      }
      case 'question': {
        const q = item.content as ContentPack['banks'][number]['questions'][number] & {
          bank: string;
        };
        const bankId = refs.get(`bank:${q.bank}`)!;
        const meta = questionMeta(q.tags);
        const categoryId = q.category
          ? await ensureCategoryPath(m.getRepository(QuestionCategory), bankId, q.category)
          : null;
        const fields = {
          name: q.name.slice(0, 200),
          categoryId,
          competencyCode: meta.competencyCode,
          competencyLevel: meta.competencyLevel,
          difficulty: meta.difficulty,
          tags: meta.tags,
          updatedAt: now,
        };
        const content = {
          stem: q.stem,
          definition: q.definition as JsonObject,
          points: 1,
          generalFeedback: q.generalFeedback,
        };
        const questions = m.getRepository(Question);
        const versions = m.getRepository(QuestionVersion);
        if (entityId) {
          const question = (await questions.findOneBy({ id: entityId }))!;
          // Same rule as the editor: a version an attempt has shown is never changed. The
          // conditional UPDATE is the check, so a start that marks the version used between
          // a read and this write wins, and the pack's text becomes a new version instead.
          const inPlace =
            (
              await versions.update(
                { questionId: entityId, version: question.currentVersion, usedAt: IsNull() },
                content as never,
              )
            ).affected === 1;
          if (inPlace) {
            await questions.update({ id: entityId }, fields);
          } else {
            await versions.save(
              versions.create({
                questionId: entityId,
                version: question.currentVersion + 1,
                ...content,
                usedAt: null,
                createdBy: null,
                createdAt: now,
              }),
            );
            await questions.update(
              { id: entityId },
              { ...fields, currentVersion: question.currentVersion + 1 },
            );
          }
          return entityId;
        }
        const question = questions.create({
          bankId,
          type: q.type,
          currentVersion: 1,
          createdAt: now,
          ...fields,
        });
        await questions.insert(question);
        await versions.save(
          versions.create({
            questionId: question.id,
            version: 1,
            ...content,
            usedAt: null,
            createdBy: null,
            createdAt: now,
          }),
        );
        return question.id;
      }
      case 'assessment': {
        const a = item.content as ContentPack['assessments'][number];
        const repo = m.getRepository(Assessment);
        const values = {
          title: a.title,
          instructions: a.instructions ?? '',
          sections: [{ bankId: refs.get(`bank:${a.bank}`)!, count: a.count }],
          timeLimitMinutes: a.timeLimitMinutes ?? null,
          maxAttempts: a.maxAttempts ?? 1,
          passPercent: a.passPercent,
          reviewPolicy: a.reviewPolicy ?? 'score',
          attests: a.attests ?? [],
          updatedAt: now,
        };
        if (entityId) {
          await repo.update({ id: entityId }, values);
          return entityId;
        }
        const row = repo.create({
          sector,
          shuffle: true,
          scoring: 'highest',
          opensAt: null,
          closesAt: null,
          audience: { everyone: true },
          reviewAfterClose: false,
          layout: 'all',
          status: 'published',
          createdBy: null,
          createdAt: now,
          ...values,
        });
        await repo.insert(row);
        return row.id;
      }
      case 'scheme': {
        const s = item.content as ContentPack['schemes'][number];
        const repo = m.getRepository(CertificationScheme);
        const values = {
          title: s.title,
          description: s.description ?? '',
          targetPositions: s.targetPositions ?? [],
          requirements: {
            courses: s.courses ?? [],
            assessments: (s.assessments ?? []).map((a) => ({
              assessmentId: refs.get(`assessment:${a.assessment}`)!,
              minPercent: a.minPercent,
            })),
            approval: s.approval ?? false,
            rules: s.rules ?? [],
          },
          attests: s.attests,
          validityMonths: s.validityMonths ?? null,
          renewal: s.renewal
            ? {
                windowDays: s.renewal.windowDays,
                ...(s.renewal.courseCode && { courseCode: s.renewal.courseCode }),
                ...(s.renewal.assessment && {
                  assessmentId: refs.get(`assessment:${s.renewal.assessment}`)!,
                }),
              }
            : null,
          updatedAt: now,
        };
        // A pack scheme is reviewed code: it installs active when it asks for something earned,
        // and stays (or goes back to) a draft when it does not (ADR 0017).
        const real = hasRealRequirement(values.requirements);
        if (entityId) {
          await repo.update({ id: entityId }, real ? values : { ...values, status: 'draft' });
          return entityId;
        }
        const found = await repo.findOneBy({ code: s.code });
        if (found) return found.id;
        const row = repo.create({
          sector,
          code: s.code,
          template: 'certificates/default',
          numberFormat: '{seq}/SERT-{SECTOR}/{SCHEME}/BKPSDM-PSP/{year}',
          status: real ? 'active' : 'draft',
          createdAt: now,
          ...values,
        });
        await repo.insert(row);
        return row.id;
      }
    }
  }

  /** The record as it stands, hashed over what a pack sets: a different hash means a local edit. */
  private async recordHash(kind: ContentKind, id: string, sector: string): Promise<string> {
    const m = this.transactions.manager();
    switch (kind) {
      case 'competency': {
        const c = await m.getRepository(Competency).findOneBy({ id });
        return checksum(c && { title: c.title, description: c.description, levels: c.levels });
      }
      case 'position': {
        const p = await m.getRepository(Position).findOneBy({ id });
        const standard = await m
          .getRepository(PositionRequirement)
          .find({ where: { positionId: id }, order: { competencyId: 'ASC' } });
        return checksum(
          p && {
            name: p.name,
            kind: p.kind,
            standard: standard.map((s) => [s.competencyId, s.requiredLevel]),
          },
        );
      }
      case 'course': {
        const c = await m.getRepository(Course).findOneBy({ id });
        // A coordinator's own newer version (or a retirement) counts as a local change.
        const newer =
          c &&
          (await m
            .getRepository(Course)
            .existsBy({ code: c.code, version: Not(c.version), status: Not('archived') }));
        const lessons = await m
          .getRepository(Lesson)
          .find({ where: { courseId: id }, order: { position: 'ASC' } });
        return checksum(
          c && {
            newer,
            status: c.status,
            title: c.title,
            summary: c.summary,
            objectives: c.objectives,
            jp: c.jp,
            competencies: c.competencies,
            lessons: lessons.map((l) => [l.title, l.body, l.kind]),
          },
        );
      }
      case 'bank': {
        const b = await m.getRepository(QuestionBank).findOneBy({ id });
        return checksum(b && { name: b.name, sector: b.sector === sector });
      }
      case 'question': {
        const q = await m.getRepository(Question).findOneBy({ id });
        const v =
          q &&
          (await m
            .getRepository(QuestionVersion)
            .findOneBy({ questionId: id, version: q.currentVersion }));
        return checksum(
          q &&
            v && {
              name: q.name,
              type: q.type,
              categoryId: q.categoryId,
              competencyCode: q.competencyCode,
              competencyLevel: q.competencyLevel,
              difficulty: q.difficulty,
              tags: q.tags,
              stem: v.stem,
              definition: v.definition,
              points: v.points,
              generalFeedback: v.generalFeedback,
            },
        );
      }
      case 'assessment': {
        const a = await m.getRepository(Assessment).findOneBy({ id });
        return checksum(
          a && {
            title: a.title,
            instructions: a.instructions,
            sections: a.sections,
            timeLimitMinutes: a.timeLimitMinutes,
            maxAttempts: a.maxAttempts,
            passPercent: a.passPercent,
            reviewPolicy: a.reviewPolicy,
            attests: a.attests,
            status: a.status,
          },
        );
      }
      case 'scheme': {
        const s = await m.getRepository(CertificationScheme).findOneBy({ id });
        return checksum(
          s && {
            title: s.title,
            description: s.description,
            targetPositions: s.targetPositions,
            requirements: s.requirements,
            attests: s.attests,
            validityMonths: s.validityMonths,
            renewal: s.renewal,
            status: s.status,
          },
        );
      }
    }
  }

  /** Gone from the pack: retired where a status allows it, never deleted (attempts, certificates refer to it). */
  private async archive(item: ContentItem): Promise<void> {
    const m = this.transactions.manager();
    const now = this.clock.now();
    if (item.kind === 'course')
      await m
        .getRepository(Course)
        .update({ id: item.entityId, status: 'published' }, { status: 'archived', updatedAt: now });
    if (item.kind === 'assessment')
      await m
        .getRepository(Assessment)
        .update({ id: item.entityId }, { status: 'archived', updatedAt: now });
    if (item.kind === 'scheme')
      await m
        .getRepository(CertificationScheme)
        .update({ id: item.entityId }, { status: 'retired', updatedAt: now });
  }

  private async saveReport(sector: string, version: string, report: SyncReport): Promise<void> {
    const existing = await this.syncs.findOneBy({ sector });
    const values = { version, report, syncedAt: this.clock.now() };
    if (existing) await this.syncs.update({ id: existing.id }, values);
    else await this.syncs.insert({ sector, ...values });
  }
}
