import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import {
  ASSESSMENT_PASS_VOIDED,
  ATTEMPT_OVERRIDDEN,
  type AssessmentPassVoided,
  type AttemptOverridden,
} from '../assessment/engine/assessment.events.js';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { EvidenceService } from '../competency/evidence.service.js';
import { TransactionService } from '../database/transaction.service.js';
import { User } from '../identity/user.entity.js';
import { CourseRecords } from '../learning/course-records.js';
import { COURSE_REOPENED, type CourseReopened } from '../learning/enrollments.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import {
  certificateError,
  certificateView,
  type CertificateView,
  numberText,
} from './certificate-format.js';
import { Certificate, CertificationScheme } from './certification.entity.js';
import { passCounts } from './eligibility.js';
import { MailOutbox } from './mail-outbox.service.js';

/**
 * Takes certificates back: an admin's revocation, and the revocations a regrade causes (a
 * pass voided, a completion reopened, ADR 0019), through one path that ends the evidence of
 * the whole renewal chain; an override of an exam item is written into the history of the
 * certificates resting on it (ADR 0020).
 */
@Injectable()
export class CertificateWithdrawal {
  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly assessmentRecords: AssessmentRecords,
    private readonly courseRecords: CourseRecords,
    private readonly evidenceService: EvidenceService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
  ) {}

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
   * A pass was voided, by a regrade or by a proctor for misconduct: every active certificate
   * that rested on it (ADR 0019) is revoked through the same path as an admin's revocation,
   * naming which of the two it was.
   */
  @OnEvent(ASSESSMENT_PASS_VOIDED, { async: true, promisify: true })
  async onPassVoided(event: AssessmentPassVoided): Promise<void> {
    const actor = await this.users.findOneBy({ id: event.actorId });
    const reason = event.voidReason
      ? `Dicabut karena pelanggaran: percobaan ujian "${event.assessmentTitle}" dibatalkan oleh pengawas karena pelanggaran tata tertib ujian. Alasan: ${event.voidReason}`
      : `Dicabut karena regrade: kelulusan ujian "${event.assessmentTitle}" dibatalkan setelah perbaikan kunci jawaban (nilai baru ${event.percent}%).`;
    for (const certificate of await this.restingOn(event.userId, { attemptId: event.attemptId }))
      await this.withdraw(actor ? { id: actor.id, role: actor.role } : null, certificate, reason, {
        cause: event.voidReason ? 'void' : 'regrade',
        attemptId: event.attemptId,
        assessmentId: event.assessmentId,
      });
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

  /** An admin revokes: verification says revoked, the evidence is withdrawn, all audited. */
  async revoke(actor: AuthUser, id: string, reason: string): Promise<CertificateView> {
    const certificate = await this.certificates.findOneBy({ id });
    if (!certificate) throw certificateError('certificate.not_found');
    if (certificate.status === 'revoked')
      throw certificateError('certificate.conflict', { field: 'status' });
    await this.withdraw(actor, certificate, reason, { cause: 'admin' });
    return certificateView((await this.certificates.findOneBy({ id }))!, this.clock.now());
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
          notice: `Sertifikat ${numberText(certificate)} (${certificate.snapshot.schemeTitle}) dicabut. Alasan: ${reason}`,
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
          number: numberText(certificate),
          reason,
        },
      });
      return true;
    });
    return done;
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
            // Another pass holds it up only if it counts: sat in a session, where the scheme's
            // own assessments require supervision.
            const counting = requirement && !link.renewsId ? scheme : {};
            rests = !others.some(
              (a) =>
                a.id !== voided &&
                (a.percent ?? 0) >= (requirement?.minPercent ?? 0) &&
                passCounts(a, counting),
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
}
