import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { CourseRecords } from '../learning/course-records.js';
import { User } from '../identity/user.entity.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { AccessService, candidateOf } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { CertificationScheme, SchemeApproval } from './certification.entity.js';
import { CertificateEligibility } from './certificate-eligibility.js';
import { certificateError } from './certificate-format.js';
import { CertificateIssuer } from './certificate-issuer.js';
import { MailOutbox } from './mail-outbox.service.js';

/**
 * Assessors' approvals of practical assessments: the queue lists candidates who met every
 * other requirement of a scheme that needs one; a decision re-evaluates the candidate.
 */
@Injectable()
export class ApprovalsService {
  constructor(
    @InjectRepository(SchemeApproval) private readonly approvals: Repository<SchemeApproval>,
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly assessmentRecords: AssessmentRecords,
    private readonly courseRecords: CourseRecords,
    private readonly eligibility: CertificateEligibility,
    private readonly issuer: CertificateIssuer,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
  ) {}

  /** Candidates waiting for a decision in the caller's sectors. */
  async queue(caller: AuthUser) {
    const managed = this.access.managedSectors(caller);
    const schemes = (
      await this.schemes.find({
        where: {
          status: 'active',
          ...(managed && { sector: In(managed.length ? managed : ['-']) }),
        },
      })
    ).filter((s) => s.requirements.approval);
    const out = [];
    for (const scheme of schemes) {
      const decided = await this.approvals.findBy({ schemeId: scheme.id });
      const candidates = await this.candidatesOf(scheme, decided);
      for (const user of candidates) {
        // Only the people the caller may decide for (ADR 0012): not themselves, and for a
        // coordinator only ASN of their sectors.
        if (!this.access.mayDecideFor(caller, candidateOf(user))) continue;
        const existing = decided.find((d) => d.userId === user.id);
        if (existing && existing.status !== 'pending') continue;
        const progress = await this.eligibility.progressOf(scheme, user.id);
        if (!progress.filter((r) => r.kind !== 'approval').every((r) => r.met)) continue;
        out.push({
          schemeId: scheme.id,
          schemeCode: scheme.code,
          schemeTitle: scheme.title,
          userId: user.id,
          name: user.name,
          nip: user.nip,
        });
      }
    }
    return out;
  }

  /**
   * Who could be waiting: people with a pass or a completion the scheme asks for, or an
   * open approval request. Everyone else cannot have met the rest.
   */
  private async candidatesOf(scheme: CertificationScheme, decided: SchemeApproval[]) {
    const ids = new Set(decided.filter((d) => d.status === 'pending').map((d) => d.userId));
    const assessmentIds = scheme.requirements.assessments.map((a) => a.assessmentId);
    for (const userId of await this.assessmentRecords.passers(assessmentIds)) ids.add(userId);
    for (const userId of await this.courseRecords.completers(scheme.requirements.courses))
      ids.add(userId);
    if (!ids.size) return [];
    return this.users.find({
      where: { id: In([...ids]), active: true },
      select: { id: true, name: true, nip: true, role: true, position: { id: true, sector: true } },
      relations: { position: true },
      order: { name: 'ASC' },
    });
  }

  /**
   * Records the practical result; approving may issue the certificate at once. Who decides
   * is limited (ADR 0012): never for oneself, a coordinator only for ASN of their sectors;
   * and every decision says why: `notes` (what the assessor observed) when approving,
   * `reason` (shown to the candidate) when rejecting. Both go to the audit log with the
   * decider's name.
   */
  async decide(
    actor: AuthUser,
    schemeId: string,
    userId: string,
    input: { approved: boolean; notes?: string; reason?: string },
  ) {
    const scheme = await this.schemes.findOneBy({ id: schemeId });
    if (!scheme) throw certificateError('certificate.not_found', { variant: 'scheme' });
    this.access.requireSector(actor, scheme.sector);
    const candidate = await this.users.findOne({
      where: { id: userId },
      relations: { position: true },
    });
    if (!candidate) throw certificateError('certificate.not_found', { variant: 'candidate' });
    this.access.requireMayDecideFor(actor, candidateOf(candidate), 'userId');
    if (input.approved && (input.notes?.trim().length ?? 0) < 5)
      throw certificateError('certificate.invalid', { variant: 'approvalNotes', field: 'notes' });
    if (!input.approved && !input.reason?.trim())
      throw certificateError('certificate.invalid', {
        variant: 'rejectionReason',
        field: 'reason',
      });
    const now = this.clock.now();
    const values = {
      status: input.approved ? ('approved' as const) : ('rejected' as const),
      notes: input.notes?.trim() ?? '',
      reason: input.approved ? null : input.reason!.trim(),
      decidedBy: actor.id,
      decidedAt: now,
    };
    const existing = await this.approvals.findOneBy({ schemeId, userId });
    if (existing) await this.approvals.update({ id: existing.id }, values);
    else
      try {
        await this.approvals.insert({ schemeId, userId, createdAt: now, ...values });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        await this.approvals.update({ schemeId, userId }, values);
      }
    await this.audit.record({
      actor,
      action: 'scheme.approval',
      entityType: 'certification_scheme',
      entityId: schemeId,
      detail: {
        userId,
        candidate: candidate.name,
        approved: input.approved,
        decidedBy: { id: actor.id, name: actor.name, role: actor.role },
        notes: values.notes,
        reason: values.reason,
      },
    });
    await this.outbox.enqueue({
      userId,
      kind: 'scheme.approval',
      template: 'approval-decided',
      dedupeKey: `approval:${schemeId}:${userId}:${now.getTime()}`,
      link: '/sertifikat',
      data: { schemeTitle: scheme.title, approved: input.approved, reason: values.reason },
    });
    const issued = input.approved ? await this.issuer.evaluate(userId) : [];
    return { schemeId, userId, ...values, decidedAt: now.toISOString(), issued };
  }
}
