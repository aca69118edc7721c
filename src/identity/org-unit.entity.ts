import { Column, Entity, Index } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../database/columns.js';

/** An organisational unit (OPD), e.g. Dinas Kesehatan. */
@Entity('org_units')
@Index('uq_org_units_code', ['code'], { unique: true })
export class OrgUnit {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}
