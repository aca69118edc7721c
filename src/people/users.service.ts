import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Brackets, type EntityManager, Repository } from 'typeorm';
import { TransactionService } from '../database/transaction.service.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { AuditService } from '../platform/audit/audit.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { AuthUserCache } from '../platform/auth/auth-user-cache.js';
import { PasswordService } from '../platform/auth/password.service.js';
import { SessionsService } from '../platform/auth/sessions.service.js';
import { errorFamily } from '../platform/http/domain-error.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { PositionsService, type PositionRef } from '../competency/positions.service.js';
import { POSITION_CHANGED, type PositionChanged } from './people.events.js';
import { nipProblem } from '../identity/nip.js';
import { OrgUnitsService } from './org-units.service.js';
import { passwordProblem } from '../identity/password-policy.js';
import type { CreateUserDto, ListUsersQuery, UpdateUserDto } from './people.dto.js';
import { Role, User } from '../identity/user.entity.js';
import { userAdminView, type UserAdminView } from '../identity/user-view.js';

export const userError = errorFamily({
  'user.invalid': 'invalid',
  'user.not_found': 'not_found',
  'user.duplicate': 'conflict',
  'user.self': 'refused',
});

/** Why a supervisor is refused: the 400 names `supervisorNip`, with `details.reason`. */
export type SupervisorProblem = 'unknown' | 'self' | 'cycle';

const SUPERVISOR_VARIANT = {
  unknown: 'supervisorUnknown',
  self: 'supervisorSelf',
  cycle: 'supervisorCycle',
} as const;

export function supervisorError(reason: SupervisorProblem, nip: string) {
  return userError('user.invalid', {
    variant: SUPERVISOR_VARIANT[reason],
    field: 'supervisorNip',
    params: { nip },
    details: { reason, nip },
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Admin management of accounts. Deactivation replaces deletion; every change is audited. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly positions: PositionsService,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    private readonly orgUnits: OrgUnitsService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly sessions: SessionsService,
    private readonly authUsers: AuthUserCache,
    private readonly transactions: TransactionService,
  ) {}

  async list(query: ListUsersQuery): Promise<Page<UserAdminView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const qb = this.users
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.orgUnit', 'unit')
      .leftJoinAndSelect('u.position', 'position')
      .leftJoin('u.supervisor', 'supervisor')
      .addSelect(['supervisor.id', 'supervisor.nip', 'supervisor.name']);
    if (query.search) {
      const term = `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('LOWER(u.name) LIKE :term', { term })
            .orWhere('u.nip LIKE :term', { term })
            .orWhere('u.email LIKE :term', { term }),
        ),
      );
    }
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.orgUnit) qb.andWhere('unit.code = :unit', { unit: query.orgUnit });
    // Sectors are a JSON list stored as text: match the quoted key.
    if (query.sector)
      qb.andWhere('u.sectors LIKE :sector', {
        sector: `%"${query.sector.replace(/[\\%_"]/g, '')}"%`,
      });
    if (query.active) qb.andWhere('u.active = :active', { active: query.active === 'true' });
    const [rows, total] = await qb
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: rows.map(userAdminView), total, page, pageSize };
  }

  async get(id: string): Promise<UserAdminView> {
    return userAdminView(await this.require(id));
  }

  async create(
    actor: AuthUser,
    input: CreateUserDto,
  ): Promise<UserAdminView & { temporaryPassword?: string }> {
    if (!input.nip && !input.email)
      throw userError('user.invalid', { variant: 'nipOrEmail', field: 'nip' });
    if (input.nip) this.checkNip(input.nip);
    const position = input.positionCode ? await this.requirePosition(input.positionCode) : null;
    const sectors = this.checkSectors(input.role, input.sectors ?? []);
    const orgUnit = input.orgUnitCode
      ? await this.orgUnits.requireByCode(input.orgUnitCode, 'orgUnitCode')
      : null;
    const email = input.email?.toLowerCase() ?? null;
    this.checkEmailAndName(email, input.name);
    const temporary = input.password === undefined;
    const password = input.password ?? this.temporaryPassword();
    const problem = passwordProblem(password, { nip: input.nip, email });
    if (problem)
      throw userError('user.invalid', {
        variant: 'password',
        field: 'password',
        params: { problem },
      });
    await this.checkUnique(input.nip ?? null, email);
    if (input.supervisorNip && input.supervisorNip === input.nip)
      throw supervisorError('self', input.supervisorNip);

    const now = new Date();
    const user = this.users.create({
      nip: input.nip ?? null,
      email,
      name: input.name,
      role: input.role,
      sectors,
      orgUnitId: orgUnit?.id ?? null,
      positionId: position?.id ?? null,
      passwordHash: temporary
        ? this.passwords.hashGenerated(password)
        : await this.passwords.hash(password),
      active: true,
      mustChangePassword: temporary,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    });
    // A new user has no reports yet: its supervisor cannot close a cycle.
    const supervisor = await this.transactions.run(async (manager) => {
      const found = input.supervisorNip
        ? await this.resolveSupervisor(manager, null, input.supervisorNip)
        : null;
      user.supervisorId = found?.id ?? null;
      try {
        await manager.getRepository(User).insert(user);
      } catch (error) {
        if (isUniqueViolation(error))
          throw userError('user.duplicate', { field: input.nip ? 'nip' : 'email' });
        throw error;
      }
      await this.audit.record({
        actor,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        detail: {
          role: user.role,
          nip: user.nip,
          email: user.email,
          supervisorId: user.supervisorId,
        },
      });
      return found;
    });
    const view = userAdminView({ ...user, orgUnit, position, supervisor } as User);
    return temporary ? { ...view, temporaryPassword: password } : view;
  }

  async update(actor: AuthUser, id: string, input: UpdateUserDto): Promise<UserAdminView> {
    const user = await this.require(id);
    const role = input.role ?? user.role;
    if (user.id === actor.id && role !== user.role) throw userError('user.self');
    const changes: Partial<User> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.email !== undefined && input.email.toLowerCase() !== user.email) {
      changes.email = input.email.toLowerCase();
      this.checkEmailAndName(changes.email, input.name ?? user.name);
      await this.checkUnique(null, changes.email, user.id);
    }
    if (input.role !== undefined || input.sectors !== undefined) {
      changes.role = role;
      changes.sectors = this.checkSectors(
        role,
        input.sectors ?? (role === 'coordinator' ? user.sectors : []),
      );
    }
    if (input.orgUnitCode !== undefined) {
      changes.orgUnitId =
        input.orgUnitCode === null
          ? null
          : (await this.orgUnits.requireByCode(input.orgUnitCode, 'orgUnitCode')).id;
    }
    if (input.positionCode !== undefined) {
      changes.positionId =
        input.positionCode === null ? null : (await this.requirePosition(input.positionCode)).id;
    }
    await this.transactions.run(async (manager) => {
      if (input.supervisorNip !== undefined) {
        const supervisor =
          input.supervisorNip === null
            ? null
            : await this.resolveSupervisor(manager, id, input.supervisorNip);
        if ((supervisor?.id ?? null) !== user.supervisorId)
          changes.supervisorId = supervisor?.id ?? null;
      }
      await manager.getRepository(User).update({ id }, { ...changes, updatedAt: new Date() });
      await this.audit.record({
        actor,
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        detail: { ...changes } as never,
      });
    });
    // A role or sector change takes effect at once: the sessions holding the old ones end.
    if (
      (changes.role !== undefined && changes.role !== user.role) ||
      (changes.sectors !== undefined && !sameSet(changes.sectors, user.sectors))
    )
      await this.sessions.endAll(id);
    // The signed-in user's name is cached with the session (audit entries, grades carry it).
    else if (changes.name !== undefined && changes.name !== user.name)
      this.authUsers.invalidate(id);
    // Awaited: the admin's answer (and the ASN's next page) already shows the certificate.
    if (changes.positionId !== undefined && changes.positionId !== user.positionId)
      await this.events.emitAsync(POSITION_CHANGED, { userIds: [id] } satisfies PositionChanged);
    return this.get(id);
  }

  async setActive(actor: AuthUser, id: string, active: boolean): Promise<UserAdminView> {
    const user = await this.require(id);
    if (user.id === actor.id && !active) throw userError('user.self', { variant: 'deactivate' });
    if (user.active !== active) {
      await this.users.update({ id }, { active, updatedAt: new Date() });
      if (!active) await this.sessions.endAll(id);
      // Reactivated: the guard must not keep refusing from a cached inactive row.
      else this.authUsers.invalidate(id);
      await this.audit.record({
        actor,
        action: active ? 'user.reactivate' : 'user.deactivate',
        entityType: 'user',
        entityId: id,
      });
    }
    return this.get(id);
  }

  async resetPassword(
    actor: AuthUser,
    id: string,
    given?: string,
  ): Promise<{ temporaryPassword?: string }> {
    const user = await this.require(id);
    const password = given ?? this.temporaryPassword();
    const problem = passwordProblem(password, user);
    if (problem)
      throw userError('user.invalid', {
        variant: 'password',
        field: 'password',
        params: { problem },
      });
    await this.users.update(
      { id },
      {
        passwordHash: await this.passwords.hash(password),
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
        updatedAt: new Date(),
      },
    );
    // Whoever held the account until now (perhaps the reason for the reset) is signed out.
    await this.sessions.endAll(id);
    await this.audit.record({
      actor,
      action: 'user.reset_password',
      entityType: 'user',
      entityId: id,
    });
    return given ? {} : { temporaryPassword: password };
  }

  private async require(id: string): Promise<User> {
    const user = await this.users.findOne({
      where: { id },
      relations: { orgUnit: true, position: true, supervisor: true },
    });
    if (!user) throw userError('user.not_found');
    return user;
  }

  /**
   * The user with NIP `nip`, as the supervisor of `subjectId` (null for a user not yet
   * created): it must exist, not be the subject, and not report to the subject however far
   * up (ADR 0040). On MariaDB the chain is read with row locks, so two changes made at once
   * (A under B, B under A) cannot both pass.
   */
  async resolveSupervisor(
    manager: EntityManager,
    subjectId: string | null,
    nip: string,
  ): Promise<User> {
    const repo = manager.getRepository(User);
    const lock = manager.connection.options.type !== 'better-sqlite3';
    const read = (where: { nip: string } | { id: string }) => {
      const query = repo
        .createQueryBuilder('u')
        .select(['u.id', 'u.nip', 'u.name', 'u.supervisorId'])
        .where(where);
      if (lock) query.setLock('pessimistic_write');
      return query.getOne();
    };
    if (subjectId) await read({ id: subjectId });
    const supervisor = /^\d{18}$/.test(nip) ? await read({ nip }) : null;
    if (!supervisor) throw supervisorError('unknown', nip);
    if (supervisor.id === subjectId) throw supervisorError('self', nip);
    const seen = new Set<string>([supervisor.id]);
    let next = supervisor.supervisorId;
    while (next && subjectId) {
      if (next === subjectId) throw supervisorError('cycle', nip);
      // A cycle already stored (never through this service) must not hang the walk.
      if (seen.has(next)) break;
      seen.add(next);
      next = (await read({ id: next }))?.supervisorId ?? null;
    }
    return supervisor;
  }

  private async requirePosition(code: string): Promise<PositionRef> {
    const position = await this.positions.refByCode(code);
    if (!position)
      throw userError('user.invalid', {
        variant: 'position',
        field: 'positionCode',
        params: { code },
      });
    return position;
  }

  /** Checked here as well as in the DTOs, because the admin pages call this service directly. */
  private checkEmailAndName(email: string | null, name: string): void {
    if (email && (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 190)) {
      throw userError('user.invalid', { variant: 'email', field: 'email' });
    }
    if (name.trim().length < 2 || name.length > 150)
      throw userError('user.invalid', { variant: 'name', field: 'name' });
  }

  private checkNip(nip: string): void {
    const problem = nipProblem(nip);
    if (problem)
      throw userError('user.invalid', { variant: 'nip', field: 'nip', params: { problem } });
  }

  private checkSectors(role: Role, sectors: string[]): string[] {
    const known = new Set(this.sectors.map((s) => s.manifest.key));
    const unknown = sectors.filter((key) => !known.has(key));
    if (unknown.length)
      throw userError('user.invalid', {
        variant: 'sectors',
        field: 'sectors',
        params: { sectors: unknown.join(', ') },
      });
    if (role === 'coordinator' && sectors.length === 0)
      throw userError('user.invalid', { variant: 'coordinatorSectors', field: 'sectors' });
    return role === 'coordinator' ? [...new Set(sectors)] : [];
  }

  private async checkUnique(
    nip: string | null,
    email: string | null,
    exceptId?: string,
  ): Promise<void> {
    const clash = async (where: { nip: string } | { email: string }) => {
      const found = await this.users.findOne({ where, select: { id: true } });
      return !!found && found.id !== exceptId;
    };
    if (nip && (await clash({ nip })))
      throw userError('user.duplicate', { variant: 'nip', field: 'nip', params: { nip } });
    if (email && (await clash({ email })))
      throw userError('user.duplicate', { variant: 'email', field: 'email', params: { email } });
  }

  /** 96 random bits: safe to store with the fast hash (see PasswordService.hashGenerated). */
  temporaryPassword(): string {
    return `Sa-${randomBytes(12).toString('base64url')}`;
  }
}

/** True when two lists hold the same keys, in whatever order. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((key) => right.has(key));
}
