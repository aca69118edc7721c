import { achievedLevels, computeGaps, isValidAt, type EvidenceLevel } from './gap-arithmetic.js';

const now = new Date('2026-11-27T12:00:00Z');
const anEvidence = (overrides: Partial<EvidenceLevel> = {}): EvidenceLevel => ({
  competencyId: 'c1',
  level: 2,
  expiresAt: null,
  revokedAt: null,
  ...overrides,
});
const aRequirement = (id: string, requiredLevel: number) => ({
  competency: { id, code: id.toUpperCase() },
  requiredLevel,
});

describe('gap arithmetic', () => {
  it('ignores expired and revoked evidence; expiry is exclusive', () => {
    expect(isValidAt(anEvidence({ expiresAt: new Date('2026-11-27T12:00:01Z') }), now)).toBe(true);
    expect(isValidAt(anEvidence({ expiresAt: now }), now)).toBe(false);
    expect(isValidAt(anEvidence({ revokedAt: new Date('2026-01-01') }), now)).toBe(false);
  });

  it('takes the highest valid level', () => {
    const levels = achievedLevels(
      [
        anEvidence({ level: 2 }),
        anEvidence({ level: 4, expiresAt: new Date('2026-01-01') }),
        anEvidence({ level: 3 }),
        anEvidence({ competencyId: 'c2', level: 5, revokedAt: now }),
      ],
      now,
    );
    expect(levels.get('c1')).toBe(3);
    expect(levels.has('c2')).toBe(false);
  });

  it('computes each line and the summary', () => {
    const { lines, summary } = computeGaps(
      [aRequirement('c1', 3), aRequirement('c2', 2), aRequirement('c3', 4)],
      [
        anEvidence({ competencyId: 'c1', level: 3 }),
        anEvidence({ competencyId: 'c2', level: 4 }),
        anEvidence({ competencyId: 'c3', level: 1 }),
      ],
      now,
    );
    expect(lines.map((l) => [l.competency.id, l.achievedLevel, l.gap, l.met])).toEqual([
      ['c1', 3, 0, true],
      ['c2', 4, 0, true],
      ['c3', 1, 3, false],
    ]);
    expect(summary).toEqual({ required: 3, met: 2, percentMet: 67, totalGap: 3 });
  });

  it('an empty standard is fully met; no evidence means level 0', () => {
    expect(computeGaps([], [], now).summary).toEqual({
      required: 0,
      met: 0,
      percentMet: 100,
      totalGap: 0,
    });
    expect(computeGaps([aRequirement('c1', 2)], [], now).lines[0]).toEqual(
      expect.objectContaining({ achievedLevel: 0, gap: 2, met: false }),
    );
  });
});
