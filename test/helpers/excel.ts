import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/** A cell as a spreadsheet holds it after opening a file. */
export type SheetCell = string | number | Date | null;

/**
 * Opens a CSV as Excel with Indonesian regional settings does: the BOM says UTF-8, cells
 * are split on `;` (the list separator), and each cell is then interpreted: `="…"` is text;
 * bare digits are a number, kept to Excel's 15 significant digits (an 18-digit NIP comes
 * back as 1,99003E+17 and its last digits are lost); `1234,5` is a number (decimal comma);
 * `dd/mm/yyyy[ hh:mm]` is a date (returned as a Date whose UTC fields are the wall clock).
 * Anything else is text. A file split on `,` opens in one column per line: that is what
 * happens when the delimiter is wrong, and the test sees it as such.
 */
export function openCsvAsIndonesianExcel(body: Buffer | string): SheetCell[][] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const rows = parse(text, { bom: true, delimiter: ';', relax_column_count: true }) as string[][];
  return rows.map((row) => row.map(asIndonesianExcel));
}

function asIndonesianExcel(cell: string): SheetCell {
  if (cell === '') return null;
  const formula = /^="((?:[^"]|"")*)"$/.exec(cell);
  if (formula) return formula[1].replace(/""/g, '"');
  if (/^-?\d+(,\d+)?$/.test(cell)) return Number(Number(cell.replace(',', '.')).toPrecision(15));
  const date = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}))?$/.exec(cell);
  if (date) {
    const [, d, m, y, h = '0', min = '0'] = date;
    return new Date(Date.UTC(+y, +m - 1, +d, +h, +min));
  }
  return cell;
}

/** The first sheet of an XLSX as exceljs reads it: each cell's value (Date for a date cell). */
export async function openXlsx(
  body: Buffer,
): Promise<{ rows: SheetCell[][]; sheet: ExcelJS.Worksheet }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as never);
  const sheet = book.worksheets[0];
  const rows: SheetCell[][] = [];
  sheet.eachRow((row) => rows.push((row.values as SheetCell[]).slice(1)));
  return { rows, sheet };
}

/** Rows of a table as objects keyed by the header row. */
export function byHeader(rows: SheetCell[][]): Record<string, SheetCell>[] {
  const [headers, ...data] = rows;
  return data.map((row) => Object.fromEntries(headers.map((h, i) => [String(h), row[i] ?? null])));
}
