import { Column, Entity, Index } from 'typeorm';
import { DateTimeColumn, IdColumn, JsonColumn } from '../database/columns.js';
import type { ContentKind } from '../registry/pack-import.js';

/**
 * One item a sector's content pack installed: which record it became, the hash of the pack's
 * version of it, and the hash of the record as the sync left it (a different hash today
 * means a coordinator changed it, and an upgrade leaves it alone).
 */
@Entity('content_items')
@Index('uq_content_items', ['sector', 'kind', 'code'], { unique: true })
export class ContentItem {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  sector: string;

  @Column({ type: 'varchar', length: 20 })
  kind: ContentKind;

  /** The item's code in the pack (questions: `<bank>/<title>`). */
  @Column({ type: 'varchar', length: 300 })
  code: string;

  @Column({ type: 'varchar', length: 36 })
  entityId: string;

  @Column({ type: 'varchar', length: 64 })
  contentHash: string;

  @Column({ type: 'varchar', length: 64 })
  recordHash: string;

  @Column({ type: 'varchar', length: 20 })
  status: 'active' | 'archived';

  @DateTimeColumn()
  updatedAt: Date;
}

export interface SyncReport {
  version: string;
  created: string[];
  updated: string[];
  /** Changed by a coordinator since install: the pack's new version was not applied. */
  keptLocal: string[];
  archived: string[];
  problems: string[];
}

/** The last content sync of each sector: the version it brought in and what it did. */
@Entity('content_syncs')
@Index('uq_content_syncs_sector', ['sector'], { unique: true })
export class ContentSync {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  sector: string;

  @Column({ type: 'varchar', length: 40 })
  version: string;

  @JsonColumn()
  report: SyncReport;

  @DateTimeColumn()
  syncedAt: Date;
}
