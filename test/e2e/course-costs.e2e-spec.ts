import { Course } from '../../src/learning/course.entity.js';
import { CertificationScheme } from '../../src/certification/certification.entity.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

/**
 * Costs, modes, reaction items and evaluation days of courses and schemes (ADR 0040): what
 * an author sets is read back; what is absurd (a negative or billion-rupiah cost, a mode
 * that is none, a questionnaire of one word) is a 400 naming the field, and nothing changes.
 */
describe(`course and scheme costs and modes (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  let coordinatorEmail: string;
  let asn: string;

  beforeAll(async () => {
    t = await bootTestApp();
    const user = await t.createUser('coordinator', { sectors: ['health'] });
    coordinatorEmail = user.email!;
    coordinator = await t.tokenFor(user);
    asn = await t.tokenFor(await t.createUser('asn'));
  });
  afterAll(() => t.close());

  const newCourse = (code: string, extra: object = {}) =>
    t
      .as(coordinator)
      .post('/api/v1/courses')
      .send({ sector: 'health', code, title: `Pelatihan ${code}`, jp: 2, ...extra });

  it('a course keeps cost, mode, pre-test and reaction items, and shows them in the catalogue', async () => {
    const items = ['Materi mudah dipahami', 'Fasilitator menguasai materi'];
    const created = await newCourse('BIAYA-01', {
      costIdr: 1_750_000,
      deliveryMode: 'blended',
      preTest: true,
      reactionItems: items,
    }).expect(201);
    expect(created.body).toMatchObject({
      costIdr: 1_750_000,
      deliveryMode: 'blended',
      preTest: true,
      reactionItems: items,
    });
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${created.body.id}/lessons`)
      .send({ title: 'Bagian 1', kind: 'markdown', body: 'Isi.' })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/courses/${created.body.id}/publish`).expect(200);
    const catalogue = (await t.as(asn).get('/api/v1/courses').expect(200)).body;
    expect(catalogue.find((c: { code: string }) => c.code === 'BIAYA-01')).toMatchObject({
      deliveryMode: 'blended',
      costIdr: 1_750_000,
    });
    // Null clears; a published course's edit goes to its next draft.
    const cleared = await t
      .as(coordinator)
      .patch(`/api/v1/courses/${created.body.id}`)
      .send({ costIdr: null, deliveryMode: null, reactionItems: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ costIdr: null, deliveryMode: null, reactionItems: null });
    const defaults = (await newCourse('BIAYA-02').expect(201)).body;
    expect(defaults).toMatchObject({
      costIdr: null,
      deliveryMode: null,
      preTest: false,
      reactionItems: null,
    });
  });

  it('an absurd cost, an unknown mode or a bad questionnaire is a 400 naming the field; nothing saved', async () => {
    const draft = (await newCourse('BIAYA-03', { costIdr: 500_000 }).expect(201)).body;
    const cases: [object, string][] = [
      [{ costIdr: -1 }, 'costIdr'],
      [{ costIdr: 100_000_001 }, 'costIdr'],
      [{ costIdr: 1_000_000_000_000 }, 'costIdr'],
      [{ costIdr: 1500.5 }, 'costIdr'],
      [{ costIdr: '1500000' }, 'costIdr'],
      [{ deliveryMode: 'webinar' }, 'deliveryMode'],
      [{ preTest: 'ya' }, 'preTest'],
      [{ reactionItems: [] }, 'reactionItems'],
      [{ reactionItems: ['Oke'] }, 'reactionItems'],
      [{ reactionItems: ['x'.repeat(201)] }, 'reactionItems'],
      [{ reactionItems: Array.from({ length: 11 }, (_, i) => `Pernyataan ${i}`) }, 'reactionItems'],
      [{ reactionItems: 'Materi bagus sekali' }, 'reactionItems'],
    ];
    for (const [body, field] of cases) {
      const res = await t
        .as(coordinator)
        .patch(`/api/v1/courses/${draft.id}`)
        .send(body)
        .expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const created = await newCourse('BIAYA-04', { costIdr: 100_000_001 }).expect(400);
    expect(JSON.stringify(created.body)).toContain('costIdr');
    expect(await t.dataSource.getRepository(Course).countBy({ code: 'BIAYA-04' })).toBe(0);
    const stored = await t.dataSource.getRepository(Course).findOneByOrFail({ id: draft.id });
    expect(stored).toMatchObject({ costIdr: 500_000, deliveryMode: null, reactionItems: null });
    // The boundaries are allowed.
    await t.as(coordinator).patch(`/api/v1/courses/${draft.id}`).send({ costIdr: 0 }).expect(200);
    await t
      .as(coordinator)
      .patch(`/api/v1/courses/${draft.id}`)
      .send({ costIdr: 100_000_000 })
      .expect(200);
  });

  it('the authoring page sets them with Indonesian labels, and refuses a bad cost naming it', async () => {
    const draft = (await newCourse('BIAYA-05').expect(201)).body;
    const { agent } = await signInAgent(t, coordinatorEmail);
    const url = `/kelola/pelatihan/${draft.id}`;
    const page = await agent.get(url).expect(200);
    for (const label of [
      'Biaya per peserta (Rp)',
      'Moda',
      'Pre-test',
      'Butir kuesioner reaksi (satu per baris)',
    ])
      expect(page.text).toContain(label);
    const form = {
      _csrf: csrfOf(page.text),
      title: draft.title,
      summary: '',
      objectives: '',
      competencies: '',
      jp: '2',
      minStudyPercent: '50',
      costIdr: '2.500.000',
      deliveryMode: 'on-the-job',
      preTest: '1',
      reactionItems: 'Materi relevan dengan tugas\nWaktu pelatihan cukup',
    };
    await agent.post(url).type('form').send(form).expect(303);
    const saved = (await t.as(coordinator).get(`/api/v1/courses/${draft.id}`).expect(200)).body;
    expect(saved).toMatchObject({
      costIdr: 2_500_000,
      deliveryMode: 'on-the-job',
      preTest: true,
      reactionItems: ['Materi relevan dengan tugas', 'Waktu pelatihan cukup'],
    });
    const again = await agent.get(url).expect(200);
    const bad = await agent
      .post(url)
      .type('form')
      .send({ ...form, _csrf: csrfOf(again.text), costIdr: '-5' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('costIdr');
    const after = (await t.as(coordinator).get(`/api/v1/courses/${draft.id}`).expect(200)).body;
    expect(after.costIdr).toBe(2_500_000);
  });

  it('a scheme keeps cost, mode and evaluation days (90 when unset); bad ones are a 400 naming the field', async () => {
    const created = await t
      .as(coordinator)
      .post('/api/v1/certification-schemes')
      .send({
        sector: 'health',
        code: 'SK-BIAYA',
        title: 'Skema berbiaya',
        costIdr: 3_000_000,
        deliveryMode: 'classical',
      })
      .expect(201);
    expect(created.body).toMatchObject({
      costIdr: 3_000_000,
      deliveryMode: 'classical',
      evaluationDays: 90,
    });
    const id = created.body.id as string;
    const set = await t
      .as(coordinator)
      .put(`/api/v1/certification-schemes/${id}`)
      .send({ evaluationDays: 180 })
      .expect(200);
    expect(set.body.evaluationDays).toBe(180);
    for (const [body, field] of [
      [{ evaluationDays: 0 }, 'evaluationDays'],
      [{ evaluationDays: 731 }, 'evaluationDays'],
      [{ evaluationDays: 1.5 }, 'evaluationDays'],
      [{ costIdr: -100 }, 'costIdr'],
      [{ costIdr: 200_000_000 }, 'costIdr'],
      [{ deliveryMode: 'kilat' }, 'deliveryMode'],
    ] as const) {
      const res = await t
        .as(coordinator)
        .put(`/api/v1/certification-schemes/${id}`)
        .send(body)
        .expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const stored = await t.dataSource.getRepository(CertificationScheme).findOneByOrFail({ id });
    expect(stored).toMatchObject({
      costIdr: 3_000_000,
      deliveryMode: 'classical',
      evaluationDays: 180,
    });
    const cleared = await t
      .as(coordinator)
      .put(`/api/v1/certification-schemes/${id}`)
      .send({ evaluationDays: null })
      .expect(200);
    expect(cleared.body.evaluationDays).toBe(90);
  });

  it('the scheme form takes cost, mode and evaluation days', async () => {
    const { agent } = await signInAgent(t, coordinatorEmail);
    const page = await agent.get('/kelola/skema').expect(200);
    expect(page.text).toContain('Biaya per peserta (Rp)');
    await agent
      .post('/kelola/skema')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        code: 'SK-BIAYA-FORM',
        title: 'Skema dari formulir',
        sector: 'health',
        approval: '1',
        validityMonths: '36',
        costIdr: '1.250.000',
        deliveryMode: 'e-learning',
        evaluationDays: '120',
      })
      .expect(303);
    const stored = await t.dataSource
      .getRepository(CertificationScheme)
      .findOneByOrFail({ code: 'SK-BIAYA-FORM' });
    expect(stored).toMatchObject({
      costIdr: 1_250_000,
      deliveryMode: 'e-learning',
      evaluationDays: 120,
    });
  });
});
