import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { IsNull, MoreThan, Repository } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { TransactionService } from '../../database/transaction.service.js';
import { passwordProblem } from '../../identity/password-policy.js';
import { User } from '../../identity/user.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { errorFamily } from '../http/domain-error.js';
import type { Language } from '../http/lang.decorator.js';
import { t } from '../i18n/i18n.js';
import { consumed, sharedLimiter, waitSeconds } from '../redis/rate-limit.js';
import { REDIS } from '../redis/redis.token.js';
import { authError } from './auth.service.js';
import { PasswordResetToken } from './password-reset-token.entity.js';
import { PasswordResetMailer } from './password-reset.mailer.js';
import { PasswordService } from './password.service.js';
import { SessionsService } from './sessions.service.js';

export const resetError = errorFamily({
  'auth.reset_invalid': 'invalid',
  'auth.reset_throttled': 'too_many',
  'auth.reset_unavailable': 'refused',
});

const MINUTE = 60;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The page a reset link opens; the token rides in the query string (ADR 0026). */
export const RESET_PAGE = '/sandi-baru';

/**
 * Self-service password reset by e-mail (ADR 0026). A request always gets the same answer,
 * whether or not the NIP/e-mail names an account; the link is single-use, short-lived and
 * kept only as its hash; using it sets the new password under the password policy and ends
 * every session of the account.
 */
@Injectable()
export class PasswordResetService {
  private readonly perIp: RateLimiterAbstract;
  private readonly perAccount: RateLimiterAbstract;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis | null,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(PasswordResetToken)
    private readonly tokens: Repository<PasswordResetToken>,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionService,
    private readonly mailer: PasswordResetMailer,
  ) {
    this.perIp = sharedLimiter(
      config,
      redis,
      'reset-ip',
      config.passwordResetRateLimitPerIp,
      15 * MINUTE,
    );
    this.perAccount = sharedLimiter(
      config,
      redis,
      'reset-user',
      config.passwordResetRateLimitPerAccount,
      60 * MINUTE,
    );
  }

  /** Whether reset links can be mailed (SMTP configured); without it the admin resets. */
  get selfService(): boolean {
    return this.config.smtpUrl !== null;
  }

  /**
   * Mails a reset link when `username` (NIP or e-mail) names an active account with an
   * e-mail address; otherwise does nothing, with the same answer. Throttled per IP and per
   * username as typed, existing or not.
   */
  async request(username: string, ip: string | null): Promise<void> {
    if (!this.selfService) throw resetError('auth.reset_unavailable');
    const name = username.trim();
    for (const [limiter, key] of [
      [this.perIp, ip ?? 'unknown'],
      [this.perAccount, name.toLowerCase()],
    ] as const) {
      const seconds = waitSeconds(await consumed(limiter, key));
      if (seconds !== null)
        throw resetError('auth.reset_throttled', {
          params: { seconds },
          details: { retryAfterSeconds: seconds },
        });
    }
    const user = await this.users.findOneBy(
      /^\d{18}$/.test(name) ? { nip: name } : { email: name.toLowerCase() },
    );
    if (!user?.active || !user.email) return;
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const minutes = this.config.passwordResetTtlMinutes;
    await this.tokens.insert({
      userId: user.id,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + minutes * 60_000),
      usedAt: null,
      createdAt: now,
    });
    await this.audit.record({
      actor: null,
      action: 'auth.password_reset_requested',
      entityType: 'user',
      entityId: user.id,
      ip,
    });
    this.mailer.sendLater(
      {
        to: user.email,
        name: user.name,
        link: `${this.config.publicUrl}${RESET_PAGE}?token=${token}`,
        minutes,
      },
      user.id,
    );
  }

  /** Whether a link can be mailed here, and whom to ask otherwise. */
  options(lang: Language): { selfService: boolean; contact: string } {
    return { selfService: this.selfService, contact: this.contact(lang) };
  }

  /** Whom to ask about a forgotten password: the configured text, or the catalogue's. */
  contact(lang: Language): string {
    return this.config.passwordHelpContact ?? t(lang, 'forgot.contactDefault');
  }

  /** Whether a link is still good (the page asks before showing its form). */
  async isValid(token: string): Promise<boolean> {
    return (await this.usable(token)) !== null;
  }

  /**
   * Sets the new password with a reset link's token, once: the token is spent in the same
   * `UPDATE` that checks it is unused and unexpired, so two requests with it cannot both pass.
   */
  async confirm(token: string, next: string, ip: string | null): Promise<void> {
    const stored = await this.usable(token);
    const user = stored && (await this.users.findOneBy({ id: stored.userId }));
    if (!stored || !user?.active) throw resetError('auth.reset_invalid', { field: 'token' });
    const problem = passwordProblem(next, user);
    if (problem)
      throw authError('auth.weak_password', { field: 'newPassword', params: { problem } });
    const passwordHash = await this.passwords.hash(next);
    await this.transactions.run(async () => {
      const now = new Date();
      const tokens = this.transactions.repository(PasswordResetToken);
      const { affected } = await tokens.update(
        { id: stored.id, usedAt: IsNull(), expiresAt: MoreThan(now) },
        { usedAt: now },
      );
      if (!affected) throw resetError('auth.reset_invalid', { field: 'token' });
      await this.transactions.repository(User).update(
        { id: user.id },
        {
          passwordHash,
          mustChangePassword: false,
          failedLogins: 0,
          lockedUntil: null,
          updatedAt: now,
        },
      );
      // Every sign-in ends, and the other links mailed to the account with them.
      await this.sessions.endAll(user.id);
      await this.audit.record({
        actor: { id: user.id, role: user.role },
        action: 'auth.password_reset',
        entityType: 'user',
        entityId: user.id,
        ip,
      });
    });
  }

  private async usable(token: string): Promise<PasswordResetToken | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return this.tokens.findOneBy({
      tokenHash: sha256(token),
      usedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
  }
}
