import { createHash } from 'node:crypto';
import type { User } from '../../src/identity/user.entity.js';
import { AssessmentRecords } from '../../src/assessment/engine/assessment-records.js';
import { AttemptsService } from '../../src/assessment/engine/attempts.service.js';
import { Clock } from '../../src/platform/clock.js';
import { publishedExam } from '../helpers/exams.js';
import { aNip } from '../helpers/nip.js';
import { aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { asBytes, bootTestApp, engine, TestApp } from '../helpers/test-app.js';
import { pdfFonts, pdfInfo, pdfMetadata, pdfText } from '../helpers/pdf.js';
import { formatDateTime } from '../../src/platform/i18n/local-format.js';

/*
 * Issue 30, supervised exam sessions, from the attacker's side: a candidate who tries to
 * start from home without a PIN, guesses PINs, types another session's PIN or replays one a
 * proctor re-drew; an ASN who is not a proctor calling the console; a proctor acting on
 * another session or on their own attempt; a coordinator of another sector. Each refusal
 * is a 4xx with a code and leaves the database as it was. Then the legitimate paths: the
 * power cut (the deadline moves by the pause and the server closes at the moved one), the
 * answer trail, the public board and the minutes, neither of which carries a full NIP.
 *
 * The app's Clock is held still for the whole file (and moved by hand), so a PIN drawn per
 * 15-minute window cannot roll over between reading it and typing it.
 */

const GIFT = [
  '::TF1:: Cuci tangan sebelum kontak pasien. {T}',
  '::TF2:: Sarung tangan menggantikan cuci tangan. {F}',
].join('\n\n');
const MINUTE = 60_000;

type Attempt = { id: string; deadline: string | null; items: { slot: number }[] };

describe(`supervised exam sessions (${engine})`, () => {
  let t: TestApp;
  let now: number;
  let coordinator: User;
  let coordinatorToken: string;
  let otherCoordinatorToken: string;
  let adminToken: string;
  let proctor: User;
  let proctorToken: string;
  let outsiderToken: string;
  let position: string;
  let examId: string;
  let nipCounter = 100;

  beforeAll(async () => {
    t = await bootTestApp();
    // The server's time stands still one minute into a PIN window; tests move it.
    now = Math.ceil(Date.now() / (15 * MINUTE)) * 15 * MINUTE + MINUTE;
    t.app.get(Clock).now = () => new Date(now);
    const admin = await t.createUser('admin');
    adminToken = await t.tokenFor(admin);
    coordinator = await t.createUser('coordinator', {
      sectors: ['health'],
      name: 'Koordinator',
      nip: aNip(3),
    });
    coordinatorToken = await t.tokenFor(coordinator);
    otherCoordinatorToken = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
    position = await aSectorPosition(t, adminToken, 'health', 'KES-SESI');
    proctor = await anAsnIn(t, position, { name: 'Pengawas Satu', nip: aNip(1) });
    proctorToken = await t.tokenFor(proctor);
    outsiderToken = await t.tokenFor(await anAsnIn(t, position, { nip: aNip(2) }));
    ({ id: examId } = await publishedExam(t, coordinatorToken, {
      title: 'Ujian tersupervisi',
      gift: GIFT,
      count: 2,
      settings: { supervised: true, timeLimitMinutes: 60 },
    }));
  });
  afterAll(() => t?.close());

  // ---- helpers -------------------------------------------------------------------------

  const iso = (ms: number) => new Date(ms).toISOString();
  const one = async (sql: string, params: unknown[]) =>
    ((await t.dataSource.query(sql, params)) as Record<string, unknown>[])[0];
  const count = async (sql: string, params: unknown[]) => Number((await one(sql, params)).n);
  const attemptsOf = (userId: string) =>
    count('SELECT COUNT(*) AS n FROM attempts WHERE userId = ?', [userId]);
  const seatOf = async (sessionId: string, userId: string) => {
    const row = await one(
      'SELECT pinFailures, lockedAt, attemptId, status FROM session_candidates WHERE sessionId = ? AND userId = ?',
      [sessionId, userId],
    );
    return row
      ? {
          pinFailures: Number(row.pinFailures),
          locked: row.lockedAt !== null,
          attemptId: row.attemptId,
          status: row.status,
        }
      : null;
  };
  const attemptRow = async (id: string) => {
    const row = await one(
      'SELECT status, deadline, pausedAt, sessionId FROM attempts WHERE id = ?',
      [id],
    );
    const time = (v: unknown) =>
      v === null
        ? null
        : v instanceof Date
          ? v.getTime()
          : new Date(`${String(v).replace(' ', 'T').replace(/Z?$/, 'Z')}`).getTime();
    return {
      status: row.status as string,
      deadline: time(row.deadline),
      pausedAt: time(row.pausedAt),
      sessionId: row.sessionId,
    };
  };

  /** A new health ASN with an 18-digit NIP, signed in. */
  async function candidate(name?: string) {
    const user = await anAsnIn(t, position, {
      nip: aNip(++nipCounter),
      ...(name && { name }),
    });
    return { user, token: await t.tokenFor(user) };
  }

  /** A session of `assessmentId` (the supervised exam by default) proctored by `proctor`. */
  async function aSession(
    extra: Record<string, unknown> = {},
    assessmentId = examId,
  ): Promise<string> {
    const res = await t
      .as(coordinatorToken)
      .post(`/api/v1/assessments/${assessmentId}/sessions`)
      .send({
        startsAt: iso(now - 10 * MINUTE),
        endsAt: iso(now + 3 * 60 * MINUTE),
        location: 'Lab Komputer BKPSDM',
        capacity: 30,
        proctorIds: [proctor.id],
        ...extra,
      })
      .expect(201);
    return res.body.id as string;
  }

  const assign = (sessionId: string, users: User[]) =>
    t
      .as(coordinatorToken)
      .post(`/api/v1/sessions/${sessionId}/candidates`)
      .send({ nips: users.map((u) => u.nip) })
      .expect(200);

  const pinOf = async (sessionId: string, token = proctorToken) =>
    (await t.as(token).get(`/api/v1/sessions/${sessionId}`).expect(200)).body.pin as string;

  const start = (token: string, body: object = {}) =>
    t.as(token).post(`/api/v1/assessments/${examId}/attempts`).send(body);

  /** A six-digit PIN that is not `pin`. */
  const notThe = (pin: string, plus = 1) => String((Number(pin) + plus) % 1e6).padStart(6, '0');

  /** A seated candidate let in with the right PIN. */
  async function seated(sessionId: string, name?: string) {
    const c = await candidate(name);
    await assign(sessionId, [c.user]);
    const pin = await pinOf(sessionId, coordinatorToken);
    const attempt = (await start(c.token, { sessionId, pin }).expect(201)).body as Attempt;
    return { ...c, attempt };
  }

  // ---- the assessment's flag ------------------------------------------------------------

  it('takes supervised: true on create and on update; a session needs a supervised assessment', async () => {
    const shown = await t.as(coordinatorToken).get(`/api/v1/assessments/${examId}`).expect(200);
    expect(shown.body.supervised).toBe(true);

    const { id: plain } = await publishedExam(t, coordinatorToken, {
      title: 'Ujian biasa',
      gift: GIFT,
      count: 1,
    });
    expect((await t.as(coordinatorToken).get(`/api/v1/assessments/${plain}`)).body.supervised).toBe(
      false,
    );
    const refused = await t
      .as(coordinatorToken)
      .post(`/api/v1/assessments/${plain}/sessions`)
      .send({
        startsAt: iso(now),
        endsAt: iso(now + 60 * MINUTE),
        location: 'Ruang A',
        capacity: 5,
        proctorIds: [proctor.id],
      });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.code).toBe('session.not_supervised');
    expect(
      await count('SELECT COUNT(*) AS n FROM exam_sessions WHERE assessmentId = ?', [plain]),
    ).toBe(0);

    await t
      .as(coordinatorToken)
      .put(`/api/v1/assessments/${plain}`)
      .send({ supervised: true })
      .expect(200);
    expect((await t.as(coordinatorToken).get(`/api/v1/assessments/${plain}`)).body.supervised).toBe(
      true,
    );
    // Now supervised: a start without a session is refused, no longer free.
    const { token } = await candidate();
    const res = await t
      .as(token)
      .post(`/api/v1/assessments/${plain}/attempts`)
      .send({})
      .expect(403);
    expect(res.body.code).toBe('session.required');
    // Another sector's coordinator schedules nothing here.
    await t
      .as(otherCoordinatorToken)
      .post(`/api/v1/assessments/${examId}/sessions`)
      .send({
        startsAt: iso(now),
        endsAt: iso(now + 60 * MINUTE),
        location: 'Ruang A',
        capacity: 5,
        proctorIds: [proctor.id],
      })
      .expect(403);
  });

  it('refuses bad session input with 400 and stores nothing', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM exam_sessions', []);
    const base = {
      startsAt: iso(now),
      endsAt: iso(now + 60 * MINUTE),
      location: 'Ruang B',
      capacity: 5,
      proctorIds: [proctor.id],
    };
    for (const bad of [
      { endsAt: iso(now - MINUTE) },
      { ipRanges: ['10.0.0.0/99'] },
      { proctorIds: ['00000000-0000-4000-8000-000000000000'] },
      { capacity: 0 },
    ]) {
      const res = await t
        .as(coordinatorToken)
        .post(`/api/v1/assessments/${examId}/sessions`)
        .send({ ...base, ...bad });
      expect([bad, res.status]).toEqual([bad, 400]);
    }
    expect(await count('SELECT COUNT(*) AS n FROM exam_sessions', [])).toBe(before);
  });

  // ---- the door ---------------------------------------------------------------------------

  it('refuses a candidate starting from home without a session or a PIN', async () => {
    const session = await aSession();
    const c = await candidate();
    await assign(session, [c.user]);
    for (const body of [{}, { sessionId: session }, { pin: await pinOf(session) }]) {
      const res = await start(c.token, body).expect(403);
      expect(res.body.code).toBe('session.required');
    }
    expect(await attemptsOf(c.user.id)).toBe(0);
    expect(await seatOf(session, c.user.id)).toMatchObject({ pinFailures: 0, attemptId: null });
  });

  it('locks the seat after five guessed PINs until a proctor releases it', async () => {
    const session = await aSession();
    const c = await candidate();
    await assign(session, [c.user]);
    const pin = await pinOf(session);
    for (let i = 1; i <= 4; i++) {
      const res = await start(c.token, { sessionId: session, pin: notThe(pin, i) }).expect(403);
      expect(res.body.code).toBe('session.pin_wrong');
      expect(res.body.details?.triesLeft ?? 5 - i).toBe(5 - i);
    }
    const fifth = await start(c.token, { sessionId: session, pin: notThe(pin, 5) }).expect(403);
    expect(fifth.body.code).toBe('session.locked');
    // Locked: even the right PIN is refused now.
    const right = await start(c.token, { sessionId: session, pin }).expect(403);
    expect(right.body.code).toBe('session.locked');
    expect(await seatOf(session, c.user.id)).toMatchObject({ pinFailures: 5, locked: true });
    expect(await attemptsOf(c.user.id)).toBe(0);
    const console = (await t.as(proctorToken).get(`/api/v1/sessions/${session}`).expect(200)).body;
    expect(console.candidates.find((r: { userId: string }) => r.userId === c.user.id).state).toBe(
      'locked',
    );
    expect(console.incidents.map((i: { kind: string }) => i.kind)).toContain('locked');

    // Neither an ASN who is not a proctor nor another sector's coordinator may release it.
    for (const token of [outsiderToken, otherCoordinatorToken]) {
      const res = await t
        .as(token)
        .post(`/api/v1/sessions/${session}/candidates/${c.user.id}/release`)
        .send({ reason: 'Saya bukan pengawas' })
        .expect(403);
      expect(res.body.code).toBe('session.not_proctor');
    }
    // Nor the candidate themselves.
    await t
      .as(c.token)
      .post(`/api/v1/sessions/${session}/candidates/${c.user.id}/release`)
      .send({ reason: 'Buka sendiri' })
      .expect(403);
    expect(await seatOf(session, c.user.id)).toMatchObject({ pinFailures: 5, locked: true });

    await t
      .as(proctorToken)
      .post(`/api/v1/sessions/${session}/candidates/${c.user.id}/release`)
      .send({ reason: 'Peserta salah ketik, identitas dicek' })
      .expect(200);
    expect(await seatOf(session, c.user.id)).toMatchObject({ pinFailures: 0, locked: false });
    const started = await start(c.token, { sessionId: session, pin }).expect(201);
    expect(await attemptRow(started.body.id)).toMatchObject({
      status: 'in_progress',
      sessionId: session,
    });
  });

  it('counts no more than five wrong PINs from a burst of parallel guesses, then locks', async () => {
    const session = await aSession();
    const c = await candidate();
    await assign(session, [c.user]);
    const pin = await pinOf(session);
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        start(c.token, { sessionId: session, pin: notThe(pin, i + 1) }),
      ),
    );
    expect(burst.map((r) => r.status)).toEqual(burst.map(() => 403));
    const wrong = burst.filter((r) => r.body.code === 'session.pin_wrong').length;
    expect(wrong).toBeLessThanOrEqual(4);
    expect(burst.filter((r) => r.body.code === 'session.locked')).toHaveLength(20 - wrong);
    // Guesses past the fifth are not counted: they are told the seat is locked.
    expect(await seatOf(session, c.user.id)).toMatchObject({ pinFailures: 5, locked: true });
    expect(await attemptsOf(c.user.id)).toBe(0);
  });

  it('lets parallel starts with the right PIN in once, even with four wrong tries behind them', async () => {
    const session = await aSession();
    const c = await candidate();
    await assign(session, [c.user]);
    const pin = await pinOf(session);
    for (let i = 1; i <= 4; i++)
      await start(c.token, { sessionId: session, pin: notThe(pin, i) }).expect(403);
    const starts = await Promise.all(
      Array.from({ length: 6 }, () => start(c.token, { sessionId: session, pin })),
    );
    expect(starts.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(starts.map((r) => r.body.id)).size).toBe(1);
    expect(await attemptsOf(c.user.id)).toBe(1);
    expect(await seatOf(session, c.user.id)).toMatchObject({
      pinFailures: 4,
      locked: false,
      attemptId: starts[0].body.id,
    });
  });

  it("refuses another session's PIN, and another session the candidate has no seat in", async () => {
    const mine = await aSession({ location: 'Ruang 1' });
    const theirs = await aSession({ location: 'Ruang 2' });
    const c = await candidate();
    await assign(mine, [c.user]);
    const theirPin = await pinOf(theirs);
    const myPin = await pinOf(mine);
    // Two independent draws: equal only by a one-in-a-million chance.
    if (theirPin !== myPin) {
      const res = await start(c.token, { sessionId: mine, pin: theirPin }).expect(403);
      expect(res.body.code).toBe('session.pin_wrong');
    }
    const other = await start(c.token, { sessionId: theirs, pin: theirPin }).expect(403);
    expect(other.body.code).toBe('session.not_assigned');
    // A session id that is not this assessment's at all.
    const unknown = await start(c.token, {
      sessionId: '00000000-0000-4000-8000-000000000000',
      pin: myPin,
    });
    expect(unknown.status).toBe(404);
    expect(await attemptsOf(c.user.id)).toBe(0);
    expect(await seatOf(theirs, c.user.id)).toBeNull();
  });

  it('refuses a PIN replayed after the proctor re-drew it (stale, not counted as a guess)', async () => {
    const session = await aSession();
    const c = await candidate();
    await assign(session, [c.user]);
    const old = await pinOf(session);
    // The candidate is not a proctor: they cannot re-draw (or read) the PIN.
    const notProctor = await t
      .as(c.token)
      .post(`/api/v1/sessions/${session}/pin`)
      .send({ reason: 'Saya mau PIN baru' })
      .expect(403);
    expect(notProctor.body.code).toBe('session.not_proctor');
    expect(await pinOf(session)).toBe(old);

    const redrawn = await t
      .as(proctorToken)
      .post(`/api/v1/sessions/${session}/pin`)
      .send({ reason: 'PIN terlihat oleh peserta lain' })
      .expect(200);
    const fresh = redrawn.body.pin as string;
    expect(fresh).toMatch(/^\d{6}$/);
    expect(fresh).not.toBe(old);
    const res = await start(c.token, { sessionId: session, pin: old }).expect(403);
    expect(res.body.code).toBe('session.pin_stale');
    expect(await seatOf(session, c.user.id)).toMatchObject({ pinFailures: 0, attemptId: null });
    expect(await attemptsOf(c.user.id)).toBe(0);
    await start(c.token, { sessionId: session, pin: fresh }).expect(201);
  });

  it("refuses a PIN of the window just ended as stale once the server's time moves on", async () => {
    const session = await aSession({ pinMinutes: 15 });
    const c = await candidate();
    await assign(session, [c.user]);
    const old = await pinOf(session);
    now += 15 * MINUTE;
    const res = await start(c.token, { sessionId: session, pin: old }).expect(403);
    expect(res.body.code).toBe('session.pin_stale');
    expect(await attemptsOf(c.user.id)).toBe(0);
    await start(c.token, { sessionId: session, pin: await pinOf(session) }).expect(201);
  });

  it('refuses a start outside the window, before and after', async () => {
    const early = await aSession({
      startsAt: iso(now + 60 * MINUTE),
      endsAt: iso(now + 120 * MINUTE),
    });
    const late = await aSession({
      startsAt: iso(now - 120 * MINUTE),
      endsAt: iso(now - 60 * MINUTE),
    });
    const c = await candidate();
    await assign(early, [c.user]);
    await assign(late, [c.user]);
    for (const session of [early, late]) {
      const res = await start(c.token, { sessionId: session, pin: await pinOf(session) }).expect(
        403,
      );
      expect(res.body.code).toBe('session.outside_window');
    }
    expect(await attemptsOf(c.user.id)).toBe(0);
  });

  it("refuses a start from outside the room's network, lets one in from inside it", async () => {
    const room = await aSession({ ipRanges: ['10.20.0.0/24'] });
    const c = await candidate();
    await assign(room, [c.user]);
    const res = await start(c.token, { sessionId: room, pin: await pinOf(room) }).expect(403);
    expect(res.body.code).toBe('session.outside_range');
    expect(await seatOf(room, c.user.id)).toMatchObject({ pinFailures: 0, attemptId: null });
    expect(await attemptsOf(c.user.id)).toBe(0);

    const local = await aSession({ ipRanges: ['127.0.0.0/8', '::1/128'] });
    const d = await candidate();
    await assign(local, [d.user]);
    await start(d.token, { sessionId: local, pin: await pinOf(local) }).expect(201);
  });

  it('keeps the attempt on the device that started it: a second sign-in with the PIN takes nothing over', async () => {
    const session = await aSession();
    const c = await seated(session);
    // An accomplice at home signs in with the candidate's password and is told the PIN.
    const elsewhere = await t.tokenFor(c.user);
    const pin = await pinOf(session);
    const taken = await start(elsewhere, { sessionId: session, pin }).expect(403);
    expect(taken.body.code).toBe('session.other_device');
    const slot = c.attempt.items[0].slot;
    const save = await t
      .as(elsewhere)
      .put(`/api/v1/attempts/${c.attempt.id}/answers/${slot}`)
      .send({ response: true, seq: 1 })
      .expect(403);
    expect(save.body.code).toBe('session.other_device');
    const submit = await t
      .as(elsewhere)
      .post(`/api/v1/attempts/${c.attempt.id}/submit`)
      .expect(403);
    expect(submit.body.code).toBe('session.other_device');
    expect(
      await count('SELECT COUNT(*) AS n FROM answer_trail WHERE attemptId = ?', [c.attempt.id]),
    ).toBe(0);
    expect((await attemptRow(c.attempt.id)).status).toBe('in_progress');
    // The device in the room goes on as before.
    await t
      .as(c.token)
      .put(`/api/v1/attempts/${c.attempt.id}/answers/${slot}`)
      .send({ response: true, seq: 1 })
      .expect(200);
  });

  it('refuses a candidate who has no seat, even with the right session and PIN', async () => {
    const session = await aSession();
    const c = await candidate();
    const res = await start(c.token, { sessionId: session, pin: await pinOf(session) }).expect(403);
    expect(res.body.code).toBe('session.not_assigned');
    expect(await attemptsOf(c.user.id)).toBe(0);
  });

  it('resumes the open attempt, and refuses a second attempt in the same session (409)', async () => {
    const session = await aSession();
    const c = await seated(session);
    const again = await start(c.token, { sessionId: session, pin: await pinOf(session) }).expect(
      200,
    );
    expect(again.body.id).toBe(c.attempt.id);
    await t.as(c.token).post(`/api/v1/attempts/${c.attempt.id}/submit`).expect(200);
    const second = await start(c.token, { sessionId: session, pin: await pinOf(session) }).expect(
      409,
    );
    expect(second.body.code).toBe('session.already_attempted');
    expect(await attemptsOf(c.user.id)).toBe(1);
    expect(await seatOf(session, c.user.id)).toMatchObject({ attemptId: c.attempt.id });
  });

  // ---- the console and the seats -------------------------------------------------------------

  it('shows the console with the PIN to its proctor and the coordinator only', async () => {
    const session = await aSession();
    const elsewhere = await aSession({ proctorIds: [] });
    const body = (await t.as(proctorToken).get(`/api/v1/sessions/${session}`).expect(200)).body;
    expect(body.pin).toMatch(/^\d{6}$/);
    expect(body.proctors.map((p: { id: string }) => p.id)).toEqual([proctor.id]);
    expect(
      (await t.as(coordinatorToken).get(`/api/v1/sessions/${session}`).expect(200)).body.pin,
    ).toBe(body.pin);
    await t.as(adminToken).get(`/api/v1/sessions/${session}`).expect(200);
    const c = await candidate();
    await assign(session, [c.user]);
    for (const token of [outsiderToken, otherCoordinatorToken, c.token]) {
      const res = await t.as(token).get(`/api/v1/sessions/${session}`).expect(403);
      expect(res.body.code).toBe('session.not_proctor');
      expect(JSON.stringify(res.body)).not.toContain(body.pin);
    }
    // A proctor of one session is nobody at another.
    const res = await t.as(proctorToken).get(`/api/v1/sessions/${elsewhere}`).expect(403);
    expect(res.body.code).toBe('session.not_proctor');
    await t.http.get(`/api/v1/sessions/${session}`).expect(401);
  });

  it('assigns candidates by NIP all or nothing; a proctor or another coordinator assigns nobody', async () => {
    const session = await aSession({ capacity: 2 });
    const [a, b, c] = [await candidate(), await candidate(), await candidate()];
    const seats = () =>
      count('SELECT COUNT(*) AS n FROM session_candidates WHERE sessionId = ?', [session]);
    // An unknown NIP: nothing assigned.
    const unknown = await t
      .as(coordinatorToken)
      .post(`/api/v1/sessions/${session}/candidates`)
      .send({ nips: [a.user.nip, aNip(99_999)] })
      .expect(400);
    expect(unknown.body.code).toBe('session.invalid');
    // Too many for the room: nothing assigned.
    const full = await t
      .as(coordinatorToken)
      .post(`/api/v1/sessions/${session}/candidates`)
      .send({ nips: [a.user.nip, b.user.nip, c.user.nip] });
    expect(full.status).toBeGreaterThanOrEqual(400);
    expect(full.body.code).toBe('session.full');
    // The proctor named as a candidate of their own session: refused.
    await t
      .as(coordinatorToken)
      .post(`/api/v1/sessions/${session}/candidates`)
      .send({ nips: [proctor.nip] })
      .expect(400);
    for (const token of [proctorToken, otherCoordinatorToken, a.token])
      await t
        .as(token)
        .post(`/api/v1/sessions/${session}/candidates`)
        .send({ nips: [a.user.nip] })
        .expect(403);
    expect(await seats()).toBe(0);
    const ok = await assign(session, [a.user, b.user]);
    expect(ok.body).toMatchObject({ assigned: [a.user.nip, b.user.nip], seatsLeft: 0 });
    expect(await seats()).toBe(2);
  });

  it('keeps a candidate marked absent out until a proctor releases the seat', async () => {
    const session = await aSession();
    const c = await candidate();
    await assign(session, [c.user]);
    // Not their own seat to mark, nor an outsider's.
    for (const token of [outsiderToken, c.token])
      await t
        .as(token)
        .post(`/api/v1/sessions/${session}/candidates/${c.user.id}/absent`)
        .send({ reason: 'Tidak datang' })
        .expect(403);
    await t
      .as(proctorToken)
      .post(`/api/v1/sessions/${session}/candidates/${c.user.id}/absent`)
      .send({ reason: 'Tidak datang sampai pukul 09.30' })
      .expect(200);
    const res = await start(c.token, { sessionId: session, pin: await pinOf(session) }).expect(403);
    expect(res.body.code).toBe('session.absent');
    expect(await attemptsOf(c.user.id)).toBe(0);
    await t
      .as(proctorToken)
      .post(`/api/v1/sessions/${session}/candidates/${c.user.id}/release`)
      .send({ reason: 'Datang terlambat, diizinkan' })
      .expect(200);
    await start(c.token, { sessionId: session, pin: await pinOf(session) }).expect(201);
    // Started: no longer to be marked absent.
    await t
      .as(proctorToken)
      .post(`/api/v1/sessions/${session}/candidates/${c.user.id}/absent`)
      .send({ reason: 'Salah tandai' })
      .expect(409);
  });

  it('lets a candidate book a free seat of a bookable session before it starts, and nobody else', async () => {
    const bookable = await aSession({
      selfBooking: true,
      capacity: 1,
      startsAt: iso(now + 60 * MINUTE),
      endsAt: iso(now + 120 * MINUTE),
    });
    const closedToBooking = await aSession({
      startsAt: iso(now + 60 * MINUTE),
      endsAt: iso(now + 120 * MINUTE),
    });
    const [a, b] = [await candidate(), await candidate()];
    const refused = await t.as(a.token).post(`/api/v1/sessions/${closedToBooking}/booking`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('session.booking_closed');
    // The proctor does not sit their own session.
    await t.as(proctorToken).post(`/api/v1/sessions/${bookable}/booking`).expect(400);
    const booked = await t.as(a.token).post(`/api/v1/sessions/${bookable}/booking`).expect(201);
    expect(booked.body).toMatchObject({ id: bookable, seat: 1 });
    const full = await t.as(b.token).post(`/api/v1/sessions/${bookable}/booking`);
    expect(full.body.code).toBe('session.full');
    expect(await seatOf(bookable, b.user.id)).toBeNull();
    // Booked is not admitted: the window and the PIN still hold.
    const early = await start(a.token, { sessionId: bookable, pin: await pinOf(bookable) });
    expect(early.body.code).toBe('session.outside_window');
  });

  // ---- proctor actions -------------------------------------------------------------------------

  it('extends with a reason within 180 minutes; refuses everything else and changes nothing', async () => {
    const session = await aSession();
    const other = await aSession({ proctorIds: [] });
    const c = await seated(session);
    const before = await attemptRow(c.attempt.id);
    const extend = (token: string, body: object) =>
      t.as(token).post(`/api/v1/attempts/${c.attempt.id}/extend`).send(body);
    for (const body of [
      { minutes: 10 },
      { minutes: 10, reason: '' },
      { minutes: 181, reason: 'Terlalu lama' },
      { minutes: 0, reason: 'Nol menit' },
      { reason: 'Tanpa menit' },
    ])
      expect([body, (await extend(proctorToken, body)).status]).toEqual([body, 400]);
    // An ASN who is not a proctor, another sector's coordinator, the candidate: refused.
    for (const token of [outsiderToken, otherCoordinatorToken, c.token]) {
      const res = await extend(token, { minutes: 30, reason: 'Bukan pengawasnya' }).expect(403);
      expect(res.body.code).toBe('session.not_proctor');
    }
    // The proctor of another session: nobody here.
    const d = await seated(other);
    const res = await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${d.attempt.id}/extend`)
      .send({ minutes: 30, reason: 'Sesi lain' });
    // (proctorIds: [] — the proctor has no session there)
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('session.not_proctor');
    expect(await attemptRow(c.attempt.id)).toEqual(before);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM session_incidents WHERE kind = 'extend' AND attemptId = ?",
        [c.attempt.id],
      ),
    ).toBe(0);

    const ok = await extend(proctorToken, { minutes: 15, reason: 'Komputer peserta mati' }).expect(
      200,
    );
    expect(Date.parse(ok.body.deadline)).toBe(before.deadline! + 15 * MINUTE);
    expect((await attemptRow(c.attempt.id)).deadline).toBe(before.deadline! + 15 * MINUTE);
    const incident = await one(
      "SELECT minutes, reason, actorId FROM session_incidents WHERE kind = 'extend' AND attemptId = ?",
      [c.attempt.id],
    );
    expect({ ...incident, minutes: Number(incident.minutes) }).toEqual({
      minutes: 15,
      reason: 'Komputer peserta mati',
      actorId: proctor.id,
    });
  });

  it('refuses a coordinator extending, pausing or voiding their own attempt (access.self)', async () => {
    const session = await aSession();
    await assign(session, [coordinator]);
    const own = (
      await start(coordinatorToken, { sessionId: session, pin: await pinOf(session) }).expect(201)
    ).body as Attempt;
    const before = await attemptRow(own.id);
    for (const [action, body] of [
      ['extend', { minutes: 30, reason: 'Untuk saya sendiri' }],
      ['pause', { reason: 'Untuk saya sendiri' }],
      ['void', { reason: 'Untuk saya sendiri' }],
      ['move', { reason: 'Untuk saya sendiri' }],
    ] as const) {
      const res = await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${own.id}/${action}`)
        .send(body)
        .expect(403);
      expect([action, res.body.code]).toEqual([action, 'access.self']);
    }
    expect(await attemptRow(own.id)).toEqual(before);
    // An admin may: the coordinator's attempt is a candidate's like any other.
    await t
      .as(adminToken)
      .post(`/api/v1/attempts/${own.id}/extend`)
      .send({ minutes: 5, reason: 'Diputuskan admin' })
      .expect(200);
  });

  it('refuses a proctor acting on their own attempt in a session they do not proctor', async () => {
    const session = await aSession({ proctorIds: [] });
    await assign(session, [proctor]);
    const own = (
      await start(proctorToken, {
        sessionId: session,
        pin: await pinOf(session, coordinatorToken),
      }).expect(201)
    ).body as Attempt;
    const before = await attemptRow(own.id);
    for (const [action, body] of [
      ['extend', { minutes: 30, reason: 'Untuk saya sendiri' }],
      ['pause', { reason: 'Untuk saya sendiri' }],
      ['void', { reason: 'Untuk saya sendiri' }],
    ] as const) {
      const res = await t
        .as(proctorToken)
        .post(`/api/v1/attempts/${own.id}/${action}`)
        .send(body)
        .expect(403);
      expect([action, res.body.code]).toEqual([action, 'session.not_proctor']);
    }
    expect(await attemptRow(own.id)).toEqual(before);
  });

  it('pauses a candidate on a power cut: the deadline moves by the pause, the server closes at the moved one', async () => {
    const session = await aSession();
    const c = await seated(session);
    const save = (slot: number, response: unknown, seq: number) =>
      t.as(c.token).put(`/api/v1/attempts/${c.attempt.id}/answers/${slot}`).send({ response, seq });
    await save(1, true, 1).expect(200);
    const deadline = (await attemptRow(c.attempt.id)).deadline!;
    expect(deadline).toBe(now + 60 * MINUTE);

    now += 10 * MINUTE;
    await t
      .as(outsiderToken)
      .post(`/api/v1/attempts/${c.attempt.id}/pause`)
      .send({ reason: 'Saya bukan pengawas' })
      .expect(403);
    await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${c.attempt.id}/pause`)
      .send({ reason: 'Listrik padam' })
      .expect(200);
    const pausedAt = now;
    expect(await attemptRow(c.attempt.id)).toMatchObject({ status: 'in_progress', pausedAt });
    // While paused no answer is taken, and a second pause is a conflict.
    const refused = await save(1, false, 2);
    expect(refused.status).toBe(409);
    await t.as(proctorToken).post(`/api/v1/attempts/${c.attempt.id}/pause`).send({}).expect(409);

    // The power stays off past the original deadline: the server does not close it.
    now = deadline + 5 * MINUTE;
    await t.app.get(AttemptsService).closeOverdue();
    expect(await attemptRow(c.attempt.id)).toMatchObject({ status: 'in_progress', pausedAt });
    const console = (await t.as(proctorToken).get(`/api/v1/sessions/${session}`).expect(200)).body;
    const row = console.candidates.find((r: { userId: string }) => r.userId === c.user.id);
    expect(row.state).toBe('paused');
    expect(row.secondsLeft).toBe((deadline - pausedAt) / 1000);

    await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${c.attempt.id}/resume`)
      .send({ reason: 'Listrik menyala' })
      .expect(200);
    const stood = now - pausedAt;
    const moved = deadline + stood;
    expect(await attemptRow(c.attempt.id)).toMatchObject({
      status: 'in_progress',
      pausedAt: null,
      deadline: moved,
    });
    await save(1, false, 3).expect(200);

    // Just before the moved deadline: still open; at it: the server closes it.
    now = moved - 1000;
    await t.app.get(AttemptsService).closeOverdue();
    expect((await attemptRow(c.attempt.id)).status).toBe('in_progress');
    now = moved + 1000;
    await t.app.get(AttemptsService).closeOverdue();
    expect((await attemptRow(c.attempt.id)).status).not.toBe('in_progress');
    const kinds = (
      (await t.dataSource.query(
        'SELECT kind FROM session_incidents WHERE attemptId = ? ORDER BY at',
        [c.attempt.id],
      )) as { kind: string }[]
    ).map((r) => r.kind);
    expect(kinds).toEqual(['pause', 'resume']);
  });

  it('voids with a reason only; moves a candidate to another device by ending their sign-ins', async () => {
    const session = await aSession();
    const c = await seated(session);
    await t.as(proctorToken).post(`/api/v1/attempts/${c.attempt.id}/void`).send({}).expect(400);
    await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${c.attempt.id}/void`)
      .send({ reason: '' })
      .expect(400);
    await t.as(proctorToken).post(`/api/v1/attempts/${c.attempt.id}/move`).send({}).expect(400);
    expect((await attemptRow(c.attempt.id)).status).toBe('in_progress');

    await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${c.attempt.id}/move`)
      .send({ reason: 'Komputer rusak, pindah ke meja 12' })
      .expect(200);
    // The old device is out; the candidate signs in again on the new one and resumes.
    await t.as(c.token).get(`/api/v1/attempts/${c.attempt.id}`).expect(401);
    const token = await t.tokenFor(c.user);
    const resumed = await start(token, { sessionId: session, pin: await pinOf(session) }).expect(
      200,
    );
    expect(resumed.body.id).toBe(c.attempt.id);

    const voided = await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${c.attempt.id}/void`)
      .send({ reason: 'Membuka catatan di ponsel' })
      .expect(200);
    expect(voided.body.status).toBe('voided');
    expect((await attemptRow(c.attempt.id)).status).toBe('voided');
    // Voided: spent. No second attempt, no second void.
    const again = await start(token, { sessionId: session, pin: await pinOf(session) }).expect(409);
    expect(again.body.code).toBe('session.already_attempted');
    await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${c.attempt.id}/void`)
      .send({ reason: 'Lagi' })
      .expect(409);
  });

  it('voids a graded pass for misconduct: it counts as a pass nowhere any more', async () => {
    const session = await aSession();
    const c = await seated(session);
    for (const item of c.attempt.items as { slot: number; stem: string }[])
      await t
        .as(c.token)
        .put(`/api/v1/attempts/${c.attempt.id}/answers/${item.slot}`)
        .send({ response: item.stem.includes('Cuci tangan') })
        .expect(200);
    const graded = await t.as(c.token).post(`/api/v1/attempts/${c.attempt.id}/submit`).expect(200);
    expect(graded.body.status).toBe('graded');
    const records = t.app.get(AssessmentRecords);
    expect(await records.passIds(c.user.id, [examId])).toEqual([c.attempt.id]);

    await t
      .as(proctorToken)
      .post(`/api/v1/attempts/${c.attempt.id}/void`)
      .send({ reason: 'Terbukti bertukar jawaban' })
      .expect(200);
    expect((await attemptRow(c.attempt.id)).status).toBe('voided');
    expect(await records.passIds(c.user.id, [examId])).toEqual([]);
    expect(await records.passesUntil(c.user.id, examId, new Date(now + MINUTE))).toEqual([]);
    const board = (await t.http.get(`/api/v1/sessions/${session}/board`).expect(200)).body;
    expect(board.rows[0]).toMatchObject({ state: 'voided', passed: null });
  });

  // ---- the answer trail ----------------------------------------------------------------------

  it('keeps every stored save in the trail; its last row per slot is the graded answer; nobody edits it', async () => {
    const session = await aSession();
    const c = await seated(session);
    const save = (slot: number, response: unknown, seq: number) =>
      t.as(c.token).put(`/api/v1/attempts/${c.attempt.id}/answers/${slot}`).send({ response, seq });
    await save(1, false, 1).expect(200);
    await save(1, true, 2).expect(200);
    await save(2, true, 1).expect(200);
    // A late retry of an older save is not stored, so not in the trail either.
    await save(1, false, 1);
    await save(2, false, 2).expect(200);
    await t.as(c.token).post(`/api/v1/attempts/${c.attempt.id}/submit`).expect(200);

    // Only the sector's coordinators and admins read it.
    for (const token of [proctorToken, outsiderToken, otherCoordinatorToken, c.token])
      await t.as(token).get(`/api/v1/attempts/${c.attempt.id}/trail`).expect(403);
    const trail = (
      await t.as(coordinatorToken).get(`/api/v1/attempts/${c.attempt.id}/trail`).expect(200)
    ).body as {
      sessionId: string;
      entries: {
        slot: number;
        seq: number;
        response: unknown;
        at: string;
        deviceSession: string | null;
        ip: string | null;
      }[];
    };
    expect(trail.sessionId).toBe(session);
    expect(trail.entries.map((e) => [e.slot, e.seq, e.response])).toEqual([
      [1, 1, false],
      [1, 2, true],
      [2, 1, true],
      [2, 2, false],
    ]);
    for (const e of trail.entries) {
      expect(e.deviceSession).toEqual(expect.any(String));
      expect(e.ip).toEqual(expect.any(String));
      expect(Date.parse(e.at)).not.toBeNaN();
    }
    const items = (await t.dataSource.query(
      'SELECT slot, response FROM attempt_items WHERE attemptId = ? ORDER BY slot',
      [c.attempt.id],
    )) as { slot: number; response: string | null }[];
    for (const item of items) {
      const last = trail.entries.filter((e) => e.slot === Number(item.slot)).at(-1)!;
      expect(last.response).toEqual(item.response === null ? null : JSON.parse(item.response));
    }

    const csv = await t
      .as(coordinatorToken)
      .get(`/api/v1/attempts/${c.attempt.id}/trail?format=csv`)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/csv/);
    expect(csv.text.trim().split('\n')).toHaveLength(1 + trail.entries.length);

    // No route writes it.
    const rows = () =>
      count('SELECT COUNT(*) AS n FROM answer_trail WHERE attemptId = ?', [c.attempt.id]);
    for (const method of ['put', 'patch', 'delete', 'post'] as const) {
      const res = await t.as(adminToken)[method](`/api/v1/attempts/${c.attempt.id}/trail`).send({});
      expect([method, res.status]).toEqual([method, 404]);
    }
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const trailRoutes = Object.entries(doc.paths).filter(([p]) =>
      p.endsWith('/attempts/{id}/trail'),
    );
    expect(trailRoutes.length).toBeGreaterThan(0);
    expect(new Set(trailRoutes.flatMap(([, ops]) => Object.keys(ops)))).toEqual(new Set(['get']));
    expect(await rows()).toBe(4);
  });

  // ---- the board and the minutes -------------------------------------------------------------

  it('shows the public board with masked NIPs, names only when the session says so', async () => {
    const hidden = await aSession();
    const named = await aSession({ boardShowsNames: true });
    const a = await seated(hidden, 'Candidate Tersembunyi');
    const b = await seated(named, 'Candidate Bernama');
    await t.as(a.token).post(`/api/v1/attempts/${a.attempt.id}/submit`).expect(200);

    const board = (await t.http.get(`/api/v1/sessions/${hidden}/board`).expect(200)).body;
    expect(board.rows).toHaveLength(1);
    expect(board.rows[0]).toMatchObject({ seat: 1, state: 'finished' });
    expect(board.rows[0].nip).toBe(`********${a.user.nip!.slice(8, 14)}****`);
    expect(board.rows[0].name).toBeUndefined();
    const text = JSON.stringify(board);
    expect(text).not.toContain(a.user.nip);
    expect(text).not.toContain('Candidate Tersembunyi');
    expect(text).not.toMatch(/\d{18}/);

    const shown = (await t.http.get(`/api/v1/sessions/${named}/board`).expect(200)).body;
    expect(shown.rows[0]).toMatchObject({ name: 'Candidate Bernama', state: 'in_progress' });
    expect(JSON.stringify(shown)).not.toContain(b.user.nip);
    expect(JSON.stringify(shown)).not.toMatch(/\d{18}/);
    await t.http.get('/api/v1/sessions/00000000-0000-4000-8000-000000000000/board').expect(404);
  });

  it('closes the session into minutes without a full NIP; a correction is a new version, the first unchanged', async () => {
    const session = await aSession();
    const a = await seated(session, 'Peserta Berita Acara');
    const absent = await candidate('Peserta Absen');
    await assign(session, [absent.user]);
    await t
      .as(proctorToken)
      .post(`/api/v1/sessions/${session}/candidates/${absent.user.id}/absent`)
      .send({ reason: 'Tidak datang' })
      .expect(200);

    // Someone is still working: no close.
    const early = await t.as(proctorToken).post(`/api/v1/sessions/${session}/close`).expect(409);
    expect(early.body.code).toBe('session.attempts_open');
    expect((await one('SELECT status FROM exam_sessions WHERE id = ?', [session])).status).toBe(
      'scheduled',
    );
    await t.as(a.token).post(`/api/v1/attempts/${a.attempt.id}/submit`).expect(200);
    // Outsiders close nothing.
    for (const token of [outsiderToken, otherCoordinatorToken, a.token]) {
      const res = await t.as(token).post(`/api/v1/sessions/${session}/close`).expect(403);
      expect(res.body.code).toBe('session.not_proctor');
    }
    const closed = await t.as(proctorToken).post(`/api/v1/sessions/${session}/close`).expect(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.minutes.version).toBe(1);
    await t.as(coordinatorToken).post(`/api/v1/sessions/${session}/close`).expect(409);
    // Closed: the console shows no PIN any more; nobody starts.
    expect(
      (await t.as(proctorToken).get(`/api/v1/sessions/${session}`).expect(200)).body.pin,
    ).toBeNull();

    const file = async (query = '') => {
      const res = await t
        .as(proctorToken)
        .get(`/api/v1/sessions/${session}/minutes${query}`)
        .buffer(true)
        .parse(asBytes)
        .expect(200);
      return { bytes: res.body as Buffer, sha: res.headers['x-content-sha256'] as string, res };
    };
    const first = await file();
    expect(first.res.headers['content-type']).toMatch(/application\/pdf/);
    expect(first.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(first.sha).toBe(createHash('sha256').update(first.bytes).digest('hex'));
    expect(first.sha).toBe(closed.body.minutes.sha256);
    const text = pdfText(first.bytes);
    // Issue 23: read aloud and archived: every font embedded, tagged, PDF/A-2b, Indonesian.
    expect(pdfFonts(first.bytes).length).toBeGreaterThan(0);
    for (const font of pdfFonts(first.bytes))
      expect(font).toMatchObject({ embedded: true, unicode: true });
    expect(pdfInfo(first.bytes)).toMatchObject({ Tagged: 'yes', 'PDF version': '1.7' });
    expect(pdfMetadata(first.bytes)).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(first.bytes.toString('latin1')).toContain('/Lang (id-ID)');
    expect(first.bytes.toString('latin1')).toMatch(/\/S \/H1\b/);
    // Times in the city's zone, months in Indonesian (TIME_ZONE defaults to WIB).
    expect(text).toContain(`Ditutup: ${formatDateTime(new Date(now), 'id', 'Asia/Jakarta')}`);
    expect(text).toMatch(
      /\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}, \d{2}\.\d{2} WIB/,
    );
    expect(text).not.toContain('UTC');
    // The positive control: the text is readable, masked NIPs and names are there.
    expect(text).toContain('BERITA ACARA');
    expect(text).toContain(`********${a.user.nip!.slice(8, 14)}****`);
    expect(text).toContain('Peserta Berita Acara');
    for (const nip of [a.user.nip!, absent.user.nip!]) {
      expect(text).not.toContain(nip);
      expect(first.bytes.toString('latin1')).not.toContain(nip);
    }
    expect(text).not.toMatch(/\d{18}/);

    // Only the sector's coordinators correct; a proctor, an outsider, another sector: no.
    for (const token of [proctorToken, outsiderToken, otherCoordinatorToken])
      await t
        .as(token)
        .post(`/api/v1/sessions/${session}/minutes/corrections`)
        .send({ correction: 'Percobaan koreksi oleh yang tidak berwenang' })
        .expect(403);
    await t
      .as(coordinatorToken)
      .post(`/api/v1/sessions/${session}/minutes/corrections`)
      .send({ correction: 'pendek' })
      .expect(400);
    const corrected = await t
      .as(coordinatorToken)
      .post(`/api/v1/sessions/${session}/minutes/corrections`)
      .send({ correction: 'Peserta nomor 2 tercatat tidak hadir karena sakit.' })
      .expect(201);
    expect(corrected.body.version).toBe(2);
    const versions = (
      await t.as(proctorToken).get(`/api/v1/sessions/${session}/minutes/versions`).expect(200)
    ).body as { version: number; sha256: string; correctsId: string | null }[];
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]).toMatchObject({ sha256: first.sha, correctsId: null });
    const firstRow = await one(
      'SELECT id FROM session_minutes WHERE sessionId = ? AND version = 1',
      [session],
    );
    expect(versions[1].correctsId).toBe(firstRow.id);

    const again = await file('?version=1');
    expect(again.sha).toBe(first.sha);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    const latest = await file();
    expect(latest.sha).toBe(versions[1].sha256);
    const latestText = pdfText(latest.bytes);
    expect(latestText).toContain(first.sha);
    // A SHA-256 in hex can hold a run of 18 digits itself: only the rest must not.
    expect(latestText.replace(/[0-9a-f]{64}/g, '')).not.toMatch(/\d{18}/);

    // Outsiders read no minutes; the public none either.
    for (const token of [outsiderToken, otherCoordinatorToken, a.token])
      await t.as(token).get(`/api/v1/sessions/${session}/minutes`).expect(403);
    await t.http.get(`/api/v1/sessions/${session}/minutes`).expect(401);
    await t.as(proctorToken).get(`/api/v1/sessions/${session}/minutes?version=9`).expect(404);
  });
});
