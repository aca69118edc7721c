/**
 * `npm run bench:development-reports`: 10,000 ASN (BENCH_ASN) in 40 org units under 8 top
 * units, each with a yearly plan (70 % agreed) of three items, three enrolments, graded
 * attempts with pre-tests, reaction answers, behaviour ratings with baselines, certificates
 * and indicators; then times the agency plan and the impact report (admin and a coordinator)
 * on SQLite and MariaDB (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306; BENCH_ENGINES
 * picks). Minimum and median of 3 runs after a warm-up; the aim is under 2 s. Prints figures.
 */
import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { sectors } from '../modules/index.js';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/app-config.js';
import type { AuthUser } from '../src/platform/auth/auth-user.js';
import { DevelopmentPlanReports } from '../src/reporting/development-plan-report.js';
import { ImpactReports } from '../src/reporting/impact-report.js';

const ASN = Number(process.env.BENCH_ASN ?? 10_000);
const RUNS = 3;
const mysqlBase = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const SECTOR_KEYS = ['health', 'education', 'administration-it'];

const admin: AuthUser = {
  id: randomUUID(),
  role: 'admin',
  sectors: [],
  name: 'Bench Admin',
  mustChangePassword: false,
};
const coordinator: AuthUser = {
  ...admin,
  id: randomUUID(),
  role: 'coordinator',
  sectors: ['health'],
};

type Row = Record<string, unknown>;

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

async function insertChunks(ds: DataSource, table: string, rows: Row[], size = 500) {
  for (let i = 0; i < rows.length; i += size)
    await ds
      .createQueryBuilder()
      .insert()
      .into(table)
      .values(rows.slice(i, i + size))
      .updateEntity(false)
      .callListeners(false)
      .execute();
}

async function time(run: () => Promise<unknown>) {
  await run();
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
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-dev-'));
  const dbName = process.env.BENCH_KEEP ? 'sa_bench_dev_kept' : `sa_bench_dev_${process.pid}`;
  let url = `sqlite:${dir}/bench.sqlite`;
  if (engine === 'mysql') {
    const conn = await mysql.createConnection(mysqlBase);
    await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await conn.query(
      `CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await conn.end();
    url = `${mysqlBase}/${dbName}`;
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: 'b'.repeat(40),
    DEMO_DATA: 'false',
    DATA_DIR: dir,
  });
  const app = await createApp(config, sectors);
  const ds = app.get(DataSource);
  const random = rng(20_261_204);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const now = new Date();
  const year = now.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  const thisYear = () => new Date(yearStart + random() * (now.getTime() - yearStart));
  const counts: Record<string, number> = {};
  const load = async (table: string, rows: Row[]) => {
    await insertChunks(ds, table, rows);
    counts[table] = (counts[table] ?? 0) + rows.length;
  };
  try {
    const started = Date.now();
    const tops = Array.from({ length: 8 }, (_, i) => ({
      id: randomUUID(),
      code: `BENCH-TOP${i}`,
      name: `Dinas ${i}`,
      active: true,
      parentId: null,
      createdAt: now,
      updatedAt: now,
    }));
    const units = [
      ...tops,
      ...Array.from({ length: 32 }, (_, i) => ({
        id: randomUUID(),
        code: `BENCH-U${i}`,
        name: `Unit ${i}`,
        active: true,
        parentId: tops[i % tops.length].id,
        createdAt: now,
        updatedAt: now,
      })),
    ];
    await load('org_units', tops);
    await load('org_units', units.slice(tops.length));
    await load(
      'org_unit_budgets',
      units.map((u) => ({
        id: randomUUID(),
        orgUnitId: u.id,
        year,
        ceilingIdr: Math.floor(random() * 2_000_000_000),
        updatedById: null,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const courses = SECTOR_KEYS.flatMap((sector) =>
      Array.from({ length: 10 }, (_, k) => ({
        id: randomUUID(),
        code: `BENCH-${sector}-${k}`,
        version: 1,
        status: 'published',
        sector,
        title: `Pelatihan ${sector} ${k}`,
        summary: '',
        objectives: [],
        competencies: [],
        jp: 10,
        durationMinutes: 450,
        costIdr: 1_500_000,
        deliveryMode: pick(['classical', 'e-learning', 'blended']),
        preTest: true,
        publishedAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await load('courses', courses);
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
    await load(
      'lessons',
      courses.map((c, i) => ({
        id: randomUUID(),
        courseId: c.id,
        position: 1,
        section: null,
        title: 'Ujian',
        kind: 'assessment',
        assessmentId: assessments[i].id,
        required: true,
        durationMinutes: 60,
      })),
    );
    const schemes = SECTOR_KEYS.flatMap((sector, s) =>
      Array.from({ length: 5 }, (_, k) => ({
        id: randomUUID(),
        sector,
        code: `BENCH-S${s}-${k}`,
        title: `Skema ${sector} ${k}`,
        description: '',
        targetPositions: [],
        requirements: {
          courses: [courses[s * 10 + k].code],
          assessments: [{ assessmentId: assessments[s * 10 + k].id, minPercent: 70 }],
          approval: false,
          rules: [],
        },
        attests: [{ competencyCode: `C${k}`, level: 2 }],
        validityMonths: 36,
        renewal: null,
        costIdr: 4_000_000,
        template: 'certificate',
        numberFormat: '{seq}',
        status: 'active',
        createdAt: now,
        updatedAt: now,
      })),
    );
    await load('certification_schemes', schemes);

    const users: Row[] = [];
    const plans: Row[] = [];
    const items: Row[] = [];
    const enrollments: Row[] = [];
    const attempts: Row[] = [];
    const reactions: Row[] = [];
    const behaviour: Row[] = [];
    const certificates: Row[] = [];
    let seq = 0;
    for (let n = 0; n < ASN; n++) {
      const id = randomUUID();
      const s = n % SECTOR_KEYS.length;
      users.push({
        id,
        nip: `19${String(n).padStart(16, '0')}`,
        email: `asn${n}@bench.example`,
        name: `ASN ${n}`,
        role: 'asn',
        sectors: [],
        orgUnitId: pick(units).id,
        positionId: null,
        passwordHash: 'x',
        active: true,
        mustChangePassword: false,
        failedLogins: 0,
        createdAt: now,
        updatedAt: now,
      });
      const planId = randomUUID();
      const roll = random();
      plans.push({
        id: planId,
        userId: id,
        year,
        status:
          roll < 0.7 ? 'agreed' : roll < 0.8 ? 'submitted' : roll < 0.9 ? 'returned' : 'draft',
        returnReason: null,
        submittedAt: now,
        decidedAt: null,
        decidedById: null,
        decidedAsAdmin: null,
        createdAt: now,
        updatedAt: now,
      });
      const first = Math.floor(random() * 10);
      for (let k = 0; k < 3; k++) {
        const ci = s * 10 + ((first + 3 * k) % 10);
        const course = courses[ci];
        items.push({
          id: randomUUID(),
          planId,
          kind: 'course',
          refId: course.id,
          code: course.code,
          title: course.title,
          sector: course.sector,
          competencyCode: `C${k}`,
          jp: 10,
          costIdr: 1_500_000,
          deliveryMode: course.deliveryMode,
          status: random() < 0.1 ? 'dropped' : 'planned',
          origin: 'proposed',
          reason: null,
          doneAt: null,
          position: k,
          createdAt: now,
          updatedAt: now,
        });
        const completed = random() < 0.6;
        const enrolledAt = thisYear();
        enrollments.push({
          id: randomUUID(),
          userId: id,
          courseId: course.id,
          status: completed ? 'completed' : 'active',
          assignedBy: null,
          dueAt: null,
          enrolledAt,
          completedAt: completed ? enrolledAt : null,
        });
        const attempt = (purpose: string | null, number: number) => {
          const percent = Math.round(random() * 100);
          attempts.push({
            id: randomUUID(),
            assessmentId: assessments[ci].id,
            userId: id,
            number,
            openKey: null,
            purpose,
            status: 'graded',
            startedAt: enrolledAt,
            deadline: null,
            submittedAt: enrolledAt,
            score: percent,
            maxScore: 100,
            percent,
            passed: purpose ? false : percent >= 70,
            gradedAt: enrolledAt,
            sessionId: null,
            pausedAt: null,
            voidedFor: null,
            deviceSession: null,
          });
        };
        attempt('pretest', 1);
        attempt(null, 2);
        if (completed)
          reactions.push({
            id: randomUUID(),
            kind: 'reaction',
            evaluationId: null,
            subjectUserId: null,
            courseId: course.id,
            schemeId: null,
            certificateId: null,
            ratings: { '0': 1 + Math.floor(random() * 5), '1': 3, '2': 4, '3': 5 },
            comment: null,
            year,
            createdAt: now,
          });
      }
      if (random() < 0.2) {
        const scheme = schemes[s * 5 + Math.floor(random() * 5)];
        seq += 1;
        certificates.push({
          id: randomUUID(),
          schemeId: scheme.id,
          userId: id,
          number: `${seq}/BENCH/${year}`,
          year,
          seq,
          code: `B${seq}${randomUUID().slice(0, 8)}`,
          issueKey: randomUUID(),
          status: 'active',
          issuedAt: thisYear(),
          expiresAt: null,
          revokedAt: null,
          revokedReason: null,
          renewsId: null,
          renewedById: null,
          holderName: `ASN ${n}`,
          holderNip: null,
          snapshot: {
            schemeCode: scheme.code,
            schemeTitle: scheme.title,
            sector: scheme.sector,
            sectorName: scheme.sector,
            competencies: [],
          },
        });
        items.push({
          id: randomUUID(),
          planId,
          kind: 'scheme',
          refId: scheme.id,
          code: scheme.code,
          title: scheme.title,
          sector: scheme.sector,
          competencyCode: null,
          jp: 0,
          costIdr: 4_000_000,
          deliveryMode: 'blended',
          status: 'planned',
          origin: 'added',
          reason: null,
          doneAt: null,
          position: 9,
          createdAt: now,
          updatedAt: now,
        });
        for (const kind of ['baseline', 'behaviour_self', 'behaviour_supervisor'])
          behaviour.push({
            id: randomUUID(),
            kind,
            evaluationId: randomUUID(),
            subjectUserId: id,
            courseId: null,
            schemeId: kind === 'baseline' ? null : scheme.id,
            certificateId: null,
            ratings: { C0: 1 + Math.floor(random() * 5), C1: 1 + Math.floor(random() * 5) },
            comment: null,
            year,
            createdAt: now,
          });
      }
    }
    await load('users', users);
    await load('development_plans', plans);
    await load('development_plan_items', items);
    await load('enrollments', enrollments);
    await load('attempts', attempts);
    await load('evaluation_responses', [...reactions, ...behaviour]);
    await load('certificates', certificates);
    await load(
      'programme_indicators',
      schemes.map((s) => ({
        id: randomUUID(),
        orgUnitId: pick(units).id,
        year,
        schemeId: s.id,
        courseId: null,
        name: 'Waktu layanan',
        unit: 'hari',
        baselineValue: 10,
        resultValue: 8,
        lowerIsBetter: true,
        source: 'bench',
        recordedById: null,
        createdAt: now,
        updatedAt: now,
      })),
    );
    console.log(
      `[${engine}] seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.entries(
        counts,
      )
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
    const plansReport = app.get(DevelopmentPlanReports);
    const impact = app.get(ImpactReports);
    for (const [name, run] of [
      ['agency plan', () => plansReport.report(year)],
      ['impact (admin)', () => impact.report(admin, year)],
      ['impact (coordinator)', () => impact.report(coordinator, year)],
      ['agency plan XLSX', async () => plansReport.file(await plansReport.report(year), 'xlsx')],
    ] as const) {
      const { min, median } = await time(run);
      console.log(`[${engine}] ${name}: min ${min.toFixed(0)} ms, median ${median.toFixed(0)} ms`);
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'mysql' && !process.env.BENCH_KEEP) {
      const conn = await mysql.createConnection(mysqlBase);
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
    }
  }
}

const engines = (process.env.BENCH_ENGINES ?? 'sqlite,mysql').split(',') as ('sqlite' | 'mysql')[];
for (const engine of engines) await bench(engine);
