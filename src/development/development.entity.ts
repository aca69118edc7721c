import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, DecimalColumn, IdColumn, JsonColumn } from '../database/columns.js';

/*
 * Development planning and evaluation (ADR 0040). Users, org units, courses and schemes are
 * other domains' rows: they are referred to by id and read through their owners' services.
 */

export const PLAN_STATUSES = ['draft', 'submitted', 'agreed', 'returned'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** One ASN's development plan for one year (rencana pengembangan kompetensi). */
@Entity('development_plans')
@Index('uq_development_plans_user_year', ['userId', 'year'], { unique: true })
@Index('idx_development_plans_year', ['year', 'status'])
export class DevelopmentPlan {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: unknown;
  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'varchar', length: 20 })
  status: PlanStatus;

  /** The supervisor's (or admin's) reason, kept while the plan is `returned`. */
  @Column({ type: 'text', nullable: true })
  returnReason: string | null;

  @DateTimeColumn({ nullable: true })
  submittedAt: Date | null;

  /** When it was last agreed or returned, and by whom. */
  @DateTimeColumn({ nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  decidedById: string | null;

  /** True when an admin acted for a missing supervisor. */
  @Column({ type: 'boolean', nullable: true })
  decidedAsAdmin: boolean | null;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

export const PLAN_ITEM_KINDS = ['course', 'scheme'] as const;
export type PlanItemKind = (typeof PLAN_ITEM_KINDS)[number];
export const PLAN_ITEM_STATUSES = ['planned', 'done', 'dropped'] as const;
export type PlanItemStatus = (typeof PLAN_ITEM_STATUSES)[number];

/** A course or scheme in a plan; title, JP and cost are copied when it is planned. */
@Entity('development_plan_items')
@Index('uq_development_plan_items_ref', ['planId', 'kind', 'refId'], { unique: true })
// Covers the agency plan's sums: no row is fetched (ADR 0040, bench:development).
@Index('idx_development_plan_items_plan', [
  'planId',
  'status',
  'kind',
  'code',
  'refId',
  'jp',
  'costIdr',
  'sector',
  'competencyCode',
  'deliveryMode',
])
export class DevelopmentPlanItem {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  planId: string;

  @ManyToOne(() => DevelopmentPlan, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'planId' })
  plan?: DevelopmentPlan;

  @Column({ type: 'varchar', length: 10 })
  kind: PlanItemKind;

  /** The course's id (any version of its code counts as done) or the scheme's id. */
  @Column({ type: 'varchar', length: 36 })
  refId: string;

  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  sector: string | null;

  /** The gap it closes, or null for an item added without one. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  competencyCode: string | null;

  @DecimalColumn(5, 2)
  jp: number;

  @Column({ type: 'int' })
  costIdr: number;

  @Column({ type: 'varchar', length: 20, nullable: true })
  deliveryMode: string | null;

  @Column({ type: 'varchar', length: 10 })
  status: PlanItemStatus;

  /** 'proposed' from the gaps, or 'added' by the ASN. */
  @Column({ type: 'varchar', length: 10 })
  origin: 'proposed' | 'added';

  /** Why the ASN added or dropped it. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @DateTimeColumn({ nullable: true })
  doneAt: Date | null;

  @Column({ type: 'int' })
  position: number;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

/** The training budget ceiling of an org unit for a year. */
@Entity('org_unit_budgets')
@Index('uq_org_unit_budgets_unit_year', ['orgUnitId', 'year'], { unique: true })
export class OrgUnitBudget {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  orgUnitId: string;

  @ManyToOne('OrgUnit', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'orgUnitId' })
  orgUnit?: unknown;
  @Column({ type: 'int' })
  year: number;

  @DecimalColumn(15, 0)
  ceilingIdr: number;

  @Column({ type: 'varchar', length: 36, nullable: true })
  updatedById: string | null;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

/**
 * Kirkpatrick's levels as questionnaires: `reaction` (level 1, at a course's end),
 * `baseline` (the supervisor's rating at plan agreement), `behaviour_self` and
 * `behaviour_supervisor` (level 3, some days after a certificate).
 */
export const EVALUATION_KINDS = [
  'reaction',
  'baseline',
  'behaviour_self',
  'behaviour_supervisor',
] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

/** A questionnaire sent to one person; answered once. */
@Entity('evaluations')
@Index('uq_evaluations_dedupe', ['dedupeKey'], { unique: true })
@Index('idx_evaluations_recipient', ['recipientId', 'status', 'dueAt'])
@Index('idx_evaluations_year', ['year', 'kind'])
export class Evaluation {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 30 })
  kind: EvaluationKind;

  /** What makes it one of a kind, e.g. `behaviour_self:<certificateId>`: sent once. */
  @Column({ type: 'varchar', length: 120 })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 36 })
  recipientId: string;

  @ManyToOne('User', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'recipientId' })
  recipient?: unknown;
  /** Whose work it is about (the recipient for reaction and self ratings). */
  @Column({ type: 'varchar', length: 36 })
  subjectUserId: string;

  @ManyToOne('User', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'subjectUserId' })
  subjectUser?: unknown;
  @Column({ type: 'varchar', length: 36, nullable: true })
  courseId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  schemeId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  certificateId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  planId: string | null;

  /** The competencies to rate (behaviour and baseline); empty for a reaction. */
  @JsonColumn()
  competencyCodes: string[];

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'varchar', length: 10 })
  status: 'pending' | 'answered';

  /** Not shown before this time. */
  @DateTimeColumn()
  dueAt: Date;

  @DateTimeColumn({ nullable: true })
  remindedAt: Date | null;

  @DateTimeColumn({ nullable: true })
  answeredAt: Date | null;

  @DateTimeColumn()
  createdAt: Date;
}

/**
 * An answer. A reaction's answer keeps no evaluation, person or time of day, only the
 * course and the date, so nobody can be told from it (ADR 0040).
 */
@Entity('evaluation_responses')
@Index('uq_evaluation_responses_evaluation', ['evaluationId'], { unique: true })
@Index('idx_evaluation_responses_year', ['year', 'kind'])
export class EvaluationResponse {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 30 })
  kind: EvaluationKind;

  @Column({ type: 'varchar', length: 36, nullable: true })
  evaluationId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  subjectUserId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  courseId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  schemeId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  certificateId: string | null;

  /** Item index or competency code → 1–5. */
  @JsonColumn()
  ratings: Record<string, number>;

  /** The comment (reaction) or the example of applying it at work (behaviour). */
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'int' })
  year: number;

  @DateTimeColumn()
  createdAt: Date;
}

/** Level 4: an indicator of an org unit that a programme should move, before and after. */
@Entity('programme_indicators')
@Index('idx_programme_indicators_year', ['year'])
export class ProgrammeIndicator {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  orgUnitId: string;

  @ManyToOne('OrgUnit', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'orgUnitId' })
  orgUnit?: unknown;
  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'varchar', length: 36, nullable: true })
  schemeId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  courseId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 40 })
  unit: string;

  @DecimalColumn(14, 2)
  baselineValue: number;

  @DecimalColumn(14, 2, { nullable: true })
  resultValue: number | null;

  /** E.g. days to process a request: a fall is the improvement. */
  @Column({ type: 'boolean' })
  lowerIsBetter: boolean;

  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  recordedById: string | null;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}
