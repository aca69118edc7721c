import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors.js';
import { TransactionService } from '../database/transaction.service.js';
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
  /** The code of the unit above; null at the top of the tree. */
  parentCode: string | null;
}

/** A unit as the tree holds it: reports roll figures up along `parentId` (ADR 0040). */
export interface OrgUnitNode {
  id: string;
  code: string;
  name: string;
  active: boolean;
  parentId: string | null;
}

/** The unit at the top of `unitId`'s branch (the unit itself when it has no parent). */
export function rootOf(tree: readonly OrgUnitNode[], unitId: string): string {
  const parent = new Map(tree.map((u) => [u.id, u.parentId]));
  const seen = new Set<string>();
  let id = unitId;
  while (!seen.has(id)) {
    seen.add(id);
    const up = parent.get(id);
    if (!up || !parent.has(up)) return id;
    id = up;
  }
  return id;
}

/** The ids of every unit below `unitId`, however deep; not `unitId` itself. */
export function descendantIds(tree: readonly OrgUnitNode[], unitId: string): string[] {
  const children = new Map<string, string[]>();
  for (const unit of tree)
    if (unit.parentId)
      children.set(unit.parentId, [...(children.get(unit.parentId) ?? []), unit.id]);
  const found: string[] = [];
  const seen = new Set<string>([unitId]);
  const queue = [unitId];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The units in tree order (each parent before its children, by name), with their depth. */
export function treeOrder<T extends OrgUnitNode>(tree: readonly T[]): (T & { depth: number })[] {
  const ids = new Set(tree.map((u) => u.id));
  const byName = [...tree].sort((a, b) => a.name.localeCompare(b.name, 'id'));
  const ordered: (T & { depth: number })[] = [];
  const placed = new Set<string>();
  const visit = (unit: T, depth: number) => {
    if (placed.has(unit.id)) return;
    placed.add(unit.id);
    ordered.push({ ...unit, depth });
    for (const child of byName.filter((u) => u.parentId === unit.id)) visit(child, depth + 1);
  };
  for (const unit of byName) if (!unit.parentId || !ids.has(unit.parentId)) visit(unit, 0);
  // A stored cycle (never made through this service) still shows its units.
  for (const unit of byName) visit(unit, 0);
  return ordered;
}

@Injectable()
export class OrgUnitsService {
  constructor(
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>,
    private readonly audit: AuditService,
    private readonly transactions: TransactionService,
  ) {}

  async list(): Promise<OrgUnitView[]> {
    const units = await this.units.find({ order: { name: 'ASC' } });
    const codeOf = new Map(units.map((u) => [u.id, u.code]));
    return units.map((unit) => ({
      id: unit.id,
      code: unit.code,
      name: unit.name,
      active: unit.active,
      parentCode: (unit.parentId && codeOf.get(unit.parentId)) || null,
    }));
  }

  /** Every unit with its parent: the tree the reports roll up. */
  async unitTree(): Promise<OrgUnitNode[]> {
    return this.units.find({
      select: { id: true, code: true, name: true, active: true, parentId: true },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** The unit at the top of `unitId`'s branch. */
  async rootOf(unitId: string): Promise<string> {
    return rootOf(await this.unitTree(), unitId);
  }

  /** The ids of every unit below `unitId`, however deep (not `unitId` itself). */
  async descendantIds(unitId: string): Promise<string[]> {
    return descendantIds(await this.unitTree(), unitId);
  }

  async create(actor: AuthUser, input: CreateOrgUnitDto): Promise<OrgUnitView> {
    const now = new Date();
    return this.transactions.run(async (manager) => {
      // A new unit has nothing below it: its parent cannot close a cycle.
      const parent = input.parentCode
        ? await this.resolveParent(manager, null, input.parentCode)
        : null;
      const unit = this.units.create({
        code: input.code,
        name: input.name,
        active: true,
        parentId: parent?.id ?? null,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await manager.getRepository(OrgUnit).insert(unit);
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
        detail: { code: unit.code, name: unit.name, parentId: unit.parentId },
      });
      return {
        id: unit.id,
        code: unit.code,
        name: unit.name,
        active: unit.active,
        parentCode: parent?.code ?? null,
      };
    });
  }

  async update(actor: AuthUser, id: string, input: UpdateOrgUnitDto): Promise<OrgUnitView> {
    return this.transactions.run(async (manager) => {
      const repo = manager.getRepository(OrgUnit);
      const unit = await repo.findOneBy({ id });
      if (!unit) throw orgUnitError('org_unit.not_found');
      const changes: Partial<OrgUnit> = {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.active !== undefined && { active: input.active }),
      };
      if (input.parentCode !== undefined) {
        const parent =
          input.parentCode === null || input.parentCode === ''
            ? null
            : await this.resolveParent(manager, id, input.parentCode);
        if ((parent?.id ?? null) !== unit.parentId) changes.parentId = parent?.id ?? null;
      }
      await repo.update({ id }, { ...changes, updatedAt: new Date() });
      await this.audit.record({
        actor,
        action: 'org_unit.update',
        entityType: 'org_unit',
        entityId: id,
        detail: changes as never,
      });
      const parentId = changes.parentId !== undefined ? changes.parentId : unit.parentId;
      const parent = parentId ? await repo.findOneBy({ id: parentId }) : null;
      return {
        id,
        code: unit.code,
        name: changes.name ?? unit.name,
        active: changes.active ?? unit.active,
        parentCode: parent?.code ?? null,
      };
    });
  }

  /** The unit with this code, or a 400 naming `field`. */
  async requireByCode(code: string, field: string): Promise<OrgUnit> {
    const unit = await this.units.findOneBy({ code });
    if (!unit) throw orgUnitError('org_unit.unknown_code', { field, params: { code } });
    return unit;
  }

  /**
   * The unit `code` as the parent of `unitId` (null for a unit not yet created): it must
   * exist and not be `unitId` or below it. On MariaDB the chain is read with row locks, so
   * two moves made at once cannot close a cycle between them.
   */
  private async resolveParent(
    manager: EntityManager,
    unitId: string | null,
    code: string,
  ): Promise<OrgUnit> {
    const repo = manager.getRepository(OrgUnit);
    const lock = manager.connection.options.type !== 'better-sqlite3';
    const read = (where: { code: string } | { id: string }) => {
      const query = repo.createQueryBuilder('o').where(where);
      if (lock) query.setLock('pessimistic_write');
      return query.getOne();
    };
    if (unitId) await read({ id: unitId });
    const parent = await read({ code });
    if (!parent)
      throw orgUnitError('org_unit.unknown_code', { field: 'parentCode', params: { code } });
    const cycle = () =>
      orgUnitError('org_unit.invalid', {
        variant: 'parentCycle',
        field: 'parentCode',
        params: { code },
        details: { reason: 'cycle', code },
      });
    if (parent.id === unitId) throw cycle();
    const seen = new Set<string>([parent.id]);
    let next = parent.parentId;
    while (next && unitId) {
      if (next === unitId) throw cycle();
      if (seen.has(next)) break;
      seen.add(next);
      next = (await read({ id: next }))?.parentId ?? null;
    }
    return parent;
  }
}
