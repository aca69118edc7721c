import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { JsonObject } from '../../database/columns.js';
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
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** Records an entry, inside the caller's transaction when a manager is given. */
  async record(entry: AuditRecord, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEntry) : this.entries;
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

  findRecent(
    filter: { entityType?: string; entityId?: string; action?: string },
    limit = 50,
  ): Promise<AuditEntry[]> {
    const where: FindOptionsWhere<AuditEntry> = {};
    if (filter.entityType) where.entityType = filter.entityType;
    if (filter.entityId) where.entityId = filter.entityId;
    if (filter.action) where.action = filter.action;
    return this.entries.find({ where, order: { at: 'DESC' }, take: limit });
  }
}
