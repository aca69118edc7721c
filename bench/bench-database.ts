import mysql from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the database benches create their MariaDB databases. */
export const mysqlBase = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const SECTOR_KEYS = ['health', 'education', 'administration-it'];

/**
 * A fresh, empty database for one bench run: a SQLite file in a new temporary folder, or a
 * MariaDB database dropped and created anew. The folder is the app's DATA_DIR either way.
 */
export async function freshDatabase(
  engine: 'sqlite' | 'mysql',
  name: string,
): Promise<{ dir: string; url: string; dbName: string }> {
  const dir = mkdtempSync(join(tmpdir(), `sa-bench-${name}-`));
  const dbName = `sa_bench_${name}_${process.pid}`;
  if (engine === 'sqlite') return { dir, url: `sqlite:${dir}/bench.sqlite`, dbName };
  const conn = await mysql.createConnection(mysqlBase);
  await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
  await conn.query(
    `CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await conn.end();
  return { dir, url: `${mysqlBase}/${dbName}`, dbName };
}

/** Twenty technical competencies per sector, five levels each. */
export function benchCompetencies(now: Date) {
  return SECTOR_KEYS.flatMap((sector) =>
    Array.from({ length: 20 }, (_, k) => ({
      id: randomUUID(),
      code: `BENCH.${sector}.${k}`,
      title: `Kompetensi ${sector} ${k}`,
      description: 'Data bangku uji',
      type: 'teknis',
      sector,
      levels: [1, 2, 3, 4, 5].map((level) => ({
        level,
        description: `Level ${level}`,
        indicators: [],
      })),
      createdAt: now,
      updatedAt: now,
    })),
  );
}

/** Twenty functional positions per sector. */
export function benchPositions(now: Date) {
  return SECTOR_KEYS.flatMap((sector, s) =>
    Array.from({ length: 20 }, (_, k) => ({
      id: randomUUID(),
      code: `BENCH-J${s}-${k}`,
      name: `Jabatan ${sector} ${k}`,
      kind: 'fungsional',
      sector,
      orgUnitCodes: [],
      createdAt: now,
      updatedAt: now,
    })),
  );
}
