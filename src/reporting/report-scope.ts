import { Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Position } from '../competency/position.entity.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { errorFamily } from '../platform/http/domain-error.js';
import {
  DELIMITER_DESCRIPTION,
  DELIMITER_NAMES,
  type DelimiterName,
} from '../platform/http/csv-delimiter.js';

/** An empty form field means "no filter", not an empty value. */
function blankless(value: unknown, convert?: (v: unknown) => unknown): unknown {
  if (value === '' || value === undefined || value === null) return undefined;
  return convert ? convert(value) : value;
}

/** The filters every report and dashboard takes, in the API (`?year=&sector=&orgUnit=&position=`) and on the pages. */
export class ReportFilters {
  @ApiPropertyOptional({ example: 2026, description: 'Calendar year (JP, enrolments, attempts)' })
  @IsOptional()
  @Transform(({ obj }: { obj: Record<string, unknown> }) => blankless(obj.year, Number))
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'Sector key' })
  @IsOptional()
  @Transform(({ obj }: { obj: Record<string, unknown> }) => blankless(obj.sector))
  @IsString()
  @MaxLength(40)
  sector?: string;

  @ApiPropertyOptional({ description: 'Org unit code' })
  @IsOptional()
  @Transform(({ obj }: { obj: Record<string, unknown> }) => blankless(obj.orgUnit))
  @IsString()
  @MaxLength(40)
  orgUnit?: string;

  @ApiPropertyOptional({ description: 'Position code' })
  @IsOptional()
  @Transform(({ obj }: { obj: Record<string, unknown> }) => blankless(obj.position))
  @IsString()
  @MaxLength(40)
  position?: string;
}

/** A report's table: the filters, and JSON, CSV or XLSX (`?format=`, a CSV's `?delimiter=`). */
export class ReportQuery extends ReportFilters {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] })
  @IsOptional()
  @Transform(({ obj }: { obj: Record<string, unknown> }) => blankless(obj.format))
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';

  @ApiPropertyOptional({ enum: DELIMITER_NAMES, description: DELIMITER_DESCRIPTION })
  @IsOptional()
  @IsIn(DELIMITER_NAMES)
  delimiter?: DelimiterName;
}

/** Filters resolved against the caller and the database: what every report query applies. */
export interface ReportScope {
  year: number;
  /** Start (inclusive) and end (exclusive) of the year, UTC. */
  from: Date;
  to: Date;
  now: Date;
  /** Sectors the numbers may come from; null = all (an admin without a sector filter). */
  sectors: string[] | null;
  orgUnitId: string | null;
  positionId: string | null;
  /** The filters as given, echoed in responses and kept in page links. */
  filters: { year: number; sector: string | null; orgUnit: string | null; position: string | null };
}

export const reportError = errorFamily({
  'report.filter': 'invalid',
  'report.sector': 'forbidden',
  'report.not_found': 'not_found',
});

/** Turns a report query into a scope: coordinators are held to their sectors, codes become ids. */
@Injectable()
export class ReportScopes {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly replicas: ReplicaReads,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  async resolve(caller: AuthUser, query: ReportFilters = {}): Promise<ReportScope> {
    const now = this.clock.now();
    const year = query.year ?? now.getUTCFullYear();
    const managed = this.access.managedSectors(caller);
    let sectors = managed;
    if (query.sector) {
      if (managed && !managed.includes(query.sector))
        throw reportError('report.sector', {
          field: 'sector',
          params: { sector: query.sector },
        });
      sectors = [query.sector];
    }
    const orgUnitId = query.orgUnit ? await this.idOf(OrgUnit, query.orgUnit, 'orgUnit') : null;
    const positionId = query.position
      ? await this.idOf(Position, query.position, 'position')
      : null;
    return {
      year,
      from: new Date(Date.UTC(year, 0, 1)),
      to: new Date(Date.UTC(year + 1, 0, 1)),
      now,
      sectors,
      orgUnitId,
      positionId,
      filters: {
        year,
        sector: query.sector ?? null,
        orgUnit: query.orgUnit ?? null,
        position: query.position ?? null,
      },
    };
  }

  /**
   * The choices of the filter form: the caller's sectors, every org unit, their positions.
   * Read from a replica when there is one.
   */
  async options(caller: AuthUser) {
    const sectors = this.access.managedSectors(caller);
    const [units, list] = await this.replicas.run((db) => {
      const positions = db
        .getRepository(Position)
        .createQueryBuilder('p')
        .select(['p.code', 'p.name', 'p.sector'])
        .orderBy('p.name', 'ASC');
      if (sectors)
        positions.where('p.sector IN (:...sectors)', { sectors: sectors.length ? sectors : ['-'] });
      return Promise.all([
        db
          .getRepository(OrgUnit)
          .find({ select: { code: true, name: true }, order: { name: 'ASC' } }),
        positions.getMany(),
      ]);
    });
    return {
      sectors: sectors ?? [...new Set(list.flatMap((p) => (p.sector ? [p.sector] : [])))].sort(),
      orgUnits: units.map((u) => ({ code: u.code, name: u.name })),
      positions: list.map((p) => ({ code: p.code, name: p.name })),
    };
  }

  private async idOf(entity: typeof OrgUnit | typeof Position, code: string, field: string) {
    const row = await this.dataSource
      .getRepository<{ id: string; code: string }>(entity)
      .findOne({ where: { code }, select: { id: true } });
    if (!row) throw reportError('report.filter', { field, params: { code } });
    return row.id;
  }
}
