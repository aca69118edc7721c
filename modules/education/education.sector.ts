import { join } from 'node:path';
import { moduleDir, SectorModule } from '../../src/sector-api.js';

const here = moduleDir(import.meta.url);

@SectorModule({
  key: 'education',
  name: { id: 'Pendidikan', en: 'Education' },
  code: 'DIK',
  version: '1.0.0',
  requires: '^1.0.0',
  description: {
    id: 'Kompetensi pendidik dan tenaga kependidikan: perencanaan pembelajaran, pengelolaan kelas, asesmen pembelajaran, Kurikulum Merdeka.',
    en: 'Competencies of teachers and education staff: lesson planning, classroom management, assessment of learning, the national curriculum.',
  },
  icon: 'education', // templates/assets/icons/education.svg
  content: join(here, 'content'),
  templates: join(here, 'templates'),
})
export class EducationSector {}
