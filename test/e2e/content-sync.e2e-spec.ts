import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sectors } from '../../modules/index.js';
import { ContentSyncService } from '../../src/content/content-sync.service.js';
import { PublicWorksSector } from '../fixtures/public-works/public-works.sector.js';
import { studyLessons } from '../helpers/study.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

const FIXTURE = join(process.cwd(), 'test/fixtures/public-works/content');

describe(`content sync (${engine})`, () => {
  let t: TestApp;
  const count = async (table: string, where = '1=1') =>
    Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`))[0].n);

  beforeAll(async () => {
    // Only the fourth sector, installed from test/fixtures by the guide, with no edit to src/.
    t = await bootTestApp({
      sectors: [...sectors, PublicWorksSector],
      env: { CONTENT_SYNC: 'true', SECTORS: 'public-works' },
    });
  });
  afterAll(() => t.close());

  it('installs the fourth sector at boot; its course and scheme work end to end', async () => {
    const listed = (await t.http.get('/api/v1/sectors').expect(200)).body;
    expect(listed.map((s: { key: string }) => s.key)).toEqual(['public-works']);
    const report = (
      await t.dataSource.query(`SELECT version FROM content_syncs WHERE sector = 'public-works'`)
    )[0];
    expect(report.version).toBe('0.1.0');
    expect(await count('content_items', `sector = 'public-works'`)).toBe(9);
    const question = (
      await t.dataSource.query(
        `SELECT competencyCode, competencyLevel, difficulty FROM questions WHERE name = 'PU-02'`,
      )
    )[0];
    expect(question).toEqual({
      competencyCode: 'PU.JALAN',
      competencyLevel: 2,
      difficulty: 'sedang',
    });

    const asn = await t.tokenFor(await t.createUser('asn'));
    const course = (await t.as(asn).get('/api/v1/courses').expect(200)).body.find(
      (c: { code: string }) => c.code === 'PU-JALAN-01',
    );
    const enrollment = (
      await t.as(asn).post(`/api/v1/courses/${course.id}/enrollments`).expect(201)
    ).body;
    const lessons = (await t.as(asn).get(`/api/v1/courses/${course.id}`)).body.lessons;
    await studyLessons(
      t,
      asn,
      enrollment.id,
      lessons.map((l: { id: string }) => l.id),
    );
    const exam = (await t.as(asn).get('/api/v1/assessments')).body.find(
      (a: { title: string }) => a.title === 'Ujian Pemeriksaan Jalan',
    );
    const attempt = (await t.as(asn).post(`/api/v1/assessments/${exam.id}/attempts`).expect(201))
      .body;
    const answers: Record<string, unknown> = { true_false: true, numeric: 7 };
    for (const item of attempt.items as {
      slot: number;
      type: string;
      options?: { id: string; text: string }[];
    }[])
      await t
        .as(asn)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({
          response: answers[item.type] ?? item.options!.find((o) => o.text === 'retak buaya')!.id,
        })
        .expect(200);
    const result = (await t.as(asn).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200)).body;
    expect(result.result).toMatchObject({ percent: 100, passed: true });
    const certificates = (await t.as(asn).get('/api/v1/me/certificates')).body;
    expect(certificates.map((c: { schemeCode: string }) => c.schemeCode)).toEqual(['SK-PU-JALAN']);
  });

  it('is idempotent, keeps what a coordinator changed, applies the rest of an upgrade and archives what left the pack', async () => {
    const sync = t.app.get(ContentSyncService);
    const before = await count('questions');
    const again = await sync.sync('public-works', '0.1.0', FIXTURE);
    expect(again).toMatchObject({
      created: [],
      updated: [],
      keptLocal: [],
      archived: [],
      problems: [],
    });
    expect(await count('questions')).toBe(before);

    // A coordinator edits PU-01 on the platform.
    const coordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['public-works'] }),
    );
    const pu01 = (await t.dataSource.query(`SELECT id FROM questions WHERE name = 'PU-01'`))[0].id;
    await t
      .as(coordinator)
      .put(`/api/v1/questions/${pu01}`)
      .send({ stem: 'Pola retak kotak kecil seperti kulit buaya disebut?' })
      .expect(200);

    // Version 0.2.0 of the pack changes PU-01 and PU-02 and drops the scheme.
    const dir = mkdtempSync(join(tmpdir(), 'pack-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      const gift = join(dir, 'banks/pu-jalan.gift');
      writeFileSync(
        gift,
        readFileSync(gift, 'utf8')
          .replace('disebut? {', 'disebut dalam pemeriksaan? {')
          .replace('perlu difoto', 'wajib difoto'),
      );
      writeFileSync(join(dir, 'schemes.json'), '[]');
      const report = await sync.sync('public-works', '0.2.0', dir);
      expect(report.keptLocal).toEqual(['question:PU-JALAN/PU-01']);
      expect(report.updated).toEqual(['question:PU-JALAN/PU-02']);
      expect(report.archived).toEqual(['scheme:SK-PU-JALAN']);
      const pu01Now = (await t.as(coordinator).get(`/api/v1/questions/${pu01}`)).body;
      expect(pu01Now.stem).toBe('Pola retak kotak kecil seperti kulit buaya disebut?');
      const pu02 = (await t.dataSource.query(`SELECT id FROM questions WHERE name = 'PU-02'`))[0]
        .id;
      const pu02Now = (await t.as(coordinator).get(`/api/v1/questions/${pu02}`)).body;
      // PU-02 was shown in an attempt: the upgrade made a new version, the old one stays.
      expect(pu02Now.stem).toContain('wajib difoto');
      expect(pu02Now.version).toBe(2);
      const scheme = (
        await t.dataSource.query(
          `SELECT status FROM certification_schemes WHERE code = 'SK-PU-JALAN'`,
        )
      )[0];
      expect(scheme.status).toBe('retired');
      // The certificate issued under it still verifies.
      expect(await count('certificates', `status = 'active'`)).toBe(1);
      const admin = await t.tokenFor(await t.createUser('admin'));
      const page = await t.http
        .get('/admin/sektor')
        .set('cookie', `sa_access=${admin}`)
        .expect(200);
      expect(page.text).toContain('question:PU-JALAN/PU-01');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
