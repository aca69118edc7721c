import { LessonProgress } from '../../src/learning/enrollment.entity.js';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

/** The first start a new user sees: every sector's pack installed, demo people with real records. */
describe(`demo data on the sector packs (${engine})`, () => {
  let t: TestApp;
  // Three sector packs and every demo record are written at boot: about 6 s on a quiet
  // machine, over a minute on CI's two cores while the other worker runs a heavy file.
  beforeAll(async () => {
    t = await bootTestApp({ env: { DEMO_DATA: 'true', CONTENT_SYNC: 'true' } });
  }, 180_000);
  afterAll(() => t?.close());

  const login = (username: string) => t.tokenFor(username, DEMO_PASSWORD);

  it.each([
    ['health', '199003152015032001'],
    ['education', '198512102010012003'],
    ['administration-it', '199208172020121005'],
  ])('%s: the demo ASN sees gaps, the sector courses and a certificate', async (sector, nip) => {
    const token = await login(nip);
    const gaps = (await t.as(token).get('/api/v1/me/gaps').expect(200)).body;
    expect(gaps.position).not.toBeNull();
    expect(gaps.items.length).toBeGreaterThan(3);
    const courses = (await t.as(token).get(`/api/v1/courses?sector=${sector}`)).body;
    expect(courses.length).toBeGreaterThanOrEqual(3);
    const certificates = (await t.as(token).get('/api/v1/me/certificates')).body;
    expect(certificates).toHaveLength(1);
    expect(certificates[0].sector).toBe(sector);
  });

  it('puts the demo people on the packs’ own positions: no position name twice (ADR 0028)', async () => {
    const rows: { code: string; name: string }[] = await t.dataSource.query(
      'SELECT code, name FROM positions',
    );
    const names = rows.map((r) => r.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    const held: { code: string }[] = await t.dataSource.query(
      `SELECT DISTINCT p.code AS code FROM users u INNER JOIN positions p ON p.id = u.positionId`,
    );
    expect(held.length).toBeGreaterThanOrEqual(3);
    for (const { code } of held) expect(code).toMatch(/^(KES|DIK|ADM)-/);
  });

  it('leaves essays waiting, failed attempts and a certificate close to expiry for the reports', async () => {
    const [{ n: waiting }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM attempts WHERE status = 'needs_grading'`,
    );
    expect(Number(waiting)).toBeGreaterThanOrEqual(3);
    const [{ n: failed }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM attempts WHERE status = 'graded' AND passed = ?`,
      [false],
    );
    expect(Number(failed)).toBeGreaterThanOrEqual(3);
    const soon = (await t.dataSource.query(`SELECT expiresAt FROM certificates`)).filter(
      (c: { expiresAt: string | Date }) =>
        new Date(c.expiresAt).getTime() - Date.now() < 30 * 86_400_000,
    );
    expect(soon.length).toBeGreaterThanOrEqual(1);
  });

  it('completes the demo courses through the study rule: each lesson opened after enrolling, done after its minimum, in the past', async () => {
    const rows = await t.dataSource
      .getRepository(LessonProgress)
      .find({ relations: { enrollment: true } });
    const done = rows.filter((r) => r.completedAt);
    expect(done.length).toBeGreaterThan(10);
    const now = Date.now();
    for (const row of done) {
      expect(row.requiredSeconds).toBeGreaterThan(0);
      expect(row.completedAt!.getTime() - row.openedAt.getTime()).toBeGreaterThanOrEqual(
        row.requiredSeconds! * 1000,
      );
      expect(row.openedAt.getTime()).toBeGreaterThanOrEqual(row.enrollment!.enrolledAt.getTime());
      expect(row.completedAt!.getTime()).toBeLessThanOrEqual(now);
    }
    // The demo ASN's JP lines show that trail.
    const token = await login('199003152015032001');
    const jp = (await t.as(token).get('/api/v1/me/jp').expect(200)).body;
    expect(jp.credits.length).toBeGreaterThan(0);
    for (const credit of jp.credits)
      expect(credit.trail.every((l: { openedAt: string | null }) => l.openedAt)).toBe(true);
  });
});
