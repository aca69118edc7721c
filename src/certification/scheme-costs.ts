import type { EntityManager } from 'typeorm';
import { CertificationScheme } from './certification.entity.js';

/** What a plan copies of a scheme beyond its view (ADR 0040). */
export interface SchemeCost {
  costIdr: number | null;
  deliveryMode: string | null;
}

/** Cost per participant and delivery mode of every active scheme, by id. */
export async function activeSchemeCosts(db: EntityManager): Promise<Map<string, SchemeCost>> {
  const rows = await db.getRepository(CertificationScheme).find({
    where: { status: 'active' },
    select: { id: true, costIdr: true, deliveryMode: true },
  });
  return new Map(
    rows.map((s) => [
      s.id,
      { costIdr: s.costIdr == null ? null : Number(s.costIdr), deliveryMode: s.deliveryMode },
    ]),
  );
}
