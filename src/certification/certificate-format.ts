import { randomBytes } from 'node:crypto';
import { errorFamily } from '../platform/http/domain-error.js';
import { DEFAULT_TIME_ZONE, formatDate } from '../platform/i18n/local-format.js';
import type { Certificate } from './certification.entity.js';

/* What every part of certification shares about a certificate: its errors, its number and
   code, how it is shown and masked. */

export const certificateError = errorFamily({
  'certificate.not_found': 'not_found',
  'certificate.invalid': 'invalid',
  'certificate.conflict': 'conflict',
  'certificate.throttled': 'too_many',
});

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** 16 base32 characters from 80 random bits: unguessable, easy to type from paper. */
export function verificationCode(bytes = randomBytes(10)): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/**
 * The certificate number from the scheme's format: `{SECTOR}` is the sector's code (KES),
 * never its English key.
 */
export function formatNumber(
  format: string,
  parts: { seq: number; sectorCode: string; scheme: string; year: number },
): string {
  return format
    .replaceAll('{seq}', String(parts.seq).padStart(3, '0'))
    .replaceAll('{SECTOR}', parts.sectorCode.toUpperCase())
    .replaceAll('{SCHEME}', parts.scheme.toUpperCase())
    .replaceAll('{year}', String(parts.year));
}

/** The number as prose writes it; a certificate in its moments before numbering has none yet. */
export function numberText(c: Pick<Certificate, 'number'>): string {
  return c.number ?? '(belum bernomor)';
}

export interface RequirementStatus {
  kind: 'position' | 'course' | 'assessment' | 'approval' | 'rule';
  label: string;
  met: boolean;
  detail?: string;
  /** For `position`: the caller's position and the scheme's targets, codes and names. */
  position?: { yours: PositionRef | null; targets: PositionRef[] };
  /** For `approval`: the assessor's decision so far. */
  approval?: 'none' | 'pending' | 'approved' | 'rejected';
}

export interface PositionRef {
  code: string;
  name: string;
}

/**
 * Where a caller stands with a scheme, for the scheme page and `GET /api/v1/me/schemes`:
 * - `certified`: holds a valid certificate, renewal not due yet;
 * - `renewal_open`: inside the renewal window, the renewal activity not done yet;
 * - `expired`: the certificate lapsed and the window closed: meet the requirements again;
 * - `revoked`: revoked; re-issuing is a decision of the sector's staff;
 * - `position_mismatch`: the caller's position is not one the scheme is for;
 * - `missing`: some requirement is not met yet (listed in `missing`);
 * - `waiting_approval`: everything but the assessor's approval is met;
 * - `eligible`: everything is met; issued automatically (`expectedAt`), or now on "check".
 */
export type SchemeState =
  | 'certified'
  | 'renewal_open'
  | 'expired'
  | 'revoked'
  | 'position_mismatch'
  | 'missing'
  | 'waiting_approval'
  | 'eligible';

/** Expired as soon as the date passes, even before the daily job has marked it. */
export function effectiveStatus(c: Certificate, now: Date) {
  return c.status === 'active' && c.expiresAt && c.expiresAt <= now ? 'expired' : c.status;
}

/** A certificate as the API shows it; `now` decides whether it has expired. */
export function certificateView(c: Certificate, now: Date) {
  return {
    id: c.id,
    // '' only in the moments between issue and numbering (ADR 0041); lists leave those out.
    number: c.number ?? '',
    code: c.code,
    status: effectiveStatus(c, now),
    schemeId: c.schemeId,
    scheme: c.snapshot.schemeTitle,
    schemeCode: c.snapshot.schemeCode,
    sector: c.snapshot.sector,
    holderName: c.holderName,
    holderNip: c.holderNip,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt?.toISOString() ?? null,
    competencies: c.snapshot.competencies,
    renewsId: c.renewsId,
    renewedById: c.renewedById,
    revokedAt: c.revokedAt?.toISOString() ?? null,
    revokedReason: c.revokedReason,
  };
}

export type CertificateView = ReturnType<typeof certificateView>;

/**
 * 28 November 2026, as Indonesian documents write dates, on the calendar of `zone` (the
 * configured TIME_ZONE; WIB when the caller has none).
 */
export function tanggal(date: Date | null, zone = DEFAULT_TIME_ZONE): string {
  return formatDate(date, 'id', zone);
}

export { maskNip } from '../identity/nip.js';
