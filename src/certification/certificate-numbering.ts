import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { isWriteConflict } from '../database/db-errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { EvidenceService } from '../competency/evidence.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { formatDate } from '../platform/i18n/local-format.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { formatNumber } from './certificate-format.js';
import { Certificate, CertificateSequence, CertificationScheme } from './certification.entity.js';
import { MailOutbox, type MailMessage } from './mail-outbox.service.js';
import { StatusLists } from './status-list.js';

/** At most this many certificates are numbered in one transaction. */
const BATCH = 200;
/** Tries of one numbering when another instance numbered the same rows first. */
const TRIES = 5;

/** Another instance numbered a row this transaction meant to number: roll back, try again. */
export class NumberedMeanwhile extends Error {
  constructor(id: string) {
    super(`Certificate ${id} was numbered by another transaction`);
  }
}

/**
 * The order in which unnumbered certificates take their numbers: by issue time, then id
 * (a stable tie-break), `first`, `first + 1`… and the status places likewise (ADR 0041).
 */
export function numberingPlan<C extends Pick<Certificate, 'id' | 'issuedAt'>>(
  pending: C[],
  firstSeq: number,
  firstStatusIndex: number,
): { certificate: C; seq: number; statusIndex: number }[] {
  return [...pending]
    .sort(
      (a, b) =>
        a.issuedAt.getTime() - b.issuedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map((certificate, i) => ({
      certificate,
      seq: firstSeq + i,
      statusIndex: firstStatusIndex + i,
    }));
}

/**
 * Numbers issued certificates (ADR 0041, "Certificate numbers"). Issuing writes a certificate
 * without a number, touching no shared row; numbering follows in a short transaction of its
 * own: the certificates of a scheme and year still without one, in issue order, take the
 * next numbers of the scheme's sequence and as many places of the revocation status list,
 * and their "Sertifikat terbit" mail is queued with the number. The counters move only with
 * the assignments, in one transaction, so the numbers stay gapless; a row numbered meanwhile
 * by another instance rolls the whole transaction back. In one process the numberings of a
 * scheme and year run one at a time, and calls made while one runs share the next one.
 */
@Injectable()
export class CertificateNumbering {
  private readonly logger = new Logger('Certificates');
  /** Per scheme and year: the numbering running now, and the one queued after it. */
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly queued = new Map<string, Promise<number>>();

  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(CertificateSequence)
    private readonly sequences: Repository<CertificateSequence>,
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
    private readonly transactions: TransactionService,
    private readonly statusLists: StatusLists,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditService,
    private readonly evidence: EvidenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Numbers every certificate of the scheme's year still without a number.
   * @returns how many this call's numbering numbered (shared with the calls it joined)
   */
  number(schemeId: string, year: number): Promise<number> {
    const key = `${schemeId}:${year}`;
    const waiting = this.queued.get(key);
    if (waiting) return waiting;
    const before = this.running.get(key) ?? Promise.resolve();
    const run: Promise<number> = before.then(() => {
      this.queued.delete(key);
      return this.numberAll(schemeId, year);
    });
    this.queued.set(key, run);
    const settled = run.catch(() => undefined);
    this.running.set(key, settled);
    void settled.then(() => {
      if (this.running.get(key) === settled) this.running.delete(key);
    });
    return run;
  }

  /**
   * The job's part: numbers whatever is still unnumbered (a process killed between issuing
   * and numbering, a numbering that ran out of tries).
   * @returns how many it numbered
   */
  async numberPending(): Promise<number> {
    const groups: { schemeId: string; year: number }[] = await this.certificates
      .createQueryBuilder('c')
      .select('c.schemeId', 'schemeId')
      .addSelect('c.year', 'year')
      .where('c.seq IS NULL')
      .groupBy('c.schemeId')
      .addGroupBy('c.year')
      .getRawMany();
    let numbered = 0;
    for (const group of groups) {
      try {
        numbered += await this.number(group.schemeId, Number(group.year));
      } catch (error) {
        this.logger.error({ err: error, ...group }, 'Numbering certificates failed');
      }
    }
    return numbered;
  }

  /** Batches until nothing of the scheme's year is left unnumbered. */
  private async numberAll(schemeId: string, year: number): Promise<number> {
    await this.ensureSequence(schemeId, year);
    const scheme = (await this.schemes.findOneBy({ id: schemeId }))!;
    let total = 0;
    for (;;) {
      const numbered = await this.withTries(() =>
        this.transactions.run(() => this.assign(scheme, year)),
      );
      total += numbered;
      if (numbered < BATCH) return total;
    }
  }

  private async withTries(work: () => Promise<number>): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof NumberedMeanwhile) || attempt >= TRIES) throw error;
      }
    }
  }

  /**
   * One numbering transaction (run inside `transactions.run`): up to BATCH certificates of
   * the scheme's year take their numbers and status places, and their mail is queued.
   * @returns how many it numbered
   */
  async assign(scheme: CertificationScheme, year: number): Promise<number> {
    const manager = this.transactions.manager();
    const certificates = manager.getRepository(Certificate);
    const pending = await certificates.find({
      where: { schemeId: scheme.id, year, seq: IsNull() },
      order: { issuedAt: 'ASC', id: 'ASC' },
      take: BATCH,
    });
    if (!pending.length) return 0;
    await manager
      .createQueryBuilder()
      .update(CertificateSequence)
      .set({ value: () => `value + ${pending.length}` })
      .where('schemeId = :schemeId AND year = :year', { schemeId: scheme.id, year })
      .execute();
    const { value } = (await manager
      .getRepository(CertificateSequence)
      .findOneBy({ schemeId: scheme.id, year }))!;
    const firstStatusIndex = await this.statusLists.take(pending.length);
    const sector = this.loaded.find((s) => s.manifest.key === scheme.sector);
    for (const { certificate, seq, statusIndex } of numberingPlan(
      pending,
      value - pending.length + 1,
      firstStatusIndex,
    )) {
      const number = formatNumber(scheme.numberFormat, {
        seq,
        // A scheme outlives a sector's removal; the key is then all that is left.
        sectorCode: sector?.manifest.code ?? scheme.sector.toUpperCase(),
        scheme: scheme.code,
        year,
      });
      const result = await manager
        .createQueryBuilder()
        .update(Certificate)
        .set({ seq, number, statusIndex })
        .where('id = :id AND seq IS NULL', { id: certificate.id })
        .execute();
      if (result.affected !== 1) throw new NumberedMeanwhile(certificate.id);
      Object.assign(certificate, { seq, number, statusIndex });
      await this.evidence.renameReason('certificate', certificate.id, `Sertifikat ${number}`);
      await this.audit.record({
        actor: null,
        action: 'certificate.number',
        entityType: 'certificate',
        entityId: certificate.id,
        detail: { number, seq, statusIndex },
      });
      const renews = certificate.renewsId
        ? await certificates.findOne({
            select: { id: true, number: true },
            where: { id: certificate.renewsId },
          })
        : null;
      // With the number, in the numbering transaction: the holder is told once it has one;
      // not of one revoked before it was numbered (numbered all the same: no gap).
      if (certificate.status !== 'revoked')
        await this.outbox.enqueue(this.issuedMessage(certificate, renews));
    }
    return pending.length;
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
        number: certificate.number ?? undefined,
        code: certificate.code,
        // Mails are in Bahasa Indonesia: the dates as letters here write them.
        issuedAt: formatDate(certificate.issuedAt, 'id', this.config.timeZone),
        expiresAt: certificate.expiresAt
          ? formatDate(certificate.expiresAt, 'id', this.config.timeZone)
          : undefined,
        renews: renews?.number ?? undefined,
      },
    };
  }

  /** The sequence row exists before any numbering transaction locks it (no insert races inside). */
  private async ensureSequence(schemeId: string, year: number): Promise<void> {
    if (await this.sequences.existsBy({ schemeId, year })) return;
    try {
      await this.sequences.insert({ schemeId, year, value: 0 });
    } catch (error) {
      // Created meanwhile by another instance (on a cluster: a conflict at commit).
      if (!isWriteConflict(error)) throw error;
    }
  }
}
