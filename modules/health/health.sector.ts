import { join } from 'node:path';
import { CompetencyModule, moduleDir, SectorModule } from '../../src/sector-api.js';
import { ObservedPracticeRule } from './observed-practice.rule.js';

const here = moduleDir(import.meta.url);

@SectorModule({
  key: 'health',
  name: { id: 'Kesehatan', en: 'Health' },
  code: 'KES',
  version: '1.0.0',
  requires: '^1.0.0',
  description: {
    id: 'Kompetensi tenaga kesehatan: keselamatan pasien, pencegahan dan pengendalian infeksi, bantuan hidup dasar, administrasi pelayanan kesehatan.',
    en: 'Competencies of health workers: patient safety, infection prevention and control, basic life support, health service administration.',
  },
  icon: 'health', // templates/assets/icons/health.svg
  content: join(here, 'content'),
  templates: join(here, 'templates'),
  imports: [CompetencyModule],
  eligibilityRules: [ObservedPracticeRule],
})
export class HealthSector {}
