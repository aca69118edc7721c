import { Injectable, OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../platform/auth/auth-user.js';
import {
  PersonalDataSections,
  table,
  type PersonalDataPart,
  type PersonalDataSection,
} from '../platform/personal-data/personal-data.js';
import { EvidenceService } from './evidence.service.js';

/** A person's competency evidence, as `GET /me/evidence` lists it (ADR 0038). */
@Injectable()
export class CompetencyPersonalData implements PersonalDataSection, OnModuleInit {
  readonly order = 40;

  constructor(
    private readonly sections: PersonalDataSections,
    private readonly evidence: EvidenceService,
  ) {}

  onModuleInit(): void {
    this.sections.register(this);
  }

  async collect(person: AuthUser): Promise<PersonalDataPart[]> {
    const rows = await this.evidence.list(person, person.id);
    return [
      {
        file: 'bukti-kompetensi',
        describes:
          'bukti kompetensi Anda: kompetensi, level, sumber (ujian, sertifikat, catatan manual), masa berlaku',
        json: rows,
        tables: [
          table('bukti-kompetensi', rows, [
            { header: 'Kode Kompetensi', kind: 'text', value: (e) => e.competency.code },
            { header: 'Kompetensi', kind: 'text', value: (e) => e.competency.title },
            { header: 'Level', kind: 'number', value: (e) => e.level },
            { header: 'Sumber', kind: 'text', value: (e) => e.source },
            { header: 'Alasan', kind: 'text', value: (e) => e.reason },
            { header: 'Dicapai', kind: 'datetime', value: (e) => e.achievedAt },
            { header: 'Berlaku Sampai', kind: 'datetime', value: (e) => e.expiresAt },
            { header: 'Berlaku', kind: 'text', value: (e) => (e.valid ? 'Ya' : 'Tidak') },
            { header: 'Berakhir', kind: 'datetime', value: (e) => e.endedAt },
          ]),
        ],
      },
    ];
  }
}
