import type { SelectQueryBuilder } from 'typeorm';
import type { ReportScope } from './report-scope.js';

/** Share as a percentage with one decimal; 0 of 0 is 0. */
export const percent = (part: number, whole: number) =>
  whole ? Math.round((part / whole) * 1000) / 10 : 0;

export const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/**
 * Restricts a query over ASN (`u` users, `p` their position) to the scope: the caller's or the
 * chosen sectors (by the sector of the ASN's position), an org unit and a position.
 */
export function whereAsnInScope<T extends object>(
  query: SelectQueryBuilder<T>,
  scope: ReportScope,
  alias = 'u',
  positionAlias = 'p',
): SelectQueryBuilder<T> {
  query
    .andWhere(`${alias}.role = :asnRole`, { asnRole: 'asn' })
    .andWhere(`${alias}.active = :asnActive`, { asnActive: true });
  if (scope.sectors)
    query.andWhere(`${positionAlias}.sector IN (:...scopeSectors)`, {
      scopeSectors: scope.sectors.length ? scope.sectors : ['-'],
    });
  return whereLearnerInScope(query, scope, alias);
}

/** The org unit and position filters alone, for queries over learners of a sector's records. */
export function whereLearnerInScope<T extends object>(
  query: SelectQueryBuilder<T>,
  scope: ReportScope,
  alias = 'u',
): SelectQueryBuilder<T> {
  if (scope.orgUnitId)
    query.andWhere(`${alias}.orgUnitId = :scopeOrgUnit`, { scopeOrgUnit: scope.orgUnitId });
  if (scope.positionId)
    query.andWhere(`${alias}.positionId = :scopePosition`, { scopePosition: scope.positionId });
  return query;
}

/** Records owned by a sector (courses, assessments, schemes) within the scope's sectors. */
export function whereSectorInScope<T extends object>(
  query: SelectQueryBuilder<T>,
  scope: ReportScope,
  column: string,
): SelectQueryBuilder<T> {
  if (scope.sectors)
    query.andWhere(`${column} IN (:...recordSectors)`, {
      recordSectors: scope.sectors.length ? scope.sectors : ['-'],
    });
  return query;
}
