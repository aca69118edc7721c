import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { User } from '../../identity/user.entity.js';
import { passwordProblem } from '../../identity/password-policy.js';
import { userView, type UserView } from '../../identity/user-view.js';
import { AuditService } from '../audit/audit.service.js';
import { errorFamily } from '../http/domain-error.js';
import { LoginThrottle } from './login-throttle.service.js';
import { PasswordService } from './password.service.js';
import { RefreshToken } from './refresh-token.entity.js';
import { SessionsService } from './sessions.service.js';

export const authError = errorFamily({
  'auth.invalid_credentials': 'unauthenticated',
  'auth.invalid_refresh': 'unauthenticated',
  'auth.wrong_password': 'invalid',
  'auth.weak_password': 'invalid',
});

const REFRESH_DAYS = 14;

export type UserSummary = UserView;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserSummary;
  /** True while the account holds a temporary password: only `/me` and the change are open. */
  passwordChangeRequired: boolean;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

@Injectable()
export class AuthService {
  // Verified against when the account does not exist, so timing does not reveal it.
  private dummyHash?: Promise<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    private readonly passwords: PasswordService,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
  ) {}

  async login(username: string, password: string, ip: string | null): Promise<TokenPair> {
    const name = username.trim();
    const user = /^\d{18}$/.test(name)
      ? await this.users.findOne({
          where: { nip: name },
          relations: { orgUnit: true, position: true, supervisor: true },
        })
      : await this.users.findOne({
          where: { email: name.toLowerCase() },
          relations: { orgUnit: true, position: true, supervisor: true },
        });
    const account = user?.active ? user : null;
    // Before anything that could differ for a known account: the throttle answers the same
    // for a username that exists and one that does not.
    const ticket = await this.throttle.attempt(ip, name, account?.id ?? null);
    if (!(await this.checkPassword(password, account?.passwordHash ?? null)) || !account) {
      await this.audit.record({
        actor: null,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: account?.id ?? null,
        detail: account ? undefined : { username: name },
        ip,
      });
      throw authError('auth.invalid_credentials');
    }
    await ticket.succeeded(account.id);
    return this.issue(account, randomUUID());
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const stored = await this.tokens.findOneBy({ tokenHash: sha256(refreshToken) });
    const now = new Date();
    if (!stored) throw authError('auth.invalid_refresh');
    if (stored.replacedAt || stored.revokedAt) {
      // A token used twice was stolen or replayed: end the whole family.
      await this.revokeFamily(stored.family, now);
      await this.audit.record({
        actor: null,
        action: 'auth.refresh_reused',
        entityType: 'user',
        entityId: stored.userId,
      });
      throw authError('auth.invalid_refresh');
    }
    if (stored.expiresAt <= now) throw authError('auth.invalid_refresh');
    const user = await this.users.findOne({
      where: { id: stored.userId },
      relations: { orgUnit: true, position: true, supervisor: true },
    });
    if (!user || !user.active) throw authError('auth.invalid_refresh');
    const { affected } = await this.tokens.update(
      { id: stored.id, replacedAt: IsNull() },
      { replacedAt: now },
    );
    if (!affected) {
      await this.revokeFamily(stored.family, now);
      throw authError('auth.invalid_refresh');
    }
    return this.issue(user, stored.family);
  }

  /**
   * Signing out ends every session of the account at once: the access tokens too, which
   * would otherwise stay good until they expire (ADR 0015).
   */
  async logout(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    const stored = await this.tokens.findOneBy({ tokenHash: sha256(refreshToken) });
    if (!stored) return;
    await this.sessions.endAll(stored.userId);
    await this.audit.record({
      actor: null,
      action: 'auth.logout',
      entityType: 'user',
      entityId: stored.userId,
    });
  }

  /**
   * The session an access token belongs to (its refresh family), whatever its expiry: the
   * pages bind their CSRF tokens to it. Null for no token or a forged one.
   */
  sessionOf(accessToken: string | undefined): string | null {
    if (!accessToken) return null;
    try {
      const claims = this.jwt.verify<{ sid?: unknown }>(accessToken, {
        algorithms: ['HS256'],
        ignoreExpiration: true,
      });
      return typeof claims.sid === 'string' ? claims.sid : null;
    } catch {
      return null;
    }
  }

  /** Replaces the caller's password (also the way out of a temporary one) and ends other sessions. */
  async changePassword(userId: string, current: string, next: string): Promise<void> {
    const user = await this.users.findOneByOrFail({ id: userId });
    if (!(await this.passwords.verify(current, user.passwordHash))) {
      throw authError('auth.wrong_password', { field: 'currentPassword' });
    }
    const problem = passwordProblem(next, user);
    if (problem)
      throw authError('auth.weak_password', { field: 'newPassword', params: { problem } });
    if (next === current)
      throw authError('auth.weak_password', { variant: 'same', field: 'newPassword' });
    await this.users.update(
      { id: userId },
      {
        passwordHash: await this.passwords.hash(next),
        mustChangePassword: false,
        updatedAt: new Date(),
      },
    );
    await this.sessions.endAll(userId);
    await this.audit.record({
      actor: { id: user.id, role: user.role },
      action: 'auth.password_changed',
      entityType: 'user',
      entityId: user.id,
    });
  }

  private async issue(user: User, family: string): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.tokens.insert({
      userId: user.id,
      family,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(now.getTime() + REFRESH_DAYS * 86_400_000),
      replacedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    const expiresIn = this.config.accessTokenTtlSeconds;
    // `sv` ends the token when the user's sessions end; `sid` names this session (its
    // refresh family), to which the pages bind their CSRF tokens.
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, role: user.role, sv: user.sessionVersion, sid: family },
      { expiresIn },
    );
    return {
      accessToken,
      refreshToken,
      expiresIn,
      user: userView(user),
      passwordChangeRequired: user.mustChangePassword,
    };
  }

  /**
   * Checks a password against a stored hash, with the same cost whether or not there is an
   * account or its hash is a fast one (a generated temporary password): the time of the
   * answer tells nothing.
   */
  private async checkPassword(password: string, stored: string | null): Promise<boolean> {
    this.dummyHash ??= this.passwords.hash(randomUUID());
    const dummy = await this.dummyHash;
    if (stored === null) {
      await this.passwords.verify(password, dummy);
      return false;
    }
    if (!stored.startsWith('scrypt$')) await this.passwords.verify(password, dummy);
    return this.passwords.verify(password, stored);
  }

  private async revokeFamily(family: string, now: Date): Promise<void> {
    await this.tokens.update({ family, revokedAt: IsNull() }, { revokedAt: now });
  }
}
