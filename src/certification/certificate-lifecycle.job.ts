import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../platform/clock.js';
import { JobLeaseService, tickOf } from '../platform/scheduler/job-lease.service.js';
import { CertificatesService } from './certificates.service.js';

const DAY = 86_400_000;

/** Daily at 01:00 WIB: expires ended certificates and sends the 90/30/7-day reminders. */
@Injectable()
export class CertificateLifecycleJob {
  constructor(
    private readonly leases: JobLeaseService,
    private readonly certificates: CertificatesService,
    private readonly clock: Clock,
  ) {}

  @Cron('0 0 18 * * *', { name: 'certificates.lifecycle' })
  tick(): Promise<boolean> {
    return this.leases.runOnce(
      'certificates.lifecycle',
      tickOf(this.clock.now(), DAY),
      60 * 60_000,
      async () => {
        await this.certificates.runLifecycle();
      },
    );
  }
}
