import { type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { sectors as defaultSectors } from '../../modules/index.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { CORE_ENTITIES } from '../../src/database/core-schema.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { AuthModule } from '../../src/platform/auth/auth.module.js';
import { MetricsModule } from '../../src/platform/metrics/metrics.module.js';
import { PlatformModule } from '../../src/platform/platform.module.js';
import { RedisModule } from '../../src/platform/redis/redis.module.js';
import { WebModule } from '../../src/platform/web/web.module.js';
import { CORE_VERSION } from '../../src/registry/core-version.js';
import { RegistryModule } from '../../src/registry/registry.module.js';
import { type LoadedSector, loadSectors } from '../../src/registry/sector-loader.js';
import { ROOT } from './child-app.js';
import { testConfig } from './test-app.js';

/*
 * Medium tests: one domain's services booted without HTTP on a migrated SQLite database,
 * called directly. Faster than an e2e test (no app, no migrations: a copy of a template
 * migrated once per schema) and closer than a unit test (real rows, real transactions).
 */

/** The migrations' own text: a changed or added migration makes a new template. */
function schemaKey(): string {
  const hash = createHash('sha256');
  for (const dir of ['src/database/migrations', ...sectorMigrationDirs()])
    for (const file of readdirSync(join(ROOT, dir)).sort())
      if (file.endsWith('.ts')) hash.update(file).update(readFileSync(join(ROOT, dir, file)));
  return hash.digest('hex').slice(0, 16);
}

function sectorMigrationDirs(): string[] {
  return readdirSync(join(ROOT, 'modules'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'modules', d.name, 'migrations')))
    .map((d) => `modules/${d.name}/migrations`);
}

function sectors(config: AppConfig): LoadedSector[] {
  return loadSectors(defaultSectors, {
    coreVersion: CORE_VERSION,
    only: config.sectors,
    coreEntities: CORE_ENTITIES,
  });
}

/** The migrated template's path; built (once per schema, atomically) when missing. */
async function template(): Promise<string> {
  const path = join(tmpdir(), `sa-medium-${schemaKey()}.sqlite`);
  if (existsSync(path)) return path;
  const building = `${path}.${randomBytes(4).toString('hex')}`;
  const config = testConfig(`sqlite:${building}`, { MIGRATIONS_RUN: 'false' });
  const dataSource = new DataSource(dataSourceOptions(config, sectors(config)));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  // One file for the copy: the write-ahead log folded back into the database.
  await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  await dataSource.destroy();
  renameSync(building, path);
  rmSync(`${building}-wal`, { force: true });
  rmSync(`${building}-shm`, { force: true });
  return path;
}

export interface MediumApp {
  context: INestApplicationContext;
  dataSource: DataSource;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

/**
 * Boots `modules` (domain modules, with what they import) over the platform's global
 * modules, on a fresh copy of the migrated template. Nothing listens on a port.
 */
export async function bootMedium(
  modules: Type[],
  env: Record<string, string> = {},
): Promise<MediumApp> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-medium-'));
  const file = join(dir, 'medium.sqlite');
  copyFileSync(await template(), file);
  const config = testConfig(`sqlite:${file}`, { MIGRATIONS_RUN: 'false', ...env });
  const loaded = sectors(config);

  @Module({
    imports: [
      ConfigModule.forRoot(config),
      TypeOrmModule.forRoot(dataSourceOptions(config, loaded)),
      EventEmitterModule.forRoot({ wildcard: false }),
      RedisModule,
      MetricsModule,
      PlatformModule,
      AuthModule,
      RegistryModule.forRoot(loaded),
      // The domains' page controllers render through it.
      WebModule,
      ...modules,
      // The registry finds the sectors' contributions (rules, question types) in their modules.
      ...loaded.map((sector) => sector.module),
    ],
  })
  class MediumModule {}

  const context = await NestFactory.createApplicationContext(MediumModule, {
    logger: false,
    abortOnError: false,
  });
  await context.init();
  return {
    context,
    dataSource: context.get(DataSource),
    get: (type) => context.get(type),
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
