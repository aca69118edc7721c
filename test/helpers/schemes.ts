import type { TestApp } from './test-app.js';

const bearer = { type: 'bearer' as const };

/**
 * Activates a draft scheme as a staff member would (ADR 0017): reads the preview, then confirms
 * its number. Answers the preview count and how many the activation issued.
 */
export async function activateScheme(
  t: Pick<TestApp, 'http'>,
  token: string,
  schemeId: string,
): Promise<{ count: number; issued: number }> {
  const preview = await t.http
    .get(`/api/v1/certification-schemes/${schemeId}/activation-preview`)
    .auth(token, bearer)
    .expect(200);
  const activated = await t.http
    .post(`/api/v1/certification-schemes/${schemeId}/activate`)
    .auth(token, bearer)
    .send({ confirm: preview.body.count })
    .expect(200);
  return { count: preview.body.count as number, issued: activated.body.issued as number };
}
