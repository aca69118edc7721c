import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { isWriteConflict } from './db-errors.js';

/** The lease row's name for the start-up work (migrations, content sync, seeding). */
export const BOOT_LEASE = 'boot';
/**
 * How long a lease holds without a heartbeat: a holder that died is taken over after this.
 * Long enough to outlast a heartbeat held up by a migration's DDL, which on Galera stops
 * every commit of the cluster while it runs (total order isolation).
 */
const TTL_MS = 120_000;
/** How often the holder renews its lease while it works. */
const HEARTBEAT_MS = 5_000;
/** How often a waiting instance looks again (plus up to as much jitter). */
const POLL_MS = 500;

export class BootLeaseTimeoutError extends Error {
  constructor(waitedSeconds: number, holder: string | null) {
    super(
      `Waited ${waitedSeconds} s (BOOT_LEASE_WAIT_SECONDS) for another instance` +
        `${holder ? ` (${holder})` : ''} to finish the migrations and start-up work, and it ` +
        'still holds the boot lease. Look at that instance’s log; if it is gone, its lease ' +
        `expires ${TTL_MS / 1000} s after its last heartbeat and this instance takes over on its next start.`,
    );
    this.name = 'BootLeaseTimeoutError';
  }
}

/** One statement on the lease's connection: the rows read and the rows changed. */
export interface LeaseDatabase {
  readonly dialect: 'mysql' | 'sqlite';
  execute(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affected: number }>;
}

export interface BootLeaseLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface BootLeaseOptions {
  name?: string;
  holder?: string;
  /** How long a waiting instance waits for the holder before it fails. */
  waitMs: number;
  ttlMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  /** Milliseconds since the epoch (the instances' clocks are assumed NTP-synchronised). */
  now?: () => number;
  log: BootLeaseLog;
  /**
   * Called once when a heartbeat finds the lease taken by another instance: this one must
   * not go on with start-up work beside it (see `withBootLease`, which ends the process).
   */
  onLost?: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A lease on one row of `boot_leases`, so that one instance at a time does the start-up work
 * that writes shared rows. It holds on a Galera cluster whose instances talk to different
 * nodes (no GET_LOCK, LOCK TABLES or SELECT … FOR UPDATE, none of which Galera replicates):
 * taken by an INSERT (a duplicate key or a certification conflict means another has it),
 * kept alive by a heartbeat UPDATE, given back by a DELETE; a holder that died is replaced
 * once its lease has expired, by an UPDATE conditional on the expiry.
 */
export class BootLease {
  readonly name: string;
  readonly holder: string;
  private readonly ttlMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private heartbeat: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  private lost = false;

  constructor(
    private readonly db: LeaseDatabase,
    private readonly options: BootLeaseOptions,
  ) {
    this.name = options.name ?? BOOT_LEASE;
    this.holder =
      options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`.slice(0, 200);
    this.ttlMs = options.ttlMs ?? TTL_MS;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.pollMs = options.pollMs ?? POLL_MS;
    this.now = options.now ?? Date.now;
  }

  /** The lease table, made before the migrations it guards (so never by a migration). */
  async ensureTable(): Promise<void> {
    // Looked up first: on Galera even a CREATE … IF NOT EXISTS is DDL the whole cluster
    // replicates in total order, which every boot need not pay.
    const exists =
      this.db.dialect === 'mysql'
        ? 'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() ' +
          "AND table_name = 'boot_leases'"
        : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'boot_leases'";
    if ((await this.retryConflicts(() => this.db.execute(exists))).rows.length) return;
    const sql =
      this.db.dialect === 'mysql'
        ? 'CREATE TABLE IF NOT EXISTS boot_leases (name VARCHAR(100) NOT NULL PRIMARY KEY, ' +
          'holder VARCHAR(200) NOT NULL, leasedUntil BIGINT NOT NULL) ' +
          'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci'
        : 'CREATE TABLE IF NOT EXISTS boot_leases (name VARCHAR(100) NOT NULL PRIMARY KEY, ' +
          'holder VARCHAR(200) NOT NULL, leasedUntil INTEGER NOT NULL)';
    await this.retryConflicts(() => this.db.execute(sql));
  }

  /** One attempt to take a free lease: true if this instance now holds it. */
  async tryTake(): Promise<boolean> {
    try {
      await this.db.execute(
        'INSERT INTO boot_leases (name, holder, leasedUntil) VALUES (?, ?, ?)',
        [this.name, this.holder, this.now() + this.ttlMs],
      );
      return true;
    } catch (error) {
      if (isWriteConflict(error)) return false;
      throw error;
    }
  }

  /** One attempt to take over a lease whose holder stopped renewing it. */
  async tryTakeOver(): Promise<boolean> {
    const now = this.now();
    try {
      const { affected } = await this.db.execute(
        'UPDATE boot_leases SET holder = ?, leasedUntil = ? WHERE name = ? AND leasedUntil < ?',
        [this.holder, now + this.ttlMs, this.name, now],
      );
      return affected === 1;
    } catch (error) {
      if (isWriteConflict(error)) return false;
      throw error;
    }
  }

  /** Who holds the lease and until when, or null when it is free. */
  async current(): Promise<{ holder: string; leasedUntil: number } | null> {
    const { rows } = await this.db.execute(
      'SELECT holder, leasedUntil FROM boot_leases WHERE name = ?',
      [this.name],
    );
    const row = rows[0] as { holder: string; leasedUntil: number | string } | undefined;
    return row ? { holder: row.holder, leasedUntil: Number(row.leasedUntil) } : null;
  }

  /**
   * Takes the lease, waiting (and saying so in the log) while another instance holds it,
   * then keeps it alive until {@link release}.
   * @throws BootLeaseTimeoutError when the wait exceeds the configured bound
   */
  async acquire(): Promise<void> {
    await this.ensureTable();
    const started = this.now();
    let announced: string | null = null;
    for (;;) {
      if (await this.tryTake()) break;
      const held = await this.readCurrent();
      if (held && held.leasedUntil < this.now()) {
        if (await this.tryTakeOver()) {
          this.options.log.warn(
            `Took over the boot lease of ${held.holder}, which stopped renewing it (expired ${new Date(held.leasedUntil).toISOString()})`,
          );
          break;
        }
      }
      if (held) {
        if (announced !== held.holder) {
          // A warning: a start held back is what an operator looking at a slow start needs.
          this.options.log.warn(
            `Waiting for another instance (${held.holder}) to finish the migrations and start-up work…`,
          );
          announced = held.holder;
        }
        if (this.now() - started >= this.options.waitMs)
          throw new BootLeaseTimeoutError(Math.round(this.options.waitMs / 1000), held.holder);
        await sleep(this.pollMs + Math.random() * this.pollMs);
      } else if (this.now() - started >= this.options.waitMs) {
        // Free but never ours: only a database that keeps failing every write gets here.
        throw new BootLeaseTimeoutError(Math.round(this.options.waitMs / 1000), null);
      } else {
        // Released (or busy) since our INSERT: try again soon, with jitter against the others.
        await sleep(Math.random() * this.pollMs);
      }
    }
    if (announced) this.options.log.info('The other instance finished; starting');
    this.heartbeat = setInterval(() => {
      this.renewing ??= this.renew().finally(() => (this.renewing = null));
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Pushes the expiry on while this instance works: false if another has taken the lease. */
  async renew(): Promise<void> {
    try {
      const { affected } = await this.db.execute(
        'UPDATE boot_leases SET leasedUntil = ? WHERE name = ? AND holder = ?',
        [this.now() + this.ttlMs, this.name, this.holder],
      );
      if (affected === 0 && !this.lost) {
        this.lost = true;
        this.options.log.error(
          'The boot lease expired while this instance held it (no heartbeat got through for ' +
            `${this.ttlMs / 1000} s): another instance may be running start-up work at the same time`,
        );
        this.options.onLost?.();
      }
    } catch (error) {
      // The next beat tries again; the lease outlives a few missed ones.
      this.options.log.warn(`Boot lease heartbeat failed: ${(error as Error).message}`);
    }
  }

  /** Stops the heartbeat and gives the lease back, so a waiting instance goes on at once. */
  async release(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.renewing;
    try {
      await this.retryConflicts(() =>
        this.db.execute('DELETE FROM boot_leases WHERE name = ? AND holder = ?', [
          this.name,
          this.holder,
        ]),
      );
    } catch (error) {
      this.options.log.warn(
        `Could not release the boot lease (${(error as Error).message}): the others wait until it expires`,
      );
    }
  }

  private async readCurrent() {
    try {
      return await this.current();
    } catch (error) {
      if (isWriteConflict(error)) return null;
      throw error;
    }
  }

  /** A statement that may meet SQLite's busy lock or a Galera conflict: tried again a few times. */
  private async retryConflicts<T>(statement: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await statement();
      } catch (error) {
        if (!isWriteConflict(error) || attempt >= 40) throw error;
        await sleep(50 + Math.random() * 200);
      }
    }
  }
}

/** A connection of its own for the lease (not the app's pool, not a replica). */
export function leaseDataSource(config: AppConfig): DataSource | null {
  const db = config.database;
  if (db.type === 'sqlite' && db.path === ':memory:') return null;
  const base = dataSourceOptions({ ...config, replicaUrls: [] }, []);
  // Losing an INSERT is how waiting works: not an error to log.
  const common = {
    entities: [],
    migrations: [],
    subscribers: [],
    migrationsRun: false,
    logging: false,
  };
  let options: DataSourceOptions;
  if (base.type === 'better-sqlite3') {
    options = {
      ...base,
      ...common,
      prepareDatabase: (sqlite: { pragma(sql: string): unknown }) => {
        sqlite.pragma('busy_timeout = 5000');
        sqlite.pragma('journal_mode = WAL');
        // better-sqlite3 is synchronous: waiting on a lock held by this process's own app
        // connection (a migration's transaction) would stall the event loop. A busy answer
        // comes back at once instead, and the lease code tries again later.
        sqlite.pragma('busy_timeout = 0');
      },
    };
  } else {
    options = {
      ...(base as Extract<DataSourceOptions, { type: 'mysql' | 'mariadb' }>),
      ...common,
      extra: { connectionLimit: 2 },
    };
  }
  return new DataSource(options);
}

function asLeaseDatabase(dataSource: DataSource): LeaseDatabase {
  return {
    dialect: dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql',
    async execute(sql, params = []) {
      const runner = dataSource.createQueryRunner();
      try {
        const result = await runner.query(sql, params, true);
        const records = Array.isArray(result.records) ? (result.records as unknown[]) : [];
        return { rows: records, affected: result.affected ?? 0 };
      } finally {
        await runner.release();
      }
    },
  };
}

/**
 * Runs the start-up work (the migrations, the content sync, the seeding: everything from the
 * data source's initialisation to the end of the modules' bootstrap hooks) while holding the
 * boot lease, so instances starting together on one database do it one at a time: the first
 * does it, the others wait, then find it done. An in-memory SQLite database needs none.
 */
export async function withBootLease<T>(
  config: AppConfig,
  log: BootLeaseLog,
  work: () => Promise<T>,
): Promise<T> {
  const dataSource = leaseDataSource(config);
  if (!dataSource) return work();
  await dataSource.initialize();
  try {
    const lease = new BootLease(asLeaseDatabase(dataSource), {
      waitMs: config.bootLeaseWaitSeconds * 1000,
      log,
      // Fencing: an instance that lost its lease stops rather than migrate beside the one that
      // took it over; its supervisor (systemd, Compose) starts it again, and it then waits.
      onLost: () => process.exit(1),
    });
    await lease.acquire();
    try {
      return await work();
    } finally {
      await lease.release();
    }
  } finally {
    await dataSource.destroy().catch(() => undefined);
  }
}
