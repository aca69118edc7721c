import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AssessmentDemoService } from '../assessment/engine/assessment-demo.service.js';
import { CertificatesService } from '../certification/certificates.service.js';
import { SchemePlanCatalogue } from '../certification/scheme-plan-catalogue.js';
import { SchemesService, type SchemeView } from '../certification/schemes.service.js';
import { GapsService } from '../competency/gaps.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { User } from '../identity/user.entity.js';
import { CourseEvaluationFacts } from '../learning/course-evaluation-facts.js';
import { CoursePlanCatalogue } from '../learning/course-plan-catalogue.js';
import { CoursesService, type CourseView } from '../learning/courses.service.js';
import { LearningDemoService } from '../learning/learning-demo.service.js';
import { DEMO_PASSWORD } from '../people/bootstrap.service.js';
import { DEMO_PEOPLE } from '../people/demo-people.js';
import { UsersService } from '../people/users.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import {
  DevelopmentPlan,
  DevelopmentPlanItem,
  Evaluation,
  type EvaluationKind,
  EvaluationResponse,
  OrgUnitBudget,
  type PlanStatus,
  ProgrammeIndicator,
} from './development.entity.js';

/** The demo supervisor (created by people when DEMO_DATA is on) and whom they supervise. */
export const DEMO_SUPERVISOR_NIP = '197506182000032004';
const SUPERVISED_NIPS = ['199003152015032001', '198807202014031002'];
const ADMIN_NIP = '197804122003121002';

/** The status each core demo ASN's plan is left in, so every page has a case. */
const CORE_STATUS: Record<string, PlanStatus> = {
  '199003152015032001': 'agreed',
  '198807202014031002': 'submitted',
  '198512102010012003': 'returned',
  '199106052019031004': 'draft',
  '199208172020121005': 'agreed',
  '198701302011012006': 'submitted',
};
const EXTRA_STATUS: PlanStatus[] = ['agreed', 'agreed', 'submitted', 'agreed', 'returned', 'draft'];

/**
 * More demo ASN, six per sector, so a course has the five reaction answers the reports need
 * before they show a mean (ADR 0040). Valid NIPs: birth date, month of appointment, gender,
 * serial.
 */
export const DEMO_EXTRA_ASN: { sector: string; unit: string; nip: string; name: string }[] = [
  { sector: 'health', unit: 'DINKES', nip: '199204112019032001', name: 'Rosmawati Siregar' },
  { sector: 'health', unit: 'DINKES', nip: '198909232015031001', name: 'Budi Santoso Lubis' },
  { sector: 'health', unit: 'DINKES', nip: '199307072020122002', name: 'Fitri Handayani Nasution' },
  { sector: 'health', unit: 'DINKES', nip: '198612012011011003', name: 'Zulkifli Harahap' },
  { sector: 'health', unit: 'DINKES', nip: '199502142021032003', name: 'Sri Wahyuni Daulay' },
  { sector: 'health', unit: 'DINKES', nip: '199110302017031004', name: 'Rizky Pratama Ritonga' },
  { sector: 'education', unit: 'DISDIK', nip: '198803192012012004', name: 'Nurul Huda Batubara' },
  { sector: 'education', unit: 'DISDIK', nip: '199006242014031005', name: 'Syahrial Pane' },
  { sector: 'education', unit: 'DISDIK', nip: '198511082009012005', name: 'Lely Suryani Tanjung' },
  {
    sector: 'education',
    unit: 'DISDIK',
    nip: '199401262019031006',
    name: 'Ikhsan Maulana Siregar',
  },
  {
    sector: 'education',
    unit: 'DISDIK',
    nip: '198707172010012006',
    name: 'Desi Ratnasari Hasibuan',
  },
  { sector: 'education', unit: 'DISDIK', nip: '199209092018031007', name: 'Hendra Gunawan Pohan' },
  {
    sector: 'administration-it',
    unit: 'DISKOMINFO',
    nip: '199303042019031008',
    name: 'Arif Rahman Hakim',
  },
  {
    sector: 'administration-it',
    unit: 'DISKOMINFO',
    nip: '199112212017032007',
    name: 'Yulia Kartika Sari',
  },
  {
    sector: 'administration-it',
    unit: 'SETDA',
    nip: '198905052014031009',
    name: 'Fauzan Azhari Lubis',
  },
  {
    sector: 'administration-it',
    unit: 'SETDA',
    nip: '199408282020122008',
    name: 'Putri Ayu Rangkuti',
  },
  {
    sector: 'administration-it',
    unit: 'DISKOMINFO',
    nip: '198710122011011010',
    name: 'Muhammad Yusuf Dalimunthe',
  },
  {
    sector: 'administration-it',
    unit: 'SETDA',
    nip: '199507312021032009',
    name: 'Annisa Rahmadani Nasution',
  },
];

/** Level 4 of the demo: what a programme of each sector should move (per org unit). */
const DEMO_INDICATORS = [
  {
    unit: 'DINKES',
    sector: 'health',
    name: 'Rata-rata hari penyelesaian izin praktik',
    unitLabel: 'hari',
    baselineValue: 14,
    resultValue: 9,
    lowerIsBetter: true,
    source: 'Laporan bulanan Dinkes',
  },
  {
    unit: 'DISDIK',
    sector: 'education',
    name: 'Persentase guru yang menyusun modul ajar berdiferensiasi',
    unitLabel: '%',
    baselineValue: 35,
    resultValue: 62,
    lowerIsBetter: false,
    source: 'Laporan supervisi akademik Disdik',
  },
  {
    unit: 'DISKOMINFO',
    sector: 'administration-it',
    name: 'Rata-rata jam pemulihan gangguan layanan SPBE',
    unitLabel: 'jam',
    baselineValue: 6,
    resultValue: 3.5,
    lowerIsBetter: true,
    source: 'Log layanan Diskominfo',
  },
];

const REACTION_COMMENTS = [
  'Materinya relevan dengan pekerjaan sehari-hari.',
  'Contoh kasusnya membantu, tetapi waktunya terasa singkat.',
  'Video dan bacaannya jelas; kuis bisa ditambah.',
  'Sangat bermanfaat, ingin ada kelanjutannya.',
  'Beberapa istilah perlu penjelasan lebih rinci.',
  'Bisa dipelajari di sela jam kerja, praktis.',
];

const BEHAVIOUR_EXAMPLES = {
  behaviour_self:
    'Sejak pelatihan saya memakai daftar periksa baru pada setiap layanan dan mencatat hasilnya.',
  behaviour_supervisor:
    'Terlihat lebih teliti dan mulai membimbing rekan satu unit dengan cara kerja yang baru.',
};

/** The year in Asia/Jakarta (ADR 0040: a plan's year is the local one). */
export function jakartaYear(at = new Date()): number {
  return Number(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Jakarta', year: 'numeric' }).format(at),
  );
}

type PlanRow = Omit<DevelopmentPlan, 'user'>;
type ItemRow = Omit<DevelopmentPlanItem, 'plan'>;

interface Person {
  user: User;
  sector: string;
  status: PlanStatus;
  extra: boolean;
}

interface CourseInfo {
  view: CourseView;
  costIdr: number | null;
  deliveryMode: string | null;
  reactionItems: number;
}

interface SchemeInfo {
  view: SchemeView;
  costIdr: number | null;
  deliveryMode: string | null;
}

/** A deterministic 0..1 sequence, so two fresh demos look the same. */
function sequence(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 4_294_967_296;
  };
}

const DAY = 86_400_000;

/**
 * The demo of development planning and evaluation (ADR 0040), written after every other
 * domain's demo records (people's boot hook, which waits for them, runs before this module's:
 * Nest starts imported modules first): this year's plan for every demo ASN in mixed states,
 * a baseline on the agreed ones, a year of reaction answers (enough for a mean on one course
 * per sector), behaviour ratings on the demo certificates, budget ceilings (one exceeded) and
 * programme indicators. Each part looks for its rows first: a second boot adds nothing.
 */
@Injectable()
export class DevelopmentDemoService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DevelopmentDemo');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionService,
    private readonly users: UsersService,
    private readonly gaps: GapsService,
    private readonly courses: CoursesService,
    private readonly schemes: SchemesService,
    private readonly certificatesService: CertificatesService,
    private readonly learningDemo: LearningDemoService,
    private readonly assessmentDemo: AssessmentDemoService,
    private readonly coursePlans: CoursePlanCatalogue,
    private readonly courseFacts: CourseEvaluationFacts,
    private readonly schemePlans: SchemePlanCatalogue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData) return;
    try {
      await this.seed();
    } catch (error) {
      // Demo records are a convenience: a failure is logged, never a failed start.
      this.logger.warn({ err: error }, 'Demo development records incomplete');
    }
  }

  async seed(now = new Date()): Promise<void> {
    const year = jakartaYear(now);
    const userRepo = this.dataSource.getRepository(User);
    const adminUser =
      (await userRepo.findOneBy({ nip: ADMIN_NIP })) ??
      (await userRepo.findOne({ where: { role: 'admin' }, order: { createdAt: 'ASC' } }));
    if (!adminUser) return;
    const admin = this.caller(adminUser);
    const supervisor = await userRepo.findOneBy({ nip: DEMO_SUPERVISOR_NIP });
    if (supervisor)
      for (const nip of SUPERVISED_NIPS) {
        const asn = await userRepo.findOneBy({ nip });
        if (asn && !asn.supervisorId && asn.id !== supervisor.id)
          await userRepo.update({ id: asn.id }, { supervisorId: supervisor.id });
      }

    const courses = await this.courseInfo();
    const schemes = await this.schemeInfo();
    const people = await this.people(admin, schemes);
    if (!people.length) return;
    const random = sequence(year);
    const agreed: { person: Person; plan: PlanRow; items: ItemRow[] }[] = [];
    for (const person of people) {
      try {
        const made = await this.plan(admin, person, year, now, courses, schemes, random);
        if (made?.plan.status === 'agreed') agreed.push({ person, ...made });
      } catch (error) {
        this.logger.warn({ err: error }, `Demo plan of ${person.user.nip} not written`);
      }
    }
    // Each part on its own: one that fails is logged and the others are still written.
    const step = async (name: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        this.logger.warn({ err: error }, `Demo ${name} incomplete`);
      }
    };
    await step('certificates', () => this.certify(people, schemes));
    await step('reactions', () => this.reactions(people, courses, schemes, year, now, random));
    const certificates = await this.certificates(people);
    await step('baselines', () => this.baselines(agreed, certificates, schemes, year, now, random));
    await step('behaviour', () => this.behaviour(people, certificates, schemes, year, now));
    await step('budgets', () => this.budgets(adminUser.id, year, now));
    await step('indicators', () => this.indicators(adminUser.id, schemes, year, now));
  }

  private caller(user: User): AuthUser {
    return {
      id: user.id,
      role: user.role,
      sectors: user.sectors,
      name: user.name,
      mustChangePassword: false,
    };
  }

  /** Published courses with what the catalogue view leaves out (cost, mode, questionnaire). */
  private async courseInfo(): Promise<Map<string, CourseInfo>> {
    const views = await this.courses.catalogue();
    const costs = new Map((await this.coursePlans.published()).map((c) => [c.id, c]));
    const facts = await this.courseFacts.byIds(views.map((v) => v.id));
    return new Map(
      views.map((view) => {
        const cost = costs.get(view.id);
        return [
          view.id,
          {
            view,
            costIdr: cost?.costIdr || null,
            deliveryMode: cost?.deliveryMode ?? null,
            reactionItems: facts.get(view.id)?.reactionItems?.length || 4,
          },
        ];
      }),
    );
  }

  private async schemeInfo(): Promise<Map<string, SchemeInfo>> {
    const views = (await this.schemes.list()).filter((s) => s.status === 'active');
    const costs = new Map((await this.schemePlans.active()).map((s) => [s.id, s]));
    return new Map(
      views.map((view) => [
        view.id,
        {
          view,
          costIdr: costs.get(view.id)?.costIdr || null,
          deliveryMode: costs.get(view.id)?.deliveryMode ?? null,
        },
      ]),
    );
  }

  /** The demo ASN of the loaded sectors, and the extra ones (created through people). */
  private async people(admin: AuthUser, schemes: Map<string, SchemeInfo>): Promise<Person[]> {
    const userRepo = this.dataSource.getRepository(User);
    const out: Person[] = [];
    for (const p of DEMO_PEOPLE) {
      if (p.role !== 'asn' || !p.nip || !p.sector) continue;
      const user = await userRepo.findOneBy({ nip: p.nip });
      if (user)
        out.push({ user, sector: p.sector, status: CORE_STATUS[p.nip] ?? 'draft', extra: false });
    }
    const sectors = new Set(out.map((p) => p.sector));
    let n = 0;
    for (const extra of DEMO_EXTRA_ASN) {
      if (!sectors.has(extra.sector)) continue;
      const status = EXTRA_STATUS[n++ % EXTRA_STATUS.length];
      let user = await userRepo.findOneBy({ nip: extra.nip });
      if (!user) {
        const scheme = [...schemes.values()]
          .filter((s) => s.view.sector === extra.sector)
          .sort((a, b) => a.view.code.localeCompare(b.view.code))[0];
        await this.users.create(admin, {
          nip: extra.nip,
          name: extra.name,
          role: 'asn',
          password: DEMO_PASSWORD,
          orgUnitCode: extra.unit,
          positionCode: scheme?.view.targetPositions[0],
        });
        user = await userRepo.findOneBy({ nip: extra.nip });
      }
      // Under their sector's demo supervisor (when people set one), so a team has a few more.
      const lead = out.find((p) => !p.extra && p.sector === extra.sector && p.user.supervisorId);
      if (user && !user.supervisorId && lead && lead.user.supervisorId !== user.id) {
        await userRepo.update({ id: user.id }, { supervisorId: lead.user.supervisorId });
        user.supervisorId = lead.user.supervisorId;
      }
      if (user) out.push({ user, sector: extra.sector, status, extra: true });
    }
    return out;
  }

  /** This year's plan of one person from their gaps, in the person's demo state. */
  private async plan(
    admin: AuthUser,
    person: Person,
    year: number,
    now: Date,
    courses: Map<string, CourseInfo>,
    schemes: Map<string, SchemeInfo>,
    random: () => number,
  ) {
    const plans = this.dataSource.getRepository(DevelopmentPlan);
    if (await plans.existsBy({ userId: person.user.id, year })) return null;
    const report = await this.gaps.forUser(admin, person.user.id, now);
    const wanted: { kind: 'course' | 'scheme'; refId: string; competencyCode: string | null }[] =
      [];
    const seen = new Set<string>();
    const add = (kind: 'course' | 'scheme', refId: string, competencyCode: string | null) => {
      if (seen.has(`${kind}:${refId}`)) return;
      if (kind === 'course' ? !courses.has(refId) : !schemes.has(refId)) return;
      seen.add(`${kind}:${refId}`);
      wanted.push({ kind, refId, competencyCode });
    };
    for (const gap of report.items.filter((i) => !i.met)) {
      const [course] = gap.recommendations.courses ?? [];
      if (course) add('course', course.id, gap.competency.code);
      for (const scheme of gap.recommendations.schemes ?? [])
        add('scheme', scheme.id, gap.competency.code);
    }
    // Without a position or a gap, the first courses of their sector's catalogue.
    if (!wanted.length)
      for (const c of [...courses.values()].filter((c) => c.view.sector === person.sector))
        if (wanted.length < 3) add('course', c.view.id, c.view.competencies[0]?.code ?? null);
    const chosen = wanted.slice(0, 6);
    if (!chosen.length) return null;

    const supervisorId = person.user.supervisorId;
    const decider = supervisorId ?? admin.id;
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const plan: PlanRow = {
      id: randomUUID(),
      userId: person.user.id,
      year,
      status: person.status,
      returnReason:
        person.status === 'returned'
          ? 'Mohon tambahkan satu pelatihan teknis bidang Anda dan periksa kembali JP-nya sebelum diajukan lagi.'
          : null,
      submittedAt: person.status === 'draft' ? null : ago(12),
      decidedAt: person.status === 'agreed' || person.status === 'returned' ? ago(8) : null,
      decidedById: person.status === 'agreed' || person.status === 'returned' ? decider : null,
      decidedAsAdmin:
        person.status === 'agreed' || person.status === 'returned' ? !supervisorId : null,
      createdAt: ago(20),
      updatedAt: ago(8),
    };
    const items: ItemRow[] = chosen.map((w, position) => {
      const course = w.kind === 'course' ? courses.get(w.refId)! : null;
      const scheme = w.kind === 'scheme' ? schemes.get(w.refId)! : null;
      const jp = course ? Number(course.view.jp) : 0;
      // A course or scheme without a cost gets an estimate, as a planner would, so the
      // agency plan and the budgets have figures (plans copy the cost when planned anyway).
      const costIdr = course
        ? (course.costIdr ?? Math.round(jp) * 100_000)
        : (scheme!.costIdr ?? 1_500_000);
      const dropped = person.status === 'agreed' && position === 1 && random() < 0.5;
      return {
        id: randomUUID(),
        planId: plan.id,
        kind: w.kind,
        refId: w.refId,
        code: (course?.view.code ?? scheme!.view.code).slice(0, 40),
        title: (course?.view.title ?? scheme!.view.title).slice(0, 200),
        sector: course?.view.sector ?? scheme!.view.sector,
        competencyCode: w.competencyCode,
        jp,
        costIdr,
        deliveryMode: course
          ? (course.deliveryMode ?? 'e-learning')
          : (scheme!.deliveryMode ?? 'classical'),
        status: dropped ? 'dropped' : 'planned',
        origin: 'proposed',
        reason: dropped ? 'Jadwal bertabrakan dengan akreditasi unit; diganti tahun depan.' : null,
        doneAt: null,
        position,
        createdAt: plan.createdAt,
        updatedAt: plan.updatedAt,
      };
    });
    await this.transactions.run(async () => {
      await this.transactions.repository(DevelopmentPlan).insert(plan);
      await this.transactions.repository(DevelopmentPlanItem).insert(items);
    });
    return { plan, items };
  }

  /** The active certificates of the demo people, as their holders see them. */
  private async certificates(people: Person[]) {
    const out: { id: string; userId: string; schemeId: string; issuedAt: Date }[] = [];
    for (const person of people)
      for (const c of await this.certificatesService.mine(this.caller(person.user)))
        if (c.status === 'active')
          out.push({
            id: c.id,
            userId: person.user.id,
            schemeId: c.schemeId,
            issuedAt: new Date(c.issuedAt),
          });
    return out;
  }

  /** The decider's "before" on each agreed plan: its competencies and those certified since. */
  private async baselines(
    agreed: { person: Person; plan: PlanRow; items: ItemRow[] }[],
    certificates: { userId: string; schemeId: string }[],
    schemes: Map<string, SchemeInfo>,
    year: number,
    now: Date,
    random: () => number,
  ) {
    for (const { person, plan, items } of agreed) {
      const codes = new Set(items.map((i) => i.competencyCode).filter((c): c is string => !!c));
      for (const c of certificates.filter((c) => c.userId === person.user.id))
        for (const a of schemes.get(c.schemeId)?.view.attests ?? []) codes.add(a.competencyCode);
      if (!codes.size || !plan.decidedById) continue;
      const ratings = Object.fromEntries(
        [...codes].map((code) => [code, 1 + Math.floor(random() * 3)]),
      );
      await this.answered({
        kind: 'baseline',
        dedupeKey: `baseline:${plan.id}`,
        recipientId: plan.decidedById,
        subjectUserId: person.user.id,
        planId: plan.id,
        competencyCodes: [...codes],
        year,
        at: plan.decidedAt ?? now,
        ratings,
        comment: null,
      });
    }
  }

  /**
   * Five extra health ASN earn the sector's first scheme through the real rules (its courses
   * studied, its exams passed), so the impact report has a scheme with five holders: the
   * floor below which it shows no behaviour mean. One sector only: every boot with demo data
   * (tests, the accessibility suite) pays for it.
   */
  private async certify(people: Person[], schemes: Map<string, SchemeInfo>) {
    for (const sector of ['health']) {
      const scheme = [...schemes.values()]
        .filter((s) => s.view.sector === sector)
        .sort((a, b) => a.view.code.localeCompare(b.view.code))[0];
      if (!scheme) continue;
      const holders = people.filter((p) => p.sector === sector && p.extra).slice(0, 5);
      for (const person of holders) {
        if (await this.assessmentDemo.hasAttempts(person.user.id)) continue; // seeded before
        const caller = this.caller(person.user);
        try {
          for (const code of scheme.view.requirements.courses)
            await this.learningDemo.study(caller, code, 1);
          for (const { assessmentId } of scheme.view.requirements.assessments)
            await this.assessmentDemo.sit(caller, assessmentId, true);
        } catch (error) {
          this.logger.warn({ err: error }, `Demo certificate of ${person.user.nip} not earned`);
        }
      }
    }
  }

  /**
   * A year of reaction answers: the extra ASN of each sector study the first course of the
   * sector's first scheme (five or more answers: the reports show its mean) and three of them
   * a second course (below five: the reports keep it hidden).
   */
  private async reactions(
    people: Person[],
    courses: Map<string, CourseInfo>,
    schemes: Map<string, SchemeInfo>,
    year: number,
    now: Date,
    random: () => number,
  ) {
    const yearStart = Date.UTC(year, 0, 1) - 7 * 3_600_000;
    const sectors = [...new Set(people.map((p) => p.sector))];
    for (const sector of sectors) {
      const scheme = [...schemes.values()]
        .filter((s) => s.view.sector === sector)
        .sort((a, b) => a.view.code.localeCompare(b.view.code))[0];
      const published = [...courses.values()].filter((c) => c.view.sector === sector);
      const first =
        published.find((c) => c.view.code === scheme?.view.requirements.courses[0]) ?? published[0];
      const second = published.find((c) => c !== first);
      const extras = people.filter((p) => p.sector === sector && p.extra);
      const plan: [CourseInfo | undefined, Person[]][] = [
        [first, extras],
        [second, extras.slice(0, 3)],
      ];
      for (const [course, takers] of plan) {
        if (!course) continue;
        for (const [n, person] of takers.entries()) {
          const at = new Date(
            yearStart + ((n + 1) / (takers.length + 1)) * (now.getTime() - yearStart),
          );
          try {
            await this.react(person, course, year, at, random);
          } catch (error) {
            this.logger.warn({ err: error }, `Demo reaction of ${person.user.nip} not written`);
          }
        }
      }
    }
  }

  private async react(
    person: Person,
    course: CourseInfo,
    year: number,
    at: Date,
    random: () => number,
  ) {
    // The key evaluation's own listener gives the questionnaire of a completion.
    const dedupeKey = `reaction:${person.user.id}:${course.view.code}:${year}`.slice(0, 120);
    const evaluations = this.dataSource.getRepository(Evaluation);
    const existing = await evaluations.findOneBy({ dedupeKey });
    if (existing?.status === 'answered') return;
    if (!existing) {
      try {
        await this.learningDemo.study(this.caller(person.user), course.view.code, 1);
      } catch (error) {
        this.logger.warn({ err: error }, `Demo study of ${course.view.code} incomplete`);
      }
    }
    // Studying may have sent the questionnaire already; else the demo sends it, and if
    // evaluation's listener sends it meanwhile, the key keeps one.
    let sent = existing ?? (await evaluations.findOneBy({ dedupeKey }));
    if (!sent) {
      try {
        await evaluations.insert({
          id: randomUUID(),
          kind: 'reaction',
          dedupeKey,
          recipientId: person.user.id,
          subjectUserId: person.user.id,
          courseId: course.view.id,
          schemeId: null,
          certificateId: null,
          planId: null,
          competencyCodes: [],
          year,
          status: 'pending',
          dueAt: at,
          remindedAt: null,
          answeredAt: null,
          createdAt: at,
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      sent = await evaluations.findOneBy({ dedupeKey });
      if (!sent) return;
    }
    const ratings = Object.fromEntries(
      Array.from({ length: course.reactionItems }, (_, i) => [
        String(i + 1),
        3 + Math.floor(random() * 3),
      ]),
    );
    const comment = REACTION_COMMENTS[Math.floor(random() * REACTION_COMMENTS.length)];
    const day = new Date(`${at.toISOString().slice(0, 10)}T00:00:00.000Z`);
    const id = sent.id;
    await this.transactions.run(async () => {
      // Answered once: only the one who moves it from pending writes the answer.
      const done = await this.transactions
        .repository(Evaluation)
        .update({ id, status: 'pending' }, { status: 'answered', answeredAt: at });
      if (!done.affected) return;
      // Kept apart from who answered: no evaluation, no person, the date without the time.
      await this.transactions.repository(EvaluationResponse).insert({
        id: randomUUID(),
        kind: 'reaction',
        evaluationId: null,
        subjectUserId: null,
        courseId: course.view.id,
        schemeId: null,
        certificateId: null,
        ratings,
        comment,
        year,
        createdAt: day,
      });
    });
  }

  /** Level 3 on the demo certificates: the holder's and (when set) their supervisor's rating. */
  private async behaviour(
    people: Person[],
    certificates: { id: string; userId: string; schemeId: string; issuedAt: Date }[],
    schemes: Map<string, SchemeInfo>,
    year: number,
    now: Date,
  ) {
    const byId = new Map(people.map((p) => [p.user.id, p]));
    for (const certificate of certificates) {
      const person = byId.get(certificate.userId);
      const scheme = schemes.get(certificate.schemeId);
      if (!person || !scheme) continue;
      const codes = scheme.view.attests.map((a) => a.competencyCode);
      if (!codes.length) continue;
      const supervisorId = (
        await this.dataSource.getRepository(User).findOneBy({ id: person.user.id })
      )?.supervisorId;
      const raters: [EvaluationKind, string, number][] = [['behaviour_self', person.user.id, 4]];
      if (supervisorId) raters.push(['behaviour_supervisor', supervisorId, 4]);
      for (const [kind, recipientId, level] of raters)
        await this.answered({
          kind,
          dedupeKey: `${kind}:${certificate.id}`,
          recipientId,
          subjectUserId: person.user.id,
          schemeId: scheme.view.id,
          certificateId: certificate.id,
          competencyCodes: codes,
          year,
          // The demo does not wait the scheme's 90 days: the answer is there at first start.
          at: now,
          ratings: Object.fromEntries(codes.map((c, i) => [c, Math.min(5, level + (i % 2))])),
          comment: BEHAVIOUR_EXAMPLES[kind as 'behaviour_self'],
        });
    }
  }

  /** A questionnaire and its answer; a pending one already sent (same key) is answered. */
  private async answered(input: {
    kind: EvaluationKind;
    dedupeKey: string;
    recipientId: string;
    subjectUserId: string;
    planId?: string;
    schemeId?: string;
    certificateId?: string;
    competencyCodes: string[];
    year: number;
    at: Date;
    ratings: Record<string, number>;
    comment: string | null;
  }) {
    await this.transactions.run(async () => {
      const evaluations = this.transactions.repository(Evaluation);
      const existing = await evaluations.findOneBy({ dedupeKey: input.dedupeKey });
      if (existing?.status === 'answered') return;
      const id = existing?.id ?? randomUUID();
      if (existing) await evaluations.update({ id }, { status: 'answered', answeredAt: input.at });
      else
        await evaluations.insert({
          id,
          kind: input.kind,
          dedupeKey: input.dedupeKey,
          recipientId: input.recipientId,
          subjectUserId: input.subjectUserId,
          courseId: null,
          schemeId: input.schemeId ?? null,
          certificateId: input.certificateId ?? null,
          planId: input.planId ?? null,
          competencyCodes: input.competencyCodes,
          year: input.year,
          status: 'answered',
          dueAt: input.at,
          remindedAt: null,
          answeredAt: input.at,
          createdAt: input.at,
        });
      await this.transactions.repository(EvaluationResponse).insert({
        id: randomUUID(),
        kind: input.kind,
        evaluationId: id,
        subjectUserId: input.subjectUserId,
        courseId: null,
        schemeId: input.schemeId ?? null,
        certificateId: input.certificateId ?? null,
        ratings: input.ratings,
        comment: input.comment,
        year: input.year,
        createdAt: input.at,
      });
    });
  }

  /**
   * A ceiling per demo org unit with agreed plans in its branch: Dinas Kesehatan's below what
   * its agreed plans cost (the agency plan marks it), the others with room for their whole
   * branch, so no other unit is over, on its own or rolled up.
   */
  private async budgets(adminId: string, year: number, now: Date) {
    const units = await this.dataSource.getRepository(OrgUnit).find();
    const rows: { orgUnitId: string | null; cost: string | number | null }[] =
      await this.dataSource.query(
        `SELECT u.orgUnitId AS orgUnitId, SUM(i.costIdr) AS cost
           FROM development_plans p
           JOIN users u ON u.id = p.userId
           JOIN development_plan_items i ON i.planId = p.id
          WHERE p.year = ? AND p.status = 'agreed' AND i.status <> 'dropped'
          GROUP BY u.orgUnitId`,
        [year],
      );
    const cost = new Map(rows.map((r) => [r.orgUnitId, Number(r.cost ?? 0)]));
    // A unit's branch: itself and every unit below it (a dinas's budget covers its bidang).
    const branch = (id: string, seen = new Set<string>()): number => {
      if (seen.has(id)) return 0;
      seen.add(id);
      return (
        (cost.get(id) ?? 0) +
        units.filter((u) => u.parentId === id).reduce((n, u) => n + branch(u.id, seen), 0)
      );
    };
    const budgets = this.dataSource.getRepository(OrgUnitBudget);
    for (const unit of units) {
      const own = cost.get(unit.id) ?? 0;
      const total = branch(unit.id);
      if (!total) continue;
      if (await budgets.existsBy({ orgUnitId: unit.id, year })) continue;
      const ceilingIdr =
        unit.code === 'DINKES'
          ? Math.max(100_000, Math.floor(((own || total) * 0.7) / 100_000) * 100_000)
          : Math.max(5_000_000, Math.ceil((total * 1.5) / 1_000_000) * 1_000_000);
      await budgets.insert({
        id: randomUUID(),
        orgUnitId: unit.id,
        year,
        ceilingIdr,
        updatedById: adminId,
        createdAt: now,
        updatedAt: now,
      });
    }
  }

  private async indicators(
    adminId: string,
    schemes: Map<string, SchemeInfo>,
    year: number,
    now: Date,
  ) {
    const units = await this.dataSource.getRepository(OrgUnit).find();
    const repo = this.dataSource.getRepository(ProgrammeIndicator);
    for (const indicator of DEMO_INDICATORS) {
      const unit = units.find((u) => u.code === indicator.unit);
      if (!unit || (await repo.existsBy({ orgUnitId: unit.id, year, name: indicator.name })))
        continue;
      const scheme = [...schemes.values()]
        .filter((s) => s.view.sector === indicator.sector)
        .sort((a, b) => a.view.code.localeCompare(b.view.code))[0];
      if (!scheme) continue;
      await repo.insert({
        id: randomUUID(),
        orgUnitId: unit.id,
        year,
        schemeId: scheme.view.id,
        courseId: null,
        name: indicator.name,
        unit: indicator.unitLabel,
        baselineValue: indicator.baselineValue,
        resultValue: indicator.resultValue,
        lowerIsBetter: indicator.lowerIsBetter,
        source: indicator.source,
        recordedById: adminId,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
}
