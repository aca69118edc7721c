import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, DecimalColumn, IdColumn, JsonColumn } from '../../database/columns.js';
import { User } from '../../identity/user.entity.js';

/** A saved response: its shape is the question type's (DESIGN.md, answer). */
export type Answer = string | number | boolean | string[] | Record<string, string>;

/** Where a section draws its questions from: random from a filtered bank, or fixed ones. */
export interface SectionSpec {
  bankId: string;
  /** How many to draw at random (ignored when `questionIds` fixes them). */
  count: number;
  category?: string | null;
  competencyCode?: string | null;
  difficulty?: string | null;
  questionIds?: string[];
}

/** Who may sit: every ASN, or the listed users, positions and org units. */
export interface Audience {
  everyone: boolean;
  userIds?: string[];
  positionCodes?: string[];
  orgUnitCodes?: string[];
}

/** What a candidate sees after submitting. */
/** `answers` adds the right answer of each question to what `feedback` shows. */
export const REVIEW_POLICIES = ['none', 'score', 'correctness', 'feedback', 'answers'] as const;
export type ReviewPolicy = (typeof REVIEW_POLICIES)[number];

export const ASSESSMENT_STATUSES = ['draft', 'published', 'archived'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** An exam blueprint (ujian): sections that draw questions, timing, rules and policies. */
@Entity('assessments')
@Index('idx_assessments_sector', ['sector', 'status'])
export class Assessment {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  sector: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  instructions: string;

  @JsonColumn()
  sections: SectionSpec[];

  /** Shuffle the order of questions and of each question's options per attempt. */
  @Column({ type: 'boolean' })
  shuffle: boolean;

  /** Null: no limit (the closing time still ends the attempt). */
  @Column({ type: 'int', nullable: true })
  timeLimitMinutes: number | null;

  /** 0: unlimited. */
  @Column({ type: 'int' })
  maxAttempts: number;

  /** Which attempt counts when there are several: the highest or the last. */
  @Column({ type: 'varchar', length: 10 })
  scoring: 'highest' | 'last';

  @DecimalColumn(5, 2)
  passPercent: number;

  @DateTimeColumn({ nullable: true })
  opensAt: Date | null;

  @DateTimeColumn({ nullable: true })
  closesAt: Date | null;

  @JsonColumn()
  audience: Audience;

  @Column({ type: 'varchar', length: 20 })
  reviewPolicy: ReviewPolicy;

  /** Hold every review (even the score) until the window closes. */
  @Column({ type: 'boolean' })
  reviewAfterClose: boolean;

  /** Competencies and levels a pass evidences. */
  @JsonColumn()
  attests: { competencyCode: string; level: number }[];

  /** One page for all questions, or one question per screen. */
  @Column({ type: 'varchar', length: 10 })
  layout: 'all' | 'one';

  /** Every attempt needs a supervised session: its PIN, inside its window, from its room. */
  @Column({ type: 'boolean', default: false })
  supervised: boolean;

  @Column({ type: 'varchar', length: 20 })
  status: AssessmentStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

/** `voided`: closed without a result, as its sector was switched off (ADR 0021); never counts. */
export const ATTEMPT_STATUSES = [
  'in_progress',
  'submitted',
  'needs_grading',
  'graded',
  'voided',
] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** One sitting of an assessment by one user. */
@Entity('attempts')
@Index('uq_attempts_number', ['assessmentId', 'userId', 'number'], { unique: true })
// Set only while in progress: the database itself allows one open attempt per user.
@Index('uq_attempts_open', ['openKey'], { unique: true })
@Index('idx_attempts_status_deadline', ['status', 'deadline'])
@Index('idx_attempts_user', ['userId'])
@Index('idx_attempts_session', ['sessionId'])
// Covers the impact report's pass rate and learning gain (ADR 0040, bench:development).
@Index('idx_attempts_purpose', [
  'purpose',
  'assessmentId',
  'userId',
  'status',
  'startedAt',
  'percent',
  'passed',
])
export class Attempt {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  assessmentId: string;

  @ManyToOne(() => Assessment, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'assessmentId' })
  assessment?: Assessment;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'int' })
  number: number;

  @Column({ type: 'varchar', length: 80, nullable: true })
  openKey: string | null;

  /** Null for a regular sitting; 'pretest' for a course pre-test (no pass, no evidence). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  purpose: 'pretest' | null;

  @Column({ type: 'varchar', length: 20 })
  status: AttemptStatus;

  @DateTimeColumn()
  startedAt: Date;

  /** Null when neither a time limit nor a closing time bounds it. */
  @DateTimeColumn({ nullable: true })
  deadline: Date | null;

  @DateTimeColumn({ nullable: true })
  submittedAt: Date | null;

  @DecimalColumn(8, 2, { nullable: true })
  score: number | null;

  @DecimalColumn(8, 2)
  maxScore: number;

  @DecimalColumn(6, 2, { nullable: true })
  percent: number | null;

  @Column({ type: 'boolean', nullable: true })
  passed: boolean | null;

  @DateTimeColumn({ nullable: true })
  gradedAt: Date | null;

  /** The supervised session it was sat in (null: unsupervised). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  sessionId: string | null;

  /** Set while a proctor has paused it: its clock stands still until resumed. */
  @DateTimeColumn({ nullable: true })
  pausedAt: Date | null;

  /**
   * Why it was voided: `sector` (switched off under it; the try is given back, ADR 0021) or
   * `misconduct` (a proctor's decision; the try counts, ADR 0024). Null while not voided.
   */
  @Column({ type: 'varchar', length: 20, nullable: true })
  voidedFor: 'sector' | 'misconduct' | null;

  /**
   * A supervised attempt's device: the sign-in session (refresh family) that started it.
   * Saves and submits from any other are refused until a proctor moves the candidate
   * (which clears it; the next start with the PIN binds the new device).
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  deviceSession: string | null;
}

/** One question of an attempt: the version it showed, its option order, the answer. */
@Entity('attempt_items')
@Index('uq_attempt_items_slot', ['attemptId', 'slot'], { unique: true })
@Index('idx_attempt_items_question', ['questionId'])
export class AttemptItem {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  attemptId: string;

  @ManyToOne(() => Attempt, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'attemptId' })
  attempt?: Attempt;

  @Column({ type: 'int' })
  slot: number;

  @Column({ type: 'varchar', length: 36 })
  questionId: string;

  @Column({ type: 'int' })
  questionVersion: number;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  @DecimalColumn(6, 2)
  points: number;

  /** The shuffled order of the view's lists, by list name (options, right, items). */
  @JsonColumn()
  listOrder: Record<string, string[]>;

  @JsonColumn({ nullable: true })
  response: Answer | null;

  /** The client's sequence number of the saved answer: a late retry never overwrites. */
  @Column({ type: 'int' })
  responseSeq: number;

  @DateTimeColumn({ nullable: true })
  answeredAt: Date | null;

  @Column({ type: 'boolean' })
  flagged: boolean;

  /** Credit in [0, 1]; null until graded (essays wait for a person). */
  @DecimalColumn(7, 6, { nullable: true })
  fraction: number | null;

  @DecimalColumn(6, 2, { nullable: true })
  score: number | null;

  @Column({ type: 'text', nullable: true })
  graderComment: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  gradedBy: string | null;

  @DateTimeColumn({ nullable: true })
  gradedAt: Date | null;

  /**
   * Set when an admin overrode the machine's grade of this item (ADR 0020): the reason. A
   * regrade keeps such a score and says so; every other machine-graded item is recomputed.
   */
  @Column({ type: 'text', nullable: true })
  overrideReason: string | null;
}

/**
 * The answer trail: every stored answer save, append-only (no route edits or deletes it),
 * so an audit can replay an attempt. The graded answer of a slot is its last row (highest
 * `seq`), written in the same transaction as the answer itself.
 */
@Entity('answer_trail')
@Index('idx_answer_trail_attempt', ['attemptId', 'slot', 'seq'])
export class AnswerTrailEntry {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  attemptId: string;

  @ManyToOne(() => Attempt, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'attemptId' })
  attempt?: Attempt;

  @Column({ type: 'int' })
  slot: number;

  /** In authoring ids, as graded; null: the answer was cleared. */
  @JsonColumn({ nullable: true })
  response: Answer | null;

  /** The client's sequence number of the save. */
  @Column({ type: 'int' })
  seq: number;

  @DateTimeColumn()
  at: Date;

  /** The sign-in session (device) the save came from. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  deviceSession: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
