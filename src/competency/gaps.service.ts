import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { User } from '../identity/user.entity.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { Competency } from './competency.entity.js';
import { Evidence } from './evidence.entity.js';
import { computeGaps, type GapSummary } from './gap-arithmetic.js';
import { PositionRequirement } from './position.entity.js';
import {
  GapRecommenderRegistry,
  RECOMMENDATION_KINDS,
  type Recommendation,
} from './recommendations.js';

export const gapError = errorFamily({
  'gaps.user_not_found': 'not_found',
  'gaps.forbidden': 'forbidden',
});

export interface GapItem {
  competency: { code: string; title: string; type: string; sector: string | null };
  requiredLevel: number;
  achievedLevel: number;
  gap: number;
  met: boolean;
  recommendations: Record<string, Recommendation[]>;
}

export interface GapReport {
  user: { id: string; name: string; nip: string | null };
  position: { code: string; name: string } | null;
  /** Why there is nothing to compare (no position, or a position without a standard). */
  reason: string | null;
  summary: GapSummary;
  items: GapItem[];
}

/** A user's gaps against the standard of their position, with what would close them. */
@Injectable()
export class GapsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(PositionRequirement)
    private readonly requirements: Repository<PositionRequirement>,
    @InjectRepository(Evidence) private readonly evidence: Repository<Evidence>,
    private readonly recommenders: GapRecommenderRegistry,
    private readonly access: AccessService,
  ) {}

  /** Gaps of `userId` as `caller` may see them: themselves, an admin, or a coordinator of the user's sector. */
  async forUser(caller: AuthUser, userId: string, now = new Date()): Promise<GapReport> {
    const user = await this.users.findOne({ where: { id: userId }, relations: { position: true } });
    if (!user) throw gapError('gaps.user_not_found');
    if (caller.id !== user.id) {
      const sector = user.position?.sector ?? null;
      const allowed =
        caller.role === 'admin' || (sector !== null && this.access.canManageSector(caller, sector));
      if (!allowed) throw gapError('gaps.forbidden');
    }
    return this.report(user, now);
  }

  /**
   * Gaps of a direct report as their supervisor sees them (ADR 0040): anyone else's is not
   * found, as for an id that does not exist.
   */
  async forUserAsSupervisor(
    supervisor: AuthUser,
    userId: string,
    now = new Date(),
  ): Promise<GapReport> {
    const user = await this.users.findOne({ where: { id: userId }, relations: { position: true } });
    if (!user || user.supervisorId !== supervisor.id) throw gapError('gaps.user_not_found');
    return this.report(user, now);
  }

  private async report(user: User, now: Date): Promise<GapReport> {
    const base = {
      user: { id: user.id, name: user.name, nip: user.nip },
      position: user.position ? { code: user.position.code, name: user.position.name } : null,
    };
    const empty = { required: 0, met: 0, percentMet: 100, totalGap: 0 };
    if (!user.position)
      return {
        ...base,
        reason: 'Anda belum memiliki jabatan; hubungi admin BKPSDM untuk menetapkannya.',
        summary: empty,
        items: [],
      };

    const requirements = await this.requirements.find({
      where: { positionId: user.position.id },
      relations: { competency: true },
    });
    if (!requirements.length)
      return {
        ...base,
        reason: 'Standar kompetensi jabatan ini belum ditetapkan.',
        summary: empty,
        items: [],
      };
    const evidence = await this.evidence.find({
      where: { userId: user.id, competencyId: In(requirements.map((r) => r.competencyId)) },
    });
    const { lines, summary } = computeGaps(
      requirements.map((r) => ({
        competency: r.competency as Competency,
        requiredLevel: r.requiredLevel,
      })),
      evidence,
      now,
    );
    const needs = lines
      .filter((l) => !l.met)
      .map((l) => ({
        competencyId: l.competency.id,
        competencyCode: l.competency.code,
        level: l.requiredLevel,
      }));
    const found = new Map<string, Map<string, Recommendation[]>>();
    for (const recommender of this.recommenders.list())
      found.set(recommender.key, needs.length ? await recommender.recommend(needs) : new Map());
    const items = lines
      .map((l) => ({
        competency: {
          code: l.competency.code,
          title: l.competency.title,
          type: l.competency.type,
          sector: l.competency.sector,
        },
        requiredLevel: l.requiredLevel,
        achievedLevel: l.achievedLevel,
        gap: l.gap,
        met: l.met,
        recommendations: Object.fromEntries(
          [...new Set([...RECOMMENDATION_KINDS, ...found.keys()])].map((kind) => [
            kind,
            l.met ? [] : (found.get(kind)?.get(l.competency.id) ?? []),
          ]),
        ),
      }))
      .sort((a, b) => b.gap - a.gap || a.competency.code.localeCompare(b.competency.code));
    return { ...base, reason: null, summary, items };
  }
}
