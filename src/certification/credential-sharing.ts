import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import QRCode from 'qrcode';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { wallClock } from '../platform/i18n/local-format.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import type { ExportedFile } from '../platform/http/table-export.js';
import { certificateError, tanggal } from './certificate-format.js';
import { CertificateFiles } from './certificate-files.js';
import { CertificatesService } from './certificates.service.js';
import type { Certificate } from './certification.entity.js';

/** What a holder needs to share a certificate: its public address, QR, LinkedIn entry, files. */
export interface CredentialShare {
  id: string;
  number: string;
  scheme: string;
  status: string;
  issuedText: string;
  expiresText: string;
  verifyUrl: string;
  qrSvg: string;
  /** Null when the certificate was revoked: nothing to add to a profile. */
  linkedInUrl: string | null;
  /** The decoded credential (header and claims), pretty-printed; null when revoked. */
  json: string | null;
  jwksUrl: string;
  /** The public form that takes a code or a printed number. */
  verifyFormUrl: string;
  code: string;
  issuer: string;
}

/**
 * The holder's credential page: a signed credential is only useful when the holder can show
 * it. Everything here is built from the same signed JWT the API hands out, so the JSON on the
 * page and in the download is exactly what a verifier checks.
 */
@Injectable()
export class CredentialSharing {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly files: CertificateFiles,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async share(caller: AuthUser, id: string): Promise<CredentialShare> {
    const certificate = await this.own(caller, id);
    const status = this.certificates.effectiveStatus(certificate);
    const verifyUrl = `${this.config.publicUrl}/verify/${certificate.code}`;
    const revoked = certificate.status === 'revoked';
    return {
      id: certificate.id,
      number: certificate.number!,
      scheme: certificate.snapshot.schemeTitle,
      status,
      issuedText: tanggal(certificate.issuedAt, this.config.timeZone),
      expiresText: tanggal(certificate.expiresAt, this.config.timeZone),
      verifyUrl,
      qrSvg: await QRCode.toString(verifyUrl, { type: 'svg', margin: 1 }),
      linkedInUrl: revoked ? null : this.linkedIn(certificate, verifyUrl),
      json: revoked ? null : JSON.stringify(await this.decoded(caller, id), null, 2),
      jwksUrl: `${this.config.publicUrl}/.well-known/jwks.json`,
      verifyFormUrl: `${this.config.publicUrl}/verify`,
      code: certificate.code,
      issuer: this.config.authority.agency,
    };
  }

  /** The signed credential (VC-JWT), as the API's; 410 when revoked. */
  async jwt(caller: AuthUser, id: string): Promise<ExportedFile> {
    await this.own(caller, id);
    return this.files.credential(caller, id);
  }

  /** The same credential decoded: its protected header and its claims, as JSON. */
  async json(caller: AuthUser, id: string): Promise<ExportedFile> {
    const certificate = await this.own(caller, id);
    return {
      body: Buffer.from(JSON.stringify(await this.decoded(caller, id), null, 2), 'utf8'),
      contentType: 'application/json',
      filename: `sertifikat-${certificate.code}.json`,
    };
  }

  /**
   * LinkedIn's "add licence or certification" form, pre-filled
   * (https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME). Months are 1–12, in
   * the city's time (TIME_ZONE) as printed on the certificate.
   */
  linkedIn(certificate: Certificate, verifyUrl: string): string {
    const monthOf = (d: Date) => {
      const [year, month] = wallClock(d, this.config.timeZone).split('-').map(Number);
      return { year, month };
    };
    const issued = monthOf(certificate.issuedAt);
    const expires = certificate.expiresAt ? monthOf(certificate.expiresAt) : null;
    const params: [string, string | number][] = [
      ['startTask', 'CERTIFICATION_NAME'],
      ['name', certificate.snapshot.schemeTitle],
      ['organizationName', this.config.authority.agency],
      ['issueYear', issued.year],
      ['issueMonth', issued.month],
      ...(expires
        ? ([
            ['expirationYear', expires.year],
            ['expirationMonth', expires.month],
          ] as [string, number][])
        : []),
      ['certId', certificate.number ?? ''],
      ['certUrl', verifyUrl],
    ];
    const query = params.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
    return `https://www.linkedin.com/profile/add?${query}`;
  }

  /** Only the holder: staff manage certificates elsewhere, they do not share them. */
  private async own(caller: AuthUser, id: string): Promise<Certificate> {
    const certificate = await this.certificates.get(caller, id);
    if (certificate.userId !== caller.id) throw certificateError('certificate.not_found');
    return certificate;
  }

  private async decoded(caller: AuthUser, id: string) {
    const jwt = (await this.files.credential(caller, id)).body.toString('utf8');
    return { header: decodeProtectedHeader(jwt), payload: decodeJwt(jwt) };
  }
}
