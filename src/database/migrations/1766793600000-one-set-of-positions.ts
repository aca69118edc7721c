import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AuditEntry } from '../../platform/audit/audit-entry.entity.js';

/**
 * The positions the demo data used to make beside the sector packs' own ones of the same
 * name, and the standard the demo gave them (frozen here: the demo no longer makes them).
 */
const DEMO_DUPLICATES = [
  {
    from: 'PERAWAT-AP',
    into: 'KES-PERAWAT-AP',
    standard: { 'M.1': 3, 'M.2': 2, 'M.3': 2, 'M.5': 3, 'SK.1': 2 },
  },
  {
    from: 'GURU-AP',
    into: 'DIK-GURU-AP',
    standard: { 'M.1': 3, 'M.3': 3, 'M.6': 2, 'SK.1': 3 },
  },
  {
    from: 'PRANATA-KOMPUTER-AP',
    into: 'ADM-PRAKOM-AP',
    standard: { 'M.1': 2, 'M.4': 3, 'M.7': 2, 'SK.1': 2 },
  },
];

interface Row {
  id: string;
  code: string;
  name: string;
  sector: string | null;
}

/**
 * One set of positions (ADR 0028): an installation that ran the demo data holds, beside a
 * pack's "Perawat Ahli Pertama" (KES-PERAWAT-AP), the demo's (PERAWAT-AP), and whoever was
 * given the demo's never became eligible for the pack's schemes. Where it is safe, the
 * demo's is merged into the pack's: its holders move over and it goes, with the standard
 * the demo gave it. Safe means nothing anyone decided is lost or changes meaning: both
 * exist, with one name and one sector; the demo's standard is still the demo's own (not
 * edited since); and no scheme or assessment names the demo's code. Otherwise both stay,
 * and the log says why (the positions page marks positions that share a name).
 */
export class OneSetOfPositions1766793600000 implements MigrationInterface {
  name = 'OneSetOfPositions1766793600000';

  async up(q: QueryRunner): Promise<void> {
    const logger = new Logger('Migration');
    for (const duplicate of DEMO_DUPLICATES) {
      const rows: Row[] = await q.query(
        'SELECT id, code, name, sector FROM positions WHERE code IN (?, ?)',
        [duplicate.from, duplicate.into],
      );
      const from = rows.find((r) => r.code === duplicate.from);
      const into = rows.find((r) => r.code === duplicate.into);
      if (!from || !into) continue;
      const problem = await this.unsafe(q, duplicate, from, into);
      if (problem) {
        logger.warn(`Position ${from.code} not merged into ${into.code}: ${problem}`);
        continue;
      }
      const [{ holders }] = await q.query(
        'SELECT COUNT(*) AS holders FROM users WHERE positionId = ?',
        [from.id],
      );
      await q.query('UPDATE users SET positionId = ? WHERE positionId = ?', [into.id, from.id]);
      await q.query('DELETE FROM position_requirements WHERE positionId = ?', [from.id]);
      await q.query('DELETE FROM positions WHERE id = ?', [from.id]);
      const entry = Object.assign(new AuditEntry(), {
        id: randomUUID(),
        at: new Date(),
        actorId: null,
        actorRole: null,
        action: 'position.merge',
        entityType: 'position',
        entityId: into.id,
        detail: { from: from.code, into: into.code, holders: Number(holders) },
        ip: null,
      });
      // Through the entity, so each engine gets its own date format; `never`: the JSON
      // detail type is too deep for TypeORM's partial-entity type.
      await q.manager.insert(AuditEntry, entry as never);
      logger.log(`Position ${from.code} merged into ${into.code} (${Number(holders)} holders)`);
    }
  }

  /** Why merging these two would lose or change something, or null when it is safe. */
  private async unsafe(
    q: QueryRunner,
    duplicate: (typeof DEMO_DUPLICATES)[number],
    from: Row,
    into: Row,
  ): Promise<string | null> {
    const normal = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
    if (normal(from.name) !== normal(into.name)) return 'renamed since';
    if (from.sector !== into.sector) return 'different sectors';
    const lines: { code: string; level: number }[] = await q.query(
      `SELECT c.code AS code, r.requiredLevel AS level FROM position_requirements r
       INNER JOIN competencies c ON c.id = r.competencyId WHERE r.positionId = ?`,
      [from.id],
    );
    const seeded = Object.entries(duplicate.standard);
    const same =
      lines.length === seeded.length &&
      seeded.every(([code, level]) =>
        lines.some((l) => l.code === code && Number(l.level) === level),
      );
    if (!same) return 'its standard was edited since the demo made it';
    const quoted = `%"${from.code}"%`;
    const [{ schemes }] = await q.query(
      'SELECT COUNT(*) AS schemes FROM certification_schemes WHERE targetPositions LIKE ?',
      [quoted],
    );
    if (Number(schemes)) return 'a certification scheme targets it';
    const [{ assessments }] = await q.query(
      'SELECT COUNT(*) AS assessments FROM assessments WHERE audience LIKE ?',
      [quoted],
    );
    if (Number(assessments)) return 'an assessment is open to it';
    return null;
  }

  /** A merge is not undone: which holders came from where is in the audit log. */
  async down(): Promise<void> {}
}
