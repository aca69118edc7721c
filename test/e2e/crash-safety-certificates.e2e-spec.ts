import { createLocalJWKSet, jwtVerify } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  CHILD_ADMIN as ADMIN,
  ensureBuilt,
  login,
  publishExam,
  readRows,
  type RunningApp,
  sleep,
  startApp,
  stopApp,
} from '../helpers/child-app.js';
import {
  createTestDatabase,
  engine,
  TEST_PASSWORD,
  TestDatabase,
  asBytes,
} from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';
import { clientAs } from '../helpers/client.js';

/*
 * The compiled app runs as a child process and issues certificates along both roads at once:
 * an assessor approves candidates of a scheme that needs only an approval (the certificate
 * comes back in the response), and ASNs submit the passing attempt a second scheme needs
 * (the certificate is issued before the submit answers). The process is killed with SIGKILL
 * in the middle of it. What the invariant is, checked on disk right after the kill and again
 * after the app has started on the same database and everything unanswered was sent again:
 *
 * - every certificate whose issue was acknowledged is there, and complete: its number, code,
 *   evidence, audit entry, mail and notification;
 * - a certificate is never half there: issued in one transaction (code, evidence, audit
 *   entry), numbered in a second one right after (number, status place, mail and
 *   notification, ADR 0041); the kill may fall between the two, leaving a certificate issued
 *   but not numbered (never acknowledged), which the restarted app numbers at boot;
 * - per scheme and year the numbers run 1..n without a gap or a repeat, and the sequence
 *   stands at n (no number taken by an issue that did not commit);
 * - nobody holds two.
 *
 * After the restart, issues the kill cut off between their trigger (the approval, the
 * graded pass, each committed first) and the certificate are made good by the app itself
 * (the catch-up at boot), before any client sends anything again. Every certificate then
 * serves its PDF, its signed credential and its public verification.
 */

/** Candidates an assessor approves. */
const APPROVALS = 36;
/** ASNs who submit a passing attempt. */
const SUBMITS = 24;
/** Requests in flight at any moment. */
const CONNECTIONS = 8;
/** Acknowledged issues before the kill: about a third of them. */
const KILL_AFTER = 20;

const year = new Date().getUTCFullYear();

interface Issued {
  id: string;
  number: string;
  code: string;
  userId: string;
}

interface CertificateRow {
  id: string;
  schemeId: string;
  userId: string;
  number: string | null;
  code: string;
  seq: number | null;
  year: number;
  status: string;
  holderName: string;
}

/** The database as it stands, read without the app. */
async function snapshot(database: TestDatabase) {
  const read = <T>(sql: string) => readRows<T>(database.url, sql);
  const count = (rows: { key: string | null; n: number | string }[]) =>
    new Map(rows.map((r) => [r.key, Number(r.n)]));
  const [certificates, sequences, evidence, audit, mail, notifications, approvals, attempts] =
    await Promise.all([
      read<CertificateRow>(
        'SELECT id, schemeId, userId, number, code, seq, year, status, holderName FROM certificates',
      ),
      read<{ schemeId: string; year: number; value: number }>(
        'SELECT schemeId, year, value FROM certificate_sequences',
      ),
      read<{ key: string; n: number }>(
        `SELECT sourceId AS \`key\`, COUNT(*) AS n FROM evidence WHERE source = 'certificate' GROUP BY sourceId`,
      ),
      read<{ key: string; n: number }>(
        `SELECT entityId AS \`key\`, COUNT(*) AS n FROM audit_log WHERE action = 'certificate.issue' GROUP BY entityId`,
      ),
      read<{ key: string; n: number }>(
        `SELECT dedupeKey AS \`key\`, COUNT(*) AS n FROM mail_outbox WHERE dedupeKey LIKE 'issued:%' GROUP BY dedupeKey`,
      ),
      read<{ key: string; n: number }>(
        `SELECT userId AS \`key\`, COUNT(*) AS n FROM notifications WHERE kind = 'certificate.issued' GROUP BY userId`,
      ),
      read<{ schemeId: string; userId: string }>(
        `SELECT schemeId, userId FROM scheme_approvals WHERE status = 'approved'`,
      ),
      read<{ userId: string }>(
        `SELECT userId FROM attempts WHERE status = 'graded' AND passed = 1`,
      ),
    ]);
  return {
    certificates: certificates.map((c) => ({
      ...c,
      seq: c.seq === null ? null : Number(c.seq),
      year: Number(c.year),
    })),
    sequences: sequences.map((s) => ({ ...s, year: Number(s.year), value: Number(s.value) })),
    evidence: count(evidence),
    audit: count(audit),
    mail: count(mail),
    notifications: count(notifications),
    approved: approvals,
    passed: attempts.map((a) => a.userId),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/**
 * Everything that breaks the invariant (see the top of the file); empty when it holds.
 * `unnumbered`: whether certificates issued but not numbered yet are allowed (right after
 * the kill), complete but for what numbering writes.
 */
function violations(
  db: Snapshot,
  schemes: { id: string; code: string }[],
  unnumbered = false,
): string[] {
  const out: string[] = [];
  for (const scheme of schemes) {
    const all = db.certificates.filter((c) => c.schemeId === scheme.id);
    for (const c of all.filter((c) => c.seq === null)) {
      const wrong = [
        !unnumbered && 'no number',
        c.number !== null && `number ${c.number} without seq`,
        db.evidence.get(c.id) !== 1 && 'evidence',
        db.audit.get(c.id) !== 1 && 'audit entry',
        db.mail.has(`issued:${c.id}`) && 'mail before its number',
      ].filter(Boolean);
      if (wrong.length) out.push(`unnumbered ${c.id}: ${wrong.join(', ')}`);
    }
    const mine = all.filter((c) => c.seq !== null);
    const holders = new Set(all.map((c) => c.userId));
    if (holders.size !== all.length) out.push(`${scheme.code}: someone holds two`);
    const seqs = mine.map((c) => c.seq!).sort((a, b) => a - b);
    const expected = Array.from({ length: mine.length }, (_, i) => i + 1);
    if (JSON.stringify(seqs) !== JSON.stringify(expected))
      out.push(`${scheme.code}: numbers ${seqs.join(',')} are not 1..${mine.length}`);
    const sequence = db.sequences.find((s) => s.schemeId === scheme.id && s.year === year);
    if ((sequence?.value ?? 0) !== mine.length)
      out.push(`${scheme.code}: sequence at ${sequence?.value}, ${mine.length} certificates`);
    for (const c of mine) {
      const number = `${String(c.seq).padStart(3, '0')}/SERT-KES/${scheme.code}/BKPSDM-PSP/${year}`;
      const missing = [
        c.number !== number && `number ${c.number}, not ${number}`,
        c.year !== year && `year ${c.year}`,
        !/^[A-Z2-7]{16}$/.test(c.code) && `code ${c.code}`,
        c.status !== 'active' && `status ${c.status}`,
        !c.holderName && 'holder name',
        db.evidence.get(c.id) !== 1 && 'evidence',
        db.audit.get(c.id) !== 1 && 'audit entry',
        db.mail.get(`issued:${c.id}`) !== 1 && 'mail',
        db.notifications.get(c.userId) !== 1 && 'notification',
      ].filter(Boolean);
      if (missing.length) out.push(`${c.number}: ${missing.join(', ')}`);
    }
  }
  // Nothing points at a certificate that is not there.
  const ids = new Set(db.certificates.map((c) => c.id));
  for (const key of [...db.evidence.keys(), ...db.audit.keys()])
    if (key && !ids.has(key)) out.push(`evidence or audit entry of a missing certificate ${key}`);
  for (const key of db.mail.keys())
    if (key && !ids.has(key.slice('issued:'.length)))
      out.push(`mail of a missing certificate ${key}`);
  return out;
}

describe(`crash safety of certificate issuing (${engine})`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sa-crash-cert-'));
  }, 180_000);

  afterAll(async () => {
    await stopApp(app);
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged certificate whole through a SIGKILL, numbered without a gap', async () => {
    // Content packs are not needed (two health competencies made here are attested): a faster boot.
    const env = { CONTENT_SYNC: 'false' };
    app = await startApp(database.url, dataDir, env);
    let http = request(app.base);

    // Setup through the API: a coordinator, an exam of one true/false question, two schemes.
    const admin = await login(app.base, ADMIN.email, ADMIN.password);
    const published = await publishExam(app.base, admin, {
      gift: '::Q1:: Cuci tangan sebelum kontak pasien. {T}',
      count: 1,
      coordinatorEmail: 'asesor@crash.uji.example',
      title: 'Ujian Sertifikat',
      shuffle: false,
    });
    let coordinator = published.coordinator;
    // A health scheme attests health competencies, and the health coordinator approves ASN
    // whose position is in the health sector (ADR 0012).
    for (const code of ['KES.PRAKTIK', 'KES.TERTULIS'])
      await clientAs(http, admin)
        .post('/api/v1/competencies')
        .send({
          code,
          title: `Kompetensi ${code}`,
          description: 'Kompetensi teknis kesehatan untuk uji crash',
          type: 'teknis',
          sector: 'health',
          levels: [1, 2, 3, 4, 5].map((level) => ({
            level,
            description: `Tingkat ${level}`,
            indicators: [`Indikator ${level}`],
          })),
        })
        .expect(201);
    await clientAs(http, admin)
      .post('/api/v1/positions')
      .send({ code: 'KES-PERAWAT', name: 'Perawat', kind: 'fungsional', sector: 'health' })
      .expect(201);
    const scheme = async (code: string, requirements: object, competencyCode: string) => {
      const res = await clientAs(http, coordinator)
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code,
          title: `Skema ${code}`,
          requirements,
          attests: [{ competencyCode, level: 2 }],
          validityMonths: 24,
        })
        .expect(201);
      await activateScheme({ as: (token) => clientAs(http, token) }, coordinator, res.body.id);
      return { id: res.body.id as string, code };
    };
    const practical = await scheme('UJI-PRAKTIK', { approval: true }, 'KES.PRAKTIK');
    const exam = await scheme(
      'UJI-TERTULIS',
      { assessments: [{ assessmentId: published.id, minPercent: 100 }] },
      'KES.TERTULIS',
    );
    const schemes = [practical, exam];

    // The candidates: approved ones need no login (temporary passwords are quick to make);
    // those who sit the exam have one started and answered, ready to submit.
    const parallel = async <T>(count: number, make: (i: number) => Promise<T>) => {
      const out: T[] = [];
      for (let i = 0; i < count; i += CONNECTIONS)
        out.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(CONNECTIONS, count - i) }, (_, j) => make(i + j)),
          )),
        );
      return out;
    };
    const candidates = await parallel(APPROVALS, async (i) => {
      const res = await clientAs(http, admin)
        .post('/api/v1/users')
        .send({
          email: `praktik${i}@crash.uji.example`,
          name: `Peserta Praktik ${i}`,
          role: 'asn',
          positionCode: 'KES-PERAWAT',
        })
        .expect(201);
      return res.body.id as string;
    });
    const examinees = await parallel(SUBMITS, async (i) => {
      const email = `tertulis${i}@crash.uji.example`;
      const user = await clientAs(http, admin)
        .post('/api/v1/users')
        .send({ email, name: `Peserta Tertulis ${i}`, password: TEST_PASSWORD, role: 'asn' })
        .expect(201);
      const token = await login(app!.base, email, TEST_PASSWORD);
      const attempt = await clientAs(http, token)
        .post(`/api/v1/assessments/${published.id}/attempts`)
        .expect(201);
      await clientAs(http, token)
        .put(`/api/v1/attempts/${attempt.body.id}/answers/1`)
        .send({ response: true })
        .expect(200);
      return { userId: user.body.id as string, email, attemptId: attempt.body.id as string };
    });

    // The storm: approvals and submits interleaved from several connections, until
    // KILL_AFTER issues are acknowledged; then SIGKILL, with the others still in flight.
    const running = app;
    const acknowledgedApprovals = new Map<string, Issued>();
    const acknowledgedSubmits = new Set<string>();
    const tally = { acknowledged: 0, failed: 0, inFlightAtKill: -1 };
    const refusals: string[] = [];
    let inFlight = 0;
    type Task = { kind: 'approve'; userId: string } | { kind: 'submit'; userId: string };
    const tasks: Task[] = [];
    for (let i = 0; i < Math.max(APPROVALS, SUBMITS); i++) {
      if (i < APPROVALS) tasks.push({ kind: 'approve', userId: candidates[i] });
      if (i < SUBMITS) tasks.push({ kind: 'submit', userId: examinees[i].userId });
    }
    const tokens = new Map<string, string>();
    for (const e of examinees) tokens.set(e.userId, await login(app.base, e.email, TEST_PASSWORD));
    const send = (task: Task) => {
      const examinee = examinees.find((e) => e.userId === task.userId);
      return task.kind === 'approve'
        ? fetch(
            `${running.base}/api/v1/certification-schemes/${practical.id}/approvals/${task.userId}`,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${coordinator}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ approved: true, notes: 'Praktik lulus' }),
            },
          )
        : fetch(`${running.base}/api/v1/attempts/${examinee!.attemptId}/submit`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens.get(task.userId)}` },
          });
    };
    const queue = [...tasks];
    const worker = async () => {
      while (tally.inFlightAtKill < 0) {
        const task = queue.shift();
        if (!task) return;
        inFlight++;
        try {
          const res = await send(task);
          const body = (await res.json()) as {
            issued?: Issued[];
            status?: string;
            result?: { passed?: boolean };
          };
          const issued =
            task.kind === 'approve'
              ? body.issued?.length === 1
              : body.status === 'graded' && body.result?.passed === true;
          if (res.status !== 200 || !issued) {
            refusals.push(`${task.kind} ${res.status} ${JSON.stringify(body)}`);
            continue;
          }
          if (task.kind === 'approve')
            acknowledgedApprovals.set(task.userId, { ...body.issued![0], userId: task.userId });
          else acknowledgedSubmits.add(task.userId);
          tally.acknowledged++;
          if (tally.acknowledged === KILL_AFTER) {
            tally.inFlightAtKill = inFlight - 1;
            running.child.kill('SIGKILL');
          }
        } catch {
          tally.failed++;
        } finally {
          inFlight--;
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    await running.exited;
    expect(running.child.signalCode).toBe('SIGKILL');
    expect(refusals).toEqual([]);
    expect(tally.acknowledged).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(tally.inFlightAtKill).toBeGreaterThan(0);
    expect(acknowledgedApprovals.size).toBeGreaterThan(0);
    expect(acknowledgedSubmits.size).toBeGreaterThan(0);

    /** Acknowledged issues the database does not hold as they were acknowledged. */
    const lost = (db: Snapshot) => [
      ...[...acknowledgedApprovals.values()]
        .filter((a) => {
          const row = db.certificates.find((c) => c.id === a.id);
          return row?.number !== a.number || row?.code !== a.code || row?.userId !== a.userId;
        })
        .map((a) => `approval of ${a.userId}: ${a.number}`),
      ...[...acknowledgedSubmits]
        .filter(
          (userId) => !db.certificates.some((c) => c.schemeId === exam.id && c.userId === userId),
        )
        .map((userId) => `pass of ${userId}`),
    ];

    // On disk at the moment of the kill, read before anything restarts.
    const afterKill = await snapshot(database);
    expect(lost(afterKill)).toEqual([]);
    expect(violations(afterKill, schemes, true)).toEqual([]);

    // Started again on the same database. Triggers that committed without their certificate
    // (approved, or graded as passed, when the process died) are issued by the app itself.
    const restarted = Date.now();
    app = await startApp(database.url, dataDir, env);
    http = request(app.base);
    const unserved = (db: Snapshot) => [
      ...db.approved
        .filter(
          (a) => !db.certificates.some((c) => c.schemeId === a.schemeId && c.userId === a.userId),
        )
        .map((a) => `approved ${a.userId}`),
      ...db.passed
        .filter(
          (userId) => !db.certificates.some((c) => c.schemeId === exam.id && c.userId === userId),
        )
        .map((userId) => `passed ${userId}`),
    ];
    let caughtUp = await snapshot(database);
    while (
      (unserved(caughtUp).length || caughtUp.certificates.some((c) => c.seq === null)) &&
      Date.now() - restarted < 30_000
    ) {
      await sleep(250);
      caughtUp = await snapshot(database);
    }
    expect(unserved(caughtUp)).toEqual([]);
    expect(lost(caughtUp)).toEqual([]);
    expect(violations(caughtUp, schemes)).toEqual([]);

    // The clients send again what was not answered: each gets its certificate, once.
    coordinator = await login(app.base, 'asesor@crash.uji.example', TEST_PASSWORD);
    await parallel(APPROVALS, async (i) => {
      const userId = candidates[i];
      if (acknowledgedApprovals.has(userId)) return;
      const res = await clientAs(http, coordinator)
        .post(`/api/v1/certification-schemes/${practical.id}/approvals/${userId}`)
        .send({ approved: true, notes: 'Praktik lulus' })
        .expect(200);
      // Already issued (before the kill or by the catch-up): nothing new.
      const held = caughtUp.certificates.some(
        (c) => c.schemeId === practical.id && c.userId === userId,
      );
      expect(res.body.issued).toHaveLength(held ? 0 : 1);
    });
    await parallel(SUBMITS, async (i) => {
      const { userId, email, attemptId } = examinees[i];
      if (acknowledgedSubmits.has(userId)) return;
      const token = await login(app!.base, email, TEST_PASSWORD);
      const res = await clientAs(http, token)
        .post(`/api/v1/attempts/${attemptId}/submit`)
        .expect(200);
      expect(res.body).toMatchObject({ status: 'graded', result: { passed: true } });
    });
    const final = await snapshot(database);
    expect(violations(final, schemes)).toEqual([]);
    expect(lost(final)).toEqual([]);
    const holders = (schemeId: string) =>
      final.certificates
        .filter((c) => c.schemeId === schemeId)
        .map((c) => c.userId)
        .sort();
    expect(holders(practical.id)).toEqual([...candidates].sort());
    expect(holders(exam.id)).toEqual(examinees.map((e) => e.userId).sort());

    // Every certificate serves its PDF, its credential (verified against the published key)
    // and its public verification, from the restarted app.
    const jwks = createLocalJWKSet((await http.get('/.well-known/jwks.json').expect(200)).body);
    /** A download as bytes, whatever its content type. */
    const download = (path: string) =>
      clientAs(http, coordinator).get(path).buffer(true).parse(asBytes).expect(200);
    await parallel(final.certificates.length, async (i) => {
      const c = final.certificates[i];
      const view = await clientAs(http, coordinator)
        .get(`/api/v1/certificates/${c.id}`)
        .expect(200);
      expect(view.body).toMatchObject({ number: c.number, code: c.code, status: 'active' });
      const pdf = await download(`/api/v1/certificates/${c.id}/pdf`);
      expect((pdf.body as Buffer).subarray(0, 4).toString()).toBe('%PDF');
      expect((pdf.body as Buffer).toString('latin1')).toContain(c.number);
      const credential = await download(`/api/v1/certificates/${c.id}/credential`);
      const { payload } = await jwtVerify((credential.body as Buffer).toString('utf8'), jwks);
      expect(payload.jti).toBe(c.id);
      const verified = await http.get(`/api/v1/verify/${c.code}`).expect(200);
      expect(verified.body).toMatchObject({
        valid: true,
        status: 'active',
        certificate: { number: c.number, holderName: c.holderName },
      });
    });
  }, 120_000);
});
