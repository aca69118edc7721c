import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import {
  DateTimeColumn,
  DecimalColumn,
  IdColumn,
  JsonColumn,
  type JsonObject,
} from '../../database/columns.js';

export const DIFFICULTIES = ['mudah', 'sedang', 'sulit'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** A sector's bank of questions (bank soal). */
@Entity('question_banks')
@Index('idx_question_banks_sector', ['sector'])
export class QuestionBank {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  sector: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  description: string;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

/** A category inside a bank; categories nest. */
@Entity('question_categories')
@Index('idx_question_categories_bank', ['bankId'])
export class QuestionCategory {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  bankId: string;

  @ManyToOne(() => QuestionBank, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'bankId' })
  bank?: QuestionBank;

  @Column({ type: 'varchar', length: 36, nullable: true })
  parentId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  info: string;
}

/** A question: what stays the same across its versions (bank, category, tags). */
@Entity('questions')
@Index('idx_questions_bank', ['bankId'])
@Index('uq_questions_bank_idnumber', ['bankId', 'idnumber'], { unique: true })
export class Question {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  bankId: string;

  @ManyToOne(() => QuestionBank, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'bankId' })
  bank?: QuestionBank;

  @Column({ type: 'varchar', length: 36, nullable: true })
  categoryId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Moodle's idnumber (GIFT `[id:…]`): unique in the bank, kept through import and export. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  idnumber: string | null;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  @Column({ type: 'int' })
  currentVersion: number;

  @Column({ type: 'varchar', length: 40, nullable: true })
  competencyCode: string | null;

  @Column({ type: 'int', nullable: true })
  competencyLevel: number | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  difficulty: Difficulty | null;

  @JsonColumn()
  tags: string[];

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

/** One version of a question's content. Once shown in an attempt it is never changed. */
@Entity('question_versions')
@Index('uq_question_versions', ['questionId', 'version'], { unique: true })
export class QuestionVersion {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  questionId: string;

  @ManyToOne(() => Question, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'questionId' })
  question?: Question;

  @Column({ type: 'int' })
  version: number;

  /** Markdown, sanitised when shown. */
  @Column({ type: 'text' })
  stem: string;

  /** The type's definition: options, key, credits, per-option feedback. */
  @JsonColumn()
  definition: JsonObject;

  @DecimalColumn(6, 2)
  points: number;

  @Column({ type: 'text' })
  generalFeedback: string;

  /** Set when an attempt first shows this version; from then on edits make a new version. */
  @DateTimeColumn({ nullable: true })
  usedAt: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @DateTimeColumn()
  createdAt: Date;
}
