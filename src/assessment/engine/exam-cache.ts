import { Injectable } from '@nestjs/common';
import { InvalidationBus } from '../../platform/cache/invalidation-bus.js';
import { EVERY_KEY, LocalCache } from '../../platform/cache/local-cache.js';
import type { QuestionVersion } from '../banks/question-bank.entity.js';
import type { Assessment } from './assessment.entity.js';

/** A pool question's current version, with the question's type: what a start draws. */
export type PoolVersion = QuestionVersion & { type: string };

/**
 * What every start and submit of an exam reads and nobody changes during it (ADR 0022): the
 * assessment's row and its draw pools (each section's questions at their current version).
 * The services that write them forget them in every instance: assessments on edit and
 * publication, pools on any question-bank write and when a start marks a version used.
 * Two seconds bound what another writer (a content pack) leaves stale: a start in those
 * seconds sees the exam as it was a moment before, as if it had started a moment earlier.
 * A version still unmarked is read again under its mark by the start that draws it, so
 * what a candidate sees is always what is graded.
 */
@Injectable()
export class ExamCache {
  static readonly TTL_MS = 2_000;
  readonly assessments: LocalCache<Assessment | null>;
  readonly pools: LocalCache<PoolVersion[][]>;

  constructor(bus: InvalidationBus) {
    this.assessments = new LocalCache(bus, 'exam-assessments', ExamCache.TTL_MS);
    this.pools = new LocalCache(bus, 'exam-pools', ExamCache.TTL_MS);
  }

  /** After an assessment's row changed: its settings and its pools. */
  forgetAssessment(id: string): void {
    this.assessments.invalidate(id);
    this.pools.invalidate(id);
  }

  /** After questions changed: every pool, as a bank may feed several exams. */
  forgetPools(): void {
    this.pools.invalidate(EVERY_KEY);
  }

  /** After a content pack wrote assessments and banks directly. */
  forgetAll(): void {
    this.assessments.invalidate(EVERY_KEY);
    this.pools.invalidate(EVERY_KEY);
  }
}
