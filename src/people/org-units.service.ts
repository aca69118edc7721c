import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors.js';
import { AuditService } from '../platform/audit/audit.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import type { CreateOrgUnitDto, UpdateOrgUnitDto } from './people.dto.js';
import { OrgUnit } from '../identity/org-unit.entity.js';

export const orgUnitError = errorFamily({
  'org_unit.not_found': 'not_found',
  'org_unit.duplicate': 'conflict',
  'org_unit.unknown_code': 'invalid',
  'org_unit.invalid': 'invalid',
});

export interface OrgUnitView {
  id: string;
  code: string;
  name: string;
  active: boolean;
}

const view = (unit: OrgUnit): OrgUnitView => ({
  id: unit.id,
  code: unit.code,
  name: unit.name,
  active: unit.active,
});

@Injectable()
export class OrgUnitsService {
  constructor(
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<OrgUnitView[]> {
    return (await this.units.find({ order: { name: 'ASC' } })).map(view);
  }

  async create(actor: AuthUser, input: CreateOrgUnitDto): Promise<OrgUnitView> {
    const now = new Date();
    const unit = this.units.create({
      code: input.code,
      name: input.name,
      active: true,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.units.insert(unit);
    } catch (error) {
      if (isUniqueViolation(error))
        throw orgUnitError('org_unit.duplicate', { field: 'code', params: { code: input.code } });
      throw error;
    }
    await this.audit.record({
      actor,
      action: 'org_unit.create',
      entityType: 'org_unit',
      entityId: unit.id,
      detail: { code: unit.code, name: unit.name },
    });
    return view(unit);
  }

  async update(actor: AuthUser, id: string, input: UpdateOrgUnitDto): Promise<OrgUnitView> {
    const unit = await this.units.findOneBy({ id });
    if (!unit) throw orgUnitError('org_unit.not_found');
    const changes = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.active !== undefined && { active: input.active }),
    };
    Object.assign(unit, changes, { updatedAt: new Date() });
    await this.units.save(unit);
    await this.audit.record({
      actor,
      action: 'org_unit.update',
      entityType: 'org_unit',
      entityId: id,
      detail: changes,
    });
    return view(unit);
  }

  /** The unit with this code, or a 400 naming `field`. */
  async requireByCode(code: string, field: string): Promise<OrgUnit> {
    const unit = await this.units.findOneBy({ code });
    if (!unit) throw orgUnitError('org_unit.unknown_code', { field, params: { code } });
    return unit;
  }
}
