import 'reflect-metadata';
import { Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
import type { SectorMessages } from '../platform/i18n/i18n.js';

export type { SectorMessages } from '../platform/i18n/i18n.js';

/** Text in Bahasa Indonesia (`id`) and English (`en`). */
export interface LocalisedText {
  id: string;
  en: string;
}

/** What a sector module declares about itself; checked by the registry at boot. */
export interface SectorManifest {
  /** Folder name, table prefix (`health_…`), template and language namespace. */
  key: string;
  name: LocalisedText;
  /**
   * The sector's Indonesian short code, 2–5 capital letters, unique among the sectors
   * (`KES` for Kesehatan): what certificate numbers print for `{SECTOR}`.
   */
  code: string;
  /** Semantic version of the sector; raising it runs the sector's content upgrade. */
  version: string;
  /** Range of core versions this sector works with, e.g. `^1.0.0`. */
  requires: string;
  description?: LocalisedText;
  /**
   * Name of an icon of the app's SVG set (templates/assets/icons/<name>.svg: `health`,
   * `education`, `administration-it`); pages draw `default` for a name the set lacks. Not an
   * emoji: office PCs without a colour-emoji font draw those as boxes.
   */
  icon?: string;
  /** Folder of content data files (competencies, positions, courses, banks, schemes). */
  content?: string;
  /** Folder of the sector's own Handlebars templates (looked up before the core's). */
  templates?: string;
  /** TypeORM entities of the sector; their tables must start with the sector prefix. */
  entities?: Type[];
  /** TypeORM migrations creating the sector's tables. */
  migrations?: Type[];
  /** Extra question types, registered in the core's question-type registry. */
  questionTypes?: Type[];
  /** Extra certification eligibility rules, registered in the core's rule registry. */
  eligibilityRules?: Type[];
  /**
   * The sector's own messages, ICU like the core's, the same keys in both languages. Each
   * key is found as `sector.<sector key>.<key>`: `{{t "sector.health.observed"}}` in a
   * template, `tDynamic(lang, 'sector.health.observed', params)` in code.
   */
  messages?: SectorMessages;
}

export type SectorModuleOptions = SectorManifest &
  Pick<ModuleMetadata, 'imports' | 'providers' | 'controllers' | 'exports'>;

export const SECTOR_MANIFEST = Symbol.for('sertifikasi:sector-manifest');

/**
 * Marks a class as a sector module: a Nest module plus the manifest the registry reads.
 * The declared question types and eligibility rules become providers of the module, so
 * they can inject core services.
 */
export function SectorModule(options: SectorModuleOptions): ClassDecorator {
  const { imports, providers, controllers, exports, ...manifest } = options;
  const extra: Provider[] = [
    ...(manifest.questionTypes ?? []),
    ...(manifest.eligibilityRules ?? []),
  ];
  return (target) => {
    Module({
      imports,
      controllers,
      providers: [...(providers ?? []), ...extra],
      exports: [...(exports ?? []), ...extra],
    })(target);
    Reflect.defineMetadata(SECTOR_MANIFEST, Object.freeze({ ...manifest }), target);
  };
}

export function readManifest(target: Type): SectorManifest | undefined {
  return Reflect.getMetadata(SECTOR_MANIFEST, target) as SectorManifest | undefined;
}
