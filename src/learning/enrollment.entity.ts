import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, DecimalColumn, IdColumn } from '../database/columns.js';
import { User } from '../identity/user.entity.js';
import { Course, Lesson } from './course.entity.js';

export type EnrollmentStatus = 'active' | 'completed';

/** A user's place in one course version, self-chosen or assigned with a due date. */
@Entity('enrollments')
@Index('uq_enrollments_user_course', ['userId', 'courseId'], { unique: true })
export class Enrollment {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 36 })
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'courseId' })
  course?: Course;

  @Column({ type: 'varchar', length: 20 })
  status: EnrollmentStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  assignedBy: string | null;

  @DateTimeColumn({ nullable: true })
  dueAt: Date | null;

  @DateTimeColumn()
  enrolledAt: Date;

  @DateTimeColumn({ nullable: true })
  completedAt: Date | null;

  /** The last lesson completion: the next lesson's study time counts from here (ADR 0011). */
  @DateTimeColumn({ nullable: true })
  lastLessonCompletedAt: Date | null;
}

/** When a learner opened and completed one lesson. */
@Entity('lesson_progress')
@Index('uq_lesson_progress', ['enrollmentId', 'lessonId'], { unique: true })
export class LessonProgress {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  enrollmentId: string;

  @ManyToOne(() => Enrollment, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'enrollmentId' })
  enrollment?: Enrollment;

  @Column({ type: 'varchar', length: 36 })
  lessonId: string;

  @ManyToOne(() => Lesson, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'lessonId' })
  lesson?: Lesson;

  @DateTimeColumn()
  openedAt: Date;

  @DateTimeColumn({ nullable: true })
  completedAt: Date | null;

  /** The minimum study time this completion met, in seconds (null: by an assessment pass, or before the rule). */
  @Column({ type: 'int', nullable: true })
  requiredSeconds: number | null;
}

/**
 * One line of the JP ledger: hours credited to a user for a year, with their source. A course
 * line that counts carries the course code in `creditKey`, unique per user and year (ADR 0018);
 * a refused line has 0 JP and the version credited before.
 */
@Entity('jp_credits')
@Index('uq_jp_credits_source', ['source', 'sourceId'], { unique: true })
@Index('uq_jp_credits_once', ['userId', 'year', 'creditKey'], { unique: true })
@Index('idx_jp_credits_user_year', ['userId', 'year'])
export class JpCredit {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'int' })
  year: number;

  @DecimalColumn(5, 2)
  jp: number;

  @Column({ type: 'varchar', length: 20 })
  source: string;

  @Column({ type: 'varchar', length: 36 })
  sourceId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** The course (identity across versions) and version a course line came from. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  courseCode: string | null;

  @Column({ type: 'int', nullable: true })
  courseVersion: number | null;

  /** The course code when this line counts toward the once-a-year rule; null otherwise. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  creditKey: string | null;

  /** Set when the credit was refused: the version of the course already credited that year. */
  @Column({ type: 'int', nullable: true })
  refusedVersion: number | null;

  @DateTimeColumn()
  startedAt: Date;

  @DateTimeColumn()
  completedAt: Date;

  @DateTimeColumn()
  createdAt: Date;
}
