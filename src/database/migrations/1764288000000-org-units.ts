import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { columnSpec as c } from '../columns.js';

/** Org units (OPD) and each user's unit. */
export class OrgUnits1764288000000 implements MigrationInterface {
  name = 'OrgUnits1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'org_units',
        columns: [
          c.id(),
          c.string('code', 40),
          c.string('name', 150),
          c.bool('active'),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'uq_org_units_code', columnNames: ['code'], isUnique: true }),
        ],
      }),
    );
    await q.addColumn('users', new TableColumn(c.ref('orgUnitId', true)));
    await q.createForeignKey(
      'users',
      new TableForeignKey({
        columnNames: ['orgUnitId'],
        referencedTableName: 'org_units',
        referencedColumnNames: ['id'],
        onDelete: 'SET NULL',
        onUpdate: 'RESTRICT',
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const users = await q.getTable('users');
    const fk = users?.foreignKeys.find((k) => k.columnNames.includes('orgUnitId'));
    if (fk) await q.dropForeignKey('users', fk);
    await q.dropColumn('users', 'orgUnitId');
    await q.dropTable('org_units');
  }
}
