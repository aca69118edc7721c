import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * Development planning and evaluation (ADR 0040): who reports to whom, the org-unit tree,
 * costs and modes of courses and schemes, each ASN's yearly plan, budget ceilings, the four
 * levels of evaluation and the indicators a programme should move.
 */
export class DevelopmentPlans1766900000000 implements MigrationInterface {
  name = 'DevelopmentPlans1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('org_units', new TableColumn(c.ref('parentId', true)));
    await q.createForeignKey('org_units', c.foreignKey('parentId', 'org_units', 'SET NULL'));
    await q.addColumn('users', new TableColumn(c.ref('supervisorId', true)));
    await q.createForeignKey('users', c.foreignKey('supervisorId', 'users', 'SET NULL'));
    await q.createIndex(
      'users',
      new TableIndex({ name: 'idx_users_supervisor', columnNames: ['supervisorId'] }),
    );

    await q.addColumns('courses', [
      new TableColumn(c.int('costIdr', true)),
      new TableColumn(c.string('deliveryMode', 20, true)),
      new TableColumn(c.bool('preTest', true)),
      new TableColumn(c.json('reactionItems', true)),
    ]);
    await q.addColumns('certification_schemes', [
      new TableColumn(c.int('costIdr', true)),
      new TableColumn(c.string('deliveryMode', 20, true)),
      new TableColumn(c.int('evaluationDays', true)),
    ]);
    // Null is a regular sitting; 'pretest' is a course's pre-test (never a pass, never evidence).
    await q.addColumn('attempts', new TableColumn(c.string('purpose', 10, true)));

    await q.createTable(
      new Table({
        name: 'development_plans',
        columns: [
          c.id(),
          c.ref('userId'),
          c.int('year'),
          c.string('status', 20),
          c.text('returnReason', true),
          c.dateTime('submittedAt', true),
          c.dateTime('decidedAt', true),
          c.ref('decidedById', true),
          c.bool('decidedAsAdmin', true),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_development_plans_user_year',
            columnNames: ['userId', 'year'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_development_plans_year', columnNames: ['year', 'status'] }),
        ],
        foreignKeys: [c.foreignKey('userId', 'users', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'development_plan_items',
        columns: [
          c.id(),
          c.ref('planId'),
          c.string('kind', 10),
          c.ref('refId'),
          c.string('code', 40),
          c.string('title', 200),
          c.string('sector', 40, true),
          c.string('competencyCode', 60, true),
          c.decimal('jp', 5, 2),
          c.int('costIdr'),
          c.string('deliveryMode', 20, true),
          c.string('status', 10),
          c.string('origin', 10),
          c.string('reason', 500, true),
          c.dateTime('doneAt', true),
          c.int('position'),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_development_plan_items_ref',
            columnNames: ['planId', 'kind', 'refId'],
            isUnique: true,
          }),
        ],
        foreignKeys: [c.foreignKey('planId', 'development_plans', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'org_unit_budgets',
        columns: [
          c.id(),
          c.ref('orgUnitId'),
          c.int('year'),
          c.decimal('ceilingIdr', 15, 0),
          c.ref('updatedById', true),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_org_unit_budgets_unit_year',
            columnNames: ['orgUnitId', 'year'],
            isUnique: true,
          }),
        ],
        foreignKeys: [c.foreignKey('orgUnitId', 'org_units', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'evaluations',
        columns: [
          c.id(),
          c.string('kind', 30),
          c.string('dedupeKey', 120),
          c.ref('recipientId'),
          c.ref('subjectUserId'),
          c.ref('courseId', true),
          c.ref('schemeId', true),
          c.ref('certificateId', true),
          c.ref('planId', true),
          c.json('competencyCodes'),
          c.int('year'),
          c.string('status', 10),
          c.dateTime('dueAt'),
          c.dateTime('remindedAt', true),
          c.dateTime('answeredAt', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_evaluations_dedupe',
            columnNames: ['dedupeKey'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_evaluations_recipient',
            columnNames: ['recipientId', 'status', 'dueAt'],
          }),
          new TableIndex({ name: 'idx_evaluations_year', columnNames: ['year', 'kind'] }),
        ],
        foreignKeys: [
          c.foreignKey('recipientId', 'users', 'CASCADE'),
          c.foreignKey('subjectUserId', 'users', 'CASCADE'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'evaluation_responses',
        columns: [
          c.id(),
          c.string('kind', 30),
          // Null for a reaction: its answers are kept apart from who gave them.
          c.ref('evaluationId', true),
          c.ref('subjectUserId', true),
          c.ref('courseId', true),
          c.ref('schemeId', true),
          c.ref('certificateId', true),
          c.json('ratings'),
          c.text('comment', true),
          c.int('year'),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_evaluation_responses_evaluation',
            columnNames: ['evaluationId'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_evaluation_responses_year',
            columnNames: ['year', 'kind'],
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'programme_indicators',
        columns: [
          c.id(),
          c.ref('orgUnitId'),
          c.int('year'),
          c.ref('schemeId', true),
          c.ref('courseId', true),
          c.string('name', 200),
          c.string('unit', 40),
          c.decimal('baselineValue', 14, 2),
          c.decimal('resultValue', 14, 2, true),
          c.bool('lowerIsBetter'),
          c.string('source', 300),
          c.ref('recordedById', true),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [new TableIndex({ name: 'idx_programme_indicators_year', columnNames: ['year'] })],
        foreignKeys: [c.foreignKey('orgUnitId', 'org_units', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'programme_indicators',
      'evaluation_responses',
      'evaluations',
      'org_unit_budgets',
      'development_plan_items',
      'development_plans',
    ])
      await q.dropTable(table);
    await q.dropColumn('attempts', 'purpose');
    await q.dropColumns('certification_schemes', ['costIdr', 'deliveryMode', 'evaluationDays']);
    await q.dropColumns('courses', ['costIdr', 'deliveryMode', 'preTest', 'reactionItems']);
    await dropForeignKeyOn(q, 'users', 'supervisorId');
    await q.dropIndex('users', 'idx_users_supervisor');
    await q.dropColumn('users', 'supervisorId');
    await dropForeignKeyOn(q, 'org_units', 'parentId');
    await q.dropColumn('org_units', 'parentId');
  }
}

async function dropForeignKeyOn(q: QueryRunner, table: string, column: string): Promise<void> {
  const found = (await q.getTable(table))?.foreignKeys.find((k) => k.columnNames.includes(column));
  if (found) await q.dropForeignKey(table, found);
}
