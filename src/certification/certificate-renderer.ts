import { Inject, Injectable } from '@nestjs/common';
import handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { formatDate, formatNumber } from '../platform/i18n/local-format.js';
import { artifact, createTaggedPdf, FONT, tag } from '../platform/pdf/tagged-pdf.js';
import { TemplateRegistry } from '../registry/registries.js';
import { maskNip } from './certificate-format.js';
import type { Certificate } from './certification.entity.js';

/** What a certificate no longer valid carries across its PDF (as its HTML page does). */
const STAMPS: Record<string, string> = {
  revoked: 'DICABUT',
  expired: 'KEDALUWARSA',
  renewed: 'DIPERBARUI',
};
const STAMP_NOTES: Record<string, string> = {
  revoked: 'SERTIFIKAT INI TELAH DICABUT OLEH PENERBIT DAN TIDAK BERLAKU',
  expired: 'MASA BERLAKU SERTIFIKAT INI TELAH BERAKHIR',
  renewed: 'SERTIFIKAT INI TELAH DIGANTI DENGAN SERTIFIKAT PERPANJANGAN',
};

/**
 * A certificate as an A4-landscape HTML page (a Handlebars template the scheme names; a
 * sector may ship its own) and as a PDF drawn without a browser, both with the QR code of
 * the public verification address.
 */
@Injectable()
export class CertificateRenderer {
  private readonly compiled = new Map<string, handlebars.TemplateDelegate>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: TemplateRegistry,
  ) {}

  verifyUrl(certificate: Certificate): string {
    return `${this.config.publicUrl}/verify/${certificate.code}`;
  }

  async html(certificate: Certificate, template: string, status: string): Promise<string> {
    const file =
      this.templates.resolve(template, certificate.snapshot.sector) ??
      this.templates.resolve('certificates/default')!;
    let compiled = this.compiled.get(file);
    if (!compiled) {
      compiled = handlebars.compile(readFileSync(file, 'utf8'));
      this.compiled.set(file, compiled);
    }
    return compiled({
      ...this.fields(certificate),
      status,
      qrSvg: await QRCode.toString(this.verifyUrl(certificate), { type: 'svg', margin: 1 }),
    });
  }

  /**
   * The PDF, tagged PDF/A-2b with its fonts embedded (read aloud in the page's order, kept
   * by archives); one no longer valid carries its status across the page, as the HTML does.
   */
  async pdf(certificate: Certificate, status: string): Promise<Buffer> {
    const f = this.fields(certificate);
    const qr = await QRCode.toBuffer(this.verifyUrl(certificate), { margin: 1, width: 240 });
    const pdf = createTaggedPdf({
      title: `Sertifikat ${f.number}`,
      author: f.authority.agency,
      subject: f.scheme,
      layout: 'landscape',
    });
    const { doc } = pdf;
    const { width: pageWidth, height: pageHeight } = doc.page;
    const width = pageWidth - 96;
    const centred = { width, align: 'center' } as const;
    const stamp = STAMPS[status];
    artifact(pdf, () =>
      doc
        .rect(24, 24, pageWidth - 48, pageHeight - 48)
        .lineWidth(3)
        .stroke('#0b5d3b'),
    );
    if (stamp)
      tag(pdf, 'P', () =>
        doc
          .fillColor('#b00020')
          .font(FONT.bold)
          .fontSize(11)
          .text(STAMP_NOTES[status], 48, 36, centred),
      );
    tag(pdf, 'P', () => {
      doc.fillColor('#0b5d3b').font(FONT.bold).fontSize(14);
      doc.text(f.authority.city.toUpperCase(), 48, 56, centred);
      doc.font(FONT.regular).fontSize(11).text(f.authority.agency, centred);
    });
    tag(pdf, 'H1', () =>
      doc.moveDown(1.2).font(FONT.bold).fontSize(28).text('SERTIFIKAT KOMPETENSI', centred),
    );
    tag(pdf, 'P', () =>
      doc.font(FONT.regular).fontSize(11).fillColor('#222').text(`Nomor: ${f.number}`, centred),
    );
    tag(pdf, 'P', () => {
      doc.moveDown(1).fontSize(12).text('diberikan kepada', centred);
      doc.moveDown(0.3).font(FONT.bold).fontSize(21).text(f.holderName, centred);
      if (f.holderNip) doc.font(FONT.regular).fontSize(12).text(`NIP ${f.holderNip}`, centred);
    });
    tag(pdf, 'P', () => {
      doc.moveDown(0.6).font(FONT.regular).fontSize(12);
      doc.text('yang telah memenuhi seluruh persyaratan skema sertifikasi', centred);
      doc.font(FONT.bold).fontSize(14).text(f.scheme, centred);
      doc.font(FONT.regular).fontSize(11).text(`Sektor ${f.sectorName}`, centred);
    });
    tag(pdf, 'P', () => doc.moveDown(0.6).fontSize(11).text('Kompetensi yang dibuktikan:', 96));
    const list = doc.struct('L');
    pdf.root.add(list);
    for (const c of f.competencies)
      list.add(
        doc.struct('LI', {}, () =>
          doc.text(`•  ${c.code} ${c.title} — level ${formatNumber(c.level, 'id')}`, 110),
        ),
      );
    list.end();
    const bottom = pageHeight - 180;
    tag(pdf, 'Figure', () => doc.image(qr, 64, bottom, { width: 100 }), {
      alt: `Kode QR menuju alamat pemeriksaan keaslian ${f.verifyUrl}`,
    });
    tag(pdf, 'P', () =>
      // Two lines at most above the bottom margin, however long the public address is.
      doc.fontSize(7.5).text(`Periksa keaslian: ${f.verifyUrl}`, 64, bottom + 104, {
        width: 330,
        height: 20,
        ellipsis: true,
      }),
    );
    tag(pdf, 'P', () =>
      doc
        .fontSize(11)
        .text(
          `Terbit: ${f.issuedAt}${f.expiresAt ? `\nBerlaku sampai: ${f.expiresAt}` : '\nBerlaku tanpa batas waktu'}`,
          300,
          bottom + 20,
          { width: 220 },
        ),
    );
    tag(pdf, 'P', () => {
      const signature = { width: 270 };
      doc.text(`${f.authority.city}, ${f.issuedAt}`, pageWidth - 320, bottom, signature);
      doc.text(f.authority.signatoryTitle, signature);
      doc.moveDown(2.5).font(FONT.bold).text(f.authority.signatoryName, signature);
    });
    if (stamp)
      // The status is read from the note at the top; the big word across is its picture.
      artifact(pdf, () => {
        doc.save().rotate(-20, { origin: [pageWidth / 2, pageHeight / 2] });
        doc
          .font(FONT.bold)
          .fontSize(96)
          .fillColor('#b00020', 0.35)
          .text(stamp, 0, pageHeight / 2 - 60, {
            width: pageWidth,
            align: 'center',
            lineBreak: false,
          });
        doc.restore();
      });
    return pdf.finish();
  }

  private fields(c: Certificate) {
    return {
      number: c.number,
      code: c.code,
      holderName: c.holderName,
      // The printed page travels: it shows the NIP as the public verification does.
      holderNip: maskNip(c.holderNip),
      scheme: c.snapshot.schemeTitle,
      sectorName: c.snapshot.sectorName,
      competencies: c.snapshot.competencies,
      issuedAt: formatDate(c.issuedAt, 'id', this.config.timeZone),
      expiresAt: c.expiresAt ? formatDate(c.expiresAt, 'id', this.config.timeZone) : null,
      authority: this.config.authority,
      verifyUrl: this.verifyUrl(c),
    };
  }
}
