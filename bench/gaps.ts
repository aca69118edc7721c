/**
 * `npm run bench:gaps`: builds 300 positions, 600 competencies and 5,000 / 10,000 / 20,000
 * ASN with 10 evidence records each, then times the full gap report by org unit and the
 * heatmap, on SQLite and on MariaDB (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306).
 * Prints figures; never fails on speed.
 */
import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { sectors } from '../modules/index.js';
import { freshDatabase, mysqlBase, SECTOR_KEYS } from './bench-database.js';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/app-config.js';
import { GapReportService } from '../src/competency/gap-report.service.js';
import type { AuthUser } from '../src/platform/auth/auth-user.js';

const SIZES = (process.env.BENCH_SIZES ?? '5000,10000,20000').split(',').map(Number);
const admin: AuthUser = {
  id: 'bench',
  role: 'admin',
  sectors: [],
  name: 'Bench',
  mustChangePassword: false,
};

async function insertChunks(
  ds: DataSource,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await ds
      .createQueryBuilder()
      .insert()
      .into(table)
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

async function bench(engine: 'sqlite' | 'mysql'): Promise<void> {
  const { dir, url, dbName } = await freshDatabase(engine, 'gaps');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: 'b'.repeat(40),
    DEMO_DATA: 'false',
    DATA_DIR: dir,
  });
  const app = await createApp(config, sectors);
  const ds = app.get(DataSource);
  const reports = app.get(GapReportService);
  const now = new Date();
  try {
    const units = Array.from({ length: 30 }, (_, i) => ({
      id: randomUUID(),
      code: `OPD${i}`,
      name: `Perangkat Daerah ${i}`,
      active: true,
      createdAt: now,
      updatedAt: now,
    }));
    await insertChunks(ds, 'org_units', units);
    const competencies = Array.from({ length: 600 }, (_, i) => ({
      id: randomUUID(),
      code: `B.${i}`,
      title: `Kompetensi ${i}`,
      description: 'Data bangku uji',
      type: 'teknis',
      sector: SECTOR_KEYS[i % 3],
      levels: JSON.stringify(
        [1, 2, 3, 4, 5].map((level) => ({ level, description: `Level ${level}`, indicators: [] })),
      ),
      createdAt: now,
      updatedAt: now,
    }));
    await insertChunks(ds, 'competencies', competencies);
    const positions = Array.from({ length: 300 }, (_, i) => ({
      id: randomUUID(),
      code: `J${i}`,
      name: `Jabatan ${i}`,
      kind: 'fungsional',
      sector: SECTOR_KEYS[i % 3],
      orgUnitCodes: '[]',
      createdAt: now,
      updatedAt: now,
    }));
    await insertChunks(ds, 'positions', positions);
    // Ten requirements per position, drawn from its own sector's competencies.
    const requirements = positions.flatMap((p, i) =>
      Array.from({ length: 10 }, (_, k) => ({
        id: randomUUID(),
        positionId: p.id,
        competencyId: competencies[(i % 3) + 3 * ((i * 7 + k * 13) % 200)].id,
        requiredLevel: 1 + ((i + k) % 5),
      })),
    );
    const seen = new Set<string>();
    await insertChunks(
      ds,
      'position_requirements',
      requirements.filter(
        (r) => !seen.has(r.positionId + r.competencyId) && seen.add(r.positionId + r.competencyId),
      ),
    );
    const standard = new Map<string, string[]>();
    for (const r of requirements)
      standard.set(r.positionId, [...(standard.get(r.positionId) ?? []), r.competencyId]);

    let made = 0;
    console.log(`\n${engine}: 30 org units, 600 competencies, 300 positions, 10 requirements each`);
    for (const size of SIZES) {
      const users: Record<string, unknown>[] = [];
      const evidence: Record<string, unknown>[] = [];
      for (; made < size; made++) {
        const id = randomUUID();
        const position = positions[made % positions.length];
        users.push({
          id,
          nip: null,
          email: `asn${made}@bench.example`,
          name: `ASN ${made}`,
          role: 'asn',
          sectors: '[]',
          orgUnitId: units[made % units.length].id,
          positionId: position.id,
          passwordHash: 'x',
          active: true,
          mustChangePassword: false,
          failedLogins: 0,
          createdAt: now,
          updatedAt: now,
        });
        const comps = standard.get(position.id)!;
        for (let k = 0; k < 10; k++) {
          evidence.push({
            id: randomUUID(),
            userId: id,
            competencyId: comps[k % comps.length],
            level: 1 + ((made + k) % 5),
            source: 'manual',
            achievedAt: now,
            expiresAt: k % 4 === 0 ? new Date(now.getTime() - 86_400_000) : null,
            createdAt: now,
          });
        }
      }
      const started = Date.now();
      await insertChunks(ds, 'users', users);
      await insertChunks(ds, 'evidence', evidence);
      const loadSeconds = (Date.now() - started) / 1000;
      await reports.byDimension(admin, 'org-unit'); // warm-up
      const timings: Record<string, number> = {};
      for (const [name, run] of [
        ['by org unit', () => reports.byDimension(admin, 'org-unit')],
        ['heatmap', () => reports.heatmap(admin)],
      ] as const) {
        const runs: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          await run();
          runs.push(performance.now() - t0);
        }
        timings[name] = Math.min(...runs);
      }
      console.log(
        `  ${String(size).padStart(6)} ASN, ${size * 10} evidence (loaded in ${loadSeconds.toFixed(1)} s): gap report by org unit ${timings['by org unit'].toFixed(0)} ms, heatmap ${timings.heatmap.toFixed(0)} ms`,
      );
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'mysql') {
      const conn = await mysql.createConnection(mysqlBase);
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
    }
  }
}

async function main(): Promise<void> {
  for (const engine of (process.env.BENCH_ENGINES ?? 'sqlite,mysql').split(',') as (
    'sqlite' | 'mysql'
  )[])
    await bench(engine);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
