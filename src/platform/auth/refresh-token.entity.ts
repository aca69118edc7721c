import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { User } from '../../identity/user.entity.js';
import { DateTimeColumn, IdColumn } from '../../database/columns.js';

/**
 * A refresh token, stored as a SHA-256 hash. Tokens rotate: each use replaces the token
 * with a new one of the same family; using a replaced token again revokes the family.
 */
@Entity('refresh_tokens')
@Index('idx_refresh_tokens_family', ['family'])
@Index('uq_refresh_tokens_hash', ['tokenHash'], { unique: true })
export class RefreshToken {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 36 })
  family: string;

  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @DateTimeColumn()
  expiresAt: Date;

  @DateTimeColumn({ nullable: true })
  replacedAt: Date | null;

  @DateTimeColumn({ nullable: true })
  revokedAt: Date | null;

  @DateTimeColumn()
  createdAt: Date;
}
