import type { Language } from '../http/lang.decorator.js';

/**
 * Dates, times and numbers as people here read them: in the city's own time zone, with the
 * zone's Indonesian name (WIB, WITA, WIT), month names and a decimal comma in Bahasa
 * Indonesia ("22 Desember 2026, 23.52 WIB", "51,55"). Everything goes through `Intl`, so
 * pages, PDFs, mails and exports agree. JSON keeps ISO 8601 UTC (the HTTP contract).
 */

/** The zones of Indonesia by the names printed on clocks and letters. */
const ZONE_NAMES: Readonly<Record<string, string>> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

/** True when `zone` is an IANA zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** WIB/WITA/WIT for Indonesia's zones; elsewhere the runtime's short name (e.g. "UTC"). */
export function zoneName(zone: string): string {
  return (
    ZONE_NAMES[zone] ??
    new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'short' })
      .formatToParts(0)
      .find((p) => p.type === 'timeZoneName')!.value
  );
}

const LOCALES: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };

/** Formatters are costly to build and pages format many values: keep one per shape. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(lang: Language, zone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `d\u0000${lang}\u0000${zone}\u0000${withTime}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], {
      timeZone: zone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    cache.set(key, format);
  }
  return format;
}

function asDate(value: Date | string | number): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "22 Desember 2026, 23.52 WIB" (en: "22 December 2026, 23:52 WIB"); '' for no date. */
export function formatDateTime(
  value: Date | string | number | null | undefined,
  lang: Language,
  zone: string,
): string {
  const date = value === null || value === undefined ? null : asDate(value);
  if (!date) return '';
  const parts = dateFormat(lang, zone, true).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  const separator = lang === 'id' ? '.' : ':';
  return `${part('day')} ${part('month')} ${part('year')}, ${part('hour')}${separator}${part('minute')} ${zoneName(zone)}`;
}

/** "22 Desember 2026": the calendar day in the city's zone; '' for no date. */
export function formatDate(
  value: Date | string | number | null | undefined,
  lang: Language,
  zone: string,
): string {
  const date = value === null || value === undefined ? null : asDate(value);
  return date ? dateFormat(lang, zone, false).format(date) : '';
}

/** "HH.mm WIB" (en "HH:mm WIB"): a time on a day the reader already knows. */
export function formatTime(value: Date | string | number, lang: Language, zone: string): string {
  const date = asDate(value);
  if (!date) return '';
  const [hour, minute] = wallClock(date, zone).slice(11, 16).split(':');
  return `${hour}${lang === 'id' ? '.' : ':'}${minute} ${zoneName(zone)}`;
}

/**
 * A span of time: "22 Desember 2026, 08.00–10.00 WIB" within one day in the zone, else both
 * ends in full ("… WIB – … WIB"); one end alone when the other is missing.
 */
export function formatDateTimeRange(
  from: Date | string | number | null | undefined,
  to: Date | string | number | null | undefined,
  lang: Language,
  zone: string,
): string {
  const start = from === null || from === undefined ? null : asDate(from);
  const end = to === null || to === undefined ? null : asDate(to);
  if (!start || !end) return formatDateTime(start ?? end, lang, zone);
  if (wallClock(start, zone).slice(0, 10) !== wallClock(end, zone).slice(0, 10))
    return `${formatDateTime(start, lang, zone)} – ${formatDateTime(end, lang, zone)}`;
  const opening = formatDateTime(start, lang, zone).slice(0, -(zoneName(zone).length + 1));
  return `${opening}–${formatTime(end, lang, zone)}`;
}

/** "1.234,5" / "1,234.5", at most `fractionDigits` decimals. */
export function formatNumber(value: number, lang: Language, fractionDigits = 2): string {
  const key = `n\u0000${lang}\u0000${fractionDigits}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: fractionDigits });
    cache.set(key, format);
  }
  return format.format(value);
}

/** A percentage already on the 0–100 scale: "51,55 %" (en "51.55%"). */
export function formatPercent(value: number, lang: Language, fractionDigits = 2): string {
  const number = formatNumber(value, lang, fractionDigits);
  return lang === 'id' ? `${number} %` : `${number}%`;
}

/**
 * The wall clock in `zone` as `YYYY-MM-DDTHH:mm:ss` (what a `datetime-local` field shows and
 * a spreadsheet cell holds), without any zone suffix.
 */
export function wallClock(date: Date, zone: string): string {
  const key = `w\u0000${zone}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    cache.set(key, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * The instant a wall-clock time (`YYYY-MM-DDTHH:mm[:ss]`, as typed in a `datetime-local`
 * field) names in `zone`; null when it is not such a time. Indonesia keeps no daylight
 * saving, so the zone's offset at that moment is the offset.
 */
export function fromWallClock(value: string, zone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  // Far years overflow the formatter (10000) or predate the zone's rules and the database's
  // DATETIME range: no exam or course of this platform is scheduled there.
  if (y < 1900 || y > 2999) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  if (Number.isNaN(asUtc)) return null;
  const offset = Date.parse(`${wallClock(new Date(asUtc), zone)}Z`) - asUtc;
  if (!Number.isFinite(offset)) return null;
  const instant = new Date(asUtc - offset);
  // A calendar overflow (31 February) comes back as another wall clock: refuse it.
  return wallClock(instant, zone).startsWith(value.trim().slice(0, 16)) ? instant : null;
}
