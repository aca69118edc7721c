import { AttemptDeadlineJob } from '../../src/assessment/engine/attempt-deadline.job.js';
import { bootTestApp, engine, type TestApp } from '../helpers/test-app.js';

const TOKEN = 'metrik-uji-0123456789abcdef';

/** The value of one sample of the Prometheus text, or 0 when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) &&
        wanted.every((w) => l.includes(w)),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe(`metrics (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.close());

  const scrape = async () => (await t.as(TOKEN).get('/metrics').expect(200)).text;

  it('needs its token, and shows the counters of an exam flow moving', async () => {
    await t.http.get('/metrics').expect(401);
    await t.as('salah').get('/metrics').expect(401);

    const coordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['health'] }),
    );
    const asn = await t.tokenFor(await t.createUser('asn'));
    const bank = await t
      .as(coordinator)
      .post('/api/v1/question-banks')
      .send({ name: 'Bank metrik', sector: 'health' })
      .expect(201);
    await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank.body.id}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send('::Q1:: Satu? {=Ya ~Tidak}\n\n::Q2:: Dua? {=Ya ~Tidak}')
      .expect(200);
    const exam = await t
      .as(coordinator)
      .post('/api/v1/assessments')
      .send({
        title: 'Ujian metrik',
        sector: 'health',
        timeLimitMinutes: 30,
        passPercent: 50,
        maxAttempts: 1,
        sections: [{ bankId: bank.body.id, count: 2 }],
        reviewPolicy: 'score',
      })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/assessments/${exam.body.id}/publish`);

    const before = await scrape();
    const attempt = await t
      .as(asn)
      .post(`/api/v1/assessments/${exam.body.id}/attempts`)
      .expect(201);
    const open = await scrape();
    expect(sample(open, 'sertifikasi_open_attempts')).toBe(
      sample(before, 'sertifikasi_open_attempts') + 1,
    );
    for (const item of attempt.body.items as { slot: number; options: { id: string }[] }[])
      await t
        .as(asn)
        .put(`/api/v1/attempts/${attempt.body.id}/answers/${item.slot}`)
        .send({ response: item.options[0].id })
        .expect(200);
    await t.as(asn).post(`/api/v1/attempts/${attempt.body.id}/submit`).expect(200);
    await t.app.get(AttemptDeadlineJob).tick();

    const after = await scrape();
    expect(sample(after, 'sertifikasi_answer_saves_total', { stored: 'true' })).toBe(
      sample(before, 'sertifikasi_answer_saves_total', { stored: 'true' }) + 2,
    );
    const route = { route: '/api/v1/attempts/:id/answers/:slot', status: '200' };
    expect(sample(after, 'sertifikasi_http_requests_total', route)).toBe(2);
    expect(
      sample(after, 'sertifikasi_http_request_duration_seconds_count', {
        route: '/api/v1/attempts/:id/submit',
      }),
    ).toBe(1);
    expect(sample(after, 'sertifikasi_open_attempts')).toBe(
      sample(before, 'sertifikasi_open_attempts'),
    );
    expect(
      sample(after, 'sertifikasi_job_runs_total', {
        job: 'assessment.close-overdue',
        outcome: 'ran',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(after).toContain('sertifikasi_process_resident_memory_bytes');
    if (engine === 'mysql')
      expect(sample(after, 'sertifikasi_db_pool_connections', { state: 'open' })).toBeGreaterThan(
        0,
      );
  });
});
