import 'reflect-metadata';
import dotenv from 'dotenv';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { CORE_VERSION } from '../registry/core-version.js';
import { loadSectors } from '../registry/sector-loader.js';
import { sectors } from '../registry/sector-list.js';
import { CORE_ENTITIES } from './core-schema.js';
import { dataSourceOptions } from './data-source-options.js';
import { probeDatabase } from './probe.js';
import { withBootLease } from './boot-lease.js';

/** `npm run migration:run`: applies pending migrations for deployments that migrate as a separate step. */
async function migrate(): Promise<void> {
  dotenv.config({ quiet: true });
  const config = await probeDatabase(loadConfig());
  const loaded = loadSectors(sectors, {
    coreVersion: CORE_VERSION,
    only: config.sectors,
    coreEntities: CORE_ENTITIES,
  });
  // Under the boot lease, like an app instance's start: never beside another's migrations.
  const log = { info: console.log, warn: console.warn, error: console.error };
  await withBootLease(config, log, async () => {
    const dataSource = new DataSource({
      ...dataSourceOptions(config, loaded),
      migrationsRun: false,
    });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(
        applied.length
          ? `Applied ${applied.map((m) => m.name).join(', ')}`
          : 'No pending migrations',
      );
    } finally {
      await dataSource.destroy();
    }
  });
}

migrate().catch((error: unknown) => {
  console.error('Migration failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
