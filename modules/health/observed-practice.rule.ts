import { Injectable } from '@nestjs/common';
import { EvidenceService } from '../../src/sector-api.js';
import type { EligibilityContext, EligibilityRule } from '../../src/sector-api.js';

/**
 * "Praktik teramati": a clinical skill (basic life support, hand hygiene…) is certified only
 * after an assessor has watched the candidate do it at work and recorded it as manual
 * evidence of the competency at the required level. Params: `competencyCode`, `level`.
 */
@Injectable()
export class ObservedPracticeRule implements EligibilityRule {
  readonly key = 'health.observed-practice';
  readonly label = { id: 'Praktik teramati oleh asesor', en: 'Practice observed by an assessor' };

  constructor(private readonly evidence: EvidenceService) {}

  async evaluate({ userId, params }: EligibilityContext) {
    const code = String(params.competencyCode ?? '');
    const level = Number(params.level ?? 1);
    if (!code) return { met: false, detail: 'aturan tanpa competencyCode' };
    const held = await this.evidence.heldLevel(userId, code, 'manual');
    return held >= level
      ? { met: true, detail: `${code} level ${held} teramati` }
      : { met: false, detail: `perlu catatan praktik teramati ${code} level ${level}` };
  }
}
