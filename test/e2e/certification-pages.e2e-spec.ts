import { aSectorCompetency, aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

describe(`certification pages (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it('a scheme with a practical assessment: the coordinator approves on the queue page, the ASN sees the certificate, the admin revokes it on the page', async () => {
    const coordinatorUser = await t.createUser('coordinator', { sectors: ['health'] });
    const token = await t.tokenFor(coordinatorUser);
    // The scheme attests a health competency; the candidate is an ASN of the health sector,
    // whom the health coordinator may approve (ADR 0012).
    const setup = await t.tokenFor(await t.createUser('admin'));
    await aSectorCompetency(t, setup, 'health', 'KES.BHD');
    const healthPosition = await aSectorPosition(t, setup, 'health', 'KES-PERAWAT');
    const bank = (
      await t
        .as(token)
        .post('/api/v1/question-banks')
        .send({ name: 'Bank BHD', sector: 'health' })
        .expect(201)
    ).body;
    await t
      .as(token)
      .post(`/api/v1/question-banks/${bank.id}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send('::BHD:: Kompresi dada dewasa minimal 5 cm. {T}')
      .expect(200);
    const assessment = (
      await t
        .as(token)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian BHD',
          sector: 'health',
          passPercent: 100,
          sections: [{ bankId: bank.id, count: 1 }],
        })
        .expect(201)
    ).body;
    await t.as(token).post(`/api/v1/assessments/${assessment.id}/publish`).expect(200);

    const { agent: coordinator } = await signInAgent(t, coordinatorUser.email!);
    const manage = await coordinator.get('/kelola/skema').expect(200);
    await coordinator
      .post('/kelola/skema')
      .type('form')
      .send({
        _csrf: csrfOf(manage.text),
        code: 'bhd-praktik',
        title: 'Bantuan Hidup Dasar',
        sector: 'health',
        assessments: assessment.id,
        minPercent: '100',
        approval: '1',
        attests: 'KES.BHD:2',
        validityMonths: '24',
      })
      .expect(303);
    // A new scheme is a draft: the coordinator activates it on its preview page (ADR 0017).
    const drafts = await coordinator.get('/kelola/skema').expect(200);
    const previewUrl = /href="(\/kelola\/skema\/[^"]+\/aktivasi)"/.exec(drafts.text)![1];
    const preview = await coordinator.get(previewUrl).expect(200);
    expect(preview.text).toContain('langsung menerbitkan 0 sertifikat');
    await coordinator
      .post(previewUrl)
      .type('form')
      .send({ _csrf: csrfOf(preview.text), confirm: '0' })
      .expect(303);

    const asnUser = await anAsnIn(t, healthPosition, { name: 'Budi Santoso' });
    const asn = await t.tokenFor(asnUser);
    const attempt = (
      await t.as(asn).post(`/api/v1/assessments/${assessment.id}/attempts`).expect(201)
    ).body;
    await t
      .as(asn)
      .put(`/api/v1/attempts/${attempt.id}/answers/1`)
      .send({ response: true })
      .expect(200);
    await t.as(asn).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    expect((await t.as(asn).get('/api/v1/me/certificates')).body).toEqual([]);

    const queue = await coordinator.get('/kelola/skema').expect(200);
    expect(queue.text).toContain('Budi Santoso');
    const action = new RegExp(`action="(/kelola/skema/[^"]+/persetujuan/${asnUser.id})"`).exec(
      queue.text,
    )![1];
    // Rejecting needs a reason; approving issues the certificate at once.
    await coordinator
      .post(action)
      .type('form')
      .send({ _csrf: csrfOf(queue.text), decision: 'reject' })
      .expect(400);
    await coordinator
      .post(action)
      .type('form')
      .send({
        _csrf: csrfOf(queue.text),
        decision: 'approve',
        notes: 'RJP 30:2 benar, kedalaman cukup',
      })
      .expect(303);
    const [certificate] = (await t.as(asn).get('/api/v1/me/certificates')).body;
    expect(certificate.number).toMatch(/^001\/SERT-KES\/BHD-PRAKTIK\/BKPSDM-PSP\/\d{4}$/);

    const { agent: holder } = await signInAgent(t, asnUser.email!);
    const mine = await holder.get('/sertifikat').expect(200);
    expect(mine.text).toContain(certificate.number);
    const html = await holder.get(`/sertifikat/${certificate.id}`).expect(200);
    expect(html.text).toContain('<svg');
    expect(html.text).toContain(`/verify/${certificate.code}`);
    const pdf = await holder.get(`/sertifikat/${certificate.id}/pdf`).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    const adminUser = await t.createUser('admin');
    const { agent: admin } = await signInAgent(t, adminUser.email!);
    const search = await admin
      .get(`/admin/sertifikat?q=${encodeURIComponent(certificate.number)}`)
      .expect(200);
    expect(search.text).toContain('Budi Santoso');
    // Any part of the number finds it.
    const part = certificate.number.split('/')[0];
    const byPart = await admin.get(`/admin/sertifikat?q=${part}`).expect(200);
    expect(byPart.text).toContain(certificate.number);
    // Cabut is a link to a page of its own, which shows what goes and asks why.
    expect(search.text).toContain(`href="/admin/sertifikat/${certificate.id}/cabut"`);
    const confirm = await admin.get(`/admin/sertifikat/${certificate.id}/cabut`).expect(200);
    expect(confirm.text).toContain(certificate.number);
    expect(confirm.text).toContain('Budi Santoso');
    const refused = await admin
      .post(`/admin/sertifikat/${certificate.id}/cabut`)
      .type('form')
      .send({ _csrf: csrfOf(confirm.text), reason: '  ' })
      .expect(400);
    expect(refused.text).toContain('Alasan pencabutan minimal 5 karakter');
    expect((await t.http.get(`/api/v1/verify/${certificate.code}`).expect(200)).body.status).toBe(
      'active',
    );
    await coordinator.get(`/admin/sertifikat/${certificate.id}/cabut`).expect(403);
    await admin
      .post(`/admin/sertifikat/${certificate.id}/cabut`)
      .type('form')
      .send({ _csrf: csrfOf(confirm.text), reason: 'Uji praktik diulang' })
      .expect(303);
    const verify = await t.http.get(`/verify/${certificate.code}`).expect(200);
    expect(verify.text).toContain('DICABUT');
    await t.http.get('/verify/ZZZZZZZZZZZZZZZZ').expect(404);
    await coordinator.get('/admin/sertifikat').expect(403);
  });
});
