/**
 * `npm run bench:development`: generates 10,000 ASN (BENCH_ASN) in 40 org units in a tree,
 * each with this year's development plan (3–6 items, mostly agreed), enrolments and JP credits
 * for a realistic share, pre-test and final attempts on each course's assessment (pass rate and
 * learning gain), schemes requiring courses and an assessment, about 3,000 certificates,
 * reaction, behaviour and baseline answers, budgets and indicators, with multi-row INSERTs on a fresh MariaDB database
 * (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306; BENCH_ENGINES=sqlite,mysql picks).
 * Then, over HTTP as an admin, times the agency plan and the impact report (JSON and xlsx)
 * and `/health/live` as the floor: a warm-up, then the median and p95 of BENCH_RUNS (10).
 * A route that answers 404 (not built yet) is printed as such. Prints figures; never fails
 * on speed. BENCH_KEEP=1 keeps the MariaDB database afterwards (for EXPLAIN); BENCH_SQL=<file>
 * runs its statements (one a line) after the load, to try an index before writing its migration.
 */
import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { sectors } from '../modules/index.js';
import {
  freshDatabase,
  mysqlBase,
  SECTOR_KEYS,
  benchCompetencies,
  benchPositions,
} from './bench-database.js';
import { createApp } from '../src/app.factory.js';
import { DEFAULT_NUMBER_FORMAT } from '../src/certification/certification.entity.js';
import { loadConfig } from '../src/config/app-config.js';
import { PasswordService } from '../src/platform/auth/password.service.js';

const ASN = Number(process.env.BENCH_ASN ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const MODES = ['classical', 'e-learning', 'blended', 'on-the-job'];
const DAY = 86_400_000;
const ADMIN_PASSWORD = 'Bangku-Uji-Rencana-2026';

type Row = Record<string, unknown>;

/** A seeded generator, so every run gets the same shape of data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Multi-row INSERTs through the entity metadata (JSON, booleans, decimals, dates as the app writes them). */
async function insertChunks(ds: DataSource, table: string, rows: Row[], size: number) {
  for (let i = 0; i < rows.length; i += size) {
    await ds
      .createQueryBuilder()
      .insert()
      .into(table)
      .values(rows.slice(i, i + size))
      .updateEntity(false)
      .callListeners(false)
      .execute();
  }
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Nearest-rank percentile of sorted samples. */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

interface Timing {
  status: number;
  bytes: number;
  median: number;
  p95: number;
  min: number;
}

async function timeGet(url: string, token: string | null): Promise<Timing> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const once = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    return { status: res.status, bytes: body.byteLength, ms: performance.now() - t0 };
  };
  const warm = await once(); // warm-up: statement caches, page cache, lazy modules
  if (warm.status === 404 || warm.status >= 500)
    return { status: warm.status, bytes: warm.bytes, median: NaN, p95: NaN, min: NaN };
  await once();
  const runs: number[] = [];
  let last = warm;
  for (let i = 0; i < RUNS; i++) {
    last = await once();
    runs.push(last.ms);
  }
  runs.sort((a, b) => a - b);
  return {
    status: last.status,
    bytes: last.bytes,
    median: percentile(runs, 50),
    p95: percentile(runs, 95),
    min: runs[0],
  };
}

async function bench(engine: 'sqlite' | 'mysql'): Promise<void> {
  const { dir, url, dbName } = await freshDatabase(engine, 'development');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: 'b'.repeat(40),
    DEMO_DATA: 'false',
    CONTENT_SYNC: 'false',
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
  });
  const app = await createApp(config, sectors);
  const ds = app.get(DataSource);
  const chunk = Number(process.env.BENCH_CHUNK) || 500;
  const random = rng(20_261_204);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const now = new Date();
  // The plan's year is the one in Asia/Jakarta (UTC+7).
  const year = new Date(now.getTime() + 7 * 3_600_000).getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1) - 7 * 3_600_000;
  const thisYear = () => new Date(yearStart + random() * (now.getTime() - yearStart));
  const dayOf = (d: Date) => new Date(`${d.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const counts: Record<string, number> = {};
  const load = async (table: string, rows: Row[]) => {
    await insertChunks(ds, table, rows, chunk);
    counts[table] = (counts[table] ?? 0) + rows.length;
  };

  try {
    const started = Date.now();
    // 40 org units: 5 dinas at the top, 7 bidang or puskesmas under each.
    const tops = Array.from({ length: 5 }, (_, i) => ({
      id: randomUUID(),
      code: `BENCH-OPD${i}`,
      name: `Perangkat Daerah ${i}`,
      parentId: null as string | null,
      active: true,
      createdAt: now,
      updatedAt: now,
    }));
    const children = tops.flatMap((top, i) =>
      Array.from({ length: 7 }, (_, k) => ({
        id: randomUUID(),
        code: `BENCH-OPD${i}-${k}`,
        name: `Bidang ${k} Perangkat Daerah ${i}`,
        parentId: top.id,
        active: true,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const units = [...tops, ...children];
    await load('org_units', units);

    const competencies = benchCompetencies(now);
    await load('competencies', competencies);
    const positions = benchPositions(now);
    await load('positions', positions);

    // Courses: 10 published per sector, each with a cost and a mode.
    const courses = SECTOR_KEYS.flatMap((sector, s) =>
      Array.from({ length: 10 }, (_, k) => {
        const jp = [4, 6, 8, 10, 12][k % 5];
        return {
          id: randomUUID(),
          code: `BENCH-C${s}-${k}`,
          version: 1,
          status: 'published',
          sector,
          title: `Pelatihan ${sector} ${k}`,
          summary: 'Kursus bangku uji',
          objectives: ['Memahami materi'],
          competencies: [{ code: competencies[s * 20 + k].code, level: 1 + (k % 4) }],
          jp,
          durationMinutes: 45 * jp,
          costIdr: k % 3 === 0 ? 0 : jp * 150_000,
          deliveryMode: MODES[k % MODES.length],
          preTest: k % 2 === 0,
          publishedAt: now,
          createdAt: now,
          updatedAt: now,
        };
      }),
    );
    await load('courses', courses);
    // One final assessment per course, sat from its last lesson (the pass rate and the gain).
    const assessments = courses.map((c) => ({
      id: randomUUID(),
      sector: c.sector,
      title: `Ujian ${c.title}`,
      instructions: '',
      sections: [],
      shuffle: false,
      timeLimitMinutes: 60,
      maxAttempts: 0,
      scoring: 'highest',
      passPercent: 70,
      opensAt: null,
      closesAt: null,
      audience: { everyone: true },
      reviewPolicy: 'score',
      reviewAfterClose: false,
      attests: [],
      layout: 'all',
      status: 'published',
      createdAt: now,
      updatedAt: now,
    }));
    await load('assessments', assessments);
    const assessmentOf = new Map(courses.map((c, i) => [c.id, assessments[i].id]));
    await load(
      'lessons',
      courses.map((c, i) => ({
        id: randomUUID(),
        courseId: c.id,
        position: 1,
        section: null,
        title: 'Ujian akhir',
        kind: 'assessment',
        assessmentId: assessments[i].id,
        required: true,
        durationMinutes: 60,
      })),
    );
    // Schemes: one per two positions, attesting two competencies of the sector.
    const schemes = Array.from({ length: positions.length / 2 }, (_, i) => {
      const [a, b] = [positions[2 * i], positions[2 * i + 1]];
      const s = SECTOR_KEYS.indexOf(a.sector);
      return {
        id: randomUUID(),
        sector: a.sector,
        code: `BENCH-S${i}`,
        title: `Skema ${a.name}`,
        description: 'Skema bangku uji',
        targetPositions: [a.code, b.code],
        // Two of the sector's courses and the first one's assessment, as a scheme asks.
        requirements: {
          courses: [courses[s * 10 + (i % 10)].code, courses[s * 10 + ((i + 5) % 10)].code],
          assessments: [{ assessmentId: assessments[s * 10 + (i % 10)].id, minPercent: 70 }],
          approval: false,
          rules: [],
        },
        attests: [0, 1].map((k) => ({
          competencyCode: competencies[s * 20 + ((i + k * 7) % 20)].code,
          level: 2,
        })),
        validityMonths: 36,
        renewal: null,
        costIdr: 1_500_000 + (i % 4) * 500_000,
        deliveryMode: 'classical',
        evaluationDays: 90,
        template: 'certificate',
        numberFormat: DEFAULT_NUMBER_FORMAT,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      };
    });
    await load('certification_schemes', schemes);
    const schemeOf = new Map(schemes.flatMap((s) => s.targetPositions.map((c) => [c, s])));

    // The admin who reads the reports over HTTP.
    const passwordHash = await app.get(PasswordService).hash(ADMIN_PASSWORD);
    const adminId = randomUUID();
    const users: Row[] = [
      {
        id: adminId,
        nip: null,
        email: 'admin@bench.example',
        name: 'Bench Admin',
        role: 'admin',
        sectors: [],
        orgUnitId: tops[0].id,
        positionId: null,
        passwordHash,
        active: true,
        mustChangePassword: false,
        failedLogins: 0,
        createdAt: now,
        updatedAt: now,
      },
    ];
    const plans: Row[] = [];
    const items: Row[] = [];
    const enrollments: Row[] = [];
    const attempts: Row[] = [];
    const credits: Row[] = [];
    const certificates: Row[] = [];
    const evaluations: Row[] = [];
    const responses: Row[] = [];
    const reactionKinds = { n: 0 };
    let supervisorId: string | null = null;
    for (let n = 0; n < ASN; n++) {
      const id = randomUUID();
      const position = positions[n % positions.length];
      const s = SECTOR_KEYS.indexOf(position.sector);
      // One in 12 leads the next eleven (their direct supervisor).
      if (n % 12 === 0) supervisorId = null;
      const name = `ASN ${n}`;
      const nip = `19${String(n).padStart(16, '0')}`;
      users.push({
        id,
        nip,
        email: null,
        name,
        role: 'asn',
        sectors: [],
        orgUnitId: pick(units).id,
        positionId: position.id,
        supervisorId,
        passwordHash: 'x',
        active: true,
        mustChangePassword: false,
        failedLogins: 0,
        createdAt: now,
        updatedAt: now,
      });
      const decider = supervisorId ?? adminId;
      if (n % 12 === 0) supervisorId = id;

      // The plan: 80% agreed, then submitted, returned and draft.
      const roll = random();
      const status =
        roll < 0.8 ? 'agreed' : roll < 0.9 ? 'submitted' : roll < 0.95 ? 'returned' : 'draft';
      const planId = randomUUID();
      const decided = status === 'agreed' || status === 'returned';
      const submittedAt = status === 'draft' ? null : thisYear();
      plans.push({
        id: planId,
        userId: id,
        year,
        status,
        returnReason: status === 'returned' ? 'Tambahkan pelatihan teknis bidang Anda.' : null,
        submittedAt,
        decidedAt: decided ? submittedAt : null,
        decidedById: decided ? decider : null,
        decidedAsAdmin: decided ? decider === adminId : null,
        createdAt: now,
        updatedAt: now,
      });
      const count = 3 + Math.floor(random() * 4);
      const first = Math.floor(random() * 10);
      const planned: string[] = [];
      const planCodes: string[] = [];
      for (let k = 0; k < count; k++) {
        const isScheme = k === count - 1 && random() < 0.3;
        const course = courses[s * 10 + ((first + 3 * k) % 10)];
        const scheme = schemeOf.get(position.code)!;
        const code = isScheme ? scheme.code : course.code;
        if (planned.includes(code)) continue;
        planned.push(code);
        const competencyCode = isScheme
          ? scheme.attests[0].competencyCode
          : course.competencies[0].code;
        planCodes.push(competencyCode);
        items.push({
          id: randomUUID(),
          planId,
          kind: isScheme ? 'scheme' : 'course',
          refId: isScheme ? scheme.id : course.id,
          code,
          title: isScheme ? scheme.title : course.title,
          sector: position.sector,
          competencyCode,
          jp: isScheme ? 0 : course.jp,
          costIdr: isScheme ? scheme.costIdr : course.costIdr,
          deliveryMode: isScheme ? scheme.deliveryMode : course.deliveryMode,
          status: random() < 0.05 ? 'dropped' : 'planned',
          origin: random() < 0.9 ? 'proposed' : 'added',
          reason: null,
          doneAt: null,
          position: k,
          createdAt: now,
          updatedAt: now,
        });
        // About 55% of the planned courses are done this year: enrolment, JP, a reaction (70%);
        // 20% more are under way. Each sitter took the pre-test (where the course has one),
        // then the final assessment, a third of them twice.
        const done = random();
        if (!isScheme && done < 0.75) {
          const startedAt = thisYear();
          const assessmentId = assessmentOf.get(course.id)!;
          const sit = (purpose: 'pretest' | null, number: number, percent: number) =>
            attempts.push({
              id: randomUUID(),
              assessmentId,
              userId: id,
              number,
              openKey: null,
              purpose,
              status: 'graded',
              startedAt: new Date(startedAt.getTime() + number * 3_600_000),
              deadline: null,
              submittedAt: startedAt,
              score: percent,
              maxScore: 100,
              percent,
              passed: purpose ? null : percent >= 70,
              gradedAt: startedAt,
              sessionId: null,
              pausedAt: null,
              voidedFor: null,
              deviceSession: null,
            });
          const pre = 20 + Math.round(random() * 50);
          if (course.preTest) sit('pretest', 1, pre);
          sit(null, 2, Math.min(100, pre + Math.round(random() * 50)));
          if (random() < 0.33) sit(null, 3, Math.min(100, pre + 10 + Math.round(random() * 50)));
          if (done >= 0.55)
            enrollments.push({
              id: randomUUID(),
              userId: id,
              courseId: course.id,
              status: 'active',
              assignedBy: null,
              dueAt: null,
              enrolledAt: startedAt,
              completedAt: null,
            });
        }
        if (!isScheme && done < 0.55) {
          const enrolledAt = thisYear();
          const completedAt = new Date(
            Math.min(now.getTime(), enrolledAt.getTime() + (1 + random() * 20) * DAY),
          );
          const enrollmentId = randomUUID();
          enrollments.push({
            id: enrollmentId,
            userId: id,
            courseId: course.id,
            status: 'completed',
            assignedBy: null,
            dueAt: null,
            enrolledAt,
            completedAt,
          });
          credits.push({
            id: randomUUID(),
            userId: id,
            year,
            jp: course.jp,
            source: 'course',
            sourceId: enrollmentId,
            title: course.title,
            courseCode: course.code,
            courseVersion: 1,
            creditKey: course.code,
            startedAt: enrolledAt,
            completedAt,
            createdAt: completedAt,
          });
          const answered = random() < 0.7;
          evaluations.push({
            id: randomUUID(),
            kind: 'reaction',
            dedupeKey: `reaction:${enrollmentId}`,
            recipientId: id,
            subjectUserId: id,
            courseId: course.id,
            competencyCodes: [],
            year,
            status: answered ? 'answered' : 'pending',
            dueAt: completedAt,
            answeredAt: answered ? completedAt : null,
            createdAt: completedAt,
          });
          if (answered) {
            reactionKinds.n++;
            responses.push({
              id: randomUUID(),
              kind: 'reaction',
              evaluationId: null,
              subjectUserId: null,
              courseId: course.id,
              ratings: { '0': 3 + (n % 3), '1': 4, '2': 2 + (k % 4), '3': 4 },
              comment: random() < 0.3 ? 'Materinya bermanfaat.' : null,
              year,
              createdAt: dayOf(completedAt),
            });
          }
        }
      }

      // The decider's baseline on an agreed plan.
      if (status === 'agreed') {
        const evaluationId = randomUUID();
        const codes = [...new Set(planCodes)];
        const at = submittedAt ?? now;
        evaluations.push({
          id: evaluationId,
          kind: 'baseline',
          dedupeKey: `baseline:${planId}`,
          recipientId: decider,
          subjectUserId: id,
          planId,
          competencyCodes: codes,
          year,
          status: 'answered',
          dueAt: at,
          answeredAt: at,
          createdAt: at,
        });
        responses.push({
          id: randomUUID(),
          kind: 'baseline',
          evaluationId,
          subjectUserId: id,
          ratings: Object.fromEntries(codes.map((c) => [c, 1 + Math.floor(random() * 3)])),
          comment: null,
          year,
          createdAt: at,
        });
      }

      // About 30% hold their position's certificate (3,000 of 10,000), most issued last year.
      if (random() < 0.3) {
        const scheme = schemeOf.get(position.code)!;
        const issuedAt =
          random() < 0.4 ? thisYear() : new Date(yearStart - (30 + random() * 300) * DAY);
        const seq = certificates.length + 1;
        const certificateId = randomUUID();
        certificates.push({
          id: certificateId,
          schemeId: scheme.id,
          userId: id,
          number: `${seq}/SERT/${scheme.code}/BKPSDM-PSP/${issuedAt.getUTCFullYear()}`,
          year: issuedAt.getUTCFullYear(),
          seq,
          code: randomUUID().replaceAll('-', '').toUpperCase(),
          issueKey: `${scheme.id}:${id}:first`,
          status: 'active',
          issuedAt,
          expiresAt: new Date(issuedAt.getTime() + 3 * 365 * DAY),
          holderName: name,
          holderNip: nip,
          snapshot: {
            schemeCode: scheme.code,
            schemeTitle: scheme.title,
            sector: scheme.sector,
            sectorName: scheme.sector,
            competencies: scheme.attests,
          },
        });
        // 90 days on: the holder's and the supervisor's rating, when due this year (80% answered).
        const dueAt = new Date(issuedAt.getTime() + 90 * DAY);
        if (dueAt.getTime() < now.getTime() && dueAt.getTime() >= yearStart) {
          const raters: [string, string][] = [['behaviour_self', id]];
          if (decider !== adminId) raters.push(['behaviour_supervisor', decider]);
          for (const [kind, recipientId] of raters) {
            const answered = random() < 0.8;
            const evaluationId = randomUUID();
            evaluations.push({
              id: evaluationId,
              kind,
              dedupeKey: `${kind}:${certificateId}`,
              recipientId,
              subjectUserId: id,
              schemeId: scheme.id,
              certificateId,
              competencyCodes: scheme.attests.map((a) => a.competencyCode),
              year,
              status: answered ? 'answered' : 'pending',
              dueAt,
              answeredAt: answered ? dueAt : null,
              createdAt: dueAt,
            });
            if (answered)
              responses.push({
                id: randomUUID(),
                kind,
                evaluationId,
                subjectUserId: id,
                schemeId: scheme.id,
                certificateId,
                ratings: Object.fromEntries(
                  scheme.attests.map((a) => [a.competencyCode, 2 + Math.floor(random() * 4)]),
                ),
                comment: 'Menerapkan prosedur baru di unit kerja.',
                year,
                createdAt: dueAt,
              });
          }
        }
      }
    }

    await load('users', users);
    await load('development_plans', plans);
    await load('development_plan_items', items);
    await load('enrollments', enrollments);
    await load('attempts', attempts);
    await load('jp_credits', credits);
    await load('certificates', certificates);
    await load('evaluations', evaluations);
    await load('evaluation_responses', responses);
    // A ceiling for each unit; one in five below what its agreed plans cost.
    await load(
      'org_unit_budgets',
      units.map((u, i) => ({
        id: randomUUID(),
        orgUnitId: u.id,
        year,
        ceilingIdr: i % 5 === 0 ? 5_000_000 : 250_000_000,
        updatedById: adminId,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await load(
      'programme_indicators',
      schemes.slice(0, 12).map((scheme, i) => ({
        id: randomUUID(),
        orgUnitId: tops[i % tops.length].id,
        year,
        schemeId: scheme.id,
        courseId: null,
        name: `Indikator layanan ${i}`,
        unit: i % 2 ? 'hari' : '%',
        baselineValue: i % 2 ? 14 : 40,
        resultValue: i % 2 ? 9 : 55,
        lowerIsBetter: i % 2 === 1,
        source: 'Laporan bulanan unit',
        recordedById: adminId,
        createdAt: now,
        updatedAt: now,
      })),
    );
    // BENCH_SQL=<file>: statements (one a line) run after the load, e.g. an index to try
    // before its migration is written.
    if (process.env.BENCH_SQL)
      for (const statement of readFileSync(process.env.BENCH_SQL, 'utf8').split('\n'))
        if (statement.trim()) await ds.query(statement);
    const loadSeconds = (Date.now() - started) / 1000;

    // Over HTTP, as the admin.
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin@bench.example', password: ADMIN_PASSWORD }),
    });
    if (!login.ok) throw new Error(`admin login answered ${login.status}`);
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const routes: [string, string, string | null][] = [
      ['floor: /health/live', '/health/live', null],
      ['agency plan (JSON)', `/api/v1/reports/development-plan?year=${year}`, token],
      ['agency plan (xlsx)', `/api/v1/reports/development-plan?year=${year}&format=xlsx`, token],
      ['impact (JSON)', `/api/v1/reports/impact?year=${year}`, token],
      ['impact (xlsx)', `/api/v1/reports/impact?year=${year}&format=xlsx`, token],
    ];
    const lines: string[] = [];
    for (const [title, path, auth] of routes) {
      const t = await timeGet(base + path, auth);
      if (t.status === 404) lines.push(`  ${title.padEnd(24)} 404: the route is not there yet`);
      else if (Number.isNaN(t.median))
        lines.push(`  ${title.padEnd(24)} answered ${t.status} (${t.bytes} bytes): not timed`);
      else
        lines.push(
          `  ${title.padEnd(24)} ${ms(t.median).padStart(10)} ${ms(t.p95).padStart(10)} ${ms(t.min).padStart(10)}   ${t.status}, ${(t.bytes / 1024).toFixed(1)} KiB${t.median >= 1000 ? '  (over 1 s)' : ''}`,
        );
    }
    console.log(
      [
        '',
        `== ${engine === 'mysql' ? 'MariaDB' : 'SQLite'}: ${ASN} ASN, year ${year} ==`,
        `  rows: ${units.length} org units (a tree of ${tops.length}), ${counts.users - 1} ASN, ${counts.development_plans} plans, ${counts.development_plan_items} items,`,
        `        ${counts.enrollments} enrolments, ${counts.jp_credits} JP credits, ${counts.attempts} attempts (pre-tests and finals), ${counts.certificates} certificates,`,
        `        ${counts.evaluations} questionnaires, ${counts.evaluation_responses} answers (${reactionKinds.n} reactions), ${counts.org_unit_budgets} budgets, ${counts.programme_indicators} indicators`,
        `  loaded in ${loadSeconds.toFixed(1)} s (${chunk} rows per INSERT)`,
        `  ${'route'.padEnd(24)} ${'median'.padStart(10)} ${'p95'.padStart(10)} ${'min'.padStart(10)}   (${RUNS} runs after a warm-up, over HTTP)`,
        ...lines,
      ].join('\n'),
    );
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'mysql' && process.env.BENCH_KEEP) console.log(`  kept database ${dbName}`);
    else if (engine === 'mysql') {
      const conn = await mysql.createConnection(mysqlBase);
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
    }
  }
}

async function run(): Promise<void> {
  const t0 = Date.now();
  for (const engine of (process.env.BENCH_ENGINES ?? 'mysql').split(',') as ('sqlite' | 'mysql')[])
    await bench(engine);
  console.log(`\nTotal run ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
