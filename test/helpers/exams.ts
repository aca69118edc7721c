import type { TestApp } from './test-app.js';

/** Through the API, as `coordinator` (of health): an empty health bank; its id. */
export async function aHealthBank(t: TestApp, coordinator: string, name: string): Promise<string> {
  return (
    await t
      .as(coordinator)
      .post('/api/v1/question-banks')
      .send({ name, sector: 'health' })
      .expect(201)
  ).body.id as string;
}

/** The import request of a GIFT (text/plain) or Moodle XML (application/xml) file into a bank. */
export function importQuestions(
  t: TestApp,
  token: string,
  bankId: string,
  format: 'gift' | 'moodle-xml',
  body: string | Buffer,
) {
  return t
    .as(token)
    .post(`/api/v1/question-banks/${bankId}/import`)
    .query({ format })
    .set('content-type', format === 'gift' ? 'text/plain' : 'application/xml')
    .send(typeof body === 'string' ? body : body.toString('utf8'));
}

/** Through the API, as `coordinator` (of health): a health bank of `gift` questions; its id. */
export async function aGiftBank(
  t: TestApp,
  coordinator: string,
  name: string,
  gift: string,
): Promise<string> {
  const bankId = await aHealthBank(t, coordinator, name);
  await importQuestions(t, coordinator, bankId, 'gift', gift).expect(200);
  return bankId;
}

/**
 * Through the API, as `coordinator` (of health): a published health assessment drawing
 * `count` questions of `bankId` in the bank's order, attempts unlimited, pass mark 50 %.
 * `settings` add to or replace the assessment's fields. @returns its id
 */
export async function publishedBankExam(
  t: TestApp,
  coordinator: string,
  exam: { title: string; bankId: string; count: number; settings?: object },
): Promise<string> {
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
        sections: [{ bankId: exam.bankId, count: exam.count }],
        ...exam.settings,
      })
      .expect(201)
  ).body.id as string;
  await t.as(coordinator).post(`/api/v1/assessments/${id}/publish`).expect(200);
  return id;
}

/**
 * Through the API, as `coordinator` (a coordinator of health): a bank of `gift` questions and
 * a published health assessment drawing `count` of them in the bank's order (as
 * {@link publishedBankExam}). @returns the assessment's and the bank's ids
 */
export async function publishedExam(
  t: TestApp,
  coordinator: string,
  exam: { title: string; gift: string; count: number; settings?: object },
): Promise<{ id: string; bankId: string }> {
  const bankId = await aGiftBank(t, coordinator, `Bank ${exam.title}`, exam.gift);
  const id = await publishedBankExam(t, coordinator, { ...exam, bankId });
  return { id, bankId };
}
