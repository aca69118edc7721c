import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import { orgUnitError, OrgUnitsService } from '../../people/org-units.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { OrgUnitBudget } from '../development.entity.js';
import type { BudgetResponse, SetBudgetDto } from './budgets.dto.js';

/**
 * Training budget ceilings per org unit and year (ADR 0040, the agency plan): set by an
 * admin, one per unit and year, each change audited with the old and the new ceiling.
 */
@Injectable()
export class BudgetsService {
  constructor(
    @InjectRepository(OrgUnitBudget) private readonly budgets: Repository<OrgUnitBudget>,
    private readonly units: OrgUnitsService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
  ) {}

  /** Every ceiling of a year, by unit name. */
  async list(year: number): Promise<BudgetResponse[]> {
    const [rows, units] = await Promise.all([
      this.budgets.find({ where: { year } }),
      this.units.list(),
    ]);
    const byId = new Map(units.map((u) => [u.id, u]));
    return rows
      .flatMap((row) => {
        const unit = byId.get(row.orgUnitId);
        return unit ? [view(row, unit)] : [];
      })
      .sort((a, b) => a.orgUnitName.localeCompare(b.orgUnitName));
  }

  /** Sets (or replaces) a unit's ceiling for a year; an unknown unit is a 404. */
  async set(actor: AuthUser, orgUnitId: string, input: SetBudgetDto): Promise<BudgetResponse> {
    const unit = (await this.units.list()).find((u) => u.id === orgUnitId);
    if (!unit) throw orgUnitError('org_unit.not_found', { field: 'id' });
    return this.transactions.run(async (manager) => {
      const repo = manager.getRepository(OrgUnitBudget);
      const now = new Date();
      const existing = await repo.findOne({ where: { orgUnitId, year: input.year } });
      const previous = existing ? Number(existing.ceilingIdr) : null;
      let row: OrgUnitBudget;
      if (existing) {
        existing.ceilingIdr = input.ceilingIdr;
        existing.updatedById = actor.id;
        existing.updatedAt = now;
        row = await repo.save(existing);
      } else {
        row = repo.create({
          orgUnitId,
          year: input.year,
          ceilingIdr: input.ceilingIdr,
          updatedById: actor.id,
          createdAt: now,
          updatedAt: now,
        });
        await repo.save(row);
      }
      await this.audit.record({
        actor,
        action: 'budget.set',
        entityType: 'org_unit',
        entityId: orgUnitId,
        detail: { code: unit.code, year: input.year, ceilingIdr: input.ceilingIdr, previous },
      });
      return view(row, unit);
    });
  }
}

function view(
  row: OrgUnitBudget,
  unit: { id: string; code: string; name: string },
): BudgetResponse {
  return {
    orgUnitId: unit.id,
    orgUnitCode: unit.code,
    orgUnitName: unit.name,
    year: row.year,
    ceilingIdr: Number(row.ceilingIdr),
    updatedAt: row.updatedAt,
  };
}
