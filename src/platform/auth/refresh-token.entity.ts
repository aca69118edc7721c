import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../people/user.entity.js';
import { DateTimeColumn } from '../../database/columns.js';

/**
 * A refresh token, stored as a SHA-256 hash. Tokens rotate: each use replaces the token
 * with a new one of the same family; using a replaced token again revokes the family.
 */
@Entity('refresh_tokens')
@Index('idx_refresh_tokens_family', ['family'])
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 36 })
  family: string;

  @Column({ type: 'varchar', length: 64, unique: true })
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
