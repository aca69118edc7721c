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
