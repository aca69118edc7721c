import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, IdColumn, JsonColumn } from '../database/columns.js';
import { Competency } from './competency.entity.js';

export const POSITION_KINDS = ['struktural', 'fungsional', 'pelaksana'] as const;
export type PositionKind = (typeof POSITION_KINDS)[number];

/** A position (jabatan); its standard is the list of its requirements. */
@Entity('positions')
@Index('uq_positions_code', ['code'], { unique: true })
export class Position {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: PositionKind;

  @Column({ type: 'varchar', length: 40, nullable: true })
  sector: string | null;

  /** Codes of the org units where this position exists (empty: anywhere). */
  @JsonColumn()
  orgUnitCodes: string[];

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

/** One line of a position's competency standard: a competency and the level required. */
@Entity('position_requirements')
@Index('uq_position_requirements', ['positionId', 'competencyId'], { unique: true })
export class PositionRequirement {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  positionId: string;

  @ManyToOne(() => Position, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'positionId' })
  position?: Position;

  @Column({ type: 'varchar', length: 36 })
  competencyId: string;

  @ManyToOne(() => Competency, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'competencyId' })
  competency?: Competency;

  @Column({ type: 'int' })
  requiredLevel: number;
}
