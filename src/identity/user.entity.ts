import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { DateTimeColumn, JsonColumn, IdColumn } from '../database/columns.js';
import { OrgUnit } from './org-unit.entity.js';

export const ROLES = ['admin', 'coordinator', 'asn'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a user row shows of its position when the relation is loaded. The position is
 * competency's: the relation names its entity by string (for the foreign key and the joins),
 * so identity imports nothing from a domain.
 */
export interface PositionOfUser {
  id: string;
  code: string;
  name: string;
  sector: string | null;
}

/** An account: who signs in, with which role and sectors, in which unit and position. */
@Entity('users')
@Index('uq_users_nip', ['nip'], { unique: true })
@Index('uq_users_email', ['email'], { unique: true })
@Index('idx_users_supervisor', ['supervisorId'])
export class User {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 18, nullable: true })
  nip: string | null;

  @Column({ type: 'varchar', length: 190, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  /** Sector keys a coordinator serves (empty for others). */
  @JsonColumn()
  sectors: string[];

  @Column({ type: 'varchar', length: 36, nullable: true })
  orgUnitId: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'SET NULL', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'orgUnitId' })
  orgUnit?: OrgUnit | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  positionId: string | null;

  /** The direct supervisor (atasan langsung): another user; never a cycle (ADR 0040). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  supervisorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'supervisorId' })
  supervisor?: User | null;

  @ManyToOne('Position', { onDelete: 'SET NULL', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'positionId' })
  position?: PositionOfUser | null;

  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'boolean' })
  mustChangePassword: boolean;

  /** Login failures are counted by the login throttle (ADR 0015); this column is no longer read. */
  @Column({ type: 'int' })
  failedLogins: number;

  /** No longer read: a hard lock let a stranger lock the owner out (ADR 0015). */
  @DateTimeColumn({ nullable: true })
  lockedUntil: Date | null;

  /**
   * Carried in every access token as `sv`; raised when the user's sessions must end at once
   * (logout, password change or reset, deactivation, role or sector change).
   */
  @Column({ type: 'int', default: 0 })
  sessionVersion: number;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}
