import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { GapNeed, GapRecommender, Recommendation } from '../competency/recommendations.js';
import { CertificationScheme } from './certification.entity.js';

/** Recommends active schemes that attest a gap's competency at least at the required level. */
@Injectable()
export class SchemeRecommender implements GapRecommender {
  readonly key = 'schemes';

  constructor(
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
  ) {}

  async recommend(needs: GapNeed[]): Promise<Map<string, Recommendation[]>> {
    const result = new Map<string, Recommendation[]>();
    if (!needs.length) return result;
    const active = await this.schemes.findBy({ status: 'active' });
    for (const need of needs) {
      const code = need.competencyCode;
      result.set(
        need.competencyId,
        active
          .filter((s) => s.attests.some((a) => a.competencyCode === code && a.level >= need.level))
          .map((s) => ({ id: s.id, code: s.code, title: s.title, url: '/sertifikat#skema' })),
      );
    }
    return result;
  }
}
