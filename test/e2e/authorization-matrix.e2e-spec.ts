import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Evaluation, ProgrammeIndicator } from '../../src/development/development.entity.js';
import { NotificationsService } from '../../src/platform/notifications/notifications.service.js';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { aNip } from '../helpers/nip.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

/*
 * Every API route in the OpenAPI document × every kind of caller, against the statuses
 * reviewed in test/e2e/authorization-matrix.md. A route missing from the table fails, so no
 * route ships without someone deciding who may call it. `MATRIX_UPDATE=1` rewrites the table
 * from what the app answers (keeping the notes): review its diff like code.
 *
 * The world is the demo data: the health sector's coordinator, two health ASN (the owner of
 * the records used, and another), the education coordinator as the other sector's, the
 * admin. Bodies are `{}`: a caller who passes authorisation meets validation (400), so the
 * table tells "allowed" from "refused" without changing much. The few routes that act
 * without a body aim at spare records, so the owner's records stay usable to the end.
 */

const TABLE = fileURLToPath(new URL('./authorization-matrix.md', import.meta.url));
const ROLES = [
  'anonymous',
  'other ASN',
  'other coordinator',
  'owner ASN',
  'coordinator',
  'admin',
] as const;
type Caller = (typeof ROLES)[number];

interface Row {
  route: string;
  expected: Record<Caller, number>;
  note: string;
}

function readTable(): Map<string, Row> {
  const rows = new Map<string, Row>();
  let main = false;
  for (const line of readFileSync(TABLE, 'utf8').split('\n')) {
    // The main table starts at its `| route |` header; the supervisor table comes before it.
    main ||= /^\|\s*route\s*\|/.test(line);
    if (!main) continue;
    const cells = line.split('|').map((c) => c.trim());
    const route = (cells[1] ?? '').replaceAll('`', '');
    if (!/^(GET|POST|PUT|PATCH|DELETE) \//.test(route)) continue;
    const expected = Object.fromEntries(ROLES.map((r, i) => [r, Number(cells[2 + i])]));
    rows.set(route, { route, expected: expected as Row['expected'], note: cells[8] ?? '' });
  }
  return rows;
}

function writeTable(rows: Row[]): void {
  // The header row as written here or as prettier pads it: the table is replaced, not appended.
  const head = readFileSync(TABLE, 'utf8')
    .split(/\n\| route +\|/)[0]
    .trimEnd();
  const lines = [
    `| route | ${ROLES.join(' | ')} | note |`,
    `| --- | ${ROLES.map(() => '---').join(' | ')} | --- |`,
    ...rows.map(
      (r) => `| \`${r.route}\` | ${ROLES.map((c) => r.expected[c]).join(' | ')} | ${r.note} |`,
    ),
  ];
  writeFileSync(TABLE, `${head}\n\n${lines.join('\n')}\n`);
}

describe(`authorization matrix (${engine})`, () => {
  let t: TestApp;
  const tokens = new Map<Caller, string>();
  /** Path parameter values by the path segment before them (or a whole-route override). */
  let ids: Record<string, string>;
  /** The owner ASN's supervisor and a supervisor of someone else (ADR 0040). */
  let supervisorTokens: Record<SupervisorCaller, string>;

  beforeAll(async () => {
    t = await bootTestApp({ env: { DEMO_DATA: 'true', CONTENT_SYNC: 'true' } });
    const login = (username: string) => t.tokenFor(username, DEMO_PASSWORD);
    const owner = '199003152015032001'; // health ASN, certified by the demo data
    const other = '198807202014031002'; // health ASN, halfway through a course
    tokens.set('owner ASN', await login(owner));
    tokens.set('other ASN', await login(other));
    tokens.set('coordinator', await login('koordinator.health@demo.sertifikasi.id'));
    tokens.set('other coordinator', await login('koordinator.education@demo.sertifikasi.id'));
    tokens.set('admin', await login('admin@demo.sertifikasi.id'));
    ids = await worldIds(t, owner, tokens.get('coordinator')!);
    const planning = await planningWorld(t, tokens.get('owner ASN')!, ids);
    ids = { ...ids, ...planning.ids };
    supervisorTokens = planning.tokens;
    // The demo data, its packs and the worlds built on them take over a minute on a busy MariaDB.
  }, 240_000);
  afterAll(() => t?.close());

  it('answers every route × caller as the reviewed table says', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    const table = readTable();
    const observed: Row[] = [];
    const mismatches: string[] = [];
    const missing: string[] = [];
    const failures: string[] = [];

    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        route: `${method.toUpperCase()} ${path}`,
        method,
        path,
        hasBody: !!op.requestBody,
      })),
    );
    // Routes that act without a body run last, so what they change cannot sway the rest.
    const acting = (o: (typeof operations)[number]) => o.method !== 'get' && !o.hasBody;
    operations.sort((a, b) => Number(acting(a)) - Number(acting(b)));

    for (const op of operations) {
      const url = fillPath(op.route, op.path, ids);
      const row: Row = {
        route: op.route,
        expected: {} as Row['expected'],
        note: table.get(op.route)?.note ?? '',
      };
      for (const caller of ROLES) {
        const token = tokens.get(caller);
        let req = (token ? t.as(token) : t.http)[op.method as 'get'](url);
        const body = BODIES[op.route]?.(ids);
        if (body?.file) req = req.attach('file', body.file.content, body.file.name);
        else if (body?.text) req = req.type('text/plain').send(body.text);
        else if (body?.json || op.hasBody) req = req.send(body?.json ?? {});
        const res = await req;
        const status = res.status;
        row.expected[caller] = status;
        if (status >= 500) failures.push(`${op.route} as ${caller}: ${status} ${res.text}`);
        const want = table.get(op.route)?.expected[caller];
        if (want !== undefined && want !== status)
          mismatches.push(`${op.route} as ${caller}: expected ${want}, got ${status}`);
      }
      if (!table.has(op.route)) missing.push(op.route);
      observed.push(row);
    }

    const stale = [...table.keys()].filter((r) => !observed.some((o) => o.route === r));
    if (process.env.MATRIX_UPDATE === '1') writeTable(observed);
    console.log(
      `authorization matrix (${engine}): ${observed.length} routes × ${ROLES.length} callers = ${observed.length * ROLES.length} requests`,
    );
    expect({ failures, missing, stale, mismatches }).toEqual({
      failures: [],
      missing: [],
      stale: [],
      mismatches: [],
    });
    // Nothing in the API is open to all: every route refuses someone, except the public ones.
    const open = observed.filter((r) => ROLES.every((c) => r.expected[c] < 400));
    expect(open.map((r) => r.route).every((r) => PUBLIC.some((p) => p.test(r)))).toBe(true);
  });

  it('answers the plan and team routes as the supervisor table says', async () => {
    const rows = readSupervisorTable();
    expect(rows.length).toBeGreaterThan(0);
    const mismatches: string[] = [];
    for (const row of rows) {
      const [method, path] = row.route.split(' ');
      const url = fillPath(row.route, path, ids);
      for (const caller of SUPERVISOR_CALLERS) {
        // Each decision meets a submitted plan, whoever decided before.
        await t.dataSource.query(
          `UPDATE development_plans SET status = 'submitted', returnReason = NULL WHERE id = ?`,
          [ids['plans:id']],
        );
        let req = t.as(supervisorTokens[caller])[method.toLowerCase() as 'get'](url);
        const body = BODIES[row.route]?.(ids);
        if (method !== 'GET' && method !== 'DELETE') req = req.send(body?.json ?? {});
        const res = await req;
        if (res.status !== row.expected[caller])
          mismatches.push(
            `${row.route} as ${caller}: expected ${row.expected[caller]}, got ${res.status}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    // Each supervisor's team is theirs alone.
    const team = await t.as(supervisorTokens.supervisor).get('/api/v1/team').expect(200);
    expect(team.body.map((m: { id: string }) => m.id)).toEqual([ids['users:id']]);
    const other = await t.as(supervisorTokens['other supervisor']).get('/api/v1/team').expect(200);
    expect(other.body.map((m: { id: string }) => m.id)).not.toContain(ids['users:id']);
  });
});

const SUPERVISOR_CALLERS = ['other supervisor', 'supervisor'] as const;
type SupervisorCaller = (typeof SUPERVISOR_CALLERS)[number];

/** The rows of the supervisor table: `| supervisor route | other supervisor | supervisor | note |`. */
function readSupervisorTable(): { route: string; expected: Record<SupervisorCaller, number> }[] {
  const rows: { route: string; expected: Record<SupervisorCaller, number> }[] = [];
  let inside = false;
  for (const line of readFileSync(TABLE, 'utf8').split('\n')) {
    if (/^\|\s*supervisor route\s*\|/.test(line)) inside = true;
    else if (!line.startsWith('|')) inside = false;
    if (!inside) continue;
    const cells = line.split('|').map((c) => c.trim());
    const route = (cells[1] ?? '').replaceAll('`', '');
    if (!/^(GET|POST|PUT|PATCH|DELETE) \//.test(route)) continue;
    rows.push({
      route,
      expected: { 'other supervisor': Number(cells[2]), supervisor: Number(cells[3]) },
    });
  }
  return rows;
}

/**
 * Plans (ADR 0040): the owner ASN gets a supervisor (a new ASN) and a plan with an item they
 * added; another new ASN supervises a spare user. Supervision is a relation, so both are ASN.
 */
async function planningWorld(
  t: TestApp,
  ownerToken: string,
  ids: Record<string, string>,
): Promise<{ ids: Record<string, string>; tokens: Record<SupervisorCaller, string> }> {
  const supervisor = await t.createUser('asn', { sectors: ['health'] });
  const otherSupervisor = await t.createUser('asn', { sectors: ['health'] });
  const report = await t.createUser('asn', { sectors: ['health'] });
  await t.dataSource.query('UPDATE users SET supervisorId = ? WHERE id = ?', [
    supervisor.id,
    ids['users:id'],
  ]);
  await t.dataSource.query('UPDATE users SET supervisorId = ? WHERE id = ?', [
    otherSupervisor.id,
    report.id,
  ]);
  // The demo decided or submitted some plans of this year: the table is about fresh drafts.
  await t.dataSource.query('DELETE FROM development_plans');
  const plan = await t.as(ownerToken).get('/api/v1/me/plan').expect(200);
  const planned = new Set((plan.body.items as { refId: string }[]).map((i) => i.refId));
  const catalogue = await t.as(ownerToken).get('/api/v1/courses').expect(200);
  const course = (catalogue.body as { id: string }[]).find((c) => !planned.has(c.id))!;
  const added = await t
    .as(ownerToken)
    .post('/api/v1/me/plan/items')
    .send({ kind: 'course', refId: course.id })
    .expect(201);
  const item = (added.body.items as { id: string; origin: string }[]).find(
    (i) => i.origin === 'added',
  )!;
  return {
    ids: { 'plans:id': plan.body.id as string, 'items:id': item.id },
    tokens: {
      supervisor: await t.tokenFor(supervisor),
      'other supervisor': await t.tokenFor(otherSupervisor),
    },
  };
}

type Body = { json?: object; text?: string; file?: { name: string; content: Buffer } };
const levels = [1, 2, 3, 4, 5].map((level) => ({
  level,
  description: `Tingkat ${level}`,
  indicators: [`Indikator ${level}`],
}));
const pdf = { name: 'bukti.pdf', content: Buffer.from('%PDF-1.4\n% bukti\n') };
/** The smallest PNG there is: one red pixel. */
const png = {
  name: 'gambar.png',
  content: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGO4wMAAAAKEAUE4P9UAAAAASUVORK5CYII=',
    'base64',
  ),
};

/**
 * Valid bodies where `{}` would stop at validation before the sector or owner check that
 * the row is about: with them, a refused caller is told so (403/404), not "bad body" (400).
 */
const BODIES: Record<string, (ids: Record<string, string>) => Body> = {
  'POST /api/v1/question-banks': () => ({ json: { sector: 'health', name: 'Bank matriks' } }),
  'POST /api/v1/question-banks/{id}/categories': () => ({ json: { name: 'Kategori matriks' } }),
  'POST /api/v1/question-banks/{id}/questions': () => ({
    json: {
      name: 'MATRIKS-1',
      type: 'single_choice',
      stem: 'Pilih yang benar',
      definition: {
        options: [
          { id: 'a', text: 'Benar', fraction: 1 },
          { id: 'b', text: 'Salah', fraction: 0 },
        ],
      },
    },
  }),
  'POST /api/v1/question-banks/{id}/questions/bulk': (ids) => ({
    json: { questionIds: [ids['questions:id']], categoryId: '' },
  }),
  'POST /api/v1/question-banks/{id}/files': () => ({ file: png }),
  'POST /api/v1/question-banks/{id}/import': () => ({
    text: '::MATRIKS-2:: Pernyataan ini benar? {T}',
  }),
  'POST /api/v1/assessments': (ids) => ({
    json: {
      title: 'Ujian matriks',
      sector: 'health',
      sections: [{ bankId: ids['question-banks:id'], count: 1 }],
    },
  }),
  'POST /api/v1/attempts/{id}/extend': () => ({ json: { minutes: 5, reason: 'Uji matriks' } }),
  'POST /api/v1/attempts/{id}/move': () => ({ json: { reason: 'Uji matriks' } }),
  'POST /api/v1/attempts/{id}/void': () => ({ json: { reason: 'Uji matriks' } }),
  'POST /api/v1/assessments/{id}/sessions': () => ({
    json: {
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      location: 'Ruang matriks',
      capacity: 5,
      proctorIds: [],
    },
  }),
  'POST /api/v1/sessions/{id}/candidates': (ids) => ({ json: { nips: [ids['seated:nip']] } }),
  'POST /api/v1/sessions/{id}/candidates/{userId}/absent': () => ({
    json: { reason: 'Uji matriks' },
  }),
  'POST /api/v1/sessions/{id}/candidates/{userId}/release': () => ({
    json: { reason: 'Uji matriks' },
  }),
  'POST /api/v1/sessions/{id}/minutes/corrections': () => ({
    json: { correction: 'Koreksi uji matriks berita acara' },
  }),
  'POST /api/v1/attempts/{id}/answers/{slot}/grade': () => ({ json: { score: 1 } }),
  'POST /api/v1/competencies': () => ({
    json: {
      code: 'KES.MATRIKS',
      title: 'Kompetensi matriks',
      description: 'Uji matriks',
      type: 'teknis',
      sector: 'health',
      levels,
    },
  }),
  'PUT /api/v1/competencies/{code}': (ids) => ({
    json: {
      code: ids.code,
      title: 'Kompetensi matriks',
      description: 'Uji matriks',
      type: 'teknis',
      sector: 'health',
      levels,
    },
  }),
  'POST /api/v1/users/{id}/evidence': (ids) => ({
    json: { competencyCode: ids.code, level: 2, reason: 'Penilaian atasan' },
  }),
  'POST /api/v1/evidence/{id}/attachment': () => ({ file: pdf }),
  'POST /api/v1/courses': () => ({
    json: { sector: 'health', code: 'KES-MATRIKS', title: 'Kursus matriks', jp: 2 },
  }),
  'PUT /api/v1/courses/{id}/lessons/order': (ids) => ({
    json: { lessonIds: [ids['PUT /api/v1/courses/{id}/lessons/order:lessonId']] },
  }),
  'POST /api/v1/courses/{id}/lessons': () => ({
    json: { title: 'Bacaan matriks', kind: 'markdown', body: 'Teks' },
  }),
  'POST /api/v1/courses/{id}/lessons/{lessonId}/file': () => ({ file: pdf }),
  'POST /api/v1/certification-schemes': (ids) => ({
    json: {
      sector: 'health',
      code: 'MATRIKS',
      title: 'Skema matriks',
      requirements: {
        rules: [
          { key: 'health.observed-practice', params: { competencyCode: ids.code, level: 2 } },
        ],
      },
      attests: [{ competencyCode: ids.code, level: 2 }],
    },
  }),
  // A stale confirm: 409 for everyone allowed, which proves the route checked who called first.
  'POST /api/v1/certification-schemes/{id}/activate': () => ({ json: { confirm: 999999 } }),
  'POST /api/v1/certification-schemes/{id}/approvals/{userId}': () => ({
    json: { approved: true, notes: 'Lulus praktik' },
  }),
  'PATCH /api/v1/me/plan/items/{id}': () => ({
    json: { status: 'dropped', reason: 'Uji matriks' },
  }),
  'POST /api/v1/plans/{id}/return': () => ({ json: { reason: 'Uji matriks pengembalian' } }),
};

/**
 * Routes anyone may call: sign-in, the sector list, health, certificate verification, the
 * revocation status lists, the issuer's key set and a supervised session's results board.
 */
const PUBLIC = [
  /^GET \/health/,
  /^GET \/api\/v1\/sectors/,
  /^GET \/api\/v1\/verify\//,
  /^GET \/api\/v1\/status-lists\//,
  /^GET \/\.well-known\/jwks\.json$/,
  /^GET \/api\/v1\/sessions\/\{id\}\/board$/,
  /^POST \/api\/v1\/auth\//,
  /^GET \/api\/v1\/auth\/password-reset$/,
];

function fillPath(route: string, path: string, ids: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    const before = path.slice(0, offset).split('/').filter(Boolean).at(-1) ?? '';
    const value = ids[`${route}:${name}`] ?? ids[`${before}:${name}`] ?? ids[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${route}`);
    return encodeURIComponent(value);
  });
}

/** Ids of the health sector's records, most of them the owner ASN's. */
async function worldIds(
  t: TestApp,
  ownerNip: string,
  coordinator: string,
): Promise<Record<string, string>> {
  const one = async (sql: string, params: unknown[] = []) => {
    const [row] = (await t.dataSource.query(sql, params)) as Record<string, unknown>[];
    if (!row) throw new Error(`The demo data has no row for: ${sql}`);
    return String(Object.values(row)[0]);
  };
  const owner = await one('SELECT id FROM users WHERE nip = ?', [ownerNip]);
  const enrollment = await one(
    `SELECT e.id FROM enrollments e JOIN courses c ON c.id = e.courseId
     WHERE e.userId = ? AND c.sector = 'health' ORDER BY e.id`,
    [owner],
  );
  const course = await one('SELECT courseId FROM enrollments WHERE id = ?', [enrollment]);
  const lesson = await one('SELECT id FROM lessons WHERE courseId = ? ORDER BY position', [course]);
  // A published health course nobody is enrolled in: the target of draft/publish/archive.
  const spareCourse = await one(
    `SELECT id FROM courses WHERE sector = 'health' AND status = 'published'
     AND id NOT IN (SELECT courseId FROM enrollments) ORDER BY code`,
  );
  const attempt = await one(
    `SELECT a.id FROM attempts a JOIN assessments s ON s.id = a.assessmentId
     WHERE a.userId = ? AND s.sector = 'health' ORDER BY a.number`,
    [owner],
  );
  const assessment = await one('SELECT assessmentId FROM attempts WHERE id = ?', [attempt]);
  const bank = await one(`SELECT id FROM question_banks WHERE sector = 'health' ORDER BY name`);
  const question = await one('SELECT id FROM questions WHERE bankId = ? ORDER BY name', [bank]);
  const certificate = await one('SELECT id FROM certificates WHERE userId = ?', [owner]);
  const code = await one('SELECT code FROM certificates WHERE id = ?', [certificate]);
  const scheme = await one('SELECT schemeId FROM certificates WHERE id = ?', [certificate]);
  const positionId = await one('SELECT positionId FROM users WHERE id = ?', [owner]);
  // A position nobody holds: the target of DELETE.
  const sparePosition = await one(
    `SELECT id FROM positions WHERE id NOT IN
     (SELECT positionId FROM users WHERE positionId IS NOT NULL) ORDER BY code`,
  );
  const competency = await one(
    `SELECT code FROM competencies WHERE sector = 'health' ORDER BY code`,
  );
  const orgUnit = await one('SELECT orgUnitId FROM users WHERE id = ?', [owner]);
  const evidence = await one(
    `SELECT id FROM evidence WHERE userId = ? AND source = 'manual' ORDER BY id`,
    [owner],
  );
  // A spare health ASN: the target of deactivate and reactivate.
  const spare = await t.createUser('asn', { sectors: ['health'], orgUnitId: orgUnit });
  // A draft health course with a file lesson: the target of the lesson-editing routes.
  const draft = (
    await t
      .as(coordinator)
      .post('/api/v1/courses')
      .send({ sector: 'health', code: 'KES-MATRIKS-DRAF', title: 'Draf matriks', jp: 1 })
      .expect(201)
  ).body.id as string;
  const fileLesson = (
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${draft}/lessons`)
      .send({ title: 'Berkas', kind: 'file' })
      .expect(201)
  ).body.id as string;
  await t
    .as(coordinator)
    .post(`/api/v1/courses/${draft}/lessons/${fileLesson}/file`)
    .attach('file', pdf.content, pdf.name)
    .expect(200);
  const doomed = (
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${draft}/lessons`)
      .send({ title: 'Dihapus', kind: 'markdown', body: 'Teks' })
      .expect(201)
  ).body.id as string;
  const lessonRoutes = [
    'POST /api/v1/courses/{id}/lessons',
    'PUT /api/v1/courses/{id}/lessons/order',
    'PATCH /api/v1/courses/{id}/lessons/{lessonId}',
    'DELETE /api/v1/courses/{id}/lessons/{lessonId}',
    'POST /api/v1/courses/{id}/lessons/{lessonId}/file',
  ];
  const onDraft = Object.fromEntries(
    lessonRoutes.flatMap((r) => [
      [`${r}:id`, draft],
      [`${r}:lessonId`, fileLesson],
    ]),
  );

  const supervised = await supervisedWorld(t, coordinator, bank, one);
  // A file of the health bank, shown in no attempt: its sector's staff only (ADR 0034).
  const questionFile = (
    await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/files`)
      .attach('file', png.content, png.name)
      .expect(201)
  ).body.name as string;

  await t.app.get(NotificationsService).notify({ userId: owner, kind: 'info', title: 'Uji' });
  const notification = await one('SELECT id FROM notifications WHERE userId = ?', [owner]);

  // A questionnaire waiting for the owner, and an indicator (ADR 0040).
  const evaluation = randomUUID();
  await t.dataSource.getRepository(Evaluation).insert({
    id: evaluation,
    kind: 'reaction',
    dedupeKey: `reaction:${owner}:MATRIX:2026`,
    recipientId: owner,
    subjectUserId: owner,
    courseId: course,
    schemeId: null,
    certificateId: null,
    planId: null,
    competencyCodes: [],
    year: 2026,
    status: 'pending',
    dueAt: new Date(Date.now() - 60_000),
    remindedAt: null,
    answeredAt: null,
    createdAt: new Date(),
  });
  const indicator = randomUUID();
  await t.dataSource.getRepository(ProgrammeIndicator).insert({
    id: indicator,
    orgUnitId: orgUnit,
    year: 2026,
    name: 'Indikator matriks',
    unit: 'hari',
    baselineValue: 10,
    resultValue: null,
    lowerIsBetter: true,
    source: 'Uji matriks',
    schemeId: null,
    courseId: null,
    recordedById: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  return {
    key: 'health',
    code: competency,
    'verify:code': code,
    'status-lists:id': '0',
    report: 'workforce',
    slot: '1',
    'users:id': owner,
    'evaluations:id': evaluation,
    'indicators:id': indicator,
    // Writes to a user aim at the spare one: a password reset would lock the owner out.
    'PATCH /api/v1/users/{id}:id': spare.id,
    'POST /api/v1/users/{id}/reset-password:id': spare.id,
    userId: owner,
    'org-units:id': orgUnit,
    'question-banks:id': bank,
    'questions:id': question,
    'question-files:name': questionFile,
    'assessments:id': assessment,
    'attempts:id': attempt,
    'positions:id': positionId,
    'evidence:id': evidence,
    'courses:id': course,
    lessonId: lesson,
    'enrollments:id': enrollment,
    'lessons:id': fileLesson,
    'certification-schemes:id': scheme,
    'certificates:id': certificate,
    'notifications:id': notification,
    ...onDraft,
    'DELETE /api/v1/courses/{id}/lessons/{lessonId}:lessonId': doomed,
    'POST /api/v1/users/{id}/deactivate:id': spare.id,
    'POST /api/v1/users/{id}/reactivate:id': spare.id,
    'DELETE /api/v1/positions/{id}:id': sparePosition,
    'POST /api/v1/courses/{id}/draft:id': spareCourse,
    'POST /api/v1/courses/{id}/publish:id': spareCourse,
    'POST /api/v1/courses/{id}/archive:id': spareCourse,
    ...supervised,
  };
}

/**
 * A supervised health assessment with two sessions proctored by the other ASN (so that
 * column is the proctor's on the session routes): one open, with a seated candidate who
 * sits (the target of the proctor actions) and one who has not started (absent, release);
 * one closed, with its minutes (the target of the minutes routes). The candidates are spare
 * users, so a move (which ends their sign-ins) or a void touches no caller of the matrix.
 */
async function supervisedWorld(
  t: TestApp,
  coordinator: string,
  bank: string,
  one: (sql: string, params?: unknown[]) => Promise<string>,
): Promise<Record<string, string>> {
  const proctor = await one('SELECT id FROM users WHERE nip = ?', ['198807202014031002']);
  const api = t.as(coordinator);
  const assessment = (
    await api
      .post('/api/v1/assessments')
      .send({
        title: 'Ujian tersupervisi matriks',
        sector: 'health',
        supervised: true,
        timeLimitMinutes: 60,
        sections: [{ bankId: bank, count: 1 }],
      })
      .expect(201)
  ).body.id as string;
  await api.post(`/api/v1/assessments/${assessment}/publish`).expect(200);
  const session = async () =>
    (
      await api
        .post(`/api/v1/assessments/${assessment}/sessions`)
        .send({
          startsAt: new Date(Date.now() - 3_600_000).toISOString(),
          endsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
          location: 'Lab matriks',
          capacity: 10,
          proctorIds: [proctor],
        })
        .expect(201)
    ).body.id as string;
  const open = await session();
  const closed = await session();
  await api.post(`/api/v1/sessions/${closed}/close`).expect(200);
  const sitting = await t.createUser('asn', { nip: aNip(90_001), sectors: ['health'] });
  const seated = await t.createUser('asn', { nip: aNip(90_002), sectors: ['health'] });
  await api
    .post(`/api/v1/sessions/${open}/candidates`)
    .send({ nips: [sitting.nip, seated.nip] })
    .expect(200);
  const pin = (await api.get(`/api/v1/sessions/${open}`).expect(200)).body.pin as string;
  const attempt = (
    await t
      .as(await t.tokenFor(sitting))
      .post(`/api/v1/assessments/${assessment}/attempts`)
      .send({ sessionId: open, pin })
      .expect(201)
  ).body.id as string;
  const minutes = [
    'GET /api/v1/sessions/{id}/minutes',
    'GET /api/v1/sessions/{id}/minutes/versions',
    'POST /api/v1/sessions/{id}/minutes/corrections',
  ];
  const supervision = ['extend', 'pause', 'resume', 'move', 'void'];
  return {
    'sessions:id': open,
    'candidates:userId': seated.id,
    'seated:nip': seated.nip!,
    'POST /api/v1/assessments/{id}/sessions:id': assessment,
    ...Object.fromEntries(minutes.map((r) => [`${r}:id`, closed])),
    ...Object.fromEntries(supervision.map((a) => [`POST /api/v1/attempts/{id}/${a}:id`, attempt])),
  };
}
