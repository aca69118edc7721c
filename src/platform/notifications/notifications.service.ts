import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../clock.js';
import { errorFamily } from '../http/domain-error.js';
import { Notification } from './notification.entity.js';

const notificationError = errorFamily({ 'notification.not_found': 'not_found' });

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
}

/** In-app notifications: domains send them, each user reads only their own. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly clock: Clock,
    private readonly transactions: TransactionService,
  ) {}

  /** Inside the caller's transaction when there is one: it exists if the change does. */
  async notify(input: NewNotification): Promise<void> {
    await this.transactions.repository(Notification).insert({
      userId: input.userId,
      kind: input.kind,
      title: input.title.slice(0, 200),
      body: input.body ?? '',
      link: input.link ?? null,
      readAt: null,
      createdAt: this.clock.now(),
    });
  }

  async mine(caller: AuthUser, limit = 50) {
    const [rows, unread] = await Promise.all([
      this.notifications.find({
        where: { userId: caller.id },
        order: { createdAt: 'DESC' },
        take: Math.min(Math.max(limit, 1), 200),
      }),
      this.notifications.countBy({ userId: caller.id, readAt: IsNull() }),
    ]);
    return {
      unread,
      items: rows.map((n) => ({
        id: n.id,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link,
        read: !!n.readAt,
        createdAt: n.createdAt.toISOString(),
      })),
    };
  }

  /** Marks one (or, without an id, every) notification of the caller read. */
  async markRead(caller: AuthUser, id?: string): Promise<{ read: number }> {
    const now = this.clock.now();
    if (!id) {
      const result = await this.notifications.update(
        { userId: caller.id, readAt: IsNull() },
        { readAt: now },
      );
      return { read: result.affected ?? 0 };
    }
    const found = await this.notifications.findOneBy({ id, userId: caller.id });
    if (!found) throw notificationError('notification.not_found');
    if (!found.readAt) await this.notifications.update({ id }, { readAt: now });
    return { read: found.readAt ? 0 : 1 };
  }
}
