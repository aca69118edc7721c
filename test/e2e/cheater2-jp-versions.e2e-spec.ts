import { DataSource } from 'typeorm';
import { sectors } from '../../modules/index.js';
import { CORE_ENTITIES } from '../../src/database/core-schema.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { JpOncePerCourse1765670400000 } from '../../src/database/migrations/1765670400000-jp-once-per-course.js';
import { probeDatabase } from '../../src/database/probe.js';
import { CORE_VERSION } from '../../src/registry/core-version.js';
import { loadSectors } from '../../src/registry/sector-loader.js';
import { OrgUnit } from '../../src/identity/org-unit.entity.js';
import { JpCredit } from '../../src/learning/enrollment.entity.js';
import { Clock } from '../../src/platform/clock.js';
import { Notification } from '../../src/platform/notifications/notification.entity.js';
import { passTime, studyLessons } from '../helpers/study.js';
import {
  bootTestApp,
  createTestDatabase,
  csrfOf,
  engine,
  signInAgent,
  testConfig,
  TestApp,
} from '../helpers/test-app.js';

/**
 * The cheater suite, issue 31 item 2: JP credited again for each course version. A learner who
 * completed a course enrols in the version a coordinator (or a pack upgrade) republished,
 * completes it, and is credited its JP a second time in the same year. A course, across its
 * versions, credits once per learner and year (ADR 0018): the second completion still
 * completes the course, but its ledger line counts 0 JP and says why.
 */
describe(`cheater: JP again for each course version (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  let admin: string;
  let unitId: string;
  const year = () => t.app.get(Clock).now().getUTCFullYear();

  /** A published 3-JP health course of two 10-minute lessons. */
  async function makeCourse(code: string, extra: Record<string, unknown> = {}) {
    const created = await t
      .as(coordinator)
      .post('/api/v1/courses')
      .send({ sector: 'health', code, title: `Pelatihan ${code}`, jp: 3, ...extra })
      .expect(201);
    for (const i of [1, 2])
      await t
        .as(coordinator)
        .post(`/api/v1/courses/${created.body.id}/lessons`)
        .send({
          title: `Bagian ${i}`,
          kind: 'markdown',
          body: `## Bagian ${i}\n\nIsi.`,
          durationMinutes: 10,
        })
        .expect(201);
    await t.as(coordinator).post(`/api/v1/courses/${created.body.id}/publish`).expect(200);
    return created.body.id as string;
  }

  /** The coordinator edits the published course: a new version, published; v(n-1) archived. */
  async function republish(courseId: string, changes: Record<string, unknown> = {}) {
    const draft = await t.as(coordinator).post(`/api/v1/courses/${courseId}/draft`).expect(201);
    await t
      .as(coordinator)
      .patch(`/api/v1/courses/${draft.body.id}`)
      .send({ summary: 'Diperbarui sesuai pedoman terbaru.', ...changes })
      .expect(200);
    const published = await t
      .as(coordinator)
      .post(`/api/v1/courses/${draft.body.id}/publish`)
      .expect(200);
    return published.body as { id: string; version: number; lessons: { id: string }[] };
  }

  async function learner() {
    const user = await t.createUser('asn', { orgUnitId: unitId });
    return { user, token: await t.tokenFor(user) };
  }

  async function enrol(token: string, courseId: string) {
    const res = await t.as(token).post(`/api/v1/courses/${courseId}/enrollments`).expect(201);
    return {
      id: res.body.id as string,
      lessons: (res.body.course.lessons as { id: string }[]).map((l) => l.id),
    };
  }

  const ledger = async (token: string, y = year()) =>
    (await t.as(token).get('/api/v1/me/jp').query({ year: y }).expect(200)).body as {
      total: number;
      credits: {
        jp: number;
        counted: boolean;
        courseCode: string;
        courseVersion: number;
        refusedVersion: number | null;
        note: string | null;
      }[];
    };

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    const units = t.dataSource.getRepository(OrgUnit);
    const unit = units.create({
      code: 'JPV-UNIT',
      name: 'Unit Uji JP Versi',
      active: true,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await units.insert(unit);
    unitId = unit.id;
  });

  afterAll(() => t.close());

  it('completing the republished version credits no JP again; the ledger says why', async () => {
    const v1 = await makeCourse('JPV-ULANG');
    const { token, user } = await learner();
    const first = await enrol(token, v1);
    expect((await studyLessons(t, token, first.id, first.lessons)).status).toBe('completed');
    expect((await ledger(token)).total).toBe(3);

    const v2 = await republish(v1);
    expect(v2.version).toBe(2);
    const second = await enrol(token, v2.id);
    const done = await studyLessons(t, token, second.id, second.lessons);
    // Real study: the course is completed all the same.
    expect(done.status).toBe('completed');

    const after = await ledger(token);
    expect(after.total).toBe(3);
    expect(after.credits).toHaveLength(2);
    expect(after.credits[0]).toMatchObject({
      jp: 3,
      counted: true,
      courseCode: 'JPV-ULANG',
      courseVersion: 1,
    });
    expect(after.credits[1]).toMatchObject({
      jp: 0,
      counted: false,
      courseCode: 'JPV-ULANG',
      courseVersion: 2,
      refusedVersion: 1,
      note: `JP tidak dihitung lagi: kursus ini sudah dikreditkan tahun ${year()} (versi 1)`,
    });

    const notices = await t.as(token).get('/api/v1/me/notifications').expect(200);
    expect(JSON.stringify(notices.body)).toContain(
      `JP tidak dihitung lagi: kursus ini sudah dikreditkan tahun ${year()} (versi 1)`,
    );

    // The page 'Pembelajaran Saya' says it too, and counts 3 JP.
    const { agent } = await signInAgent(t, user.nip ?? user.email!);
    const html = (await agent.get('/pembelajaran').expect(200)).text;
    expect(html).toContain(
      `JP tidak dihitung lagi: kursus ini sudah dikreditkan tahun ${year()} (versi 1)`,
    );
    expect(html).toContain(`JP tahun ${year()}: 3 dari target 20 JP`);
  });

  it('two completions at once, of v1 and v2, credit once', async () => {
    const v1 = await makeCourse('JPV-PARALEL');
    const { token, user } = await learner();
    const first = await enrol(token, v1);
    const v2 = await republish(v1);
    const second = await enrol(token, v2.id);
    // Everything but the last lesson of each, honestly; then both last lessons at once.
    await studyLessons(t, token, first.id, first.lessons.slice(0, -1));
    await studyLessons(t, token, second.id, second.lessons.slice(0, -1));
    const last = [
      [first.id, first.lessons.at(-1)!],
      [second.id, second.lessons.at(-1)!],
    ];
    for (const [enrollmentId, lessonId] of last) {
      await t.as(token).get(`/api/v1/enrollments/${enrollmentId}/lessons/${lessonId}`).expect(200);
    }
    passTime(t.app, 3600);
    const results = await Promise.all(
      last.map(([enrollmentId, lessonId]) =>
        t.as(token).post(`/api/v1/enrollments/${enrollmentId}/lessons/${lessonId}/complete`),
      ),
    );
    expect(results.map((r) => [r.status, r.body.status])).toEqual([
      [200, 'completed'],
      [200, 'completed'],
    ]);
    const after = await ledger(token);
    expect(after.total).toBe(3);
    expect(after.credits.filter((c) => c.counted)).toHaveLength(1);
    expect(after.credits.filter((c) => !c.counted)).toHaveLength(1);
    const rows = await t.dataSource.getRepository(JpCredit).findBy({ userId: user.id });
    expect(rows.map((r) => Number(r.jp)).sort()).toEqual([0, 3]);
  });

  it('a course its coordinator marks repeatable credits again', async () => {
    const v1 = await makeCourse('JPV-SEGAR', { repeatable: true });
    const { token } = await learner();
    const first = await enrol(token, v1);
    await studyLessons(t, token, first.id, first.lessons);
    const v2 = await republish(v1);
    expect((await t.as(token).get(`/api/v1/courses/${v2.id}`).expect(200)).body.repeatable).toBe(
      true,
    );
    const second = await enrol(token, v2.id);
    await studyLessons(t, token, second.id, second.lessons);
    const after = await ledger(token);
    expect(after.total).toBe(6);
    expect(after.credits.every((c) => c.counted && c.note === null)).toBe(true);
  });

  it('the coordinator marks a course repeatable on its authoring page', async () => {
    const id = await makeCourse('JPV-HALAMAN');
    const coordinatorUser = await t.createUser('coordinator', { sectors: ['health'] });
    const { agent } = await signInAgent(t, coordinatorUser.email!);
    const page = await agent.get(`/kelola/pelatihan/${id}`).expect(200);
    expect(page.text).toContain('name="repeatable"');
    const saved = await agent
      .post(`/kelola/pelatihan/${id}`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), title: 'Pelatihan JPV-HALAMAN', jp: '3', repeatable: '1' })
      .expect(303);
    const draftId = (saved.headers.location as string).split('/').pop()!;
    expect(draftId).not.toBe(id);
    const draft = await t.as(coordinator).get(`/api/v1/courses/${draftId}`).expect(200);
    expect(draft.body).toMatchObject({ version: 2, repeatable: true });
    expect((await agent.get(`/kelola/pelatihan/${draftId}`).expect(200)).text).toMatch(
      /name="repeatable" value="1" checked/,
    );
  });

  it('refuses a repeatable flag that is not a boolean, naming the field', async () => {
    const res = await t
      .as(coordinator)
      .post('/api/v1/courses')
      .send({
        sector: 'health',
        code: 'JPV-SALAH',
        title: 'Pelatihan salah',
        jp: 3,
        repeatable: 'ya',
      })
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('repeatable');
  });

  it('the JP reports agree with the learner’s own total', async () => {
    const report = await t
      .as(admin)
      .get('/api/v1/reports/jp-compliance')
      .query({ year: year(), orgUnit: 'JPV-UNIT' })
      .expect(200);
    const learners = await t.dataSource
      .getRepository(JpCredit)
      .createQueryBuilder('j')
      .innerJoin('j.user', 'u')
      .where('u.orgUnitId = :unitId', { unitId })
      .select('j.userId', 'userId')
      .distinct(true)
      .getRawMany<{ userId: string }>();
    expect(learners.length).toBeGreaterThanOrEqual(3);
    const row = report.body.rows.find((r: { orgUnitCode: string }) => r.orgUnitCode === 'JPV-UNIT');
    // Three learners above hold 3, 3 and 6 JP; the refused lines add nothing.
    expect(row.asn).toBeGreaterThanOrEqual(3);
    expect(row.averageJp * row.asn).toBeCloseTo(12, 1);
    // The JP export lists what counts, and sums to the same.
    const exported = await t
      .as(admin)
      .get('/api/v1/reports/jp')
      .query({ year: year(), orgUnit: 'JPV-UNIT' })
      .expect(200);
    const sum = (exported.body.rows as { jp: number }[]).reduce((s, r) => s + Number(r.jp), 0);
    expect(sum).toBe(12);
    expect((exported.body.rows as { jp: number }[]).every((r) => Number(r.jp) > 0)).toBe(true);
  });

  it('next year the course credits again', async () => {
    const v1 = await makeCourse('JPV-TAHUN');
    const { token } = await learner();
    const first = await enrol(token, v1);
    await studyLessons(t, token, first.id, first.lessons);
    const thisYear = year();
    const v2 = await republish(v1);
    passTime(t.app, 366 * 24 * 3600);
    expect(year()).toBe(thisYear + 1);
    const second = await enrol(token, v2.id);
    await studyLessons(t, token, second.id, second.lessons);
    expect((await ledger(token, thisYear)).total).toBe(3);
    const next = await ledger(token, thisYear + 1);
    expect(next.total).toBe(3);
    expect(next.credits).toEqual([
      expect.objectContaining({ counted: true, courseVersion: 2, jp: 3 }),
    ]);
  });

  it('the upgrade puts right a ledger that already counted a course twice in a year', async () => {
    const db = await createTestDatabase();
    const config = await probeDatabase(testConfig(db.url));
    const loaded = loadSectors(sectors, {
      coreVersion: CORE_VERSION,
      only: null,
      coreEntities: CORE_ENTITIES,
    });
    const options = { ...dataSourceOptions(config, loaded), migrationsRun: false };
    const before = new DataSource({
      ...options,
      migrations: (options.migrations as unknown[]).filter(
        (m) => m !== JpOncePerCourse1765670400000,
      ) as typeof options.migrations,
    });
    try {
      await before.initialize();
      await before.runMigrations();
      const at = '2026-03-01 08:00:00.000';
      const run = (sql: string, values: unknown[]) => before.query(sql, values);
      await run(
        'INSERT INTO users (id, name, role, sectors, passwordHash, active, mustChangePassword, failedLogins, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['u-1', 'Pelajar Lama', 'asn', '[]', 'x', 1, 0, 0, at, at],
      );
      for (const v of [1, 2]) {
        await run(
          'INSERT INTO courses (id, code, version, status, sector, title, summary, objectives, competencies, jp, durationMinutes, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            `c-${v}`,
            'LAMA-01',
            v,
            v === 1 ? 'archived' : 'published',
            'health',
            'Lama',
            '',
            '[]',
            '[]',
            4,
            180,
            at,
            at,
          ],
        );
        await run(
          'INSERT INTO enrollments (id, userId, courseId, status, enrolledAt, completedAt) VALUES (?, ?, ?, ?, ?, ?)',
          [`e-${v}`, 'u-1', `c-${v}`, 'completed', at, `2026-0${v + 3}-01 08:00:00.000`],
        );
        await run(
          'INSERT INTO jp_credits (id, userId, year, jp, source, sourceId, title, startedAt, completedAt, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            `j-${v}`,
            'u-1',
            2026,
            4,
            'course',
            `e-${v}`,
            'Lama',
            at,
            `2026-0${v + 3}-01 08:00:00.000`,
            at,
          ],
        );
      }
      await before.destroy();
      const after = new DataSource(options);
      await after.initialize();
      try {
        await after.runMigrations();
        const rows = await after
          .getRepository(JpCredit)
          .find({ where: { userId: 'u-1' }, order: { completedAt: 'ASC' } });
        expect(
          rows.map((r) => [
            Number(r.jp),
            r.courseCode,
            r.courseVersion,
            r.creditKey,
            r.refusedVersion,
          ]),
        ).toEqual([
          [4, 'LAMA-01', 1, 'LAMA-01', null],
          [0, 'LAMA-01', 2, null, 1],
        ]);
        // The holder is told, in Bahasa Indonesia, why the JP went.
        const notices = await after.getRepository(Notification).findBy({ userId: 'u-1' });
        expect(notices).toEqual([
          expect.objectContaining({
            kind: 'jp.withdrawn',
            body: expect.stringContaining(
              'tidak dihitung lagi: kursus ini sudah dikreditkan tahun 2026 (versi 1)',
            ),
          }),
        ]);
      } finally {
        await after.destroy();
      }
    } finally {
      if (before.isInitialized) await before.destroy();
      await db.drop();
    }
  });
});
