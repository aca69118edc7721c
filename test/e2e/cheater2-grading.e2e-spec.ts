import type { User } from '../../src/identity/user.entity.js';
import { aSectorCompetency, aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';

/*
 * The cheater suite, part two, grading and review (issue 31, items 5 and 6; ADR 0020).
 * 5: a coordinator "grades" wrong single-choice, numeric and short-answer items by hand to
 *    turn a fail into a pass; a later regrade kept it. Hand grading is for essays only now;
 *    an admin alone overrides the machine, with a reason, audited, shown, kept by a regrade
 *    that says so, and written into the history of the certificate that rests on it.
 * 6: under a review policy that shows nothing, a candidate with several attempts read their
 *    best percent in their scheme progress and their score in the graded notice. No route or
 *    page the candidate can read shows it now; the staff still see it.
 */

const GIFT = [
  '::PG:: Ibu kota Sumatera Utara? {=Medan ~Padang ~Sibolga}',
  '::ANGKA:: Dua tambah dua? {#4:0}',
  '::ISIAN:: Singkatan pusat kesehatan masyarakat? {=puskesmas}',
  '::URAIAN:: Jelaskan lima momen kebersihan tangan. {}',
].join('\n\n');

type Item = { slot: number; type: string; options?: { id: string; text: string }[] };

describe(`cheater2: hand grading, overrides and hidden scores (${engine})`, () => {
  let t: TestApp;
  let admin: User;
  let adminToken: string;
  let coordinator: User;
  let coordinatorToken: string;
  let position: string;
  let examId: string;

  const auditOf = async (action: string, entityId: string) =>
    (
      (await t.dataSource.query(
        'SELECT actorId, detail FROM audit_log WHERE action = ? AND entityId = ?',
        [action, entityId],
      )) as { actorId: string | null; detail: unknown }[]
    ).map((r) => ({
      actorId: r.actorId,
      detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<
        string,
        unknown
      >,
    }));
  const itemScores = async (attemptId: string) =>
    (
      (await t.dataSource.query(
        'SELECT slot, score, gradedBy FROM attempt_items WHERE attemptId = ? ORDER BY slot',
        [attemptId],
      )) as { slot: number; score: string | number | null; gradedBy: string | null }[]
    ).map((r) => ({
      slot: Number(r.slot),
      score: r.score === null ? null : Number(r.score),
      gradedBy: r.gradedBy,
    }));

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.createUser('admin', { name: 'Admin BKPSDM' });
    adminToken = await t.tokenFor(admin);
    coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    coordinatorToken = await t.tokenFor(coordinator);
    await aSectorCompetency(t, adminToken, 'health', 'KES.NILAI');
    position = await aSectorPosition(t, adminToken, 'health', 'KES-NILAI-POS');

    const bankId = (
      await t
        .as(coordinatorToken)
        .post('/api/v1/question-banks')
        .send({ name: 'Bank penilaian (cheater2)', sector: 'health' })
        .expect(201)
    ).body.id;
    await t
      .as(coordinatorToken)
      .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);
    examId = (
      await t
        .as(coordinatorToken)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian penilaian tangan',
          sector: 'health',
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          reviewPolicy: 'score',
          sections: [{ bankId, count: 4 }],
          attests: [{ competencyCode: 'KES.NILAI', level: 2 }],
        })
        .expect(201)
    ).body.id;
    await t.as(coordinatorToken).post(`/api/v1/assessments/${examId}/publish`).expect(200);
  });
  afterAll(() => t?.close());

  /** A health ASN sits the exam with every machine-graded item wrong and an essay written. */
  async function wrongAttempt() {
    const candidate = await anAsnIn(t, position);
    const token = await t.tokenFor(candidate);
    const attempt = (await t.as(token).post(`/api/v1/assessments/${examId}/attempts`).expect(201))
      .body as { id: string; items: Item[] };
    const slotOf = (type: string) => attempt.items.find((i) => i.type === type)!.slot;
    const choice = attempt.items.find((i) => i.type === 'single_choice')!;
    const answers: [number, unknown][] = [
      [choice.slot, choice.options!.find((o) => o.text === 'Padang')!.id],
      [slotOf('numeric'), 5],
      [slotOf('short_answer'), 'posyandu'],
      [slotOf('essay'), 'Sebelum kontak pasien dan sesudahnya.'],
    ];
    for (const [slot, response] of answers)
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${slot}`)
        .send({ response })
        .expect(200);
    const submitted = await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    expect(submitted.body.status).toBe('needs_grading');
    return {
      candidate,
      token,
      id: attempt.id,
      choice: choice.slot,
      numeric: slotOf('numeric'),
      shortAnswer: slotOf('short_answer'),
      essay: slotOf('essay'),
    };
  }

  describe('hand grading and overrides', () => {
    it("refuses a coordinator's hand grade of single-choice, numeric and short-answer items, on API and page; essays are still graded", async () => {
      const attempt = await wrongAttempt();
      const before = await itemScores(attempt.id);
      for (const slot of [attempt.choice, attempt.numeric, attempt.shortAnswer]) {
        const refused = await t
          .as(coordinatorToken)
          .post(`/api/v1/attempts/${attempt.id}/answers/${slot}/grade`)
          .send({ score: 1, comment: 'Saya anggap benar' })
          .expect(422);
        expect(refused.body.code).toBe('attempt.machine_graded');
        expect(refused.body.message).toContain(`Soal nomor ${slot}`);
        expect(refused.body.errors).toEqual([{ field: 'slot', reason: refused.body.message }]);
      }
      // An admin may not hand-grade them either: that is an override, with a reason.
      await t
        .as(adminToken)
        .post(`/api/v1/attempts/${attempt.id}/answers/${attempt.numeric}/grade`)
        .send({ score: 1 })
        .expect(422);
      const { agent } = await signInAgent(t, coordinator.email!);
      const queuePage = await agent.get('/kelola/penilaian').expect(200);
      await agent
        .post(`/kelola/penilaian/${attempt.id}/${attempt.choice}`)
        .type('form')
        .send({ _csrf: csrfOf(queuePage.text), score: '1' })
        .expect(422);
      expect(await itemScores(attempt.id)).toEqual(before);
      expect(
        (await auditOf('attempt.grade', attempt.id)).filter((e) => e.actorId === coordinator.id),
      ).toEqual([]);

      // The essay is a person's to grade: full marks, still a fail (1 of 4 = 25 %).
      const graded = await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${attempt.id}/answers/${attempt.essay}/grade`)
        .send({ score: 1, comment: 'Lengkap' })
        .expect(200);
      expect(graded.body).toMatchObject({
        status: 'graded',
        result: { score: 1, maxScore: 4, percent: 25, passed: false },
      });
      const evidence = await t.dataSource.query(
        'SELECT COUNT(*) AS n FROM evidence WHERE userId = ?',
        [attempt.candidate.id],
      );
      expect(Number(evidence[0].n)).toBe(0);
    });

    it('an override is an admin action with a reason: audited, shown, in the certificate history, and kept by a regrade that says so', async () => {
      const scheme = (
        await t
          .as(adminToken)
          .post('/api/v1/certification-schemes')
          .send({
            sector: 'health',
            code: 'NILAI-GANTI',
            title: 'Skema yang bersandar pada ujian penilaian',
            requirements: { assessments: [{ assessmentId: examId, minPercent: 50 }] },
            attests: [{ competencyCode: 'KES.NILAI', level: 2 }],
          })
          .expect(201)
      ).body;
      await activateScheme(t, adminToken, scheme.id);
      const attempt = await wrongAttempt();
      await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${attempt.id}/answers/${attempt.essay}/grade`)
        .send({ score: 1 })
        .expect(200);
      const url = `/api/v1/attempts/${attempt.id}/answers/${attempt.choice}/override`;

      // A coordinator cannot override; an admin needs a reason; an essay is graded, not overridden.
      await t
        .as(coordinatorToken)
        .post(url)
        .send({ score: 1, reason: 'Kunci jawaban soal ini keliru menurut pedoman' })
        .expect(403);
      await t
        .as(attempt.token)
        .post(url)
        .send({ score: 1, reason: 'Kunci jawaban soal ini keliru menurut pedoman' })
        .expect(403);
      for (const body of [
        { score: 1 },
        { score: 1, reason: '            ' },
        { score: 1, reason: 'ok' },
      ]) {
        const res = await t.as(adminToken).post(url).send(body).expect(400);
        expect(JSON.stringify(res.body.errors)).toContain('reason');
      }
      const essay = await t
        .as(adminToken)
        .post(`/api/v1/attempts/${attempt.id}/answers/${attempt.essay}/override`)
        .send({ score: 1, reason: 'Uraian dinilai ulang oleh admin' })
        .expect(422);
      expect(essay.body.code).toBe('attempt.manual_item');
      expect(
        (await t.as(attempt.token).get(`/api/v1/attempts/${attempt.id}`)).body.result,
      ).toMatchObject({ percent: 25, passed: false });

      // The admin's override, with its reason: 2 of 4, a pass, a certificate issued from it.
      const reason = 'Opsi Padang juga benar menurut pedoman ujian 2026 (kunci keliru)';
      const overridden = await t.as(adminToken).post(url).send({ score: 1, reason }).expect(200);
      expect(overridden.body.result).toMatchObject({ score: 2, percent: 50, passed: true });
      expect(overridden.body.overrides).toEqual([{ slot: attempt.choice, reason, score: 1 }]);
      const [entry] = await auditOf('attempt.override', attempt.id);
      expect(entry).toMatchObject({
        actorId: admin.id,
        detail: {
          slot: attempt.choice,
          machineScore: 0,
          score: 1,
          reason,
          before: { percent: 25, passed: false },
          after: { percent: 50, passed: true },
        },
      });
      // Shown to the candidate (the policy shows scores), reason and all.
      const seen = await t.as(attempt.token).get(`/api/v1/attempts/${attempt.id}`);
      expect(seen.body.overrides).toEqual([{ slot: attempt.choice, reason }]);
      const { agent } = await signInAgent(t, attempt.candidate.email!);
      const page = await agent.get(`/ujian/percobaan/${attempt.id}/hasil`).expect(200);
      expect(page.text).toContain('diganti admin');
      expect(page.text).toContain('Opsi Padang juga benar');
      // The notice says the score was corrected.
      const notices = (await t.as(attempt.token).get('/api/v1/me/notifications')).body;
      expect(JSON.stringify(notices)).toContain('Nilai ujian dikoreksi');

      // In the history of the certificate that rests on it.
      const [certificate] = await t.dataSource.query(
        'SELECT id FROM certificates WHERE userId = ? AND schemeId = ?',
        [attempt.candidate.id, scheme.id],
      );
      expect(certificate).toBeDefined();
      const history = await t
        .as(adminToken)
        .get('/api/v1/audit')
        .query({ entityType: 'certificate', entityId: certificate.id })
        .expect(200);
      expect(history.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            action: 'certificate.basis_overridden',
            detail: expect.objectContaining({
              attemptId: attempt.id,
              slot: attempt.choice,
              reason,
              overriddenBy: { id: admin.id, name: 'Admin BKPSDM' },
            }),
          }),
        ]),
      );

      // A regrade recomputes the machine's items, keeps the override, and says so.
      const regrade = await t
        .as(coordinatorToken)
        .post(`/api/v1/assessments/${examId}/regrade`)
        .expect(200);
      expect(regrade.body.overridesKept).toEqual(
        expect.arrayContaining([{ attemptId: attempt.id, slot: attempt.choice, score: 1, reason }]),
      );
      const after = await t.as(adminToken).get(`/api/v1/attempts/${attempt.id}`);
      expect(after.body.result).toMatchObject({ score: 2, percent: 50, passed: true });
      expect(after.body.overrides).toEqual([{ slot: attempt.choice, reason, score: 1 }]);
    });

    it("a regrade takes back a hand-set score on a machine-graded item that was not an admin's override", async () => {
      const attempt = await wrongAttempt();
      await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${attempt.id}/answers/${attempt.essay}/grade`)
        .send({ score: 0 })
        .expect(200);
      // What the old route let a coordinator write (issue 31, item 5): a wrong number marked right.
      await t.dataSource.query(
        'UPDATE attempt_items SET score = 1, fraction = 1, gradedBy = ? WHERE attemptId = ? AND slot = ?',
        [coordinator.id, attempt.id, attempt.numeric],
      );
      await t.dataSource.query('UPDATE attempts SET score = 1, percent = 25 WHERE id = ?', [
        attempt.id,
      ]);
      const regrade = await t
        .as(coordinatorToken)
        .post(`/api/v1/assessments/${examId}/regrade`)
        .expect(200);
      expect(regrade.body.changed).toEqual(
        expect.arrayContaining([{ attemptId: attempt.id, before: 1, after: 0 }]),
      );
      const numeric = (await itemScores(attempt.id)).find((i) => i.slot === attempt.numeric)!;
      expect(numeric).toEqual({ slot: attempt.numeric, score: 0, gradedBy: null });
      // The essay's grade, a person's, stays.
      const essay = (await itemScores(attempt.id)).find((i) => i.slot === attempt.essay)!;
      expect(essay.gradedBy).toBe(coordinator.id);
    });
  });

  describe('a review policy that shows nothing', () => {
    it('no route or page the candidate reads shows a score or percent of their attempts; the staff see them', async () => {
      const bankId = (
        await t
          .as(coordinatorToken)
          .post('/api/v1/question-banks')
          .send({ name: 'Bank tersembunyi (cheater2)', sector: 'health' })
          .expect(201)
      ).body.id;
      const question = (name: string, type: string, definition: object, points: number) =>
        t
          .as(coordinatorToken)
          .post(`/api/v1/question-banks/${bankId}/questions`)
          .send({ name, type, stem: `Soal ${name}`, definition, points })
          .expect(201);
      const choices = (right: string, wrong: string) => ({
        options: [
          { id: 'a', text: right, fraction: 1 },
          { id: 'b', text: wrong, fraction: 0 },
        ],
      });
      await question('A', 'single_choice', choices('Merah', 'Biru'), 7);
      await question('B', 'single_choice', choices('Hijau', 'Kuning'), 6);
      await question('C', 'essay', {}, 4);
      const hiddenExam = (
        await t
          .as(coordinatorToken)
          .post('/api/v1/assessments')
          .send({
            title: 'Ujian tanpa tinjauan',
            sector: 'health',
            passPercent: 80,
            maxAttempts: 0,
            shuffle: false,
            reviewPolicy: 'none',
            sections: [{ bankId, count: 3 }],
            attests: [{ competencyCode: 'KES.NILAI', level: 1 }],
          })
          .expect(201)
      ).body.id as string;
      await t.as(coordinatorToken).post(`/api/v1/assessments/${hiddenExam}/publish`).expect(200);
      const hiddenScheme = await t
        .as(adminToken)
        .post('/api/v1/certification-schemes')
        .send({
          sector: 'health',
          code: 'NILAI-TERSEMBUNYI',
          title: 'Skema dengan ujian tanpa tinjauan',
          requirements: { assessments: [{ assessmentId: hiddenExam, minPercent: 95 }] },
          attests: [{ competencyCode: 'KES.NILAI', level: 3 }],
        })
        .expect(201);
      await activateScheme(t, adminToken, hiddenScheme.body.id);

      const candidate = await anAsnIn(t, position);
      const token = await t.tokenFor(candidate);
      /** One sitting: A right, B right or not, the essay graded by the coordinator. */
      const sit = async (bRight: boolean, essayScore: number) => {
        const attempt = (
          await t.as(token).post(`/api/v1/assessments/${hiddenExam}/attempts`).expect(201)
        ).body as { id: string; items: Item[] };
        const pick = (item: Item, text: string) => item.options!.find((o) => o.text === text)!.id;
        const [a, b, c] = attempt.items;
        for (const [slot, response] of [
          [a.slot, pick(a, 'Merah')],
          [b.slot, pick(b, bRight ? 'Hijau' : 'Kuning')],
          [c.slot, 'Jawaban uraian saya.'],
        ] as [number, unknown][])
          await t
            .as(token)
            .put(`/api/v1/attempts/${attempt.id}/answers/${slot}`)
            .send({ response })
            .expect(200);
        await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
        await t
          .as(coordinatorToken)
          .post(`/api/v1/attempts/${attempt.id}/answers/${c.slot}/grade`)
          .send({ score: essayScore })
          .expect(200);
        return attempt.id;
      };
      const first = await sit(false, 0); // 7 of 17: 41.18 %
      const second = await sit(true, 1); // 7 + 6 + 1 = 14 of 17: 82.35 %
      const secrets = ['41.18', '41,18', '82.35', '82,35'];
      // ISO times left out: "…:41.183Z" holds "41.18" one run in a few thousand.
      const withoutTimes = (text: string) => text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');

      // The staff see them.
      const staff = await t.as(coordinatorToken).get(`/api/v1/attempts/${second}`).expect(200);
      expect(staff.body.result).toMatchObject({ score: 14, maxScore: 17, percent: 82.35 });
      const results = await t
        .as(coordinatorToken)
        .get(`/api/v1/assessments/${hiddenExam}/attempts`)
        .expect(200);
      expect(JSON.stringify(results.body)).toContain('41.18');
      expect(JSON.stringify(results.body)).toContain('82.35');

      // Every read the candidate has, API and pages.
      const api = [
        `/api/v1/attempts/${first}`,
        `/api/v1/attempts/${second}`,
        `/api/v1/assessments`,
        `/api/v1/assessments/${hiddenExam}`,
        '/api/v1/me/schemes',
        '/api/v1/me/certificates',
        '/api/v1/me/dashboard',
        '/api/v1/me/notifications',
        '/api/v1/me/enrollments',
        '/api/v1/me/jp',
        '/api/v1/me/evidence',
        '/api/v1/me/gaps',
      ];
      for (const path of api) {
        const res = await t.as(token).get(path);
        expect([path, res.status]).toEqual([path, 200]);
        const body = withoutTimes(JSON.stringify(res.body));
        for (const secret of secrets) expect([path, body.includes(secret)]).toEqual([path, false]);
        expect([path, /"(score|maxScore)":\s*\d/.test(body)]).toEqual([path, false]);
      }
      const attemptView = (await t.as(token).get(`/api/v1/attempts/${second}`)).body;
      expect(attemptView.result).toBeUndefined();
      expect(attemptView.review).toBe('none');
      // The graded notice says it was graded, not the score.
      const notices = JSON.stringify((await t.as(token).get('/api/v1/me/notifications')).body);
      expect(notices).toContain('sudah dinilai');
      expect(notices).not.toMatch(/Nilai Anda|lulus dengan nilai/);

      const { agent } = await signInAgent(t, candidate.email!);
      const pages = [
        '/beranda',
        '/ujian',
        `/ujian/${hiddenExam}`,
        `/ujian/percobaan/${first}/hasil`,
        `/ujian/percobaan/${second}/hasil`,
        '/sertifikat',
        '/notifikasi',
        '/pelatihan',
        '/pembelajaran',
        '/kompetensi',
      ];
      for (const path of pages) {
        const res = await agent.get(path);
        expect([path, res.status]).toEqual([path, 200]);
        for (const secret of secrets)
          expect([path, withoutTimes(res.text).includes(secret)]).toEqual([path, false]);
        expect([path, /Skor \d/.test(res.text)]).toEqual([path, false]);
      }
    });
  });
});
