import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/** In-app notifications. */
export class Notifications1764720000000 implements MigrationInterface {
  name = 'Notifications1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notifications',
        columns: [
          c.id(),
          c.ref('userId'),
          c.string('kind', 40),
          c.string('title', 200),
          c.text('body'),
          c.string('link', 300, true),
          c.dateTime('readAt', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'idx_notifications_user', columnNames: ['userId', 'createdAt'] }),
        ],
        foreignKeys: [c.foreignKey('userId', 'users', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('notifications');
  }
}
