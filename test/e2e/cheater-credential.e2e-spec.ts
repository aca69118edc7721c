import { decodeProtectedHeader, importJWK, type JWK, jwtVerify, type JWTPayload } from 'jose';
import { gunzipSync } from 'node:zlib';
import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import {
  type Certificate,
  CertificationScheme,
} from '../../src/certification/certification.entity.js';
import { CredentialStatus1765411200000 } from '../../src/database/migrations/1765411200000-credential-status.js';
import { Clock } from '../../src/platform/clock.js';
import { asBytes, bootTestApp, engine, signInAgent, type TestApp } from '../helpers/test-app.js';
import { pdfText } from '../helpers/pdf.js';
import { anApprovalScheme } from '../helpers/schemes.js';

/**
 * The cheater suite for certificates as artefacts: a holder whose certificate was revoked or
 * has expired keeps nothing that an ordinary verifier (here `jose`, with nothing of this app)
 * still accepts, and a stranger reading the public pages learns no birth date, no gender and
 * no revocation reason, nor can they walk the verification codes at speed.
 */

const VERIFY_LIMIT = 12;
const DAY = 86_400_000;
const text: typeof asBytes = (res, done) => {
  let body = '';
  res.on('data', (c: Buffer) => (body += c.toString()));
  res.on('end', () => done(null, body));
};

describe(`cheater: certificate credentials and public verification (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let scheme: CertificationScheme;
  let ipSeq = 0;
  /** A fresh client address: each test counts its own public requests against the limit. */
  const anIp = () => `203.0.113.${++ipSeq}`;
  let nipSeq = 0;
  /** A NIP born 15 March 1990, appointed March 2015, woman (2), its own serial. */
  const nipBorn19900315 = () => `199003152015032${String(++nipSeq).padStart(3, '0')}`;

  beforeAll(async () => {
    t = await bootTestApp({ env: { VERIFY_RATE_LIMIT: String(VERIFY_LIMIT) } });
    admin = await t.tokenFor(await t.createUser('admin'));
    scheme = await anApprovalScheme(t, admin, {
      code: 'KRED-CURANG',
      title: 'Pengelolaan Data Pasien',
      validityMonths: 12,
    });
  });
  afterAll(() => t.close());

  /** A holder with a certificate of the scheme, issued `ago` ms before now. */
  async function certified(ago = 0) {
    const user = await t.createUser('asn', { nip: nipBorn19900315(), name: 'Rina Marlina' });
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => new Date(Date.now() - ago);
    let certificate: Certificate;
    try {
      certificate = (await t.app.get(CertificateIssuer).issue(scheme, user.id, null))!;
    } finally {
      clock.now = real;
    }
    return { user, token: await t.tokenFor(user), certificate };
  }

  const credentialOf = (id: string, token: string) =>
    t.as(token).get(`/api/v1/certificates/${id}/credential`).buffer(true).parse(text);

  /** What a verifier does with nothing but the JWT: follows its kid to the key set. */
  async function keyFor(jwt: string) {
    const { kid, alg } = decodeProtectedHeader(jwt);
    expect(kid).toMatch(/^https?:\/\/.+\/\.well-known\/jwks\.json#.+/);
    const jwks = (await t.http.get(new URL(kid!).pathname).expect(200)).body as { keys: JWK[] };
    const jwk = jwks.keys.find((k) => k.kid === kid);
    expect(jwk).toBeDefined();
    expect(jwk).not.toHaveProperty('d');
    return importJWK(jwk!, alg);
  }

  /** Fetches the list a credential's status names, checks its signature, reads the bit. */
  async function revocationBit(status: Record<string, string>, ip = anIp()): Promise<number> {
    expect(status).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: expect.stringMatching(/^\d+$/),
    });
    const listJwt = (
      await t.http
        .get(new URL(status.statusListCredential).pathname)
        .set('x-forwarded-for', ip)
        .buffer(true)
        .parse(text)
        .expect(200)
    ).body as string;
    const { payload } = await jwtVerify(listJwt, await keyFor(listJwt));
    const vc = payload.vc as {
      id: string;
      type: string[];
      credentialSubject: { type: string; statusPurpose: string; encodedList: string };
    };
    expect(vc.id).toBe(status.statusListCredential);
    expect(vc.type).toContain('BitstringStatusListCredential');
    expect(vc.credentialSubject).toMatchObject({
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
    });
    // Multibase base64url ('u'), GZIP, at least 16 KB of bits (the spec's herd privacy).
    expect(vc.credentialSubject.encodedList[0]).toBe('u');
    const bits = gunzipSync(Buffer.from(vc.credentialSubject.encodedList.slice(1), 'base64url'));
    expect(bits.length).toBeGreaterThanOrEqual(16 * 1024);
    const index = Number(status.statusListIndex);
    return (bits[index >> 3] >> (7 - (index % 8))) & 1;
  }

  it('jose accepts the credential before validUntil with the key its kid names, and refuses it after', async () => {
    const { certificate, token } = await certified();
    const jwt = (await credentialOf(certificate.id, token).expect(200)).body as string;
    const key = await keyFor(jwt);
    const { payload } = await jwtVerify(jwt, key);
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    expect(payload).toMatchObject({
      iat: seconds(certificate.issuedAt),
      nbf: seconds(certificate.issuedAt),
      exp: seconds(certificate.expiresAt!),
    });
    const vc = payload.vc as { validUntil: string; credentialStatus: Record<string, string> };
    expect(vc.validUntil).toBe(certificate.expiresAt!.toISOString());
    // Downloading again yields the same credential: iat is the issuance, not the download.
    expect((await credentialOf(certificate.id, token).expect(200)).body).toBe(jwt);
    // A verifier whose clock reads a day past validUntil refuses it.
    await expect(
      jwtVerify(jwt, key, { currentDate: new Date(certificate.expiresAt!.getTime() + DAY) }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    // ... and one whose clock is before validFrom.
    await expect(
      jwtVerify(jwt, key, { currentDate: new Date(certificate.issuedAt.getTime() - DAY) }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'nbf' });
    expect(await revocationBit(vc.credentialStatus)).toBe(0);
  });

  it('a certificate that has expired still downloads, but its credential fails a standard check today', async () => {
    const { certificate, token } = await certified(400 * DAY);
    expect(certificate.expiresAt!.getTime()).toBeLessThan(Date.now());
    const jwt = (await credentialOf(certificate.id, token).expect(200)).body as string;
    await expect(jwtVerify(jwt, await keyFor(jwt))).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
    const verified = await t.http
      .get(`/api/v1/verify/${certificate.code}`)
      .set('x-forwarded-for', anIp())
      .expect(200);
    expect(verified.body).toMatchObject({ valid: false, status: 'expired' });
    const pdf = await t
      .as(token)
      .get(`/api/v1/certificates/${certificate.id}/pdf`)
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    expect(pdfText(pdf.body as Buffer)).toContain('KEDALUWARSA');
  });

  it('after revocation: no credential (410), a PDF stamped DICABUT, the status list says revoked, the reason stays with staff', async () => {
    const revoked = await certified();
    const kept = await certified();
    const reason = 'Menyontek pada uji praktik tanggal 2 Desember';
    const before = (await credentialOf(revoked.certificate.id, revoked.token).expect(200))
      .body as string;
    const old = (await jwtVerify(before, await keyFor(before))).payload as JWTPayload & {
      vc: { credentialStatus: Record<string, string> };
    };
    const keptJwt = (await credentialOf(kept.certificate.id, kept.token).expect(200))
      .body as string;
    const keptStatus = (
      (await jwtVerify(keptJwt, await keyFor(keptJwt))).payload as {
        vc: { credentialStatus: Record<string, string> };
      }
    ).vc.credentialStatus;
    expect(keptStatus.statusListIndex).not.toBe(old.vc.credentialStatus.statusListIndex);
    expect(await revocationBit(old.vc.credentialStatus)).toBe(0);

    await t
      .as(admin)
      .post(`/api/v1/certificates/${revoked.certificate.id}/revoke`)
      .send({ reason })
      .expect(200);

    // The holder asks for a fresh credential: refused, with a message that says why.
    const gone = await t
      .as(revoked.token)
      .get(`/api/v1/certificates/${revoked.certificate.id}/credential`)
      .expect(410);
    expect(gone.body).toMatchObject({ statusCode: 410, error: 'Gone' });
    expect(gone.body.message).toMatch(/dicabut/i);
    const pdf = await t
      .as(revoked.token)
      .get(`/api/v1/certificates/${revoked.certificate.id}/pdf`)
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    const printed = pdfText(pdf.body as Buffer);
    expect(printed).toContain('DICABUT');
    expect(printed).not.toContain(reason);

    // The credential downloaded before still has a valid signature: the list is what tells.
    expect(await revocationBit(old.vc.credentialStatus)).toBe(1);
    expect(await revocationBit(keptStatus)).toBe(0);

    // The public learns the category, never the reason.
    const ip = anIp();
    const json = await t.http
      .get(`/api/v1/verify/${revoked.certificate.code}`)
      .set('x-forwarded-for', ip)
      .expect(200);
    expect(json.body).toMatchObject({
      valid: false,
      status: 'revoked',
      certificate: { revocation: { label: 'Dicabut oleh penerbit' } },
    });
    expect(JSON.stringify(json.body)).not.toContain('Menyontek');
    const page = await t.http
      .get(`/verify/${revoked.certificate.code}`)
      .set('x-forwarded-for', ip)
      .expect(200);
    expect(page.text).toContain('dicabut oleh penerbit');
    expect(page.text).not.toContain('Menyontek');
    // Staff still see it.
    const staff = await t
      .as(admin)
      .get(`/api/v1/certificates?q=${encodeURIComponent(revoked.certificate.number!)}`)
      .expect(200);
    expect(staff.body[0].revokedReason).toBe(reason);
  });

  it('the public JSON, page, credential and PDF hold no digit of the birth date or the gender', async () => {
    const { user, certificate, token } = await certified();
    const nip = user.nip!;
    const masked = `********${nip.slice(8, 14)}****`;
    expect(masked).toBe('********201503****');
    const ip = anIp();
    const json = (
      await t.http.get(`/api/v1/verify/${certificate.code}`).set('x-forwarded-for', ip).expect(200)
    ).body;
    expect(json.certificate.nipMasked).toBe(masked);
    // The printed number finds it too (the contract), showing the same masked NIP.
    const byNumber = await t.http
      .get(`/api/v1/verify/${encodeURIComponent(certificate.number!)}`)
      .set('x-forwarded-for', ip)
      .expect(200);
    expect(byNumber.body).toEqual(json);
    const page = (
      await t.http.get(`/verify/${certificate.code}`).set('x-forwarded-for', ip).expect(200)
    ).text;
    expect(page).toContain(`NIP ${masked}`);
    const jwt = (await credentialOf(certificate.id, token).expect(200)).body as string;
    const { payload } = await jwtVerify(jwt, await keyFor(jwt));
    const vc = JSON.stringify(payload.vc);
    expect(vc).toContain(masked);
    const pdf = pdfText(
      (
        await t
          .as(token)
          .get(`/api/v1/certificates/${certificate.id}/pdf`)
          .buffer(true)
          .parse(asBytes)
          .expect(200)
      ).body as Buffer,
    );
    expect(pdf).toContain(`NIP ${masked}`);
    const { agent } = await signInAgent(t, user.nip!);
    const html = (await agent.get(`/sertifikat/${certificate.id}`).expect(200)).text;
    expect(html).toContain(`NIP ${masked}`);

    for (const [where, body] of Object.entries({
      json: JSON.stringify(json),
      page,
      vc,
      pdf,
      html,
    })) {
      // The birth date in any usual spelling, and the NIP around the shown part.
      for (const birth of ['19900315', '1990-03-15', '15-03-1990', '15/03/1990', '15 Maret 1990'])
        expect({ where, found: body.includes(birth) }).toEqual({ where, found: false });
      expect({ where, found: /\d201503|201503\d/.test(body) }).toEqual({ where, found: false });
    }
    // Where no random id is printed, not even the year or the day and month alone.
    for (const body of [JSON.stringify(json), pdf]) {
      expect(body).not.toContain('1990');
      expect(body).not.toContain('0315');
    }
  });

  it('verification beyond the limit from one address gets 429 with Retry-After; another address is served', async () => {
    const { certificate } = await certified();
    const ip = anIp();
    for (let i = 0; i < VERIFY_LIMIT; i++)
      await t.http
        .get(i % 2 ? `/verify/${certificate.code}` : `/api/v1/verify/${certificate.code}`)
        .set('x-forwarded-for', ip)
        .expect(200);
    const json = await t.http
      .get(`/api/v1/verify/${certificate.code}`)
      .set('x-forwarded-for', ip)
      .expect(429);
    expect(Number(json.headers['retry-after'])).toBeGreaterThan(0);
    const page = await t.http.get(`/verify/${certificate.code}`).set('x-forwarded-for', ip);
    expect(page.status).toBe(429);
    expect(page.headers['retry-after']).toBeDefined();
    // Walking codes is throttled like reading one: unknown codes count too.
    await t.http.get('/api/v1/verify/AAAAAAAAAAAAAAAA').set('x-forwarded-for', ip).expect(429);
    await t.http
      .get(`/api/v1/verify/${certificate.code}`)
      .set('x-forwarded-for', anIp())
      .expect(200);
  });

  it('status lists: an unknown or malformed list is a 404, not a 500', async () => {
    for (const id of ['999999', 'abc', '-1', '1e3', '0x1'])
      await t.http.get(`/api/v1/status-lists/${id}`).set('x-forwarded-for', anIp()).expect(404);
  });

  // Last: it takes the column away and back, as an upgrade of an existing database does.
  it('the migration gives certificates issued before it a place each, in issuing order, and the counter follows', async () => {
    const earlier = [await certified(3 * DAY), await certified(2 * DAY)];
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new CredentialStatus1765411200000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const rows: { id: string; statusIndex: number }[] = await t.dataSource.query(
      'SELECT id, statusIndex FROM certificates ORDER BY issuedAt, id',
    );
    expect(rows.map((r) => Number(r.statusIndex))).toEqual(rows.map((_, i) => i));
    const placeOf = (id: string) => Number(rows.find((r) => r.id === id)!.statusIndex);
    expect(placeOf(earlier[0].certificate.id)).toBeLessThan(placeOf(earlier[1].certificate.id));
    const next = await certified();
    const [{ statusIndex }] = await t.dataSource.query(
      'SELECT statusIndex FROM certificates WHERE id = ?',
      [next.certificate.id],
    );
    expect(Number(statusIndex)).toBe(rows.length);
  });
});
