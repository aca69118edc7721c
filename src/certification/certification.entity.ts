import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn, JsonColumn } from '../database/columns.js';
import { User } from '../identity/user.entity.js';

/** What a scheme asks for; every part is optional. */
export interface SchemeRequirements {
  /** Course codes to complete (any version). */
  courses: string[];
  /** Assessments to pass, each with a minimum percent. */
  assessments: { assessmentId: string; minPercent: number }[];
  /** A practical assessment approved by an assessor of the sector. */
  approval: boolean;
  /** Extra rules from the eligibility-rule registry. */
  rules: { key: string; params?: Record<string, string | number | boolean> }[];
}

/**
 * Whether a scheme asks for something a person has to earn: a course, an assessment, an
 * assessor's approval or a sector's eligibility rule. A target position alone is not one
 * (holding a position is not an achievement), nor are `attests`. A scheme without one stays a
 * draft, cannot be activated, and never issues (ADR 0017).
 */
export function hasRealRequirement(r: SchemeRequirements | null | undefined): boolean {
  return (
    !!r &&
    ((r.courses?.length ?? 0) > 0 ||
      (r.assessments?.length ?? 0) > 0 ||
      r.approval === true ||
      (r.rules?.length ?? 0) > 0)
  );
}

/** What renews a certificate, and from how long before its expiry. */
export interface RenewalRule {
  courseCode?: string;
  assessmentId?: string;
  windowDays: number;
}

/**
 * `{SECTOR}` is the sector's Indonesian code from its manifest (KES, DIK, ADM), so a number
 * reads `001/SERT-KES/PPI/BKPSDM-PSP/2026`. A number is fixed when issued (ADR 0029).
 */
export const DEFAULT_NUMBER_FORMAT = '{seq}/SERT-{SECTOR}/{SCHEME}/BKPSDM-PSP/{year}';

/** A certification scheme (skema sertifikasi) of a sector. */
@Entity('certification_schemes')
@Index('uq_certification_schemes_code', ['code'], { unique: true })
export class CertificationScheme {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 40 })
  sector: string;

  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  /** Position codes it is meant for; empty: anyone. */
  @JsonColumn()
  targetPositions: string[];

  @JsonColumn()
  requirements: SchemeRequirements;

  @JsonColumn()
  attests: { competencyCode: string; level: number }[];

  /** Null: never expires. */
  @Column({ type: 'int', nullable: true })
  validityMonths: number | null;

  @JsonColumn({ nullable: true })
  renewal: RenewalRule | null;

  /** Only passes sat in a supervised exam session count toward its assessments. */
  @Column({ type: 'boolean', default: false })
  requiresSupervision: boolean;

  /** Estimated cost per participant in rupiah, for development plans (ADR 0040). */
  @Column({ type: 'int', nullable: true })
  costIdr: number | null;

  /** One of learning's DELIVERY_MODES. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  deliveryMode: string | null;

  /** Days after issue when holder and supervisor rate the competence at work; null: 90. */
  @Column({ type: 'int', nullable: true })
  evaluationDays: number | null;

  /** A template key of the template registry (`certificate` by default). */
  @Column({ type: 'varchar', length: 80 })
  template: string;

  @Column({ type: 'varchar', length: 200 })
  numberFormat: string;

  @Column({ type: 'varchar', length: 20 })
  status: 'draft' | 'active' | 'retired';

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}

export const CERTIFICATE_STATUSES = ['active', 'expired', 'revoked', 'renewed'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** An issued certificate: a snapshot of what it attests, to whom, and its number. */
@Entity('certificates')
@Index('uq_certificates_number', ['number'], { unique: true })
@Index('uq_certificates_code', ['code'], { unique: true })
// One certificate per scheme, user and predecessor: a second evaluation cannot issue twice.
@Index('uq_certificates_issue', ['issueKey'], { unique: true })
@Index('idx_certificates_user', ['userId'])
@Index('idx_certificates_status_expiry', ['status', 'expiresAt'])
@Index('uq_certificates_status_index', ['statusIndex'], { unique: true })
@Index('idx_certificates_numbering', ['schemeId', 'year', 'seq'])
export class Certificate {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  schemeId: string;

  @ManyToOne(() => CertificationScheme, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'schemeId' })
  scheme?: CertificationScheme;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  /** Null from its issue until it is numbered, in the moments after (ADR 0041). */
  @Column({ type: 'varchar', length: 120, nullable: true })
  number: string | null;

  @Column({ type: 'int' })
  year: number;

  /** Its place in the scheme's year; null until numbered, like `number`. */
  @Column({ type: 'int', nullable: true })
  seq: number | null;

  /** The verification code (base32, unguessable). */
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 120 })
  issueKey: string;

  @Column({ type: 'varchar', length: 20 })
  status: CertificateStatus;

  @DateTimeColumn()
  issuedAt: Date;

  @DateTimeColumn({ nullable: true })
  expiresAt: Date | null;

  @DateTimeColumn({ nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  revokedReason: string | null;

  /** The certificate this one renews. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  renewsId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  renewedById: string | null;

  @Column({ type: 'varchar', length: 200 })
  holderName: string;

  @Column({ type: 'varchar', length: 18, nullable: true })
  holderNip: string | null;

  /** Its place in the public revocation list (see status-list.ts); given at issuance, never reused. */
  @Column({ type: 'int', nullable: true })
  statusIndex: number | null;

  /** What it attests as issued: scheme title and sector, competencies with titles. */
  @JsonColumn()
  snapshot: {
    schemeCode: string;
    schemeTitle: string;
    sector: string;
    sectorName: string;
    competencies: { code: string; title: string; level: number }[];
  };
}

/** The next number per scheme and year; incremented inside the numbering transaction (ADR 0041). */
@Entity('certificate_sequences')
@Index('uq_certificate_sequences', ['schemeId', 'year'], { unique: true })
export class CertificateSequence {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  schemeId: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'int' })
  value: number;
}

/**
 * A user whose scheme evaluation failed (a conflict that outlived its retries, a database
 * outage): evaluated again by the numbering job until it succeeds (ADR 0041).
 */
@Entity('certificate_evaluations_pending')
export class CertificateEvaluationPending {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;

  @DateTimeColumn()
  firstFailedAt: Date;

  @DateTimeColumn()
  lastFailedAt: Date;

  @Column({ type: 'int' })
  tries: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}

/** The next place in the revocation status list (one row, `revocation`), taken in the numbering transaction. */
@Entity('status_list_counters')
export class StatusListCounter {
  @IdColumn()
  id: string;

  @Column({ type: 'int' })
  value: number;
}

/** An assessor's decision on a candidate's practical assessment for a scheme. */
@Entity('scheme_approvals')
@Index('uq_scheme_approvals', ['schemeId', 'userId'], { unique: true })
export class SchemeApproval {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  schemeId: string;

  @ManyToOne(() => CertificationScheme, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'schemeId' })
  scheme?: CertificationScheme;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  status: 'pending' | 'approved' | 'rejected';

  /** The practical result and the assessor's notes. */
  @Column({ type: 'text' })
  notes: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  decidedBy: string | null;

  @DateTimeColumn({ nullable: true })
  decidedAt: Date | null;

  @DateTimeColumn()
  createdAt: Date;
}

/** Mail to send: written in the same breath as the event, sent by the outbox job. */
@Entity('mail_outbox')
@Index('uq_mail_outbox_dedupe', ['dedupeKey'], { unique: true })
@Index('idx_mail_outbox_status', ['status'])
export class OutboxMail {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  recipient: string | null;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ type: 'text' })
  html: string;

  @Column({ type: 'text' })
  text: string;

  /** Makes a message (a reminder of one certificate at 30 days…) exist once. */
  @Column({ type: 'varchar', length: 160 })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 20 })
  status: 'pending' | 'sent' | 'failed' | 'skipped';

  @Column({ type: 'int' })
  attempts: number;

  @DateTimeColumn({ nullable: true })
  sentAt: Date | null;

  @DateTimeColumn()
  createdAt: Date;
}
