import {
  DEMO_SUPERVISOR_NIP,
  jakartaYear,
} from '../../src/development/development-demo.service.js';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import {
  bootTestApp,
  createTestDatabase,
  engine,
  TestApp,
  TestDatabase,
} from '../helpers/test-app.js';

/** The demo of plans and evaluations (ADR 0040) at first start, and that a restart adds nothing. */
describe(`demo development plans and evaluations (${engine})`, () => {
  let database: TestDatabase;
  let t: TestApp;
  const year = jakartaYear();
  const env = { DEMO_DATA: 'true', CONTENT_SYNC: 'true' };
  const TABLES = [
    'users',
    'development_plans',
    'development_plan_items',
    'evaluations',
    'evaluation_responses',
    'org_unit_budgets',
    'programme_indicators',
  ];
  const counts = async (app: TestApp) => {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const [{ n }] = await app.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
      out[table] = Number(n);
    }
    return out;
  };

  // Every sector pack and every demo record are written at boot (see demo-content).
  beforeAll(async () => {
    database = await createTestDatabase();
    t = await bootTestApp({ env, database });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('gives every demo ASN a plan for this year, in mixed states, with items from their gaps', async () => {
    const rows: { nip: string; status: string; items: number; returnReason: string | null }[] =
      await t.dataSource.query(
        `SELECT u.nip AS nip, p.status AS status, p.returnReason AS returnReason,
                (SELECT COUNT(*) FROM development_plan_items i WHERE i.planId = p.id) AS items
           FROM development_plans p JOIN users u ON u.id = p.userId WHERE p.year = ?`,
        [year],
      );
    const nips = ['199003152015032001', '198807202014031002', '198512102010012003'];
    for (const nip of nips) expect(rows.map((r) => r.nip)).toContain(nip);
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set(['agreed', 'submitted', 'returned', 'draft']),
    );
    for (const row of rows) expect(Number(row.items)).toBeGreaterThan(0);
    for (const row of rows.filter((r) => r.status === 'returned'))
      expect(row.returnReason?.length).toBeGreaterThanOrEqual(5);
    // The health ASN's agreed plan carries its decider's baseline.
    const [{ n }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM evaluation_responses r
         JOIN development_plans p ON p.userId = r.subjectUserId
        WHERE r.kind = 'baseline' AND p.status = 'agreed' AND p.year = ?`,
      [year],
    );
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('has a course per sector with at least five reaction answers, none of which names its author', async () => {
    const rows: { sector: string; n: number }[] = await t.dataSource.query(
      `SELECT c.sector AS sector, COUNT(*) AS n FROM evaluation_responses r
         JOIN courses c ON c.id = r.courseId
        WHERE r.kind = 'reaction' AND r.year = ? GROUP BY c.sector, r.courseId`,
      [year],
    );
    for (const sector of ['health', 'education', 'administration-it'])
      expect(
        Math.max(0, ...rows.filter((r) => r.sector === sector).map((r) => Number(r.n))),
      ).toBeGreaterThanOrEqual(5);
    // Nothing in a reaction answer leads back to a person or the time of day.
    const answers: {
      evaluationId: string | null;
      subjectUserId: string | null;
      createdAt: string | Date;
    }[] = await t.dataSource.query(
      `SELECT evaluationId, subjectUserId, createdAt FROM evaluation_responses WHERE kind = 'reaction'`,
    );
    for (const a of answers) {
      expect(a.evaluationId).toBeNull();
      expect(a.subjectUserId).toBeNull();
      expect(new Date(a.createdAt).toISOString()).toMatch(/T00:00:00\.000Z$/);
    }
  });

  it('leaves behaviour ratings on the demo certificates, budgets (one exceeded) and indicators', async () => {
    // Every active demo certificate has its holder's rating (and its supervisor's when set).
    const certificates: { id: string; supervisorId: string | null }[] = await t.dataSource.query(
      `SELECT c.id AS id, u.supervisorId AS supervisorId FROM certificates c
         JOIN users u ON u.id = c.userId WHERE c.status = 'active'`,
    );
    for (const c of certificates) {
      const kinds: { kind: string }[] = await t.dataSource.query(
        `SELECT kind FROM evaluation_responses WHERE certificateId = ?`,
        [c.id],
      );
      expect(kinds.map((k) => k.kind).sort()).toEqual(
        c.supervisorId ? ['behaviour_self', 'behaviour_supervisor'] : ['behaviour_self'],
      );
    }
    const budgets: { code: string; ceiling: string | number; cost: string | number | null }[] =
      await t.dataSource.query(
        `SELECT o.code AS code, b.ceilingIdr AS ceiling,
                (SELECT SUM(i.costIdr) FROM development_plans p
                   JOIN users u ON u.id = p.userId
                   JOIN development_plan_items i ON i.planId = p.id
                  WHERE u.orgUnitId = o.id AND p.year = b.year AND p.status = 'agreed'
                    AND i.status <> 'dropped') AS cost
           FROM org_unit_budgets b JOIN org_units o ON o.id = b.orgUnitId WHERE b.year = ?`,
        [year],
      );
    expect(budgets.length).toBeGreaterThanOrEqual(2);
    const exceeded = budgets.filter((b) => Number(b.cost ?? 0) > Number(b.ceiling));
    expect(exceeded.map((b) => b.code)).toEqual(['DINKES']);
    const indicators: { name: string; lowerIsBetter: unknown }[] = await t.dataSource.query(
      `SELECT name, lowerIsBetter FROM programme_indicators WHERE year = ?`,
      [year],
    );
    expect(indicators.length).toBeGreaterThanOrEqual(2);
    expect(indicators.map((i) => i.name)).toContain('Rata-rata hari penyelesaian izin praktik');
  });

  it('puts the health ASN under the demo supervisor when that account exists, who then decided their plans', async () => {
    const [supervisor]: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM users WHERE nip = ?`,
      [DEMO_SUPERVISOR_NIP],
    );
    const rows: { nip: string; supervisorId: string | null; decidedById: string | null }[] =
      await t.dataSource.query(
        `SELECT u.nip AS nip, u.supervisorId AS supervisorId, p.decidedById AS decidedById
           FROM users u JOIN development_plans p ON p.userId = u.id
          WHERE u.nip IN ('199003152015032001', '198807202014031002') AND p.year = ?`,
        [year],
      );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      // Without the account (people's part not merged yet) nobody is given a supervisor.
      expect(row.supervisorId).toBe(supervisor?.id ?? null);
      if (row.decidedById) expect(row.decidedById).toBe(supervisor?.id ?? row.decidedById);
    }
  });

  it('lets the extra demo ASN sign in with the demo password, as ASN and nothing more', async () => {
    const token = await t.tokenFor('199204112019032001', DEMO_PASSWORD);
    const me = (await t.as(token).get('/api/v1/me').expect(200)).body;
    expect(me.role).toBe('asn');
    await t.as(token).get('/api/v1/users').expect(403);
  });

  it('adds nothing on a second start', async () => {
    const before = await counts(t);
    await t.close();
    t = await bootTestApp({ env, database });
    expect(await counts(t)).toEqual(before);
  }, 300_000);
});
