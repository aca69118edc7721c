import { Inject, Injectable } from '@nestjs/common';
import { numberText } from './certificate-format.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { formatDate } from '../platform/i18n/local-format.js';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, LessThanOrEqual, Repository } from 'typeorm';
import { EvidenceService } from '../competency/evidence.service.js';
import { Clock } from '../platform/clock.js';
import { Certificate } from './certification.entity.js';
import { MailOutbox } from './mail-outbox.service.js';

const REMINDER_DAYS = [90, 30, 7] as const;
const DAY = 86_400_000;

/** The end of a certificate's validity: expiry with its evidence, and the reminders before it. */
@Injectable()
export class CertificateExpiry {
  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    private readonly evidenceService: EvidenceService,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Mails and notices are in Bahasa Indonesia: the day as letters here write it. */
  private day(date: Date): string {
    return formatDate(date, 'id', this.config.timeZone);
  }

  /** The daily job: expire what ended (evidence lapses with it), remind at 90, 30 and 7 days. */
  async run(): Promise<{ expired: number; reminded: number }> {
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
          `Sertifikat ${numberText(certificate)} (${certificate.snapshot.schemeTitle}) berakhir pada ${this.day(certificate.expiresAt!)}; tingkat kompetensi yang dibuktikannya tidak lagi dihitung.`,
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
          expiresAt: this.day(certificate.expiresAt!),
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
          expiresAt: this.day(certificate.expiresAt!),
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
}
