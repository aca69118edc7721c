import { DataSource } from 'typeorm';
import { performance } from 'node:perf_hooks';
import { loadConfig } from './dist/src/config/app-config.js';
import { probeDatabase } from './dist/src/database/probe.js';
import { dataSourceOptions } from './dist/src/database/data-source-options.js';

const writer = process.argv[2] === 'writes';
const sorted = (xs) => [...xs].sort((a, b) => a - b);
for (const round of [1, 2, 3, 4])
for (const wait of ['1', '0']) {
  const config = await probeDatabase(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'mysql://root@127.0.0.1:3331/sa_bench', DB_SYNC_WAIT: wait, JWT_SECRET: 'x'.repeat(40), MIGRATIONS_RUN: 'false' }));
  const ds = new DataSource({ ...dataSourceOptions(config, []), migrationsRun: false });
  await ds.initialize();
  const [{ w }] = await ds.query('SELECT @@session.wsrep_sync_wait AS w');
  let stop = false; let writes = 0;
  const bg = writer ? (async () => { while (!stop) { await ds.query('INSERT INTO w (v) VALUES (1)'); writes++; } })() : null;
  for (let i = 0; i < 200; i++) await ds.query('SELECT v FROM bench WHERE id = ?', [1 + (i % 1000)]);
  const times = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    await ds.query('SELECT v FROM bench WHERE id = ?', [1 + (i * 7) % 1000]);
    times.push(performance.now() - t0);
  }
  stop = true; await bg;
  const s = sorted(times);
  console.log(`round ${round} DB_SYNC_WAIT=${wait} (session ${w})${writer ? `, ${writes} concurrent inserts` : ''}: median ${((s[999] + s[1000]) / 2 * 1000).toFixed(0)} µs, p95 ${(s[1899] * 1000).toFixed(0)} µs`);
  await ds.destroy();
}
