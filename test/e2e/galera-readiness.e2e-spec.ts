import mysql from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/app-config.js';
import { APP_CONFIG } from '../../src/config/config.module.js';
import { ReplicaReads } from '../../src/database/replica-reads.js';
import { bootTestApp, type TestApp } from '../helpers/test-app.js';

const galeraUrl = process.env.GALERA_SINGLE_URL?.replace(/\/$/, '');

type Row = mysql.RowDataPacket;

/**
 * A MariaDB Galera node for real (issue 29): one node of its own cluster (`--wsrep-on=ON
 * --wsrep-cluster-address=gcomm:// --wsrep-new-cluster`), at GALERA_SINGLE_URL
 * (`mysql://root@127.0.0.1:PORT`, a user that may SET GLOBAL). `wsrep_desync` takes the node
 * out of Synced, as a node that lags, donates a snapshot or was cut off: readiness must say so.
 *
 * The test sets globals on that server (wsrep_desync, wsrep_sync_wait) and puts them back:
 * give it a single-node server of its own, never a node of a real cluster. (A node cut off
 * from its cluster, wsrep_ready OFF, cannot be made reliably with one node: a single node
 * that loses its peers bootstraps itself again; the unit tests cover that rule.)
 */
const suite = galeraUrl ? describe : describe.skip;
const title = galeraUrl
  ? 'MariaDB Galera node: readiness and wsrep_sync_wait'
  : 'MariaDB Galera node: skipped, set GALERA_SINGLE_URL to a single-node Galera server';

suite(title, () => {
  const database = `sa_test_${randomBytes(6).toString('hex')}`;
  let admin: mysql.Connection;
  let t: TestApp | undefined;

  const nodeState = async () => {
    const [rows] = await admin.query<Row[]>("SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'");
    return String(rows[0]?.Value);
  };

  /** Polls `condition` every 100 ms for up to 20 s. */
  async function until(condition: () => Promise<boolean>, what: string) {
    for (let i = 0; i < 200; i++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Not reached in 20 s: ${what}`);
  }

  /**
   * `wsrep_sync_wait` of `count` connections of the data source's primary pool held at once
   * (with the pool's 20, every connection it has, the first it opened included).
   */
  async function sessionSyncWaits(dataSource: DataSource, count: number) {
    const runners = Array.from({ length: count }, () => dataSource.createQueryRunner('master'));
    try {
      await Promise.all(runners.map((runner) => runner.connect()));
      const rows = await Promise.all(
        runners.map(
          async (runner) =>
            (
              (await runner.query(
                'SELECT @@session.wsrep_sync_wait AS syncWait, CONNECTION_ID() AS id',
              )) as { syncWait: unknown; id: unknown }[]
            )[0],
        ),
      );
      return {
        values: [...new Set(rows.map((row) => Number(row.syncWait)))],
        connections: new Set(rows.map((row) => String(row.id))).size,
      };
    } finally {
      await Promise.all(runners.map((runner) => runner.release()));
    }
  }

  beforeAll(async () => {
    admin = await mysql.createConnection(galeraUrl!);
    const [[on]] = await admin.query<Row[]>('SELECT @@wsrep_on AS value');
    if (Number(on.value) !== 1) throw new Error('GALERA_SINGLE_URL is not a Galera node');
    await admin.query('SET GLOBAL wsrep_desync = OFF');
    await until(async () => (await nodeState()) === 'Synced', 'the node Synced');
    await admin.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    t = await bootTestApp({
      database: { url: `${galeraUrl}/${database}`, drop: async () => {} },
    });
  });

  afterAll(async () => {
    await admin?.query('SET GLOBAL wsrep_desync = OFF').catch(() => undefined);
    await admin?.query('SET GLOBAL wsrep_sync_wait = 0').catch(() => undefined);
    await t?.close();
    await admin?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin?.end();
  });

  it('knows at boot that its server is a Galera node', () => {
    expect(t!.app.get<AppConfig>(APP_CONFIG).database).toMatchObject({
      type: 'mysql',
      flavour: 'mariadb',
      galera: true,
    });
  });

  it('is ready when Synced, not ready (503, Retry-After) while desynced, and ready again after', async () => {
    const synced = await t!.http.get('/health').expect(200);
    expect(synced.body).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, cluster: { status: 'up' } },
    });

    await admin.query('SET GLOBAL wsrep_desync = ON');
    expect(await nodeState()).toBe('Donor/Desynced');
    // The node still answers SELECT 1: only the cluster check sees the difference.
    expect(await t!.dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const desynced = await t!.http.get('/health').expect(503);
    expect(desynced.headers['retry-after']).toBe('5');
    expect(desynced.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Node basis data belum sinkron dengan klasternya',
      status: 'error',
      details: { database: { status: 'up' }, cluster: { status: 'down' } },
    });
    const english = await t!.http.get('/health').set('accept-language', 'en').expect(503);
    expect(english.body.message).toBe('The database node is not in sync with its cluster');
    // Liveness does not ask the database.
    await t!.http.get('/health/live').expect(200, { status: 'ok' });

    await admin.query('SET GLOBAL wsrep_desync = OFF');
    await until(async () => (await nodeState()) === 'Synced', 'the node Synced again');
    const back = await t!.http.get('/health').expect(200);
    expect(back.body.details).toMatchObject({
      database: { status: 'up' },
      cluster: { status: 'up' },
    });
  });

  it('sets wsrep_sync_wait = 1 on every connection of the pool, the first one included', async () => {
    const { values, connections } = await sessionSyncWaits(t!.dataSource, 20);
    expect(connections).toBe(20);
    expect(values).toEqual([1]);
    // And the app's own queries run with it.
    const [own] = await t!.dataSource.query<{ w: unknown }[]>(
      'SELECT @@session.wsrep_sync_wait AS w',
    );
    expect(Number(own.w)).toBe(1);
  });

  it('DB_SYNC_WAIT=0 turns it off, even where the server sets a default', async () => {
    // A server-wide default that new sessions start from: the setting overrides it.
    await admin.query('SET GLOBAL wsrep_sync_wait = 2');
    const other = await bootTestApp({
      database: { url: `${galeraUrl}/${database}`, drop: async () => {} },
      env: { DB_SYNC_WAIT: '0' },
    });
    try {
      const { values, connections } = await sessionSyncWaits(other.dataSource, 5);
      expect(connections).toBe(5);
      expect(values).toEqual([0]);
    } finally {
      await other.close();
      await admin.query('SET GLOBAL wsrep_sync_wait = 0');
    }
  });

  it('with a read replica too: the primary pool sets it, the replica is left alone', async () => {
    // The same node plays the replica: what matters is which pool a connection came from.
    const other = await bootTestApp({
      database: { url: `${galeraUrl}/${database}`, drop: async () => {} },
      env: { DATABASE_REPLICA_URLS: `${galeraUrl}/${database}`, DB_SYNC_WAIT: '3' },
    });
    try {
      expect(other.dataSource.driver.isReplicated).toBe(true);
      const { values, connections } = await sessionSyncWaits(other.dataSource, 20);
      expect(connections).toBe(20);
      expect(values).toEqual([3]);
      const [replica] = await other.app
        .get(ReplicaReads)
        .run((db) => db.query<{ w: unknown }[]>('SELECT @@session.wsrep_sync_wait AS w'));
      expect(Number(replica.w)).toBe(0);
      await other.http.get('/health').expect(200);
    } finally {
      await other.close();
    }
  });
});
