import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { User } from '../../identity/user.entity.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuthUserCache } from './auth-user-cache.js';
import { PasswordResetToken } from './password-reset-token.entity.js';
import { RefreshToken } from './refresh-token.entity.js';

/**
 * Ends every session of some users at once: their session version rises, so each access
 * token issued before is refused by the guard on its next request, and every refresh token
 * they hold is revoked. The guard's cache of these users is cleared in every instance. An
 * unused password-reset link is a way in too: it is spent with them, so a link mailed before
 * a password change or an admin's reset no longer opens the account (ADR 0026).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly cache: AuthUserCache,
  ) {}

  /** Inside the caller's transaction when there is one. */
  async endAll(userIds: string | readonly string[]): Promise<void> {
    const ids = typeof userIds === 'string' ? [userIds] : [...new Set(userIds)];
    if (!ids.length) return;
    try {
      await this.bumpAndRevoke(ids);
    } finally {
      // After the writes, and again when the caller's transaction ends: a request in between
      // may have cached the row as it was before the commit.
      if (this.transactions.inTransaction()) this.cache.invalidate(ids);
      this.transactions.afterCommit(() => this.cache.invalidate(ids));
    }
  }

  private async bumpAndRevoke(ids: readonly string[]): Promise<void> {
    const m = this.transactions.manager();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await m
        .createQueryBuilder()
        .update(User)
        .set({ sessionVersion: () => 'sessionVersion + 1' })
        .where({ id: In(chunk) })
        .execute();
      await m
        .getRepository(RefreshToken)
        .update({ userId: In(chunk), revokedAt: IsNull() }, { revokedAt: new Date() });
      await m
        .getRepository(PasswordResetToken)
        .update({ userId: In(chunk), usedAt: IsNull() }, { usedAt: new Date() });
    }
  }
}
