import { Type } from '@nestjs/common';
import semver from 'semver';
import { getMetadataArgsStorage } from 'typeorm';
import { argumentMismatch, parseMessage } from '../platform/i18n/icu.js';
import { readManifest, SectorManifest, SectorMessages } from './sector-manifest.js';

export interface LoadedSector {
  manifest: SectorManifest;
  module: Type;
}

export class SectorManifestError extends Error {
  constructor(message: string) {
    super(`Sector modules refused: ${message}`);
    this.name = 'SectorManifestError';
  }
}

const KEY = /^[a-z][a-z0-9-]{1,39}$/;
/** The sector's code as certificate numbers print it: KES, DIK, ADM. */
const CODE = /^[A-Z]{2,5}$/;

/** The table prefix of a sector: its key with dashes as underscores, then `_`. */
export function tablePrefix(key: string): string {
  return key.replace(/-/g, '_') + '_';
}

/**
 * Checks the sector list read from `modules/index.ts` and keeps the ones `only` names.
 * Every problem stops the boot with a message naming the sector and what is wrong.
 */
export function loadSectors(
  candidates: readonly Type[],
  options: { coreVersion: string; only: string[] | null; coreEntities: readonly Type[] },
): LoadedSector[] {
  const all: LoadedSector[] = candidates.map((module, index) => {
    const manifest = readManifest(module);
    if (!manifest) {
      throw new SectorManifestError(
        `entry ${index} (${module?.name ?? module}) is not decorated with @SectorModule`,
      );
    }
    checkManifest(manifest, options.coreVersion);
    return { manifest, module };
  });

  const seen = new Map<string, string>();
  for (const { manifest, module } of all) {
    const other = seen.get(manifest.key);
    if (other)
      throw new SectorManifestError(
        `key "${manifest.key}" is used by both ${other} and ${module.name}`,
      );
    seen.set(manifest.key, module.name);
  }
  // Codes are printed in certificate numbers, which must not read alike across sectors.
  const codes = new Map<string, string>();
  for (const { manifest } of all) {
    const other = codes.get(manifest.code);
    if (other)
      throw new SectorManifestError(
        `code "${manifest.code}" is used by both sector "${other}" and sector "${manifest.key}"`,
      );
    codes.set(manifest.code, manifest.key);
  }

  if (options.only) {
    const unknown = options.only.filter((key) => !seen.has(key));
    if (unknown.length) {
      throw new SectorManifestError(
        `SECTORS names ${unknown.join(', ')}, not in modules/index.ts (known: ${[...seen.keys()].join(', ')})`,
      );
    }
  }
  const loaded = options.only ? all.filter((s) => options.only!.includes(s.manifest.key)) : all;
  checkEntities(loaded, options.coreEntities);
  return loaded;
}

function checkManifest(m: SectorManifest, coreVersion: string): void {
  const who = `sector "${m.key}"`;
  if (typeof m.key !== 'string' || !KEY.test(m.key)) {
    throw new SectorManifestError(
      `key "${m.key}" must be lowercase letters, digits and dashes, starting with a letter`,
    );
  }
  if (!m.name?.id || !m.name?.en)
    throw new SectorManifestError(`${who} needs a name in Indonesian (id) and English (en)`);
  if (typeof m.code !== 'string' || !CODE.test(m.code))
    throw new SectorManifestError(
      `${who} has code "${m.code}", which must be 2 to 5 capital letters (e.g. KES)`,
    );
  if (!semver.valid(m.version))
    throw new SectorManifestError(
      `${who} has version "${m.version}", which is not semantic (x.y.z)`,
    );
  if (!m.requires || !semver.validRange(m.requires)) {
    throw new SectorManifestError(
      `${who} has requires "${m.requires}", which is not a version range`,
    );
  }
  if (!semver.satisfies(coreVersion, m.requires)) {
    throw new SectorManifestError(
      `${who} requires core ${m.requires}, but this core is ${coreVersion}`,
    );
  }
  if (m.icon !== undefined && (typeof m.icon !== 'string' || !ICON.test(m.icon)))
    throw new SectorManifestError(
      `${who} has icon "${m.icon}": name an SVG icon of templates/assets/icons (lowercase letters, digits and dashes), not an emoji`,
    );
  if (m.messages !== undefined) checkMessages(who, m.messages);
}

const ICON = /^[a-z][a-z0-9-]{0,39}$/;

const MESSAGE_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Both languages, the same keys, each a valid ICU message taking the same arguments in both. */
function checkMessages(who: string, messages: SectorMessages): void {
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isRecord(messages) || !isRecord(messages.id) || !isRecord(messages.en))
    throw new SectorManifestError(`${who} needs messages in Indonesian (id) and English (en)`);
  for (const [lang, other] of [
    ['id', 'en'],
    ['en', 'id'],
  ] as const) {
    for (const key of Object.keys(messages[lang])) {
      if (!Object.hasOwn(messages[other], key))
        throw new SectorManifestError(
          `${who} has the message "${key}" in ${lang} but not in ${other}`,
        );
    }
  }
  for (const key of Object.keys(messages.id)) {
    if (!MESSAGE_KEY.test(key))
      throw new SectorManifestError(
        `${who} has the message key "${key}": dotted letters, digits, _ and - only`,
      );
    for (const lang of ['id', 'en'] as const) {
      const text: unknown = messages[lang][key];
      if (typeof text !== 'string')
        throw new SectorManifestError(`${who} has the message "${key}" (${lang}) not as text`);
      try {
        parseMessage(text);
      } catch (error) {
        throw new SectorManifestError(
          `${who} has the message "${key}" (${lang}), which is not valid ICU: ${(error as Error).message}`,
        );
      }
    }
    const mismatch = argumentMismatch(messages.id[key], messages.en[key]);
    if (mismatch)
      throw new SectorManifestError(
        `${who} has the message "${key}" with other arguments in id and en: ${mismatch}`,
      );
  }
}

function checkEntities(sectors: LoadedSector[], coreEntities: readonly Type[]): void {
  const owners = new Map<string, string>();
  const claim = (name: string, owner: string) => {
    const lower = name.toLowerCase();
    const other = owners.get(lower);
    if (other && other !== owner)
      throw new SectorManifestError(`${owner} and ${other} both define "${name}"`);
    owners.set(lower, owner);
  };
  for (const entity of coreEntities) {
    claim(`entity ${entity.name}`, 'the core');
    claim(`table ${tableName(entity)}`, 'the core');
  }
  for (const { manifest, module } of sectors) {
    const owner = `sector "${manifest.key}"`;
    for (const entity of manifest.entities ?? []) {
      const table = tableName(entity);
      if (!table.startsWith(tablePrefix(manifest.key))) {
        throw new SectorManifestError(
          `${owner} (${module.name}) has table "${table}", which must start with "${tablePrefix(manifest.key)}"`,
        );
      }
      claim(`entity ${entity.name}`, owner);
      claim(`table ${table}`, owner);
    }
  }
}

function tableName(entity: Type): string {
  const args = getMetadataArgsStorage().tables.find((t) => t.target === entity);
  return args?.name ?? entity.name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
