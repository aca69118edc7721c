import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS, SectorsService } from '../registry/sectors.service.js';
import type { CompetencyQuery, CreateCompetencyDto } from './competency.dto.js';
import { ReadCache } from '../platform/redis/read-cache.js';
import { STANDARDS_CACHE } from './standard-cache.js';
import { Competency } from './competency.entity.js';
import { NATIONAL_COMPETENCIES } from './national-competencies.js';

export const competencyError = errorFamily({
  'competency.not_found': 'not_found',
  'competency.duplicate': 'conflict',
  'competency.invalid': 'invalid',
});

export interface CompetencyView {
  id: string;
  code: string;
  title: string;
  description: string;
  type: string;
  sector: string | null;
  levels: { level: number; description: string; indicators: string[] }[];
}

export const competencyView = (c: Competency): CompetencyView => ({
  id: c.id,
  code: c.code,
  title: c.title,
  description: c.description,
  type: c.type,
  sector: c.sector,
  levels: c.levels,
});

/** Competency units: the national ones the core installs, and the technical ones of sectors. */
@Injectable()
export class CompetenciesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Competencies');

  constructor(
    @InjectRepository(Competency) private readonly competencies: Repository<Competency>,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    private readonly sectorStates: SectorsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly cache: ReadCache,
  ) {}

  /** Installs the national managerial and socio-cultural competencies that are missing. */
  async onApplicationBootstrap(): Promise<void> {
    const present = new Set(
      (await this.competencies.find({ select: { code: true } })).map((c) => c.code),
    );
    for (const definition of NATIONAL_COMPETENCIES.filter((d) => !present.has(d.code))) {
      const now = new Date();
      try {
        await this.competencies.insert(
          this.competencies.create({ ...definition, createdAt: now, updatedAt: now }),
        );
        this.logger.log(`Installed national competency ${definition.code} ${definition.title}`);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
  }

  /** Competencies, filtered; a disabled sector's technical ones are hidden from ASN. */
  async list(caller: AuthUser, query: CompetencyQuery): Promise<CompetencyView[]> {
    const where: Record<string, unknown> = {};
    if (query.type) where.type = query.type;
    if (query.sector) where.sector = query.sector;
    let rows = await this.competencies.find({ where, order: { type: 'ASC', code: 'ASC' } });
    if (caller.role === 'asn') {
      const enabled = new Set(await this.sectorStates.enabledKeys());
      rows = rows.filter((c) => !c.sector || enabled.has(c.sector));
    }
    return rows.map(competencyView);
  }

  async get(code: string): Promise<CompetencyView> {
    return competencyView(await this.requireByCode(code));
  }

  async create(actor: AuthUser, input: CreateCompetencyDto): Promise<CompetencyView> {
    const sector = this.checkTypeAndSector(input.type, input.sector ?? null);
    if (sector) this.access.requireSector(actor, sector);
    else if (actor.role !== 'admin')
      throw competencyError('competency.invalid', { variant: 'nationalByAdmin', field: 'type' });
    const levels = this.checkLevels(input.levels);
    const now = new Date();
    const competency = this.competencies.create({
      code: input.code,
      title: input.title,
      description: input.description,
      type: input.type,
      sector,
      levels,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.competencies.insert(competency);
    } catch (error) {
      if (isUniqueViolation(error))
        throw competencyError('competency.duplicate', {
          field: 'code',
          params: { code: input.code },
        });
      throw error;
    }
    await this.audit.record({
      actor,
      action: 'competency.create',
      entityType: 'competency',
      entityId: competency.id,
      detail: { code: competency.code },
    });
    return competencyView(competency);
  }

  async update(actor: AuthUser, code: string, input: CreateCompetencyDto): Promise<CompetencyView> {
    const competency = await this.requireByCode(code);
    if (competency.sector) this.access.requireSector(actor, competency.sector);
    else if (actor.role !== 'admin')
      throw competencyError('competency.invalid', { variant: 'adminOnly', field: 'type' });
    const sector = this.checkTypeAndSector(input.type, input.sector ?? null);
    if (sector) this.access.requireSector(actor, sector);
    Object.assign(competency, {
      title: input.title,
      description: input.description,
      type: input.type,
      sector,
      levels: this.checkLevels(input.levels),
      updatedAt: new Date(),
    });
    await this.competencies.save(competency);
    await this.cache.invalidate(STANDARDS_CACHE); // standards show the competency's title
    await this.audit.record({
      actor,
      action: 'competency.update',
      entityType: 'competency',
      entityId: competency.id,
      detail: { code },
    });
    return competencyView(competency);
  }

  async requireByCode(code: string): Promise<Competency> {
    const competency = await this.competencies.findOneBy({ code });
    if (!competency) throw competencyError('competency.not_found', { params: { code } });
    return competency;
  }

  /** The known competencies among these codes (an unknown code is left out). */
  titlesOf(codes: readonly string[]): Promise<Pick<Competency, 'code' | 'title'>[]> {
    if (!codes.length) return Promise.resolve([]);
    return this.competencies.find({
      select: { id: true, code: true, title: true },
      where: { code: In([...new Set(codes)]) },
    });
  }

  /**
   * Every competency code on the platform, and those a pack of `sector` may not attest: the
   * national ones and other sectors' (ADR 0012).
   */
  async codesFor(sector: string): Promise<{ known: string[]; foreign: string[] }> {
    const all = await this.competencies.find({ select: { code: true, type: true, sector: true } });
    return {
      known: all.map((c) => c.code),
      foreign: all.filter((c) => c.type !== 'teknis' || c.sector !== sector).map((c) => c.code),
    };
  }

  /** Competencies by code; throws a 400 naming `field` for any unknown code. */
  async requireCodes(codes: string[], field: string): Promise<Map<string, Competency>> {
    const found = codes.length
      ? await this.competencies.findBy({ code: In([...new Set(codes)]) })
      : [];
    const byCode = new Map(found.map((c) => [c.code, c]));
    const unknown = [...new Set(codes)].filter((c) => !byCode.has(c));
    if (unknown.length)
      throw competencyError('competency.invalid', {
        variant: 'unknown',
        field,
        params: { codes: unknown.join(', ') },
      });
    return byCode;
  }

  /**
   * Checks the competencies a record of `sector` (a scheme, an exam) attests: each code must
   * exist (400 naming `attests`), and `actor` must be allowed to attest it there (ADR 0012;
   * `AccessService.requireMayAttest` names `attests[i].competencyCode`).
   */
  async requireAttestable(
    actor: AuthUser,
    sector: string,
    attests: readonly { competencyCode: string }[],
  ): Promise<void> {
    const known = await this.requireCodes(
      attests.map((a) => a.competencyCode),
      'attests',
    );
    attests.forEach((a, i) =>
      this.access.requireMayAttest(
        actor,
        sector,
        known.get(a.competencyCode)!,
        `attests[${i}].competencyCode`,
      ),
    );
  }

  /** National competencies (no sector). */
  national(): Promise<Competency[]> {
    return this.competencies.find({ where: { sector: IsNull() }, order: { code: 'ASC' } });
  }

  private checkTypeAndSector(type: string, sector: string | null): string | null {
    if (type === 'teknis') {
      if (!sector)
        throw competencyError('competency.invalid', { variant: 'sectorRequired', field: 'sector' });
      if (!this.sectors.some((s) => s.manifest.key === sector))
        throw competencyError('competency.invalid', {
          variant: 'sector',
          field: 'sector',
          params: { sector },
        });
      return sector;
    }
    if (sector)
      throw competencyError('competency.invalid', {
        variant: 'sectorOnlyTechnical',
        field: 'sector',
      });
    return null;
  }

  private checkLevels(levels: CreateCompetencyDto['levels']) {
    const sorted = [...levels].sort((a, b) => a.level - b.level);
    if (sorted.map((l) => l.level).join() !== '1,2,3,4,5')
      throw competencyError('competency.invalid', { variant: 'levels', field: 'levels' });
    return sorted.map((l) => ({
      level: l.level,
      description: l.description.trim(),
      indicators: (l.indicators ?? []).map((i) => i.trim()).filter(Boolean),
    }));
  }
}
