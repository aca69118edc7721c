import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  havePoppler,
  pdfContent,
  pdfFonts,
  pdfInfo,
  pdfMetadata,
  pdfText,
  POPPLER_MISSING,
} from '../../../test/helpers/pdf.js';
import { artifact, createTaggedPdf, FONT, tag } from './tagged-pdf.js';

const describeWithPoppler = havePoppler ? describe : describe.skip;
if (!havePoppler) console.warn(`tagged PDF checks skipped: ${POPPLER_MISSING}`);

describeWithPoppler('createTaggedPdf', () => {
  it('keeps every paragraph tagged and every font embedded across page breaks', async () => {
    const pdf = createTaggedPdf({ title: 'Uji <halaman> & "kutip"', author: 'BKPSDM' });
    tag(pdf, 'H1', () => pdf.doc.font(FONT.bold).fontSize(16).text('Judul'));
    artifact(pdf, () => pdf.doc.rect(10, 10, 20, 20).stroke());
    for (let i = 1; i <= 120; i++)
      tag(pdf, 'P', () => pdf.doc.font(FONT.regular).fontSize(10).text(`Baris ${i} — Ñoño ü`));
    const bytes = await pdf.finish();

    const info = pdfInfo(bytes);
    expect(Number(info.Pages)).toBeGreaterThan(1);
    expect(info).toMatchObject({ Tagged: 'yes', Title: 'Uji <halaman> & "kutip"' });
    const fonts = pdfFonts(bytes);
    // One font object per page resource set at most, and every one embedded.
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.embedded && f.unicode)).toBe(true);
    expect(new Set(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')))).toEqual(
      new Set(['DejaVuSans', 'DejaVuSans-Bold']),
    );

    const text = pdfText(bytes);
    expect(text).toContain('Baris 1 — Ñoño ü');
    expect(text).toContain('Baris 120 — Ñoño ü');
    // Every paragraph marked content of the structure, on every page; the box an artifact.
    const content = pdfContent(bytes);
    expect(content.match(/\/P <<\s*\/MCID \d+\s*>> BDC/g)!.length).toBeGreaterThanOrEqual(120);
    expect(content).toMatch(/\/Artifact <<\s*\/Type \/Layout\s*>> BDC/);

    // The XMP that PDF/A requires stays well-formed with "&", "<" and quotes in the title.
    const xmp = pdfMetadata(bytes);
    expect(XMLValidator.validate(xmp)).toBe(true);
    expect(JSON.stringify(new XMLParser().parse(xmp))).toContain('Uji <halaman> & \\"kutip\\"');
  });
});
