import { DataSource } from 'typeorm';
import { sectors } from '../../modules/index.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { probeDatabase } from '../../src/database/probe.js';
import { isUniqueViolation } from '../../src/database/db-errors.js';
import { insertRows, readRows, updateRows } from '../../src/database/raw-rows.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { loadSectors } from '../../src/registry/sector-loader.js';
import { CORE_VERSION } from '../../src/registry/core-version.js';
import { CORE_ENTITIES } from '../../src/database/core-schema.js';
import { SectorState } from '../../src/registry/sector-state.entity.js';
import { PublicWorksSector } from '../fixtures/public-works/public-works.sector.js';
import { createTestDatabase, engine, testConfig, TestDatabase } from '../helpers/test-app.js';

describe(`schema and data layer (${engine})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = await probeDatabase(testConfig(db.url));
    const loaded = loadSectors([...sectors, PublicWorksSector], {
      coreVersion: CORE_VERSION,
      only: null,
      coreEntities: CORE_ENTITIES,
    });
    dataSource = new DataSource({ ...dataSourceOptions(config, loaded), migrationsRun: false });
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('entities and migrations agree: synchronising would change nothing', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has no pending migration after running them', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('keeps UTC datetimes with milliseconds, and booleans, on both engines', async () => {
    const at = new Date('2026-03-01T23:59:58.123Z');
    const repo = dataSource.getRepository(SectorState);
    await repo.insert({
      key: 'probe',
      installedVersion: '1.0.0',
      enabled: false,
      installedAt: at,
      updatedAt: at,
    });
    const back = await repo.findOneByOrFail({ key: 'probe' });
    expect(back.installedAt.toISOString()).toBe(at.toISOString());
    expect(back.enabled).toBe(false);
  });

  it('writes and reads raw rows as the repositories do: dates with milliseconds, booleans, counts', async () => {
    const at = new Date('2026-04-05T06:07:08.009Z');
    const row = {
      key: 'raw',
      installedVersion: '2.0.0',
      enabled: true,
      installedAt: at,
      updatedAt: at,
    };
    const manager = dataSource.manager;
    await insertRows(manager, SectorState, [row]);
    const repo = dataSource.getRepository(SectorState);
    expect(await repo.findOneByOrFail({ key: 'raw' })).toEqual(row);
    const later = new Date('2026-04-05T06:07:09.123Z');
    const changed = await updateRows(
      manager,
      SectorState,
      { enabled: false, updatedAt: later },
      'installedVersion = ?',
      ['2.0.0'],
    );
    expect(changed).toBe(1);
    const sql = 'SELECT * FROM sectors WHERE installedVersion = ?';
    const [read] = await readRows(manager, SectorState, sql, ['2.0.0']);
    expect(read).toBeInstanceOf(SectorState);
    expect(read).toEqual({ ...row, enabled: false, updatedAt: later });
    await expect(
      insertRows(manager, SectorState, [{ ...row, key: 'raw2', enabled: undefined } as never]),
    ).rejects.toThrow('enabled is not set');
    expect(
      await updateRows(manager, SectorState, { enabled: true }, 'installedVersion = ?', ['9.9.9']),
    ).toBe(0);
  });

  it('reports a unique violation the same way on both engines', async () => {
    const repo = dataSource.getRepository(SectorState);
    const row = {
      key: 'dup',
      installedVersion: '1.0.0',
      enabled: true,
      installedAt: new Date(),
      updatedAt: new Date(),
    };
    await repo.insert(row);
    const error = await repo.insert(row).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('keeps concurrent transactions apart: a failing one undoes only itself', async () => {
    const tx = new TransactionService(dataSource);
    const repo = dataSource.getRepository(SectorState);
    const now = new Date();
    const insert = (key: string, fail: boolean) =>
      tx.run(async (manager) => {
        await manager.getRepository(SectorState).insert({
          key,
          installedVersion: '1.0.0',
          enabled: true,
          installedAt: now,
          updatedAt: now,
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (fail) throw new Error('refused');
      });
    const results = await Promise.allSettled([
      insert('tx-a', false),
      insert('tx-b', true),
      insert('tx-c', false),
      insert('tx-d', true),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    const keys = (await repo.find()).map((s) => s.key).filter((k) => k.startsWith('tx-'));
    expect(keys.sort()).toEqual(['tx-a', 'tx-c']);
  });

  describe('the transaction in context', () => {
    const now = new Date();
    const state = (key: string) => ({
      key,
      installedVersion: '1.0.0',
      enabled: true,
      installedAt: now,
      updatedAt: now,
    });
    const keysLike = async (prefix: string) =>
      (await dataSource.getRepository(SectorState).find())
        .map((s) => s.key)
        .filter((k) => k.startsWith(prefix))
        .sort();

    it('is what code below run() writes through, unasked; a failure undoes all of it', async () => {
      const tx = new TransactionService(dataSource);
      // A service that never sees the manager, as AuditService or EvidenceService.
      const write = (key: string) => tx.repository(SectorState).insert(state(key));
      await expect(
        tx.run(async () => {
          expect(tx.inTransaction()).toBe(true);
          await write('ctx-a');
          // A rule that wants a transaction of its own joins the caller's.
          await tx.run(async () => write('ctx-b'));
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await keysLike('ctx-')).toEqual([]);
      await tx.run(async () => {
        await write('ctx-c');
        await tx.run(async () => write('ctx-d'));
      });
      expect(await keysLike('ctx-')).toEqual(['ctx-c', 'ctx-d']);
      expect(tx.inTransaction()).toBe(false);
      expect(tx.manager()).toBe(dataSource.manager);
    });

    it('runs after-commit work once the transaction ended, and at once outside one', async () => {
      const tx = new TransactionService(dataSource);
      const seen: string[] = [];
      await tx.run(async () => {
        tx.afterCommit(() => seen.push('after'));
        await tx.repository(SectorState).insert(state('ctx-hook'));
        seen.push('inside');
      });
      tx.afterCommit(() => seen.push('outside'));
      expect(seen).toEqual(['inside', 'after', 'outside']);
    });

    it('does not lend an ended transaction to work that outlives it', async () => {
      const tx = new TransactionService(dataSource);
      let late!: Promise<unknown>;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await tx.run(async () => {
        // Started inside (a listener, a timer) and still running after the commit.
        late = gate.then(() => {
          expect(tx.inTransaction()).toBe(false);
          return tx.run(async () => {
            await tx.repository(SectorState).insert(state('ctx-late'));
            throw new Error('its own failure');
          });
        });
      });
      release();
      await expect(late).rejects.toThrow('its own failure');
      // Its own transaction rolled back its own write, and nothing else.
      expect(await keysLike('ctx-late')).toEqual([]);
      expect(await keysLike('ctx-hook')).toEqual(['ctx-hook']);
    });

    it('keeps concurrent transactions apart when the services below ask the context', async () => {
      const tx = new TransactionService(dataSource);
      const insert = (key: string, fail: boolean) =>
        tx.run(async () => {
          await tx.repository(SectorState).insert(state(key));
          await new Promise((resolve) => setTimeout(resolve, 20));
          await tx.repository(SectorState).insert(state(`${key}-2`));
          if (fail) throw new Error('refused');
        });
      const results = await Promise.allSettled([
        insert('par-a', false),
        insert('par-b', true),
        insert('par-c', false),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await keysLike('par-')).toEqual(['par-a', 'par-a-2', 'par-c', 'par-c-2']);
    });
  });
});
