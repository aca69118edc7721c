import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/** What sector content packs installed, and each sector's last sync. */
export class Content1764892800000 implements MigrationInterface {
  name = 'Content1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'content_items',
        columns: [
          c.id(),
          c.string('sector', 40),
          c.string('kind', 20),
          c.string('code', 300),
          c.ref('entityId'),
          c.string('contentHash', 64),
          c.string('recordHash', 64),
          c.string('status', 20),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_content_items',
            columnNames: ['sector', 'kind', 'code'],
            isUnique: true,
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'content_syncs',
        columns: [
          c.id(),
          c.string('sector', 40),
          c.string('version', 40),
          c.json('report'),
          c.dateTime('syncedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_content_syncs_sector',
            columnNames: ['sector'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('content_syncs');
    await q.dropTable('content_items');
  }
}
