import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TransactionService } from '../database/transaction.service.js';
import { type PackImportContext, type PackImporter, checksum } from '../registry/pack-import.js';
import { Competency } from './competency.entity.js';
import { Position, PositionRequirement } from './position.entity.js';

/** A technical competency as a sector's pack (`competencies.json`) states it. */
export interface PackCompetency {
  code: string;
  title: string;
  description: string;
  levels: { level: number; description: string; indicators: string[] }[];
}

/** A position and its standard as a sector's pack (`positions.json`) states them. */
export interface PackPosition {
  code: string;
  name: string;
  kind: 'struktural' | 'fungsional' | 'pelaksana';
  standard: { competencyCode: string; level: number }[];
}

/** Installs a pack's technical competencies (see `PackImporter`). */
@Injectable()
export class CompetencyPackImport implements PackImporter<PackCompetency> {
  readonly kind = 'competency';

  constructor(private readonly transactions: TransactionService) {}

  async write(c: PackCompetency, { sector, now }: PackImportContext, entityId: string | null) {
    const repo = this.transactions.repository(Competency);
    const values = { title: c.title, description: c.description, levels: c.levels, updatedAt: now };
    if (entityId) {
      await repo.update({ id: entityId }, values);
      return entityId;
    }
    const found = await repo.findOneBy({ code: c.code });
    if (found) return found.id; // made by hand before the pack: adopted as it is
    const row = repo.create({ code: c.code, type: 'teknis', sector, createdAt: now, ...values });
    await repo.insert(row);
    return row.id;
  }

  async recordHash(id: string): Promise<string> {
    const c = await this.transactions.repository(Competency).findOneBy({ id });
    return checksum(c && { title: c.title, description: c.description, levels: c.levels });
  }

  /** A competency stays: evidence and standards refer to it. */
  async archive(): Promise<void> {}
}

/** Installs a pack's positions with their standards (see `PackImporter`). */
@Injectable()
export class PositionPackImport implements PackImporter<PackPosition> {
  readonly kind = 'position';

  constructor(private readonly transactions: TransactionService) {}

  async write(p: PackPosition, { sector, now }: PackImportContext, entityId: string | null) {
    const repo = this.transactions.repository(Position);
    let id = entityId ?? (await repo.findOneBy({ code: p.code }))?.id ?? null;
    if (id) await repo.update({ id }, { name: p.name, kind: p.kind, updatedAt: now });
    else {
      const row = repo.create({
        code: p.code,
        name: p.name,
        kind: p.kind,
        sector,
        orgUnitCodes: [],
        createdAt: now,
        updatedAt: now,
      });
      await repo.insert(row);
      id = row.id;
    }
    const codes = p.standard.map((s) => s.competencyCode);
    const ids = new Map(
      (
        await this.transactions
          .repository(Competency)
          .findBy({ code: In(codes.length ? codes : ['-']) })
      ).map((c) => [c.code, c.id]),
    );
    const requirements = this.transactions.repository(PositionRequirement);
    await requirements.delete({ positionId: id });
    await requirements.insert(
      p.standard.map((s) => ({
        positionId: id,
        competencyId: ids.get(s.competencyCode)!,
        requiredLevel: s.level,
      })),
    );
    return id;
  }

  async recordHash(id: string): Promise<string> {
    const p = await this.transactions.repository(Position).findOneBy({ id });
    const standard = await this.transactions
      .repository(PositionRequirement)
      .find({ where: { positionId: id }, order: { competencyId: 'ASC' } });
    return checksum(
      p && {
        name: p.name,
        kind: p.kind,
        standard: standard.map((s) => [s.competencyId, s.requiredLevel]),
      },
    );
  }

  /** A position stays: people hold it. */
  async archive(): Promise<void> {}
}
