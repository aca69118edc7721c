import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Brackets, In, LessThan, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import {
  ASSESSMENT_PASS_VOIDED,
  ATTEMPT_GRADED,
  ATTEMPT_OVERRIDDEN,
  type AssessmentPassVoided,
  type AttemptGraded,
  type AttemptOverridden,
} from '../assessment/engine/assessment.events.js';
import {
  EVIDENCE_RECORDED,
  EvidenceService,
  type EvidenceRecorded,
} from '../competency/evidence.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { CompetenciesService } from '../competency/competencies.service.js';
import { PositionsService } from '../competency/positions.service.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { CourseRecords } from '../learning/course-records.js';
import { TransactionService } from '../database/transaction.service.js';
import {
  COURSE_COMPLETED,
  COURSE_REOPENED,
  type CourseCompleted,
  type CourseReopened,
} from '../learning/enrollments.service.js';
import { User } from '../identity/user.entity.js';
import { POSITION_CHANGED, type PositionChanged } from '../people/people.events.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { rateLimit, type RateLimit } from '../platform/redis/rate-limit.js';
import { REDIS } from '../platform/redis/redis.token.js';
import { EligibilityRuleRegistry } from '../registry/registries.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS, SectorsService } from '../registry/sectors.service.js';
import {
  Certificate,
  CertificateSequence,
  CertificationScheme,
  hasRealRequirement,
  SchemeApproval,
} from './certification.entity.js';
import {
  nextCatchUp,
  renewalActivitySpan,
  renewalPhase,
  renewalWindow,
  requalifySince,
  validityOf,
} from './eligibility.js';
import { MailOutbox, type MailMessage } from './mail-outbox.service.js';
import { StatusLists } from './status-list.js';

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

const REMINDER_DAYS = [90, 30, 7] as const;
const DAY = 86_400_000;

export type CertificateView = ReturnType<CertificatesService['view']>;

/**
 * Certificates: evaluates schemes when something relevant happens, issues exactly once with
 * a gapless per-scheme-per-year number, and runs the lifecycle (expiry, reminders,
 * renewal, revocation). Evidence for the attested competencies lives and lapses with it.
 */
@Injectable()
export class CertificatesService implements OnModuleInit {
  private readonly logger = new Logger('Certificates');

  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(CertificateSequence)
    private readonly sequences: Repository<CertificateSequence>,
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @InjectRepository(SchemeApproval) private readonly approvals: Repository<SchemeApproval>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly assessmentRecords: AssessmentRecords,
    private readonly courseRecords: CourseRecords,
    private readonly competencyCatalogue: CompetenciesService,
    private readonly positions: PositionsService,
    private readonly evidenceService: EvidenceService,
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
    private readonly sectors: SectorsService,
    private readonly rules: EligibilityRuleRegistry,
    private readonly transactions: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly statusLists: StatusLists,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) redis: Redis | null,
  ) {
    // Generous for a person, useless for a script: each check evaluates every scheme.
    this.checks = rateLimit(config, redis, 'eligibility-check', 5, 60);
  }

  private readonly checks: RateLimit;

  onModuleInit(): void {
    // A switched-off sector's active schemes issue nothing until it is on again (ADR 0021).
    this.sectors.contributeImpact(async (sector) => ({
      activeSchemes: await this.schemes.countBy({ sector, status: 'active' }),
    }));
  }

  @OnEvent(COURSE_COMPLETED, { async: true, promisify: true })
  async onCourseCompleted(event: CourseCompleted): Promise<void> {
    await this.evaluateSafely(event.userId);
  }

  @OnEvent(ATTEMPT_GRADED, { async: true, promisify: true })
  async onAttemptGraded(event: AttemptGraded): Promise<void> {
    if (event.passed) await this.evaluateSafely(event.userId);
  }

  /**
   * An admin's override of an exam item goes into the history (audit trail) of each of the
   * holder's certificates that may rest on the attempt: from a scheme asking for that exam,
   * issued since the attempt was submitted (ADR 0020).
   */
  @OnEvent(ATTEMPT_OVERRIDDEN, { async: true, promisify: true })
  async onAttemptOverridden(event: AttemptOverridden): Promise<void> {
    const held = await this.certificates.find({ where: { userId: event.userId } });
    if (!held.length) return;
    const schemes = await this.schemes.findBy({
      id: In([...new Set(held.map((c) => c.schemeId))]),
    });
    const resting = held.filter(
      (c) =>
        (!event.submittedAt || c.issuedAt >= event.submittedAt) &&
        schemes
          .find((s) => s.id === c.schemeId)
          ?.requirements.assessments.some((a) => a.assessmentId === event.assessmentId),
    );
    for (const certificate of resting)
      await this.audit.record({
        actor: null,
        action: 'certificate.basis_overridden',
        entityType: 'certificate',
        entityId: certificate.id,
        detail: {
          attemptId: event.attemptId,
          slot: event.slot,
          score: event.score,
          reason: event.reason,
          overriddenBy: event.by,
        },
      });
  }

  /**
   * A regrade voided a pass: every active certificate that rested on it (ADR 0019) is
   * revoked through the same path as an admin's revocation, naming the regrade.
   */
  @OnEvent(ASSESSMENT_PASS_VOIDED, { async: true, promisify: true })
  async onPassVoided(event: AssessmentPassVoided): Promise<void> {
    const actor = await this.users.findOneBy({ id: event.actorId });
    for (const certificate of await this.restingOn(event.userId, { attemptId: event.attemptId }))
      await this.withdraw(
        actor ? { id: actor.id, role: actor.role } : null,
        certificate,
        `Dicabut karena regrade: kelulusan ujian "${event.assessmentTitle}" dibatalkan setelah perbaikan kunci jawaban (nilai baru ${event.percent}%).`,
        { cause: 'regrade', attemptId: event.attemptId, assessmentId: event.assessmentId },
      );
  }

  /** A course completion reopened (its exam's pass voided): certificates resting on it go too. */
  @OnEvent(COURSE_REOPENED, { async: true, promisify: true })
  async onCourseReopened(event: CourseReopened): Promise<void> {
    const actor = event.actorId ? await this.users.findOneBy({ id: event.actorId }) : null;
    for (const certificate of await this.restingOn(event.userId, { courseCode: event.courseCode }))
      await this.withdraw(
        actor ? { id: actor.id, role: actor.role } : null,
        certificate,
        `Dicabut karena regrade: penyelesaian pelatihan "${event.courseTitle}" dibuka kembali (${event.reason}).`,
        { cause: 'regrade', enrollmentId: event.enrollmentId, courseCode: event.courseCode },
      );
  }

  /**
   * The active certificates of a user that rested on a voided exam pass or a reopened course:
   * the scheme (or the renewal rule of the one it renewed) names the exam, directly or as a
   * lesson of a required course, or names the course; and no other pass or completion of it
   * done before that certificate of the chain was issued still stands.
   */
  private async restingOn(
    userId: string,
    basis: { attemptId: string } | { courseCode: string },
  ): Promise<Certificate[]> {
    const active = await this.certificates.find({
      where: { userId, status: 'active' },
      relations: { scheme: true },
    });
    const voided = 'attemptId' in basis ? basis.attemptId : null;
    const exam = voided ? await this.assessmentRecords.assessmentOf(voided) : null;
    const out: Certificate[] = [];
    for (const head of active) {
      for (const link of await this.chainOf(head)) {
        const scheme =
          link.scheme ?? (await this.schemes.findOneBy({ id: link.schemeId })) ?? undefined;
        if (!scheme) continue;
        const renewal = link.renewsId ? scheme.renewal : null;
        const courseCodes = link.renewsId
          ? renewal?.courseCode
            ? [renewal.courseCode]
            : []
          : scheme.requirements.courses;
        let rests = false;
        if (voided && exam) {
          const named = link.renewsId
            ? renewal?.assessmentId
              ? [{ assessmentId: renewal.assessmentId, minPercent: 0 }]
              : []
            : scheme.requirements.assessments;
          const viaLesson = (await this.courseRecords.examsOf(courseCodes)).includes(exam);
          const requirement = named.find((r) => r.assessmentId === exam);
          if (requirement || viaLesson) {
            const others = await this.assessmentRecords.passesUntil(userId, exam, link.issuedAt);
            rests = !others.some(
              (a) => a.id !== voided && (a.percent ?? 0) >= (requirement?.minPercent ?? 0),
            );
          }
        } else if ('courseCode' in basis && courseCodes.includes(basis.courseCode)) {
          rests = !(await this.courseRecords.completed(
            userId,
            basis.courseCode,
            undefined,
            link.issuedAt,
          ));
        }
        if (rests) {
          out.push(head);
          break;
        }
      }
    }
    return out;
  }

  /** A certificate and the ones it renewed, newest first. */
  private async chainOf(head: Certificate): Promise<Certificate[]> {
    const chain = [head];
    let link = head;
    while (link.renewsId && chain.length < 100) {
      const previous = await this.certificates.findOne({
        where: { id: link.renewsId },
        relations: { scheme: true },
      });
      if (!previous) break;
      chain.push(previous);
      link = previous;
    }
    return chain;
  }

  /** Evidence recorded can meet a sector's rule (observed practice…). */
  @OnEvent(EVIDENCE_RECORDED, { async: true, promisify: true })
  async onEvidenceRecorded(event: EvidenceRecorded): Promise<void> {
    await this.evaluateSafely(event.userId);
  }

  /** A position set or corrected (admin edit, import) can make someone eligible at once. */
  @OnEvent(POSITION_CHANGED, { async: true, promisify: true })
  async onPositionChanged(event: PositionChanged): Promise<void> {
    for (const userId of event.userIds) await this.evaluateSafely(userId);
  }

  /** Evaluation never fails the action that triggered it; a failure is logged. */
  async evaluateSafely(userId: string): Promise<void> {
    try {
      await this.evaluate(userId);
    } catch (error) {
      this.logger.error({ err: error, userId }, 'Scheme evaluation failed');
    }
  }

  /**
   * Issues every certificate the user is owed now, and nothing else: a first certificate when
   * every requirement is met; a renewal only from a renewal activity done inside the window
   * and after the held certificate was issued, or, once it expired, from the requirements
   * met again after the expiry. Whatever triggered it, a valid certificate is never re-issued
   * on the strength of what earned it, so running it again (after a crash, for an unrelated
   * course) issues nothing new.
   */
  async evaluate(userId: string): Promise<CertificateView[]> {
    const issued: CertificateView[] = [];
    for (const scheme of await this.activeSchemes()) {
      const owed = await this.owed(scheme, userId);
      if (!owed) continue;
      const certificate = await this.issue(scheme, userId, owed.renews);
      if (certificate) issued.push(this.view(certificate));
    }
    return issued;
  }

  /**
   * "Periksa kelayakan sekarang": evaluates the caller's schemes at once (idempotent: only
   * what is owed is issued, once) and answers with what was issued and where they stand.
   */
  async checkNow(caller: AuthUser) {
    const seconds = await this.checks.hit(caller.id);
    if (seconds !== null) throw certificateError('certificate.throttled', { params: { seconds } });
    const issued = await this.evaluate(caller.id);
    return { issued, schemes: await this.schemeProgress(caller) };
  }

  /** What `evaluate` would issue for one scheme: null, or the certificate it renews (if any). */
  private async owed(
    scheme: CertificationScheme,
    userId: string,
  ): Promise<{ renews: Certificate | null } | null> {
    const held = await this.latest(scheme.id, userId);
    if (!held)
      return (await this.progressOf(scheme, userId)).every((r) => r.met) ? { renews: null } : null;
    // Re-issuing after a revocation is a decision, not automatic; a renewed one has a successor.
    if (held.status !== 'active' && held.status !== 'expired') return null;
    if (await this.renewalActivityDone(scheme, held, userId)) return { renews: held };
    const since = requalifySince(held, this.clock.now());
    if (since && (await this.progressOf(scheme, userId, since)).every((r) => r.met))
      return { renews: held };
    return null;
  }

  /**
   * Evaluates again everyone with a trigger (a graded pass, a completed course, an approval)
   * evidence recorded, a position changed) since `since`. A trigger commits in its own
   * transaction and the evaluation follows it: a process killed in between, or a database
   * lost in between, leaves a user who meets a scheme without the certificate, and nothing
   * would evaluate them again. Evaluating issues only what is owed (see {@link evaluate}) and
   * issuing is idempotent (the unique `issueKey`), so users already served cost a few reads
   * each and a restart re-issues nothing.
   * @returns how many certificates it issued
   */
  async catchUp(since: Date): Promise<number> {
    const recent = MoreThanOrEqual(since);
    const triggers = await Promise.all([
      this.assessmentRecords.passedSince(since),
      this.courseRecords.completedSince(since),
      this.approvals
        .find({ select: { userId: true }, where: { status: 'approved', decidedAt: recent } })
        .then((rows) => rows.map((a) => a.userId)),
      this.evidenceService.manualSince(since),
      // A position corrected by an admin or an import (the user row changes with it).
      this.users
        .find({ select: { id: true }, where: { updatedAt: recent } })
        .then((rows) => rows.map((u) => u.id)),
    ]);
    let issued = 0;
    const userIds = triggers.flat();
    for (const userId of new Set(userIds)) {
      try {
        issued += (await this.evaluate(userId)).length;
      } catch (error) {
        this.logger.error({ err: error, userId }, 'Scheme evaluation failed');
      }
    }
    if (issued) this.logger.warn(`Issued ${issued} certificate(s) whose evaluation was lost`);
    return issued;
  }

  /**
   * What each requirement of a scheme needs, and whether the user has it; with `since`, only
   * courses, passes and approvals from that time on count (certifying again after a lapse).
   */
  async progressOf(
    scheme: CertificationScheme,
    userId: string,
    since?: Date,
  ): Promise<RequirementStatus[]> {
    const out: RequirementStatus[] = [];
    if (scheme.targetPositions.length) {
      const user = await this.users.findOne({
        where: { id: userId },
        relations: { position: true },
      });
      const known = (await this.positions.refs()).filter((p) =>
        scheme.targetPositions.includes(p.code),
      );
      const targets = scheme.targetPositions.map((code) => ({
        code,
        name: known.find((p) => p.code === code)?.name ?? code,
      }));
      const yours = user?.position ? { code: user.position.code, name: user.position.name } : null;
      const met = !!yours && scheme.targetPositions.includes(yours.code);
      const names = targets.map((p) => `${p.name} (${p.code})`).join(', ');
      out.push({
        kind: 'position',
        label: `Jabatan: ${names}`,
        met,
        detail: met
          ? undefined
          : yours
            ? `jabatan Anda ${yours.name} (${yours.code}) tidak termasuk sasaran skema ini`
            : 'jabatan Anda belum diisi',
        position: { yours, targets },
      });
    }
    for (const code of scheme.requirements.courses) {
      const done = await this.courseRecords.completed(userId, code, since);
      const title = await this.courseRecords.titleOf(code);
      out.push({ kind: 'course', label: `Pelatihan: ${title ?? code}`, met: done });
    }
    for (const requirement of scheme.requirements.assessments) {
      const percent = await this.assessmentRecords.bestPercent(
        userId,
        requirement.assessmentId,
        since,
      );
      // The best percent is said only where the assessment's review shows scores now: under
      // a policy that shows nothing, only whether the requirement is met (ADR 0020).
      const shown =
        percent !== null && (await this.assessmentRecords.showsScores(requirement.assessmentId));
      out.push({
        kind: 'assessment',
        label: `Ujian (minimal ${requirement.minPercent}%)`,
        met: percent !== null && percent + 1e-9 >= requirement.minPercent,
        detail: shown ? `${percent}%` : undefined,
      });
    }
    if (scheme.requirements.approval) {
      const approval = await this.approvals.findOneBy({ schemeId: scheme.id, userId });
      const current = approval && !(since && approval.decidedAt && approval.decidedAt < since);
      const status = current ? approval.status : 'none';
      out.push({
        kind: 'approval',
        label: 'Uji praktik disetujui asesor',
        // A self-approval (recorded before ADR 0012 closed that door) proves nothing.
        met: status === 'approved' && approval!.decidedBy !== userId,
        detail:
          status === 'rejected'
            ? `Ditolak: ${approval!.reason ?? ''}`
            : status === 'approved'
              ? undefined
              : 'menunggu keputusan asesor setelah syarat lain terpenuhi',
        approval: status,
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
    // The last guard (ADR 0017): whatever called it, a draft, retired or requirement-less
    // scheme certifies nobody.
    if (scheme.status !== 'active' || !hasRealRequirement(scheme.requirements)) {
      this.logger.warn({ scheme: scheme.code, userId }, 'Refused to issue from an inactive scheme');
      return null;
    }
    const now = this.clock.now();
    const year = now.getUTCFullYear();
    await this.ensureSequence(scheme.id, year);
    const user = (await this.users.findOneBy({ id: userId }))!;
    const competencies = await this.competencyCatalogue.titlesOf(
      scheme.attests.map((a) => a.competencyCode),
    );
    const sector = this.loaded.find((s) => s.manifest.key === scheme.sector);
    // A renewal continues the old certificate: its validity starts where the old one ends.
    const { expiresAt } = validityOf(now, scheme.validityMonths, renews);
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
          statusIndex: await this.statusLists.next(),
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
        const evidence = await this.evidenceService.recordEarned({
          userId,
          source: 'certificate',
          sourceId: row.id,
          reason: `Sertifikat ${row.number}`,
          attests: scheme.attests,
          achievedAt: now,
          expiresAt,
        });
        await this.supersede(scheme, userId, row, renews, evidence, now);
        if (renews)
          await manager
            .getRepository(Certificate)
            .update({ id: renews.id }, { status: 'renewed', renewedById: row.id });
        await this.audit.record({
          actor: null,
          action: 'certificate.issue',
          entityType: 'certificate',
          entityId: row.id,
          detail: { number: row.number, scheme: scheme.code, userId, renews: renews?.id ?? null },
        });
        // In the transaction: a process killed right after the commit must not leave a
        // certificate whose holder is never told (the outbox is only sent from the table).
        await this.outbox.enqueue(this.issuedMessage(row, renews));
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
    return certificate;
  }

  /**
   * The certificate's evidence stands in place of the exam passes behind it and of its
   * predecessor's: those end as superseded (ADR 0019), so that revoking or expiring the
   * certificate leaves no level standing on the same work. Only what the certificate covers
   * (same competency, at least the level) is superseded.
   */
  private async supersede(
    scheme: CertificationScheme,
    userId: string,
    certificate: Certificate,
    renews: Certificate | null,
    evidence: { competencyId: string; level: number }[],
    now: Date,
  ): Promise<void> {
    if (!evidence.length) return;
    const coveredBy = new Map(evidence.map((e) => [e.competencyId, e.level]));
    const courseCodes = renews
      ? scheme.renewal?.courseCode
        ? [scheme.renewal.courseCode]
        : []
      : scheme.requirements.courses;
    const assessmentIds = new Set(
      renews
        ? scheme.renewal?.assessmentId
          ? [scheme.renewal.assessmentId]
          : []
        : scheme.requirements.assessments.map((a) => a.assessmentId),
    );
    for (const exam of await this.courseRecords.examsOf(courseCodes)) assessmentIds.add(exam);
    const passes = await this.assessmentRecords.passIds(userId, [...assessmentIds]);
    await this.evidenceService.end(
      {
        userId,
        source: 'assessment',
        sourceIds: passes,
        reason: 'superseded',
        supersededBy: certificate.id,
        coveredBy,
      },
      now,
    );
    if (renews)
      await this.evidenceService.end(
        {
          userId,
          source: 'certificate',
          sourceIds: [renews.id],
          reason: 'superseded',
          supersededBy: certificate.id,
          coveredBy,
        },
        now,
      );
  }

  /**
   * The "Sertifikat terbit" mail and notification: every date in it is the certificate's own
   * (as printed on it and answered by verification), never recomputed from the scheme.
   */
  issuedMessage(certificate: Certificate, renews: Pick<Certificate, 'number'> | null): MailMessage {
    return {
      userId: certificate.userId,
      kind: 'certificate.issued',
      template: 'certificate-issued',
      dedupeKey: `issued:${certificate.id}`,
      link: '/sertifikat',
      data: {
        schemeTitle: certificate.snapshot.schemeTitle,
        number: certificate.number,
        code: certificate.code,
        issuedAt: certificate.issuedAt.toISOString().slice(0, 10),
        expiresAt: certificate.expiresAt?.toISOString().slice(0, 10),
        renews: renews?.number,
      },
    };
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
      // Its evidence lapsed with it (same expiry); the holder and the admins are told which
      // levels no longer count (ADR 0019).
      const lapsed = await this.evidenceService.ofSource('certificate', certificate.id);
      if (lapsed.length)
        await this.evidenceService.tell(
          certificate.userId,
          lapsed,
          `Sertifikat ${certificate.number} (${certificate.snapshot.schemeTitle}) berakhir pada ${certificate.expiresAt!.toISOString().slice(0, 10)}; tingkat kompetensi yang dibuktikannya tidak lagi dihitung.`,
        );
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
    if (!certificate) throw certificateError('certificate.not_found');
    if (certificate.status === 'revoked')
      throw certificateError('certificate.conflict', { field: 'status' });
    await this.withdraw(actor, certificate, reason, { cause: 'admin' });
    return this.view((await this.certificates.findOneBy({ id }))!);
  }

  /**
   * The one path of a revocation (an admin's, or one a regrade causes): status (and with it
   * the status list), the evidence of the whole renewal chain ended (a renewal continues its
   * predecessor: revoking it leaves nothing of the chain standing; ADR 0019), the audit entry
   * naming the cause, the mail to the holder and the notices to holder and admins.
   * @returns false when it was already revoked
   */
  private async withdraw(
    actor: Pick<AuthUser, 'id' | 'role'> | null,
    certificate: Certificate,
    reason: string,
    cause: Record<string, string>,
  ): Promise<boolean> {
    const now = this.clock.now();
    const chain = await this.chainOf(certificate);
    const done = await this.transactions.run(async (manager) => {
      const { affected } = await manager
        .getRepository(Certificate)
        .update(
          { id: certificate.id, status: In(['active', 'expired', 'renewed']) },
          { status: 'revoked', revokedAt: now, revokedReason: reason },
        );
      if (!affected) return false;
      const ended = await this.evidenceService.end(
        {
          userId: certificate.userId,
          source: 'certificate',
          sourceIds: chain.map((c) => c.id),
          reason: 'certificate_revoked',
          notice: `Sertifikat ${certificate.number} (${certificate.snapshot.schemeTitle}) dicabut. Alasan: ${reason}`,
        },
        now,
      );
      await this.audit.record({
        actor: actor as AuthUser | null,
        action: 'certificate.revoke',
        entityType: 'certificate',
        entityId: certificate.id,
        detail: {
          number: certificate.number,
          reason,
          before: certificate.status,
          ...cause,
          chain: chain.map((c) => c.number),
          evidenceEnded: ended.length,
        },
      });
      await this.outbox.enqueue({
        userId: certificate.userId,
        kind: 'certificate.revoked',
        template: 'certificate-revoked',
        dedupeKey: `revoked:${certificate.id}`,
        data: {
          schemeTitle: certificate.snapshot.schemeTitle,
          number: certificate.number,
          reason,
        },
      });
      return true;
    });
    return done;
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
      throw certificateError('certificate.not_found');
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
    if (!certificate) throw certificateError('certificate.not_found', { variant: 'code' });
    const status = this.effectiveStatus(certificate);
    const renewedBy = certificate.renewedById
      ? await this.certificates.findOneBy({ id: certificate.renewedById })
      : null;
    const current = renewedBy ? await this.currentSuccessor(renewedBy) : null;
    const currentStatus = current ? this.effectiveStatus(current) : null;
    return {
      valid: status === 'active',
      status,
      // A renewed certificate's QR still answers the question a verifier asks: the holder is
      // certified under this scheme by the successor named here (and until when).
      ...(current && {
        holderCertified: currentStatus === 'active',
        current: {
          number: current.number,
          code: current.code,
          status: currentStatus,
          valid: currentStatus === 'active',
          issuedAt: current.issuedAt.toISOString(),
          expiresAt: current.expiresAt?.toISOString() ?? null,
        },
      }),
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

  /** The last of a chain of renewals (a few hops at most: one per validity period). */
  private async currentSuccessor(first: Certificate): Promise<Certificate> {
    let current = first;
    for (let hop = 0; current.renewedById && hop < 20; hop++) {
      const next = await this.certificates.findOneBy({ id: current.renewedById });
      if (!next) break;
      current = next;
    }
    return current;
  }

  /**
   * Active schemes of enabled sectors, with the caller's progress toward each and where they
   * stand (see {@link SchemeState}): which requirement is missing, a position that does not
   * match (both named), an approval awaited, when an automatic issue or a renewal is due.
   */
  async schemeProgress(caller: AuthUser) {
    const out = [];
    const now = this.clock.now();
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
        ...(await this.standing(scheme, requirements, held, caller.id, now)),
      });
    }
    return out;
  }

  private async standing(
    scheme: CertificationScheme,
    requirements: RequirementStatus[],
    held: Certificate | null,
    userId: string,
    now: Date,
  ): Promise<{
    state: SchemeState;
    explanation: string;
    missing: string[];
    issuance: 'automatic' | 'after_approval';
    expectedAt: string | null;
    renewal: { opensAt: string; closesAt: string; activity: string } | null;
  }> {
    const issuance = scheme.requirements.approval ? 'after_approval' : 'automatic';
    const activity = scheme.renewal?.assessmentId
      ? 'lulus ujian perpanjangan'
      : scheme.renewal?.courseCode
        ? `menyelesaikan pelatihan ${scheme.renewal.courseCode}`
        : '';
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const base = { issuance, missing: [] as string[], expectedAt: null, renewal: null } as const;
    if (held && held.status !== 'renewed') {
      const status = this.effectiveStatus(held);
      if (status === 'revoked')
        return {
          ...base,
          state: 'revoked',
          explanation: `Sertifikat ${held.number} dicabut; penerbitan ulang diputuskan oleh pengelola sektor.`,
        };
      const window = renewalWindow(held, scheme.renewal);
      const renewal = window
        ? {
            opensAt: window.opensAt.toISOString(),
            closesAt: window.closesAt.toISOString(),
            activity,
          }
        : null;
      const owed = await this.owed(scheme, userId);
      if (owed)
        return {
          ...base,
          renewal,
          state: 'eligible',
          expectedAt: nextCatchUp(now).toISOString(),
          explanation: `Syarat perpanjangan terpenuhi; sertifikat pengganti terbit otomatis paling lambat ${nextCatchUp(now).toISOString().slice(11, 16)} UTC, atau sekarang dengan "Periksa kelayakan sekarang".`,
        };
      const phase = renewalPhase(held, scheme.renewal, now);
      if (phase === 'open')
        return {
          ...base,
          renewal,
          state: 'renewal_open',
          missing: [activity],
          explanation: `Masa perpanjangan terbuka sampai ${day(window!.closesAt)}: perpanjang dengan ${activity}. Sertifikat pengganti terbit otomatis sesudahnya.`,
        };
      if (status === 'active')
        return {
          ...base,
          renewal,
          state: 'certified',
          explanation: held.expiresAt
            ? `Sertifikat ${held.number} berlaku sampai ${day(held.expiresAt)}.${window ? ` Perpanjangan dibuka ${day(window.opensAt)} dengan ${activity}.` : ''}`
            : `Sertifikat ${held.number} berlaku tanpa batas waktu.`,
        };
      // Expired and the window closed: the requirements again, from the expiry on.
      const since = requalifySince(held, now)!;
      const again = await this.progressOf(scheme, userId, since);
      return {
        ...base,
        renewal,
        state: 'expired',
        missing: again.filter((r) => !r.met).map((r) => r.label),
        explanation: `Sertifikat ${held.number} berakhir ${day(held.expiresAt!)} dan masa perpanjangan sudah lewat: penuhi lagi syarat skema (kegiatan sesudah ${day(since)}).`,
      };
    }
    const position = requirements.find((r) => r.kind === 'position' && !r.met);
    const missing = requirements.filter((r) => !r.met).map((r) => r.label);
    if (position) {
      const { yours, targets } = position.position!;
      const wanted = targets.map((p) => `${p.name} (${p.code})`).join(', ');
      return {
        ...base,
        missing,
        state: 'position_mismatch',
        explanation: yours
          ? `Jabatan Anda ${yours.name} (kode ${yours.code}) tidak termasuk sasaran skema ini: ${wanted}. Bila jabatan Anda sebenarnya salah satunya, minta admin BKPSDM memperbaiki data jabatan Anda; sertifikat terbit otomatis begitu data diperbaiki dan syarat lain terpenuhi.`
          : `Jabatan Anda belum tercatat; skema ini untuk ${wanted}. Minta admin BKPSDM mengisi jabatan Anda.`,
      };
    }
    const others = requirements.filter((r) => r.kind !== 'approval' && !r.met);
    const approval = requirements.find((r) => r.kind === 'approval' && !r.met);
    if (others.length)
      return {
        ...base,
        missing,
        state: 'missing',
        explanation: `Belum terpenuhi: ${others.map((r) => r.label + (r.detail ? ` (${r.detail})` : '')).join('; ')}.${approval ? ' Sesudah itu, uji praktik dinilai asesor.' : ''}`,
      };
    if (approval)
      return {
        ...base,
        missing,
        state: 'waiting_approval',
        explanation:
          approval.approval === 'rejected'
            ? `Uji praktik ditolak asesor: ${approval.detail?.replace(/^Ditolak: /, '') ?? ''}. Hubungi asesor sektor untuk uji ulang.`
            : 'Semua syarat lain terpenuhi; menunggu keputusan asesor atas uji praktik Anda. Sertifikat terbit otomatis begitu disetujui.',
      };
    return {
      ...base,
      state: 'eligible',
      expectedAt: nextCatchUp(now).toISOString(),
      explanation: `Semua syarat terpenuhi; sertifikat terbit otomatis paling lambat ${nextCatchUp(now).toISOString().slice(11, 16)} UTC, atau sekarang dengan "Periksa kelayakan sekarang".`,
    };
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

  /**
   * Whether the scheme's renewal activity (its refresher course or exam) was done inside the
   * renewal window and after `held` was issued (see {@link renewalActivitySpan}).
   */
  private async renewalActivityDone(
    scheme: CertificationScheme,
    held: Certificate,
    userId: string,
  ): Promise<boolean> {
    const rule = scheme.renewal;
    const span = renewalActivitySpan(held, rule);
    if (!rule || !span) return false;
    if (rule.courseCode) {
      const done = await this.courseRecords.completed(
        userId,
        rule.courseCode,
        span.after,
        span.until,
      );
      if (done) return true;
    }
    if (rule.assessmentId)
      return this.assessmentRecords.passedBetween(
        userId,
        rule.assessmentId,
        span.after,
        span.until,
      );
    return false;
  }

  /** Active schemes of enabled sectors; one that somehow lost its requirements is skipped. */
  private async activeSchemes(): Promise<CertificationScheme[]> {
    const enabled = await this.sectors.enabledKeys();
    const rows = await this.schemes.find({
      where: { status: 'active', sector: In(enabled.length ? enabled : ['-']) },
      order: { code: 'ASC' },
    });
    return rows.filter((s) => hasRealRequirement(s.requirements));
  }

  /**
   * Who activating `scheme` would certify at once: everyone who meets all its requirements
   * now and holds none of its certificates (as {@link evaluate} would decide). The candidates
   * are narrowed by the first requirement that names records (a course's completions, an
   * assessment's graded attempts, the scheme's approvals); a scheme of rules alone reads every
   * account. Nobody, for a scheme without a real requirement or of a disabled sector.
   */
  async eligibleNow(scheme: CertificationScheme): Promise<string[]> {
    if (!hasRealRequirement(scheme.requirements)) return [];
    if (!(await this.sectors.enabledKeys()).includes(scheme.sector)) return [];
    const r = scheme.requirements;
    let candidates: string[];
    if (r.courses.length) candidates = await this.courseRecords.completers([r.courses[0]]);
    else if (r.assessments.length)
      candidates = await this.assessmentRecords.gradedUsers(r.assessments[0].assessmentId);
    else if (r.approval)
      candidates = (
        await this.approvals.find({
          select: { userId: true },
          where: { schemeId: scheme.id, status: 'approved' },
        })
      ).map((a) => a.userId);
    else candidates = (await this.users.find({ select: { id: true } })).map((u) => u.id);
    const out: string[] = [];
    for (const userId of [...new Set(candidates)].sort())
      if (await this.owed(scheme, userId)) out.push(userId);
    return out;
  }

  /** Issues what an activated scheme owes each of `userIds` now; answers how many it issued. */
  async issueOnActivation(scheme: CertificationScheme, userIds: string[]): Promise<number> {
    let issued = 0;
    for (const userId of userIds) {
      try {
        const owed = await this.owed(scheme, userId);
        if (owed && (await this.issue(scheme, userId, owed.renews))) issued++;
      } catch (error) {
        // The catch-up evaluates them again at the next trigger or boot.
        this.logger.error({ err: error, userId }, 'Issuing on activation failed');
      }
    }
    return issued;
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
