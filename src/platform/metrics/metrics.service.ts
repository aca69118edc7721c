import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { transactionRetries } from '../../database/transaction.service.js';

/** What a mysql2 pool keeps inside (not public API: read defensively). */
interface PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * The app's Prometheus metrics, in a registry of its own (several apps in one test process
 * must not share one). Request metrics are filled by a Fastify hook (see `installHttpMetrics`),
 * the others by the services that do the work; gauges read the database when scraped.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'sertifikasi_http_requests_total',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'sertifikasi_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly answerSaves = new Counter({
    name: 'sertifikasi_answer_saves_total',
    help: 'Answers saved in attempts (stored: false for a late retry that changed nothing)',
    labelNames: ['stored'] as const,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'sertifikasi_job_runs_total',
    help: 'Scheduled job ticks by outcome: ran, failed, or skipped (another instance had the lease)',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'sertifikasi_' });
    // prom-client calls collect() with the gauge as `this`: reach the service through closures.
    const countOpen = () => this.openAttempts();
    const pool = () => this.pool();
    const retried = () => transactionRetries(this.dataSource);
    new Counter({
      name: 'sertifikasi_db_transaction_retries_total',
      help: 'Transactions run again after losing a conflict (deadlock, lock wait, Galera certification)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(retried());
      },
    });
    new Gauge({
      name: 'sertifikasi_open_attempts',
      help: 'Exam attempts in progress',
      registers: [this.registry],
      async collect() {
        this.set(await countOpen());
      },
    });
    new Gauge({
      name: 'sertifikasi_db_pool_connections',
      help: 'Database pool connections by state (MySQL/MariaDB; SQLite has one connection)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const internals = pool();
        if (!internals) return;
        const all = internals._allConnections?.length ?? 0;
        const free = internals._freeConnections?.length ?? 0;
        this.set({ state: 'open' }, all);
        this.set({ state: 'idle' }, free);
        this.set({ state: 'busy' }, all - free);
        this.set({ state: 'waiting' }, internals._connectionQueue?.length ?? 0);
      },
    });
  }

  private async openAttempts(): Promise<number> {
    const rows: { n: number | string }[] = await this.dataSource.query(
      "SELECT COUNT(*) AS n FROM attempts WHERE status = 'in_progress'",
    );
    return Number(rows[0]?.n ?? 0);
  }

  private pool(): PoolInternals | null {
    const driver = this.dataSource.driver as unknown as { pool?: PoolInternals };
    return driver.pool ?? null;
  }
}
