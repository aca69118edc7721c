import { parseTable, TableFileError } from '../../platform/http/table-import.js';

/** One data row of a user import file, by the Indonesian column names. */
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
  /** NIP of the direct supervisor: in the database or on another row of the file. */
  supervisorNip: string;
}

export { TableFileError as ImportFileError };

const HEADERS = {
  nip: 'nip',
  nama: 'nama',
  name: 'nama',
  email: 'email',
  'e-mail': 'email',
  'unit kerja': 'unitKerja',
  unit: 'unitKerja',
  opd: 'unitKerja',
  jabatan: 'jabatan',
  peran: 'peran',
  role: 'peran',
  sektor: 'sektor',
  sector: 'sektor',
  supervisornip: 'supervisorNip',
  'supervisor nip': 'supervisorNip',
  'nip atasan': 'supervisorNip',
  'nip atasan langsung': 'supervisorNip',
  'atasan langsung': 'supervisorNip',
} as const;

/** Reads a user import file (CSV or XLSX) with the columns NIP, Nama, Email, Unit Kerja, Jabatan, Peran, Sektor and optionally supervisorNip (NIP Atasan). */
export async function parseImportFile(file: Buffer | string): Promise<ImportRow[]> {
  const rows = await parseTable(file, HEADERS, ['nip', 'nama']);
  return rows.map((r) => ({ ...r, line: Number(r.line) }));
}
