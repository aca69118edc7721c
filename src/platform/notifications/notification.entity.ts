import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../database/columns.js';
import { User } from '../../identity/user.entity.js';

/** A message to one user (a grade given, a certificate issued…), read or not. */
@Entity('notifications')
@Index('idx_notifications_user', ['userId', 'createdAt'])
export class Notification {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  /** What it is about, for filtering and icons: `attempt.graded`, `certificate.issued`… */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  /** A local path to open, or null. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  link: string | null;

  @DateTimeColumn({ nullable: true })
  readAt: Date | null;

  @DateTimeColumn()
  createdAt: Date;
}
