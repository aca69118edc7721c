import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service.js';
import { type PackImportContext, type PackImporter, checksum } from '../../registry/pack-import.js';
import { Assessment } from './assessment.entity.js';

/** An assessment as a sector's pack (`assessments.json`) states it: a draw from one bank. */
export interface PackAssessment {
  code: string;
  title: string;
  instructions: string;
  bank: string;
  count: number;
  timeLimitMinutes: number | null;
  passPercent: number;
  maxAttempts: number;
  reviewPolicy: 'none' | 'score' | 'correctness' | 'feedback' | 'answers';
  attests: { competencyCode: string; level: number }[];
}

/** Installs a pack's assessments, published and open to everyone (see `PackImporter`). */
@Injectable()
export class AssessmentPackImport implements PackImporter<PackAssessment> {
  readonly kind = 'assessment';

  constructor(private readonly transactions: TransactionService) {}

  async write(a: PackAssessment, { sector, now, ref }: PackImportContext, entityId: string | null) {
    const repo = this.transactions.repository(Assessment);
    const values = {
      title: a.title,
      instructions: a.instructions ?? '',
      sections: [{ bankId: ref('bank', a.bank), count: a.count }],
      timeLimitMinutes: a.timeLimitMinutes ?? null,
      maxAttempts: a.maxAttempts ?? 1,
      passPercent: a.passPercent,
      reviewPolicy: a.reviewPolicy ?? 'score',
      attests: a.attests ?? [],
      updatedAt: now,
    };
    if (entityId) {
      await repo.update({ id: entityId }, values);
      return entityId;
    }
    const row = repo.create({
      sector,
      shuffle: true,
      scoring: 'highest',
      opensAt: null,
      closesAt: null,
      audience: { everyone: true },
      reviewAfterClose: false,
      layout: 'all',
      supervised: false,
      status: 'published',
      createdBy: null,
      createdAt: now,
      ...values,
    });
    await repo.insert(row);
    return row.id;
  }

  async recordHash(id: string): Promise<string> {
    const a = await this.transactions.repository(Assessment).findOneBy({ id });
    return checksum(
      a && {
        title: a.title,
        instructions: a.instructions,
        sections: a.sections,
        timeLimitMinutes: a.timeLimitMinutes,
        maxAttempts: a.maxAttempts,
        passPercent: a.passPercent,
        reviewPolicy: a.reviewPolicy,
        attests: a.attests,
        status: a.status,
      },
    );
  }

  async archive(id: string, now: Date): Promise<void> {
    await this.transactions
      .repository(Assessment)
      .update({ id }, { status: 'archived', updatedAt: now });
  }
}
