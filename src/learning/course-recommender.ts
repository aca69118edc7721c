import { Injectable } from '@nestjs/common';
import type { GapNeed, GapRecommender, Recommendation } from '../competency/recommendations.js';
import { CoursesService } from './courses.service.js';

/** Recommends published courses that develop a gap's competency at least to the required level. */
@Injectable()
export class CourseRecommender implements GapRecommender {
  readonly key = 'courses';

  constructor(private readonly courses: CoursesService) {}

  async recommend(needs: GapNeed[]): Promise<Map<string, Recommendation[]>> {
    const result = new Map<string, Recommendation[]>();
    if (!needs.length) return result;
    const catalogue = await this.courses.catalogue();
    for (const need of needs) {
      const code = need.competencyCode;
      const matches = catalogue.filter((c) =>
        c.competencies.some((k) => k.code === code && k.level >= need.level),
      );
      result.set(
        need.competencyId,
        matches.map((c) => ({ id: c.id, code: c.code, title: c.title, url: `/pelatihan/${c.id}` })),
      );
    }
    return result;
  }
}
