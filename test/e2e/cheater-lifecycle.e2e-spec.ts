import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import { Certificate } from '../../src/certification/certification.entity.js';
import { Clock } from '../../src/platform/clock.js';
import { formatDate } from '../../src/platform/i18n/local-format.js';
import {
  ensureBuilt,
  readRows,
  type RunningApp,
  sleep,
  startApp,
  stopApp,
} from '../helpers/child-app.js';
import {
  bootTestApp,
  createTestDatabase,
  csrfOf,
  engine,
  signInAgent,
  TestApp,
  TestDatabase,
} from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';
import { aNip } from '../helpers/nip.js';
import { publishedExam } from '../helpers/exams.js';

/** A day as the mails write it: Indonesian, in the city's zone ("4 Desember 2026"). */
const day = (iso: string) => formatDate(iso, 'id', 'Asia/Jakarta');

/*
 * The certificate lifecycle, tried by someone who hopes for a paper they are not owed and by
 * the plain accidents of operation (a restart, a SIGKILL, an unrelated course): a certificate
 * is issued or renewed exactly when the scheme's rules are met, and a holder is never
 * surprised (a valid certificate re-issued, its QR turned "invalid", a mail with other dates).
 */

const GIFT = [
  '::Q1:: Cuci tangan sebelum kontak pasien. {T}',
  '::Q2:: Sarung tangan menggantikan cuci tangan. {F}',
].join('\n\n');
const DAY = 86_400_000;

interface CertificateRow {
  id: string;
  userId: string;
  schemeId: string;
  number: string;
  status: string;
  seq: number | string;
}

describe(`cheater: certificate lifecycle (${engine})`, () => {
  let database: TestDatabase;
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  const exams: Record<'renewable' | 'position' | 'other', string> = {
    renewable: '',
    position: '',
    other: '',
  };
  const schemes: Record<'renewable' | 'position', string> = { renewable: '', position: '' };
  let unrelatedCourse: string;
  /** The app "restarted" on the same database. */
  let second: TestApp | undefined;

  /** Every certificate on disk, read without the app. */
  const certificates = () =>
    readRows<CertificateRow>(
      database.url,
      'SELECT id, userId, schemeId, number, status, seq FROM certificates ORDER BY number',
    );
  const held = async (userId: string) => (await certificates()).filter((c) => c.userId === userId);

  async function exam(title: string): Promise<string> {
    return (await publishedExam(t, coordinator, { title, gift: GIFT, count: 2 })).id;
  }

  /** Sits an exam with every answer right. */
  async function pass(token: string, assessmentId: string, app: TestApp = t) {
    const attempt = (
      await app.as(token).post(`/api/v1/assessments/${assessmentId}/attempts`).expect(201)
    ).body;
    for (const item of attempt.items as { slot: number; stem: string }[])
      await app
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: item.stem.includes('sebelum kontak') })
        .expect(200);
    const submitted = await app.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    expect(submitted.body.result).toMatchObject({ passed: true, percent: 100 });
  }

  /** Passes the exam of the renewable scheme with the evaluation lost (the process "died"). */
  async function passWithEvaluationLost(token: string) {
    const service = t.app.get(CertificateIssuer);
    const evaluate = service.evaluate;
    service.evaluate = () => Promise.reject(new Error('the process died before evaluating'));
    try {
      await pass(token, exams.renewable);
    } finally {
      service.evaluate = evaluate;
    }
  }

  async function scheme(code: string, body: object): Promise<string> {
    const id = (
      await t
        .as(admin)
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code,
          title: `Skema ${code}`,
          attests: [{ competencyCode: 'M.1', level: 2 }],
          ...body,
        })
        .expect(201)
    ).body.id as string;
    await activateScheme(t, admin, id);
    return id;
  }

  const mySchemes = async (token: string, app: TestApp = t) =>
    (await app.as(token).get('/api/v1/me/schemes').expect(200)).body as {
      id: string;
      state: string;
      explanation: string;
      missing: string[];
      expectedAt: string | null;
      renewal: { opensAt: string; closesAt: string } | null;
      requirements: { kind: string; met: boolean; detail?: string }[];
    }[];

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await bootTestApp({ database });
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    exams.renewable = await exam('Ujian Sertifikasi Dasar');
    exams.position = await exam('Ujian Perawat');
    exams.other = await exam('Ujian Keselamatan Pasien');
    for (const [code, name] of [
      ['KES-PERAWAT-AP', 'Perawat Ahli Pertama'],
      ['PERAWAT-AP', 'Perawat Ahli Pertama'],
    ])
      await t
        .as(admin)
        .post('/api/v1/positions')
        // The second namesake on purpose: the case a person lands on the wrong one.
        .send({ code, name, kind: 'fungsional', sector: 'health', confirmDuplicateName: true })
        .expect(201);
    schemes.renewable = await scheme('SIKLUS-DASAR', {
      requirements: { assessments: [{ assessmentId: exams.renewable, minPercent: 100 }] },
      validityMonths: 12,
      renewal: { assessmentId: exams.renewable, windowDays: 60 },
    });
    schemes.position = await scheme('SIKLUS-PERAWAT', {
      targetPositions: ['KES-PERAWAT-AP'],
      requirements: { assessments: [{ assessmentId: exams.position, minPercent: 100 }] },
      validityMonths: 36,
    });
    // An unrelated course: its one lesson is the unrelated exam, so passing it completes it.
    unrelatedCourse = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({
          sector: 'health',
          code: 'SIKLUS-KP-01',
          title: 'Keselamatan Pasien',
          summary: 'Enam sasaran keselamatan pasien.',
          objectives: ['Menjelaskan 6 SKP'],
          competencies: [{ code: 'M.5', level: 2 }],
          jp: 1,
        })
        .expect(201)
    ).body.id;
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${unrelatedCourse}/lessons`)
      .send({ title: 'Ujian akhir', kind: 'assessment', assessmentId: exams.other })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/courses/${unrelatedCourse}/publish`).expect(200);
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await t?.close();
    await database?.drop();
  });

  /** A holder whose certificate ends in 20 days (as the demo's does), inside the window. */
  let holder: { id: string; token: string; certificate: CertificateRow };

  it('an unrelated course completion or pass does not re-issue a valid certificate inside the renewal window', async () => {
    const user = await t.createUser('asn', { nip: aNip(301), name: 'Rina Administrasi' });
    const token = await t.tokenFor(user);
    await pass(token, exams.renewable);
    const [certificate] = await held(user.id);
    expect(certificate).toMatchObject({ schemeId: schemes.renewable, status: 'active' });
    // Its end moved close (20 days): the 60-day renewal window is open, and the pass that
    // earned it lies inside the window.
    await t.dataSource
      .getRepository(Certificate)
      .update({ id: certificate.id }, { expiresAt: new Date(Date.now() + 20 * DAY) });
    holder = { id: user.id, token, certificate };

    // The unrelated course, completed by passing its exam: a pass and a completion at once.
    await t.as(token).post(`/api/v1/courses/${unrelatedCourse}/enrollments`).expect(201);
    await pass(token, exams.other);
    const [enrollment] = await t.dataSource.query(
      `SELECT status FROM enrollments WHERE userId = ? AND courseId = ?`,
      [user.id, unrelatedCourse],
    );
    expect(enrollment.status).toBe('completed');
    // Asking for it does not help either.
    const checked = await t.as(token).post('/api/v1/me/schemes/check').expect(200);
    expect(checked.body.issued).toEqual([]);

    expect(await held(user.id)).toEqual([certificate]);
    const [{ n }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM notifications WHERE userId = ? AND kind = 'certificate.issued'`,
      [user.id],
    );
    expect(Number(n)).toBe(1);
    const verified = (await t.http.get(`/api/v1/verify/${await codeOf(certificate.id)}`)).body;
    expect(verified).toMatchObject({ valid: true, status: 'active' });
    const page = (await mySchemes(token)).find((s) => s.id === schemes.renewable)!;
    expect(page.state).toBe('renewal_open');
    expect(page.explanation).toContain('perpanjang dengan lulus ujian perpanjangan');
  });

  const codeOf = async (id: string) =>
    (await t.dataSource.query(`SELECT code FROM certificates WHERE id = ?`, [id]))[0]
      .code as string;

  /** Waits until a catch-up that started after `since` has finished. */
  async function catchUpFinished(since: Date) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const [lease] = await readRows<{ tick: string | null; finishedAt: string | Date | null }>(
        database.url,
        `SELECT tick, finishedAt FROM job_leases WHERE name = 'certificates.catch-up'`,
      );
      if (lease?.tick && lease.tick >= since.toISOString() && lease.finishedAt) return;
      await sleep(200);
    }
    throw new Error('The catch-up at boot did not finish within 30 s');
  }

  /** Numbers per scheme run 1..n, nobody holds two active ones of a scheme. */
  function consistent(rows: CertificateRow[]) {
    const problems: string[] = [];
    for (const schemeId of new Set(rows.map((r) => r.schemeId))) {
      const mine = rows.filter((r) => r.schemeId === schemeId);
      const seqs = mine.map((r) => Number(r.seq)).sort((a, b) => a - b);
      if (seqs.some((s, i) => s !== i + 1)) problems.push(`${schemeId}: ${seqs.join(',')}`);
      const active = mine.filter((r) => r.status === 'active').map((r) => r.userId);
      if (new Set(active).size !== active.length) problems.push(`${schemeId}: two active`);
    }
    return problems;
  }

  it('a restart and a SIGKILL issue or renew nothing not owed, and catch up an evaluation really lost', async () => {
    // Lost: a pass committed, the evaluation never ran. The page says it is owed and when.
    const lost = await t.createUser('asn', { nip: aNip(302) });
    const lostToken = await t.tokenFor(lost);
    await passWithEvaluationLost(lostToken);
    expect(await held(lost.id)).toEqual([]);
    const waiting = (await mySchemes(lostToken)).find((s) => s.id === schemes.renewable)!;
    expect(waiting).toMatchObject({ state: 'eligible', missing: [] });
    expect(Date.parse(waiting.expectedAt!)).toBeLessThanOrEqual(Date.now() + 3_600_000);

    // A plain restart: a second app on the same database, its catch-up at boot.
    const before = await certificates();
    const booted = new Date();
    // It stays up until the end: Passport's strategy is one per process, the last app's.
    second = await bootTestApp({ database });
    {
      await catchUpFinished(booted);
      const after = await certificates();
      // Only the lost one was issued; the holder's certificate, inside its window, is untouched.
      expect(after.filter((c) => !before.some((b) => b.id === c.id))).toEqual([
        expect.objectContaining({ userId: lost.id, schemeId: schemes.renewable, status: 'active' }),
      ]);
      expect(after.filter((c) => before.some((b) => b.id === c.id))).toEqual(before);
      expect(await held(holder.id)).toEqual([holder.certificate]);
      // Running it again (the hourly tick) finds nothing more.
      expect(await second.app.get(CertificateIssuer).catchUp(new Date(Date.now() - DAY))).toBe(0);
    }

    // SIGKILL: the built app as a child process on the same database, killed after its
    // catch-up at boot, started again.
    ensureBuilt();
    const again = await t.createUser('asn', { nip: aNip(303) });
    await passWithEvaluationLost(await t.tokenFor(again));
    const dataDir = mkdtempSync(join(tmpdir(), 'sa-lifecycle-'));
    let child: RunningApp | undefined;
    try {
      const beforeKill = await certificates();
      let started = new Date();
      child = await startApp(database.url, dataDir, { CONTENT_SYNC: 'false' });
      await catchUpFinished(started);
      const caught = await certificates();
      expect(caught.filter((c) => !beforeKill.some((b) => b.id === c.id))).toEqual([
        expect.objectContaining({ userId: again.id, schemeId: schemes.renewable }),
      ]);
      child.child.kill('SIGKILL');
      await child.exited;

      started = new Date();
      child = await startApp(database.url, dataDir, { CONTENT_SYNC: 'false' });
      await catchUpFinished(started);
      const final = await certificates();
      expect(final).toEqual(caught);
      expect(consistent(final)).toEqual([]);
      expect(await held(holder.id)).toEqual([holder.certificate]);
      const [{ value }] = await readRows<{ value: number | string }>(
        database.url,
        `SELECT value FROM certificate_sequences WHERE schemeId = ?`,
        [schemes.renewable],
      );
      expect(Number(value)).toBe(final.filter((c) => c.schemeId === schemes.renewable).length);
    } finally {
      await stopApp(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('the scheme page explains a position mismatch (both codes), a missing requirement, and a position fix certifies at once', async () => {
    const [wrong] = await t.dataSource.query(`SELECT id FROM positions WHERE code = 'PERAWAT-AP'`);
    const fadli = await t.createUser('asn', {
      nip: aNip(304),
      name: 'dr. Fadli',
      positionId: wrong.id,
    });
    const token = await t.tokenFor(fadli);
    const before = (await mySchemes(token)).find((s) => s.id === schemes.position)!;
    expect(before.state).toBe('position_mismatch');
    await pass(token, exams.position);
    expect(await held(fadli.id)).toEqual([]);

    const explained = (await mySchemes(token)).find((s) => s.id === schemes.position)!;
    expect(explained.state).toBe('position_mismatch');
    expect(explained.explanation).toContain('Perawat Ahli Pertama (kode PERAWAT-AP)');
    expect(explained.explanation).toContain('Perawat Ahli Pertama (KES-PERAWAT-AP)');
    expect(explained.requirements).toEqual([
      expect.objectContaining({ kind: 'position', met: false }),
      expect.objectContaining({ kind: 'assessment', met: true }),
    ]);
    // The page says the same, and offers the check.
    const { agent } = await signInAgent(t, fadli.nip!);
    const page = await agent.get('/sertifikat').expect(200);
    expect(page.text).toContain('PERAWAT-AP');
    expect(page.text).toContain('KES-PERAWAT-AP');
    expect(page.text).toContain('data-state="position_mismatch"');
    expect(page.text).toContain('Periksa kelayakan sekarang');
    const checked = await agent
      .post('/sertifikat/periksa')
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(checked.headers.location).toBe('/sertifikat#skema');
    expect(await held(fadli.id)).toEqual([]);

    // Someone with the right position and nothing done: the missing exam is named.
    const [right] = await t.dataSource.query(
      `SELECT id FROM positions WHERE code = 'KES-PERAWAT-AP'`,
    );
    const newcomer = await t.createUser('asn', { positionId: right.id });
    const missing = (await mySchemes(await t.tokenFor(newcomer))).find(
      (s) => s.id === schemes.position,
    )!;
    expect(missing).toMatchObject({ state: 'missing', missing: ['Ujian (minimal 100%)'] });
    expect(missing.explanation).toContain('Ujian (minimal 100%)');

    // The admin corrects the position: the certificate follows in the same request.
    await t
      .as(admin)
      .patch(`/api/v1/users/${fadli.id}`)
      .send({ positionCode: 'KES-PERAWAT-AP' })
      .expect(200);
    expect(await held(fadli.id)).toEqual([
      expect.objectContaining({ schemeId: schemes.position, status: 'active' }),
    ]);
    expect((await mySchemes(token)).find((s) => s.id === schemes.position)!.state).toBe(
      'certified',
    );
    // Checking again is idempotent, and a script asking over and over is slowed down.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await t.as(token).post('/api/v1/me/schemes/check')).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    expect(statuses).toContain(429);
    expect(await held(fadli.id)).toHaveLength(1);

    // The same fix through the CSV import: a name two positions share is refused (guessing
    // is how the wrong one gets in); the code applies, and the certificate follows.
    const colleague = await t.createUser('asn', {
      nip: aNip(306),
      name: 'Ners Colleague',
      positionId: wrong.id,
    });
    await pass(await t.tokenFor(colleague), exams.position);
    expect(await held(colleague.id)).toEqual([]);
    const csv = (jabatan: string) =>
      `NIP,Nama,Email,Unit Kerja,Jabatan,Peran\n${colleague.nip},Ners Colleague,,,${jabatan},ASN`;
    const importing = (jabatan: string) =>
      t
        .as(admin)
        .post('/api/v1/users/import')
        .set('content-type', 'text/csv')
        .send(csv(jabatan))
        .expect(200);
    const ambiguous = await importing('Perawat Ahli Pertama');
    expect(ambiguous.body.rows[0]).toMatchObject({ outcome: 'error' });
    expect(ambiguous.body.rows[0].errors[0]).toContain('KES-PERAWAT-AP, PERAWAT-AP');
    const imported = await importing('KES-PERAWAT-AP');
    expect(imported.body.rows[0]).toMatchObject({ outcome: 'update', changes: ['Jabatan'] });
    // The import answers at once; the evaluation follows it.
    const deadline = Date.now() + 10_000;
    while (!(await held(colleague.id)).length && Date.now() < deadline) await sleep(100);
    expect(await held(colleague.id)).toEqual([
      expect.objectContaining({ schemeId: schemes.position, status: 'active' }),
    ]);
  });

  it('the scheme page says when it waits for an assessor, and a check does not skip the approval', async () => {
    const practical = await scheme('SIKLUS-PRAKTIK', {
      requirements: {
        assessments: [{ assessmentId: exams.position, minPercent: 100 }],
        approval: true,
      },
      validityMonths: 36,
    });
    const user = await t.createUser('asn', { nip: aNip(307) });
    const token = await t.tokenFor(user);
    const state = async () => (await mySchemes(token)).find((s) => s.id === practical)!;
    expect(await state()).toMatchObject({ state: 'missing', issuance: 'after_approval' });
    await pass(token, exams.position);
    const waiting = await state();
    expect(waiting).toMatchObject({
      state: 'waiting_approval',
      missing: ['Uji praktik disetujui asesor'],
      expectedAt: null,
    });
    expect(waiting.explanation).toContain('menunggu keputusan asesor');
    const checked = await t.as(token).post('/api/v1/me/schemes/check').expect(200);
    expect(checked.body.issued).toEqual([]);
    expect(await held(user.id)).toEqual([]);
  });

  it('renewal outside the window is refused, inside it works; the old QR points to the valid successor; the mail states the certificate’s own dates', async () => {
    const user = await t.createUser('asn', { nip: aNip(305), name: 'Siti Perpanjang' });
    const token = await t.tokenFor(user);
    await pass(token, exams.renewable);
    const [first] = (await t.as(token).get('/api/v1/me/certificates')).body;
    const expiresAt = Date.parse(first.expiresAt);
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    try {
      // 61 days before the end: the 60-day window is not open; passing again renews nothing.
      clock.now = () => new Date(expiresAt - 61 * DAY);
      await pass(token, exams.renewable);
      const early = await t.as(token).post('/api/v1/me/schemes/check').expect(200);
      expect(early.body.issued).toEqual([]);
      const certified = (await mySchemes(token)).find((s) => s.id === schemes.renewable)!;
      expect(certified.state).toBe('certified');
      expect(Date.parse(certified.renewal!.opensAt)).toBe(expiresAt - 60 * DAY);
      expect(await held(user.id)).toHaveLength(1);

      // 30 days before: inside the window; the pass renews, continuing from the old end.
      clock.now = () => new Date(expiresAt - 30 * DAY);
      await pass(token, exams.renewable);
      const mine = (await t.as(token).get('/api/v1/me/certificates')).body;
      expect(mine).toHaveLength(2);
      const renewed = mine.find((c: { id: string }) => c.id !== first.id);
      expect(renewed).toMatchObject({ renewsId: first.id, status: 'active' });
      const expected = new Date(expiresAt);
      expected.setUTCMonth(expected.getUTCMonth() + 12);
      expect(renewed.expiresAt).toBe(expected.toISOString());

      // The old QR: renewed (not valid itself), but the holder is certified by the successor.
      const old = (await t.http.get(`/api/v1/verify/${first.code}`).expect(200)).body;
      expect(old).toMatchObject({
        valid: false,
        status: 'renewed',
        holderCertified: true,
        current: { number: renewed.number, code: renewed.code, valid: true, status: 'active' },
        certificate: { number: first.number, renewedBy: { number: renewed.number } },
      });
      const oldPage = await t.http.get(`/verify/${first.code}`).expect(200);
      expect(oldPage.text).toContain('Pemegang memegang sertifikat pengganti yang berlaku');
      expect(oldPage.text).toContain(`/verify/${renewed.code}`);

      // Every "Sertifikat terbit" states that certificate's own dates.
      const notes = (
        await t.as(token).get('/api/v1/me/notifications').expect(200)
      ).body.items.filter((n: { kind: string }) => n.kind === 'certificate.issued');
      expect(notes).toHaveLength(2);
      for (const certificate of [first, renewed]) {
        const note = notes.find((n: { body: string }) =>
          n.body.includes(`nomor ${certificate.number} terbit`),
        );
        expect(note.body).toContain(`pada ${day(certificate.issuedAt)}`);
        expect(note.body).toContain(`berlaku sampai ${day(certificate.expiresAt)}`);
      }
      expect(notes.find((n: { body: string }) => n.body.includes(renewed.number)).body).toContain(
        `memperbarui sertifikat nomor ${first.number}`,
      );
    } finally {
      clock.now = real;
    }
  });
});

/** The case as it was seen: the demo data, then a plain restart. */
describe(`cheater: the demo's certificate through a restart (${engine})`, () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    apps.push(await bootTestApp({ database, env: { DEMO_DATA: 'true', CONTENT_SYNC: 'true' } }));
  }, 120_000);
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await database?.drop();
  });

  it('renews nothing at the next boot, and its mail states its own dates', async () => {
    const read = async () =>
      (
        await apps[apps.length - 1].dataSource
          .getRepository(Certificate)
          .find({ order: { number: 'ASC' } })
      ).map((c) => ({
        id: c.id,
        userId: c.userId,
        number: c.number,
        status: c.status,
        issuedAt: c.issuedAt.toISOString(),
        expiresAt: c.expiresAt?.toISOString() ?? null,
      }));
    const before = await read();
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(
      before.filter((c) => c.expiresAt && Date.parse(c.expiresAt) - Date.now() < 30 * DAY),
    ).toHaveLength(1);
    const booted = new Date();
    apps.push(await bootTestApp({ database, env: { DEMO_DATA: 'true', CONTENT_SYNC: 'true' } }));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [lease] = await readRows<{ tick: string | null; finishedAt: unknown }>(
        database.url,
        `SELECT tick, finishedAt FROM job_leases WHERE name = 'certificates.catch-up'`,
      );
      if (lease?.tick && lease.tick >= booted.toISOString() && lease.finishedAt) break;
      if (Date.now() > deadline) throw new Error('no catch-up at boot');
      await sleep(200);
    }
    expect(await read()).toEqual(before);

    // Each demo certificate (one ends in 20 days): one "Sertifikat terbit", with its dates.
    for (const certificate of before) {
      const notes = await readRows<{ body: string }>(
        database.url,
        `SELECT body FROM notifications WHERE userId = ? AND kind = 'certificate.issued'`,
        [certificate.userId],
      );
      expect(notes).toHaveLength(1);
      expect(notes[0].body).toContain(`pada ${day(certificate.issuedAt)}`);
      expect(notes[0].body).toContain(`berlaku sampai ${day(certificate.expiresAt!)}`);
    }
  }, 120_000);
});
