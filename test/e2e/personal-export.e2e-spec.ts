import { randomUUID } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { decodeJwt } from 'jose';
import type { Response } from 'supertest';
import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import type { CertificationScheme } from '../../src/certification/certification.entity.js';
import type { User } from '../../src/identity/user.entity.js';
import { JpCredit } from '../../src/learning/enrollment.entity.js';
import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { aGiftBank } from '../helpers/exams.js';
import { aNip } from '../helpers/nip.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import { aSectorCompetency, aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, engine, signInAgent, type TestApp } from '../helpers/test-app.js';

/*
 * Issue 24: an ASN downloads their own data (UU PDP 27/2022) as a ZIP of JSON and CSV. It
 * holds every kind of their records, and nothing of anyone else's: the attacker is another
 * ASN of the same exams and schemes, looking for a way to read a colleague's file or the key
 * of an exam they may still not see.
 */

const GIFT = [
  '::PG:: Ibu kota Sumatera Utara? {=Medan ~Padang ~Sibolga}',
  '::ISIAN:: Singkatan pusat kesehatan masyarakat? {=puskesmas}',
].join('\n\n');
const KEY = 'puskesmas';

/** Pulls a supertest binary body into a Buffer. */
const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

interface World {
  user: User;
  token: string;
  enrollmentId: string;
  credit: string;
  attempts: { open: string; reviewed: string; held: string };
  certificate: { id: string; number: string; code: string };
  evidenceReason: string;
}

describe(`the personal data export (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  let courseId: string;
  let scheme: CertificationScheme;
  const exams = { answers: '', feedback: '' };
  let people = 41_000 + Math.floor(Math.random() * 5_000);
  let position: string;

  async function anExam(reviewPolicy: string, bankId: string) {
    const id = (
      await t
        .as(coordinator)
        .post('/api/v1/assessments')
        .send({
          title: `Ujian ekspor ${reviewPolicy}`,
          sector: 'health',
          timeLimitMinutes: 10,
          passPercent: 50,
          maxAttempts: reviewPolicy === 'answers' ? 1 : 0,
          shuffle: false,
          reviewPolicy,
          sections: [{ bankId, count: 2 }],
        })
        .expect(201)
    ).body.id as string;
    await t.as(coordinator).post(`/api/v1/assessments/${id}/publish`).expect(200);
    return id;
  }

  /** An attempt with the short answer given wrong; submitted unless `open`. */
  async function sit(token: string, examId: string, submit: boolean) {
    const started = await t.as(token).post(`/api/v1/assessments/${examId}/attempts`).expect(201);
    const item = (started.body.items as { slot: number; type: string }[]).find(
      (i) => i.type === 'short_answer',
    )!;
    await t
      .as(token)
      .put(`/api/v1/attempts/${started.body.id}/answers/${item.slot}`)
      .send({ response: 'posyandu' })
      .expect(200);
    if (submit) await t.as(token).post(`/api/v1/attempts/${started.body.id}/submit`).expect(200);
    return started.body.id as string;
  }

  /** A person with one record of every kind: enrolment, JP, attempts, evidence, certificate. */
  async function aPerson(name: string, email: string): Promise<World> {
    const user = await anAsnIn(t, position, { nip: aNip(people++), name, email });
    const token = await t.tokenFor(user);
    const enrollmentId = (
      await t.as(token).post(`/api/v1/courses/${courseId}/enrollments`).expect(201)
    ).body.id as string;
    const credit = `Diklat luar ${name}`;
    await t.dataSource.getRepository(JpCredit).insert({
      id: randomUUID(),
      userId: user.id,
      year: 2026,
      jp: 6,
      source: 'external',
      sourceId: randomUUID(),
      title: credit,
      startedAt: new Date('2026-03-02T01:00:00Z'),
      completedAt: new Date('2026-03-04T09:00:00Z'),
      createdAt: new Date(),
    });
    const attempts = {
      reviewed: await sit(token, exams.answers, true),
      held: await sit(token, exams.feedback, true),
      open: await sit(token, exams.feedback, false),
    };
    const evidenceReason = `Catatan atasan untuk ${name}`;
    await t
      .as(admin)
      .post(`/api/v1/users/${user.id}/evidence`)
      .send({ competencyCode: 'KES.EKSPOR', level: 3, reason: evidenceReason })
      .expect(201);
    const issued = (await t.app.get(CertificateIssuer).issue(scheme, user.id, null))!;
    return {
      user,
      token,
      enrollmentId,
      credit,
      attempts,
      certificate: { id: issued.id, number: issued.number!, code: issued.code },
      evidenceReason,
    };
  }

  const exportOf = async (token: string) => {
    const res = await t.as(token).get('/api/v1/me/export').buffer(true).parse(binary).expect(200);
    return { res, files: unzipSync(new Uint8Array(res.body as Buffer)) };
  };
  const text = (files: Record<string, Uint8Array>, name: string) => {
    expect(Object.keys(files)).toContain(name);
    return strFromU8(files[name]);
  };
  const json = <T = unknown>(files: Record<string, Uint8Array>, name: string) =>
    JSON.parse(text(files, name)) as T;

  let a: World;
  let b: World;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    await aSectorCompetency(t, admin, 'health', 'KES.EKSPOR');
    position = await aSectorPosition(t, admin, 'health', 'KES-EKSPOR-POS');
    const bankId = await aGiftBank(t, coordinator, 'Bank ekspor', GIFT);
    exams.answers = await anExam('answers', bankId);
    exams.feedback = await anExam('feedback', bankId);
    courseId = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'KES-EKSPOR', title: 'Pelatihan ekspor', jp: 2 })
        .expect(201)
    ).body.id as string;
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${courseId}/lessons`)
      .send({ title: 'Bacaan', kind: 'markdown', body: '# Bacaan\n\nIsi.' })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/courses/${courseId}/publish`).expect(200);
    scheme = await anApprovalScheme(t, admin, {
      code: 'EKSPOR',
      title: 'Skema ekspor',
      validityMonths: 24,
    });
    a = await aPerson('Asnawati Lubis', 'asnawati.lubis@contoh.go.id');
    b = await aPerson('Bonifasius Harahap', 'bonifasius.harahap@contoh.go.id');
  });
  afterAll(() => t?.close());

  it('holds every kind of the person’s records, as a ZIP named for them, and is audited', async () => {
    const { res, files } = await exportOf(a.token);
    expect(res.headers['content-type']).toBe('application/zip');
    const day = new Date().toISOString().slice(0, 8);
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="data-saya-${a.user.nip}-${day}\\d\\d\\.zip"$`),
    );

    const readme = text(files, 'README.txt');
    for (const name of Object.keys(files).filter((f) => f !== 'README.txt'))
      expect(readme).toContain(name);
    expect(readme).toContain('UU No. 27 Tahun 2022');

    expect(json(files, 'profil.json')).toMatchObject({
      nip: a.user.nip,
      name: 'Asnawati Lubis',
      email: 'asnawati.lubis@contoh.go.id',
      position: { code: 'KES-EKSPOR-POS' },
    });
    expect(json(files, 'pelatihan.json')).toEqual([
      expect.objectContaining({
        id: a.enrollmentId,
        course: expect.objectContaining({ code: 'KES-EKSPOR' }),
      }),
    ]);
    expect(text(files, 'pelatihan.csv')).toContain('KES-EKSPOR');
    expect(json(files, 'riwayat-jp.json')).toEqual([
      expect.objectContaining({
        year: 2026,
        total: 6,
        credits: [expect.objectContaining({ title: a.credit })],
      }),
    ]);
    expect(text(files, 'riwayat-jp.csv')).toContain(a.credit);

    const attempts = json<{ id: string; review: string; items: object[] }[]>(files, 'ujian.json');
    expect(attempts.map((x) => x.id).sort()).toEqual(Object.values(a.attempts).sort());
    // The key only where the attempt page already shows it: answers policy, last try used.
    const byId = new Map(attempts.map((x) => [x.id, JSON.stringify(x).toLowerCase()]));
    expect(byId.get(a.attempts.reviewed)).toContain(KEY);
    expect(byId.get(a.attempts.held)).not.toContain(KEY);
    expect(byId.get(a.attempts.open)).not.toContain(KEY);
    for (const x of attempts) expect(JSON.stringify(x.items)).toContain('posyandu');
    expect(text(files, 'ujian.csv').split('\r\n').filter(Boolean)).toHaveLength(4);

    expect(json(files, 'bukti-kompetensi.json')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: a.evidenceReason, level: 3, source: 'manual' }),
      ]),
    );
    expect(text(files, 'bukti-kompetensi.csv')).toContain(a.evidenceReason);

    const certificates = json<{ number: string; credential: { jwt: string } | null }[]>(
      files,
      'sertifikat.json',
    );
    expect(certificates.map((c) => c.number)).toEqual([a.certificate.number]);
    expect(decodeJwt(certificates[0].credential!.jwt).sub).toBe(a.user.id);
    // ADR 0030: `;`, and a NIP as text Excel keeps.
    const certificateCsv = text(files, 'sertifikat.csv');
    expect(certificateCsv).toContain(`"=""${a.user.nip}"""`);
    expect(certificateCsv.split('\r\n')[0]).toContain(';');

    expect(json(files, 'notifikasi.json')).toEqual(expect.any(Array));
    expect(json(files, 'log-aktivitas.json')).toEqual(expect.any(Array));
    expect(
      await t.dataSource
        .getRepository(AuditEntry)
        .countBy({ action: 'self.export', actorId: a.user.id, entityId: a.user.id }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('the attacker: A’s export holds nothing of B, whatever A asks', async () => {
    const { files } = await exportOf(a.token);
    const everything = Object.values(files)
      .map((f) => strFromU8(f))
      .join('\n');
    for (const secret of [
      b.user.id,
      b.user.nip!,
      b.user.name,
      b.user.email!,
      b.enrollmentId,
      b.credit,
      b.evidenceReason,
      ...Object.values(b.attempts),
      b.certificate.id,
      b.certificate.number,
      b.certificate.code,
    ])
      expect(everything).not.toContain(secret);
    // And the same of B's own: the test would pass on an empty file otherwise.
    expect(everything).toContain(a.certificate.number);

    // No parameter picks another person; no route exports someone else's data.
    const asked = await t
      .as(a.token)
      .get(`/api/v1/me/export?userId=${b.user.id}&nip=${b.user.nip}`)
      .buffer(true)
      .parse(binary);
    if (asked.status === 200) {
      const other = Object.values(unzipSync(new Uint8Array(asked.body as Buffer)))
        .map((f) => strFromU8(f))
        .join('\n');
      expect(other).not.toContain(b.user.nip!);
    } else expect(asked.status).toBe(400);
    for (const path of [`/api/v1/users/${b.user.id}/export`, `/api/v1/me/export/${b.user.id}`])
      expect((await t.as(a.token).get(path)).status).toBe(404);
    await t.http.get('/api/v1/me/export').expect(401);
  });

  it('the profile page links "Unduh data saya" to a plain GET that answers the ZIP with the cookie', async () => {
    const { agent } = await signInAgent(t, a.user.nip!);
    const profile = await agent.get('/profil').expect(200);
    expect(profile.text).toContain('href="/profil/unduh"');
    expect(profile.text).toContain('Unduh data saya');
    const res = await agent.get('/profil/unduh').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    expect(JSON.parse(strFromU8(files['profil.json']))).toMatchObject({ nip: a.user.nip });
    expect((await t.http.get('/profil/unduh')).status).toBe(303);
  });

  it('is rate-limited per person: a loop gets a 429 with Retry-After', async () => {
    const c = await aPerson('Cici Nasution', 'cici.nasution@contoh.go.id');
    let last = 200;
    let retryAfter: string | undefined;
    for (let i = 0; i < 6 && last === 200; i++) {
      const res = await t.as(c.token).get('/api/v1/me/export').buffer(true).parse(binary);
      last = res.status;
      retryAfter = res.headers['retry-after'];
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another person's export is not held by C's loop.
    await t.as(b.token).get('/api/v1/me/export').buffer(true).parse(binary).expect(200);
  });

  it('GET /me/jp?format=csv|xlsx answers the file, JSON stays the default', async () => {
    const csv = await t.as(a.token).get('/api/v1/me/jp?year=2026&format=csv&delimiter=semicolon');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('jp-saya-2026.csv');
    expect(csv.text).toContain(a.credit);
    expect(csv.text).not.toContain(b.credit);
    const xlsx = await t
      .as(a.token)
      .get('/api/v1/me/jp?year=2026&format=xlsx')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const plain = await t.as(a.token).get('/api/v1/me/jp?year=2026').expect(200);
    expect(plain.body).toMatchObject({ year: 2026, total: 6 });
    const bad = await t.as(a.token).get('/api/v1/me/jp?format=pdf').expect(400);
    expect(JSON.stringify(bad.body)).toContain('format');
  });
});
