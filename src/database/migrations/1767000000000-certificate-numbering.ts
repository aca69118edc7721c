import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * Certificates are numbered after they are issued (ADR 0041): `number` and `seq` may be null
 * until then (unique indexes admit any number of nulls on both engines), an index finds the
 * unnumbered ones of a scheme and year, and evaluations that failed wait in
 * `certificate_evaluations_pending` until they are run again.
 */
export class CertificateNumbering1767000000000 implements MigrationInterface {
  name = 'CertificateNumbering1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await this.nullable(q, true);
    await q.createIndex(
      'certificates',
      new TableIndex({
        name: 'idx_certificates_numbering',
        columnNames: ['schemeId', 'year', 'seq'],
      }),
    );
    await q.createTable(
      new Table({
        name: 'certificate_evaluations_pending',
        columns: [
          { ...c.ref('userId'), isPrimary: true },
          c.dateTime('firstFailedAt'),
          c.dateTime('lastFailedAt'),
          c.int('tries'),
          c.string('lastError', 500, true),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('certificate_evaluations_pending');
    await q.dropIndex('certificates', 'idx_certificates_numbering');
    await this.nullable(q, false);
  }

  /** The same column, only its nullability changed (an ALTER … CHANGE, no data moved). */
  private async nullable(q: QueryRunner, isNullable: boolean): Promise<void> {
    const table = (await q.getTable('certificates'))!;
    const changes = ['number', 'seq'].map((name) => {
      const oldColumn = table.findColumnByName(name)!;
      const newColumn = oldColumn.clone();
      newColumn.isNullable = isNullable;
      return { oldColumn, newColumn };
    });
    await q.changeColumns(table, changes);
  }
}
