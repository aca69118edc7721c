import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * Each user's session version, carried in every access token: raising it (logout, a password
 * change or reset, deactivation, a role or sector change) ends every token issued before.
 */
export class SessionVersion1765497600000 implements MigrationInterface {
  name = 'SessionVersion1765497600000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('users', new TableColumn({ ...c.int('sessionVersion'), default: 0 }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('users', 'sessionVersion');
  }
}
