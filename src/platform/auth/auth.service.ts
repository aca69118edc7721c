import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { User } from '../../people/user.entity.js';
import { passwordProblem } from '../../people/password-policy.js';
import { userView, type UserView } from '../../people/user-view.js';
import { AuditService } from '../audit/audit.service.js';
import { errorFamily } from '../http/domain-error.js';
import { LoginThrottle } from './login-throttle.service.js';
import { PasswordService } from './password.service.js';
import { RefreshToken } from './refresh-token.entity.js';

export const authError = errorFamily({
  'auth.invalid_credentials': 'unauthenticated',
  'auth.locked': 'unauthenticated',
  'auth.invalid_refresh': 'unauthenticated',
  'auth.wrong_password': 'invalid',
  'auth.weak_password': 'invalid',
});

const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;
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
  ) {}

  async login(username: string, password: string, ip: string | null): Promise<TokenPair> {
    const name = username.trim();
    await this.throttle.attempt(ip, name);
    const user = /^\d{18}$/.test(name)
      ? await this.users.findOne({
          where: { nip: name },
          relations: { orgUnit: true, position: true },
        })
      : await this.users.findOne({
          where: { email: name.toLowerCase() },
          relations: { orgUnit: true, position: true },
        });
    const now = new Date();

    if (!user || !user.active) {
      this.dummyHash ??= this.passwords.hash(randomUUID());
      await this.passwords.verify(password, await this.dummyHash);
      await this.audit.record({
        actor: null,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: null,
        detail: { username: name },
        ip,
      });
      throw authError('auth.invalid_credentials', 'NIP/e-mail atau kata sandi salah');
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      throw authError(
        'auth.locked',
        `Akun terkunci sementara karena terlalu banyak percobaan; coba lagi setelah ${user.lockedUntil.toISOString()}`,
        undefined,
        { until: user.lockedUntil.toISOString() },
      );
    }
    if (!(await this.passwords.verify(password, user.passwordHash))) {
      await this.recordFailure(user, ip, now);
      throw authError('auth.invalid_credentials', 'NIP/e-mail atau kata sandi salah');
    }
    if (user.failedLogins > 0 || user.lockedUntil) {
      await this.users.update({ id: user.id }, { failedLogins: 0, lockedUntil: null });
    }
    return this.issue(user, randomUUID());
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const stored = await this.tokens.findOneBy({ tokenHash: sha256(refreshToken) });
    const now = new Date();
    if (!stored) throw authError('auth.invalid_refresh', 'Token penyegaran tidak valid');
    if (stored.replacedAt || stored.revokedAt) {
      // A token used twice was stolen or replayed: end the whole family.
      await this.revokeFamily(stored.family, now);
      await this.audit.record({
        actor: null,
        action: 'auth.refresh_reused',
        entityType: 'user',
        entityId: stored.userId,
      });
      throw authError(
        'auth.invalid_refresh',
        'Token penyegaran sudah dipakai; silakan masuk kembali',
      );
    }
    if (stored.expiresAt <= now)
      throw authError('auth.invalid_refresh', 'Token penyegaran kedaluwarsa');
    const user = await this.users.findOne({
      where: { id: stored.userId },
      relations: { orgUnit: true, position: true },
    });
    if (!user || !user.active) throw authError('auth.invalid_refresh', 'Akun tidak aktif');
    const { affected } = await this.tokens.update(
      { id: stored.id, replacedAt: IsNull() },
      { replacedAt: now },
    );
    if (!affected) {
      await this.revokeFamily(stored.family, now);
      throw authError(
        'auth.invalid_refresh',
        'Token penyegaran sudah dipakai; silakan masuk kembali',
      );
    }
    return this.issue(user, stored.family);
  }

  async logout(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    const stored = await this.tokens.findOneBy({ tokenHash: sha256(refreshToken) });
    if (stored) await this.revokeFamily(stored.family, new Date());
  }

  /** Replaces the caller's password (also the way out of a temporary one) and ends other sessions. */
  async changePassword(userId: string, current: string, next: string): Promise<void> {
    const user = await this.users.findOneByOrFail({ id: userId });
    if (!(await this.passwords.verify(current, user.passwordHash))) {
      throw authError('auth.wrong_password', 'Kata sandi sekarang salah', 'currentPassword');
    }
    const problem =
      passwordProblem(next, user) ??
      (next === current ? 'Kata sandi baru harus berbeda dari yang sekarang' : null);
    if (problem) throw authError('auth.weak_password', problem, 'newPassword');
    await this.users.update(
      { id: userId },
      {
        passwordHash: await this.passwords.hash(next),
        mustChangePassword: false,
        updatedAt: new Date(),
      },
    );
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
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
    const accessToken = await this.jwt.signAsync({ sub: user.id, role: user.role }, { expiresIn });
    return {
      accessToken,
      refreshToken,
      expiresIn,
      user: userView(user),
      passwordChangeRequired: user.mustChangePassword,
    };
  }

  private async recordFailure(user: User, ip: string | null, now: Date): Promise<void> {
    const failures = user.failedLogins + 1;
    const lock = failures >= MAX_FAILURES;
    await this.users.update(
      { id: user.id },
      {
        failedLogins: lock ? 0 : failures,
        lockedUntil: lock ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : user.lockedUntil,
      },
    );
    await this.audit.record({
      actor: null,
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: user.id,
      ip,
    });
    if (lock)
      await this.audit.record({
        actor: null,
        action: 'auth.locked',
        entityType: 'user',
        entityId: user.id,
        ip,
        detail: { minutes: LOCK_MINUTES },
      });
  }

  private async revokeFamily(family: string, now: Date): Promise<void> {
    await this.tokens.update({ family, revokedAt: IsNull() }, { revokedAt: now });
  }
}
