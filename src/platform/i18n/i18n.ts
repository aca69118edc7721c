import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from '../http/lang.decorator.js';
import en from './catalogues/en.json' with { type: 'json' };
import id from './catalogues/id.json' with { type: 'json' };
import { argumentsOf, PARSE_OPTIONS, type ArgumentKind } from './icu.js';
import type { MessageKey, MessageParams } from './message-keys.js';

export type { MessageKey, MessageParams } from './message-keys.js';

/** A sector's own messages per language: keys (dotted, without the `sector.<key>.` prefix) to ICU text. */
export type SectorMessages = Record<Language, Readonly<Record<string, string>>>;

type Catalogue = Readonly<Record<string, string>>;

/**
 * The core's catalogues (`catalogues/<lang>.json`, flat dotted keys, ICU messages). Bahasa
 * Indonesia is the reference: the key type is generated from it (`npm run i18n:types`).
 */
const core: Record<Language, Catalogue> = { id, en };

/** Messages sectors bring through their manifests, by sector key (see `registerSectorMessages`). */
const sectors = new Map<string, SectorMessages>();

const SECTOR_KEY = /^sector\.([a-z][a-z0-9-]*)\.(.+)$/;

interface Compiled {
  format: IntlMessageFormat;
  args: Map<string, ArgumentKind>;
}

/** Formatters compiled once per language and key: parsing ICU costs more than formatting. */
const compiled = new Map<string, Compiled | null>();

/** The text of `key` in `lang` itself, without falling back to another language. */
function own(lang: Language, key: string): string | undefined {
  const sector = SECTOR_KEY.exec(key);
  if (sector) return sectors.get(sector[1])?.[lang][sector[2]];
  return Object.hasOwn(core[lang], key) ? core[lang][key] : undefined;
}

/** The formatter for `key` in `lang`: the language's own text, else Indonesian; null for no such key. */
function formatter(lang: Language, key: string): Compiled | null {
  const cacheKey = `${lang}\u0000${key}`;
  let entry = compiled.get(cacheKey);
  if (entry === undefined) {
    const text = own(lang, key);
    const source = text === undefined ? own('id', key) : text;
    const locale = text === undefined ? 'id' : lang;
    if (source === undefined) {
      entry = null;
    } else {
      const format = new IntlMessageFormat(source, locale, undefined, PARSE_OPTIONS);
      entry = { format, args: argumentsOf(format.getAst()) };
    }
    compiled.set(cacheKey, entry);
  }
  return entry;
}

const MISSING = Symbol('missing');

/**
 * A message as a value: the key and its arguments, translated where it is shown. Rules below
 * the HTTP layer (the password policy, the NIP rules) answer with one, and an error or a page
 * passes it on as an argument (`{problem}`), so the reader gets it in their own language.
 * A plain object, so it survives a flash cookie.
 */
export interface Localised {
  message: MessageKey;
  params?: Record<string, string | number>;
}

/** A {@link Localised} of `key`, its arguments checked like `t()`'s. */
export function localised<K extends MessageKey>(key: K, ...[params]: ParamsOf<K>): Localised {
  return params ? { message: key, params: params as Localised['params'] } : { message: key };
}

/** A {@link Localised} as text in `lang`. */
export function textOf(lang: Language, value: Localised): string {
  return tDynamic(lang, value.message, value.params);
}

function isLocalised(value: unknown): value is Localised {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Localised).message === 'string' &&
    isMessageKey((value as Localised).message)
  );
}

/**
 * A value for one argument. A missing one stays visible as `{name}`, as before ICU, so a
 * forgotten parameter shows in the text rather than breaking the page or the error body.
 */
function argument(
  lang: Language,
  kind: ArgumentKind,
  name: string,
  params: Record<string, unknown>,
): unknown {
  if (!Object.hasOwn(params, name)) return kind === 'text' ? `{${name}}` : MISSING;
  const value = params[name];
  if (isLocalised(value)) return tDynamic(lang, value.message, value.params);
  switch (kind) {
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'date':
      return value instanceof Date || typeof value === 'number' ? value : new Date(String(value));
    default:
      return typeof value === 'number' ? value : String(value);
  }
}

function render(
  lang: Language,
  entry: Compiled,
  key: string,
  params: Record<string, unknown>,
): string {
  const values: Record<string, unknown> = {};
  for (const [name, kind] of entry.args) {
    const value = argument(lang, kind, name, params);
    if (value !== MISSING) values[name] = value;
  }
  try {
    return String(entry.format.format(values as Record<string, string>));
  } catch {
    // A plural or number without its value: the key says what is missing, never a 500.
    return key;
  }
}

type ParamsOf<K extends MessageKey> = [keyof MessageParams[K]] extends [never]
  ? [params?: MessageParams[K]]
  : [params: MessageParams[K]];

/**
 * Translates `key` into `lang` with its ICU arguments (`{name}`, plurals, numbers, select);
 * falls back to Indonesian, then to the key. Only real keys type-check; a key built at run
 * time goes through `isMessageKey` or `tDynamic`.
 *
 * @example t(lang, 'dashboard.welcome', { name: user.name })
 */
export function t<K extends MessageKey>(lang: Language, key: K, ...[params]: ParamsOf<K>): string {
  return tDynamic(lang, key, params);
}

/**
 * Translates a key known only at run time: one a template names, a sector's own
 * (`sector.<key>.…`), or one built from a code (`errors.${code}`). An unknown key comes back
 * as itself, which is what a page then shows.
 */
export function tDynamic(lang: Language, key: string, params: object = {}): string {
  const entry = formatter(lang, key);
  return entry ? render(lang, entry, key, params as Record<string, unknown>) : key;
}

/** Whether `key` is a key of the core catalogue, narrowing it for `t`. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(core.id, key);
}

/** Whether `lang` itself has `key`, the core's or a sector's (API errors fall back to the thrower's message when not). */
export function hasMessage(lang: Language, key: string): boolean {
  return own(lang, key) !== undefined;
}

/**
 * Adds a sector's messages under `sector.<sectorKey>.`: the loader has checked them (both
 * languages, same keys, valid ICU). Registering a sector again replaces its messages.
 */
export function registerSectorMessages(sectorKey: string, messages: SectorMessages): void {
  sectors.set(sectorKey, { id: { ...messages.id }, en: { ...messages.en } });
  const prefix = `sector.${sectorKey}.`;
  for (const cacheKey of compiled.keys())
    if (cacheKey.slice(cacheKey.indexOf('\u0000') + 1).startsWith(prefix))
      compiled.delete(cacheKey);
}

/** The core catalogues, for the tests that check them. */
export const coreCatalogues: Readonly<Record<Language, Catalogue>> = core;
