import type { User } from '../../src/identity/user.entity.js';
import type { TestApp } from './test-app.js';

const levels = [1, 2, 3, 4, 5].map((level) => ({
  level,
  description: `Tingkat ${level}`,
  indicators: [`Indikator tingkat ${level}`],
}));

/**
 * A technical competency of `sector`, made by an admin over the API (tests boot without the
 * sector packs). Schemes and assessments of that sector may attest it (ADR 0012).
 */
export async function aSectorCompetency(
  t: TestApp,
  adminToken: string,
  sector: string,
  code: string,
): Promise<string> {
  await t
    .as(adminToken)
    .post('/api/v1/competencies')
    .send({
      code,
      title: `Kompetensi uji ${code}`,
      description: `Kompetensi teknis sektor ${sector} untuk pengujian`,
      type: 'teknis',
      sector,
      levels,
    })
    .expect(201);
  return code;
}

/** A position of `sector`, made by an admin over the API; returns its id. */
export async function aSectorPosition(
  t: TestApp,
  adminToken: string,
  sector: string,
  code: string,
): Promise<string> {
  return (
    await t
      .as(adminToken)
      .post('/api/v1/positions')
      .send({ code, name: `Jabatan uji ${code}`, kind: 'fungsional', sector })
      .expect(201)
  ).body.id as string;
}

/**
 * An ASN "of a sector": one whose position belongs to it, which is what lets that sector's
 * coordinators approve and grade them (ADR 0012).
 */
export function anAsnIn(t: TestApp, positionId: string, extra: Partial<User> = {}): Promise<User> {
  return t.createUser('asn', { positionId, ...extra });
}
