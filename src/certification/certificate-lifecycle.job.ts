import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../platform/clock.js';
import { JobLeaseService, tickOf } from '../platform/scheduler/job-lease.service.js';
import { CertificateExpiry } from './certificate-expiry.js';
import { CertificateIssuer } from './certificate-issuer.js';
import { CertificateNumbering } from './certificate-numbering.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Daily at 01:00 WIB: expires ended certificates and sends the 90/30/7-day reminders.
 * Hourly and at boot: issues what an interrupted evaluation left unissued.
 * Every minute and at boot: numbers what is issued but unnumbered, and evaluates again the
 * users whose evaluation failed (ADR 0041).
 */
@Injectable()
export class CertificateLifecycleJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('Certificates');

  constructor(
    private readonly leases: JobLeaseService,
    private readonly expiry: CertificateExpiry,
    private readonly issuer: CertificateIssuer,
    private readonly numbering: CertificateNumbering,
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
   * Every minute, under the lease: certificates left without a number (a process killed
   * between issuing and numbering, a numbering out of tries) are numbered, and failed
   * evaluations run again (a success takes them off `certificate_evaluations_pending`).
   */
  @Cron('0 * * * * *', { name: 'certificates.numbering' })
  numberPending(): Promise<boolean> {
    return this.runNumbering(tickOf(this.clock.now(), MINUTE));
  }

  runNumbering(tick: Date): Promise<boolean> {
    return this.leases.runOnce('certificates.numbering', tick, 5 * MINUTE, async () => {
      const numbered = await this.numbering.numberPending();
      if (numbered) this.logger.warn(`Numbered ${numbered} certificate(s) left unnumbered`);
      const evaluated = await this.issuer.retryFailed();
      if (evaluated) this.logger.warn(`Evaluated ${evaluated} user(s) whose evaluation had failed`);
    });
  }

  /**
   * And once at boot, without holding the boot up: an instance comes back after a crash,
   * and what the crash interrupted is issued now rather than at the next hour. Its tick is
   * the boot instant, later than any hourly tick already run; if another instance's
   * catch-up is running at that moment, this one leaves it to that one (and to the hour).
   */
  onApplicationBootstrap(): void {
    const boot = this.clock.now();
    this.runNumbering(boot)
      .then(() => this.runCatchUp(boot))
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'Certificate catch-up at boot failed'),
      );
  }

  private runCatchUp(tick: Date): Promise<boolean> {
    return this.leases.runOnce('certificates.catch-up', tick, 10 * 60_000, async () => {
      await this.issuer.catchUp(new Date(this.clock.now().getTime() - DAY));
    });
  }
}
