import { Logger } from '@nestjs/common';
import mysql2 from 'mysql2';
import type { AppConfig } from '../config/app-config.js';

/**
 * MariaDB Galera (issue 29): what the app does differently when its server is a Galera node,
 * which `probeDatabase` finds out once at boot (`@@wsrep_on`).
 */

/** The two status values readiness needs; a non-primary node still answers SHOW. */
export const GALERA_STATUS_SQL =
  "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment')";

/**
 * Whether a Galera node may take traffic: it accepts queries (`wsrep_ready` = ON) and has
 * applied everything the cluster committed (`wsrep_local_state_comment` = Synced). Joining,
 * donor/desynced, or cut off from the primary component: not ready.
 */
export function galeraNodeReady(rows: readonly { Variable_name: string; Value: unknown }[]) {
  const status = new Map(rows.map((row) => [row.Variable_name.toLowerCase(), String(row.Value)]));
  return (
    status.get('wsrep_ready')?.toUpperCase() === 'ON' &&
    status.get('wsrep_local_state_comment') === 'Synced'
  );
}

/**
 * The `wsrep_sync_wait` every connection sets for its session: `DB_SYNC_WAIT`, by default 1
 * (reads wait for the cluster's writes before them) on Galera; null (nothing set) elsewhere.
 */
export function sessionSyncWait(config: AppConfig): number | null {
  const db = config.database;
  if (db.type !== 'mysql' || !db.galera) return null;
  return config.databaseSyncWait ?? 1;
}

type Callback = (error: Error | null, connection?: mysql2.PoolConnection) => void;

/**
 * The mysql2 module for TypeORM's `driver` option, whose pools run `sql` on each connection
 * they open, before the connection serves anything.
 *
 * Why this way: TypeORM's MysqlDriver creates the pool and at once takes a first connection
 * from it (to fail early on bad credentials), then keeps that connection in the pool; the
 * pool is reachable only after that, too late for its first connection. mysql2 has no
 * "init SQL" option, but a pool emits `connection` for every connection it opens, right
 * before handing it out (lib/base/pool.js); a query issued in that listener is queued on
 * the connection ahead of the caller's. So the module TypeORM loads (`driver`, documented in
 * MysqlConnectionOptions) creates the pool and attaches the listener before anyone asks.
 *
 * With read replicas TypeORM builds a pool cluster, whose per-server pools are internal; its
 * `getConnection('MASTER', …)` is wrapped instead: a connection not seen before runs `sql`
 * first. Replicas are left alone (they are not Galera writers).
 */
export function mysqlDriverWithSessionSql(sql: string, logger = new Logger('Database')): object {
  const prepare = (connection: mysql2.PoolConnection, done: (error: Error | null) => void) => {
    connection.query(sql, (error: Error | null) => {
      if (error) {
        // Never serve reads without the setting: the connection goes, the pool opens another.
        logger.warn(`${sql} failed (${(error as { code?: string }).code ?? error.message})`);
        connection.destroy();
      }
      done(error);
    });
  };
  return Object.create(mysql2, {
    createPool: {
      value: (options: mysql2.PoolOptions) => {
        const pool = mysql2.createPool(options);
        pool.on('connection', (connection) => prepare(connection, () => undefined));
        return pool;
      },
    },
    createPoolCluster: {
      value: (options: mysql2.PoolClusterOptions) => {
        const cluster = mysql2.createPoolCluster(options);
        const prepared = new WeakSet<object>();
        const getConnection = cluster.getConnection.bind(cluster) as (...args: unknown[]) => void;
        (cluster as { getConnection: unknown }).getConnection = (...args: unknown[]) => {
          const callback = args.pop() as Callback;
          if (args[0] !== 'MASTER') return getConnection(...args, callback);
          getConnection(...args, (error: Error | null, connection?: mysql2.PoolConnection) => {
            if (error || !connection || prepared.has(connection))
              return callback(error, connection);
            prepare(connection, (failed) => {
              if (failed) return callback(failed);
              prepared.add(connection);
              callback(null, connection);
            });
          });
        };
        return cluster;
      },
    },
  });
}
