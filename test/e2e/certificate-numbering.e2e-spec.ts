import { SchedulerRegistry } from '@nestjs/schedule';
import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import { CertificateLifecycleJob } from '../../src/certification/certificate-lifecycle.job.js';
import { CertificateNumbering } from '../../src/certification/certificate-numbering.js';
import {
  Certificate,
  CertificateEvaluationPending,
  CertificationScheme,
  SchemeApproval,
} from '../../src/certification/certification.entity.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import { aNip } from '../helpers/nip.js';
import {
  bootTestApp,
  createTestDatabase,
  engine,
  signInAgent,
  TestApp,
  TestDatabase,
} from '../helpers/test-app.js';

/** Makes the next call of `target[method]` reject with `error`; later calls run as before. */
function failOnce<T extends object>(target: T, method: keyof T & string, error: Error) {
  const own = Object.prototype.hasOwnProperty.call(target, method);
  const original = target[method] as (...args: unknown[]) => unknown;
  let failed = false;
  (target as Record<string, unknown>)[method] = function (this: T, ...args: unknown[]) {
    if (failed) return original.apply(this, args);
    failed = true;
    return Promise.reject(error);
  };
  return {
    restore: () => {
      if (own) (target as Record<string, unknown>)[method] = original;
      else delete (target as Record<string, unknown>)[method];
    },
  };
}

/*
 * ADR 0041, "Certificate numbers": issuing touches no shared row; the number, the status
 * place and the mail follow in a short numbering transaction right after. On MariaDB two app
 * instances share one database (as two instances behind a load balancer would); on SQLite
 * one instance takes the same concurrent requests.
 */
describe(`certificate numbering after issue (${engine})`, () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  let scheme: CertificationScheme;
  let nips = 0;
  const nextNip = () => aNip(++nips);

  /** No minute job of its own: the test runs the numbering job when it means to. */
  const stopCrons = (t: TestApp) => {
    const registry = t.app.get(SchedulerRegistry);
    for (const [, job] of registry.getCronJobs()) void job.stop();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await bootTestApp({ database });
    b = engine === 'mysql' ? await bootTestApp({ database }) : a;
    stopCrons(a);
    stopCrons(b);
    admin = await a.tokenFor(await a.createUser('admin'));
    scheme = await anApprovalScheme(a, admin, {
      code: 'NOMOR-UJI',
      title: 'Penomoran Sertifikat Uji',
      validityMonths: 24,
    });
  });
  afterAll(async () => {
    if (b && b !== a) await b.close();
    await a?.close();
    await database?.drop();
  });

  const approve = (t: TestApp, userId: string) =>
    t
      .as(admin)
      .post(`/api/v1/certification-schemes/${scheme.id}/approvals/${userId}`)
      .send({ approved: true, notes: 'Praktik diamati lengkap dan benar.' });

  const certificatesOf = () =>
    a.dataSource.getRepository(Certificate).find({ where: { schemeId: scheme.id } });

  it('numbers 60 approvals at once through two instances: unique, gapless, distinct status places', async () => {
    const users = await Promise.all(
      Array.from({ length: 60 }, () => a.createUser('asn', { nip: nextNip() })),
    );
    const answers = await Promise.all(
      users.map((u, i) => approve(i % 2 ? b : a, u.id).expect(200)),
    );
    // Each answer carries its certificate, numbered, as on one server.
    for (const answer of answers) {
      expect(answer.body.issued).toHaveLength(1);
      expect(answer.body.issued[0].number).toMatch(/^\d{3}\/SERT-KES\/NOMOR-UJI\//);
    }
    const rows = await certificatesOf();
    expect(rows).toHaveLength(60);
    expect(rows.map((c) => c.seq).sort((x, y) => x! - y!)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    expect(new Set(rows.map((c) => c.number)).size).toBe(60);
    const places = rows.map((c) => c.statusIndex);
    expect(places.every((p) => p !== null)).toBe(true);
    expect(new Set(places).size).toBe(60);
    // The answers are the numbers in the database.
    expect(answers.map((r) => r.body.issued[0].number).sort()).toEqual(
      rows.map((c) => c.number).sort(),
    );
    const [sequence] = await a.dataSource.query(
      'SELECT value FROM certificate_sequences WHERE schemeId = ?',
      [scheme.id],
    );
    expect(Number(sequence.value)).toBe(60);
    // Every holder is told, with the number.
    const mail: { dedupeKey: string; text: string }[] = await a.dataSource.query(
      `SELECT dedupeKey, text FROM mail_outbox WHERE dedupeKey LIKE 'issued:%'`,
    );
    for (const c of rows) {
      const message = mail.find((m) => m.dedupeKey === `issued:${c.id}`);
      expect(message?.text).toContain(c.number);
    }
    const pending = await a.as(admin).get('/api/v1/certificates/pending').expect(200);
    expect(pending.body).toEqual({ unnumbered: [], evaluations: [] });
  });

  it('leaves a certificate whose numbering failed pending, visible to admins, and the job numbers it', async () => {
    const numbering = a.app.get(CertificateNumbering);
    const spy = failOnce(numbering, 'assign', new Error('injected numbering failure'));
    const holder = await a.signIn('asn', { nip: nextNip(), name: 'Siti Tertunda' });
    try {
      const answer = await approve(a, holder.user.id).expect(200);
      // Issued, but not shown until numbered.
      expect(answer.body.issued).toEqual([]);
    } finally {
      spy.restore();
    }
    const [waiting] = await a.dataSource
      .getRepository(Certificate)
      .findBy({ userId: holder.user.id });
    expect(waiting).toMatchObject({ number: null, seq: null, statusIndex: null });
    expect((await holder.api.get('/api/v1/me/certificates').expect(200)).body).toEqual([]);
    await a.http.get(`/api/v1/verify/${waiting.code}`).expect(404);
    await holder.api.get(`/api/v1/certificates/${waiting.id}`).expect(404);
    const mailBefore = await a.dataSource.query('SELECT id FROM mail_outbox WHERE dedupeKey = ?', [
      `issued:${waiting.id}`,
    ]);
    expect(mailBefore).toHaveLength(0);

    const pending = await b.as(admin).get('/api/v1/certificates/pending').expect(200);
    expect(pending.body.unnumbered).toEqual([
      {
        id: waiting.id,
        scheme: 'NOMOR-UJI',
        userId: holder.user.id,
        holderName: 'Siti Tertunda',
        issuedAt: waiting.issuedAt.toISOString(),
      },
    ]);
    const { agent: page } = await signInAgent(
      a,
      (await a.createUser('admin', { nip: nextNip() })).nip!,
    );
    const html = (await page.get('/admin/sertifikat/tertunda').expect(200)).text;
    expect(html).toContain('Sertifikat tertunda');
    expect(html).toContain('Siti Tertunda');

    expect(await b.app.get(CertificateLifecycleJob).runNumbering(new Date())).toBe(true);
    const numbered = (await a.dataSource.getRepository(Certificate).findOneBy({ id: waiting.id }))!;
    // The next number after the 60: nothing skipped while it waited.
    expect(numbered.seq).toBe(61);
    expect(numbered.number).toMatch(/^061\//);
    expect(numbered.statusIndex).not.toBeNull();
    const mine = (await holder.api.get('/api/v1/me/certificates').expect(200)).body;
    expect(mine.map((c: { number: string }) => c.number)).toEqual([numbered.number]);
    await a.http.get(`/api/v1/verify/${numbered.code}`).expect(200);
    const [mail] = await a.dataSource.query('SELECT text FROM mail_outbox WHERE dedupeKey = ?', [
      `issued:${waiting.id}`,
    ]);
    expect(mail.text).toContain(numbered.number);
    expect(
      (await a.as(admin).get('/api/v1/certificates/pending').expect(200)).body.unnumbered,
    ).toEqual([]);
  });

  it('keeps a failed evaluation, shows it to admins, and the job evaluates it again', async () => {
    const user = await a.createUser('asn', { nip: nextNip(), name: 'Budi Gagal Evaluasi' });
    const now = new Date();
    // The approval is committed; the evaluation that follows it fails.
    await a.dataSource.getRepository(SchemeApproval).insert({
      schemeId: scheme.id,
      userId: user.id,
      status: 'approved',
      notes: 'Praktik diamati lengkap dan benar.',
      reason: null,
      decidedBy: null,
      decidedAt: now,
      createdAt: now,
    });
    const issuer = a.app.get(CertificateIssuer);
    const spy = failOnce(issuer, 'evaluate', new Error('Deadlock found when trying to get lock'));
    try {
      expect(await issuer.evaluateSafely(user.id)).toBe(false);
    } finally {
      spy.restore();
    }
    const kept = await a.dataSource
      .getRepository(CertificateEvaluationPending)
      .findOneByOrFail({ userId: user.id });
    expect(kept).toMatchObject({ tries: 1 });
    expect(kept.lastError).toContain('Deadlock');
    const pending = await a.as(admin).get('/api/v1/certificates/pending').expect(200);
    expect(pending.body.evaluations).toEqual([
      {
        userId: user.id,
        name: 'Budi Gagal Evaluasi',
        nip: user.nip,
        tries: 1,
        firstFailedAt: kept.firstFailedAt.toISOString(),
        lastFailedAt: kept.lastFailedAt.toISOString(),
      },
    ]);
    expect(await a.dataSource.getRepository(Certificate).countBy({ userId: user.id })).toBe(0);

    expect(await a.app.get(CertificateLifecycleJob).runNumbering(new Date())).toBe(true);
    const [certificate] = await a.dataSource.getRepository(Certificate).findBy({ userId: user.id });
    expect(certificate.seq).toBe(62);
    expect(
      await a.dataSource.getRepository(CertificateEvaluationPending).countBy({ userId: user.id }),
    ).toBe(0);
    expect((await a.as(admin).get('/api/v1/certificates/pending').expect(200)).body).toEqual({
      unnumbered: [],
      evaluations: [],
    });
  });

  it('refuses the pending list to an ASN and shows a coordinator only their sectors', async () => {
    const asn = await a.signIn('asn');
    await asn.api.get('/api/v1/certificates/pending').expect(403);
    const other = await a.signIn('coordinator', { sectors: ['education'] });
    const numbering = a.app.get(CertificateNumbering);
    const spy = failOnce(numbering, 'assign', new Error('injected'));
    const holder = await a.createUser('asn', { nip: nextNip() });
    try {
      await approve(a, holder.id).expect(200);
    } finally {
      spy.restore();
    }
    const health = await a.signIn('coordinator', { sectors: ['health'] });
    const seen = (await health.api.get('/api/v1/certificates/pending').expect(200)).body;
    expect(seen.unnumbered.map((c: { userId: string }) => c.userId)).toEqual([holder.id]);
    expect(seen.evaluations).toEqual([]);
    const notSeen = (await other.api.get('/api/v1/certificates/pending').expect(200)).body;
    expect(notSeen).toEqual({ unnumbered: [], evaluations: [] });
    await numbering.numberPending();
  });
});
