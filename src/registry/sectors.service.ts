import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import semver from 'semver';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors.js';
import { AuditService } from '../platform/audit/audit.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { EligibilityRule, QuestionType } from './extension-points.js';
import { EligibilityRuleRegistry, QuestionTypeRegistry, TemplateRegistry } from './registries.js';
import type { LoadedSector } from './sector-loader.js';
import { LocalisedText } from './sector-manifest.js';
import { SectorState } from './sector-state.entity.js';

export const LOADED_SECTORS = Symbol('LOADED_SECTORS');

export const sectorError = errorFamily({ 'sector.unknown': 'not_found' });

/** A sector as the API shows it (DESIGN.md: `{ key, name, version, enabled, description }`). */
export interface SectorView {
  key: string;
  name: string;
  names: LocalisedText;
  version: string;
  installedVersion: string;
  enabled: boolean;
  description: string | null;
  icon: string | null;
}

/** Domain events the registry emits; content sync listens to them. */
export const SectorEvents = {
  installed: 'sector.installed',
  upgraded: 'sector.upgraded',
  toggled: 'sector.toggled',
} as const;

@Injectable()
export class SectorsService implements OnModuleInit {
  private readonly logger = new Logger('SectorRegistry');

  constructor(
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    @InjectRepository(SectorState) private readonly states: Repository<SectorState>,
    private readonly moduleRef: ModuleRef,
    private readonly questionTypes: QuestionTypeRegistry,
    private readonly eligibilityRules: EligibilityRuleRegistry,
    private readonly templates: TemplateRegistry,
    private readonly events: EventEmitter2,
    private readonly audit: AuditService,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const sector of this.sectors) {
      this.registerExtensions(sector);
      await this.recordInstall(sector);
    }
  }

  async list(lang: 'id' | 'en' = 'id'): Promise<SectorView[]> {
    const states = new Map((await this.states.find()).map((s) => [s.key, s]));
    return this.sectors.map(({ manifest }) => {
      const state = states.get(manifest.key);
      return {
        key: manifest.key,
        name: manifest.name[lang],
        names: manifest.name,
        version: manifest.version,
        installedVersion: state?.installedVersion ?? manifest.version,
        enabled: state?.enabled ?? true,
        description: manifest.description?.[lang] ?? null,
        icon: manifest.icon ?? null,
      };
    });
  }

  async get(key: string, lang: 'id' | 'en' = 'id'): Promise<SectorView> {
    const found = (await this.list(lang)).find((s) => s.key === key);
    if (!found)
      throw sectorError('sector.unknown', `Sektor "${key}" tidak terdaftar`, undefined, { key });
    return found;
  }

  /** Keys of loaded sectors an admin has not switched off; content of others is hidden from ASN. */
  async enabledKeys(): Promise<string[]> {
    return (await this.list()).filter((s) => s.enabled).map((s) => s.key);
  }

  async setEnabled(
    actor: AuthUser,
    key: string,
    enabled: boolean,
    lang: 'id' | 'en' = 'id',
  ): Promise<SectorView> {
    const before = await this.get(key, lang);
    if (before.enabled !== enabled) {
      await this.states.update({ key }, { enabled, updatedAt: new Date() });
      await this.audit.record({
        actor,
        action: enabled ? 'sector.enable' : 'sector.disable',
        entityType: 'sector',
        entityId: key,
      });
      this.events.emit(SectorEvents.toggled, { key, enabled });
    }
    return { ...before, enabled };
  }

  private registerExtensions({ manifest }: LoadedSector): void {
    const owner = `sector "${manifest.key}"`;
    for (const type of manifest.questionTypes ?? []) {
      this.questionTypes.register(this.moduleRef.get<QuestionType>(type, { strict: false }), owner);
    }
    for (const rule of manifest.eligibilityRules ?? []) {
      this.eligibilityRules.register(
        this.moduleRef.get<EligibilityRule>(rule, { strict: false }),
        owner,
      );
    }
    if (manifest.templates)
      this.templates.register({ key: manifest.key, root: manifest.templates }, owner);
  }

  private async recordInstall({ manifest }: LoadedSector): Promise<void> {
    const now = new Date();
    const state = await this.states.findOneBy({ key: manifest.key });
    if (!state) {
      try {
        await this.states.insert({
          key: manifest.key,
          installedVersion: manifest.version,
          enabled: true,
          installedAt: now,
          updatedAt: now,
        });
      } catch (error) {
        // Another instance booting at the same moment installed it first.
        if (isUniqueViolation(error)) return;
        throw error;
      }
      this.logger.log(`Installed sector ${manifest.key} ${manifest.version}`);
      this.events.emit(SectorEvents.installed, { key: manifest.key, version: manifest.version });
    } else if (semver.gt(manifest.version, state.installedVersion)) {
      await this.states.update(
        { key: manifest.key },
        { installedVersion: manifest.version, updatedAt: now },
      );
      this.logger.log(
        `Upgraded sector ${manifest.key} ${state.installedVersion} → ${manifest.version}`,
      );
      this.events.emit(SectorEvents.upgraded, {
        key: manifest.key,
        from: state.installedVersion,
        to: manifest.version,
      });
    }
  }
}
