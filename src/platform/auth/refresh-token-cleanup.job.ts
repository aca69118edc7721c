import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { JobLeaseService, tickOf } from '../scheduler/job-lease.service.js';
import { PasswordResetToken } from './password-reset-token.entity.js';
import { RefreshToken } from './refresh-token.entity.js';

const HOUR = 3_600_000;

/** Hourly: deletes refresh tokens and password-reset links that expired more than a day ago. */
@Injectable()
export class RefreshTokenCleanupJob {
  constructor(
    private readonly leases: JobLeaseService,
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    @InjectRepository(PasswordResetToken)
    private readonly resets: Repository<PasswordResetToken>,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'auth.refresh-token-cleanup' })
  tick(now = new Date()): Promise<boolean> {
    return this.leases.runOnce(
      'auth.refresh-token-cleanup',
      tickOf(now, HOUR),
      10 * 60_000,
      async () => {
        const before = LessThan(new Date(now.getTime() - 24 * HOUR));
        await this.tokens.delete({ expiresAt: before });
        await this.resets.delete({ expiresAt: before });
      },
    );
  }
}
