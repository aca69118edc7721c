import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { wallClock } from '../platform/i18n/local-format.js';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, IsNull, Not, Repository } from 'typeorm';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { SectorsService } from '../registry/sectors.service.js';
import {
  certificateError,
  certificateView,
  type CertificateView,
  effectiveStatus,
  maskNip,
  tanggal,
} from './certificate-format.js';
import {
  Certificate,
  CertificateEvaluationPending,
  CertificationScheme,
} from './certification.entity.js';
import { User } from '../identity/user.entity.js';

export {
  certificateError,
  type CertificateView,
  formatNumber,
  maskNip,
  type RequirementStatus,
  type SchemeState,
  verificationCode,
} from './certificate-format.js';

/** A LIKE pattern matching the text itself: its wildcards are escaped with `!`. */
const likeEscaped = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

/**
 * Certificates as their holders, staff and the public see them: a holder's list, staff
 * search, public verification. Issuing (`CertificateIssuer`), eligibility
 * (`CertificateEligibility`), withdrawal (`CertificateWithdrawal`) and expiry
 * (`CertificateExpiry`) are classes of their own.
 */
@Injectable()
export class CertificatesService implements OnModuleInit {
  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @InjectRepository(CertificateEvaluationPending)
    private readonly pendingEvaluations: Repository<CertificateEvaluationPending>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly sectors: SectorsService,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly assessmentRecords: AssessmentRecords,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // A switched-off sector's active schemes issue nothing until it is on again (ADR 0021).
    this.sectors.contributeImpact(async (sector) => ({
      activeSchemes: await this.schemes.countBy({ sector, status: 'active' }),
    }));
  }

  async mine(caller: AuthUser): Promise<CertificateView[]> {
    const rows = await this.certificates.find({
      // Shown once numbered (ADR 0041): in the same request, unless numbering failed.
      where: { userId: caller.id, seq: Not(IsNull()) },
      order: { issuedAt: 'DESC' },
    });
    return rows.map((c) => this.view(c));
  }

  /** The certificate for its holder, the coordinators of its sector and admins. */
  async get(caller: AuthUser, id: string): Promise<Certificate> {
    const certificate = await this.certificates.findOneBy({ id });
    if (
      !certificate ||
      // Not numbered yet (ADR 0041): staff see it on the pending page, its holder once numbered.
      certificate.seq === null ||
      (certificate.userId !== caller.id &&
        !this.access.canManageSector(caller, certificate.snapshot.sector))
    )
      throw certificateError('certificate.not_found');
    return certificate;
  }

  /** One certificate as staff see it (the revocation page shows it before asking). */
  async staffView(caller: AuthUser, id: string): Promise<CertificateView> {
    return this.view(await this.get(caller, id));
  }

  /** Staff search by number (any part of it), NIP or name, within the caller's sectors. */
  async search(caller: AuthUser, q: string | undefined, limit = 50): Promise<CertificateView[]> {
    const managed = this.access.managedSectors(caller);
    const query = this.certificates
      .createQueryBuilder('c')
      .innerJoin(CertificationScheme, 's', 's.id = c.schemeId')
      // The unnumbered are on the pending page (ADR 0041).
      .where('c.seq IS NOT NULL')
      .orderBy('c.issuedAt', 'DESC')
      .take(Math.min(limit, 200));
    if (managed)
      query.andWhere('s.sector IN (:...sectors)', { sectors: managed.length ? managed : ['-'] });
    const text = q?.trim();
    if (text)
      query.andWhere(
        new Brackets((w) =>
          w
            // People type the part of the number they remember ("002"), not all of it.
            .where("LOWER(c.number) LIKE :part ESCAPE '!'", {
              part: `%${likeEscaped(text.toLowerCase())}%`,
            })
            .orWhere('c.holderNip = :exact', { exact: text })
            .orWhere("LOWER(c.holderName) LIKE :like ESCAPE '!'", {
              like: `%${likeEscaped(text.toLowerCase())}%`,
            }),
        ),
      );
    return (await query.getMany()).map((c) => this.view(c));
  }

  /**
   * What is still pending (ADR 0041): certificates issued but not numbered yet, in the
   * caller's sectors, and (admins only: they are not of one sector) the users whose
   * evaluation failed and waits to run again.
   */
  async pending(caller: AuthUser, limit = 200) {
    const managed = this.access.managedSectors(caller);
    const query = this.certificates
      .createQueryBuilder('c')
      .innerJoinAndSelect('c.scheme', 's')
      .where('c.seq IS NULL')
      .orderBy('c.issuedAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(limit);
    if (managed)
      query.andWhere('s.sector IN (:...sectors)', { sectors: managed.length ? managed : ['-'] });
    const unnumbered = (await query.getMany()).map((c) => ({
      id: c.id,
      scheme: c.scheme!.code,
      userId: c.userId,
      holderName: c.holderName,
      issuedAt: c.issuedAt.toISOString(),
    }));
    const failed = managed
      ? []
      : await this.pendingEvaluations.find({ order: { firstFailedAt: 'ASC' }, take: limit });
    const users = failed.length
      ? await this.users.find({
          select: { id: true, name: true, nip: true },
          where: { id: In(failed.map((f) => f.userId)) },
        })
      : [];
    return {
      unnumbered,
      evaluations: failed.map((f) => {
        const user = users.find((u) => u.id === f.userId);
        return {
          userId: f.userId,
          name: user?.name ?? '',
          nip: user?.nip ?? null,
          tries: f.tries,
          firstFailedAt: f.firstFailedAt.toISOString(),
          lastFailedAt: f.lastFailedAt.toISOString(),
        };
      }),
    };
  }

  /**
   * Public verification by code (the QR) or by the printed number: the same public record
   * (the contract), held to VERIFY_RATE_LIMIT per address. Only the codes of a successor stay
   * out of a lookup by number: a code is the holder's to hand out (ADR 0014).
   */
  async verify(codeOrNumber: string) {
    const text = codeOrNumber.trim();
    // People type from paper: any case, stray spaces around the slashes.
    const compact = text.replace(/\s+/g, '');
    // A certificate not numbered yet is not found (ADR 0041): it is, within moments.
    const numbered = { seq: Not(IsNull()) };
    const certificate = await this.certificates.findOne({
      where: [
        { code: compact.toUpperCase(), ...numbered },
        { number: text },
        { number: compact },
        { number: compact.toUpperCase() },
      ],
    });
    if (!certificate) throw certificateError('certificate.not_found', { variant: 'code' });
    const byNumber = certificate.code !== compact.toUpperCase();
    const status = this.effectiveStatus(certificate);
    // A successor not yet numbered is not shown (nor its code) until it is (ADR 0041).
    const renewedBy = certificate.renewedById
      ? await this.certificates.findOneBy({ id: certificate.renewedById, seq: Not(IsNull()) })
      : null;
    const current = renewedBy ? await this.currentSuccessor(renewedBy) : null;
    const currentStatus = current ? this.effectiveStatus(current) : null;
    const supervision = await this.supervisionOf(certificate);
    return {
      valid: status === 'active',
      status,
      // A renewed certificate's QR still answers the question a verifier asks: the holder is
      // certified under this scheme by the successor named here (and until when).
      ...(current && {
        holderCertified: currentStatus === 'active',
        current: {
          number: current.number ?? '',
          ...(!byNumber && { code: current.code }),
          status: currentStatus,
          valid: currentStatus === 'active',
          issuedAt: current.issuedAt.toISOString(),
          expiresAt: current.expiresAt?.toISOString() ?? null,
        },
      }),
      certificate: {
        number: certificate.number!,
        holderName: certificate.holderName,
        nipMasked: maskNip(certificate.holderNip),
        scheme: certificate.snapshot.schemeTitle,
        sector: certificate.snapshot.sectorName,
        issuedAt: certificate.issuedAt.toISOString(),
        expiresAt: certificate.expiresAt?.toISOString() ?? null,
        competencies: certificate.snapshot.competencies,
        // The public sees that the issuer revoked it and when; the reason stays with staff
        // and the holder (UU PDP 27/2022: it may be about the person).
        ...(certificate.revokedAt && {
          revokedAt: certificate.revokedAt.toISOString(),
          revocation: { category: 'revoked_by_issuer', label: 'Dicabut oleh penerbit' },
        }),
        ...(renewedBy && {
          renewedBy: { number: renewedBy.number ?? '', ...(!byNumber && { code: renewedBy.code }) },
        }),
        ...(supervision && { supervision }),
      },
    };
  }

  /**
   * Whether the exam a certificate rests on was sat under supervision (ujian tersupervisi),
   * and in which session: said when its scheme requires it, or when a pass that counted for
   * it (a required assessment, or the renewal exam of a renewal) was sat in a session before
   * it was issued. Null otherwise. Only the session's time and place: nothing of the holder.
   */
  private async supervisionOf(certificate: Certificate) {
    const scheme = await this.schemes.findOneBy({ id: certificate.schemeId });
    if (!scheme) return null;
    const minimum = new Map<string, number>();
    if (certificate.renewsId && scheme.renewal?.assessmentId)
      minimum.set(scheme.renewal.assessmentId, 0);
    else
      for (const r of scheme.requirements.assessments)
        minimum.set(r.assessmentId, Math.max(minimum.get(r.assessmentId) ?? 0, r.minPercent));
    const passes = (
      await this.assessmentRecords.supervisedPasses(
        certificate.userId,
        [...minimum.keys()],
        certificate.issuedAt,
      )
    ).filter((p) => (p.percent ?? 0) + 1e-9 >= (minimum.get(p.assessmentId) ?? 0));
    // The newest counting pass of each assessment (the list comes newest first).
    const counted = [...minimum.keys()]
      .map((id) => passes.find((p) => p.assessmentId === id))
      .filter((p) => !!p);
    if (!scheme.requiresSupervision && !counted.length) return null;
    const sessions = counted.map((p) => ({
      startsAt: p.session.startsAt.toISOString(),
      endsAt: p.session.endsAt.toISOString(),
      // The day as the city lives it (TIME_ZONE, WIB by default).
      date: wallClock(p.session.startsAt, this.config.timeZone).slice(0, 10),
      dateText: tanggal(p.session.startsAt, this.config.timeZone),
      location: p.session.location,
    }));
    return {
      supervised: counted.length > 0,
      required: !!scheme.requiresSupervision,
      label: 'Ujian tersupervisi',
      text: sessions.length
        ? sessions.map((s) => `Ujian tersupervisi, ${s.dateText}, di ${s.location}`).join('; ')
        : 'Skema mensyaratkan ujian tersupervisi',
      sessions,
    };
  }

  /** The last of a chain of renewals (a few hops at most: one per validity period). */
  private async currentSuccessor(first: Certificate): Promise<Certificate> {
    let current = first;
    for (let hop = 0; current.renewedById && hop < 20; hop++) {
      const next = await this.certificates.findOneBy({ id: current.renewedById });
      if (!next || next.seq === null) break;
      current = next;
    }
    return current;
  }

  view(c: Certificate): CertificateView {
    return certificateView(c, this.clock.now());
  }

  /** Expired as soon as the date passes, even before the daily job has marked it. */
  effectiveStatus(c: Certificate) {
    return effectiveStatus(c, this.clock.now());
  }
}
