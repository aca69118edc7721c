import { Injectable } from '@nestjs/common';
import { GapReportService, type HeatmapCell } from '../competency/gap-report.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { TableExports } from '../platform/http/table-exports.service.js';
import type {
  CsvDelimiter,
  ExportColumn,
  ExportedFile,
  ExportFormat,
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

const FLAG_LABEL: Record<string, string> = {
  negative_discrimination: 'Daya beda negatif',
  nobody_right: 'Tak ada yang benar',
  everybody_right: 'Semua benar',
};

const ITEM_COLUMNS: ExportColumn<ItemRow>[] = [
  { header: 'Soal', kind: 'text', value: (r) => r.name },
  { header: 'Versi', kind: 'number', value: (r) => r.version },
  { header: 'Tipe', kind: 'text', value: (r) => r.type },
  { header: 'Jumlah Percobaan', kind: 'number', value: (r) => r.attempts },
  { header: 'Benar Penuh', kind: 'number', value: (r) => r.correct },
  { header: 'Indeks Kemudahan', kind: 'number', value: (r) => r.facility },
  { header: 'Indeks Daya Beda', kind: 'number', value: (r) => r.discrimination },
  { header: 'Tidak Dijawab', kind: 'number', value: (r) => r.unanswered },
  {
    header: 'Pilihan Dipilih',
    kind: 'text',
    value: (r) => (r.options ?? []).map((o) => `${o.text}: ${o.chosen}`).join('; '),
  },
  {
    header: 'Tanda',
    kind: 'text',
    value: (r) => r.flags.map((f) => FLAG_LABEL[f] ?? f).join('; '),
  },
];

export const HEATMAP_COLUMNS: ExportColumn<HeatmapCell>[] = [
  { header: 'Unit Kerja', kind: 'text', value: (c) => c.orgUnit },
  { header: 'Kode Kompetensi', kind: 'text', value: (c) => c.competency },
  { header: 'Jumlah Persyaratan', kind: 'number', value: (c) => c.requirements },
  { header: 'Terpenuhi', kind: 'number', value: (c) => c.met },
  { header: 'Persen Terpenuhi', kind: 'number', value: (c) => c.percentMet },
];

/** The table reports by key: the API, the page downloads and the dashboards share them. */
@Injectable()
export class ReportTables {
  private readonly tables: Record<TableReportKey, TableReport<never>>;

  constructor(
    workforce: WorkforceReports,
    programmes: ProgrammeReports,
    private readonly gapReport: GapReportService,
    private readonly exports: TableExports,
  ) {
    const table = <T>(report: TableReport<T>) => report as unknown as TableReport<never>;
    this.tables = {
      workforce: table({
        file: 'asn-per-unit',
        rows: (_, scope) => workforce.workforce(scope),
        columns: [
          { header: 'Sektor', kind: 'text', value: (r) => r.sector },
          { header: 'Kode Unit Kerja', kind: 'text', value: (r) => r.orgUnitCode },
          { header: 'Unit Kerja', kind: 'text', value: (r) => r.orgUnitName },
          { header: 'Jumlah ASN', kind: 'number', value: (r) => r.asn },
        ],
      }),
      'jp-compliance': table({
        file: 'kepatuhan-jp',
        rows: (_, scope) => workforce.jpCompliance(scope),
        columns: [
          { header: 'Kode Unit Kerja', kind: 'text', value: (r) => r.orgUnitCode },
          { header: 'Unit Kerja', kind: 'text', value: (r) => r.orgUnitName },
          { header: 'Jumlah ASN', kind: 'number', value: (r) => r.asn },
          { header: 'ASN Mencapai 20 JP', kind: 'number', value: (r) => r.compliant },
          { header: 'Persen Mencapai', kind: 'number', value: (r) => r.percentCompliant },
          { header: 'Rata-rata JP', kind: 'number', value: (r) => r.averageJp },
        ],
      }),
      'certification-coverage': table({
        file: 'cakupan-sertifikasi',
        rows: (_, scope) => workforce.certificationCoverage(scope),
        columns: [
          { header: 'Kode Jabatan', kind: 'text', value: (r) => r.positionCode },
          { header: 'Jabatan', kind: 'text', value: (r) => r.positionName },
          { header: 'Sektor', kind: 'text', value: (r) => r.sector },
          { header: 'Skema Wajib', kind: 'text', value: (r) => r.schemes.join(', ') },
          { header: 'Jumlah ASN', kind: 'number', value: (r) => r.asn },
          { header: 'ASN Bersertifikat', kind: 'number', value: (r) => r.covered },
          { header: 'Persen Cakupan', kind: 'number', value: (r) => r.percentCovered },
        ],
      }),
      'expiring-certificates': table({
        file: 'sertifikat-akan-berakhir',
        rows: (_, scope) => workforce.expiringCertificates(scope),
        columns: [
          { header: 'Nomor Sertifikat', kind: 'text', value: (r) => r.number },
          { header: 'Nama', kind: 'text', value: (r) => r.holderName },
          { header: 'NIP', kind: 'text', value: (r) => r.holderNip },
          { header: 'Unit Kerja', kind: 'text', value: (r) => r.orgUnit },
          { header: 'Skema', kind: 'text', value: (r) => r.scheme },
          { header: 'Sektor', kind: 'text', value: (r) => r.sector },
          { header: 'Berlaku Sampai', kind: 'date', value: (r) => r.expiresAt },
          { header: 'Sisa Hari', kind: 'number', value: (r) => r.daysLeft },
        ],
      }),
      'live-exams': table({
        file: 'ujian-berlangsung',
        rows: (_, scope) => workforce.liveExams(scope),
        columns: [
          { header: 'Ujian', kind: 'text', value: (r) => r.title },
          { header: 'Sektor', kind: 'text', value: (r) => r.sector },
          { header: 'Ditutup', kind: 'datetime', value: (r) => r.closesAt },
          { header: 'Sedang Mengerjakan', kind: 'number', value: (r) => r.sitting },
        ],
      }),
      courses: table({
        file: 'pelatihan',
        rows: (_, scope) => programmes.courses(scope),
        columns: [
          { header: 'Kode Pelatihan', kind: 'text', value: (r) => r.code },
          { header: 'Pelatihan', kind: 'text', value: (r) => r.title },
          { header: 'Sektor', kind: 'text', value: (r) => r.sector },
          { header: 'Peserta', kind: 'number', value: (r) => r.enrolled },
          { header: 'Selesai', kind: 'number', value: (r) => r.completed },
          { header: 'Persen Selesai', kind: 'number', value: (r) => r.percentCompleted },
          { header: 'Lewat Tenggat', kind: 'number', value: (r) => r.overdue },
          {
            header: 'Rata-rata Hari Menyelesaikan',
            kind: 'number',
            value: (r) => r.averageDaysToComplete,
          },
        ],
      }),
      assessments: table({
        file: 'hasil-ujian-per-ujian',
        rows: (_, scope) => programmes.assessments(scope),
        columns: [
          { header: 'Ujian', kind: 'text', value: (r) => r.title },
          { header: 'Sektor', kind: 'text', value: (r) => r.sector },
          { header: 'Batas Lulus (%)', kind: 'number', value: (r) => r.passPercent },
          { header: 'Percobaan Dinilai', kind: 'number', value: (r) => r.attempts },
          { header: 'Peserta', kind: 'number', value: (r) => r.candidates },
          { header: 'Lulus', kind: 'number', value: (r) => r.passed },
          { header: 'Persen Lulus', kind: 'number', value: (r) => r.percentPassed },
          { header: 'Rata-rata Nilai (%)', kind: 'number', value: (r) => r.averagePercent },
          { header: 'Menunggu Penilaian', kind: 'number', value: (r) => r.awaitingGrading },
          {
            header: 'Sebaran Nilai (0–100, per 10)',
            kind: 'text',
            value: (r) => r.histogram.join(' '),
          },
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

  file(
    key: TableReportKey,
    rows: unknown[],
    scope: ReportScope,
    format: ExportFormat,
    delimiter: CsvDelimiter,
  ) {
    const table = this.tables[key];
    const name = `${table.file}-${scope.year}`;
    return this.exports.write(name, rows as never[], table.columns, format, delimiter);
  }

  itemsFile(
    items: ItemRow[],
    format: ExportFormat,
    delimiter: CsvDelimiter,
  ): Promise<ExportedFile> {
    return this.exports.write('analisis-butir-soal', items, ITEM_COLUMNS, format, delimiter);
  }

  async heatmapFile(
    caller: AuthUser,
    scope: ReportScope,
    format: ExportFormat,
    delimiter: CsvDelimiter,
  ): Promise<ExportedFile> {
    const heatmap = await this.gapReport.heatmap(caller, scope.now, scope);
    return this.exports.write(
      'peta-kesenjangan',
      heatmap.cells,
      HEATMAP_COLUMNS,
      format,
      delimiter,
    );
  }
}
