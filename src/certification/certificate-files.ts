import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import type { ExportedFile } from '../platform/http/table-export.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificatesService, maskNip } from './certificates.service.js';
import type { Certificate } from './certification.entity.js';
import { CredentialSigner } from './credential-signer.js';

/** The downloads of a certificate: its PDF and its signed credential. */
@Injectable()
export class CertificateFiles {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly renderer: CertificateRenderer,
    private readonly signer: CredentialSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async pdf(caller: AuthUser, id: string): Promise<ExportedFile> {
    const certificate = await this.certificates.get(caller, id);
    return {
      body: await this.renderer.pdf(certificate),
      contentType: 'application/pdf',
      filename: `sertifikat-${certificate.code}.pdf`,
    };
  }

  /** Open Badges 3.0 / W3C Verifiable Credential, signed as a JWT with the platform key. */
  async credential(caller: AuthUser, id: string): Promise<ExportedFile> {
    const certificate = await this.certificates.get(caller, id);
    const jwt = await this.signer.sign(
      this.credentialOf(certificate),
      certificate.userId,
      certificate.id,
    );
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
      credentialStatus: { id: `${base}/api/v1/verify/${c.code}`, type: 'VerificationApi' },
    };
  }
}
