import type { Role } from '../identity/user.entity.js';

/**
 * Demo org units (OPD) of the city, created when DEMO_DATA is on; a unit below another names
 * its `parent` (ADR 0040), which comes first in the list.
 */
export const DEMO_ORG_UNITS: { code: string; name: string; parent?: string }[] = [
  { code: 'BKPSDM', name: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia' },
  { code: 'DINKES', name: 'Dinas Kesehatan' },
  { code: 'DISDIK', name: 'Dinas Pendidikan' },
  { code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' },
  { code: 'SETDA', name: 'Sekretariat Daerah' },
  { code: 'PKM-SADABUAN', name: 'UPTD Puskesmas Sadabuan', parent: 'DINKES' },
  { code: 'SDN-01-PSP', name: 'SD Negeri 1 Padangsidempuan', parent: 'DISDIK' },
  { code: 'DISKOMINFO-APTIKA', name: 'Bidang Aplikasi Informatika', parent: 'DISKOMINFO' },
];

export interface DemoPerson {
  nip?: string;
  email?: string;
  name: string;
  role: Role;
  sectors?: string[];
  unit: string;
  /** NIP of the direct supervisor (atasan langsung), another demo person. */
  supervisor?: string;
}

/**
 * Demo accounts; coordinators and ASN of a sector appear only when that sector is loaded.
 * The first two ASN of each sector get the demo's certificate and course work, so the
 * supervisors come last.
 */
export const DEMO_PEOPLE: (DemoPerson & { sector?: string })[] = [
  {
    email: 'admin@demo.sertifikasi.id',
    nip: '197804122003121002',
    name: 'Rahmat Hidayat Siregar',
    role: 'admin',
    unit: 'BKPSDM',
  },
  {
    email: 'koordinator.health@demo.sertifikasi.id',
    name: 'dr. Rina Marlina Harahap',
    role: 'coordinator',
    sector: 'health',
    unit: 'DINKES',
  },
  {
    nip: '199003152015032001',
    name: 'Nurhayati Harahap',
    role: 'asn',
    sector: 'health',
    unit: 'DINKES',
    supervisor: '197506182000032004',
  },
  {
    nip: '198807202014031002',
    name: 'dr. Fadli Nasution',
    role: 'asn',
    sector: 'health',
    unit: 'DINKES',
    supervisor: '197506182000032004',
  },
  {
    email: 'koordinator.education@demo.sertifikasi.id',
    name: 'Drs. Hasan Basri Lubis',
    role: 'coordinator',
    sector: 'education',
    unit: 'DISDIK',
  },
  {
    nip: '198512102010012003',
    name: 'Siti Aminah Lubis',
    role: 'asn',
    sector: 'education',
    unit: 'DISDIK',
    supervisor: '197108221996032002',
  },
  {
    nip: '199106052019031004',
    name: 'Ahmad Ridwan Pulungan',
    role: 'asn',
    sector: 'education',
    unit: 'DISDIK',
    supervisor: '197108221996032002',
  },
  {
    email: 'koordinator.administration-it@demo.sertifikasi.id',
    name: 'Irwan Syahputra Rangkuti',
    role: 'coordinator',
    sector: 'administration-it',
    unit: 'DISKOMINFO',
  },
  {
    nip: '199208172020121005',
    name: 'Dedi Kurniawan Daulay',
    role: 'asn',
    sector: 'administration-it',
    unit: 'DISKOMINFO',
    supervisor: '198002112005011003',
  },
  {
    nip: '198701302011012006',
    name: 'Maya Sari Hasibuan',
    role: 'asn',
    sector: 'administration-it',
    unit: 'SETDA',
    supervisor: '198002112005011003',
  },
  {
    nip: '197506182000032004',
    name: 'dr. Maya Sari Pohan',
    role: 'asn',
    sector: 'health',
    unit: 'PKM-SADABUAN',
  },
  {
    nip: '197108221996032002',
    name: 'Hj. Rosmawati Nasution, S.Pd.',
    role: 'asn',
    sector: 'education',
    unit: 'SDN-01-PSP',
  },
  {
    nip: '198002112005011003',
    name: 'Zulkarnain Batubara, S.Kom.',
    role: 'asn',
    sector: 'administration-it',
    unit: 'DISKOMINFO-APTIKA',
  },
];
