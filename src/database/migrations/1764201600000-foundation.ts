import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/** Sectors, job leases, users, refresh tokens and the audit log. */
export class Foundation1764201600000 implements MigrationInterface {
  name = 'Foundation1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'sectors',
        columns: [
          { ...c.string('key', 40), isPrimary: true },
          c.string('installedVersion', 20),
          c.bool('enabled'),
          c.dateTime('installedAt'),
          c.dateTime('updatedAt'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'job_leases',
        columns: [
          { ...c.string('name', 80), isPrimary: true },
          c.string('tick', 40, true),
          c.string('holder', 80, true),
          c.dateTime('leasedUntil', true),
          c.dateTime('finishedAt', true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          c.id(),
          c.string('nip', 18, true),
          c.string('email', 190, true),
          c.string('name', 150),
          c.string('role', 20),
          c.json('sectors'),
          c.string('passwordHash', 255),
          c.bool('active'),
          c.bool('mustChangePassword'),
          c.int('failedLogins'),
          c.dateTime('lockedUntil', true),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'uq_users_nip', columnNames: ['nip'], isUnique: true }),
          new TableIndex({ name: 'uq_users_email', columnNames: ['email'], isUnique: true }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          c.id(),
          c.ref('userId'),
          c.string('family', 36),
          c.string('tokenHash', 64),
          c.dateTime('expiresAt'),
          c.dateTime('replacedAt', true),
          c.dateTime('revokedAt', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'idx_refresh_tokens_family', columnNames: ['family'] }),
          new TableIndex({
            name: 'uq_refresh_tokens_hash',
            columnNames: ['tokenHash'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['userId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'RESTRICT',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          c.id(),
          c.dateTime('at'),
          c.ref('actorId', true),
          c.string('actorRole', 20, true),
          c.string('action', 80),
          c.string('entityType', 60),
          c.string('entityId', 80, true),
          c.json('detail', true),
          c.string('ip', 64, true),
        ],
        indices: [
          new TableIndex({ name: 'idx_audit_log_at', columnNames: ['at'] }),
          new TableIndex({ name: 'idx_audit_log_entity', columnNames: ['entityType', 'entityId'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'refresh_tokens', 'users', 'job_leases', 'sectors']) {
      await q.dropTable(table);
    }
  }
}
