import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
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

  /** The unit above this one (a dinas above its bidang or puskesmas); null at the top. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  parentId: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'SET NULL', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'parentId' })
  parent?: OrgUnit | null;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}
