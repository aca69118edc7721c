import { Injectable, OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../platform/auth/auth-user.js';
import {
  PersonalDataSections,
  table,
  type PersonalDataPart,
  type PersonalDataSection,
} from '../platform/personal-data/personal-data.js';
import { CertificatesService } from './certificates.service.js';
import { CredentialSharing } from './credential-sharing.js';

/**
 * A person's certificates, each with its signed verifiable credential (the VC-JWT the
 * certificate page offers, and the same decoded); a revoked one has none (ADR 0038).
 */
@Injectable()
export class CertificationPersonalData implements PersonalDataSection, OnModuleInit {
  readonly order = 50;

  constructor(
    private readonly sections: PersonalDataSections,
    private readonly certificates: CertificatesService,
    private readonly credentials: CredentialSharing,
  ) {}

  onModuleInit(): void {
    this.sections.register(this);
  }

  async collect(person: AuthUser): Promise<PersonalDataPart[]> {
    const mine = await this.certificates.mine(person);
    const withCredentials = [];
    for (const c of mine) {
      const revoked = c.status === 'revoked';
      withCredentials.push({
        ...c,
        credential: revoked
          ? null
          : {
              jwt: (await this.credentials.jwt(person, c.id)).body.toString('utf8'),
              decoded: JSON.parse(
                (await this.credentials.json(person, c.id)).body.toString('utf8'),
              ) as unknown,
            },
      });
    }
    return [
      {
        file: 'sertifikat',
        describes:
          'sertifikat Anda: nomor, kode verifikasi, skema, status, masa berlaku, kompetensi, dan kredensial terverifikasi yang ditandatangani (VC-JWT)',
        json: withCredentials,
        tables: [
          table('sertifikat', mine, [
            { header: 'Nomor', kind: 'text', value: (c) => c.number },
            { header: 'NIP Pemegang', kind: 'text', value: (c) => c.holderNip },
            { header: 'Kode Verifikasi', kind: 'text', value: (c) => c.code },
            { header: 'Skema', kind: 'text', value: (c) => c.scheme },
            { header: 'Sektor', kind: 'text', value: (c) => c.sector },
            { header: 'Status', kind: 'text', value: (c) => c.status },
            { header: 'Terbit', kind: 'datetime', value: (c) => c.issuedAt },
            { header: 'Berlaku Sampai', kind: 'datetime', value: (c) => c.expiresAt },
            { header: 'Dicabut', kind: 'datetime', value: (c) => c.revokedAt },
          ]),
        ],
      },
    ];
  }
}
