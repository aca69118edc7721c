import { Injectable } from '@nestjs/common';
import { EvidenceService } from '../competency/evidence.service.js';
import { TransactionService } from '../database/transaction.service.js';
import { Notification } from '../platform/notifications/notification.entity.js';
import { CertificateIssuer } from './certificate-issuer.js';
import { Certificate, CertificationScheme, OutboxMail } from './certification.entity.js';
import { MailOutbox } from './mail-outbox.service.js';

/** What the demo needs of a scheme: whom it targets and what it asks for. */
export type DemoScheme = Pick<CertificationScheme, 'id' | 'targetPositions' | 'requirements'>;

/** Certification's part of the demo records (see `ContentDemoService`). */
@Injectable()
export class CertificationDemoService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly issuer: CertificateIssuer,
    private readonly evidence: EvidenceService,
    private readonly outbox: MailOutbox,
  ) {}

  /** The sector's first active scheme by code: the one its demo ASN is certified in. */
  firstActiveScheme(sector: string): Promise<DemoScheme | null> {
    return this.transactions
      .repository(CertificationScheme)
      .findOne({ where: { sector, status: 'active' }, order: { code: 'ASC' } });
  }

  /**
   * Brings the end of someone's certificate of a scheme to `expiresAt`, so reminders and the
   * expiry report have a case; its evidence ends with it, and its "Sertifikat terbit" message
   * is sent again with the dates the certificate now carries.
   */
  async expireAt(userId: string, schemeId: string, expiresAt: Date): Promise<void> {
    const certificates = this.transactions.repository(Certificate);
    const certificate = await certificates.findOneBy({ userId, schemeId });
    if (!certificate) return;
    await certificates.update({ id: certificate.id }, { expiresAt });
    await this.evidence.moveExpiry('certificate', certificate.id, expiresAt);
    await this.transactions
      .repository(OutboxMail)
      .delete({ dedupeKey: `issued:${certificate.id}` });
    await this.transactions.repository(Notification).delete({ userId, kind: 'certificate.issued' });
    await this.outbox.enqueue(this.issuer.issuedMessage({ ...certificate, expiresAt }, null));
  }
}
