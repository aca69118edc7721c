import { CertificationScheme } from '../../src/certification/certification.entity.js';
import type { TestApp } from './test-app.js';

/**
 * Activates a draft scheme as a staff member would (ADR 0017): reads the preview, then confirms
 * its number. Answers the preview count and how many the activation issued.
 */
export async function activateScheme(
  t: Pick<TestApp, 'as'>,
  token: string,
  schemeId: string,
): Promise<{ count: number; issued: number }> {
  const preview = await t
    .as(token)
    .get(`/api/v1/certification-schemes/${schemeId}/activation-preview`)
    .expect(200);
  const activated = await t
    .as(token)
    .post(`/api/v1/certification-schemes/${schemeId}/activate`)
    .send({ confirm: preview.body.count })
    .expect(200);
  return { count: preview.body.count as number, issued: activated.body.issued as number };
}

/**
 * An active health scheme whose only requirement is an assessor's approval (so a test issues
 * its certificates directly), read back as the entity the issuer takes.
 */
export async function anApprovalScheme(
  t: TestApp,
  token: string,
  scheme: { code: string; title: string; validityMonths: number },
): Promise<CertificationScheme> {
  const created = (
    await t
      .as(token)
      .post('/api/v1/certification-schemes')
      .send({
        sector: 'health',
        ...scheme,
        requirements: { approval: true },
        attests: [{ competencyCode: 'M.1', level: 2 }],
      })
      .expect(201)
  ).body;
  await activateScheme(t, token, created.id);
  return (await t.dataSource.getRepository(CertificationScheme).findOneBy({ id: created.id }))!;
}
