import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../database/columns.js';
import { QuestionBank } from './question-bank.entity.js';

/**
 * A file (image or audio) that questions of a bank show. Its name is its content's SHA-256,
 * so neither an author's file name ("benar.jpg") nor an upload order reaches a candidate;
 * the bytes sit once in the file store under `question-files/<hash>.<ext>` (ADR 0034).
 */
@Entity('question_files')
@Index('uq_question_files_bank_hash', ['bankId', 'hash'], { unique: true })
@Index('idx_question_files_hash', ['hash'])
export class QuestionFile {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  bankId: string;

  @ManyToOne(() => QuestionBank, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'bankId' })
  bank?: QuestionBank;

  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @Column({ type: 'varchar', length: 5 })
  ext: string;

  @Column({ type: 'varchar', length: 40 })
  contentType: string;

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @DateTimeColumn()
  createdAt: Date;
}
