import { Injectable } from '@nestjs/common';
import { KeyedRegistry } from '../registry/keyed-registry.js';

/** What a gap needs: a competency and the level to reach. */
export interface GapNeed {
  competencyId: string;
  /** The competency's code, as schemes and courses name it (a recommender need not look it up). */
  competencyCode: string;
  level: number;
}

export interface Recommendation {
  id: string;
  code: string;
  title: string;
  url: string;
}

/**
 * A source of recommendations for gaps (`courses` from learning, `schemes` from
 * certification). Each registers itself; the gap analysis asks every registered one.
 */
export interface GapRecommender {
  readonly key: string;
  /** Recommendations per competency id for the given needs. */
  recommend(needs: GapNeed[]): Promise<Map<string, Recommendation[]>>;
}

@Injectable()
export class GapRecommenderRegistry extends KeyedRegistry<GapRecommender> {
  constructor() {
    super('Gap recommender');
  }
}

/** The recommendation lists every gap line carries, even before a recommender exists. */
export const RECOMMENDATION_KINDS = ['courses', 'schemes'] as const;
