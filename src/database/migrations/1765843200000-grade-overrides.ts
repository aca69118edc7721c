import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * An admin's override of a machine-graded item (ADR 0020): the reason, kept apart from a
 * person's grade of an essay, so that a regrade can recompute the machine's items and keep
 * (and say it keeps) only an explicit override.
 */
export class GradeOverrides1765843200000 implements MigrationInterface {
  name = 'GradeOverrides1765843200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('attempt_items', new TableColumn(c.text('overrideReason', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('attempt_items', 'overrideReason');
  }
}
