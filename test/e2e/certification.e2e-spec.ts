import { createLocalJWKSet, jwtVerify } from 'jose';
import { CertificateExpiry } from '../../src/certification/certificate-expiry.js';
import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import { CertificationScheme } from '../../src/certification/certification.entity.js';
import { MailOutbox } from '../../src/certification/mail-outbox.service.js';
import { Clock } from '../../src/platform/clock.js';
import { Evidence } from '../../src/competency/evidence.entity.js';
import { MoreThan } from 'typeorm';
import { bootTestApp, engine, TestApp, asBytes } from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';
import { aNip } from '../helpers/nip.js';
import { aSectorCompetency } from '../helpers/sector-world.js';

const GIFT = [
  '::Q1:: Cuci tangan sebelum kontak pasien. {T}',
  '::Q2:: Sarung tangan menggantikan cuci tangan. {F}',
].join('\n\n');
const DAY = 86_400_000;

describe(`certification (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  let assessmentId: string;
  let schemeId: string;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    // A health scheme attests health competencies (ADR 0012).
    await aSectorCompetency(t, admin, 'health', 'KES.PPI');
    await aSectorCompetency(t, admin, 'health', 'KES.BHD');
    const bank = (
      await t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Bank Sertifikasi PPI', sector: 'health' })
        .expect(201)
    ).body;
    await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank.id}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);
    assessmentId = (
      await t
        .as(coordinator)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian Sertifikasi PPI',
          sector: 'health',
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections: [{ bankId: bank.id, count: 2 }],
        })
        .expect(201)
    ).body.id;
    await t.as(coordinator).post(`/api/v1/assessments/${assessmentId}/publish`).expect(200);
    const other = await t.tokenFor(await t.createUser('coordinator', { sectors: ['education'] }));
    const body = {
      sector: 'health',
      code: 'PPI-DASAR',
      title: 'Pencegahan dan Pengendalian Infeksi Dasar',
      requirements: { assessments: [{ assessmentId, minPercent: 100 }] },
      attests: [{ competencyCode: 'KES.PPI', level: 3 }],
      validityMonths: 12,
      renewal: { assessmentId, windowDays: 60 },
    };
    await t.as(other).post('/api/v1/certification-schemes').send(body).expect(403);
    const bad = await t
      .as(coordinator)
      .post('/api/v1/certification-schemes')
      .send({ ...body, attests: [{ competencyCode: 'TIDAK.ADA', level: 3 }] })
      .expect(400);
    expect(bad.body.message).toContain('TIDAK.ADA');
    schemeId = (
      await t.as(coordinator).post('/api/v1/certification-schemes').send(body).expect(201)
    ).body.id;
    await activateScheme(t, coordinator, schemeId);
    await t.as(coordinator).post('/api/v1/certification-schemes').send(body).expect(409);
  });
  afterAll(() => t.close());

  async function pass(token: string) {
    const attempt = (
      await t.as(token).post(`/api/v1/assessments/${assessmentId}/attempts`).expect(201)
    ).body;
    for (const item of attempt.items as { slot: number; stem: string }[])
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: item.stem.includes('sebelum kontak') })
        .expect(200);
    return (await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200)).body;
  }

  it('passing the assessment issues the certificate: PDF, verification, credential, revocation', async () => {
    const user = await t.createUser('asn', { nip: aNip(71), name: 'Siti Aminah' });
    const asn = await t.tokenFor(user);
    const before = (await t.as(asn).get('/api/v1/me/schemes').expect(200)).body;
    expect(before.find((s: { code: string }) => s.code === 'PPI-DASAR')).toMatchObject({
      met: false,
      certificate: null,
    });
    expect((await pass(asn)).result.passed).toBe(true);

    const mine = (await t.as(asn).get('/api/v1/me/certificates').expect(200)).body;
    expect(mine).toHaveLength(1);
    const certificate = mine[0];
    const year = new Date().getUTCFullYear();
    expect(certificate).toMatchObject({
      number: `001/SERT-KES/PPI-DASAR/BKPSDM-PSP/${year}`,
      status: 'active',
      holderName: 'Siti Aminah',
      competencies: [{ code: 'KES.PPI', level: 3 }],
    });
    expect(certificate.code).toMatch(/^[A-Z2-7]{16}$/);
    // Evidence lives with the certificate.
    const [evidence] = await t.dataSource.query(
      `SELECT level, source, expiresAt FROM evidence WHERE userId = ? AND source = 'certificate'`,
      [user.id],
    );
    expect(evidence.level).toBe(3);

    const pdf = await t
      .as(asn)
      .get(`/api/v1/certificates/${certificate.id}/pdf`)
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 4).toString()).toBe('%PDF');
    expect(bytes.toString('latin1')).toContain(certificate.number.replaceAll('/', '/'));
    await t
      .as(await t.tokenFor(await t.createUser('asn')))
      .get(`/api/v1/certificates/${certificate.id}/pdf`)
      .expect(404);

    const verified = (await t.http.get(`/api/v1/verify/${certificate.code}`).expect(200)).body;
    expect(verified).toEqual({
      valid: true,
      status: 'active',
      certificate: expect.objectContaining({
        number: certificate.number,
        holderName: 'Siti Aminah',
        nipMasked: `********${aNip(71).slice(8, 14)}****`,
        scheme: 'Pencegahan dan Pengendalian Infeksi Dasar',
        competencies: [expect.objectContaining({ code: 'KES.PPI', level: 3 })],
      }),
    });
    const page = await t.http.get(`/verify/${certificate.code}`).expect(200);
    expect(page.text).toContain('Sertifikat sah dan berlaku');
    expect(page.text).not.toContain(aNip(71));
    await t.http.get('/api/v1/verify/TIDAKADAKODE2345').expect(404);

    // The credential verifies offline against the published key; one changed character fails.
    const jwks = (await t.http.get('/.well-known/jwks.json').expect(200)).body;
    const jwt = (
      await t
        .as(asn)
        .get(`/api/v1/certificates/${certificate.id}/credential`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => done(null, text));
        })
        .expect(200)
    ).body as string;
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks));
    expect((payload.vc as { type: string[] }).type).toContain('OpenBadgeCredential');
    expect(JSON.stringify(payload.vc)).toContain(certificate.number);
    const [header, body, signature] = jwt.split('.');
    const flipped = `${header}.${body}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    await expect(jwtVerify(flipped, createLocalJWKSet(jwks))).rejects.toThrow();

    await t
      .as(coordinator)
      .post(`/api/v1/certificates/${certificate.id}/revoke`)
      .send({ reason: 'Data tidak sah' })
      .expect(403);
    await t
      .as(admin)
      .post(`/api/v1/certificates/${certificate.id}/revoke`)
      .send({ reason: 'x' })
      .expect(400);
    // The reason is required: none, or only spaces, revokes nothing.
    for (const body of [{}, { reason: '' }, { reason: '      ' }])
      await t
        .as(admin)
        .post(`/api/v1/certificates/${certificate.id}/revoke`)
        .send(body)
        .expect(400);
    expect((await t.http.get(`/api/v1/verify/${certificate.code}`).expect(200)).body.status).toBe(
      'active',
    );
    // Staff find it by any part of its number ("001"), as well as by name.
    const byNumber = await t.as(admin).get('/api/v1/certificates').query({ q: '001' }).expect(200);
    expect(byNumber.body.map((c: { id: string }) => c.id)).toContain(certificate.id);
    const byPart = await t
      .as(admin)
      .get('/api/v1/certificates')
      .query({ q: 'ppi-dasar/bkpsdm' })
      .expect(200);
    expect(byPart.body.map((c: { id: string }) => c.id)).toContain(certificate.id);
    const wildcard = await t.as(admin).get('/api/v1/certificates').query({ q: '%' }).expect(200);
    expect(wildcard.body).toEqual([]);
    await t
      .as(admin)
      .post(`/api/v1/certificates/${certificate.id}/revoke`)
      .send({ reason: 'Ditemukan kecurangan saat ujian' })
      .expect(200);
    const revoked = (await t.http.get(`/api/v1/verify/${certificate.code}`).expect(200)).body;
    expect(revoked).toMatchObject({ valid: false, status: 'revoked' });
    await t.as(asn).get(`/api/v1/certificates/${certificate.id}/credential`).expect(410);
    const [lapsed] = await t.dataSource.query(
      `SELECT revokedAt FROM evidence WHERE userId = ? AND source = 'certificate'`,
      [user.id],
    );
    expect(lapsed.revokedAt).not.toBeNull();
    // Passing again does not silently re-issue a revoked certificate.
    await pass(asn);
    expect((await t.as(asn).get('/api/v1/me/certificates')).body).toHaveLength(1);
  });

  it('numbers 50 certificates issued at once without a repeat or a gap', async () => {
    const scheme = (await t.dataSource.getRepository(CertificationScheme).findOneBy({
      id: schemeId,
    }))!;
    const users = await Promise.all(Array.from({ length: 50 }, () => t.createUser('asn')));
    const service = t.app.get(CertificateIssuer);
    const issued = await Promise.all(users.map((u) => service.issue(scheme, u.id, null)));
    const seqs = issued.map((c) => c!.seq!).sort((a, b) => a! - b!);
    const first = seqs[0];
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => first! + i));
    expect(new Set(issued.map((c) => c!.number)).size).toBe(50);
    // The same user twice at once: one certificate.
    const twice = await Promise.all([
      service.issue(scheme, users[0].id, null),
      service.issue(scheme, users[0].id, null),
    ]);
    expect(twice.filter(Boolean)).toHaveLength(0);
  });

  it("numbers a certificate by the city's year: 01.30 WIB on 1 January is the new year", async () => {
    const scheme = (await t.dataSource.getRepository(CertificationScheme).findOneBy({
      id: schemeId,
    }))!;
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => new Date('2026-12-31T18:30:00Z');
    try {
      const user = await t.createUser('asn');
      const certificate = (await t.app.get(CertificateIssuer).issue(scheme, user.id, null))!;
      expect(certificate.number).toMatch(/\/2027$/);
      expect(certificate.seq).toBe(1);
    } finally {
      clock.now = real;
    }
  });

  it('expires on time, reminds at 90, 30 and 7 days once each, lets the gap return, and renews', async () => {
    const user = await t.createUser('asn', { nip: aNip(72) });
    const asn = await t.tokenFor(user);
    await pass(asn);
    const [certificate] = (await t.as(asn).get('/api/v1/me/certificates')).body;
    const expiresAt = Date.parse(certificate.expiresAt);
    const clock = t.app.get(Clock);
    const service = t.app.get(CertificateExpiry);
    const real = clock.now.bind(clock);
    const at = (ms: number) => (clock.now = () => new Date(ms));
    const reminders = async () =>
      (
        await t.dataSource.query(
          `SELECT dedupeKey FROM mail_outbox WHERE userId = ? AND dedupeKey LIKE 'reminder:%' ORDER BY dedupeKey`,
          [user.id],
        )
      ).map((r: { dedupeKey: string }) => r.dedupeKey.split(':')[2]);
    try {
      at(expiresAt - 91 * DAY);
      await service.run();
      expect(await reminders()).toEqual([]);
      at(expiresAt - 90 * DAY);
      await service.run();
      await service.run();
      expect(await reminders()).toEqual(['90']);
      at(expiresAt - 29 * DAY);
      await service.run();
      at(expiresAt - 6 * DAY);
      await service.run();
      await service.run();
      expect((await reminders()).sort()).toEqual(['30', '7', '90']);
      const notes = (await t.as(asn).get('/api/v1/me/notifications')).body;
      expect(
        notes.items.filter((n: { kind: string }) => n.kind === 'certificate.reminder'),
      ).toHaveLength(3);

      at(expiresAt + DAY);
      expect(await service.run()).toMatchObject({ expired: expect.any(Number) });
      const expired = (await t.http.get(`/api/v1/verify/${certificate.code}`)).body;
      expect(expired).toMatchObject({ valid: false, status: 'expired' });
      // The evidence lapsed with it: KES.PPI is no longer held at level 3.
      const live = await t.dataSource.getRepository(Evidence).countBy({
        userId: user.id,
        source: 'certificate',
        expiresAt: MoreThan(new Date(expiresAt + DAY)),
      });
      expect(live).toBe(0);

      // Passing the renewal assessment issues the continuing certificate.
      await pass(asn);
      const after = (await t.as(asn).get('/api/v1/me/certificates')).body;
      expect(after).toHaveLength(2);
      const renewed = after.find((c: { id: string }) => c.id !== certificate.id);
      expect(renewed).toMatchObject({ renewsId: certificate.id, status: 'active' });
      const old = (await t.http.get(`/api/v1/verify/${certificate.code}`)).body;
      expect(old).toMatchObject({
        status: 'renewed',
        certificate: { renewedBy: { number: renewed.number } },
      });
    } finally {
      clock.now = real;
    }
    await t.app.get(MailOutbox).sendPending(1000);
    const [{ n }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM mail_outbox WHERE status = 'pending'`,
    );
    expect(Number(n)).toBe(0);
  });

  it("a sector's eligibility rule takes part in a scheme: health's observed practice", async () => {
    const scheme = (
      await t
        .as(coordinator)
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code: 'RJP-TERAMATI',
          title: 'Resusitasi Jantung Paru Teramati',
          requirements: {
            rules: [
              { key: 'health.observed-practice', params: { competencyCode: 'M.3', level: 2 } },
            ],
          },
          attests: [{ competencyCode: 'KES.BHD', level: 2 }],
        })
        .expect(201)
    ).body;
    await activateScheme(t, coordinator, scheme.id);
    const unknown = await t
      .as(coordinator)
      .put(`/api/v1/certification-schemes/${scheme.id}`)
      .send({ requirements: { rules: [{ key: 'tidak.ada' }] } })
      .expect(400);
    expect(unknown.body.message).toContain('health.observed-practice');
    const user = await t.createUser('asn');
    const asn = await t.tokenFor(user);
    const progress = async () =>
      (await t.as(asn).get('/api/v1/me/schemes').expect(200)).body.find(
        (s: { code: string }) => s.code === 'RJP-TERAMATI',
      );
    expect((await progress()).requirements).toEqual([
      expect.objectContaining({
        kind: 'rule',
        label: 'Praktik teramati oleh asesor',
        met: false,
      }),
    ]);
    await t
      .as(admin)
      .post(`/api/v1/users/${user.id}/evidence`)
      .send({ competencyCode: 'M.3', level: 2, reason: 'Diamati saat simulasi RJP 12 November' })
      .expect(201);
    expect(await progress()).toMatchObject({ met: true });
  });
});
