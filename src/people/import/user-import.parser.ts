import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';

/** One data row of an import file, by the Indonesian column names. */
export interface ImportRow {
  /** The row number as the user sees it in the file (the header is row 1). */
  line: number;
  nip: string;
  nama: string;
  email: string;
  unitKerja: string;
  jabatan: string;
  peran: string;
  sektor: string;
}

export class ImportFileError extends Error {}

type Column = Exclude<keyof ImportRow, 'line'>;

const HEADERS: Record<string, Column> = {
  nip: 'nip',
  nama: 'nama',
  name: 'nama',
  email: 'email',
  'e-mail': 'email',
  unitkerja: 'unitKerja',
  unit: 'unitKerja',
  opd: 'unitKerja',
  jabatan: 'jabatan',
  peran: 'peran',
  role: 'peran',
  sektor: 'sektor',
  sector: 'sektor',
};

export const MAX_IMPORT_ROWS = 20_000;

/** Reads CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX (first sheet). */
export async function parseImportFile(file: Buffer | string): Promise<ImportRow[]> {
  const buffer = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  const table = isZip(buffer) ? await readXlsx(buffer) : readCsv(buffer.toString('utf8'));
  if (table.length === 0) throw new ImportFileError('Berkas kosong');
  const columns = table[0].map(
    (h) =>
      HEADERS[
        String(h)
          .trim()
          .toLowerCase()
          .replace(/[\s_]+/g, '')
      ],
  );
  for (const required of ['nip', 'nama'] as const) {
    if (!columns.includes(required))
      throw new ImportFileError(
        `Kolom "${required === 'nip' ? 'NIP' : 'Nama'}" tidak ada di baris judul`,
      );
  }
  if (table.length - 1 > MAX_IMPORT_ROWS)
    throw new ImportFileError(`Paling banyak ${MAX_IMPORT_ROWS} baris per impor`);
  const rows: ImportRow[] = [];
  table.slice(1).forEach((cells, index) => {
    if (cells.every((c) => String(c ?? '').trim() === '')) return;
    const row: ImportRow = {
      line: index + 2,
      nip: '',
      nama: '',
      email: '',
      unitKerja: '',
      jabatan: '',
      peran: '',
      sektor: '',
    };
    columns.forEach((column, i) => {
      if (column) row[column] = String(cells[i] ?? '').trim();
    });
    rows.push(row);
  });
  return rows;
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

function readCsv(text: string): string[][] {
  try {
    return parse(text, {
      bom: true,
      delimiter: [',', ';'],
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new ImportFileError(`CSV tidak dapat dibaca: ${(error as Error).message}`);
  }
}

async function readXlsx(buffer: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError('XLSX tidak dapat dibaca');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values = (row.values as unknown[]).slice(1);
    table.push(values.map(cellText));
  });
  return table;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return String(v.text);
    if (v.result !== undefined) return String(v.result);
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  // NIPs typed into Excel as numbers lose nothing below 2^53 only if short; keep them as text.
  return typeof value === 'number' ? BigInt(Math.round(value)).toString() : String(value);
}
