import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import type { CertificationScheme } from '../../src/certification/certification.entity.js';
import { Clock } from '../../src/platform/clock.js';
import {
  havePoppler,
  pdfContent,
  pdfFonts,
  pdfInfo,
  pdfMetadata,
  pdfText,
  POPPLER_MISSING,
} from '../helpers/pdf.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import { asBytes, bootTestApp, engine, type TestApp } from '../helpers/test-app.js';

/*
 * Issue 23: the certificate PDF as a screen reader and an archive take it: every font
 * embedded (pdffonts), tagged with its title and language, PDF/A-2b (pdfinfo), the text
 * (pdftotext) giving the holder's name and number in reading order, dates in the city's
 * zone with Indonesian month names. The session minutes are checked the same way in
 * exam-sessions.e2e-spec.ts.
 */
const describeWithPoppler = havePoppler ? describe : describe.skip;
if (!havePoppler) console.warn(`certificate PDF checks skipped: ${POPPLER_MISSING}`);

// 16.52 UTC on 22 December is already 23 December in Jayapura (WIT, UTC+9).
const ISSUED = new Date('2026-12-22T16:52:47Z');

describeWithPoppler(`certificate PDF: embedded fonts, tagged PDF/A (${engine})`, () => {
  let t: TestApp;
  let scheme: CertificationScheme;
  let nipSeq = 0;

  beforeAll(async () => {
    t = await bootTestApp({ env: { TIME_ZONE: 'Asia/Jayapura' } });
    t.app.get(Clock).now = () => new Date(ISSUED);
    const admin = await t.tokenFor(await t.createUser('admin'));
    scheme = await anApprovalScheme(t, admin, {
      code: 'PDF-TAG',
      title: 'Keselamatan Pasien & Mutu Layanan',
      validityMonths: 24,
    });
  });
  afterAll(() => t?.close());

  async function certificatePdf(name: string) {
    const user = await t.createUser('asn', {
      nip: `199003152015032${String(++nipSeq).padStart(3, '0')}`,
      name,
    });
    const certificate = (await t.app.get(CertificateIssuer).issue(scheme, user.id, null))!;
    const res = await t
      .as(await t.tokenFor(user))
      .get(`/api/v1/certificates/${certificate.id}/pdf`)
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    return { user, certificate, pdf: res.body as Buffer };
  }

  it('embeds every font, is tagged PDF/A-2b in Indonesian, and reads aloud', async () => {
    const { certificate, user, pdf } = await certificatePdf('Rina Hüsna Siregar');

    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts)
      expect(font).toMatchObject({ embedded: true, subset: true, unicode: true });
    expect(fonts.map((f) => f.name).join(' ')).toMatch(/DejaVuSans/);
    expect(fonts.map((f) => f.name).join(' ')).not.toMatch(/Helvetica/);

    const raw = pdf.toString('latin1');
    const info = pdfInfo(pdf);
    expect(info).toMatchObject({
      Tagged: 'yes',
      Title: `Sertifikat ${certificate.number}`,
      'PDF version': '1.7',
      Pages: '1',
    });
    // PDF/A-2b declares itself in the XMP metadata (poppler reads no PDF/A from Info).
    const xmp = pdfMetadata(pdf);
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(xmp).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(raw).toMatch(/\/OutputIntents \[/);
    expect(raw).toMatch(/\/Lang \(id-ID\)/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    // The XMP copy of the title is escaped: "&" in the scheme's name stays well-formed XML.
    expect(raw).toContain('Keselamatan Pasien &amp; Mutu Layanan');
    // The QR code is a figure with words a reader can say.
    expect(raw).toMatch(/\/S \/Figure[\s\S]{0,200}\/Alt \(Kode QR/);

    const text = pdfText(pdf);
    expect(text).toContain('SERTIFIKAT KOMPETENSI');
    expect(text).toContain(`Nomor: ${certificate.number}`);
    expect(text).toContain('Rina Hüsna Siregar');
    expect(text).toContain(`NIP ********${user.nip!.slice(8, 14)}****`);
    expect(text).not.toContain(user.nip!);
    expect(text).toContain('Keselamatan Pasien & Mutu Layanan');
    // The city's day (TIME_ZONE=Asia/Jayapura), the month in Indonesian.
    expect(text).toContain('Terbit: 23 Desember 2026');
    expect(text).toContain('Berlaku sampai: 23 Desember 2028');
    // Reading order: who, then for what, then when.
    const at = (s: string) => text.indexOf(s);
    expect(at('SERTIFIKAT KOMPETENSI')).toBeLessThan(at('Rina Hüsna Siregar'));
    expect(at('Rina Hüsna Siregar')).toBeLessThan(at('Keselamatan Pasien'));
  });

  it('a revoked certificate says so in words a reader reads first; still all fonts embedded', async () => {
    const { certificate, pdf: before } = await certificatePdf('Ahmad Fauzi Nasution');
    const admin = await t.tokenFor(await t.createUser('admin'));
    await t
      .as(admin)
      .post(`/api/v1/certificates/${certificate.id}/revoke`)
      .send({ reason: 'Dokumen pendukung dipalsukan' })
      .expect(200);
    const { body } = await t
      .as(admin)
      .get(`/api/v1/certificates/${certificate.id}/pdf`)
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    const pdf = body as Buffer;
    expect(pdfFonts(pdf).every((f) => f.embedded)).toBe(true);
    expect(pdfInfo(pdf)).toMatchObject({ Tagged: 'yes', Pages: '1' });
    const text = pdfText(pdf);
    expect(pdfText(before)).not.toContain('DICABUT');
    expect(text.indexOf('TELAH DICABUT')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('TELAH DICABUT')).toBeLessThan(text.indexOf('Ahmad Fauzi Nasution'));
    // The big stamp across the page is an artifact: marked as such, outside the structure.
    const content = pdfContent(pdf);
    expect(content).toMatch(/\/Artifact <<\s*\/Type \/Layout\s*>> BDC/);
    expect(content).toMatch(/\/P <<\s*\/MCID \d+\s*>> BDC/);
  });
});
