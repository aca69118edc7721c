import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { BankPackImport, QuestionPackImport } from '../assessment/banks/bank-pack-import.js';
import { AssessmentPackImport } from '../assessment/engine/assessment-pack-import.js';
import { ExamCache } from '../assessment/engine/exam-cache.js';
import { SchemePackImport } from '../certification/scheme-pack-import.js';
import { CompetenciesService } from '../competency/competencies.service.js';
import { CompetencyPackImport, PositionPackImport } from '../competency/competency-pack-import.js';
import { STANDARDS_CACHE } from '../competency/standard-cache.js';
import { TransactionService } from '../database/transaction.service.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { isWriteConflict } from '../database/db-errors.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CoursePackImport } from '../learning/course-pack-import.js';
import { CATALOGUE_CACHE } from '../learning/courses.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { ReadCache } from '../platform/redis/read-cache.js';
import { Clock } from '../platform/clock.js';
import {
  type ContentKind,
  type PackImportContext,
  type PackImporter,
  checksum,
} from '../registry/pack-import.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS, SectorEvents, SectorsService } from '../registry/sectors.service.js';
import { type ContentPack, loadContentPack, packProblems } from './content-pack.js';
import { definitionProblems } from '../assessment/banks/definition-problems.js';
import { QuestionTypeRegistry } from '../registry/registries.js';
import { ContentItem, ContentSync, type SyncReport } from './content.entity.js';

type Item = { kind: ContentKind; code: string; content: unknown };

/**
 * Installs and upgrades the sectors' content packs. A sector is synced when first seen and
 * whenever its module version differs from the last sync; otherwise boot does nothing.
 * An item a coordinator changed since it was installed (its record no longer hashes as the
 * sync left it) is left alone and reported; an item gone from the pack is archived.
 * Deciding is this service's; each record is written by the domain that owns it, through
 * its `PackImporter`, inside this sync's transaction.
 */
@Injectable()
export class ContentSyncService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ContentSync');
  private running: Promise<void> | null = null;
  private readonly importers: ReadonlyMap<ContentKind, PackImporter<unknown>>;

  constructor(
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(ContentSync) private readonly syncs: Repository<ContentSync>,
    private readonly sectors: SectorsService,
    private readonly competencies: CompetenciesService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cache: ReadCache,
    private readonly examCache: ExamCache,
    private readonly types: QuestionTypeRegistry,
    competency: CompetencyPackImport,
    position: PositionPackImport,
    course: CoursePackImport,
    bank: BankPackImport,
    question: QuestionPackImport,
    assessment: AssessmentPackImport,
    scheme: SchemePackImport,
  ) {
    const all = [competency, position, course, bank, question, assessment, scheme];
    this.importers = new Map(all.map((i) => [i.kind, i as PackImporter<unknown>]));
  }

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
      await this.syncOnce(sector.manifest.key, sector.manifest.version, sector.manifest.content);
    }
  }

  /**
   * {@link sync}, when another instance may be installing the same version at the same time
   * (instances starting together take turns under the boot lease, but a sector switched on
   * in one while another starts does not): a unique key or a write conflict its rows cause
   * here means it got there first. Its install is waited for, and this one is done if it
   * recorded the version; otherwise the sync runs again, now over the other's rows.
   */
  private async syncOnce(sector: string, version: string, dir: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sync(sector, version, dir);
        return;
      } catch (error) {
        if (!isWriteConflict(error) || attempt >= 3) throw error;
        this.logger.warn(
          `Content of ${sector} ${version}: another instance is installing it at the same time; checking again`,
        );
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt + Math.random() * 500));
        const last = await this.syncs.findOneBy({ sector });
        if (last?.version === version) return;
      }
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
      await this.syncOnce(event.key, sector.manifest.version, sector.manifest.content);
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
    const codes = await this.competencies.codesFor(sector);
    // The same check of each question's definition as the API's: no way in skips it.
    report.problems = packProblems(pack, codes.known, codes.foreign, (type, definition) =>
      definitionProblems(this.types, type, definition),
    );
    if (report.problems.length) {
      this.logger.error(
        `Content of ${sector} ${version} not installed: ${report.problems.join('; ')}`,
      );
      await this.saveReport(sector, version, report);
      return report;
    }
    await this.transactions.run(async (manager) => {
      // A run rolled back after a conflict is run again whole: its report starts empty too.
      Object.assign(report, { created: [], updated: [], keptLocal: [], archived: [] });
      const items = manager.getRepository(ContentItem);
      const known = new Map(
        (await items.findBy({ sector })).map((i) => [`${i.kind}:${i.code}`, i]),
      );
      const refs = new Map<string, string>();
      const context: PackImportContext = {
        sector,
        now: this.clock.now(),
        ref(kind, code) {
          const id = refs.get(`${kind}:${code}`);
          // packProblems checked every reference; an item refers only to earlier ones.
          if (!id) throw new Error(`Content of ${sector}: ${kind} ${code} is not installed`);
          return id;
        },
      };
      const importer = (kind: ContentKind) => this.importers.get(kind)!;
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
          const asItStands = await importer(item.kind).recordHash(existing.entityId, context);
          if (asItStands !== existing.recordHash) {
            report.keptLocal.push(key);
            refs.set(key, existing.entityId);
            continue;
          }
          const entityId = await importer(item.kind).write(
            item.content,
            context,
            existing.entityId,
          );
          refs.set(key, entityId);
          await items.update(
            { id: existing.id },
            {
              entityId,
              contentHash,
              recordHash: await importer(item.kind).recordHash(entityId, context),
              updatedAt: this.clock.now(),
            },
          );
          report.updated.push(key);
          continue;
        }
        const entityId = await importer(item.kind).write(item.content, context, null);
        refs.set(key, entityId);
        const values = {
          entityId,
          contentHash,
          recordHash: await importer(item.kind).recordHash(entityId, context),
          status: 'active' as const,
          updatedAt: this.clock.now(),
        };
        if (existing) await items.update({ id: existing.id }, values);
        else await items.insert({ sector, kind: item.kind, code: item.code, ...values });
        report.created.push(key);
      }
      for (const [key, item] of known) {
        if (seen.has(key) || item.status === 'archived') continue;
        await importer(item.kind).archive(item.entityId, context.now);
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
    // The importers write competencies, standards and courses below their services' caches:
    // cached copies must go.
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

  private async saveReport(sector: string, version: string, report: SyncReport): Promise<void> {
    const existing = await this.syncs.findOneBy({ sector });
    const values = { version, report, syncedAt: this.clock.now() };
    if (existing) await this.syncs.update({ id: existing.id }, values);
    else
      await this.syncs.insert({ sector, ...values }).catch(async (error: unknown) => {
        // Another instance recorded its report in between: this one replaces it.
        if (!isUniqueViolation(error)) throw error;
        await this.syncs.update({ sector }, values);
      });
  }
}
