import { Inject, Injectable } from '@nestjs/common';
import handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TemplateRegistry } from '../registry/registries.js';
import { maskNip, tanggal } from './certificate-format.js';
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

export { tanggal };

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

  /** The PDF; one no longer valid carries its status across the page, as the HTML does. */
  async pdf(certificate: Certificate, status: string): Promise<Buffer> {
    const f = this.fields(certificate);
    const qr = await QRCode.toBuffer(this.verifyUrl(certificate), { margin: 1, width: 240 });
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 48,
      info: { Title: `Sertifikat ${f.number}`, Author: f.authority.agency, Subject: f.scheme },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve) =>
      doc.on('end', () => resolve(Buffer.concat(chunks))),
    );
    const width = doc.page.width - 96;
    doc
      .rect(24, 24, doc.page.width - 48, doc.page.height - 48)
      .lineWidth(3)
      .stroke('#0b5d3b');
    doc.fillColor('#0b5d3b').font('Helvetica-Bold').fontSize(14);
    doc.text(f.authority.city.toUpperCase(), 48, 56, { width, align: 'center' });
    doc.font('Helvetica').fontSize(11).text(f.authority.agency, { width, align: 'center' });
    doc
      .moveDown(1.2)
      .font('Helvetica-Bold')
      .fontSize(30)
      .text('SERTIFIKAT KOMPETENSI', { width, align: 'center' });
    doc
      .font('Helvetica')
      .fontSize(11)
      .fillColor('#222')
      .text(`Nomor: ${f.number}`, { width, align: 'center' });
    doc.moveDown(1).fontSize(12).text('diberikan kepada', { width, align: 'center' });
    doc
      .moveDown(0.3)
      .font('Helvetica-Bold')
      .fontSize(22)
      .text(f.holderName, { width, align: 'center' });
    if (f.holderNip)
      doc.font('Helvetica').fontSize(12).text(`NIP ${f.holderNip}`, { width, align: 'center' });
    doc
      .moveDown(0.6)
      .font('Helvetica')
      .fontSize(12)
      .text('yang telah memenuhi seluruh persyaratan skema sertifikasi', {
        width,
        align: 'center',
      });
    doc.font('Helvetica-Bold').fontSize(15).text(f.scheme, { width, align: 'center' });
    doc.font('Helvetica').fontSize(11).text(`Sektor ${f.sectorName}`, { width, align: 'center' });
    doc.moveDown(0.6).fontSize(11).text('Kompetensi yang dibuktikan:', 96);
    for (const c of f.competencies) doc.text(`•  ${c.code} ${c.title} — level ${c.level}`, 110);
    const bottom = doc.page.height - 180;
    doc.image(qr, 64, bottom, { width: 110 });
    doc.fontSize(8).text(`Periksa keaslian: ${f.verifyUrl}`, 64, bottom + 114, { width: 260 });
    doc
      .fontSize(11)
      .text(
        `Terbit: ${f.issuedAt}${f.expiresAt ? `\nBerlaku sampai: ${f.expiresAt}` : '\nBerlaku tanpa batas waktu'}`,
        300,
        bottom + 20,
        { width: 220 },
      );
    doc.text(`${f.authority.city}, ${f.issuedAt}`, doc.page.width - 300, bottom, { width: 240 });
    doc.text(f.authority.signatoryTitle, { width: 240 });
    doc.moveDown(2.5).font('Helvetica-Bold').text(f.authority.signatoryName, { width: 240 });
    const stamp = STAMPS[status];
    if (stamp) {
      const { width: w, height: h } = doc.page;
      doc.save().rotate(-20, { origin: [w / 2, h / 2] });
      doc
        .font('Helvetica-Bold')
        .fontSize(96)
        .fillColor('#b00020', 0.35)
        .text(stamp, 0, h / 2 - 60, { width: w, align: 'center', lineBreak: false });
      doc.restore();
      doc
        .fillColor('#b00020', 1)
        .font('Helvetica-Bold')
        .fontSize(11)
        .text(STAMP_NOTES[status], 48, 36, { width, align: 'center' });
    }
    doc.end();
    return done;
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
      issuedAt: tanggal(c.issuedAt),
      expiresAt: c.expiresAt ? tanggal(c.expiresAt) : null,
      authority: this.config.authority,
      verifyUrl: this.verifyUrl(c),
    };
  }
}
