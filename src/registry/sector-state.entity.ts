import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../database/columns.js';

/** What the database remembers of each sector module: installed version and switch. */
@Entity('sectors')
export class SectorState {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  key: string;

  @Column({ type: 'varchar', length: 20 })
  installedVersion: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @DateTimeColumn()
  installedAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}
