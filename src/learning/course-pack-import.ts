import { Injectable } from '@nestjs/common';
import { Not } from 'typeorm';
import { TransactionService } from '../database/transaction.service.js';
import { type PackImportContext, type PackImporter, checksum } from '../registry/pack-import.js';
import { Course, type DeliveryMode, Lesson } from './course.entity.js';
import { DEFAULT_MIN_STUDY_PERCENT } from './study-rule.js';

/** A course as a sector's pack (`courses.json` and its lesson files) states it. */
export interface PackCourse {
  code: string;
  title: string;
  summary: string;
  objectives: string[];
  jp: number;
  /** Share of each lesson's minutes it must be open before it can be marked done (default 50; 0 for reference). */
  minStudyPercent?: number;
  /** Or fixed minutes per lesson, instead of the share. */
  minStudyMinutes?: number;
  /** May be credited again in a year it already was (default false: once a year, ADR 0018). */
  repeatable?: boolean;
  /** Estimated cost per participant in whole rupiah (ADR 0040); absent: unknown. */
  costIdr?: number | null;
  deliveryMode?: DeliveryMode | null;
  /** Learners may sit a pre-test (needs an assessment lesson; packs' courses have none yet). */
  preTest?: boolean;
  /** The reaction questionnaire's statements; absent: the platform's defaults. */
  reactionItems?: string[] | null;
  competencies: { code: string; level: number }[];
  lessons: { title: string; durationMinutes: number; body: string }[];
}

/**
 * Installs a pack's courses (see `PackImporter`). A published course is never edited: a
 * changed pack publishes the course's next version and archives the one before.
 */
@Injectable()
export class CoursePackImport implements PackImporter<PackCourse> {
  readonly kind = 'course';

  constructor(private readonly transactions: TransactionService) {}

  async write(c: PackCourse, { sector, now }: PackImportContext): Promise<string> {
    const repo = this.transactions.repository(Course);
    const latest = await repo.findOne({ where: { code: c.code }, order: { version: 'DESC' } });
    if (latest)
      await repo.update(
        { code: c.code, status: 'published' },
        { status: 'archived', updatedAt: now },
      );
    const course = repo.create({
      code: c.code,
      version: (latest?.version ?? 0) + 1,
      status: 'published',
      sector,
      title: c.title,
      summary: c.summary,
      objectives: c.objectives,
      competencies: c.competencies,
      jp: c.jp,
      durationMinutes: c.lessons.reduce((n, l) => n + (l.durationMinutes || 15), 0),
      minStudyPercent: c.minStudyPercent ?? DEFAULT_MIN_STUDY_PERCENT,
      minStudyMinutes: c.minStudyMinutes ?? null,
      repeatable: c.repeatable ?? false,
      costIdr: c.costIdr ?? null,
      deliveryMode: c.deliveryMode ?? null,
      preTest: c.preTest ?? false,
      reactionItems: c.reactionItems ?? null,
      publishedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(course);
    await this.transactions.repository(Lesson).insert(
      c.lessons.map((l, i) => ({
        courseId: course.id,
        position: i + 1,
        section: null,
        title: l.title,
        kind: 'markdown' as const,
        body: l.body,
        url: null,
        linkNote: null,
        fileKey: null,
        fileName: null,
        fileSize: null,
        assessmentId: null,
        required: true,
        durationMinutes: l.durationMinutes || 15,
      })),
    );
    return course.id;
  }

  async recordHash(id: string): Promise<string> {
    const courses = this.transactions.repository(Course);
    const c = await courses.findOneBy({ id });
    // A coordinator's own newer version (or a retirement) counts as a local change.
    const newer =
      c &&
      (await courses.existsBy({ code: c.code, version: Not(c.version), status: Not('archived') }));
    const lessons = await this.transactions
      .repository(Lesson)
      .find({ where: { courseId: id }, order: { position: 'ASC' } });
    return checksum(
      c && {
        newer,
        status: c.status,
        title: c.title,
        summary: c.summary,
        objectives: c.objectives,
        jp: c.jp,
        competencies: c.competencies,
        lessons: lessons.map((l) => [l.title, l.body, l.kind]),
      },
    );
  }

  async archive(id: string, now: Date): Promise<void> {
    await this.transactions
      .repository(Course)
      .update({ id, status: 'published' }, { status: 'archived', updatedAt: now });
  }
}
