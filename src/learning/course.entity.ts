import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, DecimalColumn, IdColumn, JsonColumn } from '../database/columns.js';

export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** A competency a course develops, and the level it reaches. */
export interface CourseCompetency {
  code: string;
  level: number;
}

/**
 * One version of a course. Editing a published course creates the next version as a draft;
 * publishing it archives the previous one, whose enrolments keep their progress.
 */
@Entity('courses')
@Index('uq_courses_code_version', ['code', 'version'], { unique: true })
@Index('idx_courses_sector_status', ['sector', 'status'])
export class Course {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 20 })
  status: CourseStatus;

  @Column({ type: 'varchar', length: 40 })
  sector: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  summary: string;

  @JsonColumn()
  objectives: string[];

  @JsonColumn()
  competencies: CourseCompetency[];

  /** Learning hours credited on completion (1 JP = 45 minutes). */
  @DecimalColumn(5, 2)
  jp: number;

  @Column({ type: 'int' })
  durationMinutes: number;

  /**
   * Share (0–100) of a lesson's stated minutes it must be open before it can be marked done;
   * null is the platform default (50).
   */
  @Column({ type: 'int', nullable: true })
  minStudyPercent: number | null;

  /** Fixed minutes per lesson instead of the share, or null (ADR 0011). */
  @Column({ type: 'int', nullable: true })
  minStudyMinutes: number | null;

  /**
   * Whether a learner may be credited this course's JP again in a year they already were
   * (refresher training); by default (false or null) a course, across all its versions,
   * credits once a year (ADR 0018).
   */
  @Column({ type: 'boolean', nullable: true })
  repeatable: boolean | null;

  /** Estimated cost per participant in rupiah, for development plans (ADR 0040). */
  @Column({ type: 'int', nullable: true })
  costIdr: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  deliveryMode: DeliveryMode | null;

  /** Whether learners sit a pre-test drawn from the course's assessment before studying. */
  @Column({ type: 'boolean', nullable: true })
  preTest: boolean | null;

  /** The reaction questionnaire's 1–5 items; null uses the platform's default items. */
  @JsonColumn({ nullable: true })
  reactionItems: string[] | null;

  @DateTimeColumn({ nullable: true })
  publishedAt: Date | null;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

/** How a course or scheme is delivered (LAN's modes of competency development). */
export const DELIVERY_MODES = ['classical', 'e-learning', 'blended', 'on-the-job'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const LESSON_KINDS = ['markdown', 'link', 'file', 'assessment'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];

/** A lesson of one course version, in order; optionally under a section heading. */
@Entity('lessons')
@Index('idx_lessons_course', ['courseId', 'position'])
export class Lesson {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'courseId' })
  course?: Course;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  section: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 20 })
  kind: LessonKind;

  /** Markdown of a text lesson. */
  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** Target of a link lesson. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  url: string | null;

  /** What a slow connection should know before opening a link (size, length). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  linkNote: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  fileKey: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  fileName: string | null;

  @Column({ type: 'int', nullable: true })
  fileSize: number | null;

  /** The assessment an assessment lesson links (wired by the assessment work). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  assessmentId: string | null;

  @Column({ type: 'boolean' })
  required: boolean;

  @Column({ type: 'int' })
  durationMinutes: number;
}
