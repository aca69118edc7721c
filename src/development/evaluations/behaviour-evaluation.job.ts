import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, Repository } from 'typeorm';
import { CertificateEvaluationFacts } from '../../certification/certificate-evaluation-facts.js';
import { MailOutbox } from '../../certification/mail-outbox.service.js';
import { TransactionService } from '../../database/transaction.service.js';
import { Clock } from '../../platform/clock.js';
import { JobLeaseService, tickOf } from '../../platform/scheduler/job-lease.service.js';
import { ReportingLine } from '../../people/reporting-line.service.js';
import { Evaluation } from '../development.entity.js';
import { jakartaYear } from './evaluation-items.js';
import { EvaluationsService } from './evaluations.service.js';

const DAY = 86_400_000;
/** The days after issue when a scheme without its own `evaluationDays` is evaluated. */
export const DEFAULT_EVALUATION_DAYS = 90;
/** A questionnaire unanswered this long after it is due is reminded… */
export const FIRST_REMINDER_DAYS = 7;
/** …and then again every this many days. */
export const REMINDER_EVERY_DAYS = 14;
/** The longest `evaluationDays` a scheme may set (its DTO's bound). */
export const MAX_EVALUATION_DAYS = 730;
/**
 * Certificates issued longer ago than this are not looked at: the longest wait plus 90 days,
 * so a questionnaire due on a day the job did not run is still sent on the next run.
 */
const LOOKBACK_DAYS = MAX_EVALUATION_DAYS + 90;

/**
 * Daily at 02:00 WIB (with a lease: one instance per day): sends the behaviour questionnaires
 * of certificates `evaluationDays` after issue (ADR 0040 level 3) to the holder and their
 * supervisor at that time, and reminds the questionnaires left unanswered.
 */
@Injectable()
export class BehaviourEvaluationJob {
  private readonly logger = new Logger('BehaviourEvaluation');

  constructor(
    @InjectRepository(Evaluation) private readonly evaluations: Repository<Evaluation>,
    private readonly leases: JobLeaseService,
    private readonly certificates: CertificateEvaluationFacts,
    private readonly questionnaires: EvaluationsService,
    private readonly reportingLine: ReportingLine,
    private readonly outbox: MailOutbox,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  @Cron('0 0 19 * * *', { name: 'evaluations.behaviour' })
  tick(): Promise<boolean> {
    return this.leases.runOnce(
      'evaluations.behaviour',
      tickOf(this.clock.now(), DAY),
      60 * 60_000,
      async () => {
        await this.run();
      },
    );
  }

  /** One run: sends what is due and reminds what waits. Safe to run again at any time. */
  async run(): Promise<{ sent: number; reminded: number }> {
    const sent = await this.send();
    const reminded = await this.remind();
    if (sent || reminded)
      this.logger.log(`Behaviour questionnaires: ${sent} sent, ${reminded} reminded`);
    return { sent, reminded };
  }

  /** Creates the self and supervisor questionnaires of certificates whose day has come. */
  async send(): Promise<number> {
    const now = this.clock.now();
    const candidates = await this.certificates.activeIssuedBetween(
      new Date(now.getTime() - LOOKBACK_DAYS * DAY),
      now,
    );
    const due = candidates.filter(
      (c) =>
        c.competencies.length > 0 &&
        c.issuedAt.getTime() + (c.evaluationDays ?? DEFAULT_EVALUATION_DAYS) * DAY <= now.getTime(),
    );
    let sent = 0;
    for (let i = 0; i < due.length; i += 500) {
      const chunk = due.slice(i, i + 500);
      const existing = new Set(
        (
          await this.evaluations.find({
            where: { dedupeKey: In(chunk.map((c) => `behaviour_self:${c.id}`)) },
            select: { dedupeKey: true },
          })
        ).map((e) => e.dedupeKey),
      );
      for (const certificate of chunk) {
        if (existing.has(`behaviour_self:${certificate.id}`)) continue;
        const common = {
          subjectUserId: certificate.userId,
          certificateId: certificate.id,
          schemeId: certificate.schemeId,
          competencyCodes: certificate.competencies.map((c) => c.code),
          year: jakartaYear(now),
          dueAt: now,
        };
        const supervisor = await this.reportingLine.supervisorOf(certificate.userId);
        await this.transactions.run(async () => {
          await this.questionnaires.insertOnce({
            ...common,
            kind: 'behaviour_self',
            dedupeKey: `behaviour_self:${certificate.id}`,
            recipientId: certificate.userId,
          });
          if (supervisor?.active && supervisor.id !== certificate.userId)
            await this.questionnaires.insertOnce({
              ...common,
              kind: 'behaviour_supervisor',
              dedupeKey: `behaviour_supervisor:${certificate.id}`,
              recipientId: supervisor.id,
            });
        });
        sent += 1;
      }
    }
    return sent;
  }

  /**
   * Reminds, by mail and on the notifications page, each behaviour questionnaire unanswered
   * 7 days after it was due and not reminded in the last 14.
   */
  async remind(): Promise<number> {
    const now = this.clock.now();
    const dueBefore = new Date(now.getTime() - FIRST_REMINDER_DAYS * DAY);
    const remindedBefore = new Date(now.getTime() - REMINDER_EVERY_DAYS * DAY);
    const waiting = await this.evaluations
      .createQueryBuilder('e')
      .where('e.status = :pending', { pending: 'pending' })
      .andWhere('e.kind IN (:...kinds)', { kinds: ['behaviour_self', 'behaviour_supervisor'] })
      .andWhere('e.dueAt <= :dueBefore', { dueBefore })
      .andWhere(
        new Brackets((q) =>
          q
            .where('e.remindedAt IS NULL')
            .orWhere('e.remindedAt <= :remindedBefore', { remindedBefore }),
        ),
      )
      .orderBy('e.dueAt', 'ASC')
      .take(1000)
      .getMany();
    if (!waiting.length) return 0;
    const certificates = await this.certificates.byIds(
      waiting.map((e) => e.certificateId).filter((id): id is string => !!id),
    );
    let reminded = 0;
    for (const evaluation of waiting) {
      const certificate = evaluation.certificateId
        ? certificates.get(evaluation.certificateId)
        : undefined;
      const done = await this.transactions.run(async () => {
        // Conditional: of two instances (or a rerun) only one reminds.
        const marked = await this.transactions
          .repository(Evaluation)
          .createQueryBuilder()
          .update(Evaluation)
          .set({ remindedAt: now })
          .where('id = :id', { id: evaluation.id })
          .andWhere('status = :pending', { pending: 'pending' })
          .andWhere(
            new Brackets((q) =>
              q
                .where('remindedAt IS NULL')
                .orWhere('remindedAt <= :remindedBefore', { remindedBefore }),
            ),
          )
          .execute();
        if (marked.affected !== 1) return false;
        await this.outbox.enqueue({
          userId: evaluation.recipientId,
          kind: 'evaluation.reminder',
          template: 'evaluation-reminder',
          dedupeKey: `evaluation-reminder:${evaluation.id}:${now.toISOString().slice(0, 10)}`,
          link: `/evaluasi/${evaluation.id}`,
          data: {
            id: evaluation.id,
            schemeTitle: certificate?.schemeTitle ?? '',
            subjectName: certificate?.holderName ?? '',
            supervisor: evaluation.kind === 'behaviour_supervisor',
          },
        });
        return true;
      });
      if (done) reminded += 1;
    }
    return reminded;
  }
}
