import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { JsonObject } from '../../database/columns.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditEntry } from './audit-entry.entity.js';

export interface AuditActor {
  id: string;
  role: string;
}

export interface AuditRecord {
  actor: AuditActor | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  detail?: JsonObject;
  ip?: string | null;
}

/** Writes the append-only audit log; there is deliberately no update or delete here. */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    private readonly transactions: TransactionService,
  ) {}

  /** Records an entry, inside the caller's transaction when there is one. */
  async record(entry: AuditRecord): Promise<void> {
    const repo = this.transactions.repository(AuditEntry);
    const row: QueryDeepPartialEntity<AuditEntry> = {
      at: new Date(),
      actorId: entry.actor?.id ?? null,
      actorRole: entry.actor?.role ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      detail: (entry.detail ?? null) as QueryDeepPartialEntity<AuditEntry>['detail'],
      ip: entry.ip ?? null,
    };
    await repo.insert(row);
  }

  /**
   * What the log says about one person, oldest first: changes to their account by anyone,
   * and their own sign-ins, sign-outs and password changes. Other people's ids and the
   * entries' details stay out: the export of a person's data holds only that person's.
   */
  async aboutPerson(userId: string, limit = 5000) {
    const rows = await this.entries
      .createQueryBuilder('a')
      .where("(a.entityType = 'user' AND a.entityId = :userId)", { userId })
      .orWhere("(a.actorId = :userId AND a.action LIKE 'auth.%')", { userId })
      .orderBy('a.at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .take(limit)
      .getMany();
    return rows.map((a) => ({
      at: a.at.toISOString(),
      action: a.action,
      by: a.actorId === userId ? 'self' : (a.actorRole ?? 'system'),
      ip: a.actorId === userId ? a.ip : null,
    }));
  }

  /** Newest first, filtered; `action` matches a prefix (`user.` finds every user change). */
  async search(
    filter: AuditFilter,
  ): Promise<{ items: AuditEntry[]; total: number; page: number; pageSize: number }> {
    const page = filter.page ?? 1;
    const pageSize = filter.pageSize ?? 50;
    const qb = this.entries.createQueryBuilder('a');
    if (filter.action)
      qb.andWhere('a.action LIKE :action', { action: `${filter.action.replace(/[\\%_]/g, '')}%` });
    if (filter.entityType)
      qb.andWhere('a.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('a.entityId = :entityId', { entityId: filter.entityId });
    if (filter.actorId) qb.andWhere('a.actorId = :actorId', { actorId: filter.actorId });
    if (filter.from) qb.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.at < :to', { to: filter.to });
    const [items, total] = await qb
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, total, page, pageSize };
  }
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  page?: number;
  pageSize?: number;
}
