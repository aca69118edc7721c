import { Injectable, OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import {
  PersonalDataSections,
  table,
  type PersonalDataPart,
  type PersonalDataSection,
} from '../../platform/personal-data/personal-data.js';
import { AttemptsService } from './attempts.service.js';

/**
 * A person's attempts with their answers, each exactly as its attempt page shows it to them:
 * the right answers only where the assessment's review policy already shows them (ADR 0038).
 */
@Injectable()
export class AssessmentPersonalData implements PersonalDataSection, OnModuleInit {
  readonly order = 30;

  constructor(
    private readonly sections: PersonalDataSections,
    private readonly attempts: AttemptsService,
  ) {}

  onModuleInit(): void {
    this.sections.register(this);
  }

  async collect(person: AuthUser): Promise<PersonalDataPart[]> {
    const attempts = await this.attempts.allMine(person);
    return [
      {
        file: 'ujian',
        describes:
          'ujian yang Anda ikuti: setiap percobaan dengan soal, jawaban Anda dan hasilnya; kunci jawaban hanya bila kebijakan tinjauan ujian sudah mengizinkan',
        json: attempts,
        tables: [
          table('ujian', attempts, [
            { header: 'Ujian', kind: 'text', value: (a) => a.title },
            { header: 'Percobaan ke', kind: 'number', value: (a) => a.number },
            { header: 'Status', kind: 'text', value: (a) => a.status },
            { header: 'Mulai', kind: 'datetime', value: (a) => a.startedAt },
            { header: 'Dikumpulkan', kind: 'datetime', value: (a) => a.submittedAt },
            { header: 'Nilai', kind: 'number', value: (a) => a.result?.score ?? null },
            { header: 'Nilai Maksimal', kind: 'number', value: (a) => a.result?.maxScore ?? null },
            { header: 'Persen', kind: 'number', value: (a) => a.result?.percent ?? null },
            {
              header: 'Lulus',
              kind: 'text',
              value: (a) =>
                a.result?.passed === true ? 'Ya' : a.result?.passed === false ? 'Tidak' : null,
            },
          ]),
        ],
      },
    ];
  }
}
