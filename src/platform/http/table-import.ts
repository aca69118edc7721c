import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { checkZip, XLSX_LIMITS, ZipRefusedError } from './zip-guard.js';

export class TableFileError extends Error {}

export const MAX_TABLE_ROWS = 20_000;
/**
 * Cells of an XLSX sheet. exceljs keeps each as an object (about 500 bytes): the biggest
 * table we import (20 000 rows of 7 columns) has 140 000; a sheet of millions of tiny cells
 * fits in a few megabytes of XML and took half a gigabyte to load.
 */
export const MAX_TABLE_CELLS = 400_000;

/**
 * Reads an uploaded table: CSV (comma or semicolon, detected; UTF-8 with or without BOM;
 * `="…"` text cells) or XLSX (first sheet; string, number and date cells), so every table
 * the app exports comes back in (ADR 0030). `headers` maps normalised header text (lowercase, single spaces) to field names;
 * each row comes back with those fields (missing ones as '') and its `line` in the file.
 */
export async function parseTable<F extends string>(
  file: Buffer | string,
  headers: Record<string, F>,
  required: readonly F[],
): Promise<(Record<F, string> & { line: string })[]> {
  const buffer = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  const table = isZip(buffer) ? await readXlsx(buffer) : readCsv(utf8(buffer));
  if (table.length === 0) throw new TableFileError('Berkas kosong');
  const columns = table[0].map((h) => headers[normalise(h)]);
  for (const field of required) {
    if (!columns.includes(field)) {
      const name = Object.entries(headers).find(([, f]) => f === field)?.[0] ?? field;
      throw new TableFileError(`Kolom "${name}" tidak ada di baris judul`);
    }
  }
  if (table.length - 1 > MAX_TABLE_ROWS)
    throw new TableFileError(`Paling banyak ${MAX_TABLE_ROWS} baris per berkas`);
  const fields = [...new Set(Object.values(headers))] as F[];
  const rows: (Record<F, string> & { line: string })[] = [];
  table.slice(1).forEach((cells, index) => {
    if (cells.every((c) => String(c ?? '').trim() === '')) return;
    const row = Object.fromEntries(fields.map((f) => [f, ''])) as Record<F, string> & {
      line: string;
    };
    row.line = String(index + 2);
    columns.forEach((field, i) => {
      if (field) (row as Record<string, string>)[field] = String(cells[i] ?? '').trim();
    });
    rows.push(row);
  });
  return rows;
}

function normalise(header: unknown): string {
  return String(header ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
}

function isZip(buffer: Buffer): boolean {
  return (
    buffer.length > 4 &&
    buffer[0] === 0x50 &&
    buffer[1] === 0x4b &&
    buffer[2] === 0x03 &&
    buffer[3] === 0x04
  );
}

/** The text of a CSV file, which must be UTF-8 (a Latin-1 or UTF-16 one would be garbled). */
function utf8(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new TableFileError(
      'Berkas CSV harus berenkode UTF-8 (di Excel: Simpan Sebagai "CSV UTF-8"), atau kirim XLSX',
    );
  }
}

function readCsv(text: string): string[][] {
  try {
    const table = parse(text, {
      bom: true,
      // One delimiter per file: a `;` file (Indonesian Excel) writes decimals with a comma.
      delimiter: delimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
    return table.map((row) => row.map(excelText));
  } catch (error) {
    throw new TableFileError(`CSV tidak dapat dibaca: ${(error as Error).message}`);
  }
}

/** `;` or `,`: whichever the header line (outside quotes) holds more of. */
export function delimiterOf(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ';') semicolons++;
    else if (!quoted && char === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * A CSV cell as the text it stands for: `="0123"` (how exports keep digits as text, and
 * what Excel writes for such a cell) is 0123; a leading `'` that guards a formula-like text
 * (`'=…`, `'+62…`, see csvCell) is dropped, as a spreadsheet does.
 */
export function excelText(cell: string): string {
  const formula = /^="((?:[^"]|"")*)"$/.exec(cell);
  if (formula) return formula[1].replace(/""/g, '"');
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

async function readXlsx(buffer: Buffer): Promise<string[][]> {
  // exceljs inflates the whole archive in memory and keeps every cell: check it first
  // (zip bombs, sheets of millions of cells).
  try {
    checkZip(buffer, XLSX_LIMITS, (name, xml) => {
      if (/^xl\/worksheets\/[^/]+\.xml$/.test(name) && countCells(xml) > MAX_TABLE_CELLS)
        throw new ZipRefusedError(`lembar kerja berisi lebih dari ${MAX_TABLE_CELLS} sel`);
    });
  } catch (error) {
    if (error instanceof ZipRefusedError)
      throw new TableFileError(`XLSX ditolak: ${error.message}`);
    throw error;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new TableFileError('XLSX tidak dapat dibaca');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    table.push((row.values as unknown[]).slice(1).map(cellText));
  });
  return table;
}

/** Counts `<c ...>` elements (with or without a namespace prefix) in a sheet's XML. */
function countCells(xml: Buffer): number {
  let count = 0;
  for (let at = xml.indexOf(0x3c /* < */); at !== -1; at = xml.indexOf(0x3c, at + 1)) {
    let i = at + 1;
    // An optional prefix: `<x:c>` as some generators write it.
    while (i < xml.length && i - at < 12 && xml[i] !== 0x3a /* : */ && isNameByte(xml[i])) i++;
    const name = xml[i] === 0x3a ? i + 1 : at + 1;
    const next = xml[name + 1];
    if (
      xml[name] === 0x63 /* c */ &&
      (next === 0x20 ||
        next === 0x3e ||
        next === 0x2f ||
        next === 0x09 ||
        next === 0x0a ||
        next === 0x0d)
    )
      count++;
  }
  return count;
}

const isNameByte = (b: number) =>
  (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39);

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A spreadsheet's dates have no zone: exceljs gives the wall clock as UTC fields.
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return String(v.text);
    if (v.result !== undefined) return cellText(v.result);
  }
  // 18-digit NIPs typed as numbers lose digits in any spreadsheet (exports write them as
  // text); a whole number is at least written without an exponent.
  if (typeof value === 'number')
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  return String(value);
}
