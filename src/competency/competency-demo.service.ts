import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { User } from '../identity/user.entity.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { CompetenciesService } from './competencies.service.js';
import { Evidence } from './evidence.entity.js';
import { Position } from './position.entity.js';
import { PositionsService } from './positions.service.js';

const SYSTEM: AuthUser = {
  id: 'demo',
  role: 'admin',
  sectors: [],
  name: 'Data demo',
  mustChangePassword: false,
};

/**
 * The demo's holders, on the sector packs' own positions (ADR 0028): a demo of its own
 * positions made a second "Perawat Ahli Pertama" that no scheme targets. The standard here
 * is used only when the pack is not installed (content sync off); the pack's sync then
 * adopts the position by its code and writes the pack's standard.
 */
const DEMO_POSITIONS = [
  {
    code: 'KES-PERAWAT-AP',
    name: 'Perawat Ahli Pertama',
    kind: 'fungsional' as const,
    sector: 'health',
    unit: 'DINKES',
    standard: { 'M.1': 3, 'M.2': 2, 'M.3': 2, 'M.5': 3, 'SK.1': 2 },
    holders: {
      '199003152015032001': { 'M.1': 3, 'M.2': 2, 'M.5': 2 },
      '198807202014031002': { 'M.1': 2 },
    },
  },
  {
    code: 'DIK-GURU-AP',
    name: 'Guru Ahli Pertama',
    kind: 'fungsional' as const,
    sector: 'education',
    unit: 'DISDIK',
    standard: { 'M.1': 3, 'M.3': 3, 'M.6': 2, 'SK.1': 3 },
    holders: {
      '198512102010012003': { 'M.1': 3, 'M.3': 3, 'M.6': 2, 'SK.1': 3 },
      '199106052019031004': { 'M.3': 1 },
    },
  },
  {
    code: 'ADM-PRAKOM-AP',
    name: 'Pranata Komputer Ahli Pertama',
    kind: 'fungsional' as const,
    sector: 'administration-it',
    unit: 'DISKOMINFO',
    standard: { 'M.1': 2, 'M.4': 3, 'M.7': 2, 'SK.1': 2 },
    holders: { '199208172020121005': { 'M.4': 2, 'M.7': 2 }, '198701302011012006': {} },
  },
];

@Injectable()
export class CompetencyDemoService {
  constructor(
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    @InjectRepository(Position) private readonly positionRepo: Repository<Position>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Evidence) private readonly evidence: Repository<Evidence>,
    private readonly competencies: CompetenciesService,
    private readonly positions: PositionsService,
  ) {}

  private running: Promise<void> | null = null;

  /**
   * Once per process, however many callers ask. Run after the packs are installed
   * (`ContentDemoService` orders it), so that the holders land on the pack's positions.
   */
  seed(): Promise<void> {
    this.running ??= this.seedOnce();
    return this.running;
  }

  private async seedOnce(): Promise<void> {
    await this.competencies.onApplicationBootstrap();
    const loaded = new Set(this.sectors.map((s) => s.manifest.key));
    for (const demo of DEMO_POSITIONS.filter((d) => loaded.has(d.sector))) {
      if (!(await this.positionRepo.existsBy({ code: demo.code }))) {
        await this.positions.create(SYSTEM, {
          code: demo.code,
          name: demo.name,
          kind: demo.kind,
          sector: demo.sector,
          orgUnitCodes: [demo.unit],
        });
        await this.positions.setStandard(
          SYSTEM,
          demo.code,
          Object.entries(demo.standard).map(([competencyCode, level]) => ({
            competencyCode,
            level,
          })),
        );
      }
      // Only people without a position yet: a second boot, or an admin's choice, stays.
      const holders = await this.users.find({
        where: { nip: In(Object.keys(demo.holders)), positionId: IsNull() },
      });
      if (!holders.length) continue;
      await this.positions.assign(
        SYSTEM,
        demo.code,
        holders.map((u) => u.nip!),
      );
      const byCode = await this.competencies.requireCodes(
        [...new Set(Object.values(demo.holders).flatMap((levels) => Object.keys(levels)))],
        'demo',
      );
      for (const user of holders) {
        const levels: Record<string, number> =
          demo.holders[user.nip as keyof typeof demo.holders] ?? {};
        for (const [code, level] of Object.entries(levels)) {
          const now = new Date();
          await this.evidence.insert(
            this.evidence.create({
              userId: user.id,
              competencyId: byCode.get(code)!.id,
              level,
              source: 'manual',
              sourceId: null,
              reason: 'Data demo: hasil asesmen kompetensi BKPSDM 2025',
              attachment: null,
              achievedAt: new Date('2025-06-01T00:00:00Z'),
              expiresAt: null,
              revokedAt: null,
              recordedBy: null,
              createdAt: now,
            }),
          );
        }
      }
    }
  }
}
