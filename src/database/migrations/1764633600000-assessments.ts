import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

const fk = c.foreignKey;

/** Assessments, attempts and the items (question versions and answers) of each attempt. */
export class Assessments1764633600000 implements MigrationInterface {
  name = 'Assessments1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'assessments',
        columns: [
          c.id(),
          c.string('sector', 40),
          c.string('title', 200),
          c.text('instructions'),
          c.json('sections'),
          c.bool('shuffle'),
          c.int('timeLimitMinutes', true),
          c.int('maxAttempts'),
          c.string('scoring', 10),
          c.decimal('passPercent', 5, 2),
          c.dateTime('opensAt', true),
          c.dateTime('closesAt', true),
          c.json('audience'),
          c.string('reviewPolicy', 20),
          c.bool('reviewAfterClose'),
          c.json('attests'),
          c.string('layout', 10),
          c.string('status', 20),
          c.ref('createdBy', true),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'idx_assessments_sector', columnNames: ['sector', 'status'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'attempts',
        columns: [
          c.id(),
          c.ref('assessmentId'),
          c.ref('userId'),
          c.int('number'),
          c.string('openKey', 80, true),
          c.string('status', 20),
          c.dateTime('startedAt'),
          c.dateTime('deadline', true),
          c.dateTime('submittedAt', true),
          c.decimal('score', 8, 2, true),
          c.decimal('maxScore', 8, 2),
          c.decimal('percent', 6, 2, true),
          c.bool('passed', true),
          c.dateTime('gradedAt', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_attempts_number',
            columnNames: ['assessmentId', 'userId', 'number'],
            isUnique: true,
          }),
          new TableIndex({ name: 'uq_attempts_open', columnNames: ['openKey'], isUnique: true }),
          new TableIndex({
            name: 'idx_attempts_status_deadline',
            columnNames: ['status', 'deadline'],
          }),
          new TableIndex({ name: 'idx_attempts_user', columnNames: ['userId'] }),
        ],
        foreignKeys: [
          fk('assessmentId', 'assessments', 'CASCADE'),
          fk('userId', 'users', 'CASCADE'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'attempt_items',
        columns: [
          c.id(),
          c.ref('attemptId'),
          c.int('slot'),
          c.ref('questionId'),
          c.int('questionVersion'),
          c.string('type', 40),
          c.decimal('points', 6, 2),
          c.json('listOrder'),
          c.json('response', true),
          c.int('responseSeq'),
          c.dateTime('answeredAt', true),
          c.bool('flagged'),
          c.decimal('fraction', 7, 6, true),
          c.decimal('score', 6, 2, true),
          c.text('graderComment', true),
          c.ref('gradedBy', true),
          c.dateTime('gradedAt', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_attempt_items_slot',
            columnNames: ['attemptId', 'slot'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_attempt_items_question', columnNames: ['questionId'] }),
        ],
        foreignKeys: [fk('attemptId', 'attempts', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['attempt_items', 'attempts', 'assessments']) await q.dropTable(table);
  }
}
