import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Brackets, Repository } from 'typeorm';
import { isSerialisationFailure } from '../../database/db-errors.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { JobLease } from './job-lease.entity.js';

/** How long a shutting-down instance lets its running jobs finish. */
const SHUTDOWN_WAIT_MS = 20_000;

/** Identifies this process among the app's instances. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * Makes each tick of a scheduled job run in one instance only. Every instance's cron fires;
 * each tries to take the job's lease for that tick with one conditional UPDATE, and only
 * the one whose UPDATE changed the row runs the job.
 */
@Injectable()
export class JobLeaseService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('JobLease');
  private readonly running = new Set<Promise<boolean>>();
  private stopping = false;

  constructor(
    @InjectRepository(JobLease) private readonly leases: Repository<JobLease>,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Runs `work` if this instance wins the lease of `job` for `tick`.
   * @param tick the scheduled time of this run, the same in every instance (see {@link tickOf})
   * @param ttlMs how long the lease holds if the holder dies without finishing
   * @returns whether this instance ran the job
   */
  async runOnce(
    job: string,
    tick: Date,
    ttlMs: number,
    work: () => Promise<void>,
  ): Promise<boolean> {
    if (this.stopping) return false;
    const run = this.run(job, tick, ttlMs, work);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  /**
   * On SIGTERM: let the jobs this instance is running finish (up to a limit), then hand back
   * any lease it still holds, so another instance takes the next tick without waiting out
   * the lease.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.running.size) {
      this.logger.log(`Waiting for ${this.running.size} running job(s) before shutting down`);
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref()),
      ]);
    }
    await this.leases
      .createQueryBuilder()
      .update(JobLease)
      .set({ leasedUntil: new Date() })
      .where('holder = :holder', { holder: INSTANCE_ID })
      .andWhere('finishedAt IS NULL')
      .execute()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not release job leases'));
  }

  private async run(
    job: string,
    tick: Date,
    ttlMs: number,
    work: () => Promise<void>,
  ): Promise<boolean> {
    const tickKey = tick.toISOString();
    if (!(await this.acquire(job, tickKey, ttlMs))) {
      this.metrics.jobRuns.inc({ job, outcome: 'skipped' });
      return false;
    }
    try {
      await work();
      this.metrics.jobRuns.inc({ job, outcome: 'ran' });
    } catch (error) {
      this.metrics.jobRuns.inc({ job, outcome: 'failed' });
      this.logger.error({ err: error }, `Job ${job} failed at tick ${tickKey}`);
    } finally {
      await this.leases.update(
        { name: job, holder: INSTANCE_ID, tick: tickKey },
        { finishedAt: new Date() },
      );
    }
    return true;
  }

  private async acquire(job: string, tick: string, ttlMs: number): Promise<boolean> {
    try {
      await this.ensureRow(job);
      return await this.take(job, tick, ttlMs);
    } catch (error) {
      // On a Galera cluster two instances taking the lease through different nodes collide
      // at commit, and the loser gets a deadlock (1213): it lost the lease, as it would have
      // on one server by matching no row.
      if (isSerialisationFailure(error)) return false;
      throw error;
    }
  }

  private async take(job: string, tick: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    const result = await this.leases
      .createQueryBuilder()
      .update(JobLease)
      .set({
        tick,
        holder: INSTANCE_ID,
        leasedUntil: new Date(now.getTime() + ttlMs),
        finishedAt: null,
      })
      .where('name = :job', { job })
      .andWhere(new Brackets((q) => q.where('tick IS NULL').orWhere('tick < :tick', { tick })))
      .andWhere(
        new Brackets((q) =>
          q
            .where('finishedAt IS NOT NULL')
            .orWhere('leasedUntil IS NULL')
            .orWhere('leasedUntil < :now', { now }),
        ),
      )
      .execute();
    return result.affected === 1;
  }

  private async ensureRow(job: string): Promise<void> {
    if (await this.leases.existsBy({ name: job })) return;
    // Instances booting together race to create it: the loser's insert is ignored, not logged
    // as a failed query.
    await this.leases
      .createQueryBuilder()
      .insert()
      .values({ name: job, tick: null, holder: null, leasedUntil: null, finishedAt: null })
      .orIgnore()
      .execute();
  }
}

/** The start of the period that contains `now`: the same tick for every instance. */
export function tickOf(now: Date, periodMs: number): Date {
  return new Date(Math.floor(now.getTime() / periodMs) * periodMs);
}
