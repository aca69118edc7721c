import { Injectable } from '@nestjs/common';
import { TransactionService } from '../database/transaction.service.js';
import { type PackImportContext, type PackImporter, checksum } from '../registry/pack-import.js';
import { CertificationScheme, hasRealRequirement } from './certification.entity.js';

/** A certification scheme as a sector's pack (`schemes.json`) states it. */
export interface PackScheme {
  code: string;
  title: string;
  description: string;
  targetPositions: string[];
  courses: string[];
  /** By the pack's assessment codes. */
  assessments: { assessment: string; minPercent: number }[];
  approval: boolean;
  rules: { key: string; params?: Record<string, string | number | boolean> }[];
  attests: { competencyCode: string; level: number }[];
  validityMonths: number | null;
  renewal: { courseCode?: string; assessment?: string; windowDays: number } | null;
  /** Only passes sat in a supervised exam session count; false when the pack says nothing. */
  requiresSupervision?: boolean;
  /** Estimated cost per participant in whole rupiah (ADR 0040); absent: unknown. */
  costIdr?: number | null;
  deliveryMode?: string | null;
  /** Days after issue of the behaviour questionnaires; absent: 90. */
  evaluationDays?: number | null;
}

/** Installs a pack's certification schemes (see `PackImporter`). */
@Injectable()
export class SchemePackImport implements PackImporter<PackScheme> {
  readonly kind = 'scheme';

  constructor(private readonly transactions: TransactionService) {}

  async write(s: PackScheme, { sector, now, ref }: PackImportContext, entityId: string | null) {
    const repo = this.transactions.repository(CertificationScheme);
    const values = {
      title: s.title,
      description: s.description ?? '',
      targetPositions: s.targetPositions ?? [],
      requirements: {
        courses: s.courses ?? [],
        assessments: (s.assessments ?? []).map((a) => ({
          assessmentId: ref('assessment', a.assessment),
          minPercent: a.minPercent,
        })),
        approval: s.approval ?? false,
        rules: s.rules ?? [],
      },
      attests: s.attests,
      validityMonths: s.validityMonths ?? null,
      renewal: s.renewal
        ? {
            windowDays: s.renewal.windowDays,
            ...(s.renewal.courseCode && { courseCode: s.renewal.courseCode }),
            ...(s.renewal.assessment && {
              assessmentId: ref('assessment', s.renewal.assessment),
            }),
          }
        : null,
      requiresSupervision: s.requiresSupervision ?? false,
      costIdr: s.costIdr ?? null,
      deliveryMode: s.deliveryMode ?? null,
      evaluationDays: s.evaluationDays ?? null,
      updatedAt: now,
    };
    // A pack scheme is reviewed code: it installs active when it asks for something earned,
    // and stays (or goes back to) a draft when it does not (ADR 0017).
    const real = hasRealRequirement(values.requirements);
    if (entityId) {
      await repo.update({ id: entityId }, real ? values : { ...values, status: 'draft' });
      return entityId;
    }
    const found = await repo.findOneBy({ code: s.code });
    if (found) return found.id;
    const row = repo.create({
      sector,
      code: s.code,
      template: 'certificates/default',
      numberFormat: '{seq}/SERT-{SECTOR}/{SCHEME}/BKPSDM-PSP/{year}',
      status: real ? 'active' : 'draft',
      createdAt: now,
      ...values,
    });
    await repo.insert(row);
    return row.id;
  }

  async recordHash(id: string): Promise<string> {
    const s = await this.transactions.repository(CertificationScheme).findOneBy({ id });
    return checksum(
      s && {
        title: s.title,
        description: s.description,
        targetPositions: s.targetPositions,
        requirements: s.requirements,
        attests: s.attests,
        validityMonths: s.validityMonths,
        renewal: s.renewal,
        status: s.status,
        // Only when set: the hashes of the schemes synced before the flag existed stay as they were.
        ...(s.requiresSupervision && { requiresSupervision: true }),
        ...(s.costIdr !== null && s.costIdr !== undefined && { costIdr: s.costIdr }),
        ...(s.deliveryMode && { deliveryMode: s.deliveryMode }),
        ...(s.evaluationDays !== null &&
          s.evaluationDays !== undefined && { evaluationDays: s.evaluationDays }),
      },
    );
  }

  async archive(id: string, now: Date): Promise<void> {
    await this.transactions
      .repository(CertificationScheme)
      .update({ id }, { status: 'retired', updatedAt: now });
  }
}
