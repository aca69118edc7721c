import { Injectable, OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../platform/auth/auth-user.js';
import {
  PersonalDataSections,
  table,
  type PersonalDataPart,
  type PersonalDataSection,
} from '../platform/personal-data/personal-data.js';
import { EnrollmentsService } from './enrollments.service.js';
import { JP_CREDIT_COLUMNS } from './jp-columns.js';

/** A person's enrolments with their progress, and their JP ledger of every year (ADR 0038). */
@Injectable()
export class LearningPersonalData implements PersonalDataSection, OnModuleInit {
  readonly order = 20;

  constructor(
    private readonly sections: PersonalDataSections,
    private readonly enrollments: EnrollmentsService,
  ) {}

  onModuleInit(): void {
    this.sections.register(this);
  }

  async collect(person: AuthUser): Promise<PersonalDataPart[]> {
    const enrolled = await this.enrollments.mine(person);
    const ledgers = [];
    for (const year of await this.enrollments.jpYears(person.id))
      ledgers.push(await this.enrollments.ledger(person.id, year));
    const credits = ledgers.flatMap((l) => l.credits.map((c) => ({ ...c, year: l.year })));
    return [
      {
        file: 'pelatihan',
        describes: 'pelatihan yang Anda ikuti: status, tanggal, kemajuan per pelajaran',
        json: enrolled.map((e) => ({
          id: e.id,
          status: e.status,
          course: { code: e.course.code, version: e.course.version, title: e.course.title },
          sector: e.course.sector,
          enrolledAt: e.enrolledAt,
          dueAt: e.dueAt,
          completedAt: e.completedAt,
          progress: e.progress,
          lessons: e.lessons,
        })),
        tables: [
          table('pelatihan', enrolled, [
            { header: 'Kode Kurikulum', kind: 'text', value: (e) => e.course.code },
            { header: 'Versi', kind: 'text', value: (e) => e.course.version },
            { header: 'Nama Pelatihan', kind: 'text', value: (e) => e.course.title },
            { header: 'Status', kind: 'text', value: (e) => e.status },
            { header: 'Terdaftar', kind: 'datetime', value: (e) => e.enrolledAt },
            { header: 'Selesai', kind: 'datetime', value: (e) => e.completedAt },
            { header: 'Kemajuan (%)', kind: 'number', value: (e) => e.progress.percent },
          ]),
        ],
      },
      {
        file: 'riwayat-jp',
        describes: 'jam pelajaran (JP) Anda per tahun, tiap baris dengan sumbernya',
        json: ledgers.map(({ year, target, total, credits }) => ({ year, target, total, credits })),
        tables: [
          table('riwayat-jp', credits, [
            { header: 'Tahun', kind: 'number', value: (c) => c.year },
            ...JP_CREDIT_COLUMNS,
          ]),
        ],
      },
    ];
  }
}
