import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { User } from '../identity/user.entity.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Competency } from './competency.entity.js';
import { Evidence } from './evidence.entity.js';
import { Position, PositionRequirement } from './position.entity.js';

/** One aggregated row: how many requirements the ASN of a group hold, and how far off they are. */
export interface GapGroupRow {
  key: string;
  name: string;
  asn: number;
  requirements: number;
  met: number;
  percentMet: number;
  averageGap: number;
}

export interface HeatmapCell {
  orgUnit: string;
  competency: string;
  requirements: number;
  met: number;
  percentMet: number;
}

export interface Heatmap {
  orgUnits: { code: string; name: string }[];
  competencies: { code: string; title: string }[];
  cells: HeatmapCell[];
}

export type GapDimension = 'org-unit' | 'position' | 'sector';

/** Narrower than the caller's reach: chosen sectors, one org unit, one position. */
export interface GapFilter {
  sectors: string[] | null;
  orgUnitId: string | null;
  positionId: string | null;
}

interface Cell {
  orgUnitId: string | null;
  positionId: string;
  competencyId: string;
  required: number;
  met: number;
  gap: number;
  users: number;
}

const NONE = '(tanpa unit)';

/**
 * Gap reports over the whole workforce. One grouped query does the work in the database
 * (users × their standard × their best valid evidence), so the cost grows with the data, not
 * with a query per user.
 */
@Injectable()
export class GapReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
  ) {}

  async byDimension(
    caller: AuthUser,
    dimension: GapDimension,
    now = new Date(),
  ): Promise<GapGroupRow[]> {
    const [cells, names] = await Promise.all([this.cells(caller, now), this.names()]);
    const groups = new Map<
      string,
      {
        name: string;
        users: Set<string>;
        requirements: number;
        met: number;
        gap: number;
        asn: number;
      }
    >();
    const keyOf = (cell: Cell): [string, string] => {
      if (dimension === 'position')
        return [
          names.positions.get(cell.positionId)?.code ?? cell.positionId,
          names.positions.get(cell.positionId)?.name ?? '',
        ];
      if (dimension === 'sector') {
        const sector = names.positions.get(cell.positionId)?.sector ?? '-';
        return [sector, sector];
      }
      const unit = cell.orgUnitId ? names.units.get(cell.orgUnitId) : undefined;
      return [unit?.code ?? NONE, unit?.name ?? NONE];
    };
    for (const cell of cells) {
      const [key, name] = keyOf(cell);
      const group = groups.get(key) ?? {
        name,
        users: new Set(),
        requirements: 0,
        met: 0,
        gap: 0,
        asn: 0,
      };
      group.requirements += cell.required;
      group.met += cell.met;
      group.gap += cell.gap;
      groups.set(key, group);
    }
    // ASN per group: each (unit, position) pair's users counted once, from the per-pair user counts.
    const pairs = new Map<string, { key: string; users: number }>();
    for (const cell of cells)
      pairs.set(`${cell.orgUnitId}|${cell.positionId}`, { key: keyOf(cell)[0], users: cell.users });
    for (const { key, users } of pairs.values()) groups.get(key)!.asn += users;
    return [...groups.entries()]
      .map(([key, g]) => ({
        key,
        name: g.name,
        asn: g.asn,
        requirements: g.requirements,
        met: g.met,
        percentMet: g.requirements ? Math.round((g.met / g.requirements) * 1000) / 10 : 100,
        averageGap: g.requirements ? Math.round((g.gap / g.requirements) * 100) / 100 : 0,
      }))
      .sort((a, b) => a.percentMet - b.percentMet || a.key.localeCompare(b.key));
  }

  /** Share of ASN meeting each competency's requirement, per org unit. */
  async heatmap(caller: AuthUser, now = new Date(), filter?: GapFilter): Promise<Heatmap> {
    const [cells, names] = await Promise.all([this.cells(caller, now, filter), this.names()]);
    const merged = new Map<string, HeatmapCell>();
    for (const cell of cells) {
      const unit = cell.orgUnitId ? (names.units.get(cell.orgUnitId)?.code ?? NONE) : NONE;
      const competency = names.competencies.get(cell.competencyId)?.code ?? cell.competencyId;
      const key = `${unit}|${competency}`;
      const entry = merged.get(key) ?? {
        orgUnit: unit,
        competency,
        requirements: 0,
        met: 0,
        percentMet: 0,
      };
      entry.requirements += cell.required;
      entry.met += cell.met;
      merged.set(key, entry);
    }
    const result = [...merged.values()].map((c) => ({
      ...c,
      percentMet: Math.round((c.met / c.requirements) * 1000) / 10,
    }));
    const unitCodes = [...new Set(result.map((c) => c.orgUnit))].sort();
    const competencyCodes = [...new Set(result.map((c) => c.competency))].sort();
    const unitByCode = new Map([...names.units.values()].map((u) => [u.code, u.name]));
    const competencyByCode = new Map(
      [...names.competencies.values()].map((c) => [c.code, c.title]),
    );
    return {
      orgUnits: unitCodes.map((code) => ({ code, name: unitByCode.get(code) ?? code })),
      competencies: competencyCodes.map((code) => ({
        code,
        title: competencyByCode.get(code) ?? code,
      })),
      cells: result,
    };
  }

  /** The grouped query: per (org unit, position, competency) how many requirements are met. */
  private async cells(caller: AuthUser, now: Date, filter?: GapFilter): Promise<Cell[]> {
    const best = this.dataSource
      .createQueryBuilder()
      .select('e.userId', 'userId')
      .addSelect('e.competencyId', 'competencyId')
      .addSelect('MAX(e.level)', 'level')
      .from(Evidence, 'e')
      .where('e.revokedAt IS NULL')
      .andWhere('(e.expiresAt IS NULL OR e.expiresAt > :now)', { now })
      .groupBy('e.userId')
      .addGroupBy('e.competencyId');
    const achieved = 'COALESCE(best.level, 0)';
    const query = this.dataSource
      .createQueryBuilder()
      .select('u.orgUnitId', 'orgUnitId')
      .addSelect('u.positionId', 'positionId')
      .addSelect('r.competencyId', 'competencyId')
      .addSelect('COUNT(*)', 'required')
      .addSelect('COUNT(DISTINCT u.id)', 'users')
      .addSelect(`SUM(CASE WHEN ${achieved} >= r.requiredLevel THEN 1 ELSE 0 END)`, 'met')
      .addSelect(
        `SUM(CASE WHEN ${achieved} >= r.requiredLevel THEN 0 ELSE r.requiredLevel - ${achieved} END)`,
        'gap',
      )
      .from(User, 'u')
      .innerJoin(PositionRequirement, 'r', 'r.positionId = u.positionId')
      .leftJoin(
        `(${best.getQuery()})`,
        'best',
        'best.userId = u.id AND best.competencyId = r.competencyId',
      )
      .setParameters(best.getParameters())
      .where('u.active = :active', { active: true })
      .andWhere('u.role = :role', { role: 'asn' })
      .groupBy('u.orgUnitId')
      .addGroupBy('u.positionId')
      .addGroupBy('r.competencyId');
    // A filter's sectors are already held to the caller's (see ReportScopes).
    const sectors = filter ? filter.sectors : this.access.managedSectors(caller);
    if (filter?.orgUnitId)
      query.andWhere('u.orgUnitId = :orgUnitId', { orgUnitId: filter.orgUnitId });
    if (filter?.positionId)
      query.andWhere('u.positionId = :positionId', { positionId: filter.positionId });
    if (sectors) {
      query
        .innerJoin(Position, 'p', 'p.id = u.positionId')
        .andWhere('p.sector IN (:...sectors)', { sectors: sectors.length ? sectors : ['-'] });
    }
    const rows = await query.getRawMany<Record<string, string | number | null>>();
    return rows.map((r) => ({
      orgUnitId: (r.orgUnitId as string | null) ?? null,
      positionId: String(r.positionId),
      competencyId: String(r.competencyId),
      required: Number(r.required),
      met: Number(r.met),
      gap: Number(r.gap),
      users: Number(r.users),
    }));
  }

  private async names() {
    const [units, positions, competencies] = await Promise.all([
      this.dataSource.getRepository(OrgUnit).find({ select: { id: true, code: true, name: true } }),
      this.dataSource
        .getRepository(Position)
        .find({ select: { id: true, code: true, name: true, sector: true } }),
      this.dataSource
        .getRepository(Competency)
        .find({ select: { id: true, code: true, title: true } }),
    ]);
    return {
      units: new Map(units.map((u) => [u.id, u])),
      positions: new Map(positions.map((p) => [p.id, p])),
      competencies: new Map(competencies.map((c) => [c.id, c])),
    };
  }
}
