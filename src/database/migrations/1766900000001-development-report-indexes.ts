import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Covering indexes for the two development reports at 10,000 ASN (ADR 0040; measured with
 * `npm run bench:development`): the learning gain pairs pre-tests with final attempts from
 * the index alone, and the agency plan sums plan items without fetching each row.
 */
export class DevelopmentReportIndexes1766900000001 implements MigrationInterface {
  name = 'DevelopmentReportIndexes1766900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'attempts',
      new TableIndex({
        name: 'idx_attempts_purpose',
        columnNames: ATTEMPT_COLUMNS,
      }),
    );
    await q.createIndex(
      'development_plan_items',
      new TableIndex({
        name: 'idx_development_plan_items_plan',
        columnNames: ITEM_COLUMNS,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('development_plan_items', 'idx_development_plan_items_plan');
    await q.dropIndex('attempts', 'idx_attempts_purpose');
  }
}

const ATTEMPT_COLUMNS = [
  'purpose',
  'assessmentId',
  'userId',
  'status',
  'startedAt',
  'percent',
  'passed',
];
const ITEM_COLUMNS = [
  'planId',
  'status',
  'kind',
  'code',
  'refId',
  'jp',
  'costIdr',
  'sector',
  'competencyCode',
  'deliveryMode',
];
