import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { User } from '../../identity/user.entity.js';
import { DateTimeColumn, IdColumn } from '../../database/columns.js';

/**
 * A password-reset link sent by e-mail (ADR 0026): only the SHA-256 of its token is kept,
 * it ends at `expiresAt`, and `usedAt` is set once, by the one request that uses it.
 */
@Entity('password_reset_tokens')
@Index('uq_password_reset_tokens_hash', ['tokenHash'], { unique: true })
@Index('idx_password_reset_tokens_user', ['userId'])
export class PasswordResetToken {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @DateTimeColumn()
  expiresAt: Date;

  @DateTimeColumn({ nullable: true })
  usedAt: Date | null;

  @DateTimeColumn()
  createdAt: Date;
}
