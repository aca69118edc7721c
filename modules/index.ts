import { AdministrationItSector } from './administration-it/administration-it.sector.js';
import { EducationSector } from './education/education.sector.js';
import { HealthSector } from './health/health.sector.js';

/** The one list of sector modules the core loads. A new sector is a folder and a line here. */
export const sectors = [HealthSector, EducationSector, AdministrationItSector];
