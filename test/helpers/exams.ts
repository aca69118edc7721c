import type { TestApp } from './test-app.js';

/** Through the API, as `coordinator` (of health): a health bank of `gift` questions; its id. */
export async function aGiftBank(
  t: TestApp,
  coordinator: string,
  name: string,
  gift: string,
): Promise<string> {
  const bankId = (
    await t
      .as(coordinator)
      .post('/api/v1/question-banks')
      .send({ name, sector: 'health' })
      .expect(201)
  ).body.id as string;
  await t
    .as(coordinator)
    .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
    .set('content-type', 'text/plain')
    .send(gift)
    .expect(200);
  return bankId;
}

/**
 * Through the API, as `coordinator` (a coordinator of health): a bank of `gift` questions and
 * a published health assessment drawing `count` of them in the bank's order, attempts
 * unlimited, pass mark 50 %. `settings` add to or replace the assessment's fields.
 * @returns the assessment's and the bank's ids
 */
export async function publishedExam(
  t: TestApp,
  coordinator: string,
  exam: { title: string; gift: string; count: number; settings?: object },
): Promise<{ id: string; bankId: string }> {
  const bank = { id: await aGiftBank(t, coordinator, `Bank ${exam.title}`, exam.gift) };
  const id = (
    await t
      .as(coordinator)
      .post('/api/v1/assessments')
      .send({
        title: exam.title,
        sector: 'health',
        passPercent: 50,
        maxAttempts: 0,
        shuffle: false,
        sections: [{ bankId: bank.id, count: exam.count }],
        ...exam.settings,
      })
      .expect(201)
  ).body.id as string;
  await t.as(coordinator).post(`/api/v1/assessments/${id}/publish`).expect(200);
  return { id, bankId: bank.id };
}
