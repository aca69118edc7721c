import type { RenewalRule } from './certification.entity.js';

/**
 * The rules of a certificate's lifecycle that decide, from dates alone, whether something
 * is owed: kept free of the database so that they can be read and tested in one place
 * (see docs/adr/0013-certificate-lifecycle.md).
 */

const DAY = 86_400_000;

/** The part of a held certificate the rules read. */
export interface HeldCertificate {
  status: 'active' | 'expired' | 'revoked' | 'renewed';
  issuedAt: Date;
  expiresAt: Date | null;
}

/**
 * When a certificate may be renewed: from `windowDays` before its expiry until `windowDays`
 * after it (a grace for a holder who finished the refresher a little late). Null for a
 * certificate that never expires or a scheme without a renewal rule.
 */
export function renewalWindow(
  held: Pick<HeldCertificate, 'expiresAt'>,
  rule: Pick<RenewalRule, 'windowDays'> | null,
): { opensAt: Date; closesAt: Date } | null {
  if (!rule || !held.expiresAt) return null;
  const days = Math.max(0, rule.windowDays) * DAY;
  return {
    opensAt: new Date(held.expiresAt.getTime() - days),
    closesAt: new Date(held.expiresAt.getTime() + days),
  };
}

/**
 * The span in which a renewal activity (the refresher course or exam the scheme names) counts
 * for renewing `held`: inside the window and after the certificate was issued, so the course
 * or exam that earned the certificate never renews it, whenever the evaluation runs.
 */
export function renewalActivitySpan(
  held: HeldCertificate,
  rule: Pick<RenewalRule, 'windowDays'> | null,
): { after: Date; until: Date } | null {
  const window = renewalWindow(held, rule);
  if (!window) return null;
  const opens = window.opensAt.getTime();
  // Strictly after the issue: the pass that issued it was graded before it.
  const after = new Date(Math.max(opens - 1, held.issuedAt.getTime()));
  return { after, until: window.closesAt };
}

/** Whether a renewal activity at `at` renews `held` (see {@link renewalActivitySpan}). */
export function renewalActivityCounts(
  held: HeldCertificate,
  rule: Pick<RenewalRule, 'windowDays'> | null,
  at: Date,
): boolean {
  const span = renewalActivitySpan(held, rule);
  return !!span && at > span.after && at <= span.until;
}

/**
 * Whether the holder of an expired certificate may certify again by meeting the scheme's
 * full requirements anew: from its expiry on, with activity done after the expiry only.
 */
export function requalifySince(held: HeldCertificate, now: Date): Date | null {
  if (held.status !== 'expired' && held.status !== 'active') return null;
  if (!held.expiresAt || held.expiresAt > now) return null;
  return held.expiresAt;
}

/** Where the holder stands with a held certificate, for the scheme page. */
export type RenewalPhase = 'not_due' | 'open' | 'closed' | 'never';

export function renewalPhase(
  held: HeldCertificate,
  rule: Pick<RenewalRule, 'windowDays'> | null,
  now: Date,
): RenewalPhase {
  if (!held.expiresAt) return 'never';
  const window = renewalWindow(held, rule);
  if (!window) return now >= held.expiresAt ? 'closed' : 'not_due';
  if (now < window.opensAt) return 'not_due';
  return now <= window.closesAt ? 'open' : 'closed';
}

/**
 * The validity of a new certificate: a renewal before the expiry continues the old one from
 * its end (no day is lost by renewing early); otherwise it runs from the issue.
 */
export function validityOf(
  now: Date,
  validityMonths: number | null,
  renews: Pick<HeldCertificate, 'expiresAt'> | null,
): { validFrom: Date; expiresAt: Date | null } {
  const validFrom = renews?.expiresAt && renews.expiresAt > now ? renews.expiresAt : now;
  if (!validityMonths) return { validFrom, expiresAt: null };
  const expiresAt = new Date(validFrom);
  expiresAt.setUTCMonth(expiresAt.getUTCMonth() + validityMonths);
  return { validFrom, expiresAt };
}

/** The next run of the hourly catch-up (minute 23 of every hour, see the lifecycle job). */
export function nextCatchUp(now: Date): Date {
  const next = new Date(now);
  next.setUTCMinutes(23, 0, 0);
  if (next <= now) next.setUTCHours(next.getUTCHours() + 1);
  return next;
}

/** A graded attempt of a required assessment, as a scheme's requirement reads it. */
export interface GradedAttemptOf {
  percent: number | null;
  /** The supervised session it was sat in; null: unsupervised. */
  sessionId: string | null;
}

/**
 * Where a user stands with one "assessment to pass" of a scheme: the best percent among the
 * attempts that count, whether that meets the minimum, and how many attempts do not count
 * (sat outside a supervised session, for a scheme that requires supervision). Attempts are
 * graded ones only (a voided attempt is none). Whether an uncounted attempt passed is not
 * said: under a review policy that shows nothing, that would tell a score (ADR 0020).
 */
export function assessmentRequirementStanding(
  attempts: readonly GradedAttemptOf[],
  minPercent: number,
  requiresSupervision: boolean,
): { best: number | null; met: boolean; uncounted: number } {
  const meets = (p: number | null): p is number => p !== null && p + 1e-9 >= minPercent;
  const counted = attempts.filter((a) => !requiresSupervision || !!a.sessionId);
  const percents = counted.map((a) => a.percent).filter((p): p is number => p !== null);
  const best = percents.length ? Math.max(...percents) : null;
  return { best, met: meets(best), uncounted: attempts.length - counted.length };
}

/** Whether a pass counts toward a scheme's assessments (see {@link assessmentRequirementStanding}). */
export function passCounts(
  pass: Pick<GradedAttemptOf, 'sessionId'>,
  scheme: { requiresSupervision?: boolean | null },
): boolean {
  return !scheme.requiresSupervision || !!pass.sessionId;
}
