import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { SchemesService } from '../../certification/schemes.service.js';
import { TransactionService } from '../../database/transaction.service.js';
import { CourseEvaluationFacts } from '../../learning/course-evaluation-facts.js';
import { OrgUnitsService } from '../../people/org-units.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Clock } from '../../platform/clock.js';
import { DomainError, errorFamily } from '../../platform/http/domain-error.js';
import { ProgrammeIndicator } from '../development.entity.js';
import type { CreateIndicatorDto, UpdateIndicatorDto } from './indicators.dto.js';

export const indicatorError = errorFamily({
  'indicator.not_found': 'not_found',
  'indicator.invalid': 'invalid',
});

/** A level-4 indicator as the API and the reports show it. */
export interface IndicatorView {
  id: string;
  orgUnit: { id: string; code: string; name: string };
  year: number;
  name: string;
  unit: string;
  baselineValue: number;
  resultValue: number | null;
  /** Result − baseline, or null before a result is recorded. */
  change: number | null;
  /** Whether the change goes the right way (a fall when lower is better); null without result. */
  improved: boolean | null;
  lowerIsBetter: boolean;
  source: string;
  schemeId: string | null;
  courseId: string | null;
  updatedAt: Date;
}

/** Programme indicators per org unit and year (ADR 0040 level 4), recorded by admins. */
@Injectable()
export class IndicatorsService {
  constructor(
    @InjectRepository(ProgrammeIndicator)
    private readonly indicators: Repository<ProgrammeIndicator>,
    private readonly orgUnits: OrgUnitsService,
    private readonly schemes: SchemesService,
    private readonly courses: CourseEvaluationFacts,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The year's indicators, by org unit and name. */
  async list(year: number): Promise<IndicatorView[]> {
    const rows = await this.indicators.find({ where: { year }, order: { name: 'ASC', id: 'ASC' } });
    const units = new Map((await this.orgUnits.list()).map((u) => [u.id, u]));
    return rows
      .map((row) => this.view(row, units))
      .sort((a, b) => a.orgUnit.name.localeCompare(b.orgUnit.name) || a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<IndicatorView> {
    const row = await this.indicators.findOneBy({ id });
    if (!row) throw indicatorError('indicator.not_found');
    return this.view(row, new Map((await this.orgUnits.list()).map((u) => [u.id, u])));
  }

  async create(actor: AuthUser, input: CreateIndicatorDto): Promise<IndicatorView> {
    const unit = await this.orgUnits.requireByCode(input.orgUnitCode, 'orgUnitCode');
    await this.checkRefs(input);
    const now = this.clock.now();
    const id = randomUUID();
    await this.transactions.run(async () => {
      await this.transactions.repository(ProgrammeIndicator).insert({
        id,
        orgUnitId: unit.id,
        year: input.year,
        name: input.name,
        unit: input.unit,
        baselineValue: input.baselineValue,
        resultValue: input.resultValue ?? null,
        lowerIsBetter: input.lowerIsBetter,
        source: input.source,
        schemeId: input.schemeId ?? null,
        courseId: input.courseId ?? null,
        recordedById: actor.id,
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record({
        actor,
        action: 'indicator.create',
        entityType: 'programme_indicator',
        entityId: id,
        detail: { orgUnitCode: unit.code, year: input.year, name: input.name },
      });
    });
    return this.get(id);
  }

  async update(actor: AuthUser, id: string, input: UpdateIndicatorDto): Promise<IndicatorView> {
    const row = await this.indicators.findOneBy({ id });
    if (!row) throw indicatorError('indicator.not_found');
    const orgUnitId =
      input.orgUnitCode !== undefined
        ? (await this.orgUnits.requireByCode(input.orgUnitCode, 'orgUnitCode')).id
        : row.orgUnitId;
    await this.checkRefs(input);
    const changes: QueryDeepPartialEntity<ProgrammeIndicator> = {
      orgUnitId,
      ...(input.year !== undefined && { year: input.year }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.unit !== undefined && { unit: input.unit }),
      ...(input.baselineValue !== undefined && { baselineValue: input.baselineValue }),
      ...(input.resultValue !== undefined && { resultValue: input.resultValue }),
      ...(input.lowerIsBetter !== undefined && { lowerIsBetter: input.lowerIsBetter }),
      ...(input.source !== undefined && { source: input.source }),
      ...(input.schemeId !== undefined && { schemeId: input.schemeId }),
      ...(input.courseId !== undefined && { courseId: input.courseId }),
      recordedById: actor.id,
      updatedAt: this.clock.now(),
    };
    await this.transactions.run(async () => {
      await this.transactions.repository(ProgrammeIndicator).update({ id }, changes);
      await this.audit.record({
        actor,
        action: 'indicator.update',
        entityType: 'programme_indicator',
        entityId: id,
        detail: { fields: Object.keys(input) },
      });
    });
    return this.get(id);
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    const row = await this.indicators.findOneBy({ id });
    if (!row) throw indicatorError('indicator.not_found');
    await this.transactions.run(async () => {
      await this.transactions.repository(ProgrammeIndicator).delete({ id });
      await this.audit.record({
        actor,
        action: 'indicator.delete',
        entityType: 'programme_indicator',
        entityId: id,
        detail: { year: row.year, name: row.name },
      });
    });
  }

  /** The scheme and course it belongs to must exist (a 400 naming the field). */
  private async checkRefs(input: UpdateIndicatorDto): Promise<void> {
    if (input.courseId && !(await this.courses.byId(input.courseId)))
      throw indicatorError('indicator.invalid', {
        variant: 'course',
        field: 'courseId',
      });
    if (input.schemeId) {
      try {
        await this.schemes.get(input.schemeId);
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'not_found') throw error;
        throw indicatorError('indicator.invalid', { variant: 'scheme', field: 'schemeId' });
      }
    }
  }

  private view(
    row: ProgrammeIndicator,
    units: Map<string, { id: string; code: string; name: string }>,
  ): IndicatorView {
    const unit = units.get(row.orgUnitId);
    const change =
      row.resultValue === null
        ? null
        : Math.round((row.resultValue - row.baselineValue) * 100) / 100;
    return {
      id: row.id,
      orgUnit: { id: row.orgUnitId, code: unit?.code ?? '', name: unit?.name ?? '' },
      year: row.year,
      name: row.name,
      unit: row.unit,
      baselineValue: row.baselineValue,
      resultValue: row.resultValue,
      change,
      improved: change === null ? null : row.lowerIsBetter ? change < 0 : change > 0,
      lowerIsBetter: row.lowerIsBetter,
      source: row.source,
      schemeId: row.schemeId,
      courseId: row.courseId,
      updatedAt: row.updatedAt,
    };
  }
}
