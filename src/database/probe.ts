import mysql from 'mysql2/promise';
import type { AppConfig } from '../config/app-config.js';

export class DatabaseUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Before boot, checks that a MySQL/MariaDB server answers (a clear message instead of a
 * retry loop when it does not) and learns whether it is MariaDB, whose schema reports
 * TypeORM reads differently.
 */
export async function probeDatabase(config: AppConfig): Promise<AppConfig> {
  const db = config.database;
  if (db.type !== 'mysql' || db.flavour) return config;
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection({ uri: db.url, connectTimeout: 5000 });
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
    const flavour = String(rows[0]?.version).includes('MariaDB') ? 'mariadb' : 'mysql';
    return { ...config, database: { ...db, flavour } };
  } catch (error) {
    const reason = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new DatabaseUnreachableError(
      `Cannot use DATABASE_URL (mysql://${db.host}:${db.port}/${db.database}): ${reason}`,
    );
  } finally {
    await connection?.end().catch(() => undefined);
  }
}
