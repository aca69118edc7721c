import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, MoreThanOrEqual, Repository } from 'typeorm';
import { TransactionService } from '../database/transaction.service.js';
import { User } from '../identity/user.entity.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { AccessService, candidateOf } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { NotificationsService } from '../platform/notifications/notifications.service.js';
import { FileStorage } from '../platform/storage/file-storage.js';
import { CompetenciesService } from './competencies.service.js';
import { Competency } from './competency.entity.js';
import type { RecordEvidenceDto } from './competency.dto.js';
import { Evidence, type EvidenceEndReason, type EvidenceSource } from './evidence.entity.js';
import { isValidAt } from './gap-arithmetic.js';

export const evidenceError = errorFamily({
  'evidence.not_found': 'not_found',
  'evidence.forbidden': 'forbidden',
  'evidence.invalid': 'invalid',
});

export interface EvidenceView {
  id: string;
  competency: { code: string; title: string };
  level: number;
  source: string;
  sourceId: string | null;
  reason: string | null;
  hasAttachment: boolean;
  achievedAt: string;
  expiresAt: string | null;
  valid: boolean;
  /** When it stopped counting before its expiry, and why (ADR 0019); null while it stands. */
  endedAt: string | null;
  endReason: EvidenceEndReason | null;
  supersededBy: string | null;
}

/** What a passed exam or an issued certificate proves (evidence has no other automatic source). */
export interface EarnedEvidence {
  userId: string;
  source: 'assessment' | 'certificate';
  /** The attempt or the certificate. */
  sourceId: string;
  reason: string;
  attests: readonly { competencyCode: string; level: number }[];
  achievedAt: Date;
  expiresAt: Date | null;
}

/** Which evidence to end and why (ADR 0019). */
export interface EvidenceEnding {
  userId: string;
  source: EvidenceSource;
  /** The certificates or attempts whose evidence ends. */
  sourceIds: string[];
  reason: EvidenceEndReason;
  /** The certificate that supersedes (reason `superseded`). */
  supersededBy?: string;
  /** Only these competencies (ids) at no more than the given level (supersession). */
  coveredBy?: Map<string, number>;
  /** The sentence the holder and the admins read (Bahasa Indonesia); none for a supersession. */
  notice?: string;
}

/** Evidence recorded for a user (a sector's eligibility rule may now be met). */
export const EVIDENCE_RECORDED = 'evidence.recorded';
export interface EvidenceRecorded {
  userId: string;
}

/** Evidence of achieved levels; manual records by admins and by coordinators of the user's sector. */
@Injectable()
export class EvidenceService {
  constructor(
    @InjectRepository(Evidence) private readonly evidence: Repository<Evidence>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly competencies: CompetenciesService,
    private readonly files: FileStorage,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionService,
  ) {}

  async list(caller: AuthUser, userId: string): Promise<EvidenceView[]> {
    await this.requireUserVisible(caller, userId);
    const rows = await this.evidence.find({
      where: { userId },
      relations: { competency: true },
      order: { achievedAt: 'DESC' },
    });
    const now = new Date();
    return rows.map((e) => this.view(e, now));
  }

  async recordManual(
    actor: AuthUser,
    userId: string,
    input: RecordEvidenceDto,
  ): Promise<EvidenceView> {
    const user = await this.requireUserVisible(actor, userId);
    // Nobody vouches for themselves, the admin included; a coordinator only for ASN of their
    // sectors (ADR 0012).
    this.access.requireMayDecideFor(actor, candidateOf(user), 'userId');
    const competency = await this.competencies.requireByCode(input.competencyCode).catch(() => {
      throw evidenceError('evidence.invalid', {
        variant: 'competency',
        field: 'competencyCode',
        params: { code: input.competencyCode },
      });
    });
    // A coordinator vouches only for their own sector's technical competencies; the national
    // ones (manajerial, sosial-kultural) are the admin's.
    this.access.requireMayAttest(actor, competency.sector ?? '', competency, 'competencyCode');
    if (competency.sector) this.access.requireSector(actor, competency.sector);
    const achievedAt = input.achievedAt ? new Date(input.achievedAt) : new Date();
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (achievedAt > new Date())
      throw evidenceError('evidence.invalid', { variant: 'future', field: 'achievedAt' });
    if (expiresAt && expiresAt <= achievedAt)
      throw evidenceError('evidence.invalid', { variant: 'expiry', field: 'expiresAt' });
    const row = this.evidence.create({
      userId: user.id,
      competencyId: competency.id,
      level: input.level,
      source: 'manual',
      sourceId: null,
      reason: input.reason.trim(),
      attachment: null,
      achievedAt,
      expiresAt,
      revokedAt: null,
      recordedBy: actor.id,
      createdAt: new Date(),
    });
    await this.evidence.insert(row);
    await this.audit.record({
      actor,
      action: 'evidence.record',
      entityType: 'evidence',
      entityId: row.id,
      detail: { userId, competency: competency.code, level: input.level },
    });
    await this.events.emitAsync(EVIDENCE_RECORDED, { userId: user.id } satisfies EvidenceRecorded);
    return this.view({ ...row, competency } as Evidence, new Date());
  }

  async attach(
    actor: AuthUser,
    evidenceId: string,
    content: Buffer | string,
  ): Promise<EvidenceView> {
    const row = await this.requireEvidence(evidenceId);
    await this.requireUserVisible(actor, row.userId);
    if (row.competency?.sector) this.access.requireSector(actor, row.competency.sector);
    if (row.source !== 'manual')
      throw evidenceError('evidence.invalid', { variant: 'attachment', field: 'file' });
    const stored = await this.files.save(
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      'evidence',
    );
    await this.evidence.update({ id: row.id }, { attachment: stored.key });
    await this.audit.record({
      actor,
      action: 'evidence.attach',
      entityType: 'evidence',
      entityId: row.id,
    });
    return this.view({ ...row, attachment: stored.key }, new Date());
  }

  async attachment(
    caller: AuthUser,
    evidenceId: string,
  ): Promise<{ content: Buffer; contentType: string; filename: string }> {
    const row = await this.requireEvidence(evidenceId);
    await this.requireUserVisible(caller, row.userId);
    if (!row.attachment) throw evidenceError('evidence.not_found', { variant: 'attachment' });
    const file = await this.files.read(row.attachment);
    return {
      ...file,
      filename: `bukti-${row.competency?.code ?? 'kompetensi'}.${row.attachment.split('.').pop()}`,
    };
  }

  /**
   * Records what a passed exam or an issued certificate proves, in the caller's transaction:
   * one row per attested competency that exists (an unknown code proves nothing).
   * @returns the levels recorded
   */
  async recordEarned(earned: EarnedEvidence): Promise<{ competencyId: string; level: number }[]> {
    if (!earned.attests.length) return [];
    const competencies = await this.transactions.repository(Competency).findBy({
      code: In(earned.attests.map((a) => a.competencyCode)),
    });
    const idOf = new Map(competencies.map((c) => [c.code, c.id]));
    const rows = earned.attests
      .filter((a) => idOf.has(a.competencyCode))
      .map((a) => ({
        userId: earned.userId,
        competencyId: idOf.get(a.competencyCode)!,
        level: a.level,
        source: earned.source,
        sourceId: earned.sourceId,
        reason: earned.reason,
        attachment: null,
        achievedAt: earned.achievedAt,
        expiresAt: earned.expiresAt,
        revokedAt: null,
        recordedBy: null,
        createdAt: earned.achievedAt,
      }));
    if (rows.length) await this.transactions.repository(Evidence).insert(rows);
    return rows;
  }

  /** The evidence a source recorded (a certificate's, an attempt's), with its competency. */
  ofSource(source: EvidenceSource, sourceId: string): Promise<Evidence[]> {
    return this.transactions.repository(Evidence).find({
      where: { source, sourceId },
      relations: { competency: true },
    });
  }

  /** Moves the end of a source's evidence with its source's (a certificate shortened for the demo). */
  async moveExpiry(source: EvidenceSource, sourceId: string, expiresAt: Date): Promise<void> {
    await this.transactions.repository(Evidence).update({ source, sourceId }, { expiresAt });
  }

  /** Rewrites the reason of a source's evidence (a certificate's, once it has its number). */
  async renameReason(source: EvidenceSource, sourceId: string, reason: string): Promise<void> {
    await this.transactions.repository(Evidence).update({ source, sourceId }, { reason });
  }

  /** Everyone with evidence recorded by hand since `since` (an assessor's observation). */
  async manualSince(since: Date): Promise<string[]> {
    const rows = await this.evidence.find({
      select: { userId: true },
      where: { source: 'manual', createdAt: MoreThanOrEqual(since) },
    });
    return rows.map((e) => e.userId);
  }

  /**
   * Ends the still valid evidence of some sources (in the caller's transaction), and tells the
   * holder and the admins which levels were withdrawn and why. A supersession withdraws no
   * level (the certificate's evidence stands in its place), so it is silent.
   * @returns the evidence ended
   */
  async end(ending: EvidenceEnding, now: Date): Promise<Evidence[]> {
    if (!ending.sourceIds.length) return [];
    const manager = this.transactions.manager();
    const rows = (
      await manager.getRepository(Evidence).find({
        where: {
          userId: ending.userId,
          source: ending.source,
          sourceId: In(ending.sourceIds),
          revokedAt: IsNull(),
        },
        relations: { competency: true },
      })
    ).filter(
      (e) =>
        isValidAt(e, now) &&
        (!ending.coveredBy || (ending.coveredBy.get(e.competencyId) ?? -1) >= e.level),
    );
    if (!rows.length) return [];
    await manager.getRepository(Evidence).update(
      { id: In(rows.map((e) => e.id)), revokedAt: IsNull() },
      {
        revokedAt: now,
        endReason: ending.reason,
        supersededBy: ending.supersededBy ?? null,
      },
    );
    if (ending.notice) await this.tell(ending.userId, rows, ending.notice);
    return rows;
  }

  /**
   * Tells the holder and every active admin which levels stopped counting and why (Bahasa
   * Indonesia), in the caller's transaction when there is one.
   */
  async tell(userId: string, rows: Evidence[], notice: string): Promise<void> {
    const users = this.transactions.repository(User);
    const levels = rows.map((e) => `${e.competency?.title ?? e.competencyId} level ${e.level}`);
    const body = levels.length
      ? `${notice} Bukti yang ditarik: ${[...new Set(levels)].join('; ')}.`
      : notice;
    await this.notifications.notify({
      userId,
      kind: 'evidence.withdrawn',
      title: 'Tingkat kompetensi ditarik',
      body,
      link: '/kompetensi',
    });
    const holder = await users.findOneBy({ id: userId });
    const admins = await users.find({
      where: { role: 'admin', active: true },
      select: { id: true },
    });
    for (const admin of admins.filter((a) => a.id !== userId))
      await this.notifications.notify({
        userId: admin.id,
        kind: 'evidence.withdrawn',
        title: `Tingkat kompetensi ${holder?.name ?? ''} ditarik`.trim(),
        body,
        link: `/admin/pengguna/${userId}`,
      });
  }

  /** The user, if the caller may see their records: themselves, an admin, or a coordinator of their position's sector. */
  /**
   * The highest level a user holds now in a competency, from valid evidence (optionally of
   * one source: `manual` is what an assessor recorded after observing the person at work).
   * Sector eligibility rules read it.
   */
  async heldLevel(
    userId: string,
    competencyCode: string,
    source?: EvidenceSource,
    now = new Date(),
  ): Promise<number> {
    const rows = await this.evidence.find({
      where: { userId, competency: { code: competencyCode }, ...(source && { source }) },
      relations: { competency: true },
    });
    return Math.max(0, ...rows.filter((e) => isValidAt(e, now)).map((e) => e.level));
  }

  private async requireUserVisible(caller: AuthUser, userId: string): Promise<User> {
    const user = await this.users.findOne({ where: { id: userId }, relations: { position: true } });
    if (!user) throw evidenceError('evidence.not_found', { variant: 'user' });
    if (caller.id === user.id || caller.role === 'admin') return user;
    const sector = user.position?.sector;
    if (sector && this.access.canManageSector(caller, sector)) return user;
    throw evidenceError('evidence.forbidden');
  }

  private async requireEvidence(id: string): Promise<Evidence> {
    const row = await this.evidence.findOne({ where: { id }, relations: { competency: true } });
    if (!row) throw evidenceError('evidence.not_found');
    return row;
  }

  private view(e: Evidence, now: Date): EvidenceView {
    return {
      id: e.id,
      competency: { code: e.competency?.code ?? '', title: e.competency?.title ?? '' },
      level: e.level,
      source: e.source,
      sourceId: e.sourceId,
      reason: e.reason,
      hasAttachment: !!e.attachment,
      achievedAt: e.achievedAt.toISOString(),
      expiresAt: e.expiresAt?.toISOString() ?? null,
      valid: isValidAt(e, now),
      endedAt: e.revokedAt?.toISOString() ?? null,
      endReason: e.endReason ?? null,
      supersededBy: e.supersededBy ?? null,
    };
  }
}
