/** A requirement of a position's standard. */
export interface Requirement<C> {
  competency: C & { id: string };
  requiredLevel: number;
}

/** The evidence fields that decide whether it counts today. */
export interface EvidenceLevel {
  competencyId: string;
  level: number;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface GapLine<C> {
  competency: C & { id: string };
  requiredLevel: number;
  /** The highest level proved by evidence valid at `now`; 0 when none. */
  achievedLevel: number;
  /** Required minus achieved, never below zero. */
  gap: number;
  met: boolean;
}

export interface GapSummary {
  required: number;
  met: number;
  /** Share of the standard met, 0–100, rounded; 100 for an empty standard. */
  percentMet: number;
  /** Sum of the level gaps across the standard. */
  totalGap: number;
}

/** Evidence counts while it is neither revoked nor expired (expiry is exclusive). */
export function isValidAt(
  evidence: Pick<EvidenceLevel, 'expiresAt' | 'revokedAt'>,
  now: Date,
): boolean {
  return !evidence.revokedAt && (!evidence.expiresAt || evidence.expiresAt > now);
}

/** The highest valid level per competency. */
export function achievedLevels(evidence: readonly EvidenceLevel[], now: Date): Map<string, number> {
  const best = new Map<string, number>();
  for (const e of evidence) {
    if (!isValidAt(e, now)) continue;
    if (e.level > (best.get(e.competencyId) ?? 0)) best.set(e.competencyId, e.level);
  }
  return best;
}

/** Compares a standard with a person's evidence: one line per requirement, and a summary. */
export function computeGaps<C>(
  requirements: readonly Requirement<C>[],
  evidence: readonly EvidenceLevel[],
  now: Date,
): { lines: GapLine<C>[]; summary: GapSummary } {
  const achieved = achievedLevels(evidence, now);
  const lines = requirements.map((r) => {
    const achievedLevel = achieved.get(r.competency.id) ?? 0;
    const gap = Math.max(0, r.requiredLevel - achievedLevel);
    return {
      competency: r.competency,
      requiredLevel: r.requiredLevel,
      achievedLevel,
      gap,
      met: gap === 0,
    };
  });
  const met = lines.filter((l) => l.met).length;
  return {
    lines,
    summary: {
      required: lines.length,
      met,
      percentMet: lines.length ? Math.round((met / lines.length) * 100) : 100,
      totalGap: lines.reduce((sum, l) => sum + l.gap, 0),
    },
  };
}
