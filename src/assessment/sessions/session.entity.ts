import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, IdColumn, JsonColumn } from '../../database/columns.js';
import { User } from '../../identity/user.entity.js';
import { Assessment } from '../engine/assessment.entity.js';

export const SESSION_STATUSES = ['scheduled', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * A supervised exam session (sesi ujian): one sitting of a supervised assessment at a
 * place and time, with its proctors, its candidates and a PIN the proctors hand out.
 */
@Entity('exam_sessions')
@Index('idx_exam_sessions_assessment', ['assessmentId', 'startsAt'])
export class ExamSession {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  assessmentId: string;

  @ManyToOne(() => Assessment, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'assessmentId' })
  assessment?: Assessment;

  /** The assessment's sector, kept for the scope checks of every route. */
  @Column({ type: 'varchar', length: 40 })
  sector: string;

  @DateTimeColumn()
  startsAt: Date;

  @DateTimeColumn()
  endsAt: Date;

  @Column({ type: 'varchar', length: 200 })
  location: string;

  @Column({ type: 'int' })
  capacity: number;

  /** The room's networks (CIDR); empty: from anywhere. */
  @JsonColumn()
  ipRanges: string[];

  /** Candidates may book a free seat themselves (otherwise only the coordinator assigns). */
  @Column({ type: 'boolean' })
  selfBooking: boolean;

  /** The public board shows names beside the masked NIP. */
  @Column({ type: 'boolean' })
  boardShowsNames: boolean;

  /** The PIN is re-drawn every this many minutes. */
  @Column({ type: 'int' })
  pinMinutes: number;

  /** HMAC key of the PIN (hex); never leaves the server. */
  @Column({ type: 'varchar', length: 64 })
  pinSecret: string;

  /** Raised when a proctor re-draws the PIN at once (a PIN seen by the wrong people). */
  @Column({ type: 'int' })
  pinEpoch: number;

  @Column({ type: 'varchar', length: 20 })
  status: SessionStatus;

  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  closedBy: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @DateTimeColumn()
  createdAt: Date;
}

/** A user named to supervise a session. */
@Entity('session_proctors')
@Index('uq_session_proctors', ['sessionId', 'userId'], { unique: true })
@Index('idx_session_proctors_user', ['userId'])
export class SessionProctor {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  sessionId: string;

  @ManyToOne(() => ExamSession, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'sessionId' })
  session?: ExamSession;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;
}

export const SEAT_STATUSES = ['assigned', 'absent'] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];

/** A candidate's seat in a session: their participant number, PIN tries and attendance. */
@Entity('session_candidates')
@Index('uq_session_candidates', ['sessionId', 'userId'], { unique: true })
@Index('uq_session_candidates_number', ['sessionId', 'seat'], { unique: true })
@Index('idx_session_candidates_user', ['userId'])
export class SessionCandidate {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  sessionId: string;

  @ManyToOne(() => ExamSession, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'sessionId' })
  session?: ExamSession;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  /** The participant number, 1.. in order of assignment. */
  @Column({ type: 'int' })
  seat: number;

  @Column({ type: 'varchar', length: 20 })
  status: SeatStatus;

  /** Wrong PINs typed; five lock the seat until a proctor releases it. */
  @Column({ type: 'int' })
  pinFailures: number;

  @DateTimeColumn({ nullable: true })
  lockedAt: Date | null;

  /** When the PIN was accepted (check-in). */
  @DateTimeColumn({ nullable: true })
  checkedInAt: Date | null;

  /** The attempt sat in this session (one per candidate). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  attemptId: string | null;

  @Column({ type: 'varchar', length: 10 })
  source: 'assigned' | 'booked';

  @DateTimeColumn()
  createdAt: Date;
}

export const INCIDENT_KINDS = [
  'extend',
  'pause',
  'resume',
  'move',
  'void',
  'absent',
  'release',
  'pin_redrawn',
  'locked',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** What happened in a session beside the answers: each proctor action with its reason. */
@Entity('session_incidents')
@Index('idx_session_incidents_session', ['sessionId', 'at'])
export class SessionIncident {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  sessionId: string;

  @ManyToOne(() => ExamSession, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'sessionId' })
  session?: ExamSession;

  @Column({ type: 'varchar', length: 20 })
  kind: IncidentKind;

  /** The candidate concerned (null: the session as a whole). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  attemptId: string | null;

  /** Minutes added (extend) or stood still (resume). */
  @Column({ type: 'int', nullable: true })
  minutes: number | null;

  @Column({ type: 'text' })
  reason: string;

  /** Null: the platform itself (five wrong PINs). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  actorId: string | null;

  @DateTimeColumn()
  at: Date;
}

/**
 * The minutes (berita acara) of a closed session: a PDF kept once and never rewritten. A
 * correction is a new document that names the one it corrects.
 */
@Entity('session_minutes')
@Index('uq_session_minutes_version', ['sessionId', 'version'], { unique: true })
export class SessionMinutes {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 36 })
  sessionId: string;

  /** RESTRICT: minutes are kept; a session with minutes is not deleted. */
  @ManyToOne(() => ExamSession, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'sessionId' })
  session?: ExamSession;

  @Column({ type: 'int' })
  version: number;

  /** The document this one corrects (null: the first). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  correctsId: string | null;

  @Column({ type: 'text', nullable: true })
  correction: string | null;

  /** Where the storage driver keeps the PDF. */
  @Column({ type: 'varchar', length: 300 })
  fileKey: string;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @DateTimeColumn()
  createdAt: Date;
}
