import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/** Self-service password reset by e-mail: single-use links, stored as hashes (ADR 0026). */
export class PasswordReset1766620800000 implements MigrationInterface {
  name = 'PasswordReset1766620800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'password_reset_tokens',
        columns: [
          c.id(),
          c.ref('userId'),
          c.string('tokenHash', 64),
          c.dateTime('expiresAt'),
          c.dateTime('usedAt', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_password_reset_tokens_hash',
            columnNames: ['tokenHash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_password_reset_tokens_user', columnNames: ['userId'] }),
        ],
        foreignKeys: [c.foreignKey('userId', 'users', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('password_reset_tokens');
  }
}
