import type { EvidenceService } from '../../src/sector-api.js';
import { ObservedPracticeRule } from './observed-practice.rule.js';

describe('observed practice (health)', () => {
  const levels: Record<string, number> = { 'KES.BHD': 3 };
  const evidence = {
    heldLevel: (_user: string, code: string, source?: string) =>
      Promise.resolve(source === 'manual' ? (levels[code] ?? 0) : 0),
  } as unknown as EvidenceService;
  const rule = new ObservedPracticeRule(evidence);
  const check = (params: Record<string, unknown>) =>
    rule.evaluate({ userId: 'u', schemeKey: 'SK-KES-BHD', params });

  it('is met by manual evidence at the level asked', async () => {
    await expect(check({ competencyCode: 'KES.BHD', level: 3 })).resolves.toMatchObject({
      met: true,
    });
    await expect(check({ competencyCode: 'KES.BHD', level: 4 })).resolves.toMatchObject({
      met: false,
      detail: 'perlu catatan praktik teramati KES.BHD level 4',
    });
    await expect(check({ competencyCode: 'KES.PPI', level: 1 })).resolves.toMatchObject({
      met: false,
    });
    await expect(check({})).resolves.toMatchObject({ met: false });
  });
});
