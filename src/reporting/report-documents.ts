import ExcelJS from 'exceljs';
import type { AppConfig } from '../config/app-config.js';
import type { ExportedFile } from '../platform/http/table-export.js';
import { createTaggedPdf, FONT, tag } from '../platform/pdf/tagged-pdf.js';

/**
 * The reports of ADR 0040 as the office files them: one XLSX with a sheet per table (typed
 * cells as ADR 0030 asks: text as text, numbers as numbers, headers bold) and one tagged
 * PDF/A (ADR 0031) with a heading per table and a paragraph per row.
 */

export interface DocumentColumn<T> {
  /** The Indonesian header. */
  header: string;
  kind: 'text' | 'number';
  value: (row: T) => string | number | null;
  /** Relative width in the PDF (default 1). */
  width?: number;
}

export interface DocumentTable<T = never> {
  /** The sheet's name (≤ 31 characters) and the PDF heading. */
  name: string;
  columns: DocumentColumn<T>[];
  rows: readonly T[];
}

/** Builds a table whose rows type-check against its columns. */
export const documentTable = <T>(table: DocumentTable<T>) =>
  table as unknown as DocumentTable<never>;

/** One workbook, a sheet per table. */
export async function workbookFile(
  name: string,
  tables: readonly DocumentTable[],
): Promise<ExportedFile> {
  const workbook = new ExcelJS.Workbook();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name.slice(0, 31));
    sheet.columns = table.columns.map((c) => ({
      width: c.kind === 'text' ? 28 : 16,
      style: c.kind === 'text' ? { numFmt: '@' } : {},
    }));
    sheet.addRow(table.columns.map((c) => c.header)).eachCell((cell) => {
      cell.font = { bold: true };
      cell.numFmt = '@';
    });
    for (const row of table.rows)
      sheet.addRow(
        table.columns.map((c) => {
          const value = c.value(row);
          if (value === null) return null;
          return c.kind === 'text' ? String(value) : Number(value);
        }),
      );
  }
  return {
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${name}.xlsx`,
  };
}

const numberId = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });

/** A tagged PDF/A-2b, landscape: the title, lines of context, then each table. */
export async function pdfFile(
  name: string,
  config: Pick<AppConfig, 'authority'>,
  heading: { title: string; lines: string[] },
  tables: readonly DocumentTable[],
): Promise<ExportedFile> {
  const pdf = createTaggedPdf({
    title: heading.title,
    author: config.authority.agency,
    layout: 'landscape',
    margin: 36,
  });
  const out = pdf.doc;
  const left = 36;
  const width = out.page.width - 72;
  const bottom = () => out.page.height - 48;
  tag(pdf, 'H1', () => out.font(FONT.bold).fontSize(14).text(heading.title, left, 36, { width }));
  for (const line of heading.lines)
    tag(pdf, 'P', () => out.font(FONT.regular).fontSize(9).text(line, { width }));

  for (const table of tables) {
    if (out.y > bottom() - 60) out.addPage();
    tag(pdf, 'H2', () =>
      out.moveDown(0.8).font(FONT.bold).fontSize(11).text(table.name, left, out.y, { width }),
    );
    const weights = table.columns.map((c) => c.width ?? 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / total) * width);
    const cells = (values: string[], font: string) => {
      out.font(font).fontSize(8);
      const heights = values.map((v, i) => out.heightOfString(v, { width: widths[i] - 4 }));
      const height = Math.max(10, ...heights) + 3;
      if (out.y + height > bottom()) out.addPage();
      const y = out.y;
      let x = left;
      tag(pdf, 'P', () => {
        values.forEach((v, i) => {
          out.text(v, x, y, {
            width: widths[i] - 4,
            align: table.columns[i].kind === 'number' ? 'right' : 'left',
          });
          x += widths[i];
        });
      });
      out.x = left;
      out.y = y + height;
    };
    cells(
      table.columns.map((c) => c.header),
      FONT.bold,
    );
    if (!table.rows.length) cells(['–', ...table.columns.slice(1).map(() => '')], FONT.regular);
    for (const row of table.rows)
      cells(
        table.columns.map((c) => {
          const value = c.value(row);
          if (value === null || value === '') return '–';
          return typeof value === 'number' ? numberId.format(value) : value;
        }),
        FONT.regular,
      );
  }
  return { body: await pdf.finish(), contentType: 'application/pdf', filename: `${name}.pdf` };
}
