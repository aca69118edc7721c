import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootLease, BootLeaseTimeoutError, type LeaseDatabase } from './boot-lease.js';

/** Each instance's own connection to one SQLite file, as separate processes have. */
function connect(path: string): LeaseDatabase & { close(): void } {
  const sqlite = new Database(path, { timeout: 0 });
  return {
    dialect: 'sqlite',
    async execute(sql: string, params: unknown[] = []) {
      const statement = sqlite.prepare(sql);
      if (statement.reader) return { rows: statement.all(...params), affected: 0 };
      return { rows: [], affected: statement.run(...params).changes };
    },
    close: () => sqlite.close(),
  };
}

describe('BootLease', () => {
  let dir: string;
  let connections: ReturnType<typeof connect>[];
  let clock: number;
  let logged: string[];

  const lease = (
    holder: string,
    options: Partial<ConstructorParameters<typeof BootLease>[1]> = {},
  ) => {
    const db = connect(join(dir, 'lease.sqlite'));
    connections.push(db);
    return new BootLease(db, {
      holder,
      waitMs: 60_000,
      ttlMs: 1_000,
      now: () => clock,
      log: {
        info: (m) => logged.push(`info ${holder}: ${m}`),
        warn: (m) => logged.push(`warn ${holder}: ${m}`),
        error: (m) => logged.push(`error ${holder}: ${m}`),
      },
      ...options,
    });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'boot-lease-'));
    connections = [];
    clock = 1_000_000;
    logged = [];
  });
  afterEach(() => {
    for (const c of connections) c.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is taken by one instance only; the other loses its INSERT', async () => {
    const a = lease('a');
    const b = lease('b');
    await a.ensureTable();
    await b.ensureTable();
    expect(await a.tryTake()).toBe(true);
    expect(await b.tryTake()).toBe(false);
    expect(await b.current()).toEqual({ holder: 'a', leasedUntil: clock + 1_000 });
  });

  it('is free again once released, and a release never frees another holder’s lease', async () => {
    const a = lease('a');
    const b = lease('b');
    await a.ensureTable();
    expect(await a.tryTake()).toBe(true);
    await b.release();
    expect((await a.current())?.holder).toBe('a');
    await a.release();
    expect(await a.current()).toBeNull();
    expect(await b.tryTake()).toBe(true);
  });

  it('is taken over once expired, not before; a heartbeat keeps it', async () => {
    let stopped = 0;
    const a = lease('a', { onLost: () => stopped++ });
    const b = lease('b');
    await a.ensureTable();
    expect(await a.tryTake()).toBe(true);
    clock += 900;
    expect(await b.tryTakeOver()).toBe(false);
    await a.renew();
    clock += 900;
    // Past the first expiry, but the heartbeat moved it on.
    expect(await b.tryTakeOver()).toBe(false);
    clock += 200;
    expect(await b.tryTakeOver()).toBe(true);
    expect((await a.current())?.holder).toBe('b');
    // The old holder finds out at its next heartbeat, and its release leaves b's lease alone.
    await a.renew();
    expect(logged.some((l) => l.startsWith('error a: The boot lease expired'))).toBe(true);
    // …and stops its start-up work (withBootLease ends the process), once.
    await a.renew();
    expect(stopped).toBe(1);
    await a.release();
    expect((await b.current())?.holder).toBe('b');
  });

  it('makes a second instance wait, saying so, until the first releases it', async () => {
    const a = lease('a', { now: Date.now, ttlMs: 60_000 });
    const b = lease('b', { now: Date.now, ttlMs: 60_000, pollMs: 10 });
    await a.acquire();
    let acquired = false;
    const waiting = b.acquire().then(() => (acquired = true));
    while (!logged.some((l) => l.startsWith('warn b: Waiting for another instance (a)')))
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(acquired).toBe(false);
    await a.release();
    await waiting;
    expect((await b.current())?.holder).toBe('b');
    await b.release();
    expect(await b.current()).toBeNull();
  });

  it('takes over, while waiting, the lease of a holder that died', async () => {
    const a = lease('a');
    const b = lease('b', { pollMs: 10 });
    await a.ensureTable();
    expect(await a.tryTake()).toBe(true);
    // a never renews (killed); b's wait sees it expire.
    const waiting = b.acquire();
    while (!logged.some((l) => l.startsWith('warn b: Waiting')))
      await new Promise((resolve) => setTimeout(resolve, 5));
    clock += 1_001;
    await waiting;
    expect((await b.current())?.holder).toBe('b');
    expect(logged.some((l) => l.startsWith('warn b: Took over the boot lease of a'))).toBe(true);
    await b.release();
  });

  it('fails clearly when the holder keeps it past the wait bound', async () => {
    const a = lease('a', { ttlMs: 60_000 });
    const b = lease('b', { pollMs: 10, waitMs: 5_000 });
    await a.ensureTable();
    expect(await a.tryTake()).toBe(true);
    const waiting = b.acquire();
    while (!logged.some((l) => l.startsWith('warn b: Waiting')))
      await new Promise((resolve) => setTimeout(resolve, 5));
    // a is alive, its lease far from expiry, while the clock passes the bound.
    clock += 5_000;
    await expect(waiting).rejects.toThrow(BootLeaseTimeoutError);
    await expect(waiting).rejects.toThrow(/BOOT_LEASE_WAIT_SECONDS.*\(a\)/);
  });
});
