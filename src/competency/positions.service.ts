import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { User } from '../identity/user.entity.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { TableExports } from '../platform/http/table-exports.service.js';
import type { CsvDelimiter, ExportedFile, ExportFormat } from '../platform/http/table-export.js';
import { parseTable, TableFileError } from '../platform/http/table-import.js';
import { CompetenciesService } from './competencies.service.js';
import type { CreatePositionDto, SetStandardDto, UpdatePositionDto } from './competency.dto.js';
import { Competency } from './competency.entity.js';
import { Position, PositionRequirement } from './position.entity.js';
import { STANDARDS_CACHE } from './standard-cache.js';
import { ReadCache } from '../platform/redis/read-cache.js';

export const positionError = errorFamily({
  'position.not_found': 'not_found',
  'position.duplicate': 'conflict',
  'position.duplicate_name': 'conflict',
  'position.invalid': 'invalid',
  'position.in_use': 'conflict',
});

export interface StandardLine {
  competencyCode: string;
  competencyTitle: string;
  type: string;
  sector: string | null;
  level: number;
}

export interface PositionView {
  id: string;
  code: string;
  name: string;
  kind: string;
  sector: string | null;
  orgUnitCodes: string[];
  standard?: StandardLine[];
}

const view = (p: Position, standard?: StandardLine[]): PositionView => ({
  id: p.id,
  code: p.code,
  name: p.name,
  kind: p.kind,
  sector: p.sector,
  orgUnitCodes: p.orgUnitCodes,
  ...(standard && { standard }),
});

/** What another domain knows of a position: people name one on a user. */
export interface PositionRef {
  id: string;
  code: string;
  name: string;
  sector: string | null;
}

const REF = { id: true, code: true, name: true, sector: true } as const;

/** Positions (jabatan), their competency standards, and who holds them. */
@Injectable()
export class PositionsService {
  constructor(
    @InjectRepository(Position) private readonly positions: Repository<Position>,
    @InjectRepository(PositionRequirement)
    private readonly requirements: Repository<PositionRequirement>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(OrgUnit) private readonly orgUnits: Repository<OrgUnit>,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    @InjectRepository(Competency) private readonly competencyRepo: Repository<Competency>,
    private readonly competencies: CompetenciesService,
    private readonly transactions: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly cache: ReadCache,
    private readonly exports: TableExports,
  ) {}

  /** Coordinators see the positions of their sectors; admins all. */
  async list(caller: AuthUser): Promise<PositionView[]> {
    const sectors = this.access.managedSectors(caller);
    const rows = await this.positions.find({
      where: sectors ? { sector: In(sectors.length ? sectors : ['-']) } : {},
      order: { name: 'ASC' },
    });
    return rows.map((p) => view(p));
  }

  async get(caller: AuthUser, code: string): Promise<PositionView> {
    const position = await this.requireByCode(code);
    this.requireVisible(caller, position);
    return view(position, await this.standardOf(position.id));
  }

  async create(actor: AuthUser, input: CreatePositionDto): Promise<PositionView> {
    await this.checkOrgUnits(input.orgUnitCodes ?? []);
    this.checkSector(input.sector ?? null);
    // A second position of one name is how people end up on the wrong one (ADR 0028):
    // it is made only when the caller says so.
    const namesakes = await this.namesakes(input.name);
    if (namesakes.length && input.confirmDuplicateName !== true)
      throw positionError('position.duplicate_name', {
        field: 'name',
        params: { name: input.name, codes: namesakes.map((p) => p.code).join(', ') },
        details: { existingCodes: namesakes.map((p) => p.code).join(',') },
      });
    const now = new Date();
    const position = this.positions.create({
      code: input.code,
      name: input.name,
      kind: input.kind,
      sector: input.sector ?? null,
      orgUnitCodes: input.orgUnitCodes ?? [],
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.positions.insert(position);
    } catch (error) {
      if (isUniqueViolation(error))
        throw positionError('position.duplicate', {
          field: 'code',
          params: { code: input.code },
        });
      throw error;
    }
    await this.audit.record({
      actor,
      action: 'position.create',
      entityType: 'position',
      entityId: position.id,
      detail: { code: position.code },
    });
    return view(position, []);
  }

  async update(actor: AuthUser, code: string, input: UpdatePositionDto): Promise<PositionView> {
    const position = await this.requireByCode(code);
    const changes: Partial<Position> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.kind !== undefined) changes.kind = input.kind;
    if (input.sector !== undefined) changes.sector = input.sector;
    if (input.orgUnitCodes !== undefined)
      changes.orgUnitCodes = await this.checkOrgUnits(input.orgUnitCodes);
    if (input.sector) this.checkSector(input.sector);
    await this.positions.update({ id: position.id }, { ...changes, updatedAt: new Date() });
    await this.audit.record({
      actor,
      action: 'position.update',
      entityType: 'position',
      entityId: position.id,
      detail: { code, ...changes } as never,
    });
    return this.get(actor, code);
  }

  /** Accepts `{ items | requirements: [{ competencyCode | competencyId, level | requiredLevel }] }`. */
  async setStandardFromRequest(
    actor: AuthUser,
    id: string,
    body: SetStandardDto,
  ): Promise<PositionView> {
    const list = body.items ?? body.requirements;
    if (!list) throw positionError('position.invalid', { variant: 'items', field: 'items' });
    const ids = list.filter((i) => !i.competencyCode && i.competencyId).map((i) => i.competencyId!);
    const codeOfId = new Map(
      (ids.length ? await this.competencyRepo.findBy({ id: In(ids) }) : []).map((c) => [
        c.id,
        c.code,
      ]),
    );
    const items = list.map((item, index) => {
      const competencyCode = item.competencyCode ?? codeOfId.get(item.competencyId ?? '');
      const level = item.level ?? item.requiredLevel;
      if (!competencyCode)
        throw positionError('position.invalid', {
          variant: 'itemCompetency',
          field: `items.${index}.competencyCode`,
          params: { index },
        });
      if (!level)
        throw positionError('position.invalid', {
          variant: 'itemLevel',
          field: `items.${index}.level`,
          params: { index },
        });
      return { competencyCode, level };
    });
    return this.setStandard(actor, id, items);
  }

  /** Replaces the whole standard of a position (the table editor saves this way). */
  async setStandard(
    actor: AuthUser,
    code: string,
    items: { competencyCode: string; level: number }[],
  ): Promise<PositionView> {
    const position = await this.requireByCode(code);
    const codes = items.map((i) => i.competencyCode);
    const duplicate = codes.find((c, i) => codes.indexOf(c) !== i);
    if (duplicate)
      throw positionError('position.invalid', {
        variant: 'twice',
        field: 'items',
        params: { code: duplicate },
      });
    const byCode = await this.competencies.requireCodes(codes, 'items');
    const before = (await this.standardsOf([position.id])).get(position.id) ?? [];
    await this.transactions.run(async (manager) => {
      const repo = manager.getRepository(PositionRequirement);
      await repo.delete({ positionId: position.id });
      if (items.length) {
        await repo.insert(
          items.map((i) =>
            repo.create({
              positionId: position.id,
              competencyId: byCode.get(i.competencyCode)!.id,
              requiredLevel: i.level,
            }),
          ),
        );
      }
      await this.audit.record({
        actor,
        action: 'position.standard',
        entityType: 'position',
        entityId: position.id,
        detail: {
          code,
          before: before.map((l) => `${l.competencyCode}:${l.level}`),
          after: items.map((i) => `${i.competencyCode}:${i.level}`),
        },
      });
    });
    await this.cache.invalidate(STANDARDS_CACHE);
    return this.get(actor, code);
  }

  async copyStandard(actor: AuthUser, code: string, fromCode: string): Promise<PositionView> {
    const from = await this.requireByCode(fromCode);
    const lines = await this.standardOf(from.id);
    return this.setStandard(
      actor,
      code,
      lines.map((l) => ({ competencyCode: l.competencyCode, level: l.level })),
    );
  }

  /** Assigns users (by NIP or id) to a position, in one statement per chunk. */
  async assign(
    actor: AuthUser,
    code: string,
    userRefs: string[],
  ): Promise<{ assigned: number; unknown: string[] }> {
    const position = await this.requireByCode(code);
    const nips = userRefs.filter((r) => /^\d{18}$/.test(r));
    const ids = userRefs.filter((r) => !/^\d{18}$/.test(r));
    const found = [
      ...(nips.length
        ? await this.users.find({ where: { nip: In(nips) }, select: { id: true, nip: true } })
        : []),
      ...(ids.length
        ? await this.users.find({ where: { id: In(ids) }, select: { id: true, nip: true } })
        : []),
    ];
    const known = new Set(found.flatMap((u) => [u.id, u.nip ?? '']));
    const unknown = userRefs.filter((r) => !known.has(r));
    if (found.length) {
      await this.users.update(
        { id: In(found.map((u) => u.id)) },
        { positionId: position.id, updatedAt: new Date() },
      );
      await this.audit.record({
        actor,
        action: 'position.assign',
        entityType: 'position',
        entityId: position.id,
        detail: { code, users: found.map((u) => u.nip ?? u.id) },
      });
    }
    return { assigned: found.length, unknown };
  }

  async exportStandards(
    caller: AuthUser,
    format: ExportFormat,
    delimiter: CsvDelimiter,
    code?: string,
  ): Promise<ExportedFile> {
    const positions = code
      ? [await this.requireByCode(code)]
      : (await this.list(caller)).map((p) => p as unknown as Position);
    const standards = await this.standardsOf(positions.map((p) => p.id));
    const rows = positions.flatMap((position) =>
      (standards.get(position.id) ?? []).map((line) => ({
        position: position.code,
        name: position.name,
        line,
      })),
    );
    return this.exports.write(
      'standar-kompetensi',
      rows,
      [
        { header: 'Kode Jabatan', kind: 'text', value: (r) => r.position },
        { header: 'Nama Jabatan', kind: 'text', value: (r) => r.name },
        { header: 'Kode Kompetensi', kind: 'text', value: (r) => r.line.competencyCode },
        { header: 'Nama Kompetensi', kind: 'text', value: (r) => r.line.competencyTitle },
        { header: 'Level', kind: 'number', value: (r) => r.line.level },
      ],
      format,
      delimiter,
    );
  }

  /** Replaces the standards of the positions a CSV/XLSX file names (Kode Jabatan, Kode Kompetensi, Level). */
  async importStandards(
    actor: AuthUser,
    file: Buffer | string,
  ): Promise<{
    positions: number;
    requirements: number;
    skipped: { line: number; reason: string }[];
  }> {
    let table: Record<string, string>[];
    try {
      table = await parseTable(
        file,
        { 'kode jabatan': 'position', 'kode kompetensi': 'competency', level: 'level' },
        ['position', 'competency', 'level'],
      );
    } catch (error) {
      if (error instanceof TableFileError)
        throw positionError('position.invalid', {
          variant: 'file',
          field: 'file',
          params: { problem: error.message },
        });
      throw error;
    }
    const skipped: { line: number; reason: string }[] = [];
    const byPosition = new Map<string, { competencyCode: string; level: number }[]>();
    const positions = new Map(
      (await this.positions.findBy({ code: In([...new Set(table.map((r) => r.position))]) })).map(
        (p) => [p.code, p],
      ),
    );
    const competencies = new Set((await this.competencies.list(actor, {})).map((c) => c.code));
    for (const row of table) {
      const line = Number(row.line);
      const level = Number(row.level);
      if (!positions.has(row.position))
        skipped.push({ line, reason: `Jabatan "${row.position}" tidak dikenal` });
      else if (!competencies.has(row.competency))
        skipped.push({ line, reason: `Kompetensi "${row.competency}" tidak dikenal` });
      else if (!Number.isInteger(level) || level < 1 || level > 5)
        skipped.push({ line, reason: 'Level harus 1 sampai 5' });
      else if (byPosition.get(row.position)?.some((i) => i.competencyCode === row.competency))
        skipped.push({ line, reason: `Kompetensi ${row.competency} ganda untuk jabatan ini` });
      else
        byPosition.set(row.position, [
          ...(byPosition.get(row.position) ?? []),
          { competencyCode: row.competency, level },
        ]);
    }
    let requirements = 0;
    for (const [code, items] of byPosition) {
      await this.setStandard(actor, code, items);
      requirements += items.length;
    }
    return { positions: byPosition.size, requirements, skipped };
  }

  /** By id or by code: the API's `:id` takes either. */
  /** Deletes a position nobody holds (its standard goes with it); otherwise 409. */
  async remove(actor: AuthUser, code: string): Promise<void> {
    const position = await this.requireByCode(code);
    const holders = await this.users.countBy({ positionId: position.id });
    if (holders) throw positionError('position.in_use', { params: { holders } });
    await this.positions.delete({ id: position.id });
    await this.cache.invalidate(STANDARDS_CACHE);
    await this.audit.record({
      actor,
      action: 'position.delete',
      entityType: 'position',
      entityId: position.id,
      detail: { code: position.code },
    });
  }

  private async checkOrgUnits(codes: string[]): Promise<string[]> {
    const unique = [...new Set(codes)];
    const known = unique.length ? await this.orgUnits.findBy({ code: In(unique) }) : [];
    const unknown = unique.filter((c) => !known.some((u) => u.code === c));
    if (unknown.length)
      throw positionError('position.invalid', {
        variant: 'orgUnits',
        field: 'orgUnitCodes',
        params: { codes: unknown.join(', ') },
      });
    return unique;
  }

  private checkSector(sector: string | null): void {
    if (sector && !this.sectors.some((s) => s.manifest.key === sector))
      throw positionError('position.invalid', {
        variant: 'sector',
        field: 'sector',
        params: { sector },
      });
  }

  /** Positions already named so (case and spacing aside). */
  async namesakes(name: string): Promise<PositionRef[]> {
    const normal = name.trim().replace(/\s+/g, ' ').toLowerCase();
    if (!normal) return [];
    return this.positions
      .createQueryBuilder('p')
      .select(['p.id', 'p.code', 'p.name', 'p.sector'])
      .where('LOWER(TRIM(p.name)) = :normal', { normal })
      .orderBy('p.code', 'ASC')
      .getMany();
  }

  /** The position of this code, for another domain; null when there is none. */
  async refByCode(code: string): Promise<PositionRef | null> {
    return this.positions.findOne({ select: REF, where: { code } });
  }

  /** The ids of the positions of these sectors. */
  async idsInSectors(sectors: readonly string[]): Promise<string[]> {
    if (!sectors.length) return [];
    const rows = await this.positions.find({
      select: { id: true },
      where: { sector: In([...sectors]) },
    });
    return rows.map((p) => p.id);
  }

  /** Every position, in code order, for another domain. */
  refs(): Promise<PositionRef[]> {
    return this.positions.find({ select: REF, order: { code: 'ASC' } });
  }

  async requireByCode(code: string): Promise<Position> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(code);
    const position =
      (uuid && (await this.positions.findOneBy({ id: code }))) ||
      (await this.positions.findOneBy({ code }));
    if (!position) throw positionError('position.not_found', { params: { code } });
    return position;
  }

  async standardOf(positionId: string): Promise<StandardLine[]> {
    return this.cache.get(
      STANDARDS_CACHE,
      positionId,
      async () => (await this.standardsOf([positionId])).get(positionId) ?? [],
    );
  }

  /** The standards of many positions in one query, each sorted by type then code. */
  private async standardsOf(positionIds: string[]): Promise<Map<string, StandardLine[]>> {
    const rows = positionIds.length
      ? await this.requirements.find({
          where: { positionId: In(positionIds) },
          relations: { competency: true },
        })
      : [];
    const result = new Map<string, StandardLine[]>();
    for (const r of rows) {
      const line = {
        competencyCode: r.competency!.code,
        competencyTitle: r.competency!.title,
        type: r.competency!.type,
        sector: r.competency!.sector,
        level: r.requiredLevel,
      };
      result.set(r.positionId, [...(result.get(r.positionId) ?? []), line]);
    }
    for (const lines of result.values())
      lines.sort(
        (a, b) => a.type.localeCompare(b.type) || a.competencyCode.localeCompare(b.competencyCode),
      );
    return result;
  }

  private requireVisible(caller: AuthUser, position: Position): void {
    const sectors = this.access.managedSectors(caller);
    if (sectors && !(position.sector && sectors.includes(position.sector))) {
      throw positionError('position.not_found', { params: { code: position.code } });
    }
  }
}
