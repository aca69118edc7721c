import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * A question's idnumber (Moodle's `idnumber`, GIFT's `[id:…]`), kept through import and
 * export. Unique in its bank (Moodle: in its category); NULL for the many without one.
 */
export class QuestionIdnumbers1766820000000 implements MigrationInterface {
  name = 'QuestionIdnumbers1766820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('questions', new TableColumn(c.string('idnumber', 100, true)));
    await q.createIndex(
      'questions',
      new TableIndex({
        name: 'uq_questions_bank_idnumber',
        columnNames: ['bankId', 'idnumber'],
        isUnique: true,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('questions', 'uq_questions_bank_idnumber');
    await q.dropColumn('questions', 'idnumber');
  }
}
