import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { MoreThanOrEqual, Repository } from 'typeorm';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { ATTEMPT_GRADED, type AttemptGraded } from '../assessment/engine/assessment.events.js';
import { CompetenciesService } from '../competency/competencies.service.js';
import {
  EVIDENCE_RECORDED,
  EvidenceService,
  type EvidenceRecorded,
} from '../competency/evidence.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { wallClock } from '../platform/i18n/local-format.js';
import { isUniqueViolation, isWriteConflict } from '../database/db-errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { User } from '../identity/user.entity.js';
import { CourseRecords } from '../learning/course-records.js';
import { COURSE_COMPLETED, type CourseCompleted } from '../learning/enrollments.service.js';
import { POSITION_CHANGED, type PositionChanged } from '../people/people.events.js';
import { AuditService } from '../platform/audit/audit.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { rateLimit, type RateLimit } from '../platform/redis/rate-limit.js';
import { REDIS } from '../platform/redis/redis.token.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { CertificateEligibility } from './certificate-eligibility.js';
import {
  certificateError,
  certificateView,
  type CertificateView,
  verificationCode,
} from './certificate-format.js';
import { CertificateNumbering } from './certificate-numbering.js';
import {
  Certificate,
  CertificateEvaluationPending,
  CertificationScheme,
  hasRealRequirement,
  SchemeApproval,
} from './certification.entity.js';
import { validityOf } from './eligibility.js';
import type { MailMessage } from './mail-outbox.service.js';

/**
 * Issues certificates: evaluates a user's schemes when something relevant happens (a pass, a
 * completion, evidence, a position), and issues exactly once what is owed; the gapless
 * per-scheme-per-year number follows at once (`CertificateNumbering`, ADR 0041). Catches up
 * on evaluations a crash lost, and keeps every failed evaluation until it succeeds.
 */
@Injectable()
export class CertificateIssuer {
  private readonly logger = new Logger('Certificates');
  private readonly checks: RateLimit;

  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(CertificateEvaluationPending)
    private readonly pendingEvaluations: Repository<CertificateEvaluationPending>,
    @InjectRepository(SchemeApproval) private readonly approvals: Repository<SchemeApproval>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly eligibility: CertificateEligibility,
    private readonly assessmentRecords: AssessmentRecords,
    private readonly courseRecords: CourseRecords,
    private readonly competencyCatalogue: CompetenciesService,
    private readonly evidenceService: EvidenceService,
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly numbering: CertificateNumbering,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis | null,
  ) {
    // Generous for a person, useless for a script: each check evaluates every scheme.
    this.checks = rateLimit(config, redis, 'eligibility-check', 5, 60);
  }

  @OnEvent(COURSE_COMPLETED, { async: true, promisify: true })
  async onCourseCompleted(event: CourseCompleted): Promise<void> {
    await this.evaluateSafely(event.userId);
  }

  @OnEvent(ATTEMPT_GRADED, { async: true, promisify: true })
  async onAttemptGraded(event: AttemptGraded): Promise<void> {
    if (event.passed) await this.evaluateSafely(event.userId);
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

  /**
   * Evaluation never fails the action that triggered it; a failure is logged and kept in
   * `certificate_evaluations_pending`, which the numbering job evaluates again until it
   * succeeds (ADR 0041).
   * @returns whether the evaluation succeeded
   */
  async evaluateSafely(userId: string): Promise<boolean> {
    try {
      await this.evaluate(userId);
      return true;
    } catch (error) {
      this.logger.error({ err: error, userId }, 'Scheme evaluation failed');
      await this.recordFailure(userId, error);
      return false;
    }
  }

  /**
   * Evaluates again the users whose evaluation failed; a success removes them from the list.
   * @returns how many succeeded
   */
  async retryFailed(limit = 100): Promise<number> {
    const rows = await this.pendingEvaluations.find({
      order: { lastFailedAt: 'ASC' },
      take: limit * 5,
    });
    const now = this.clock.now().getTime();
    let done = 0;
    for (const row of rows.filter((r) => now >= retryDueAt(r)).slice(0, limit))
      if (await this.evaluateSafely(row.userId)) done++;
    return done;
  }

  /** One more failure of the user's evaluation, kept (never throws: it is the last resort). */
  private async recordFailure(userId: string, error: unknown, retried = false): Promise<void> {
    const now = this.clock.now();
    const lastError = String(
      error instanceof Error ? `${error.name}: ${error.message}` : error,
    ).slice(0, 500);
    try {
      const updated = await this.pendingEvaluations
        .createQueryBuilder()
        .update(CertificateEvaluationPending)
        .set({ tries: () => 'tries + 1', lastFailedAt: now, lastError })
        .where('userId = :userId', { userId })
        .execute();
      if (updated.affected) return;
      await this.pendingEvaluations.insert({
        userId,
        firstFailedAt: now,
        lastFailedAt: now,
        tries: 1,
        lastError,
      });
    } catch (failure) {
      // Another instance recorded this user first (on a cluster: a conflict at commit).
      if (isWriteConflict(failure) && !retried) return this.recordFailure(userId, error, true);
      this.logger.error({ err: failure, userId }, 'Could not keep the failed evaluation');
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
    for (const scheme of await this.eligibility.activeSchemes()) {
      const owed = await this.eligibility.owed(scheme, userId);
      if (!owed) continue;
      const certificate = await this.issue(scheme, userId, owed.renews);
      // One whose numbering failed is shown once the job has numbered it.
      if (certificate?.number) issued.push(certificateView(certificate, this.clock.now()));
    }
    // A success clears an earlier failure (a delete of nothing writes nothing).
    await this.pendingEvaluations.delete({ userId });
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
    return { issued, schemes: await this.eligibility.schemeProgress(caller) };
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
        await this.recordFailure(userId, error);
      }
    }
    if (issued) this.logger.warn(`Issued ${issued} certificate(s) whose evaluation was lost`);
    return issued;
  }

  /**
   * Issues one certificate in one transaction that touches no shared row (ADR 0041): the
   * certificate without a number, its evidence, the predecessor marked renewed, the audit
   * entry. Right after the commit it is numbered (`CertificateNumbering`: the next number of
   * the scheme's year, its status place, the mail and notification to the holder); if that
   * fails, the numbering job numbers it within a minute.
   * @returns the certificate as it stands after numbering (`number` null only when numbering
   *   failed), or null when another evaluation issued it first
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
    // The year printed in the number is the city's: 01.30 WIB on 1 January is the new year.
    const year = Number(wallClock(now, this.config.timeZone).slice(0, 4));
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
        const row = manager.getRepository(Certificate).create({
          schemeId: scheme.id,
          userId,
          // Numbered right after the commit (CertificateNumbering).
          number: null,
          year,
          seq: null,
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
          statusIndex: null,
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
          // The number is written in when it is numbered (CertificateNumbering).
          reason: `Sertifikat ${scheme.code}`,
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
          detail: { scheme: scheme.code, userId, renews: renews?.id ?? null },
        });
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
    try {
      await this.numbering.number(scheme.id, year);
    } catch (error) {
      // Issued all the same: the numbering job numbers it (and mails the holder) shortly.
      this.logger.error(
        { err: error, scheme: scheme.code, certificateId: certificate.id },
        'Numbering the issued certificate failed; the numbering job will number it',
      );
      return certificate;
    }
    return (await this.certificates.findOneBy({ id: certificate.id })) ?? certificate;
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

  /** The "Sertifikat terbit" mail (see {@link CertificateNumbering.issuedMessage}). */
  issuedMessage(certificate: Certificate, renews: Pick<Certificate, 'number'> | null): MailMessage {
    return this.numbering.issuedMessage(certificate, renews);
  }

  /** Issues what an activated scheme owes each of `userIds` now; answers how many it issued. */
  async issueOnActivation(scheme: CertificationScheme, userIds: string[]): Promise<number> {
    let issued = 0;
    for (const userId of userIds) {
      try {
        const owed = await this.eligibility.owed(scheme, userId);
        if (owed && (await this.issue(scheme, userId, owed.renews))) issued++;
      } catch (error) {
        // Kept, as any failed evaluation: the numbering job evaluates them again.
        this.logger.error({ err: error, userId }, 'Issuing on activation failed');
        await this.recordFailure(userId, error);
      }
    }
    return issued;
  }
}

/**
 * When a failed evaluation is tried again: at the job's next tick after its first failure,
 * then 1, 2, 4… minutes after the last, at most a day apart, so that a user whose evaluation
 * fails for good (the page of pending work shows them) does not cost a try every minute
 * forever.
 */
export function retryDueAt(row: Pick<CertificateEvaluationPending, 'tries' | 'lastFailedAt'>) {
  const minutes = row.tries <= 1 ? 0 : Math.min(2 ** (row.tries - 2), 24 * 60);
  return row.lastFailedAt.getTime() + minutes * 60_000;
}
