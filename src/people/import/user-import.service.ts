import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, Not, Repository } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { PasswordService } from '../../platform/auth/password.service.js';
import { SessionsService } from '../../platform/auth/sessions.service.js';
import { AuthUserCache } from '../../platform/auth/auth-user-cache.js';
import { errorFamily } from '../../platform/http/domain-error.js';
import type { LoadedSector } from '../../registry/sector-loader.js';
import { LOADED_SECTORS } from '../../registry/sectors.service.js';
import { nipProblem } from '../../identity/nip.js';
import { textOf } from '../../platform/i18n/i18n.js';
import { PositionsService, type PositionRef } from '../../competency/positions.service.js';
import { OrgUnit } from '../../identity/org-unit.entity.js';
import { Role, User } from '../../identity/user.entity.js';
import { POSITION_CHANGED, type PositionChanged } from '../people.events.js';
import { sameSet, UsersService } from '../users.service.js';
import { ImportFileError, ImportRow, parseImportFile } from './user-import.parser.js';

export const importError = errorFamily({ 'import.file': 'invalid' });

export type ImportOutcome = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportRowResult {
  line: number;
  nip: string;
  name: string;
  outcome: ImportOutcome;
  errors: string[];
  changes: string[];
}

export interface ImportResult {
  dryRun: boolean;
  summary: Record<ImportOutcome, number>;
  rows: ImportRowResult[];
  /** Temporary passwords of created users (apply only): to hand out; each must be changed at first login. */
  credentials?: { nip: string; name: string; temporaryPassword: string }[];
}

const ROLE_NAMES: Record<string, Role> = {
  asn: 'asn',
  pegawai: 'asn',
  koordinator: 'coordinator',
  coordinator: 'coordinator',
  admin: 'admin',
  administrator: 'admin',
};

interface Planned {
  result: ImportRowResult;
  /** The row's supervisor NIP, resolved once every row is known. */
  supervisorNip: string;
  values?: {
    /** The existing user's id, or the one the new user will get. */
    id: string;
    supervisorId: string | null;
    nip: string;
    name: string;
    email: string | null;
    orgUnitId: string | null;
    positionId: string | null;
    role: Role;
    sectors: string[];
  };
  existing?: User;
}

/**
 * Bulk create-or-update of users by NIP from CSV or XLSX. A dry run reports each row's
 * outcome; applying does the same work in one transaction. Re-importing a file changes nothing.
 */
@Injectable()
export class UserImportService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(OrgUnit) private readonly orgUnits: Repository<OrgUnit>,
    private readonly positions: PositionsService,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    private readonly usersService: UsersService,
    private readonly passwords: PasswordService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly sessions: SessionsService,
    private readonly authUsers: AuthUserCache,
  ) {}

  async run(actor: AuthUser, file: Buffer | string, dryRun: boolean): Promise<ImportResult> {
    let rows: ImportRow[];
    try {
      rows = await parseImportFile(file);
    } catch (error) {
      if (error instanceof ImportFileError)
        throw importError('import.file', { field: 'file', params: { problem: error.message } });
      throw error;
    }
    const plan = await this.plan(rows);
    const summary = { create: 0, update: 0, unchanged: 0, error: 0 };
    for (const p of plan) summary[p.result.outcome] += 1;
    const result: ImportResult = { dryRun, summary, rows: plan.map((p) => p.result) };
    if (dryRun) return result;

    result.credentials = await this.transactions.run(async (manager) => {
      const repo = manager.getRepository(User);
      const credentials: NonNullable<ImportResult['credentials']> = [];
      const changedAccess: string[] = [];
      const now = new Date();
      for (const { result: row, values, existing } of plan) {
        if (!values) continue;
        if (row.outcome === 'create') {
          const temporaryPassword = this.usersService.temporaryPassword();
          await repo.insert(
            repo.create({
              ...values,
              supervisorId: null,
              passwordHash: this.passwords.hashGenerated(temporaryPassword),
              active: true,
              mustChangePassword: true,
              failedLogins: 0,
              lockedUntil: null,
              createdAt: now,
              updatedAt: now,
            }),
          );
          credentials.push({ nip: values.nip, name: values.name, temporaryPassword });
        } else if (row.outcome === 'update' && existing) {
          if (existing.role !== values.role || !sameSet(existing.sectors, values.sectors))
            changedAccess.push(existing.id);
          await repo.update(
            { id: existing.id },
            {
              name: values.name,
              email: values.email,
              orgUnitId: values.orgUnitId,
              positionId: values.positionId,
              role: values.role,
              sectors: values.sectors,
              updatedAt: now,
            },
          );
        }
      }
      // Supervisors last: a row may name one created further down the file.
      for (const { result: row, values, existing } of plan) {
        if (!values || (row.outcome !== 'create' && row.outcome !== 'update')) continue;
        if (values.supervisorId !== (existing?.supervisorId ?? null))
          await repo.update({ id: values.id }, { supervisorId: values.supervisorId });
      }
      await this.audit.record({
        actor,
        action: 'user.import',
        entityType: 'user',
        detail: {
          ...summary,
          created: plan.filter((p) => p.result.outcome === 'create').map((p) => p.result.nip),
          updated: plan.filter((p) => p.result.outcome === 'update').map((p) => p.result.nip),
        },
      });
      // Rows whose role or sectors changed: those sessions end with the commit.
      await this.sessions.endAll(changedAccess);
      return credentials;
    });
    // Renamed users whose access did not change: the name cached with their session, too.
    const renamed = plan
      .filter((p) => p.result.outcome === 'update' && p.existing && p.values)
      .filter((p) => p.existing!.name !== p.values!.name)
      .map((p) => p.existing!.id);
    if (renamed.length) this.authUsers.invalidate(renamed);
    // Not awaited: a large import answers at once; the hourly catch-up covers a crash.
    const moved = plan
      .filter((p) => p.result.outcome === 'update' && p.existing && p.values)
      .filter((p) => p.existing!.positionId !== p.values!.positionId)
      .map((p) => p.existing!.id);
    if (moved.length)
      this.events.emit(POSITION_CHANGED, { userIds: moved } satisfies PositionChanged);
    return result;
  }

  private async plan(rows: ImportRow[]): Promise<Planned[]> {
    const nips = rows.map((r) => r.nip).filter((n) => /^\d{18}$/.test(n));
    const existing = new Map<string, User>();
    for (let i = 0; i < nips.length; i += 500) {
      for (const user of await this.users.findBy({ nip: In(nips.slice(i, i + 500)) }))
        existing.set(user.nip!, user);
    }
    const emails = rows.map((r) => r.email.toLowerCase()).filter(Boolean);
    const emailOwners = new Map<string, string | null>();
    for (let i = 0; i < emails.length; i += 500) {
      for (const user of await this.users.find({
        where: { email: In(emails.slice(i, i + 500)) },
        select: { id: true, email: true, nip: true },
      })) {
        emailOwners.set(user.email!, user.nip);
      }
    }
    // By code, or by name when only one position has it: two positions may share a name
    // ("Perawat Ahli Pertama" as PERAWAT-AP and KES-PERAWAT-AP), and guessing between them
    // gives someone a position no scheme of theirs targets.
    const positionByCode = new Map<string, PositionRef>();
    const positionsByName = new Map<string, PositionRef[]>();
    for (const position of await this.positions.refs()) {
      positionByCode.set(position.code.toLowerCase(), position);
      const name = position.name.toLowerCase();
      positionsByName.set(name, [...(positionsByName.get(name) ?? []), position]);
    }
    const units = await this.orgUnits.find();
    const unitByKey = new Map<string, OrgUnit>();
    for (const unit of units) {
      unitByKey.set(unit.code.toLowerCase(), unit);
      unitByKey.set(unit.name.toLowerCase(), unit);
    }
    const knownSectors = new Set(this.sectors.map((s) => s.manifest.key));
    const seenNip = new Map<string, number>();
    const seenEmail = new Map<string, number>();

    const planned = rows.map((row): Planned => {
      const errors: string[] = [];
      const result: ImportRowResult = {
        line: row.line,
        nip: row.nip,
        name: row.nama,
        outcome: 'error',
        errors,
        changes: [],
      };
      const supervisorNip = row.supervisorNip ?? '';
      // The import report is in Bahasa Indonesia, like the spreadsheet it answers.
      const nipIssue = row.nip ? nipProblem(row.nip) : null;
      if (!row.nip) errors.push('NIP wajib diisi');
      else if (nipIssue) errors.push(textOf('id', nipIssue));
      if (row.nip && seenNip.has(row.nip))
        errors.push(`NIP sama dengan baris ${seenNip.get(row.nip)}`);
      if (row.nama.length < 2 || row.nama.length > 150)
        errors.push('Nama wajib diisi (2–150 karakter)');
      const email = row.email.toLowerCase() || null;
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        errors.push(`Email "${row.email}" tidak sah`);
      if (email && seenEmail.has(email))
        errors.push(`Email sama dengan baris ${seenEmail.get(email)}`);
      if (email && emailOwners.has(email) && emailOwners.get(email) !== row.nip)
        errors.push(`Email ${email} sudah dipakai pengguna lain`);
      const unit = row.unitKerja ? unitByKey.get(row.unitKerja.toLowerCase()) : undefined;
      if (row.unitKerja && !unit) errors.push(`Unit Kerja "${row.unitKerja}" tidak dikenal`);
      const current = existing.get(row.nip);
      const role = row.peran ? ROLE_NAMES[row.peran.toLowerCase()] : (current?.role ?? 'asn');
      if (!role) errors.push(`Peran "${row.peran}" tidak dikenal (ASN, Koordinator, Admin)`);
      const sectors = row.sektor
        ? row.sektor
            .split(/[,;]/)
            .map((s) => s.trim())
            .filter(Boolean)
        : role === 'coordinator'
          ? (current?.sectors ?? [])
          : [];
      const key = row.jabatan?.toLowerCase();
      const named = key ? (positionsByName.get(key) ?? []) : [];
      const position = key
        ? (positionByCode.get(key) ?? (named.length === 1 ? named[0] : undefined))
        : undefined;
      if (row.jabatan && !position)
        errors.push(
          named.length > 1
            ? `Jabatan "${row.jabatan}" ambigu (${named.map((p) => p.code).join(', ')}): tulis kodenya`
            : `Jabatan "${row.jabatan}" tidak dikenal`,
        );
      const unknownSectors = sectors.filter((s) => !knownSectors.has(s));
      if (unknownSectors.length) errors.push(`Sektor tidak dikenal: ${unknownSectors.join(', ')}`);
      if (role === 'coordinator' && sectors.length === 0)
        errors.push('Koordinator harus punya Sektor');
      if (supervisorNip && !/^\d{18}$/.test(supervisorNip))
        errors.push(`NIP atasan "${supervisorNip}" tidak sah (18 angka)`);
      else if (supervisorNip && supervisorNip === row.nip)
        errors.push('Pegawai tidak bisa menjadi atasan langsung dirinya sendiri');
      if (row.nip) seenNip.set(row.nip, row.line);
      if (email) seenEmail.set(email, row.line);
      if (errors.length) return { result, supervisorNip };

      const values = {
        id: current?.id ?? randomUUID(),
        // Resolved below, once every row is known; kept when the row names none.
        supervisorId: current?.supervisorId ?? null,
        nip: row.nip,
        name: row.nama,
        email: email ?? current?.email ?? null,
        orgUnitId: unit?.id ?? current?.orgUnitId ?? null,
        positionId: position?.id ?? current?.positionId ?? null,
        role,
        sectors: role === 'coordinator' ? sectors : [],
      };
      if (!current)
        return { result: { ...result, outcome: 'create' as const }, values, supervisorNip };
      const changes: string[] = [];
      if (current.name !== values.name) changes.push('Nama');
      if (current.email !== values.email) changes.push('Email');
      if (current.orgUnitId !== values.orgUnitId) changes.push('Unit Kerja');
      if (current.positionId !== values.positionId) changes.push('Jabatan');
      if (current.role !== values.role) changes.push('Peran');
      if (current.sectors.join() !== values.sectors.join()) changes.push('Sektor');
      return {
        result: {
          ...result,
          outcome: changes.length ? ('update' as const) : ('unchanged' as const),
          changes,
        },
        values,
        existing: current,
        supervisorNip,
      };
    });
    await this.resolveSupervisors(planned);
    return planned;
  }

  /**
   * Gives each row its supervisor: a user already stored or one on another row of the file
   * (above or below). A row whose supervisor does not exist, or would close a cycle with the
   * stored chain and the rows before it, is an error and is not saved; a row whose supervisor
   * is only on such a row then fails too, until nothing changes.
   */
  private async resolveSupervisors(plan: Planned[]): Promise<void> {
    const named = [...new Set(plan.map((p) => p.supervisorNip).filter(Boolean))];
    if (!named.length) return;
    const stored = new Map<string, string>();
    for (let i = 0; i < named.length; i += 500) {
      for (const user of await this.users.find({
        where: { nip: In(named.slice(i, i + 500)) },
        select: { id: true, nip: true },
      }))
        stored.set(user.nip!, user.id);
    }
    const storedLine = new Map<string, string>();
    for (const user of await this.users.find({
      where: { supervisorId: Not(IsNull()) },
      select: { id: true, supervisorId: true },
    }))
      storedLine.set(user.id, user.supervisorId!);
    const fail = (p: Planned, error: string) => {
      p.result.errors.push(error);
      p.result.outcome = 'error';
      p.result.changes = [];
      p.values = undefined;
      p.existing = undefined;
    };
    for (let settled = false; !settled;) {
      settled = true;
      const inFile = new Map(
        plan.filter((p) => p.values).map((p) => [p.values!.nip, p.values!.id]),
      );
      // The chain as it would stand once every row is saved.
      const line = new Map(storedLine);
      const rowOf = new Map<string, Planned>();
      for (const p of plan) {
        if (!p.values || !p.supervisorNip) continue;
        const supervisorId = inFile.get(p.supervisorNip) ?? stored.get(p.supervisorNip);
        if (!supervisorId) {
          fail(p, `Atasan dengan NIP ${p.supervisorNip} tidak ada`);
          settled = false;
          continue;
        }
        line.set(p.values.id, supervisorId);
        rowOf.set(p.values.id, p);
      }
      if (!settled) continue;
      for (const p of rowOf.values()) {
        const members = [p.values!.id];
        let id = line.get(p.values!.id);
        while (id && id !== p.values!.id && !members.includes(id)) {
          members.push(id);
          id = line.get(id);
        }
        if (id !== p.values!.id) continue;
        // The cycle's last row in the file is refused; the others are tried again without it.
        const last = members
          .map((m) => rowOf.get(m))
          .filter((r): r is Planned => !!r)
          .sort((a, b) => b.result.line - a.result.line)[0];
        fail(
          last,
          `Atasan dengan NIP ${last.supervisorNip} melapor kepada pegawai ini: rantai atasan melingkar`,
        );
        settled = false;
        break;
      }
      if (settled) for (const [id, p] of rowOf) p.values!.supervisorId = line.get(id)!;
    }
    for (const p of plan) {
      if (!p.values || !p.existing || p.values.supervisorId === p.existing.supervisorId) continue;
      p.result.changes.push('Atasan');
      p.result.outcome = 'update';
    }
  }
}
