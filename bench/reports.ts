/**
 * `npm run bench:reports`: generates 10,000 ASN (BENCH_ASN) with enrolments, JP credits,
 * graded attempts with their items and certificates in proportion, then times the data of each
 * dashboard (admin, coordinator, ASN) and the item analysis of the largest assessment, on SQLite
 * and on MariaDB (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306; BENCH_ENGINES picks).
 * Each figure is the minimum and the median of 3 runs after a warm-up; the aim is under 1 s.
 * Prints figures; never fails on speed.
 */
import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
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
import type { AuthUser } from '../src/platform/auth/auth-user.js';
import { Dashboards } from '../src/reporting/dashboards.service.js';
import { ProgrammeReports } from '../src/reporting/programme-reports.service.js';
import { ReportScopes } from '../src/reporting/report-scope.js';
import { WorkforceReports } from '../src/reporting/workforce-reports.service.js';
import { GapReportService } from '../src/competency/gap-report.service.js';

const ASN = Number(process.env.BENCH_ASN ?? 10_000);
const RUNS = 3;
const DAY = 86_400_000;
const QUESTIONS = 20;
const PASS_PERCENT = 70;
const DEFINITION = {
  options: [
    { id: 'a', text: 'A', fraction: 1 },
    { id: 'b', text: 'B', fraction: 0 },
    { id: 'c', text: 'C', fraction: 0 },
  ],
};

const admin: AuthUser = {
  id: randomUUID(),
  role: 'admin',
  sectors: [],
  name: 'Bench Admin',
  mustChangePassword: false,
};
const coordinator: AuthUser = {
  id: randomUUID(),
  role: 'coordinator',
  sectors: ['health'],
  name: 'Bench Koordinator',
  mustChangePassword: false,
};

type Row = Record<string, unknown>;

/** A seeded generator, so both engines get the same shape of data. */
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

/**
 * Inserts through the entity metadata of the table, so JSON, boolean, decimal and date values
 * are encoded as the app encodes them (JSON columns take the values themselves, not text).
 */
async function insertChunks(ds: DataSource, table: string, rows: Row[], size = 500) {
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

const ms = (n: number) => `${n.toFixed(0)} ms`;

async function time(run: () => Promise<unknown>): Promise<{ min: number; median: number }> {
  await run(); // warm-up: statement caches, page cache
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  return { min: runs[0], median: runs[Math.floor(runs.length / 2)] };
}

async function bench(engine: 'sqlite' | 'mysql'): Promise<void> {
  const { dir, url, dbName } = await freshDatabase(engine, 'reports');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: 'b'.repeat(40),
    DEMO_DATA: 'false',
    DATA_DIR: dir,
  });
  const app = await createApp(config, sectors);
  const ds = app.get(DataSource);
  // Rows per INSERT of the big tables. Bigger is slower on both engines: TypeORM's parameter
  // bookkeeping grows faster than the statement (measured: 2,000 rows took 51 s on MariaDB, 500 31 s).
  const big = Number(process.env.BENCH_CHUNK) || 500;
  const random = rng(20_261_128);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const now = new Date();
  const year = now.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  /** A moment of this year before now, at least `before` ms before now. */
  const thisYear = (before = 0) =>
    new Date(yearStart + random() * Math.max(0, now.getTime() - before - yearStart));
  const counts: Record<string, number> = {};
  const load = async (table: string, rows: Row[], size = 500) => {
    await insertChunks(ds, table, rows, size);
    counts[table] = (counts[table] ?? 0) + rows.length;
  };

  try {
    const started = Date.now();
    // Structure: org units, competencies, positions and their standards.
    const units = Array.from({ length: 30 }, (_, i) => ({
      id: randomUUID(),
      code: `BENCH-OPD${i}`,
      name: `Perangkat Daerah ${i}`,
      active: true,
      createdAt: now,
      updatedAt: now,
    }));
    await load('org_units', units);
    const competencies = benchCompetencies(now);
    await load('competencies', competencies);
    const positions = benchPositions(now);
    await load('positions', positions);
    // Six distinct competencies of the position's own sector (3k mod 20 differs for k < 7).
    const requirements = positions.flatMap((p, i) =>
      Array.from({ length: 6 }, (_, k) => ({
        id: randomUUID(),
        positionId: p.id,
        competencyId: competencies[Math.floor(i / 20) * 20 + ((i + 3 * k) % 20)].id,
        requiredLevel: 1 + ((i + k) % 4),
      })),
    );
    await load('position_requirements', requirements);
    const standard = new Map<string, typeof requirements>();
    for (const r of requirements)
      standard.set(r.positionId, [...(standard.get(r.positionId) ?? []), r]);

    // Courses: 10 published per sector, with a few lessons each.
    const courses = SECTOR_KEYS.flatMap((sector, s) =>
      Array.from({ length: 10 }, (_, k) => ({
        id: randomUUID(),
        code: `BENCH-C${s}-${k}`,
        version: 1,
        status: 'published',
        sector,
        title: `Pelatihan ${sector} ${k}`,
        summary: 'Kursus bangku uji',
        objectives: ['Memahami materi'],
        competencies: [{ code: competencies[s * 20 + k].code, level: 1 + (k % 4) }],
        jp: [4, 6, 8, 10, 12][k % 5],
        durationMinutes: 45 * [4, 6, 8, 10, 12][k % 5],
        publishedAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await load('courses', courses);
    await load(
      'lessons',
      courses.flatMap((c) =>
        Array.from({ length: 3 }, (_, k) => ({
          id: randomUUID(),
          courseId: c.id,
          position: k + 1,
          title: `Materi ${k + 1}`,
          kind: 'markdown',
          body: '# Materi',
          required: true,
          durationMinutes: 30,
        })),
      ),
    );

    // Assessments: 2 published per sector, each with its own bank of 20 single-choice questions.
    const assessments: (Row & { id: string; sector: string })[] = [];
    const questionsOf = new Map<string, { id: string; easiness: number }[]>();
    const banks: Row[] = [];
    const questions: Row[] = [];
    const versions: Row[] = [];
    for (const [s, sector] of SECTOR_KEYS.entries()) {
      for (let k = 0; k < 2; k++) {
        const bankId = randomUUID();
        banks.push({
          id: bankId,
          sector,
          name: `Bank ${sector} ${k}`,
          description: 'Bank bangku uji',
          createdAt: now,
          updatedAt: now,
        });
        const list = Array.from({ length: QUESTIONS }, (_, q) => ({
          id: randomUUID(),
          easiness: -0.25 + random() * 0.5,
          q,
        }));
        for (const q of list) {
          questions.push({
            id: q.id,
            bankId,
            name: `Soal ${s}.${k}.${q.q + 1}`,
            type: 'single_choice',
            currentVersion: 1,
            tags: [],
            createdAt: now,
            updatedAt: now,
          });
          versions.push({
            id: randomUUID(),
            questionId: q.id,
            version: 1,
            stem: `Pertanyaan ${q.q + 1}?`,
            definition: DEFINITION,
            points: 1,
            generalFeedback: '',
            usedAt: now,
            createdAt: now,
          });
        }
        const id = randomUUID();
        questionsOf.set(id, list);
        assessments.push({
          id,
          sector,
          title: `Ujian ${sector} ${k + 1}`,
          instructions: 'Kerjakan semua soal.',
          sections: [{ bankId, count: QUESTIONS }],
          shuffle: false,
          timeLimitMinutes: 60,
          maxAttempts: 0,
          scoring: 'highest',
          passPercent: PASS_PERCENT,
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
        });
      }
    }
    await load('question_banks', banks);
    await load('questions', questions);
    await load('question_versions', versions);
    await load('assessments', assessments);

    // Schemes: one active scheme per two positions of a sector.
    const schemes = Array.from({ length: positions.length / 2 }, (_, i) => {
      const [a, b] = [positions[2 * i], positions[2 * i + 1]];
      return {
        id: randomUUID(),
        sector: a.sector,
        code: `BENCH-S${i}`,
        title: `Skema ${a.name}`,
        description: 'Skema bangku uji',
        targetPositions: [a.code, b.code],
        requirements: { courses: [], assessments: [], approval: false, rules: [] },
        attests: [],
        validityMonths: 36,
        renewal: null,
        template: 'certificate',
        numberFormat: DEFAULT_NUMBER_FORMAT,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      };
    });
    await load('certification_schemes', schemes);
    const schemeOf = new Map(schemes.flatMap((s) => s.targetPositions.map((c) => [c, s])));

    // The ASN and everything they did this year.
    const users: Row[] = [];
    const evidence: Row[] = [];
    const enrollments: Row[] = [];
    const credits: Row[] = [];
    const attempts: Row[] = [];
    const items: Row[] = [];
    const certificates: Row[] = [];
    const attemptsPer = new Map<string, number>();
    const asnIds: string[] = [];
    /** ASN with a certificate, an open course and JP: the ASN dashboard's typical reader. */
    const rich = new Set<string>();
    for (let n = 0; n < ASN; n++) {
      const id = randomUUID();
      asnIds.push(id);
      const position = positions[n % positions.length];
      const s = SECTOR_KEYS.indexOf(position.sector);
      const name = `ASN ${n}`;
      const nip = `19${String(n).padStart(16, '0')}`;
      users.push({
        id,
        nip,
        email: `asn${n}@bench.example`,
        name,
        role: 'asn',
        sectors: [],
        orgUnitId: pick(units).id,
        positionId: position.id,
        passwordHash: 'x',
        active: true,
        mustChangePassword: false,
        failedLogins: 0,
        createdAt: now,
        updatedAt: now,
      });
      const standardOf = standard.get(position.id)!;
      for (let k = 0; k < 5; k++)
        evidence.push({
          id: randomUUID(),
          userId: id,
          competencyId: standardOf[k].competencyId,
          level: 1 + Math.floor(random() * 5),
          source: 'manual',
          achievedAt: thisYear(),
          expiresAt: random() < 0.15 ? new Date(now.getTime() - DAY) : null,
          createdAt: now,
        });

      // Three courses of the sector; about 60% completed, some assigned and overdue.
      const first = Math.floor(random() * 10);
      let openCourses = 0;
      for (let k = 0; k < 3; k++) {
        const course = courses[s * 10 + ((first + 3 * k) % 10)];
        const enrolledAt = thisYear(14 * DAY);
        const completed = random() < 0.6;
        if (!completed) openCourses++;
        const completedAt = completed
          ? new Date(
              Math.min(
                now.getTime(),
                enrolledAt.getTime() + (1 + random() * 12) * DAY + random() * DAY,
              ),
            )
          : null;
        const roll = random();
        const dueAt =
          roll < 0.25
            ? new Date(now.getTime() - (1 + random() * 60) * DAY)
            : roll < 0.4
              ? new Date(now.getTime() + (1 + random() * 60) * DAY)
              : null;
        const enrollmentId = randomUUID();
        enrollments.push({
          id: enrollmentId,
          userId: id,
          courseId: course.id,
          status: completed ? 'completed' : 'active',
          assignedBy: dueAt ? admin.id : null,
          dueAt,
          enrolledAt,
          completedAt,
        });
        if (completedAt)
          credits.push({
            id: randomUUID(),
            userId: id,
            year,
            jp: course.jp,
            source: 'course',
            sourceId: enrollmentId,
            title: course.title,
            startedAt: enrolledAt,
            completedAt,
            createdAt: completedAt,
          });
      }

      // One graded attempt at an exam of the sector (the first exam takes 60% of them).
      const assessment = assessments[s * 2 + (random() < 0.6 ? 0 : 1)];
      attemptsPer.set(assessment.id, (attemptsPer.get(assessment.id) ?? 0) + 1);
      const attemptId = randomUUID();
      const startedAt = thisYear(DAY);
      const submittedAt = new Date(startedAt.getTime() + (10 + random() * 45) * 60_000);
      const ability = 0.35 + random() * 0.6;
      let correct = 0;
      for (const [slot, q] of questionsOf.get(assessment.id)!.entries()) {
        const answered = random() > 0.02;
        const right = answered && random() < Math.min(0.98, Math.max(0.02, ability + q.easiness));
        if (right) correct++;
        items.push({
          id: randomUUID(),
          attemptId,
          slot: slot + 1,
          questionId: q.id,
          questionVersion: 1,
          type: 'single_choice',
          points: 1,
          listOrder: {},
          response: answered ? (right ? 'a' : random() < 0.5 ? 'b' : 'c') : null,
          responseSeq: answered ? 1 : 0,
          answeredAt: answered ? submittedAt : null,
          flagged: false,
          fraction: right ? 1 : 0,
          score: right ? 1 : 0,
          gradedAt: submittedAt,
        });
      }
      const percent = Math.round((correct / QUESTIONS) * 10_000) / 100;
      attempts.push({
        id: attemptId,
        assessmentId: assessment.id,
        userId: id,
        number: 1,
        openKey: null,
        status: 'graded',
        startedAt,
        deadline: new Date(startedAt.getTime() + 60 * 60_000),
        submittedAt,
        score: correct,
        maxScore: QUESTIONS,
        percent,
        passed: percent >= PASS_PERCENT,
        gradedAt: submittedAt,
      });

      // About 40% hold the certificate of the scheme that targets their position.
      if (random() < 0.4) {
        const scheme = schemeOf.get(position.code)!;
        if (openCourses && openCourses < 3) rich.add(id);
        const expiresAt = new Date(now.getTime() + (1 + random() * 729) * DAY);
        const issuedAt = new Date(expiresAt.getTime() - 3 * 365 * DAY);
        const seq = certificates.length + 1;
        certificates.push({
          id: randomUUID(),
          schemeId: scheme.id,
          userId: id,
          number: `${seq}/SERT-${position.sector.toUpperCase()}/${scheme.code}/BKPSDM-PSP/${issuedAt.getUTCFullYear()}`,
          year: issuedAt.getUTCFullYear(),
          seq,
          code: randomUUID().replaceAll('-', '').toUpperCase(),
          issueKey: `${scheme.id}:${id}:first`,
          status: 'active',
          issuedAt,
          expiresAt,
          holderName: name,
          holderNip: nip,
          snapshot: {
            schemeCode: scheme.code,
            schemeTitle: scheme.title,
            sector: scheme.sector,
            sectorName: scheme.sector,
            competencies: [],
          },
        });
      }
    }

    // Exams being sat now: 100 open attempts (at the sector's other exam), items unanswered.
    for (let n = 0; n < Math.min(100, ASN); n++) {
      const position = positions[n % positions.length];
      const s = SECTOR_KEYS.indexOf(position.sector);
      const graded = attempts[n].assessmentId as string;
      const assessment = assessments.find((a, i) => Math.floor(i / 2) === s && a.id !== graded)!;
      const attemptId = randomUUID();
      const startedAt = new Date(now.getTime() - (5 + random() * 20) * 60_000);
      attempts.push({
        id: attemptId,
        assessmentId: assessment.id,
        userId: asnIds[n],
        number: 1,
        openKey: `${assessment.id}:${asnIds[n]}`,
        status: 'in_progress',
        startedAt,
        deadline: new Date(startedAt.getTime() + 60 * 60_000),
        maxScore: QUESTIONS,
      });
      for (const [slot, q] of questionsOf.get(assessment.id)!.entries())
        items.push({
          id: randomUUID(),
          attemptId,
          slot: slot + 1,
          questionId: q.id,
          questionVersion: 1,
          type: 'single_choice',
          points: 1,
          listOrder: {},
          response: null,
          responseSeq: 0,
          flagged: false,
        });
    }

    await load('users', users, big);
    await load('evidence', evidence, big);
    await load('enrollments', enrollments, big);
    await load('jp_credits', credits, big);
    await load('attempts', attempts, big);
    await load('attempt_items', items, big);
    await load('certificates', certificates, big);
    const loadSeconds = (Date.now() - started) / 1000;

    // The timings.
    const dashboards = app.get(Dashboards);
    const programmes = app.get(ProgrammeReports);
    const workforce = app.get(WorkforceReports);
    const gapReport = app.get(GapReportService);
    const scopes = app.get(ReportScopes);
    const adminScope = await scopes.resolve(admin, {});
    const coordinatorScope = await scopes.resolve(coordinator, {});
    const [largest] = [...attemptsPer.entries()].sort((a, b) => b[1] - a[1]);
    const reader = Math.max(
      0,
      asnIds.findIndex((id, n) => n >= ASN / 2 && rich.has(id)),
    );
    const asnUser: AuthUser = {
      id: asnIds[reader],
      role: 'asn',
      sectors: [],
      name: `ASN ${reader}`,
      mustChangePassword: false,
    };
    const checks = {
      admin: await dashboards.admin(admin, await scopes.resolve(admin, {})),
      coordinator: await dashboards.coordinator(await scopes.resolve(coordinator, {})),
      items: await programmes.items(adminScope, largest[0]),
      asn: await dashboards.asn(asnUser),
    };
    const required: [string, () => Promise<unknown>][] = [
      ['admin dashboard', async () => dashboards.admin(admin, await scopes.resolve(admin, {}))],
      [
        'coordinator dashboard (health)',
        async () => dashboards.coordinator(await scopes.resolve(coordinator, {})),
      ],
      [`item analysis (${largest[1]} attempts)`, () => programmes.items(adminScope, largest[0])],
      ['ASN dashboard', () => dashboards.asn(asnUser)],
    ];
    const parts: [string, () => Promise<unknown>][] = [
      ['workforce', () => workforce.workforce(adminScope)],
      ['certification coverage', () => workforce.certificationCoverage(adminScope)],
      ['JP compliance', () => workforce.jpCompliance(adminScope)],
      ['gap heatmap', () => gapReport.heatmap(admin, adminScope.now, adminScope)],
      ['expiring certificates', () => workforce.expiringCertificates(adminScope)],
      ['live exams', () => workforce.liveExams(adminScope)],
      ['courses (all sectors)', () => programmes.courses(adminScope)],
      ['assessments (all sectors)', () => programmes.assessments(adminScope)],
      ['courses (health)', () => programmes.courses(coordinatorScope)],
      ['assessments (health)', () => programmes.assessments(coordinatorScope)],
    ];
    const timed = async (list: [string, () => Promise<unknown>][]) => {
      const out: [string, { min: number; median: number }][] = [];
      for (const [name, run] of list) out.push([name, await time(run)]);
      return out;
    };
    const main = await timed(required);
    const detail = await timed(parts);

    const rows = (list: [string, { min: number; median: number }][]) =>
      list
        .map(
          ([name, t]) =>
            `  ${name.padEnd(34)} ${ms(t.min).padStart(9)} ${ms(t.median).padStart(9)}${t.median >= 1000 ? '  (over 1 s)' : ''}`,
        )
        .join('\n');
    console.log(
      [
        '',
        `== ${engine === 'mysql' ? 'MariaDB' : 'SQLite'} ==`,
        `  rows: ${counts.users} ASN, ${counts.evidence} evidence, ${counts.enrollments} enrolments, ${counts.jp_credits} JP credits,`,
        `        ${counts.attempts} attempts (${counts.attempts - ASN} in progress), ${counts.attempt_items} attempt items, ${counts.certificates} certificates`,
        `  loaded in ${loadSeconds.toFixed(1)} s`,
        `  checks: admin ${checks.admin.totals.asn} ASN, ${checks.admin.totals.percentCovered}% covered, ${checks.admin.totals.percentJpCompliant}% JP-compliant, ${checks.admin.totals.expiring} expiring, ${checks.admin.totals.sitting} sitting;`,
        `          coordinator ${checks.coordinator.courses.length} courses, ${checks.coordinator.assessments.length} exams; items ${checks.items.attempts} attempts x ${checks.items.items.length} questions;`,
        `          ASN ${checks.asn.jp.total} JP, ${checks.asn.courses.length} open courses, ${checks.asn.certificates.length} certificates`,
        `  ${'dashboard'.padEnd(34)} ${'min'.padStart(9)} ${'median'.padStart(9)}   (${RUNS} runs after a warm-up)`,
        rows(main),
        `  ${'parts (admin scope unless named)'.padEnd(34)}`,
        rows(detail),
      ].join('\n'),
    );
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'mysql') {
      const conn = await mysql.createConnection(mysqlBase);
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
    }
  }
}

async function run(): Promise<void> {
  const t0 = Date.now();
  for (const engine of (process.env.BENCH_ENGINES ?? 'sqlite,mysql').split(',') as (
    'sqlite' | 'mysql'
  )[])
    await bench(engine);
  console.log(`\nTotal run ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
