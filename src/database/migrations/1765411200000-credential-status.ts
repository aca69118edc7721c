import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * Each certificate's place in the public revocation list (W3C Bitstring Status List), given
 * once at issuance from a counter, and the counter itself. Existing certificates get theirs
 * in issuing order.
 */
export class CredentialStatus1765411200000 implements MigrationInterface {
  name = 'CredentialStatus1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('certificates', new TableColumn(c.int('statusIndex', true)));
    await q.createTable(
      new Table({ name: 'status_list_counters', columns: [c.id(), c.int('value')] }),
    );
    const rows: { id: string }[] = await q.query(
      'SELECT id FROM certificates ORDER BY issuedAt, id',
    );
    for (const [index, row] of rows.entries())
      await q.query('UPDATE certificates SET statusIndex = ? WHERE id = ?', [index, row.id]);
    await q.query('INSERT INTO status_list_counters (id, value) VALUES (?, ?)', [
      'revocation',
      rows.length,
    ]);
    await q.createIndex(
      'certificates',
      new TableIndex({
        name: 'uq_certificates_status_index',
        columnNames: ['statusIndex'],
        isUnique: true,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('certificates', 'uq_certificates_status_index');
    await q.dropColumn('certificates', 'statusIndex');
    await q.dropTable('status_list_counters');
  }
}
