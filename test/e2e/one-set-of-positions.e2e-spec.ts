import { OneSetOfPositions1766793600000 } from '../../src/database/migrations/1766793600000-one-set-of-positions.js';
import { bootTestApp, engine, type TestApp } from '../helpers/test-app.js';

/** ADR 0028: the demo's old namesakes of the packs' positions are merged where it is safe. */
describe(`one set of positions: merging the demo's duplicates (${engine})`, () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
  });
  afterAll(() => t.close());

  async function position(
    code: string,
    name: string,
    sector: string,
    standard: Record<string, number>,
  ): Promise<string> {
    const created = await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code, name, kind: 'fungsional', sector, confirmDuplicateName: true })
      .expect(201);
    await t
      .as(admin)
      .put(`/api/v1/positions/${code}/standard`)
      .send({
        items: Object.entries(standard).map(([competencyCode, level]) => ({
          competencyCode,
          level,
        })),
      })
      .expect(200);
    return created.body.id as string;
  }

  const positionOf = async (userId: string) =>
    (await t.dataSource.query('SELECT positionId FROM users WHERE id = ?', [userId]))[0]
      .positionId as string | null;
  const codes = async () =>
    (
      (await t.dataSource.query('SELECT code FROM positions ORDER BY code')) as { code: string }[]
    ).map((r) => r.code);

  it('moves the holders onto the pack position and drops the demo one, only where nothing is lost', async () => {
    // Safe: the demo's nurse position as the demo made it, beside the pack's.
    const pack = await position('KES-PERAWAT-AP', 'Perawat Ahli Pertama', 'health', {
      'M.1': 2,
    });
    const demo = await position('PERAWAT-AP', 'Perawat Ahli Pertama', 'health', {
      'M.1': 3,
      'M.2': 2,
      'M.3': 2,
      'M.5': 3,
      'SK.1': 2,
    });
    const nurses = [
      await t.createUser('asn', { positionId: demo }),
      await t.createUser('asn', { positionId: demo }),
    ];
    // Not safe: the demo's teacher position had its standard edited by an admin.
    const teacherPack = await position('DIK-GURU-AP', 'Guru Ahli Pertama', 'education', {
      'M.1': 2,
    });
    const teacherDemo = await position('GURU-AP', 'Guru Ahli Pertama', 'education', {
      'M.1': 3,
      'M.3': 3,
      'M.6': 2,
      'M.8': 2,
      'SK.1': 3,
    });
    const teacher = await t.createUser('asn', { positionId: teacherDemo });
    // Not safe: a scheme targets the demo's computer position.
    await position('ADM-PRAKOM-AP', 'Pranata Komputer Ahli Pertama', 'administration-it', {
      'M.1': 2,
    });
    const prakomDemo = await position(
      'PRANATA-KOMPUTER-AP',
      'Pranata Komputer Ahli Pertama',
      'administration-it',
      { 'M.1': 2, 'M.4': 3, 'M.7': 2, 'SK.1': 2 },
    );
    const operator = await t.createUser('asn', { positionId: prakomDemo });
    await t
      .as(admin)
      .post('/api/v1/certification-schemes')
      .send({
        sector: 'health',
        code: 'PRAKOM-LAMA',
        title: 'Skema untuk kode lama',
        targetPositions: ['PRANATA-KOMPUTER-AP'],
        requirements: {
          rules: [{ key: 'health.observed-practice', params: { competencyCode: 'M.1', level: 2 } }],
        },
        attests: [{ competencyCode: 'M.1', level: 2 }],
      })
      .expect(201);

    const runner = t.dataSource.createQueryRunner();
    try {
      await new OneSetOfPositions1766793600000().up(runner);
      // Running it again changes nothing.
      await new OneSetOfPositions1766793600000().up(runner);
    } finally {
      await runner.release();
    }

    for (const nurse of nurses) expect(await positionOf(nurse.id)).toBe(pack);
    expect(await codes()).not.toContain('PERAWAT-AP');
    const lines = await t.dataSource.query(
      'SELECT COUNT(*) AS n FROM position_requirements WHERE positionId = ?',
      [demo],
    );
    expect(Number(lines[0].n)).toBe(0);
    const merged = (await t.as(admin).get('/api/v1/positions/KES-PERAWAT-AP').expect(200)).body;
    expect(merged.standard).toEqual([expect.objectContaining({ competencyCode: 'M.1', level: 2 })]);
    const [audit] = await t.dataSource.query(
      `SELECT entityId, detail FROM audit_log WHERE action = 'position.merge'`,
    );
    expect(audit.entityId).toBe(pack);
    expect(JSON.parse(audit.detail)).toEqual({
      from: 'PERAWAT-AP',
      into: 'KES-PERAWAT-AP',
      holders: 2,
    });

    expect(await positionOf(teacher.id)).toBe(teacherDemo);
    expect(await positionOf(operator.id)).toBe(prakomDemo);
    expect(await codes()).toEqual(
      expect.arrayContaining(['GURU-AP', 'DIK-GURU-AP', 'PRANATA-KOMPUTER-AP', 'ADM-PRAKOM-AP']),
    );
    expect(teacherPack).toBeTruthy();
  });
});
