import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../../platform/clock.js';
import { JobLeaseService, tickOf } from '../../platform/scheduler/job-lease.service.js';
import { AttemptsService } from './attempts.service.js';

const PERIOD = 30_000;

/**
 * Every 30 seconds: closes the attempts whose time is up and grades what they saved.
 * Reading an overdue attempt closes it too, so a candidate never waits for this tick.
 */
@Injectable()
export class AttemptDeadlineJob {
  constructor(
    private readonly leases: JobLeaseService,
    private readonly attempts: AttemptsService,
    private readonly clock: Clock,
  ) {}

  @Cron(CronExpression.EVERY_30_SECONDS, { name: 'assessment.close-overdue' })
  tick(): Promise<boolean> {
    return this.leases.runOnce(
      'assessment.close-overdue',
      tickOf(this.clock.now(), PERIOD),
      5 * 60_000,
      async () => {
        // Batches until none is left, so a whole hall timing out at once is closed in one tick.
        while ((await this.attempts.closeOverdue(200)) > 0);
      },
    );
  }
}
