import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * Why a piece of evidence stopped counting (its certificate revoked, superseded by the
 * certificate issued from the exam pass, voided by a regrade) and what superseded it
 * (docs/adr/0019-evidence-lives-no-longer-than-its-source.md).
 */
export class EvidenceEnds1765756800000 implements MigrationInterface {
  name = 'EvidenceEnds1765756800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('evidence', [
      new TableColumn(c.string('endReason', 40, true)),
      new TableColumn(c.ref('supersededBy', true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('evidence', 'supersededBy');
    await q.dropColumn('evidence', 'endReason');
  }
}
