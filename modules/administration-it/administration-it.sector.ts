import { join } from 'node:path';
import { moduleDir, SectorModule } from '../../src/sector-api.js';
import { OrderingType } from './ordering.type.js';

const here = moduleDir(import.meta.url);

@SectorModule({
  key: 'administration-it',
  name: { id: 'Administrasi & TI', en: 'Administration & IT' },
  code: 'ADM',
  version: '1.0.0',
  requires: '^1.0.0',
  description: {
    id: 'Kompetensi administrasi perkantoran dan teknologi informasi: aplikasi perkantoran, pengolahan data, kearsipan dan layanan SPBE, keamanan informasi.',
    en: 'Office administration and IT competencies: office applications, data management, records and e-government services, information security awareness.',
  },
  icon: 'administration-it', // templates/assets/icons/administration-it.svg
  content: join(here, 'content'),
  templates: join(here, 'templates'),
  questionTypes: [OrderingType],
})
export class AdministrationItSector {}
