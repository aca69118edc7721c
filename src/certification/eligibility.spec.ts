import {
  type HeldCertificate,
  nextCatchUp,
  renewalActivityCounts,
  renewalPhase,
  renewalWindow,
  requalifySince,
  validityOf,
} from './eligibility.js';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

function aCertificate(overrides: Partial<HeldCertificate> = {}): HeldCertificate {
  return {
    status: 'active',
    issuedAt: at('2024-01-10T08:00:00Z'),
    expiresAt: at('2027-01-10T08:00:00Z'),
    ...overrides,
  };
}
const ninetyDays = { windowDays: 90 };

describe('renewal window', () => {
  it('opens windowDays before the expiry and closes windowDays after it', () => {
    expect(renewalWindow(aCertificate(), ninetyDays)).toEqual({
      opensAt: new Date(at('2027-01-10T08:00:00Z').getTime() - 90 * DAY),
      closesAt: new Date(at('2027-01-10T08:00:00Z').getTime() + 90 * DAY),
    });
  });

  it('does not exist for a certificate that never expires or a scheme without renewal', () => {
    expect(renewalWindow(aCertificate({ expiresAt: null }), ninetyDays)).toBeNull();
    expect(renewalWindow(aCertificate(), null)).toBeNull();
  });
});

describe('a renewal activity counts', () => {
  const held = aCertificate();
  const expiry = held.expiresAt!.getTime();

  it('inside the window, before or after the expiry', () => {
    expect(renewalActivityCounts(held, ninetyDays, new Date(expiry - 90 * DAY))).toBe(true);
    expect(renewalActivityCounts(held, ninetyDays, new Date(expiry - DAY))).toBe(true);
    expect(renewalActivityCounts(held, ninetyDays, new Date(expiry + 90 * DAY))).toBe(true);
  });

  it('not before the window opens, nor after it closes', () => {
    expect(renewalActivityCounts(held, ninetyDays, new Date(expiry - 91 * DAY))).toBe(false);
    expect(renewalActivityCounts(held, ninetyDays, new Date(expiry - 90 * DAY - 1))).toBe(false);
    expect(renewalActivityCounts(held, ninetyDays, new Date(expiry + 90 * DAY + 1))).toBe(false);
  });

  it('never when done before (or at) the issue: what earned a certificate does not renew it', () => {
    // The demo case: a certificate issued just now that ends in 20 days, its course done
    // minutes before the issue; the window (90 days) is open, the course is inside it.
    const issuedAt = at('2026-12-02T10:00:00Z');
    const short = aCertificate({ issuedAt, expiresAt: new Date(issuedAt.getTime() + 20 * DAY) });
    expect(renewalActivityCounts(short, ninetyDays, new Date(issuedAt.getTime() - 60_000))).toBe(
      false,
    );
    expect(renewalActivityCounts(short, ninetyDays, issuedAt)).toBe(false);
    expect(renewalActivityCounts(short, ninetyDays, new Date(issuedAt.getTime() + 1))).toBe(true);
  });

  it('never without a renewal rule or an expiry', () => {
    expect(renewalActivityCounts(held, null, new Date(expiry - DAY))).toBe(false);
    expect(
      renewalActivityCounts(aCertificate({ expiresAt: null }), ninetyDays, at('2030-01-01')),
    ).toBe(false);
  });
});

describe('renewal phase', () => {
  const held = aCertificate();
  const expiry = held.expiresAt!.getTime();
  it.each([
    [-91, 'not_due'],
    [-90, 'open'],
    [0, 'open'],
    [90, 'open'],
    [91, 'closed'],
  ])('%i days from the expiry: %s', (days, phase) => {
    expect(renewalPhase(held, ninetyDays, new Date(expiry + days * DAY))).toBe(phase);
  });

  it('without a renewal rule: not due until the expiry, closed after; never without expiry', () => {
    expect(renewalPhase(held, null, new Date(expiry - DAY))).toBe('not_due');
    expect(renewalPhase(held, null, new Date(expiry))).toBe('closed');
    expect(renewalPhase(aCertificate({ expiresAt: null }), ninetyDays, new Date())).toBe('never');
  });
});

describe('certifying again after a lapse', () => {
  it('from the expiry on, for an expired (or not yet marked) certificate', () => {
    const held = aCertificate();
    const after = new Date(held.expiresAt!.getTime() + DAY);
    expect(requalifySince(held, after)).toEqual(held.expiresAt);
    expect(requalifySince({ ...held, status: 'expired' }, after)).toEqual(held.expiresAt);
  });

  it('not while valid, and never for a revoked or renewed one', () => {
    const held = aCertificate();
    expect(requalifySince(held, new Date(held.expiresAt!.getTime() - DAY))).toBeNull();
    const after = new Date(held.expiresAt!.getTime() + DAY);
    expect(requalifySince({ ...held, status: 'revoked' }, after)).toBeNull();
    expect(requalifySince({ ...held, status: 'renewed' }, after)).toBeNull();
    expect(requalifySince(aCertificate({ expiresAt: null }), after)).toBeNull();
  });
});

describe('validity of a new certificate', () => {
  const now = at('2026-12-02T10:00:00Z');
  it('runs from the issue for a first certificate', () => {
    expect(validityOf(now, 36, null)).toEqual({
      validFrom: now,
      expiresAt: at('2029-12-02T10:00:00Z'),
    });
  });

  it('continues an early renewal from the old expiry; a late one from the issue', () => {
    const old = { expiresAt: at('2026-12-22T10:00:00Z') };
    expect(validityOf(now, 36, old).expiresAt).toEqual(at('2029-12-22T10:00:00Z'));
    expect(validityOf(now, 36, { expiresAt: at('2026-11-01T00:00:00Z') }).expiresAt).toEqual(
      at('2029-12-02T10:00:00Z'),
    );
  });

  it('never ends without validity months', () => {
    expect(validityOf(now, null, null).expiresAt).toBeNull();
  });
});

describe('next catch-up', () => {
  it('is minute 23 of this hour or the next', () => {
    expect(nextCatchUp(at('2026-12-02T10:00:00Z'))).toEqual(at('2026-12-02T10:23:00Z'));
    expect(nextCatchUp(at('2026-12-02T10:23:00Z'))).toEqual(at('2026-12-02T11:23:00Z'));
    expect(nextCatchUp(at('2026-12-02T23:40:00Z'))).toEqual(at('2026-12-03T00:23:00Z'));
  });
});
