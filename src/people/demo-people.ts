import type { Role } from '../identity/user.entity.js';

/** Demo org units (OPD) of the city, created when DEMO_DATA is on. */
export const DEMO_ORG_UNITS = [
  { code: 'BKPSDM', name: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia' },
  { code: 'DINKES', name: 'Dinas Kesehatan' },
  { code: 'DISDIK', name: 'Dinas Pendidikan' },
  { code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' },
  { code: 'SETDA', name: 'Sekretariat Daerah' },
];

export interface DemoPerson {
  nip?: string;
  email?: string;
  name: string;
  role: Role;
  sectors?: string[];
  unit: string;
}

/** Demo accounts; coordinators and ASN of a sector appear only when that sector is loaded. */
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
  },
  {
    nip: '198807202014031002',
    name: 'dr. Fadli Nasution',
    role: 'asn',
    sector: 'health',
    unit: 'DINKES',
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
  },
  {
    nip: '199106052019031004',
    name: 'Ahmad Ridwan Pulungan',
    role: 'asn',
    sector: 'education',
    unit: 'DISDIK',
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
  },
  {
    nip: '198701302011012006',
    name: 'Maya Sari Hasibuan',
    role: 'asn',
    sector: 'administration-it',
    unit: 'SETDA',
  },
];
