import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { UuidSubscriber } from './uuid.subscriber.js';
import { mysqlDriverWithSessionSql, sessionSyncWait } from './galera.js';
import { CORE_ENTITIES, CORE_MIGRATIONS } from './core-schema.js';

/**
 * The one data-source definition, shared by the app and the migration command: the core's
 * entities and migrations plus those of every loaded sector. `synchronize` is never on.
 */
export function dataSourceOptions(
  config: AppConfig,
  sectors: readonly LoadedSector[],
): DataSourceOptions {
  const entities = [...CORE_ENTITIES, ...sectors.flatMap((s) => s.manifest.entities ?? [])];
  const migrations = [...CORE_MIGRATIONS, ...sectors.flatMap((s) => s.manifest.migrations ?? [])];
  const common = {
    entities,
    migrations,
    subscribers: [UuidSubscriber],
    synchronize: false,
    migrationsRun: config.migrationsRun,
    migrationsTableName: 'migrations',
    // Failed queries surface as errors the filter logs; tests provoke many on purpose.
    logging: config.env === 'test' ? false : ['error' as const],
  };
  const db = config.database;
  if (db.type === 'sqlite') {
    if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      prepareDatabase: (sqlite: { pragma(sql: string): unknown }) => {
        sqlite.pragma('journal_mode = WAL');
        sqlite.pragma('busy_timeout = 5000');
        sqlite.pragma('foreign_keys = ON');
      },
    };
  }
  const syncWait = sessionSyncWait(config);
  const mysqlOptions = {
    ...common,
    type: db.flavour === 'mariadb' ? ('mariadb' as const) : ('mysql' as const),
    // Times are stored and read as UTC whatever the server's zone.
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    // A server that accepts the TCP connection but never completes the handshake (hung, or
    // a proxy whose backend is gone) fails a new connection after 3 s by default instead of
    // mysql2's 10 s, so a request answers 503 quickly. (A server that is stopped refuses at once.)
    connectTimeout: config.databaseConnectTimeoutMs,
    // Per server: the primary and each replica get a pool of this size.
    extra: { connectionLimit: 20 },
    // On a Galera node, every connection of the primary's pool sets `wsrep_sync_wait` first
    // (read-your-writes across nodes; galera.ts says why through `driver`).
    ...(syncWait === null
      ? {}
      : { driver: mysqlDriverWithSessionSql(`SET SESSION wsrep_sync_wait = ${syncWait}`) }),
  };
  if (!config.replicaUrls.length) return { ...mysqlOptions, url: db.url };
  return {
    ...mysqlOptions,
    replication: {
      master: { url: db.url },
      slaves: config.replicaUrls.map((url) => ({ url })),
      // Everything reads from the primary (exams, logins, reads after writes must see their
      // own writes); only work run through `ReplicaReads` goes to a replica.
      defaultMode: 'master',
      // mysql2's pool cluster drops a server for good after 5 failed connects unless it
      // may come back: without this a restart of the primary would need an app restart.
      restoreNodeTimeout: 5_000,
    },
  };
}
