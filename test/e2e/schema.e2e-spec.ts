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
});
