import type { FastifyReply } from 'fastify';
import { errorFamily } from './domain-error.js';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportColumn<T> {
  /** The Indonesian header shown in the file. */
  header: string;
  value: (row: T) => string | number | null;
}

export interface ExportedFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** Writes a table as CSV (UTF-8 with BOM, so spreadsheets read the accents) or XLSX. */
export async function exportTable<T>(
  name: string,
  rows: readonly T[],
  columns: readonly ExportColumn<T>[],
  format: ExportFormat,
): Promise<ExportedFile> {
  const headers = columns.map((c) => c.header);
  const values = rows.map((row) => columns.map((c) => c.value(row)));
  if (format === 'csv') {
    const text = stringify([headers, ...values].map((row) => row.map(csvCell)));
    return {
      body: Buffer.from('\uFEFF' + text, 'utf8'),
      contentType: 'text/csv; charset=utf-8',
      filename: `${name}.csv`,
    };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(name.slice(0, 31));
  sheet.addRow(headers).font = { bold: true };
  for (const row of values) sheet.addRow(row);
  sheet.columns.forEach((column) => (column.width = 20));
  return {
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${name}.xlsx`,
  };
}

/**
 * A CSV cell a spreadsheet will not run as a formula (CSV injection): text beginning with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, as OWASP
 * recommends, so Excel, LibreOffice and Google Sheets show it as text. Numbers stay numbers,
 * negative ones too: a number is written by us, not typed by a user, and cannot hold a
 * formula. XLSX needs none of this: its cells are typed, a string is never a formula.
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
