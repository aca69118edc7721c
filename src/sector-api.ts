/**
 * The public face of the core for sector modules. A sector imports only from here, never
 * from core internals or from another sector.
 *
 * @example
 * ```ts
 * // modules/health/health.sector.ts
 * @SectorModule({
 *   key: 'health',
 *   name: { id: 'Kesehatan', en: 'Health' },
 *   code: 'KES',                         // printed in certificate numbers (SERT-KES)
 *   version: '1.0.0',
 *   requires: '^1.0.0',
 *   content: join(moduleDir(import.meta.url), 'content'),
 *   questionTypes: [DosageCalculationType],
 * })
 * export class HealthSector {}
 * ```
 */
export { SectorModule } from './registry/sector-manifest.js';
export type {
  LocalisedText,
  SectorManifest,
  SectorMessages,
  SectorModuleOptions,
} from './registry/sector-manifest.js';
/** Translates a key known at run time, a sector's own (`sector.<key>.…`) included. */
export { tDynamic } from './platform/i18n/i18n.js';
export type {
  QuestionType,
  GradeOutcome,
  PickSpec,
  EligibilityRule,
  EligibilityContext,
} from './registry/extension-points.js';
export {
  QuestionTypeRegistry,
  EligibilityRuleRegistry,
  TemplateRegistry,
} from './registry/registries.js';
export { SectorsService, SectorEvents } from './registry/sectors.service.js';
export { DateTimeColumn, DecimalColumn, JsonColumn, columnSpec } from './database/columns.js';
export { TransactionService } from './database/transaction.service.js';
export { AuditService } from './platform/audit/audit.service.js';
export { JobLeaseService, tickOf } from './platform/scheduler/job-lease.service.js';
export { DomainError, errorFamily } from './platform/http/domain-error.js';
export { Allow, CurrentUser, Public } from './platform/auth/auth.decorators.js';
export type { AuthUser } from './platform/auth/auth-user.js';
export { AccessService } from './platform/auth/access.service.js';
export { GapRecommenderRegistry } from './competency/recommendations.js';
/** Import `CompetencyModule` in a sector module to inject `EvidenceService` (e.g. `heldLevel`). */
export { CompetencyModule } from './competency/competency.module.js';
export { EvidenceService } from './competency/evidence.service.js';
export type { GapRecommender, GapNeed, Recommendation } from './competency/recommendations.js';

import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from './config/paths.js';

/** The folder of a module file, from its `import.meta.url` (ESM has no `__dirname`). */
export function moduleDir(importMetaUrl: string): string {
  const dir = dirname(fileURLToPath(importMetaUrl));
  // Compiled code runs from dist/; a sector's content and templates stay in its source folder.
  const fromDist = relative(join(projectRoot, 'dist'), dir);
  return fromDist && !fromDist.startsWith('..') && !isAbsolute(fromDist)
    ? join(projectRoot, fromDist)
    : dir;
}
