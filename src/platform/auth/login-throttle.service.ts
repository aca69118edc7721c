import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { AuditService } from '../audit/audit.service.js';
import { errorFamily } from '../http/domain-error.js';
import { consumed, sharedLimiter, waitSeconds } from '../redis/rate-limit.js';
import { REDIS } from '../redis/redis.token.js';

const throttleError = errorFamily({ 'auth.throttled': 'too_many' });

/** Which failure limit held an attempt back, as the audit log names it. */
type ThrottledBy = 'address' | 'spraying' | 'account';

const MINUTE = 60;
/** How long an address the account signed in from keeps it clear of the account ceiling. */
const KNOWN_DAYS = 14;

/** One login attempt let through the throttle; settled once the password was checked. */
export interface LoginTicket {
  /** A right password gives back this attempt's failure points and clears its pair. */
  succeeded(userId: string): Promise<void>;
}

/**
 * The login throttle (ADR 0015). Nothing here ever refuses the owner's device because of
 * what a stranger did elsewhere:
 *
 * - attempts per minute, per IP and per (username, IP): a flood limit;
 * - failures per (username, IP) within 15 minutes: the back-off that used to be a lock of the
 *   whole account, now held by the address that guessed;
 * - failures per IP across usernames within 15 minutes: password spraying;
 * - failures per username from every IP within an hour: a distributed guess, a ceiling
 *   that an address the account signed in from lately does not count against.
 *
 * Each attempt is counted as a failure before the password is checked (so a thousand
 * parallel guesses cannot all pass the check before any is counted) and given back when the
 * password was right. Keys are the username as typed, whether or not such an account
 * exists, so an unknown username is throttled exactly like a known one. With Redis the
 * counters are shared by every instance; without it, or while it is unreachable, each
 * instance counts on its own.
 */
@Injectable()
export class LoginThrottle {
  private readonly attemptsPerIp: RateLimiterAbstract;
  private readonly attemptsPerPair: RateLimiterAbstract;
  private readonly failuresPerPair: RateLimiterAbstract;
  private readonly failuresPerIp: RateLimiterAbstract;
  private readonly failuresPerAccount: RateLimiterAbstract;
  /** (account, IP) pairs that signed in lately: a one-point limiter used as a shared set with expiry. */
  private readonly knownAddresses: RateLimiterAbstract;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) redis: Redis | null,
    private readonly audit: AuditService,
  ) {
    const limiter = (name: string, points: number, seconds: number) =>
      sharedLimiter(config, redis, name, points, seconds);
    this.attemptsPerIp = limiter('login-ip', config.loginRateLimitPerIp, MINUTE);
    this.attemptsPerPair = limiter('login-user', config.loginRateLimitPerAccount, MINUTE);
    this.failuresPerPair = limiter(
      'login-failures-pair',
      config.loginFailuresPerAccountIp,
      15 * MINUTE,
    );
    this.failuresPerIp = limiter('login-failures-ip', config.loginFailuresPerIp, 15 * MINUTE);
    this.failuresPerAccount = limiter(
      'login-failures-account',
      config.loginFailuresPerAccount,
      60 * MINUTE,
    );
    this.knownAddresses = limiter('login-known', 1, KNOWN_DAYS * 24 * 60 * MINUTE);
  }

  /**
   * Counts one attempt of `username` from `ip`, `userId` being the account it names (null for
   * none: the answer must not depend on it, and only the known-address exemption reads it).
   * Throws a 429 domain error when a limit is spent.
   */
  async attempt(ip: string | null, username: string, userId: string | null): Promise<LoginTicket> {
    const name = username.trim().toLowerCase();
    const address = ip ?? 'unknown';
    const pair = `${name}|${address}`;
    const known = userId !== null && (await this.isKnown(userId, address));
    // One after the other: a refused attempt is not counted by the limits after it.
    const limits: (readonly [RateLimiterAbstract, string, ThrottledBy | null])[] = [
      [this.attemptsPerPair, pair, null],
      [this.attemptsPerIp, address, null],
      [this.failuresPerPair, pair, 'address'],
      [this.failuresPerIp, address, 'spraying'],
      ...(known ? [] : [[this.failuresPerAccount, name, 'account'] as const]),
    ];
    for (const [limiter, key, by] of limits) {
      const rejection = await consumed(limiter, key);
      if (!rejection) continue;
      // Staff learn of a guess once per window, when a failure limit is first reached
      // (every refused attempt would let the guesser fill the audit log).
      if (by && rejection.consumedPoints === limiter.points + 1)
        await this.audit.record({
          actor: null,
          action: 'auth.throttled',
          entityType: 'user',
          entityId: userId,
          detail: { by, username: name },
          ip,
        });
      const seconds = waitSeconds(rejection);
      throw throttleError('auth.throttled', { params: { seconds: seconds! } });
    }
    return {
      succeeded: async (id) => {
        await Promise.all([
          this.failuresPerPair.delete(pair),
          this.failuresPerIp.reward(address, 1),
          known ? null : this.failuresPerAccount.reward(name, 1),
          this.remember(id, address),
        ]);
      },
    };
  }

  private async isKnown(userId: string, address: string): Promise<boolean> {
    const res = await this.knownAddresses.get(`${userId}|${address}`);
    return !!res && res.consumedPoints > 0;
  }

  private async remember(userId: string, address: string): Promise<void> {
    const key = `${userId}|${address}`;
    // Already remembered: the window is not renewed, so an address is known at most 14 days
    // after its first sign-in of the window; the next sign-in after that starts a new one.
    await consumed(this.knownAddresses, key);
  }
}
