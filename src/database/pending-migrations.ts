import type { Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { CORE_VERSION } from '../registry/core-version.js';
import { loadSectors } from '../registry/sector-loader.js';
import { CORE_ENTITIES } from './core-schema.js';
import { dataSourceOptions } from './data-source-options.js';

export class PendingMigrationsError extends Error {
  constructor() {
    super(
      'The database has migrations that are not applied yet, and MIGRATIONS_RUN=false: ' +
        'run `npm run migration:run` (or set MIGRATIONS_RUN=true) before starting the app.',
    );
    this.name = 'PendingMigrationsError';
  }
}

/**
 * When a deployment migrates as a separate step (MIGRATIONS_RUN=false), an instance must not
 * start on a schema older than its code: checked before any module reads or writes.
 */
export async function assertMigrated(config: AppConfig, sectors: readonly Type[]): Promise<void> {
  if (config.migrationsRun) return;
  const loaded = loadSectors(sectors, {
    coreVersion: CORE_VERSION,
    only: config.sectors,
    coreEntities: CORE_ENTITIES,
  });
  // The primary alone: a one-off connection, whatever the replica settings.
  const dataSource = new DataSource(dataSourceOptions({ ...config, replicaUrls: [] }, loaded));
  await dataSource.initialize();
  try {
    if (await dataSource.showMigrations()) throw new PendingMigrationsError();
  } finally {
    await dataSource.destroy();
  }
}
