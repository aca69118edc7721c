import { Column, Entity, Index } from 'typeorm';
import { DateTimeColumn, IdColumn, JsonColumn } from '../database/columns.js';

export const COMPETENCY_TYPES = ['teknis', 'manajerial', 'sosial-kultural'] as const;
export type CompetencyType = (typeof COMPETENCY_TYPES)[number];

/** One proficiency level of a competency, with what a person at that level shows. */
export interface LevelDescriptor {
  level: number;
  description: string;
  indicators: string[];
}

/** A unit of the competency standard (kompetensi), with five proficiency levels. */
@Entity('competencies')
@Index('uq_competencies_code', ['code'], { unique: true })
@Index('idx_competencies_sector', ['sector'])
export class Competency {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'varchar', length: 20 })
  type: CompetencyType;

  /** The sector of a technical competency; null for managerial and socio-cultural ones. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  sector: string | null;

  @JsonColumn()
  levels: LevelDescriptor[];

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}
