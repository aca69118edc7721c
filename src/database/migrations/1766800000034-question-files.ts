import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/** Images and audio of questions, stored by content hash, one row per bank (ADR 0034). */
export class QuestionFiles1766800000034 implements MigrationInterface {
  name = 'QuestionFiles1766800000034';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'question_files',
        columns: [
          c.id(),
          c.ref('bankId'),
          c.string('hash', 64),
          c.string('ext', 5),
          c.string('contentType', 40),
          c.int('size'),
          c.ref('createdBy', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_question_files_bank_hash',
            columnNames: ['bankId', 'hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_question_files_hash', columnNames: ['hash'] }),
        ],
        foreignKeys: [c.foreignKey('bankId', 'question_banks', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('question_files');
  }
}
