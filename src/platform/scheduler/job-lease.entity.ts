import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns.js';

/** The lease of one scheduled job: which instance ran its latest tick, and until when it holds it. */
@Entity('job_leases')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  name: string;

  /** The tick (ISO time of the scheduled run) last taken; a tick is taken once. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  tick: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  holder: string | null;

  @DateTimeColumn({ nullable: true })
  leasedUntil: Date | null;

  @DateTimeColumn({ nullable: true })
  finishedAt: Date | null;
}
