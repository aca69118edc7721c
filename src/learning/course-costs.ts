import type { EntityManager } from 'typeorm';
import { Course } from './course.entity.js';

/** What a plan copies of a course beyond the catalogue's view (ADR 0040). */
export interface CourseCost {
  costIdr: number | null;
  deliveryMode: string | null;
  /** The course's own reaction statements, or null for the four default ones. */
  reactionItems: string[] | null;
}

/** Cost, mode and reaction statements of every published course, by id. */
export async function publishedCourseCosts(db: EntityManager): Promise<Map<string, CourseCost>> {
  const rows = await db.getRepository(Course).find({
    where: { status: 'published' },
    select: { id: true, costIdr: true, deliveryMode: true, reactionItems: true },
  });
  return new Map(
    rows.map((c) => [
      c.id,
      {
        costIdr: c.costIdr == null ? null : Number(c.costIdr),
        deliveryMode: c.deliveryMode,
        reactionItems: c.reactionItems,
      },
    ]),
  );
}
