import { Column, Entity, Index } from 'typeorm';
import { DateTimeColumn, JsonColumn, JsonObject, IdColumn } from '../../database/columns.js';

/** One line of the append-only audit log: who did what to which record, and when. */
@Entity('audit_log')
@Index('idx_audit_log_at', ['at'])
@Index('idx_audit_log_entity', ['entityType', 'entityId'])
export class AuditEntry {
  @IdColumn()
  id: string;

  @DateTimeColumn()
  at: Date;

  @Column({ type: 'varchar', length: 36, nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  actorRole: string | null;

  @Column({ type: 'varchar', length: 80 })
  action: string;

  @Column({ type: 'varchar', length: 60 })
  entityType: string;

  @Column({ type: 'varchar', length: 80, nullable: true })
  entityId: string | null;

  @JsonColumn({ nullable: true })
  detail: JsonObject | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;
}
