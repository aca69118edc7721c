import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import type { ExportedFile } from '../platform/http/table-export.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificatesService, maskNip } from './certificates.service.js';
import type { Certificate } from './certification.entity.js';
import { CredentialSigner } from './credential-signer.js';
import { StatusLists } from './status-list.js';

const fileError = errorFamily({ 'certificate.revoked': 'gone' });

/**
 * The downloads of a certificate: its PDF and its signed credential. Both carry the
 * certificate's standing: the PDF of a certificate no longer valid is stamped (DICABUT,
 * KEDALUWARSA, DIPERBARUI) like its printable page, a revoked one's credential is no longer
 * handed out (410), and every credential expires (`exp`) with the certificate and points to
 * its bit in the public revocation list. Neither shows a digit of the NIP's birth date.
 */
@Injectable()
export class CertificateFiles {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly renderer: CertificateRenderer,
    private readonly signer: CredentialSigner,
    private readonly statusLists: StatusLists,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async pdf(caller: AuthUser, id: string): Promise<ExportedFile> {
    const certificate = await this.certificates.get(caller, id);
    return {
      body: await this.renderer.pdf(certificate, this.certificates.effectiveStatus(certificate)),
      contentType: 'application/pdf',
      filename: `sertifikat-${certificate.code}.pdf`,
    };
  }

  /** Open Badges 3.0 / W3C Verifiable Credential, signed as a JWT with the platform key. */
  async credential(caller: AuthUser, id: string): Promise<ExportedFile> {
    const certificate = await this.certificates.get(caller, id);
    if (certificate.status === 'revoked') throw fileError('certificate.revoked');
    // iat is the issuance, not the download: the same credential however often it is fetched.
    const jwt = await this.signer.sign(this.credentialOf(certificate), {
      subject: certificate.userId,
      id: certificate.id,
      issuedAt: certificate.issuedAt,
      notBefore: certificate.issuedAt,
      expiresAt: certificate.expiresAt,
    });
    return {
      body: Buffer.from(jwt, 'utf8'),
      contentType: 'application/vc+jwt',
      filename: `sertifikat-${certificate.code}.jwt`,
    };
  }

  private credentialOf(c: Certificate) {
    const base = this.config.publicUrl;
    return {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: `${base}/verify/${c.code}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: base, type: ['Profile'], name: this.config.authority.agency },
      validFrom: c.issuedAt.toISOString(),
      ...(c.expiresAt && { validUntil: c.expiresAt.toISOString() }),
      name: c.snapshot.schemeTitle,
      credentialSubject: {
        type: ['AchievementSubject'],
        name: c.holderName,
        ...(c.holderNip && {
          identifier: [
            {
              type: 'IdentityObject',
              identityType: 'identifier',
              hashed: false,
              identityHash: maskNip(c.holderNip),
            },
          ],
        }),
        achievement: {
          id: `${base}/skema/${encodeURIComponent(c.snapshot.schemeCode)}`,
          type: ['Achievement'],
          name: c.snapshot.schemeTitle,
          description: `Sertifikat kompetensi ${c.snapshot.sectorName}, nomor ${c.number}`,
          criteria: { narrative: 'Memenuhi seluruh persyaratan skema sertifikasi.' },
          alignment: c.snapshot.competencies.map((k) => ({
            type: ['Alignment'],
            targetName: `${k.code} ${k.title} (level ${k.level})`,
            targetUrl: `${base}/kompetensi-sektor`,
            targetCode: k.code,
          })),
        },
      },
      ...(c.statusIndex !== null && { credentialStatus: this.statusLists.entry(c.statusIndex) }),
    };
  }
}
