import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, JsonColumn } from '../database/columns.js';

export const ROLES = ['admin', 'coordinator', 'asn'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 18, nullable: true, unique: true })
  nip: string | null;

  @Column({ type: 'varchar', length: 190, nullable: true, unique: true })
  email: string | null;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  /** Sector keys a coordinator serves (empty for others). */
  @JsonColumn()
  sectors: string[];

  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'boolean' })
  mustChangePassword: boolean;

  @Column({ type: 'int' })
  failedLogins: number;

  @DateTimeColumn({ nullable: true })
  lockedUntil: Date | null;

  @DateTimeColumn()
  createdAt: Date;

  @DateTimeColumn()
  updatedAt: Date;
}
