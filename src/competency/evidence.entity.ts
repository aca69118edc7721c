import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../database/columns.js';
import { User } from '../identity/user.entity.js';
import { Competency } from './competency.entity.js';

export const EVIDENCE_SOURCES = ['assessment', 'certificate', 'manual'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/**
 * Why evidence stopped counting before its expiry (ADR 0019): its certificate (or one of its
 * renewal chain) was revoked, the certificate issued from the exam pass superseded it, or a
 * regrade voided the pass.
 */
export const EVIDENCE_END_REASONS = [
  'certificate_revoked',
  'superseded',
  'regrade',
  /** The attempt was voided for misconduct (ADR 0024). */
  'voided',
] as const;
export type EvidenceEndReason = (typeof EVIDENCE_END_REASONS)[number];

/** A record that a user reached a level of a competency, valid until it expires or is revoked. */
@Entity('evidence')
@Index('idx_evidence_user', ['userId', 'competencyId'])
export class Evidence {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 36 })
  competencyId: string;

  @ManyToOne(() => Competency, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'competencyId' })
  competency?: Competency;

  @Column({ type: 'int' })
  level: number;

  @Column({ type: 'varchar', length: 20 })
  source: EvidenceSource;

  /** The attempt or certificate behind it; null for manual evidence. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  sourceId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Storage key of an attached document (manual evidence). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  attachment: string | null;

  @DateTimeColumn()
  achievedAt: Date;

  @DateTimeColumn({ nullable: true })
  expiresAt: Date | null;

  @DateTimeColumn({ nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  recordedBy: string | null;

  /** Why it ended before expiry (set with `revokedAt`); null while it stands. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  endReason: EvidenceEndReason | null;

  /** The certificate whose evidence superseded this one (`endReason` `superseded`). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  supersededBy: string | null;

  @DateTimeColumn()
  createdAt: Date;
}
