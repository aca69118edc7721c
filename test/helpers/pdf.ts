import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/*
 * A PDF as a reader and an archive see it, through poppler-utils (pdftotext, pdffonts,
 * pdfinfo): the text a screen reader gets (embedded fonts map glyphs back to letters only
 * through their ToUnicode tables, which these tools read), which fonts are embedded, and
 * whether the file is tagged. CI installs poppler-utils; elsewhere `havePoppler` says
 * whether it is there.
 */

function installed(): boolean {
  try {
    execFileSync('pdffonts', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const havePoppler = installed();
export const POPPLER_MISSING =
  'poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed: apt-get install poppler-utils';

function run(tool: string, args: string[], pdf: Buffer, after: string[] = []): string {
  if (!havePoppler) throw new Error(POPPLER_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'sa-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, [...args, file, ...after], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text in reading order (`pdftotext -raw`), lines as written. */
export function pdfText(pdf: Buffer): string {
  return run('pdftotext', ['-raw', '-enc', 'UTF-8'], pdf, ['-']).replace(/\s+$/, '') + '\n';
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** The fonts `pdffonts` lists, one per font object used on the pages. */
export function pdfFonts(pdf: Buffer): PdfFont[] {
  const lines = run('pdffonts', [], pdf).split('\n');
  // The header, then a line of dashes whose runs give the column widths.
  const ruler = lines.findIndex((l) => l.startsWith('---'));
  const columns = [...lines[ruler].matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length]);
  const cell = (line: string, i: number) => line.slice(columns[i][0], columns[i][1]).trim();
  return lines
    .slice(ruler + 1)
    .filter((l) => l.trim())
    .map((line) => ({
      name: cell(line, 0),
      type: cell(line, 1),
      embedded: cell(line, 3) === 'yes',
      subset: cell(line, 4) === 'yes',
      unicode: cell(line, 5) === 'yes',
    }));
}

/** `pdfinfo`'s fields ("Tagged", "Title", "PDF version", "PDF subtype", …). */
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = run('pdfinfo', [], pdf);
  return Object.fromEntries(
    out
      .split('\n')
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1].trim(), m[2].trim()]),
  );
}

/** The XMP metadata (`pdfinfo -meta`): where PDF/A says its part and conformance. */
export function pdfMetadata(pdf: Buffer): string {
  return run('pdfinfo', ['-meta'], pdf);
}

/** The page content streams, inflated: where marked content (`/Artifact`, `/P`) shows. */
export function pdfContent(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const body = pdf.subarray(start, raw.indexOf('endstream', start));
    try {
      out.push(inflateSync(body).toString('latin1'));
    } catch {
      out.push(body.toString('latin1')); // uncompressed, or not a content stream
    }
  }
  return out.join('\n');
}
