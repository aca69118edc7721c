import type { Language } from '../http/lang.decorator.js';
import { messages } from './messages.js';

const catalogues: Record<Language, Record<string, string>> = messages;

/** Translates `key` into `lang`, filling `{placeholders}`; falls back to Indonesian, then to the key. */
export function t(lang: Language, key: string, params: Record<string, unknown> = {}): string {
  const template = catalogues[lang]?.[key] ?? catalogues.id[key];
  if (template === undefined) return key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Whether the catalogue has `key` (API errors fall back to the thrower's message when not). */
export function hasMessage(lang: Language, key: string): boolean {
  return key in catalogues[lang];
}
