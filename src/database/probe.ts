import mysql from 'mysql2/promise';
import type { AppConfig } from '../config/app-config.js';
import { sessionSyncWait } from './galera.js';

export class DatabaseUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Before boot, checks that a MySQL/MariaDB server answers (a clear message instead of a
 * retry loop when it does not) and learns whether it is MariaDB, whose schema reports
 * TypeORM reads differently, and whether it is a Galera node (readiness then asks whether the
 * node is synced, and each connection sets `wsrep_sync_wait`: see galera.ts). Once per boot.
 */
export async function probeDatabase(config: AppConfig): Promise<AppConfig> {
  const db = config.database;
  if (db.type !== 'mysql' || (db.flavour && db.galera !== undefined)) return config;
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection({ uri: db.url, connectTimeout: 5000 });
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
    const flavour =
      db.flavour ?? (String(rows[0]?.version).includes('MariaDB') ? 'mariadb' : 'mysql');
    // SHOW, not @@wsrep_on: MySQL has no such variable and would fail the SELECT.
    const [wsrep] = await connection.query<mysql.RowDataPacket[]>(
      "SHOW GLOBAL VARIABLES LIKE 'wsrep_on'",
    );
    const galera = String(wsrep[0]?.Value).toUpperCase() === 'ON';
    const probed: AppConfig = { ...config, database: { ...db, flavour, galera } };
    // A setting the server refuses fails here, with its name, rather than on every connection.
    const syncWait = sessionSyncWait(probed);
    if (syncWait !== null) await connection.query(`SET SESSION wsrep_sync_wait = ${syncWait}`);
    return probed;
  } catch (error) {
    const reason = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new DatabaseUnreachableError(
      `Cannot use DATABASE_URL (mysql://${db.host}:${db.port}/${db.database}): ${reason}`,
    );
  } finally {
    await connection?.end().catch(() => undefined);
  }
}
