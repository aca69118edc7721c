import type { FastifyReply } from 'fastify';
import { errorFamily } from './domain-error.js';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { wallClock } from '../i18n/local-format.js';

export type ExportFormat = 'csv' | 'xlsx';
/** `;` is what Excel with Indonesian regional settings splits a CSV on; `,` everyone else. */
export type CsvDelimiter = ';' | ',';

/**
 * What a column holds, which decides how a spreadsheet must be told about it: `text` stays
 * text even when it is all digits (a NIP, a code), `number` is a number, `date` a calendar
 * day and `datetime` an instant, both shown as the wall clock of the city's zone.
 */
export type ColumnKind = 'text' | 'number' | 'date' | 'datetime';
export type ExportValue = string | number | Date | null;

export interface ExportColumn<T> {
  /** The Indonesian header shown in the file. */
  header: string;
  kind: ColumnKind;
  /** Dates as a Date or an ISO 8601 string. */
  value: (row: T) => ExportValue;
}

/** How the caller wants the file: the format, a CSV's delimiter, and the zone of its dates. */
export interface ExportOptions {
  format: ExportFormat;
  delimiter: CsvDelimiter;
  timeZone: string;
}

export interface ExportedFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

const XLSX_DATE = 'dd/mm/yyyy';
const XLSX_DATETIME = 'dd/mm/yyyy hh:mm';

/**
 * Writes a table as CSV (UTF-8 with BOM, so spreadsheets read the accents) or XLSX
 * with typed cells (ADR 0030): text as text (format `@`), numbers as numbers, dates as
 * dates in `timeZone`.
 */
export async function exportTable<T>(
  name: string,
  rows: readonly T[],
  columns: readonly ExportColumn<T>[],
  options: ExportOptions,
): Promise<ExportedFile> {
  const headers = columns.map((c) => c.header);
  const values = rows.map((row) => columns.map((c) => c.value(row)));
  if (options.format === 'csv') {
    const body = values.map((row) =>
      row.map((value, i) => csvValue(value, columns[i].kind, options)),
    );
    const text = stringify([headers, ...body], {
      delimiter: options.delimiter,
      // Quote any cell holding either separator or a tab: opened by an Excel that splits on
      // the other one, an unquoted `A,=HYPERLINK(…)` would become a cell starting with `=`.
      quoted_match: /[;,\t]/,
      // CRLF is what Excel writes; a `,` file keeps the LF that scripts have been reading.
      record_delimiter: options.delimiter === ';' ? 'windows' : 'unix',
    });
    return {
      body: Buffer.from('\uFEFF' + text, 'utf8'),
      contentType: 'text/csv; charset=utf-8',
      filename: `${name}.csv`,
    };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(name.slice(0, 31));
  sheet.columns = columns.map((c) => ({
    width: 20,
    style: { numFmt: XLSX_FORMAT[c.kind] },
  }));
  sheet.addRow(headers).eachCell((cell) => {
    cell.font = { bold: true };
    cell.numFmt = '@';
  });
  for (const row of values)
    sheet.addRow(row.map((value, i) => xlsxValue(value, columns[i].kind, options.timeZone)));
  return {
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${name}.xlsx`,
  };
}

const XLSX_FORMAT: Record<ColumnKind, string | undefined> = {
  text: '@',
  number: undefined,
  date: XLSX_DATE,
  datetime: XLSX_DATETIME,
};

/**
 * The wall clock (`YYYY-MM-DDTHH:mm:ss`) of a date in `zone`; a bare `YYYY-MM-DD` is
 * already a calendar day and is kept as it is. Null for no date or an unreadable one.
 */
function clockOf(value: ExportValue, zone: string): string | null {
  if (value === null || value === '' || typeof value === 'number') return null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00`;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : wallClock(date, zone);
}

/**
 * A cell value of an XLSX sheet. A spreadsheet's dates have no zone: exceljs writes a
 * Date by its UTC fields, so the city's wall clock is given as a UTC Date.
 */
function xlsxValue(value: ExportValue, kind: ColumnKind, zone: string): ExportValue {
  if (value === null) return null;
  if (kind === 'text') return String(value);
  if (kind === 'number') return typeof value === 'number' ? value : String(value);
  const clock = clockOf(value, zone);
  if (!clock) return typeof value === 'string' ? value : null;
  return new Date(`${kind === 'date' ? clock.slice(0, 10) + 'T00:00:00' : clock}Z`);
}

/**
 * A CSV cell as a spreadsheet will read it. Numbers: a decimal comma in a `;` file (what
 * Indonesian Excel expects). Dates: the city's wall clock, `dd/mm/yyyy hh:mm` in a `;` file,
 * `yyyy-mm-dd hh:mm` in a `,` file (Excel reads both as dates). Text that Excel would take
 * for a number or a date (a NIP, a code of digits) as `="…"`, which it keeps as text.
 */
export function csvValue(
  value: ExportValue,
  kind: ColumnKind,
  options: Pick<ExportOptions, 'delimiter' | 'timeZone'>,
): string | number | null {
  if (value === null) return null;
  if (typeof value === 'number' && kind !== 'text')
    return options.delimiter === ';' ? String(value).replace('.', ',') : value;
  if (kind === 'date' || kind === 'datetime') {
    const clock = clockOf(value, options.timeZone);
    if (clock) return csvDate(clock, kind, options.delimiter);
  }
  return asCsvText(String(value));
}

function csvDate(clock: string, kind: 'date' | 'datetime', delimiter: CsvDelimiter): string {
  const [y, m, d] = clock.slice(0, 10).split('-');
  const time = kind === 'datetime' ? ` ${clock.slice(11, 16)}` : '';
  return delimiter === ';' ? `${d}/${m}/${y}${time}` : `${y}-${m}-${d}${time}`;
}

/** Digits with the punctuation of numbers, dates and times: what Excel converts on opening. */
const LOOKS_NUMERIC = /^[0-9][0-9 .,:/-]*$/;

/** A text cell Excel will show as it is: formula-like text neutralised, numeric-looking text wrapped. */
export function asCsvText(text: string): string {
  const guarded = csvCell(text) as string;
  return LOOKS_NUMERIC.test(guarded) ? `="${guarded}"` : guarded;
}

/**
 * A CSV cell a spreadsheet will not run as a formula (CSV injection): text beginning with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, as OWASP
 * recommends, so Excel, LibreOffice and Google Sheets show it as text. Numbers stay numbers,
 * negative ones too: a number is written by us, not typed by a user, and cannot hold a
 * formula. XLSX needs none of this: its cells are typed, a string is never a formula. The
 * `="…"` wrapping of {@link asCsvText} is ours and holds only digits and punctuation.
 */
export function csvCell(value: string | number | null): string | number | null {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const formatError = errorFamily({ 'export.format': 'invalid' });

/** `?format=` of an export: csv (default) or xlsx; anything else is a 400 naming the field. */
export function exportFormat(value: string | undefined): ExportFormat {
  if (value === undefined || value === 'csv') return 'csv';
  if (value === 'xlsx') return 'xlsx';
  throw formatError('export.format', { field: 'format' });
}

/** Sends a file as a download that browsers will not try to render or sniff. */
export function sendFile(reply: FastifyReply, file: ExportedFile): FastifyReply {
  return reply
    .header('content-type', file.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${file.filename.replace(/["\r\n]/g, '')}"`,
    )
    .header('x-content-type-options', 'nosniff')
    .send(file.body);
}
