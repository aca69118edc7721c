import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * A certification scheme may require its assessments to be passed in a supervised exam
 * session (ujian tersupervisi): only a pass sat in a session counts toward it. Existing
 * schemes keep counting every pass.
 */
export class SchemeSupervision1766361600000 implements MigrationInterface {
  name = 'SchemeSupervision1766361600000';

  async up(q: QueryRunner): Promise<void> {
    // The default is written `0`, not `false`: SQLite keeps a default's text as written, and
    // TypeORM compares the entity's `false` as `0` (a `false` here shows as schema drift).
    await q.addColumn(
      'certification_schemes',
      new TableColumn({ ...c.bool('requiresSupervision'), default: 0 }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('certification_schemes', 'requiresSupervision');
  }
}
