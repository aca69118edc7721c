import type { ExportColumn } from '../platform/http/table-export.js';
import type { JpCreditResponse } from './learning.response.js';

/** The columns of a person's own JP ledger, as `/me/jp?format=` and the personal export write it. */
export const JP_CREDIT_COLUMNS: readonly ExportColumn<JpCreditResponse>[] = [
  { header: 'Nama Pelatihan', kind: 'text', value: (c) => c.title },
  { header: 'Sumber', kind: 'text', value: (c) => c.source },
  { header: 'Kode Kurikulum', kind: 'text', value: (c) => c.courseCode },
  { header: 'Versi', kind: 'text', value: (c) => c.courseVersion },
  { header: 'Tanggal Mulai', kind: 'date', value: (c) => c.startedAt },
  { header: 'Tanggal Selesai', kind: 'date', value: (c) => c.completedAt },
  { header: 'JP', kind: 'number', value: (c) => c.jp },
  { header: 'Dihitung', kind: 'text', value: (c) => (c.counted ? 'Ya' : 'Tidak') },
  { header: 'Catatan', kind: 'text', value: (c) => c.note },
];
