import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import semver from 'semver';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { InvalidationBus } from '../platform/cache/invalidation-bus.js';
import { EVERY_KEY, LocalCache } from '../platform/cache/local-cache.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { registerSectorMessages } from '../platform/i18n/i18n.js';
import { EligibilityRule, QuestionType } from './extension-points.js';
import { EligibilityRuleRegistry, QuestionTypeRegistry, TemplateRegistry } from './registries.js';
import type { LoadedSector } from './sector-loader.js';
import { LocalisedText } from './sector-manifest.js';
import { SectorState } from './sector-state.entity.js';

export const LOADED_SECTORS = Symbol('LOADED_SECTORS');

export const sectorError = errorFamily({
  'sector.unknown': 'not_found',
  'sector.disabled': 'refused',
  'sector.unconfirmed': 'conflict',
});

/** What switching a sector off would touch now (the admin confirms these numbers). */
export interface SectorImpact {
  key: string;
  name: string;
  enabled: boolean;
  /** Open attempts at its assessments: voided at disabling (ADR 0021). */
  attemptsInProgress: number;
  /** Unfinished enrolments in its courses: kept, paused while it is off. */
  enrolmentsInProgress: number;
  /** Active schemes of the sector: issue nothing while it is off. */
  activeSchemes: number;
  /** Distinct people with an open attempt or an unfinished enrolment there. */
  candidates: number;
}

/** A domain's share of a sector's impact: counts, and the people behind them. */
export interface ImpactPart {
  attemptsInProgress?: number;
  enrolmentsInProgress?: number;
  activeSchemes?: number;
  userIds?: string[];
}

export type ImpactContributor = (sector: string) => Promise<ImpactPart>;

/** A sector as the API shows it (DESIGN.md: `{ key, name, version, enabled, description }`). */
export interface SectorView {
  key: string;
  name: string;
  names: LocalisedText;
  code: string;
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
  /**
   * Whether each sector is on, as starts, submits and catalogues check it on every request;
   * `setEnabled` forgets it in every instance. A direct write elsewhere shows within the TTL.
   */
  private readonly enabledCache: LocalCache<ReadonlyMap<string, boolean>>;

  constructor(
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    @InjectRepository(SectorState) private readonly states: Repository<SectorState>,
    private readonly moduleRef: ModuleRef,
    private readonly questionTypes: QuestionTypeRegistry,
    private readonly eligibilityRules: EligibilityRuleRegistry,
    private readonly templates: TemplateRegistry,
    private readonly events: EventEmitter2,
    private readonly audit: AuditService,
    bus: InvalidationBus,
  ) {
    this.enabledCache = new LocalCache(bus, 'sector-states', 2_000, 1);
  }

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
        code: manifest.code,
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
    if (!found) throw sectorError('sector.unknown', { params: { key } });
    return found;
  }

  /** Keys of loaded sectors an admin has not switched off; content of others is hidden from ASN. */
  async enabledKeys(): Promise<string[]> {
    const enabled = await this.enabledStates();
    return this.sectors.map((s) => s.manifest.key).filter((key) => enabled.get(key) !== false);
  }

  async isEnabled(key: string): Promise<boolean> {
    return (await this.enabledStates()).get(key) !== false;
  }

  /**
   * Refuses (422) anything that would start or earn something in a switched-off sector,
   * naming the sector: its exams, lessons and rewards wait until it is on again. `fresh`
   * reads the state from the database rather than the cache (to explain a refusal the
   * database already made).
   */
  async requireEnabled(key: string, field = 'sector', fresh = false): Promise<void> {
    if (!fresh && (await this.isEnabled(key))) return;
    const sector = (await this.list()).find((s) => s.key === key);
    if (!sector || sector.enabled) return;
    throw sectorError('sector.disabled', { field, params: { sector: sector.name } });
  }

  private readonly contributors: ImpactContributor[] = [];

  /** Domains (assessment, learning, certification) say what of theirs a sector holds. */
  contributeImpact(contributor: ImpactContributor): void {
    this.contributors.push(contributor);
  }

  /** What disabling the sector would affect now: shown to the admin before confirming. */
  async disablePreview(key: string, lang: 'id' | 'en' = 'id'): Promise<SectorImpact> {
    const sector = await this.get(key, lang);
    const parts = await Promise.all(this.contributors.map((c) => c(key)));
    const sum = (pick: (p: ImpactPart) => number | undefined) =>
      parts.reduce((n, p) => n + (pick(p) ?? 0), 0);
    return {
      key,
      name: sector.name,
      enabled: sector.enabled,
      attemptsInProgress: sum((p) => p.attemptsInProgress),
      enrolmentsInProgress: sum((p) => p.enrolmentsInProgress),
      activeSchemes: sum((p) => p.activeSchemes),
      candidates: new Set(parts.flatMap((p) => p.userIds ?? [])).size,
    };
  }

  /**
   * Switches a sector on or off. Switching off while people are in the middle of something
   * there (an open attempt, an unfinished enrolment) needs `confirm: true` or the preview's
   * numbers as they still are (`expected`); otherwise 409 with the preview as `details`.
   * A sector nobody is busy in switches off as before (clients of `{ enabled }` keep working).
   */
  async setEnabled(
    actor: AuthUser,
    key: string,
    enabled: boolean,
    lang: 'id' | 'en' = 'id',
    confirmation: { confirm?: boolean; expected?: Partial<SectorImpact> } = {},
  ): Promise<SectorView & { impact?: SectorImpact }> {
    const before = await this.get(key, lang);
    if (before.enabled === enabled) return { ...before, enabled };
    let impact: SectorImpact | undefined;
    if (!enabled) {
      impact = await this.disablePreview(key, lang);
      const busy = impact.attemptsInProgress > 0 || impact.enrolmentsInProgress > 0;
      const expected = confirmation.expected;
      const matches =
        !!expected &&
        (['attemptsInProgress', 'enrolmentsInProgress', 'activeSchemes', 'candidates'] as const)
          .filter((k) => expected[k] !== undefined)
          .every((k) => expected[k] === impact![k]) &&
        Object.keys(expected).length > 0;
      if (expected && !matches)
        throw sectorError('sector.unconfirmed', {
          variant: 'changed',
          field: 'expected',
          params: {
            attempts: impact.attemptsInProgress,
            enrolments: impact.enrolmentsInProgress,
            candidates: impact.candidates,
          },
          details: impactDetails(impact),
        });
      if (busy && !confirmation.confirm && !matches)
        throw sectorError('sector.unconfirmed', {
          field: 'confirm',
          params: {
            sector: before.name,
            attempts: impact.attemptsInProgress,
            enrolments: impact.enrolmentsInProgress,
            candidates: impact.candidates,
          },
          details: impactDetails(impact),
        });
    }
    await this.states.update({ key }, { enabled, updatedAt: new Date() });
    this.enabledCache.invalidate(EVERY_KEY);
    await this.audit.record({
      actor,
      action: enabled ? 'sector.enable' : 'sector.disable',
      entityType: 'sector',
      entityId: key,
      ...(impact && { detail: impactDetails(impact) }),
    });
    // Listeners close what is open there (attempts) before the answer goes back.
    await this.events.emitAsync(SectorEvents.toggled, { key, enabled, actorId: actor.id });
    return { ...before, enabled, ...(impact && { impact }) };
  }

  /** On or off per loaded sector with a state row (no row: on), cached for a moment. */
  private enabledStates(): Promise<ReadonlyMap<string, boolean>> {
    return this.enabledCache.get(EVERY_KEY, async () => {
      const rows = await this.states.find({ select: { key: true, enabled: true } });
      return new Map(rows.map((row) => [row.key, row.enabled]));
    });
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
    // Checked by the loader; found by t as sector.<key>.<message key>.
    if (manifest.messages) registerSectorMessages(manifest.key, manifest.messages);
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

const impactDetails = (impact: SectorImpact) => ({
  attemptsInProgress: impact.attemptsInProgress,
  enrolmentsInProgress: impact.enrolmentsInProgress,
  activeSchemes: impact.activeSchemes,
  candidates: impact.candidates,
});
