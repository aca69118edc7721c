import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Repository } from 'typeorm';
import { Certificate, CertificationScheme } from './certification.entity.js';

/** A scheme as a development plan copies it (ADR 0040). */
export interface PlannableScheme {
  id: string;
  code: string;
  title: string;
  sector: string;
  /** Schemes credit no JP. */
  jp: number;
  /** Per participant, in whole rupiah; 0 when the scheme has none. */
  costIdr: number;
  deliveryMode: string | null;
  competencies: { code: string; level: number }[];
}

/** A certificate as a supervisor's team page shows it. */
export interface HeldCertificate {
  number: string;
  scheme: string;
  status: string;
  expiresAt: string | null;
}

const plannable = (s: CertificationScheme): PlannableScheme => ({
  id: s.id,
  code: s.code,
  title: s.title,
  sector: s.sector,
  jp: 0,
  costIdr: s.costIdr ?? 0,
  deliveryMode: s.deliveryMode ?? null,
  competencies: s.attests.map((a) => ({ code: a.competencyCode, level: a.level })),
});

/**
 * What development plans may know of schemes and certificates: active schemes with costs and
 * modes, whether a certificate of a scheme was issued to someone in a year, and the
 * certificates a supervisor's reports hold.
 */
@Injectable()
export class SchemePlanCatalogue {
  constructor(
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
  ) {}

  /** Active schemes, by title. */
  async active(): Promise<PlannableScheme[]> {
    return (await this.schemes.find({ where: { status: 'active' }, order: { title: 'ASC' } })).map(
      plannable,
    );
  }

  /** An active scheme, or null. */
  async activeById(id: string): Promise<PlannableScheme | null> {
    const scheme = await this.schemes.findOneBy({ id, status: 'active' });
    return scheme ? plannable(scheme) : null;
  }

  /** Of these schemes, those of which a certificate (not revoked) was issued to the user in the year. */
  async issuedInYear(
    userId: string,
    schemeIds: readonly string[],
    year: number,
  ): Promise<Map<string, Date>> {
    const issued = new Map<string, Date>();
    if (!schemeIds.length) return issued;
    const rows = await this.certificates.find({
      select: { id: true, schemeId: true, issuedAt: true },
      where: { userId, year, schemeId: In([...schemeIds]), status: Not('revoked') },
      order: { issuedAt: 'ASC' },
    });
    for (const c of rows) if (!issued.has(c.schemeId)) issued.set(c.schemeId, c.issuedAt);
    return issued;
  }

  /** The certificates each user holds (not revoked or renewed), soonest expiry first. */
  async heldBy(userIds: readonly string[], now: Date): Promise<Map<string, HeldCertificate[]>> {
    const result = new Map<string, HeldCertificate[]>(userIds.map((id) => [id, []]));
    if (!userIds.length) return result;
    const rows = await this.certificates.find({
      where: { userId: In([...userIds]), status: In(['active', 'expired']) },
      order: { expiresAt: 'ASC', issuedAt: 'ASC' },
    });
    for (const c of rows)
      result.get(c.userId)?.push({
        number: c.number ?? '',
        scheme: c.snapshot.schemeTitle,
        status:
          c.status === 'active' && c.expiresAt && c.expiresAt.getTime() <= now.getTime()
            ? 'expired'
            : c.status,
        expiresAt: c.expiresAt ? c.expiresAt.toISOString() : null,
      });
    return result;
  }
}
