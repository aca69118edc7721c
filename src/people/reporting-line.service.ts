import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from '../identity/user.entity.js';

/** A person as a supervisor or a report appears to other domains. */
export interface PersonRef {
  id: string;
  nip: string | null;
  name: string;
  email: string | null;
  active: boolean;
}

const PERSON = { id: true, nip: true, name: true, email: true, active: true } as const;

/**
 * Who reports to whom (atasan langsung), for the domains that plan and evaluate (ADR 0040).
 * Supervision is a relation between users, not a role.
 */
@Injectable()
export class ReportingLine {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The user's direct supervisor, or null. */
  async supervisorOf(userId: string): Promise<PersonRef | null> {
    const user = await this.users.findOne({
      where: { id: userId },
      select: { supervisorId: true },
    });
    if (!user?.supervisorId) return null;
    return this.users.findOne({ where: { id: user.supervisorId }, select: PERSON });
  }

  /** The supervisor's direct reports, by name. */
  async directReports(supervisorId: string): Promise<PersonRef[]> {
    return this.users.find({
      where: { supervisorId },
      select: PERSON,
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  async hasReports(userId: string): Promise<boolean> {
    return (await this.users.count({ where: { supervisorId: userId } })) > 0;
  }

  /** True when `userId` reports directly to `supervisorId`. */
  async isDirectReport(supervisorId: string, userId: string): Promise<boolean> {
    return (await this.users.count({ where: { id: userId, supervisorId } })) > 0;
  }
}
