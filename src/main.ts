import 'reflect-metadata';
import cluster from 'node:cluster';
import dotenv from 'dotenv';
import { createApp } from './app.factory.js';
import { ConfigError, describeConfig, loadConfig } from './config/app-config.js';
import { PendingMigrationsError } from './database/pending-migrations.js';
import { BootLeaseTimeoutError } from './database/boot-lease.js';
import { DatabaseUnreachableError } from './database/probe.js';
import { BootstrapService, DEMO_PASSWORD } from './people/bootstrap.service.js';
import { isFirstProcess, runClusterPrimary } from './platform/cluster/cluster-primary.js';
import { SectorManifestError } from './registry/sector-loader.js';
import { sectors } from './registry/sector-list.js';

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const config = loadConfig();
  // Several HTTP processes on one machine (WORKERS): this one forks and watches them.
  if (config.workers > 1 && cluster.isPrimary) return runClusterPrimary(config.workers);
  const app = await createApp(config, sectors);
  await app.listen(config.port, '0.0.0.0');
  if (!isFirstProcess()) return;
  const url = `http://localhost:${config.port}`;
  console.log(
    `Sertifikasi ASN berjalan di ${url} (API ${url}/api/docs)`,
    JSON.stringify(describeConfig(config)),
  );

  const logins = app.get(BootstrapService).demoLogins;
  if (logins.length) {
    console.log(`\nAkun demo (kata sandi semua akun: ${DEMO_PASSWORD}):`);
    for (const login of logins) {
      const scope = login.sectors.length ? ` [${login.sectors.join(', ')}]` : '';
      const team = login.reports.length ? ` — atasan langsung: ${login.reports.join(', ')}` : '';
      console.log(
        `  ${login.role.padEnd(12)} ${login.username.padEnd(36)} ${login.name}${scope}${team}`,
      );
    }
    console.log('');
  }
}

main().catch((error: unknown) => {
  // Configuration and manifest errors are the operator's to fix: say what, without a stack.
  if (
    error instanceof ConfigError ||
    error instanceof SectorManifestError ||
    error instanceof PendingMigrationsError ||
    error instanceof BootLeaseTimeoutError ||
    error instanceof DatabaseUnreachableError
  ) {
    console.error(error.message);
  } else {
    console.error(
      'Sertifikasi ASN failed to start:',
      error instanceof Error ? error.message : error,
    );
  }
  process.exit(1);
});
