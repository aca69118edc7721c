import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';
import { aNip } from '../helpers/nip.js';
import { aSectorCompetency } from '../helpers/sector-world.js';

const GIFT = [
  '::Q1:: Cuci tangan sebelum kontak pasien. {T}',
  '::Q2:: Sarung tangan menggantikan cuci tangan. {F}',
].join('\n\n');
const MINUTE = 60_000;
const LOCATION = 'Aula BKPSDM Lantai 2, Padangsidempuan';

/** The day a moment falls on in Padangsidempuan (WIB, UTC+7). */
const wibDay = (iso: string) =>
  new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);

interface Certificate {
  id: string;
  code: string;
  number: string;
  status: string;
  schemeCode: string;
  revokedReason: string | null;
}

describe(`certification requiring a supervised exam (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  let assessmentId: string;
  let schemeId: string;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    await aSectorCompetency(t, admin, 'health', 'KES.PPI-SUP');
    const bank = (
      await t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Bank Ujian Tersupervisi PPI', sector: 'health' })
        .expect(201)
    ).body;
    await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank.id}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);
    // Online at first: a pass sat without supervision exists before the exam is supervised.
    assessmentId = (
      await t
        .as(coordinator)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian Sertifikasi PPI Tersupervisi',
          sector: 'health',
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections: [{ bankId: bank.id, count: 2 }],
        })
        .expect(201)
    ).body.id;
    await t.as(coordinator).post(`/api/v1/assessments/${assessmentId}/publish`).expect(200);
    const scheme = (
      await t
        .as(coordinator)
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code: 'PPI-SUPERVISI',
          title: 'PPI Dasar (ujian tersupervisi)',
          requiresSupervision: true,
          requirements: { assessments: [{ assessmentId, minPercent: 100 }] },
          attests: [{ competencyCode: 'KES.PPI-SUP', level: 3 }],
          validityMonths: 24,
        })
        .expect(201)
    ).body;
    expect(scheme.requiresSupervision).toBe(true);
    schemeId = scheme.id;
    await activateScheme(t, coordinator, schemeId);
    // The same exam under a scheme that does not require supervision: any pass counts.
    const online = (
      await t
        .as(coordinator)
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code: 'PPI-DARING',
          title: 'PPI Dasar (daring)',
          requirements: { assessments: [{ assessmentId, minPercent: 100 }] },
          attests: [{ competencyCode: 'KES.PPI-SUP', level: 2 }],
          validityMonths: 24,
        })
        .expect(201)
    ).body;
    expect(online.requiresSupervision).toBe(false);
    await activateScheme(t, coordinator, online.id);
  });
  afterAll(() => t.close());

  async function answerAndSubmit(token: string, attempt: { id: string; items: unknown[] }) {
    for (const item of attempt.items as { slot: number; stem: string }[])
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: item.stem.includes('sebelum kontak') })
        .expect(200);
    return (await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200)).body;
  }

  async function certificatesOf(token: string, scheme = 'PPI-SUPERVISI'): Promise<Certificate[]> {
    return (
      (await t.as(token).get('/api/v1/me/certificates').expect(200)).body as Certificate[]
    ).filter((c) => c.schemeCode === scheme);
  }

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    let value = await read();
    for (let i = 0; i < 50 && !done(value); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await read();
    }
    return value;
  }

  it('the scheme shows that it requires supervision; a flag that is not a boolean is a 400', async () => {
    const listed = (await t.as(coordinator).get(`/api/v1/certification-schemes/${schemeId}`)).body;
    expect(listed).toMatchObject({ requiresSupervision: true, status: 'active' });
    await t
      .as(coordinator)
      .put(`/api/v1/certification-schemes/${schemeId}`)
      .send({ requiresSupervision: 'ya' })
      .expect(400);
  });

  it('an unsupervised pass does not earn it; a pass in a supervised session does, and verification says so', async () => {
    const nip = aNip(4321);
    const candidate = await t.createUser('asn', { nip, name: 'Rahmi Siregar' });
    const asn = await t.tokenFor(candidate);

    // Online, unsupervised: passed, but it does not count for this scheme.
    const online = (
      await t.as(asn).post(`/api/v1/assessments/${assessmentId}/attempts`).expect(201)
    ).body;
    expect((await answerAndSubmit(asn, online)).result.passed).toBe(true);
    expect(await certificatesOf(asn)).toHaveLength(0);
    // The scheme without the requirement is earned by it, and its verification says nothing
    // of supervision.
    const [daring] = await eventually(
      () => certificatesOf(asn, 'PPI-DARING'),
      (list) => list.length > 0,
    );
    expect(daring.status).toBe('active');
    const plain = (await t.http.get(`/api/v1/verify/${daring.code}`).expect(200)).body;
    expect(plain.valid).toBe(true);
    expect(plain.certificate).not.toHaveProperty('supervision');
    await t.as(asn).post('/api/v1/me/schemes/check').expect(200);
    expect(await certificatesOf(asn)).toHaveLength(0);
    const progress = (await t.as(asn).get('/api/v1/me/schemes').expect(200)).body.find(
      (s: { code: string }) => s.code === 'PPI-SUPERVISI',
    );
    expect(progress).toMatchObject({ met: false, state: 'missing', certificate: null });
    expect(progress.requirements).toEqual([
      expect.objectContaining({
        kind: 'assessment',
        met: false,
        label: 'Ujian tersupervisi (minimal 100%)',
      }),
    ]);

    // The exam becomes supervised: a session in a room, a proctor, the candidate assigned.
    await t
      .as(coordinator)
      .put(`/api/v1/assessments/${assessmentId}`)
      .send({ supervised: true })
      .expect(200);
    const proctor = await t.createUser('asn', { nip: aNip(4322), name: 'Pengawas Ujian' });
    const proctorToken = await t.tokenFor(proctor);
    const now = Date.now();
    const startsAt = new Date(now - 10 * MINUTE).toISOString();
    const endsAt = new Date(now + 120 * MINUTE).toISOString();
    const session = (
      await t
        .as(coordinator)
        .post(`/api/v1/assessments/${assessmentId}/sessions`)
        .send({ startsAt, endsAt, location: LOCATION, capacity: 30, proctorIds: [proctor.id] })
        .expect(201)
    ).body;
    await t
      .as(coordinator)
      .post(`/api/v1/sessions/${session.id}/candidates`)
      .send({ nips: [nip] })
      .expect((res) => expect([200, 201]).toContain(res.status));
    const { pin } = (await t.as(proctorToken).get(`/api/v1/sessions/${session.id}`).expect(200))
      .body;
    expect(pin).toEqual(expect.any(String));

    const supervised = (
      await t
        .as(asn)
        .post(`/api/v1/assessments/${assessmentId}/attempts`)
        .send({ sessionId: session.id, pin })
        .expect(201)
    ).body;
    expect((await answerAndSubmit(asn, supervised)).result.passed).toBe(true);

    const [certificate] = await eventually(
      () => certificatesOf(asn),
      (list) => list.length > 0,
    );
    expect(certificate).toMatchObject({ status: 'active' });

    // The public verification says the exam was supervised, when and where.
    const verify = (await t.http.get(`/api/v1/verify/${certificate.code}`).expect(200)).body;
    expect(verify).toMatchObject({
      valid: true,
      status: 'active',
      certificate: {
        number: certificate.number,
        holderName: 'Rahmi Siregar',
        supervision: {
          supervised: true,
          required: true,
          label: 'Ujian tersupervisi',
          sessions: [
            {
              startsAt: new Date(startsAt).toISOString(),
              endsAt: new Date(endsAt).toISOString(),
              date: wibDay(startsAt),
              location: LOCATION,
            },
          ],
        },
      },
    });
    expect(verify.certificate.supervision.text).toMatch(/ujian tersupervisi/i);
    expect(verify.certificate.supervision.text).toContain(LOCATION);
    expect(verify.certificate.nipMasked).not.toContain(nip.slice(0, 8));
    expect(JSON.stringify(verify)).not.toContain(nip);

    const page = await t.http.get(`/verify/${certificate.code}`).expect(200);
    expect(page.text).toMatch(/ujian tersupervisi/i);
    expect(page.text).toContain(verify.certificate.supervision.sessions[0].dateText);
    expect(page.text).toContain(LOCATION);
    expect(page.text).not.toContain(nip);

    // The proctor voids the passed attempt for misconduct: the certificate is revoked, saying so.
    const reason = 'Membuka catatan di telepon genggam saat ujian';
    await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${supervised.id}/void`)
      .send({ reason })
      .expect((res) => expect([200, 201]).toContain(res.status));
    const [revoked] = await eventually(
      () => certificatesOf(asn),
      (list) => list[0]?.status === 'revoked',
    );
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedReason).toContain('dibatalkan oleh pengawas');
    expect(revoked.revokedReason).toContain('pelanggaran');
    expect(revoked.revokedReason).toContain(reason);
    expect(revoked.revokedReason).not.toContain('regrade');
    const audit = await t.dataSource
      .getRepository(AuditEntry)
      .findOneBy({ action: 'certificate.revoke', entityId: revoked.id });
    expect(audit?.detail).toMatchObject({ cause: 'void', attemptId: supervised.id });
    const after = (await t.http.get(`/api/v1/verify/${certificate.code}`).expect(200)).body;
    expect(after).toMatchObject({ valid: false, status: 'revoked' });
    // The public sees the revocation, never its reason.
    expect(JSON.stringify(after)).not.toContain(reason);
    // The unsupervised pass that remains does not hold the certificate up, nor issue it again.
    await t.as(asn).post('/api/v1/me/schemes/check').expect(200);
    expect((await certificatesOf(asn)).map((c) => c.status)).toEqual(['revoked']);
    // The scheme without the requirement still rests on the unsupervised pass.
    expect((await certificatesOf(asn, 'PPI-DARING')).map((c) => c.status)).toEqual(['active']);
  });

  it('the scheme form of the staff pages sets the requirement', async () => {
    const staff = await t.createUser('coordinator', { sectors: ['health'] });
    const { agent } = await signInAgent(t, staff.email!);
    const manage = await agent.get('/kelola/skema').expect(200);
    expect(manage.text).toContain('name="requiresSupervision"');
    await agent
      .post('/kelola/skema')
      .type('form')
      .send({
        _csrf: csrfOf(manage.text),
        code: 'PPI-SUPERVISI-2',
        title: 'PPI Lanjutan (ujian tersupervisi)',
        sector: 'health',
        assessments: assessmentId,
        minPercent: '80',
        requiresSupervision: '1',
        attests: 'KES.PPI-SUP:2',
        validityMonths: '24',
      })
      .expect(303);
    const schemes = (await t.as(coordinator).get('/api/v1/certification-schemes').expect(200))
      .body as { code: string; requiresSupervision: boolean }[];
    expect(schemes.find((s) => s.code === 'PPI-SUPERVISI-2')?.requiresSupervision).toBe(true);
  });

  it('a coordinator of another sector cannot change whether a scheme requires supervision', async () => {
    const other = await t.tokenFor(await t.createUser('coordinator', { sectors: ['education'] }));
    await t
      .as(other)
      .put(`/api/v1/certification-schemes/${schemeId}`)
      .send({ requiresSupervision: false })
      .expect((res) => expect([403, 404]).toContain(res.status));
  });
});
