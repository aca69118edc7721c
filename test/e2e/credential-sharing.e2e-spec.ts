import { decodeJwt } from 'jose';
import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import { Certificate, CertificationScheme } from '../../src/certification/certification.entity.js';
import type { User } from '../../src/identity/user.entity.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import { bootTestApp, engine, signInAgent, type TestApp } from '../helpers/test-app.js';

const VERIFY_LIMIT = 8;

/**
 * Issue 22: verification by the printed number (path and `?number=`), what it reveals, its
 * rate limit; the holder's credential page and its downloads, for the holder only.
 */
describe(`verification by number and the credential page (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let scheme: CertificationScheme;
  let ipSeq = 0;
  /** A fresh client address: each test counts its own public requests against the limit. */
  const anIp = () => `198.51.100.${++ipSeq}`;
  let nipSeq = 0;
  const aNip = () => `199003152015032${String(++nipSeq).padStart(3, '0')}`;

  beforeAll(async () => {
    t = await bootTestApp({ env: { VERIFY_RATE_LIMIT: String(VERIFY_LIMIT) } });
    admin = await t.tokenFor(await t.createUser('admin'));
    scheme = await anApprovalScheme(t, admin, {
      code: 'BAGI-KRED',
      title: 'Keselamatan Pasien',
      validityMonths: 24,
    });
  });
  afterAll(() => t.close());

  async function certified(name = 'Rina Marlina Siregar') {
    const user = await t.createUser('asn', { nip: aNip(), name });
    const certificate = (await t.app.get(CertificateIssuer).issue(scheme, user.id, null))!;
    return { user, token: await t.tokenFor(user), certificate };
  }
  const verify = (path: string, ip: string) => t.http.get(path).set('x-forwarded-for', ip);

  describe('GET /api/v1/verify/{code} and ?number=', () => {
    it('the code and the printed number answer the same public record (the contract)', async () => {
      const { user, certificate } = await certified();
      const ip = anIp();
      const byCode = (await verify(`/api/v1/verify/${certificate.code}`, ip).expect(200)).body;
      expect(byCode).toMatchObject({
        valid: true,
        status: 'active',
        certificate: {
          number: certificate.number,
          holderName: 'Rina Marlina Siregar',
          nipMasked: `********${user.nip!.slice(8, 14)}****`,
        },
      });
      const byNumber = (
        await verify(`/api/v1/verify/${encodeURIComponent(certificate.number!)}`, ip).expect(200)
      ).body;
      expect(byNumber).toEqual(byCode);
      expect(byNumber).not.toHaveProperty('lookup');
      expect(JSON.stringify(byNumber)).not.toContain(certificate.code);

      // The query form: no slash to escape in the path; typed as from paper.
      const typed = certificate.number!.toLowerCase().replaceAll('/', ' / ');
      const byQuery = await verify(`/api/v1/verify?number=${encodeURIComponent(typed)}`, ip).expect(
        200,
      );
      expect(byQuery.body).toEqual(byNumber);
      const codeByQuery = await verify(`/api/v1/verify?code=${certificate.code}`, ip).expect(200);
      expect(codeByQuery.body).toEqual(byCode);
    });

    it("numbers carry the sector's Indonesian code; one issued before the codes keeps verifying", async () => {
      const { certificate } = await certified();
      expect(certificate.number).toMatch(/^\d{3}\/SERT-KES\/BAGI-KRED\/BKPSDM-PSP\/\d{4}$/);
      // A certificate from before the codes, as it was printed then: never renumbered.
      const old = (await certified()).certificate;
      const printed = old.number!.replace('/SERT-KES/', '/SERT-HEALTH/');
      await t.dataSource.getRepository(Certificate).update(old.id, { number: printed });
      const ip = anIp();
      for (const path of [
        `/api/v1/verify/${encodeURIComponent(printed)}`,
        `/api/v1/verify?number=${encodeURIComponent(printed.toLowerCase())}`,
      ]) {
        const body = (await verify(path, ip).expect(200)).body;
        expect(body).toMatchObject({ valid: true, certificate: { number: printed } });
      }
      const page = await verify(`/verify?code=${encodeURIComponent(printed)}`, ip).expect(200);
      expect(page.text).toContain(printed);
      // The new number stays apart from the old one.
      const current = await verify(`/api/v1/verify/${encodeURIComponent(certificate.number!)}`, ip);
      expect(current.body.certificate.number).toBe(certificate.number);
    });

    it('bad input is a 400, an unknown number a 404, neither a 500', async () => {
      const ip = anIp();
      const none = await verify('/api/v1/verify', ip).expect(400);
      expect(none.body).toMatchObject({ statusCode: 400, error: expect.any(String) });
      await verify(`/api/v1/verify?number=${'1'.repeat(121)}`, ip).expect(400);
      await verify('/api/v1/verify?number=', ip).expect(400);
      // A repeated key arrives as an array: refused, with or without a code beside it.
      const repeated = await verify('/api/v1/verify?number=1&number=2&code=X', ip).expect(400);
      expect(repeated.body.message).toContain('number');
      const unknown = await verify(
        `/api/v1/verify?number=${encodeURIComponent('999/SERT-KES/BAGI-KRED/BKPSDM-PSP/2020')}`,
        ip,
      ).expect(404);
      expect(unknown.body).toMatchObject({ statusCode: 404 });
      await verify(`/api/v1/verify/${encodeURIComponent('999/X/2020')}`, ip).expect(404);
    });

    it('a revoked or renewed certificate by number: the category, no reason, no successor code', async () => {
      const first = await certified('Ahmad Fauzi');
      const successor = await certified('Ahmad Fauzi');
      await t.dataSource
        .getRepository(Certificate)
        .update({ id: first.certificate.id }, { renewedById: successor.certificate.id });
      const ip = anIp();
      const byCode = (await verify(`/api/v1/verify/${first.certificate.code}`, ip).expect(200))
        .body;
      expect(byCode.certificate.renewedBy).toEqual({
        number: successor.certificate.number,
        code: successor.certificate.code,
      });
      const byNumber = (
        await verify(`/api/v1/verify?number=${encodeURIComponent(first.certificate.number!)}`, ip)
      ).body;
      expect(byNumber.certificate.renewedBy).toEqual({ number: successor.certificate.number });
      expect(byNumber.current).toMatchObject({ number: successor.certificate.number, valid: true });
      expect(byNumber.current).not.toHaveProperty('code');
      expect(JSON.stringify(byNumber)).not.toContain(successor.certificate.code);

      const reason = 'Dokumen pendukung dipalsukan';
      await t
        .as(admin)
        .post(`/api/v1/certificates/${successor.certificate.id}/revoke`)
        .send({ reason })
        .expect(200);
      const revoked = (
        await verify(
          `/api/v1/verify/${encodeURIComponent(successor.certificate.number!)}`,
          ip,
        ).expect(200)
      ).body;
      expect(revoked).toMatchObject({
        valid: false,
        status: 'revoked',
        certificate: { revocation: { category: 'revoked_by_issuer' } },
      });
      expect(JSON.stringify(revoked)).not.toContain(reason);
    });

    it('number lookups count against the same per-IP limit as codes, on both routes', async () => {
      const ip = anIp();
      for (let i = 1; i <= VERIFY_LIMIT; i++) {
        const path =
          i % 2
            ? `/api/v1/verify/${encodeURIComponent(`${i}/SERT-HEALTH/X/2026`)}`
            : `/api/v1/verify?number=${encodeURIComponent(`${i}/SERT-HEALTH/X/2026`)}`;
        await verify(path, ip).expect(404);
      }
      const refused = await verify('/api/v1/verify?number=1', ip).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await verify('/api/v1/verify/ZZZZZZZZZZZZZZZZ', ip).expect(429);
      await verify('/verify?code=1%2FX', ip).expect(429);
    });
  });

  describe('the verify page', () => {
    it('answers a printed number in place, sends a code to its address, keeps an unknown one', async () => {
      const { certificate } = await certified('Nur Aisyah');
      const ip = anIp();
      const page = await verify(
        `/verify?code=${encodeURIComponent(certificate.number!)}`,
        ip,
      ).expect(200);
      expect(page.text).toContain('Sertifikat sah dan berlaku');
      expect(page.text).toContain('Nur Aisyah');
      expect(page.text).toContain('Dicari dengan nomor sertifikat');
      expect(page.text).not.toContain(certificate.code);
      const code = await verify(`/verify?code=${certificate.code.toLowerCase()}`, ip).expect(303);
      expect(code.headers.location).toBe(`/verify/${certificate.code}`);
      const unknown = await verify('/verify?code=123%2FTIDAK%2FADA', ip).expect(404);
      expect(unknown.text).toMatch(/value=['"]123\/TIDAK\/ADA['"]/);
      expect(unknown.text).toMatch(/role=['"]alert['"]/);
      const home = await t.http.get('/').expect(200);
      expect(home.text).toMatch(/<form[^>]*action="\/verify"/);
      const login = await t.http.get('/masuk').expect(200);
      expect(login.text).toContain('href="/verify"');
    });
  });

  describe('the credential page', () => {
    let holder: Awaited<ReturnType<typeof certified>>;
    let other: User;
    let coordinator: User;
    beforeAll(async () => {
      holder = await certified('Rahmad Hidayat');
      other = await t.createUser('asn', { nip: aNip() });
      coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    });

    it('shows the holder the share link, QR, LinkedIn entry and downloads', async () => {
      const { agent } = await signInAgent(t, holder.user.email!);
      const { certificate } = holder;
      const page = await agent.get(`/sertifikat/${certificate.id}/kredensial`).expect(200);
      const verifyUrl = `${t.config.publicUrl}/verify/${certificate.code}`;
      expect(page.text).toMatch(new RegExp(`value=['"]${verifyUrl}['"]`));
      expect(page.text).toContain('<svg');
      const href = /href=['"](https:\/\/www\.linkedin\.com\/profile\/add\?[^'"]+)['"]/
        .exec(page.text)![1]
        .replaceAll('&#x3D;', '=')
        .replaceAll('&amp;', '&');
      const params = Object.fromEntries(new URL(href).searchParams);
      const wib = (d: Date) => new Date(d.getTime() + 7 * 3_600_000);
      expect(params).toEqual({
        startTask: 'CERTIFICATION_NAME',
        name: 'Keselamatan Pasien',
        organizationName: t.config.authority.agency,
        issueYear: String(wib(certificate.issuedAt).getUTCFullYear()),
        issueMonth: String(wib(certificate.issuedAt).getUTCMonth() + 1),
        expirationYear: String(wib(certificate.expiresAt!).getUTCFullYear()),
        expirationMonth: String(wib(certificate.expiresAt!).getUTCMonth() + 1),
        certId: certificate.number,
        certUrl: verifyUrl,
      });
      expect(href).toContain(`certId=${encodeURIComponent(certificate.number!)}`);

      const json = await agent.get(`/sertifikat/${certificate.id}/kredensial.json`).expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.headers['content-disposition']).toBe(
        `attachment; filename="sertifikat-${certificate.code}.json"`,
      );
      const decoded = json.body as { header: Record<string, unknown>; payload: unknown };
      const jwt = await agent
        .get(`/sertifikat/${certificate.id}/kredensial.jwt`)
        .buffer(true)
        .parse((res, done) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => done(null, body));
        })
        .expect(200);
      expect(jwt.headers['content-type']).toMatch(/^application\/vc\+jwt/);
      // The JSON is exactly the signed credential, decoded.
      expect(decoded.payload).toEqual(decodeJwt(jwt.body as string));
      expect(decoded.header).toMatchObject({ alg: 'EdDSA' });
    });

    it('is the holder’s only: another ASN, the sector coordinator and a stranger get nothing', async () => {
      const id = holder.certificate.id;
      for (const user of [other, coordinator]) {
        const { agent } = await signInAgent(t, user.email!);
        for (const path of ['kredensial', 'kredensial.json', 'kredensial.jwt'])
          await agent.get(`/sertifikat/${id}/${path}`).expect(404);
      }
      const anonymous = await t.http.get(`/sertifikat/${id}/kredensial`);
      expect(anonymous.status).toBeGreaterThanOrEqual(300);
      expect(anonymous.status).toBeLessThan(400);
      expect(anonymous.headers.location).toContain('/masuk');
    });

    it('a revoked certificate: the page says so and hands out no credential (410)', async () => {
      const revoked = await certified('Dewi Lestari');
      await t
        .as(admin)
        .post(`/api/v1/certificates/${revoked.certificate.id}/revoke`)
        .send({ reason: 'Uji praktik diulang' })
        .expect(200);
      const { agent } = await signInAgent(t, revoked.user.email!);
      const page = await agent.get(`/sertifikat/${revoked.certificate.id}/kredensial`).expect(200);
      expect(page.text).toContain('telah dicabut');
      expect(page.text).not.toContain('linkedin.com');
      await agent.get(`/sertifikat/${revoked.certificate.id}/kredensial.json`).expect(410);
      await agent.get(`/sertifikat/${revoked.certificate.id}/kredensial.jwt`).expect(410);
    });
  });
});
