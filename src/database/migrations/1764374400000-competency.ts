import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

const fk = c.foreignKey;

/** Competencies, positions with their standards, evidence, and each user's position. */
export class Competency1764374400000 implements MigrationInterface {
  name = 'Competency1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'competencies',
        columns: [
          c.id(),
          c.string('code', 40),
          c.string('title', 200),
          c.text('description'),
          c.string('type', 20),
          c.string('sector', 40, true),
          c.json('levels'),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'uq_competencies_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({ name: 'idx_competencies_sector', columnNames: ['sector'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'positions',
        columns: [
          c.id(),
          c.string('code', 40),
          c.string('name', 200),
          c.string('kind', 20),
          c.string('sector', 40, true),
          c.json('orgUnitCodes'),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'uq_positions_code', columnNames: ['code'], isUnique: true }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'position_requirements',
        columns: [c.id(), c.ref('positionId'), c.ref('competencyId'), c.int('requiredLevel')],
        indices: [
          new TableIndex({
            name: 'uq_position_requirements',
            columnNames: ['positionId', 'competencyId'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          fk('positionId', 'positions', 'CASCADE'),
          fk('competencyId', 'competencies', 'RESTRICT'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'evidence',
        columns: [
          c.id(),
          c.ref('userId'),
          c.ref('competencyId'),
          c.int('level'),
          c.string('source', 20),
          c.string('sourceId', 80, true),
          c.text('reason', true),
          c.string('attachment', 255, true),
          c.dateTime('achievedAt'),
          c.dateTime('expiresAt', true),
          c.dateTime('revokedAt', true),
          c.ref('recordedBy', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'idx_evidence_user', columnNames: ['userId', 'competencyId'] }),
        ],
        foreignKeys: [
          fk('userId', 'users', 'CASCADE'),
          fk('competencyId', 'competencies', 'RESTRICT'),
        ],
      }),
    );
    await q.addColumn('users', new TableColumn(c.ref('positionId', true)));
    await q.createForeignKey('users', fk('positionId', 'positions', 'SET NULL'));
  }

  async down(q: QueryRunner): Promise<void> {
    const users = await q.getTable('users');
    const key = users?.foreignKeys.find((k) => k.columnNames.includes('positionId'));
    if (key) await q.dropForeignKey('users', key);
    await q.dropColumn('users', 'positionId');
    for (const table of ['evidence', 'position_requirements', 'positions', 'competencies'])
      await q.dropTable(table);
  }
}
