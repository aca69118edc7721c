import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../platform/clock.js';
import { JobLeaseService, tickOf } from '../platform/scheduler/job-lease.service.js';
import { CertificateExpiry } from './certificate-expiry.js';
import { CertificateIssuer } from './certificate-issuer.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Daily at 01:00 WIB: expires ended certificates and sends the 90/30/7-day reminders.
 * Hourly and at boot: issues what an interrupted evaluation left unissued.
 */
@Injectable()
export class CertificateLifecycleJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('Certificates');

  constructor(
    private readonly leases: JobLeaseService,
    private readonly expiry: CertificateExpiry,
    private readonly issuer: CertificateIssuer,
    private readonly clock: Clock,
  ) {}

  @Cron('0 0 18 * * *', { name: 'certificates.lifecycle' })
  tick(): Promise<boolean> {
    return this.leases.runOnce(
      'certificates.lifecycle',
      tickOf(this.clock.now(), DAY),
      60 * 60_000,
      async () => {
        await this.expiry.run();
      },
    );
  }

  /**
   * Hourly, the evaluations lost in the last day are caught up (see
   * {@link CertificateIssuer.catchUp}): one interrupted by a database outage waits at most
   * an hour.
   */
  @Cron('0 23 * * * *', { name: 'certificates.catch-up' })
  catchUp(): Promise<boolean> {
    return this.runCatchUp(tickOf(this.clock.now(), HOUR));
  }

  /**
   * And once at boot, without holding the boot up: an instance comes back after a crash,
   * and what the crash interrupted is issued now rather than at the next hour. Its tick is
   * the boot instant, later than any hourly tick already run; if another instance's
   * catch-up is running at that moment, this one leaves it to that one (and to the hour).
   */
  onApplicationBootstrap(): void {
    this.runCatchUp(this.clock.now()).catch((error: unknown) =>
      this.logger.error({ err: error }, 'Certificate catch-up at boot failed'),
    );
  }

  private runCatchUp(tick: Date): Promise<boolean> {
    return this.leases.runOnce('certificates.catch-up', tick, 10 * 60_000, async () => {
      await this.issuer.catchUp(new Date(this.clock.now().getTime() - DAY));
    });
  }
}
