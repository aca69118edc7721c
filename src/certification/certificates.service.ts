import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import {
  Brackets,
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThanOrEqual,
  Not,
  Repository,
} from 'typeorm';
import { ATTEMPT_GRADED, type AttemptGraded } from '../assessment/engine/assessment.events.js';
import { Attempt } from '../assessment/engine/assessment.entity.js';
import { Competency } from '../competency/competency.entity.js';
import { Evidence } from '../competency/evidence.entity.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { Course } from '../learning/course.entity.js';
import { Enrollment } from '../learning/enrollment.entity.js';
import { COURSE_COMPLETED, type CourseCompleted } from '../learning/enrollments.service.js';
import { User } from '../people/user.entity.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { EligibilityRuleRegistry } from '../registry/registries.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS, SectorsService } from '../registry/sectors.service.js';
import {
  Certificate,
  CertificateSequence,
  CertificationScheme,
  SchemeApproval,
} from './certification.entity.js';
import { MailOutbox } from './mail-outbox.service.js';
import { StatusLists } from './status-list.js';

export const certificateError = errorFamily({
  'certificate.not_found': 'not_found',
  'certificate.invalid': 'invalid',
  'certificate.conflict': 'conflict',
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

/** The certificate number from the scheme's format. */
export function formatNumber(
  format: string,
  parts: { seq: number; sector: string; scheme: string; year: number },
): string {
  return format
    .replaceAll('{seq}', String(parts.seq).padStart(3, '0'))
    .replaceAll('{SECTOR}', parts.sector.toUpperCase())
    .replaceAll('{SCHEME}', parts.scheme.toUpperCase())
    .replaceAll('{year}', String(parts.year));
}

export function addMonths(date: Date, months: number): Date {
  const out = new Date(date);
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
}

export interface RequirementStatus {
  kind: 'position' | 'course' | 'assessment' | 'approval' | 'rule';
  label: string;
  met: boolean;
  detail?: string;
}

const REMINDER_DAYS = [90, 30, 7] as const;
const DAY = 86_400_000;

export type CertificateView = ReturnType<CertificatesService['view']>;

/**
 * Certificates: evaluates schemes when something relevant happens, issues exactly once with
 * a gapless per-scheme-per-year number, and runs the lifecycle (expiry, reminders,
 * renewal, revocation). Evidence for the attested competencies lives and lapses with it.
 */
@Injectable()
export class CertificatesService {
  private readonly logger = new Logger('Certificates');

  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(CertificateSequence)
    private readonly sequences: Repository<CertificateSequence>,
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @InjectRepository(SchemeApproval) private readonly approvals: Repository<SchemeApproval>,
    @InjectRepository(Enrollment) private readonly enrollments: Repository<Enrollment>,
    @InjectRepository(Course) private readonly courses: Repository<Course>,
    @InjectRepository(Attempt) private readonly attempts: Repository<Attempt>,
    @InjectRepository(Competency) private readonly competencies: Repository<Competency>,
    @InjectRepository(Evidence) private readonly evidence: Repository<Evidence>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
    private readonly sectors: SectorsService,
    private readonly rules: EligibilityRuleRegistry,
    private readonly transactions: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
  ) {}

  @OnEvent(COURSE_COMPLETED, { async: true, promisify: true })
  async onCourseCompleted(event: CourseCompleted): Promise<void> {
    await this.evaluateSafely(event.userId);
  }

  @OnEvent(ATTEMPT_GRADED, { async: true, promisify: true })
  async onAttemptGraded(event: AttemptGraded): Promise<void> {
    if (event.passed) await this.evaluateSafely(event.userId);
  }

  /** Evaluation never fails the action that triggered it; a failure is logged. */
  async evaluateSafely(userId: string): Promise<void> {
    try {
      await this.evaluate(userId);
    } catch (error) {
      this.logger.error({ err: error, userId }, 'Scheme evaluation failed');
    }
  }

  /** Issues every certificate whose requirements the user now meets. */
  async evaluate(userId: string): Promise<CertificateView[]> {
    const issued: CertificateView[] = [];
    for (const scheme of await this.activeSchemes()) {
      const held = await this.latest(scheme.id, userId);
      if (held?.status === 'revoked') continue; // re-issuing after a revocation is a decision, not automatic
      const renewing =
        held && (held.status === 'active' || held.status === 'expired') ? held : null;
      if (renewing) {
        if (!(await this.renewalMet(scheme, renewing, userId))) continue;
      } else if (!(await this.progressOf(scheme, userId)).every((r) => r.met)) continue;
      const certificate = await this.issue(scheme, userId, renewing);
      if (certificate) issued.push(this.view(certificate));
    }
    return issued;
  }

  /**
   * Evaluates again everyone with a trigger (a graded pass, a completed course, an approval)
   * since `since`. A trigger commits in its own transaction and the evaluation follows it:
   * a process killed in between, or a database lost in between, leaves a user who meets a
   * scheme without the certificate, and nothing would evaluate them again. Issuing is
   * idempotent (the unique `issueKey`), so users already served cost a few reads each.
   * @returns how many certificates it issued
   */
  async catchUp(since: Date): Promise<number> {
    const recent = MoreThanOrEqual(since);
    const triggers = await Promise.all([
      this.attempts.find({
        select: { userId: true },
        where: { status: 'graded', passed: true, gradedAt: recent },
      }),
      this.enrollments.find({
        select: { userId: true },
        where: { status: 'completed', completedAt: recent },
      }),
      this.approvals.find({
        select: { userId: true },
        where: { status: 'approved', decidedAt: recent },
      }),
    ]);
    let issued = 0;
    for (const userId of new Set(triggers.flat().map((t) => t.userId))) {
      try {
        issued += (await this.evaluate(userId)).length;
      } catch (error) {
        this.logger.error({ err: error, userId }, 'Scheme evaluation failed');
      }
    }
    if (issued) this.logger.warn(`Issued ${issued} certificate(s) whose evaluation was lost`);
    return issued;
  }

  /** What each requirement of a scheme needs, and whether the user has it. */
  async progressOf(scheme: CertificationScheme, userId: string): Promise<RequirementStatus[]> {
    const out: RequirementStatus[] = [];
    if (scheme.targetPositions.length) {
      const user = await this.users.findOne({
        where: { id: userId },
        relations: { position: true },
      });
      out.push({
        kind: 'position',
        label: `Jabatan: ${scheme.targetPositions.join(', ')}`,
        met: !!user?.position && scheme.targetPositions.includes(user.position.code),
      });
    }
    for (const code of scheme.requirements.courses) {
      const done = await this.completedCourse(userId, code);
      const course = await this.courses.findOne({ where: { code }, order: { version: 'DESC' } });
      out.push({ kind: 'course', label: `Pelatihan: ${course?.title ?? code}`, met: done });
    }
    for (const requirement of scheme.requirements.assessments) {
      const best = await this.attempts
        .createQueryBuilder('a')
        .select('MAX(a.percent)', 'best')
        .where('a.userId = :userId AND a.assessmentId = :id AND a.status = :status', {
          userId,
          id: requirement.assessmentId,
          status: 'graded',
        })
        .getRawOne<{ best: string | null }>();
      const percent = best?.best === null || best?.best === undefined ? null : Number(best.best);
      out.push({
        kind: 'assessment',
        label: `Ujian (minimal ${requirement.minPercent}%)`,
        met: percent !== null && percent + 1e-9 >= requirement.minPercent,
        detail: percent === null ? undefined : `${percent}%`,
      });
    }
    if (scheme.requirements.approval) {
      const approval = await this.approvals.findOneBy({ schemeId: scheme.id, userId });
      out.push({
        kind: 'approval',
        label: 'Uji praktik disetujui asesor',
        // A self-approval (recorded before ADR 0012 closed that door) proves nothing.
        met: approval?.status === 'approved' && approval.decidedBy !== userId,
        detail:
          approval?.status === 'rejected' ? `Ditolak: ${approval.reason ?? ''}` : approval?.status,
      });
    }
    for (const rule of scheme.requirements.rules) {
      const registered = this.rules.get(rule.key);
      const result = registered
        ? await registered.evaluate({ userId, schemeKey: scheme.code, params: rule.params ?? {} })
        : { met: false, detail: 'aturan tidak terpasang' };
      out.push({
        kind: 'rule',
        label: registered?.label.id ?? rule.key,
        met: result.met,
        detail: result.detail,
      });
    }
    return out;
  }

  /**
   * Issues one certificate in one transaction: the next number of the scheme's year (the
   * sequence row is locked until commit, so numbers never repeat or skip), the certificate,
   * its evidence, the predecessor marked renewed, the audit entry, the mail and notification
   * to the holder.
   * @returns null when another evaluation issued it first
   */
  async issue(
    scheme: CertificationScheme,
    userId: string,
    renews: Certificate | null,
  ): Promise<Certificate | null> {
    const now = this.clock.now();
    const year = now.getUTCFullYear();
    await this.ensureSequence(scheme.id, year);
    const user = (await this.users.findOneBy({ id: userId }))!;
    const competencies = await this.competencies.findBy({
      code: In(scheme.attests.map((a) => a.competencyCode).concat('-')),
    });
    const sector = this.loaded.find((s) => s.manifest.key === scheme.sector);
    // A renewal continues the old certificate: its validity starts where the old one ends.
    const start = renews?.expiresAt && renews.expiresAt > now ? renews.expiresAt : now;
    const expiresAt = scheme.validityMonths ? addMonths(start, scheme.validityMonths) : null;
    let certificate: Certificate;
    try {
      certificate = await this.transactions.run(async (manager) => {
        await manager
          .createQueryBuilder()
          .update(CertificateSequence)
          .set({ value: () => 'value + 1' })
          .where('schemeId = :schemeId AND year = :year', { schemeId: scheme.id, year })
          .execute();
        const { value: seq } = (await manager
          .getRepository(CertificateSequence)
          .findOneBy({ schemeId: scheme.id, year }))!;
        const row = manager.getRepository(Certificate).create({
          schemeId: scheme.id,
          userId,
          number: formatNumber(scheme.numberFormat, {
            seq,
            sector: scheme.sector,
            scheme: scheme.code,
            year,
          }),
          year,
          seq,
          code: verificationCode(),
          issueKey: `${scheme.id}:${userId}:${renews?.id ?? 'first'}`,
          status: 'active',
          issuedAt: now,
          expiresAt,
          revokedAt: null,
          revokedReason: null,
          renewsId: renews?.id ?? null,
          renewedById: null,
          holderName: user.name,
          holderNip: user.nip,
          statusIndex: await StatusLists.next(manager),
          snapshot: {
            schemeCode: scheme.code,
            schemeTitle: scheme.title,
            sector: scheme.sector,
            sectorName: sector?.manifest.name.id ?? scheme.sector,
            competencies: scheme.attests.map((a) => ({
              code: a.competencyCode,
              title:
                competencies.find((c) => c.code === a.competencyCode)?.title ?? a.competencyCode,
              level: a.level,
            })),
          },
        });
        await manager.getRepository(Certificate).insert(row);
        const evidence = scheme.attests
          .map((a) => ({ a, competency: competencies.find((c) => c.code === a.competencyCode) }))
          .filter((e) => e.competency)
          .map(({ a, competency }) => ({
            userId,
            competencyId: competency!.id,
            level: a.level,
            source: 'certificate' as const,
            sourceId: row.id,
            reason: `Sertifikat ${row.number}`,
            attachment: null,
            achievedAt: now,
            expiresAt,
            revokedAt: null,
            recordedBy: null,
            createdAt: now,
          }));
        if (evidence.length) await manager.getRepository(Evidence).insert(evidence);
        if (renews)
          await manager
            .getRepository(Certificate)
            .update({ id: renews.id }, { status: 'renewed', renewedById: row.id });
        await this.audit.record(
          {
            actor: null,
            action: 'certificate.issue',
            entityType: 'certificate',
            entityId: row.id,
            detail: { number: row.number, scheme: scheme.code, userId, renews: renews?.id ?? null },
          },
          manager,
        );
        // In the transaction: a process killed right after the commit must not leave a
        // certificate whose holder is never told (the outbox is only sent from the table).
        await this.outbox.enqueue(
          {
            userId,
            kind: 'certificate.issued',
            template: 'certificate-issued',
            dedupeKey: `issued:${row.id}`,
            link: '/sertifikat',
            data: {
              schemeTitle: scheme.title,
              number: row.number,
              code: row.code,
              expiresAt: expiresAt?.toISOString().slice(0, 10),
            },
          },
          manager,
        );
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
    return certificate;
  }

  /** The daily job: expire what ended (evidence lapses with it), remind at 90, 30 and 7 days. */
  async runLifecycle(): Promise<{ expired: number; reminded: number }> {
    const now = this.clock.now();
    const ended = await this.certificates.find({
      where: { status: 'active', expiresAt: LessThanOrEqual(now) },
      relations: { scheme: true },
    });
    let expired = 0;
    for (const certificate of ended) {
      const result = await this.certificates.update(
        { id: certificate.id, status: 'active' },
        { status: 'expired' },
      );
      if (!result.affected) continue;
      expired++;
      await this.outbox.enqueue({
        userId: certificate.userId,
        kind: 'certificate.expired',
        template: 'certificate-expired',
        dedupeKey: `expired:${certificate.id}`,
        link: '/kompetensi',
        data: {
          schemeTitle: certificate.snapshot.schemeTitle,
          number: certificate.number,
          expiresAt: certificate.expiresAt!.toISOString().slice(0, 10),
        },
      });
    }
    let reminded = 0;
    const soon = await this.certificates.find({
      where: {
        status: 'active',
        expiresAt: LessThan(new Date(now.getTime() + REMINDER_DAYS[0] * DAY + 1)),
      },
      relations: { scheme: true },
    });
    for (const certificate of soon) {
      const daysLeft = (certificate.expiresAt!.getTime() - now.getTime()) / DAY;
      // The nearest threshold passed; the dedupe key sends each one once.
      const due = [...REMINDER_DAYS].reverse().find((d) => daysLeft <= d);
      if (!due) continue;
      const renewal = certificate.scheme?.renewal;
      const sent = await this.outbox.enqueue({
        userId: certificate.userId,
        kind: 'certificate.reminder',
        template: 'certificate-reminder',
        dedupeKey: `reminder:${certificate.id}:${due}`,
        link: '/sertifikat',
        data: {
          days: due,
          schemeTitle: certificate.snapshot.schemeTitle,
          number: certificate.number,
          expiresAt: certificate.expiresAt!.toISOString().slice(0, 10),
          renewal: renewal?.courseCode
            ? `pelatihan ${renewal.courseCode}`
            : renewal?.assessmentId
              ? 'ujian perpanjangan'
              : null,
        },
      });
      if (sent) reminded++;
    }
    return { expired, reminded };
  }

  /** An admin revokes: verification says revoked, the evidence is withdrawn, all audited. */
  async revoke(actor: AuthUser, id: string, reason: string): Promise<CertificateView> {
    const certificate = await this.certificates.findOneBy({ id });
    if (!certificate) throw certificateError('certificate.not_found', 'Sertifikat tidak ditemukan');
    if (certificate.status === 'revoked')
      throw certificateError('certificate.conflict', 'Sertifikat sudah dicabut', 'status');
    const now = this.clock.now();
    await this.transactions.run(async (manager) => {
      await manager
        .getRepository(Certificate)
        .update({ id }, { status: 'revoked', revokedAt: now, revokedReason: reason });
      await manager
        .getRepository(Evidence)
        .update({ source: 'certificate', sourceId: id, revokedAt: IsNull() }, { revokedAt: now });
      await this.audit.record(
        {
          actor,
          action: 'certificate.revoke',
          entityType: 'certificate',
          entityId: id,
          detail: { number: certificate.number, reason, before: certificate.status },
        },
        manager,
      );
    });
    await this.outbox.enqueue({
      userId: certificate.userId,
      kind: 'certificate.revoked',
      template: 'certificate-revoked',
      dedupeKey: `revoked:${id}`,
      data: { schemeTitle: certificate.snapshot.schemeTitle, number: certificate.number, reason },
    });
    return this.view((await this.certificates.findOneBy({ id }))!);
  }

  async mine(caller: AuthUser): Promise<CertificateView[]> {
    const rows = await this.certificates.find({
      where: { userId: caller.id },
      order: { issuedAt: 'DESC' },
    });
    return rows.map((c) => this.view(c));
  }

  /** The certificate for its holder, the coordinators of its sector and admins. */
  async get(caller: AuthUser, id: string): Promise<Certificate> {
    const certificate = await this.certificates.findOneBy({ id });
    if (
      !certificate ||
      (certificate.userId !== caller.id &&
        !this.access.canManageSector(caller, certificate.snapshot.sector))
    )
      throw certificateError('certificate.not_found', 'Sertifikat tidak ditemukan');
    return certificate;
  }

  /** Staff search by number, NIP or name, within the caller's sectors. */
  async search(caller: AuthUser, q: string | undefined, limit = 50): Promise<CertificateView[]> {
    const managed = this.access.managedSectors(caller);
    const query = this.certificates
      .createQueryBuilder('c')
      .innerJoin(CertificationScheme, 's', 's.id = c.schemeId')
      .orderBy('c.issuedAt', 'DESC')
      .take(Math.min(limit, 200));
    if (managed)
      query.where('s.sector IN (:...sectors)', { sectors: managed.length ? managed : ['-'] });
    const text = q?.trim();
    if (text)
      query.andWhere(
        new Brackets((w) =>
          w
            .where('c.number = :exact', { exact: text })
            .orWhere('c.holderNip = :exact', { exact: text })
            .orWhere('LOWER(c.holderName) LIKE :like', { like: `%${text.toLowerCase()}%` }),
        ),
      );
    return (await query.getMany()).map((c) => this.view(c));
  }

  /** Public verification by code; the NIP is masked, the revocation reason withheld. */
  async verify(codeOrNumber: string) {
    // The QR carries the code; a person holding the paper may type the printed number.
    const text = codeOrNumber.trim();
    const certificate = await this.certificates.findOne({
      where: [{ code: text.toUpperCase() }, { number: text }],
    });
    if (!certificate)
      throw certificateError('certificate.not_found', 'Kode verifikasi tidak dikenal');
    const status = this.effectiveStatus(certificate);
    const renewedBy = certificate.renewedById
      ? await this.certificates.findOneBy({ id: certificate.renewedById })
      : null;
    return {
      valid: status === 'active',
      status,
      certificate: {
        number: certificate.number,
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
        ...(renewedBy && { renewedBy: { number: renewedBy.number, code: renewedBy.code } }),
      },
    };
  }

  /** Active schemes of enabled sectors, with each user's progress toward them. */
  async schemeProgress(caller: AuthUser) {
    const out = [];
    for (const scheme of await this.activeSchemes()) {
      const requirements = await this.progressOf(scheme, caller.id);
      const held = await this.latest(scheme.id, caller.id);
      out.push({
        id: scheme.id,
        code: scheme.code,
        title: scheme.title,
        sector: scheme.sector,
        requirements,
        met: requirements.every((r) => r.met),
        certificate: held ? this.view(held) : null,
      });
    }
    return out;
  }

  view(c: Certificate) {
    return {
      id: c.id,
      number: c.number,
      code: c.code,
      status: this.effectiveStatus(c),
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

  /** Expired as soon as the date passes, even before the daily job has marked it. */
  effectiveStatus(c: Certificate) {
    return c.status === 'active' && c.expiresAt && c.expiresAt <= this.clock.now()
      ? 'expired'
      : c.status;
  }

  private async renewalMet(
    scheme: CertificationScheme,
    held: Certificate,
    userId: string,
  ): Promise<boolean> {
    const rule = scheme.renewal;
    if (!rule || !held.expiresAt) return false;
    const from = new Date(held.expiresAt.getTime() - rule.windowDays * DAY);
    if (this.clock.now() < from) return false;
    if (rule.courseCode) {
      const done = await this.completedCourse(userId, rule.courseCode, from);
      if (done) return true;
    }
    if (rule.assessmentId)
      return this.attempts.existsBy({
        userId,
        assessmentId: rule.assessmentId,
        status: 'graded',
        passed: true,
        gradedAt: Not(LessThan(from)),
      });
    return false;
  }

  /** Whether the user completed any version of a course (since a date, for renewals). */
  private completedCourse(userId: string, code: string, since?: Date): Promise<boolean> {
    const query = this.enrollments
      .createQueryBuilder('e')
      .innerJoin(Course, 'c', 'c.id = e.courseId')
      .where('e.userId = :userId AND c.code = :code AND e.status = :status', {
        userId,
        code,
        status: 'completed',
      });
    if (since) query.andWhere('e.completedAt >= :since', { since });
    return query.getExists();
  }

  private async activeSchemes(): Promise<CertificationScheme[]> {
    const enabled = await this.sectors.enabledKeys();
    return this.schemes.find({
      where: { status: 'active', sector: In(enabled.length ? enabled : ['-']) },
      order: { code: 'ASC' },
    });
  }

  private latest(schemeId: string, userId: string): Promise<Certificate | null> {
    return this.certificates.findOne({ where: { schemeId, userId }, order: { issuedAt: 'DESC' } });
  }

  /** The sequence row exists before any issuing transaction locks it (no insert races inside). */
  private async ensureSequence(schemeId: string, year: number): Promise<void> {
    if (await this.sequences.existsBy({ schemeId, year })) return;
    try {
      await this.sequences.insert({ schemeId, year, value: 0 });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

/**
 * 199003152015032001 → ********201503****: only the month of appointment (digits 9–14) shows;
 * the birth date (1–8), the gender (15) and the serial are hidden (UU PDP 27/2022). Anything
 * that is not an 18-digit NIP is hidden whole.
 */
export function maskNip(nip: string | null): string | null {
  if (!nip) return null;
  if (!/^\d{18}$/.test(nip)) return '*'.repeat(nip.length);
  return `${'*'.repeat(8)}${nip.slice(8, 14)}${'*'.repeat(4)}`;
}
