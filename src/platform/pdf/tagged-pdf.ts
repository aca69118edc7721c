import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * The documents the office prints and files (certificates, minutes) as tagged PDF/A-2b:
 * every font embedded (DejaVu Sans, subset to the glyphs used), the text in a structure
 * tree with headings and paragraphs, pictures with alternative text and decorations marked
 * as artifacts, so a screen reader reads them aloud and an archive keeps them legible.
 * pdfkit's own Helvetica is never embedded and PDF/A forbids that, hence a shipped font.
 * The streams are compressed: with an embedded font the page content holds glyph numbers,
 * not letters, so only a text extractor (which reads the font's ToUnicode map) gives the
 * words, compressed or not.
 */

const require = createRequire(import.meta.url);
/* Read once: pdfkit parses the buffer per document and embeds only the glyphs used. */
const REGULAR = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
const BOLD = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));

/** The names to pass to `doc.font()`. */
export const FONT = { regular: 'Regular', bold: 'Bold' } as const;

export interface TaggedPdfOptions {
  title: string;
  author: string;
  subject?: string;
  size?: string;
  layout?: 'portrait' | 'landscape';
  margin?: number;
  lang?: string;
}

export interface TaggedPdf {
  doc: PDFKit.PDFDocument;
  /** The document's root structure element: add headings, paragraphs and figures to it. */
  root: PDFKit.PDFStructureElement;
  /** Ends the structure and the document; resolves to the file's bytes. */
  finish(): Promise<Buffer>;
}

export function createTaggedPdf(options: TaggedPdfOptions): TaggedPdf {
  const doc = new PDFDocument({
    size: options.size ?? 'A4',
    layout: options.layout ?? 'portrait',
    margin: options.margin ?? 48,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: options.lang ?? 'id-ID',
    displayTitle: true,
    // The default font is the shipped one, so no standard font is ever set up.
    font: REGULAR as unknown as string,
    info: {
      Title: options.title,
      Author: options.author,
      ...(options.subject ? { Subject: options.subject } : {}),
    },
  });
  escapeXmpMetadata(doc);
  doc.registerFont(FONT.regular, REGULAR);
  doc.registerFont(FONT.bold, BOLD);
  doc.font(FONT.regular);

  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  return {
    doc,
    root,
    finish() {
      root.end();
      doc.end();
      return done;
    },
  };
}

/** Adds a structure element (`H1`, `P`, …) whose content is what `draw` puts on the page. */
export function tag(
  pdf: TaggedPdf,
  type: string,
  draw: () => unknown,
  options: PDFKit.Mixins.StructureElementOptions = {},
): void {
  pdf.root.add(pdf.doc.struct(type, options, () => void draw()));
}

/** Draws a decoration (border, watermark) outside the structure: readers skip it. */
export function artifact(pdf: TaggedPdf, draw: () => unknown): void {
  pdf.doc.markContent('Artifact', { type: 'Layout' });
  draw();
  pdf.doc.endMarkedContent();
}

/**
 * pdfkit writes the title, author and subject into the XMP metadata PDF/A requires without
 * escaping them, so an "&" or "<" in a scheme's or an agency's name would break the XML.
 * The Info dictionary keeps the plain text; only the XMP copy is escaped.
 */
function escapeXmpMetadata(doc: PDFKit.PDFDocument): void {
  const target = doc as unknown as { info: Record<string, unknown>; _addInfo(): void };
  const addInfo = target._addInfo;
  // A PDFKit that renamed it: nothing to wrap (the unit test then fails on the XMP).
  if (typeof addInfo !== 'function') return;
  target._addInfo = function (this: typeof target) {
    const info = this.info;
    this.info = Object.fromEntries(
      Object.entries(info).map(([k, v]) => [k, typeof v === 'string' ? escapeXml(v) : v]),
    );
    try {
      addInfo.call(this);
    } finally {
      this.info = info;
    }
  };
}

function escapeXml(text: string): string {
  // Control characters are not allowed in XML 1.0 at all: drop them rather than break PDF/A.
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(
        /[&<>"']/g,
        (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
      )
  );
}
