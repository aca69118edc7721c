import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

const fk = c.foreignKey;

/** Certification schemes, certificates and their numbering, approvals, the mail outbox. */
export class Certification1764806400000 implements MigrationInterface {
  name = 'Certification1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'certification_schemes',
        columns: [
          c.id(),
          c.string('sector', 40),
          c.string('code', 40),
          c.string('title', 200),
          c.text('description'),
          c.json('targetPositions'),
          c.json('requirements'),
          c.json('attests'),
          c.int('validityMonths', true),
          c.json('renewal', true),
          c.string('template', 80),
          c.string('numberFormat', 200),
          c.string('status', 20),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_certification_schemes_code',
            columnNames: ['code'],
            isUnique: true,
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'certificates',
        columns: [
          c.id(),
          c.ref('schemeId'),
          c.ref('userId'),
          c.string('number', 120),
          c.int('year'),
          c.int('seq'),
          c.string('code', 32),
          c.string('issueKey', 120),
          c.string('status', 20),
          c.dateTime('issuedAt'),
          c.dateTime('expiresAt', true),
          c.dateTime('revokedAt', true),
          c.text('revokedReason', true),
          c.ref('renewsId', true),
          c.ref('renewedById', true),
          c.string('holderName', 200),
          c.string('holderNip', 18, true),
          c.json('snapshot'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_certificates_number',
            columnNames: ['number'],
            isUnique: true,
          }),
          new TableIndex({ name: 'uq_certificates_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({
            name: 'uq_certificates_issue',
            columnNames: ['issueKey'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_certificates_user', columnNames: ['userId'] }),
          new TableIndex({
            name: 'idx_certificates_status_expiry',
            columnNames: ['status', 'expiresAt'],
          }),
        ],
        foreignKeys: [
          fk('schemeId', 'certification_schemes', 'RESTRICT'),
          fk('userId', 'users', 'RESTRICT'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'certificate_sequences',
        columns: [c.id(), c.ref('schemeId'), c.int('year'), c.int('value')],
        indices: [
          new TableIndex({
            name: 'uq_certificate_sequences',
            columnNames: ['schemeId', 'year'],
            isUnique: true,
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'scheme_approvals',
        columns: [
          c.id(),
          c.ref('schemeId'),
          c.ref('userId'),
          c.string('status', 20),
          c.text('notes'),
          c.text('reason', true),
          c.ref('decidedBy', true),
          c.dateTime('decidedAt', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_scheme_approvals',
            columnNames: ['schemeId', 'userId'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          fk('schemeId', 'certification_schemes', 'CASCADE'),
          fk('userId', 'users', 'CASCADE'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mail_outbox',
        columns: [
          c.id(),
          c.ref('userId', true),
          c.string('recipient', 200, true),
          c.string('subject', 200),
          c.text('html'),
          c.text('text'),
          c.string('dedupeKey', 160),
          c.string('status', 20),
          c.int('attempts'),
          c.dateTime('sentAt', true),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_mail_outbox_dedupe',
            columnNames: ['dedupeKey'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_mail_outbox_status', columnNames: ['status'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'mail_outbox',
      'scheme_approvals',
      'certificate_sequences',
      'certificates',
      'certification_schemes',
    ])
      await q.dropTable(table);
  }
}
