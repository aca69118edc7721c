import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentSyncService } from '../../src/content/content-sync.service.js';
import type { User } from '../../src/identity/user.entity.js';
import { aSectorCompetency, aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';

/*
 * The cheater suite, scope (issue 20, item 3; ADR 0012): the health coordinator tries to
 * reach a certificate or evidence outside their sector, or for themselves, through the
 * scheme, assessment, approval and grading routes (API and pages). Each try is refused and
 * leaves nothing behind; the legitimate paths still work and say in the audit log who
 * decided and why.
 */

const GIFT = [
  '::BENAR:: Cuci tangan dilakukan sebelum kontak dengan pasien. {T}',
  '::URAIAN:: Jelaskan lima momen kebersihan tangan menurut WHO. {}',
].join('\n\n');

type Item = { slot: number; type: string };

describe(`cheater: scope of attestations, approvals and grades (${engine})`, () => {
  let t: TestApp;
  let admin: User;
  let adminToken: string;
  let coordinator: User;
  let coordinatorToken: string;
  let educationCoordinator: User;
  let healthPosition: string;
  let educationPosition: string;
  let unplacedAsn: User;
  let bankId: string;
  let examId: string;

  const count = async (sql: string, params: unknown[]) =>
    Number((await t.dataSource.query(sql, params))[0].n);
  const evidenceOf = (userId: string) =>
    count('SELECT COUNT(*) AS n FROM evidence WHERE userId = ?', [userId]);
  const certificatesOf = (userId: string) =>
    count('SELECT COUNT(*) AS n FROM certificates WHERE userId = ?', [userId]);
  const approvalsOf = (userId: string) =>
    count('SELECT COUNT(*) AS n FROM scheme_approvals WHERE userId = ?', [userId]);

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.createUser('admin', { name: 'Admin BKPSDM' });
    adminToken = await t.tokenFor(admin);
    coordinator = await t.createUser('coordinator', {
      sectors: ['health'],
      name: 'dr. Koordinator Kesehatan',
    });
    coordinatorToken = await t.tokenFor(coordinator);
    educationCoordinator = await t.createUser('coordinator', { sectors: ['education'] });
    await aSectorCompetency(t, adminToken, 'health', 'KES.CURANG');
    await aSectorCompetency(t, adminToken, 'education', 'DIK.CURANG');
    await aSectorCompetency(t, adminToken, 'administration-it', 'ADM.CURANG');
    healthPosition = await aSectorPosition(t, adminToken, 'health', 'KES-CURANG-POS');
    educationPosition = await aSectorPosition(t, adminToken, 'education', 'DIK-CURANG-POS');
    unplacedAsn = await t.createUser('asn');

    bankId = (
      await t
        .as(coordinatorToken)
        .post('/api/v1/question-banks')
        .send({ name: 'Bank PPI (cheater)', sector: 'health' })
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
          title: 'Ujian PPI dengan uraian',
          sector: 'health',
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections: [{ bankId, count: 2 }],
          attests: [{ competencyCode: 'KES.CURANG', level: 2 }],
        })
        .expect(201)
    ).body.id;
    await t.as(coordinatorToken).post(`/api/v1/assessments/${examId}/publish`).expect(200);
  });
  afterAll(() => t?.close());

  const auditOf = async (action: string, entityId: string) =>
    (
      (await t.dataSource.query(
        'SELECT actorId, actorRole, detail FROM audit_log WHERE action = ? AND entityId = ?',
        [action, entityId],
      )) as { actorId: string; actorRole: string; detail: unknown }[]
    ).map((r) => ({
      ...r,
      detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<
        string,
        unknown
      >,
    }));

  describe('attesting', () => {
    const scheme = (code: string, attests: { competencyCode: string; level: number }[]) => ({
      sector: 'health',
      code,
      title: `Skema ${code}`,
      requirements: { approval: true },
      attests,
    });

    it("refuses another sector's or a national competency in a scheme, naming the field and the competency", async () => {
      const education = await t
        .as(coordinatorToken)
        .post('/api/v1/certification-schemes')
        .send(
          scheme('CURANG-DIK', [
            { competencyCode: 'KES.CURANG', level: 2 },
            { competencyCode: 'DIK.CURANG', level: 5 },
          ]),
        )
        .expect(403);
      expect(education.body.code).toBe('access.attest_sector');
      expect(education.body.message).toContain('DIK.CURANG');
      expect(education.body.errors).toEqual([
        { field: 'attests[1].competencyCode', reason: education.body.message },
      ]);
      const national = await t
        .as(coordinatorToken)
        .post('/api/v1/certification-schemes')
        .send(scheme('CURANG-M1', [{ competencyCode: 'M.1', level: 5 }]))
        .expect(403);
      expect(national.body).toMatchObject({
        code: 'access.attest_national',
        errors: [{ field: 'attests[0].competencyCode' }],
      });
      expect(national.body.message).toContain('M.1');
      // An admin may attest M.1, but no scheme of health carries an education competency.
      const mismatch = await t
        .as(adminToken)
        .post('/api/v1/certification-schemes')
        .send(scheme('CURANG-ADMIN-DIK', [{ competencyCode: 'DIK.CURANG', level: 5 }]))
        .expect(422);
      expect(mismatch.body.code).toBe('access.attest_mismatch');

      // Through an update of a scheme of their own, the same.
      const own = (
        await t
          .as(coordinatorToken)
          .post('/api/v1/certification-schemes')
          .send(scheme('CURANG-SAH', [{ competencyCode: 'KES.CURANG', level: 3 }]))
          .expect(201)
      ).body;
      for (const code of ['DIK.CURANG', 'M.1', 'SK.1'])
        await t
          .as(coordinatorToken)
          .put(`/api/v1/certification-schemes/${own.id}`)
          .send({ attests: [{ competencyCode: code, level: 5 }] })
          .expect(403);
      const rows = await t.dataSource.query(
        `SELECT code, attests FROM certification_schemes WHERE code LIKE 'CURANG-%'`,
      );
      expect(rows.map((r: { code: string }) => r.code)).toEqual(['CURANG-SAH']);
      const attests = rows[0].attests;
      expect(typeof attests === 'string' ? JSON.parse(attests) : attests).toEqual([
        { competencyCode: 'KES.CURANG', level: 3 },
      ]);
    });

    it('refuses them in an assessment too, on create and update', async () => {
      const created = await t
        .as(coordinatorToken)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian lintas sektor',
          sector: 'health',
          sections: [{ bankId, count: 1 }],
          attests: [{ competencyCode: 'ADM.CURANG', level: 4 }],
        })
        .expect(403);
      expect(created.body.errors[0].field).toBe('attests[0].competencyCode');
      expect(created.body.message).toContain('ADM.CURANG');
      for (const code of ['ADM.CURANG', 'M.1'])
        await t
          .as(coordinatorToken)
          .put(`/api/v1/assessments/${examId}`)
          .send({ attests: [{ competencyCode: code, level: 5 }] })
          .expect(403);
      const [exam] = await t.dataSource.query('SELECT attests FROM assessments WHERE id = ?', [
        examId,
      ]);
      const attests = typeof exam.attests === 'string' ? JSON.parse(exam.attests) : exam.attests;
      expect(attests).toEqual([{ competencyCode: 'KES.CURANG', level: 2 }]);
      expect(
        await count(`SELECT COUNT(*) AS n FROM assessments WHERE title = ?`, [
          'Ujian lintas sektor',
        ]),
      ).toBe(0);
    });

    it('refuses them on the pages, where the form says why', async () => {
      const { agent } = await signInAgent(t, coordinator.email!);
      const schemes = await agent.get('/kelola/skema').expect(200);
      const page = await agent
        .post('/kelola/skema')
        .type('form')
        .send({
          _csrf: csrfOf(schemes.text),
          code: 'CURANG-HALAMAN',
          title: 'Skema lewat halaman',
          sector: 'health',
          approval: '1',
          attests: 'M.1:5',
        })
        .expect(403);
      expect(page.text).toContain('M.1');
      const exams = await agent.get('/kelola/ujian').expect(200);
      const examPage = await agent
        .post('/kelola/ujian')
        .type('form')
        .send({
          _csrf: csrfOf(exams.text),
          sector: 'health',
          title: 'Ujian lewat halaman',
          bankId,
          count: '1',
          attests: 'DIK.CURANG:5',
        })
        .expect(403);
      expect(examPage.text).toContain('DIK.CURANG');
      expect(
        await count(`SELECT COUNT(*) AS n FROM certification_schemes WHERE code = ?`, [
          'CURANG-HALAMAN',
        ]),
      ).toBe(0);
      expect(
        await count(`SELECT COUNT(*) AS n FROM assessments WHERE title = ?`, [
          'Ujian lewat halaman',
        ]),
      ).toBe(0);
    });

    it("refuses a content pack that attests a national or another sector's competency", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pack-curang-'));
      try {
        cpSync(join(process.cwd(), 'modules/health/content'), dir, { recursive: true });
        const edit = (file: string, change: (items: Record<string, unknown>[]) => void) => {
          const items = JSON.parse(readFileSync(join(dir, file), 'utf8'));
          change(items);
          writeFileSync(join(dir, file), JSON.stringify(items));
        };
        edit('schemes.json', (items) => {
          items[0].attests = [{ competencyCode: 'M.1', level: 5 }];
        });
        edit('assessments.json', (items) => {
          items[0].attests = [{ competencyCode: 'DIK.CURANG', level: 5 }];
        });
        const report = await t.app.get(ContentSyncService).sync('health', '9.9.9', dir);
        expect(report.problems).toEqual([
          expect.stringMatching(
            /^assessments\.json .*: kompetensi DIK\.CURANG bukan milik sektor ini/,
          ),
          expect.stringMatching(/^schemes\.json .*: kompetensi M\.1 bukan milik sektor ini/),
        ]);
        expect(report.created).toEqual([]);
        expect(
          await count(
            `SELECT COUNT(*) AS n FROM certification_schemes WHERE sector = 'health' AND code LIKE 'SK-%'`,
            [],
          ),
        ).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('still lets the coordinator attest their own competency and the admin a national one, with an audit entry', async () => {
      const own = (
        await t
          .as(coordinatorToken)
          .post('/api/v1/certification-schemes')
          .send(scheme('SAH-KES', [{ competencyCode: 'KES.CURANG', level: 2 }]))
          .expect(201)
      ).body;
      const national = (
        await t
          .as(adminToken)
          .post('/api/v1/certification-schemes')
          .send(scheme('SAH-M1', [{ competencyCode: 'M.1', level: 3 }]))
          .expect(201)
      ).body;
      expect(national.attests).toEqual([{ competencyCode: 'M.1', level: 3 }]);
      expect(await auditOf('scheme.create', own.id)).toEqual([
        expect.objectContaining({ actorId: coordinator.id, actorRole: 'coordinator' }),
      ]);
      expect(await auditOf('scheme.create', national.id)).toEqual([
        expect.objectContaining({ actorId: admin.id, actorRole: 'admin' }),
      ]);
      // A scheme vouching for M.1 is the admin's: the coordinator cannot loosen its rules.
      await t
        .as(coordinatorToken)
        .put(`/api/v1/certification-schemes/${national.id}`)
        .send({ requirements: { approval: false } })
        .expect(403);
    });
  });

  describe('approving', () => {
    let schemeId: string;
    beforeAll(async () => {
      schemeId = (
        await t
          .as(coordinatorToken)
          .post('/api/v1/certification-schemes')
          .send({
            sector: 'health',
            code: 'PRAKTIK-KES',
            title: 'Praktik PPI teramati',
            requirements: { approval: true },
            attests: [{ competencyCode: 'KES.CURANG', level: 3 }],
          })
          .expect(201)
      ).body.id;
      await activateScheme(t, adminToken, schemeId);
    });

    it('refuses the coordinator for themselves, for an ASN of another sector, for peers and for the admin, and writes nothing', async () => {
      const educationAsn = await anAsnIn(t, educationPosition);
      const tries: [User, string][] = [
        [coordinator, 'access.self'],
        [educationAsn, 'access.candidate_sector'],
        [unplacedAsn, 'access.candidate_unplaced'],
        [educationCoordinator, 'access.candidate_role'],
        [admin, 'access.candidate_role'],
      ];
      for (const [candidate, code] of tries) {
        const res = await t
          .as(coordinatorToken)
          .post(`/api/v1/certification-schemes/${schemeId}/approvals/${candidate.id}`)
          .send({ approved: true, notes: 'Praktik lulus, semua langkah benar' })
          .expect(403);
        expect([candidate.id, res.body.code]).toEqual([candidate.id, code]);
      }
      // Nor does the page route let it through.
      const { agent } = await signInAgent(t, coordinator.email!);
      const manage = await agent.get('/kelola/skema').expect(200);
      await agent
        .post(`/kelola/skema/${schemeId}/persetujuan/${coordinator.id}`)
        .type('form')
        .send({ _csrf: csrfOf(manage.text), decision: 'approve', notes: 'Saya lulus sendiri' })
        .expect(403);
      // The admin cannot approve themselves either.
      const self = await t
        .as(adminToken)
        .post(`/api/v1/certification-schemes/${schemeId}/approvals/${admin.id}`)
        .send({ approved: true, notes: 'Praktik lulus, semua langkah benar' })
        .expect(403);
      expect(self.body.code).toBe('access.self');
      for (const [candidate] of tries) {
        expect([candidate.id, await approvalsOf(candidate.id)]).toEqual([candidate.id, 0]);
        expect([candidate.id, await certificatesOf(candidate.id)]).toEqual([candidate.id, 0]);
        expect([candidate.id, await evidenceOf(candidate.id)]).toEqual([candidate.id, 0]);
      }
      const held = (
        await t
          .as(await t.tokenFor(educationAsn))
          .get('/api/v1/me/certificates')
          .expect(200)
      ).body;
      expect(held).toEqual([]);
    });

    it('lets the coordinator approve an ASN of their sector, with notes, named in the audit log', async () => {
      const healthAsn = await anAsnIn(t, healthPosition, { name: 'Nurhayati Uji' });
      const bare = await t
        .as(coordinatorToken)
        .post(`/api/v1/certification-schemes/${schemeId}/approvals/${healthAsn.id}`)
        .send({ approved: true })
        .expect(400);
      expect(bare.body.errors).toEqual([{ field: 'notes', reason: bare.body.message }]);
      expect(await approvalsOf(healthAsn.id)).toBe(0);
      const decided = (
        await t
          .as(coordinatorToken)
          .post(`/api/v1/certification-schemes/${schemeId}/approvals/${healthAsn.id}`)
          .send({ approved: true, notes: 'Cuci tangan 6 langkah benar, diamati 3 Desember' })
          .expect(200)
      ).body;
      expect(decided).toMatchObject({ status: 'approved', decidedBy: coordinator.id });
      expect(decided.issued).toHaveLength(1);
      expect(await certificatesOf(healthAsn.id)).toBe(1);
      const [evidence] = await t.dataSource.query(
        `SELECT e.level, c.code FROM evidence e JOIN competencies c ON c.id = e.competencyId
         WHERE e.userId = ?`,
        [healthAsn.id],
      );
      expect(evidence).toEqual({ level: 3, code: 'KES.CURANG' });
      const [entry] = await auditOf('scheme.approval', schemeId);
      expect(entry).toMatchObject({
        actorId: coordinator.id,
        actorRole: 'coordinator',
        detail: {
          userId: healthAsn.id,
          candidate: 'Nurhayati Uji',
          approved: true,
          decidedBy: { id: coordinator.id, name: 'dr. Koordinator Kesehatan' },
          notes: 'Cuci tangan 6 langkah benar, diamati 3 Desember',
        },
      });
    });

    it('leaves the decision about a coordinator to an admin', async () => {
      await t
        .as(adminToken)
        .post(`/api/v1/certification-schemes/${schemeId}/approvals/${coordinator.id}`)
        .send({ approved: false, reason: 'Belum mengikuti uji praktik' })
        .expect(200);
      const [entry] = (await auditOf('scheme.approval', schemeId)).filter(
        (e) => e.detail.userId === coordinator.id,
      );
      expect(entry).toMatchObject({
        actorId: admin.id,
        detail: { approved: false, reason: 'Belum mengikuti uji praktik' },
      });
      expect(await certificatesOf(coordinator.id)).toBe(0);
    });
  });

  describe('recording evidence by hand', () => {
    it('refuses a national competency to a coordinator, and anyone for themselves, the admin included', async () => {
      const healthAsn = await anAsnIn(t, healthPosition);
      const peer = await t.createUser('coordinator', {
        sectors: ['health'],
        positionId: healthPosition,
      });
      const record = (token: string, userId: string, competencyCode: string) =>
        t
          .as(token)
          .post(`/api/v1/users/${userId}/evidence`)
          .send({ competencyCode, level: 5, reason: 'Diamati langsung di tempat kerja' });
      const national = await record(coordinatorToken, healthAsn.id, 'M.1').expect(403);
      expect(national.body).toMatchObject({
        code: 'access.attest_national',
        errors: [{ field: 'competencyCode' }],
      });
      expect((await record(coordinatorToken, peer.id, 'KES.CURANG').expect(403)).body.code).toBe(
        'access.candidate_role',
      );
      expect((await record(adminToken, admin.id, 'M.1').expect(403)).body.code).toBe('access.self');
      for (const user of [healthAsn, peer, admin]) expect(await evidenceOf(user.id)).toBe(0);
      // The legitimate paths.
      await record(coordinatorToken, healthAsn.id, 'KES.CURANG').expect(201);
      await record(adminToken, healthAsn.id, 'M.1').expect(201);
      expect(await evidenceOf(healthAsn.id)).toBe(2);
    });
  });

  describe('grading', () => {
    /** Sits the health exam: the true/false right, an essay waiting for a grader. */
    async function sit(token: string) {
      const attempt = (await t.as(token).post(`/api/v1/assessments/${examId}/attempts`).expect(201))
        .body;
      const items = attempt.items as Item[];
      const essay = items.find((i) => i.type === 'essay')!.slot;
      await t
        .as(token)
        .put(
          `/api/v1/attempts/${attempt.id}/answers/${items.find((i) => i.type === 'true_false')!.slot}`,
        )
        .send({ response: true })
        .expect(200);
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${essay}`)
        .send({ response: 'Sebelum kontak pasien, sebelum tindakan aseptik, dan seterusnya.' })
        .expect(200);
      const submitted = (
        await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200)
      ).body;
      expect(submitted.status).toBe('needs_grading');
      return { id: attempt.id as string, essay };
    }
    const stateOf = async (attemptId: string) =>
      (
        await t.dataSource.query(
          `SELECT a.status, i.score FROM attempts a JOIN attempt_items i ON i.attemptId = a.id
           WHERE a.id = ? AND i.type = 'essay'`,
          [attemptId],
        )
      )[0];

    it('refuses the coordinator their own essay and an education ASN’s, on the API and the page', async () => {
      const own = await sit(coordinatorToken);
      const educationAsn = await anAsnIn(t, educationPosition);
      const theirs = await sit(await t.tokenFor(educationAsn));

      const self = await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${own.id}/answers/${own.essay}/grade`)
        .send({ score: 1, comment: 'Sempurna' })
        .expect(403);
      expect(self.body.code).toBe('access.self');
      const other = await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${theirs.id}/answers/${theirs.essay}/grade`)
        .send({ score: 1 })
        .expect(403);
      expect(other.body.code).toBe('access.candidate_sector');
      const { agent } = await signInAgent(t, coordinator.email!);
      const queuePage = await agent.get('/kelola/penilaian').expect(200);
      await agent
        .post(`/kelola/penilaian/${own.id}/${own.essay}`)
        .type('form')
        .send({ _csrf: csrfOf(queuePage.text), score: '1', comment: 'Sempurna' })
        .expect(403);

      // Neither waits in their queue; both wait, ungraded, with no evidence written.
      const queue = (await t.as(coordinatorToken).get('/api/v1/grading')).body as {
        attemptId: string;
      }[];
      expect(queue.map((q) => q.attemptId)).not.toContain(own.id);
      expect(queue.map((q) => q.attemptId)).not.toContain(theirs.id);
      for (const attempt of [own, theirs])
        expect(await stateOf(attempt.id)).toEqual({ status: 'needs_grading', score: null });
      expect(await evidenceOf(coordinator.id)).toBe(0);
      expect(await evidenceOf(educationAsn.id)).toBe(0);
      expect(
        await count(
          `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'attempt.grade' AND entityId IN (?, ?)`,
          [own.id, theirs.id],
        ),
      ).toBe(0);

      // An admin grades the coordinator's essay, and may not grade their own.
      await t
        .as(adminToken)
        .post(`/api/v1/attempts/${own.id}/answers/${own.essay}/grade`)
        .send({ score: 0, comment: 'Tidak menyebut lima momen' })
        .expect(200);
      const adminsOwn = await sit(adminToken);
      await t
        .as(adminToken)
        .post(`/api/v1/attempts/${adminsOwn.id}/answers/${adminsOwn.essay}/grade`)
        .send({ score: 1 })
        .expect(403);
      expect(await stateOf(adminsOwn.id)).toEqual({ status: 'needs_grading', score: null });
    });

    it('refuses the coordinator more time on their own attempt, and gives it to a health ASN', async () => {
      const start = async (token: string) =>
        (await t.as(token).post(`/api/v1/assessments/${examId}/attempts`).expect(201)).body
          .id as string;
      const own = await start(coordinatorToken);
      const res = await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${own}/extend`)
        .send({ minutes: 180, reason: 'Waktu tambahan untuk saya sendiri' })
        .expect(403);
      expect(res.body.code).toBe('access.self');
      const [{ deadline }] = await t.dataSource.query(
        'SELECT deadline FROM attempts WHERE id = ?',
        [own],
      );
      expect(deadline).toBeNull();
      const theirs = await start(await t.tokenFor(await anAsnIn(t, healthPosition)));
      await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${theirs}/extend`)
        .send({ minutes: 10, reason: 'Komputer peserta sempat mati' })
        .expect(200);
    });

    it("grades a health ASN's essay, with the grader and the comment in the audit log", async () => {
      const healthAsn = await anAsnIn(t, healthPosition);
      const attempt = await sit(await t.tokenFor(healthAsn));
      const queue = (await t.as(coordinatorToken).get('/api/v1/grading')).body as {
        attemptId: string;
      }[];
      expect(queue.map((q) => q.attemptId)).toContain(attempt.id);
      const graded = await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${attempt.id}/answers/${attempt.essay}/grade`)
        .send({ score: 1, comment: 'Lima momen lengkap' })
        .expect(200);
      expect(graded.body.status).toBe('graded');
      expect(await evidenceOf(healthAsn.id)).toBe(1);
      const [entry] = await auditOf('attempt.grade', attempt.id);
      expect(entry).toMatchObject({
        actorId: coordinator.id,
        actorRole: 'coordinator',
        detail: {
          slot: attempt.essay,
          score: 1,
          gradedBy: { id: coordinator.id, name: 'dr. Koordinator Kesehatan' },
          candidateId: healthAsn.id,
          comment: 'Lima momen lengkap',
        },
      });
      // The contract's body without a comment still works; the entry still names the grader.
      const second = await sit(await t.tokenFor(await anAsnIn(t, healthPosition)));
      await t
        .as(coordinatorToken)
        .post(`/api/v1/attempts/${second.id}/answers/${second.essay}/grade`)
        .send({ score: 0.5 })
        .expect(200);
      expect((await auditOf('attempt.grade', second.id))[0]).toMatchObject({
        actorId: coordinator.id,
        detail: { gradedBy: { id: coordinator.id }, comment: null },
      });
    });
  });
});
