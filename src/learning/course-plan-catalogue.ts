import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Course } from './course.entity.js';
import { CoursesService } from './courses.service.js';
import { JpCredit } from './enrollment.entity.js';

/** A course as a development plan copies it (ADR 0040). */
export interface PlannableCourse {
  id: string;
  code: string;
  title: string;
  sector: string;
  jp: number;
  /** Per participant, in whole rupiah; 0 when the course has none. */
  costIdr: number;
  deliveryMode: string | null;
  competencies: { code: string; level: number }[];
}

/**
 * What development plans may know of courses: the published catalogue with costs and modes,
 * which course codes a person completed in a year and the JP credited to them in it. The
 * year is the JP ledger's (ADR 0018).
 */
@Injectable()
export class CoursePlanCatalogue {
  constructor(
    private readonly courses: CoursesService,
    @InjectRepository(Course) private readonly rows: Repository<Course>,
    @InjectRepository(JpCredit) private readonly credits: Repository<JpCredit>,
  ) {}

  /** Published courses of enabled sectors, in the catalogue's order. */
  async published(): Promise<PlannableCourse[]> {
    const catalogue = await this.courses.catalogue();
    if (!catalogue.length) return [];
    const costs = new Map(
      (
        await this.rows.find({
          select: { id: true, costIdr: true, deliveryMode: true },
          where: { id: In(catalogue.map((c) => c.id)) },
        })
      ).map((c) => [c.id, c]),
    );
    return catalogue.map((c) => ({
      id: c.id,
      code: c.code,
      title: c.title,
      sector: c.sector,
      jp: Number(c.jp),
      costIdr: costs.get(c.id)?.costIdr ?? 0,
      deliveryMode: costs.get(c.id)?.deliveryMode ?? null,
      competencies: c.competencies,
    }));
  }

  /** A published course of an enabled sector, or null. */
  async publishedById(id: string): Promise<PlannableCourse | null> {
    return (await this.published()).find((c) => c.id === id) ?? null;
  }

  /** Of these course codes, those the user completed (any version) in the year, with when. */
  async completedInYear(
    userId: string,
    codes: readonly string[],
    year: number,
  ): Promise<Map<string, Date>> {
    const done = new Map<string, Date>();
    if (!codes.length) return done;
    const lines = await this.credits.find({
      select: { id: true, courseCode: true, completedAt: true },
      where: { userId, year, source: 'course', courseCode: In([...codes]) },
      order: { completedAt: 'ASC' },
    });
    for (const line of lines)
      if (line.courseCode && !done.has(line.courseCode))
        done.set(line.courseCode, line.completedAt);
    return done;
  }

  /** All JP credited to each user in the year. */
  async creditedJp(userIds: readonly string[], year: number): Promise<Map<string, number>> {
    const result = new Map<string, number>(userIds.map((id) => [id, 0]));
    if (!userIds.length) return result;
    const rows: { userId: string; total: string | number | null }[] = await this.credits
      .createQueryBuilder('c')
      .select('c.userId', 'userId')
      .addSelect('SUM(c.jp)', 'total')
      .where('c.userId IN (:...ids) AND c.year = :year', { ids: [...userIds], year })
      .groupBy('c.userId')
      .getRawMany();
    for (const r of rows) result.set(r.userId, Math.round(Number(r.total ?? 0) * 100) / 100);
    return result;
  }
}
