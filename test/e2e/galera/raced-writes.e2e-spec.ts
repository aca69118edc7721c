import { publishExam, sleep } from '../../helpers/child-app.js';
import { clientAs } from '../../helpers/client.js';
import { activateScheme } from '../../helpers/schemes.js';
import {
  type Answer,
  ask,
  type GaleraWorld,
  galeraSuite,
  galeraWorld,
  inBatches,
  insertCandidates,
  readRows,
  tally,
  tokenOf,
} from '../../helpers/galera.js';

/*
 * Issue 29: the same candidate's start, saves and submit raced across two instances, each
 * writing through its own Galera node. Two nodes certify conflicting writes only at commit,
 * and the loser gets a deadlock error (1213) where one server would have made it wait or
 * answered a duplicate key: whatever the cluster does underneath, every request gets the
 * answer one server gives, never a 500, and the rules hold (one attempt per candidate, the
 * newest save kept, one grading whose result both submits answer).
 *
 *   bash scripts/galera.sh start && eval "$(bash scripts/galera.sh env)"
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js test/e2e/galera/ \
 *     --selectProjects e2e --runInBand
 */

const CANDIDATES = 40;
/** Certificates issued at once, through both instances. */
const CERTIFICATES = 400;
/** Saves of one answer sent at once, alternately through each instance. */
const SAVES = 6;
const GIFT = [
  '::G1:: Cuci tangan sebelum kontak dengan pasien. {T}',
  '::G2:: Identitas pasien dicek dua kali. {T}',
].join('\n\n');

type Item = { slot: number; type: string };
type Started = { id: string; items: Item[]; resumed: boolean };

/** The answers that are not what one server would give: 5xx, none, or another failure. */
const bad = (answers: readonly Answer[], ok: number[]) =>
  answers.filter((a) => !ok.includes(a.status));

galeraSuite('raced starts, saves, submits and certificates across two instances', () => {
  let world: GaleraWorld;
  let exam: string;
  /** Each candidate's access token, logged in half through each instance. */
  let tokens: string[];
  /** Each candidate's attempt, as the raced starts answered it. */
  const attempts: Started[] = [];

  const bases = () => world.apps.map((app) => app.base);

  /**
   * Every candidate's attempt, whatever the raced start answered: a candidate whose start
   * failed there starts (resumes) it again through the first instance, so that the next
   * check is not hidden behind the previous one's failure.
   */
  async function allAttempts(): Promise<Started[]> {
    for (let c = 0; c < CANDIDATES; c++) {
      for (let i = 0; !attempts[c] && i < 5; i++) {
        const res = await ask(bases()[0], `/api/v1/assessments/${exam}/attempts`, {
          method: 'POST',
          token: tokens[c],
        });
        if (res.status === 200 || res.status === 201) attempts[c] = res.body as Started;
      }
      if (!attempts[c]) throw new Error(`candidate ${c} has no attempt`);
    }
    return attempts;
  }

  beforeAll(async () => {
    world = await galeraWorld();
    ({ id: exam } = await publishExam(world.apps[0].base, world.admin, {
      gift: GIFT,
      count: 2,
      coordinatorEmail: 'koordinator@races.galera.uji.example',
      title: 'Ujian Galera Berpacu',
      shuffle: false,
    }));
    const emails = await insertCandidates(world.urls[0], CANDIDATES, 'races');
    tokens = await inBatches(emails, 20, (email, i) => tokenOf(bases()[i % 2], email));
  }, 240_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  it('a start raced through both instances gives both the same attempt, and one attempt per candidate', async () => {
    const answers = await Promise.all(
      tokens.map((token) =>
        Promise.all(
          bases().map((base) =>
            ask(base, `/api/v1/assessments/${exam}/attempts`, { method: 'POST', token }),
          ),
        ),
      ),
    );
    const all = answers.flat();
    answers.forEach(([first, second], c) => {
      const ok = [first, second].find((a) => a.status === 200 || a.status === 201);
      if (ok) attempts[c] = ok.body as Started;
    });
    // 201 for the start that made the attempt, 200 for the one that found it.
    expect({ failed: bad(all, [200, 201]).length, statuses: tally(all) }).toEqual({
      failed: 0,
      statuses: { '200': CANDIDATES, '201': CANDIDATES },
    });
    for (const [first, second] of answers) {
      const [a, b] = [first.body as Started, second.body as Started];
      expect(b.id).toBe(a.id);
      // One of the two made the attempt; the other found it.
      expect([a.resumed, b.resumed].sort()).toEqual([false, true]);
    }
    const rows = await readRows<{ userId: string; n: number }>(
      world.urls[0],
      'SELECT userId, COUNT(*) AS n FROM attempts WHERE assessmentId = ? GROUP BY userId',
      [exam],
    );
    expect(rows).toHaveLength(CANDIDATES);
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
  }, 120_000);

  it('saves of one answer raced through both instances: all acknowledged, the newest kept', async () => {
    await allAttempts();
    // For each candidate and question, seq 1..SAVES at once, odd through the first instance
    // and even through the second; only the last is the right answer (true).
    const sent = attempts.flatMap((attempt, c) =>
      attempt.items.flatMap((item) =>
        Array.from({ length: SAVES }, (_, k) => ({ attempt, c, slot: item.slot, seq: k + 1 })),
      ),
    );
    const answers = await Promise.all(
      sent.map(({ attempt, c, slot, seq }) =>
        ask(bases()[seq % 2], `/api/v1/attempts/${attempt.id}/answers/${slot}`, {
          method: 'PUT',
          token: tokens[c],
          body: { response: seq === SAVES, seq },
        }),
      ),
    );
    expect({ failed: bad(answers, [200]).length, statuses: tally(answers) }).toEqual({
      failed: 0,
      statuses: { '200': answers.length },
    });
    // Each acknowledgement: stored (saved, its own seq), or older than what is stored and
    // told the newer one, as on one server.
    const wrong = answers.filter((a, i) => {
      if (a.status !== 200) return false;
      const body = a.body as { saved: boolean; seq: number };
      return body.saved ? body.seq !== sent[i].seq : body.seq <= sent[i].seq;
    });
    expect(wrong).toEqual([]);
    const stored = await readRows<{ attemptId: string; slot: number; seq: number }>(
      world.urls[0],
      `SELECT attemptId, slot, responseSeq AS seq FROM attempt_items
        WHERE attemptId IN (?) ORDER BY attemptId, slot`,
      [attempts.map((a) => a.id)],
    );
    expect(stored).toHaveLength(CANDIDATES * 2);
    expect(stored.filter((r) => Number(r.seq) !== SAVES)).toEqual([]);
    // And the instance that did not take the last save shows it too.
    const views = await Promise.all(
      attempts.map((attempt, c) =>
        ask(bases()[1], `/api/v1/attempts/${attempt.id}`, { token: tokens[c] }),
      ),
    );
    for (const view of views) {
      expect(view.status).toBe(200);
      const items = (view.body as { items: { response: unknown }[] }).items;
      expect(items.map((i) => i.response)).toEqual([true, true]);
    }
  }, 120_000);

  it('a submit raced through both instances grades once, and both answers carry the same result', async () => {
    await allAttempts();
    const answers = await Promise.all(
      attempts.map((attempt, c) =>
        Promise.all(
          bases().map((base) =>
            ask(base, `/api/v1/attempts/${attempt.id}/submit`, {
              method: 'POST',
              token: tokens[c],
            }),
          ),
        ),
      ),
    );
    const all = answers.flat();
    expect({ failed: bad(all, [200]).length, statuses: tally(all) }).toEqual({
      failed: 0,
      statuses: { '200': all.length },
    });
    const strip = (body: Answer['body']): Record<string, unknown> => ({
      ...(body as Record<string, unknown>),
      serverTime: undefined,
    });
    // As on one server, both answers are the stored attempt: the same result, and the same
    // everything else (but the server's clock). Every difference is gathered first.
    const results = answers.flatMap((pair) =>
      pair.map((a) => (a.body as { status?: string; result?: unknown }) ?? {}),
    );
    expect(
      results.filter(
        (body) =>
          body.status !== 'graded' ||
          JSON.stringify(body.result) !==
            JSON.stringify({ score: 2, maxScore: 2, percent: 100, passed: true }),
      ),
    ).toEqual([]);
    const differing = new Map<string, number>();
    for (const [a, b] of answers) {
      const [x, y] = [strip(a.body), strip(b.body)];
      for (const field of new Set([...Object.keys(x), ...Object.keys(y)]))
        if (JSON.stringify(x[field]) !== JSON.stringify(y[field]))
          differing.set(field, (differing.get(field) ?? 0) + 1);
    }
    expect(Object.fromEntries(differing)).toEqual({});
    const rows = await readRows<{ status: string; percent: number; n: number }>(
      world.urls[0],
      `SELECT status, percent, COUNT(*) AS n FROM attempts WHERE assessmentId = ?
        GROUP BY status, percent`,
      [exam],
    );
    expect(rows.map((r) => ({ ...r, percent: Number(r.percent), n: Number(r.n) }))).toEqual([
      { status: 'graded', percent: 100, n: CANDIDATES },
    ]);
  }, 120_000);

  it('400 certificates earned at once through both instances: all issued, numbered 1..400 without a gap', async () => {
    const [first] = bases();
    const admin = clientAs(first, world.admin);
    const coordinator = await tokenOf(first, 'koordinator@races.galera.uji.example');
    const as = clientAs(first, coordinator);
    await admin
      .post('/api/v1/competencies')
      .send({
        code: 'KES.GALERA',
        title: 'Kompetensi uji Galera',
        description: 'Kompetensi teknis sektor kesehatan untuk pengujian klaster',
        type: 'teknis',
        sector: 'health',
        levels: [1, 2, 3, 4, 5].map((level) => ({
          level,
          description: `Tingkat ${level}`,
          indicators: [`Indikator tingkat ${level}`],
        })),
      })
      .expect(201);
    const bank = (
      await as
        .post('/api/v1/question-banks')
        .send({ name: 'Bank sertifikasi Galera', sector: 'health' })
        .expect(201)
    ).body.id as string;
    await as
      .post(`/api/v1/question-banks/${bank}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send('::S1:: Alat pelindung diri dipakai sesuai risiko. {T}')
      .expect(200);
    const certExam = (
      await as
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian Sertifikasi Galera',
          sector: 'health',
          timeLimitMinutes: 60,
          passPercent: 50,
          maxAttempts: 1,
          shuffle: false,
          sections: [{ bankId: bank, count: 1 }],
        })
        .expect(201)
    ).body.id as string;
    await as.post(`/api/v1/assessments/${certExam}/publish`).expect(200);
    const scheme = (
      await as
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code: 'GALERA-400',
          title: 'Sertifikasi Klaster Galera',
          requirements: { assessments: [{ assessmentId: certExam, minPercent: 100 }] },
          attests: [{ competencyCode: 'KES.GALERA', level: 2 }],
          validityMonths: 12,
        })
        .expect(201)
    ).body.id as string;
    await activateScheme({ as: (token) => clientAs(first, token) }, coordinator, scheme);

    // Each candidate logs in, starts and answers through one instance (half each), at most
    // 20 at a time; then all 400 submit at once, each through the other instance.
    const emails = await insertCandidates(world.urls[0], CERTIFICATES, 'cert');
    const ready = await inBatches(emails, 20, async (email, i) => {
      const at = bases()[i % 2];
      const token = await tokenOf(at, email);
      const started = await ask(at, `/api/v1/assessments/${certExam}/attempts`, {
        method: 'POST',
        token,
      });
      if (started.status !== 201) throw new Error(`start: ${started.status}`);
      const attempt = started.body as Started;
      const saved = await ask(at, `/api/v1/attempts/${attempt.id}/answers/1`, {
        method: 'PUT',
        token,
        body: { response: true, seq: 1 },
      });
      if (saved.status !== 200) throw new Error(`save: ${saved.status}`);
      return { token, attempt: attempt.id, at: bases()[(i + 1) % 2] };
    });
    const submits = await Promise.all(
      ready.map(({ token, attempt, at }) =>
        ask(at, `/api/v1/attempts/${attempt}/submit`, { method: 'POST', token }),
      ),
    );
    expect({ failed: bad(submits, [200]).length, statuses: tally(submits) }).toEqual({
      failed: 0,
      statuses: { '200': CERTIFICATES },
    });
    expect(
      submits.filter((a) => (a.body as { result?: { passed?: boolean } }).result?.passed !== true),
    ).toEqual([]);

    // Issuing may finish after the submit answers (numbers assigned in order afterwards):
    // up to 60 s for every certificate to carry its number.
    type Row = { userId: string; seq: number | null; number: string | null; status: string };
    const read = () =>
      readRows<Row>(
        world.urls[0],
        'SELECT userId, seq, number, status FROM certificates WHERE schemeId = ?',
        [scheme],
      );
    let rows = await read();
    const deadline = Date.now() + 60_000;
    while (rows.filter((r) => r.seq !== null).length < CERTIFICATES && Date.now() < deadline) {
      await sleep(1_000);
      rows = await read();
    }
    const numbered = rows.filter((r) => r.seq !== null);
    expect({ certificates: rows.length, numbered: numbered.length }).toEqual({
      certificates: CERTIFICATES,
      numbered: CERTIFICATES,
    });
    const seqs = numbered.map((r) => Number(r.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: CERTIFICATES }, (_, i) => i + 1));
    expect(new Set(numbered.map((r) => r.number)).size).toBe(CERTIFICATES);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(CERTIFICATES);
    expect(rows.filter((r) => r.status !== 'active')).toEqual([]);

    // And each holder sees their one certificate, with its number, through either instance.
    const mine = await inBatches(ready, 40, ({ token }, i) =>
      ask(bases()[i % 2], '/api/v1/me/certificates', { token }),
    );
    expect(tally(mine)).toEqual({ '200': CERTIFICATES });
    const shown = mine.map((a) => a.body as unknown as { number: string; status: string }[]);
    expect(shown.filter((list) => list.length !== 1)).toEqual([]);
    expect(new Set(shown.map((list) => list[0].number)).size).toBe(CERTIFICATES);
  }, 240_000);
});
