import { Injectable } from '@nestjs/common';
import { GapReportService, type HeatmapCell } from '../competency/gap-report.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import {
  exportTable,
  type ExportColumn,
  type ExportedFile,
  type ExportFormat,
} from '../platform/http/table-export.js';
import type { ItemRow } from './programme-reports.service.js';
import { ProgrammeReports } from './programme-reports.service.js';
import { reportError, type ReportScope } from './report-scope.js';
import { WorkforceReports } from './workforce-reports.service.js';

/** A report that is a table: how to compute its rows and how its columns are headed in Indonesian. */
interface TableReport<T> {
  file: string;
  rows: (caller: AuthUser, scope: ReportScope) => Promise<T[]>;
  columns: ExportColumn<T>[];
}

export const TABLE_REPORTS = [
  'workforce',
  'jp-compliance',
  'certification-coverage',
  'expiring-certificates',
  'live-exams',
  'courses',
  'assessments',
] as const;
export type TableReportKey = (typeof TABLE_REPORTS)[number];

const dateOnly = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
const FLAG_LABEL: Record<string, string> = {
  negative_discrimination: 'Daya beda negatif',
  nobody_right: 'Tak ada yang benar',
  everybody_right: 'Semua benar',
};

const ITEM_COLUMNS: ExportColumn<ItemRow>[] = [
  { header: 'Soal', value: (r) => r.name },
  { header: 'Versi', value: (r) => r.version },
  { header: 'Tipe', value: (r) => r.type },
  { header: 'Jumlah Percobaan', value: (r) => r.attempts },
  { header: 'Benar Penuh', value: (r) => r.correct },
  { header: 'Indeks Kemudahan', value: (r) => r.facility },
  { header: 'Indeks Daya Beda', value: (r) => r.discrimination },
  { header: 'Tidak Dijawab', value: (r) => r.unanswered },
  {
    header: 'Pilihan Dipilih',
    value: (r) => (r.options ?? []).map((o) => `${o.text}: ${o.chosen}`).join('; '),
  },
  { header: 'Tanda', value: (r) => r.flags.map((f) => FLAG_LABEL[f] ?? f).join('; ') },
];

export const HEATMAP_COLUMNS: ExportColumn<HeatmapCell>[] = [
  { header: 'Unit Kerja', value: (c) => c.orgUnit },
  { header: 'Kode Kompetensi', value: (c) => c.competency },
  { header: 'Jumlah Persyaratan', value: (c) => c.requirements },
  { header: 'Terpenuhi', value: (c) => c.met },
  { header: 'Persen Terpenuhi', value: (c) => c.percentMet },
];

/** The table reports by key: the API, the page downloads and the dashboards share them. */
@Injectable()
export class ReportTables {
  private readonly tables: Record<TableReportKey, TableReport<never>>;

  constructor(
    workforce: WorkforceReports,
    programmes: ProgrammeReports,
    private readonly gapReport: GapReportService,
  ) {
    const table = <T>(report: TableReport<T>) => report as unknown as TableReport<never>;
    this.tables = {
      workforce: table({
        file: 'asn-per-unit',
        rows: (_, scope) => workforce.workforce(scope),
        columns: [
          { header: 'Sektor', value: (r) => r.sector },
          { header: 'Kode Unit Kerja', value: (r) => r.orgUnitCode },
          { header: 'Unit Kerja', value: (r) => r.orgUnitName },
          { header: 'Jumlah ASN', value: (r) => r.asn },
        ],
      }),
      'jp-compliance': table({
        file: 'kepatuhan-jp',
        rows: (_, scope) => workforce.jpCompliance(scope),
        columns: [
          { header: 'Kode Unit Kerja', value: (r) => r.orgUnitCode },
          { header: 'Unit Kerja', value: (r) => r.orgUnitName },
          { header: 'Jumlah ASN', value: (r) => r.asn },
          { header: 'ASN Mencapai 20 JP', value: (r) => r.compliant },
          { header: 'Persen Mencapai', value: (r) => r.percentCompliant },
          { header: 'Rata-rata JP', value: (r) => r.averageJp },
        ],
      }),
      'certification-coverage': table({
        file: 'cakupan-sertifikasi',
        rows: (_, scope) => workforce.certificationCoverage(scope),
        columns: [
          { header: 'Kode Jabatan', value: (r) => r.positionCode },
          { header: 'Jabatan', value: (r) => r.positionName },
          { header: 'Sektor', value: (r) => r.sector },
          { header: 'Skema Wajib', value: (r) => r.schemes.join(', ') },
          { header: 'Jumlah ASN', value: (r) => r.asn },
          { header: 'ASN Bersertifikat', value: (r) => r.covered },
          { header: 'Persen Cakupan', value: (r) => r.percentCovered },
        ],
      }),
      'expiring-certificates': table({
        file: 'sertifikat-akan-berakhir',
        rows: (_, scope) => workforce.expiringCertificates(scope),
        columns: [
          { header: 'Nomor Sertifikat', value: (r) => r.number },
          { header: 'Nama', value: (r) => r.holderName },
          { header: 'NIP', value: (r) => r.holderNip },
          { header: 'Unit Kerja', value: (r) => r.orgUnit },
          { header: 'Skema', value: (r) => r.scheme },
          { header: 'Sektor', value: (r) => r.sector },
          { header: 'Berlaku Sampai', value: (r) => dateOnly(r.expiresAt) },
          { header: 'Sisa Hari', value: (r) => r.daysLeft },
        ],
      }),
      'live-exams': table({
        file: 'ujian-berlangsung',
        rows: (_, scope) => workforce.liveExams(scope),
        columns: [
          { header: 'Ujian', value: (r) => r.title },
          { header: 'Sektor', value: (r) => r.sector },
          { header: 'Ditutup', value: (r) => dateOnly(r.closesAt) },
          { header: 'Sedang Mengerjakan', value: (r) => r.sitting },
        ],
      }),
      courses: table({
        file: 'pelatihan',
        rows: (_, scope) => programmes.courses(scope),
        columns: [
          { header: 'Kode Pelatihan', value: (r) => r.code },
          { header: 'Pelatihan', value: (r) => r.title },
          { header: 'Sektor', value: (r) => r.sector },
          { header: 'Peserta', value: (r) => r.enrolled },
          { header: 'Selesai', value: (r) => r.completed },
          { header: 'Persen Selesai', value: (r) => r.percentCompleted },
          { header: 'Lewat Tenggat', value: (r) => r.overdue },
          { header: 'Rata-rata Hari Menyelesaikan', value: (r) => r.averageDaysToComplete },
        ],
      }),
      assessments: table({
        file: 'hasil-ujian-per-ujian',
        rows: (_, scope) => programmes.assessments(scope),
        columns: [
          { header: 'Ujian', value: (r) => r.title },
          { header: 'Sektor', value: (r) => r.sector },
          { header: 'Batas Lulus (%)', value: (r) => r.passPercent },
          { header: 'Percobaan Dinilai', value: (r) => r.attempts },
          { header: 'Peserta', value: (r) => r.candidates },
          { header: 'Lulus', value: (r) => r.passed },
          { header: 'Persen Lulus', value: (r) => r.percentPassed },
          { header: 'Rata-rata Nilai (%)', value: (r) => r.averagePercent },
          { header: 'Menunggu Penilaian', value: (r) => r.awaitingGrading },
          { header: 'Sebaran Nilai (0–100, per 10)', value: (r) => r.histogram.join(' ') },
        ],
      }),
    };
  }

  /** The table's key, or a 404 naming the known ones. */
  key(value: string): TableReportKey {
    if ((TABLE_REPORTS as readonly string[]).includes(value)) return value as TableReportKey;
    throw reportError('report.not_found', {
      field: 'report',
      params: { report: value, available: TABLE_REPORTS.join(', ') },
    });
  }

  rows(key: TableReportKey, caller: AuthUser, scope: ReportScope): Promise<unknown[]> {
    return this.tables[key].rows(caller, scope);
  }

  file(key: TableReportKey, rows: unknown[], scope: ReportScope, format: ExportFormat) {
    const table = this.tables[key];
    return exportTable(`${table.file}-${scope.year}`, rows as never[], table.columns, format);
  }

  itemsFile(items: ItemRow[], format: ExportFormat): Promise<ExportedFile> {
    return exportTable('analisis-butir-soal', items, ITEM_COLUMNS, format);
  }

  async heatmapFile(
    caller: AuthUser,
    scope: ReportScope,
    format: ExportFormat,
  ): Promise<ExportedFile> {
    const heatmap = await this.gapReport.heatmap(caller, scope.now, scope);
    return exportTable('peta-kesenjangan', heatmap.cells, HEATMAP_COLUMNS, format);
  }
}
