import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

const fk = c.foreignKey;

/** Question banks, nested categories, questions and their versions. */
export class QuestionBanks1764547200000 implements MigrationInterface {
  name = 'QuestionBanks1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'question_banks',
        columns: [
          c.id(),
          c.string('sector', 40),
          c.string('name', 200),
          c.text('description'),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [new TableIndex({ name: 'idx_question_banks_sector', columnNames: ['sector'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'question_categories',
        columns: [
          c.id(),
          c.ref('bankId'),
          c.ref('parentId', true),
          c.string('name', 200),
          c.text('info'),
        ],
        indices: [
          new TableIndex({ name: 'idx_question_categories_bank', columnNames: ['bankId'] }),
        ],
        foreignKeys: [fk('bankId', 'question_banks', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'questions',
        columns: [
          c.id(),
          c.ref('bankId'),
          c.ref('categoryId', true),
          c.string('name', 200),
          c.string('type', 40),
          c.int('currentVersion'),
          c.string('competencyCode', 40, true),
          c.int('competencyLevel', true),
          c.string('difficulty', 10, true),
          c.json('tags'),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [new TableIndex({ name: 'idx_questions_bank', columnNames: ['bankId'] })],
        foreignKeys: [fk('bankId', 'question_banks', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'question_versions',
        columns: [
          c.id(),
          c.ref('questionId'),
          c.int('version'),
          c.text('stem'),
          c.json('definition'),
          c.decimal('points', 6, 2),
          c.text('generalFeedback'),
          c.dateTime('usedAt', true),
          c.ref('createdBy', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_question_versions',
            columnNames: ['questionId', 'version'],
            isUnique: true,
          }),
        ],
        foreignKeys: [fk('questionId', 'questions', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['question_versions', 'questions', 'question_categories', 'question_banks'])
      await q.dropTable(table);
  }
}
