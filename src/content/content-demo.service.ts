import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Attempt, Assessment } from '../assessment/engine/assessment.entity.js';
import { AttemptsService } from '../assessment/engine/attempts.service.js';
import {
  Question,
  QuestionBank,
  QuestionVersion,
} from '../assessment/banks/question-bank.entity.js';
import { CertificatesService } from '../certification/certificates.service.js';
import {
  Certificate,
  CertificationScheme,
  OutboxMail,
} from '../certification/certification.entity.js';
import { MailOutbox } from '../certification/mail-outbox.service.js';
import { CompetencyDemoService } from '../competency/competency-demo.service.js';
import { Evidence } from '../competency/evidence.entity.js';
import { Position } from '../competency/position.entity.js';
import { Course, Lesson } from '../learning/course.entity.js';
import { Enrollment } from '../learning/enrollment.entity.js';
import { EnrollmentsService } from '../learning/enrollments.service.js';
import { DEMO_PEOPLE } from '../people/demo-people.js';
import { DEMO_PEOPLE_READY } from '../people/people.events.js';
import { User } from '../identity/user.entity.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Notification } from '../platform/notifications/notification.entity.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { ContentSyncService } from './content-sync.service.js';

type Definition = Record<string, unknown>;

/** The response that earns full credit, read from a question's definition. */
export function rightResponse(type: string, d: Definition): unknown {
  const options = (d.options ?? []) as { id: string; fraction: number }[];
  switch (type) {
    case 'single_choice':
      return [...options].sort((a, b) => b.fraction - a.fraction)[0]?.id;
    case 'multiple_response':
      return options.filter((o) => o.fraction > 0).map((o) => o.id);
    case 'true_false':
      return d.answer;
    case 'short_answer':
      return ((d.answers ?? []) as { text: string; fraction: number }[])
        .find((a) => a.fraction === 1)
        ?.text.replaceAll('*', '');
    case 'numeric': {
      const a = ((d.answers ?? []) as { value?: number; min?: number; fraction: number }[]).find(
        (x) => x.fraction === 1,
      );
      return a?.value ?? a?.min;
    }
    case 'matching':
      return d.key;
    case 'ordering':
      return ((d.items ?? []) as { id: string }[]).map((i) => i.id);
    default:
      return 'Jawaban uraian contoh dari data demo.';
  }
}

/**
 * Demo records on top of the sector packs, so every page and report shows something real at
 * first start: per sector, one ASN certified (health: expiring within 30 days), one halfway
 * through a course with a failed attempt and an essay waiting for grading.
 */
@Injectable()
export class ContentDemoService {
  private readonly logger = new Logger('ContentDemo');

  constructor(
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Course) private readonly courses: Repository<Course>,
    @InjectRepository(Lesson) private readonly lessons: Repository<Lesson>,
    @InjectRepository(Enrollment) private readonly enrollmentRows: Repository<Enrollment>,
    @InjectRepository(Assessment) private readonly assessments: Repository<Assessment>,
    @InjectRepository(Attempt) private readonly attemptRows: Repository<Attempt>,
    @InjectRepository(QuestionVersion) private readonly versions: Repository<QuestionVersion>,
    @InjectRepository(Question) private readonly questions: Repository<Question>,
    @InjectRepository(QuestionBank) private readonly banks: Repository<QuestionBank>,
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(Evidence) private readonly evidence: Repository<Evidence>,
    @InjectRepository(Position) private readonly positions: Repository<Position>,
    @InjectRepository(OutboxMail) private readonly mail: Repository<OutboxMail>,
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly content: ContentSyncService,
    private readonly certificateService: CertificatesService,
    private readonly outbox: MailOutbox,
    private readonly competencyDemo: CompetencyDemoService,
    private readonly enrollments: EnrollmentsService,
    private readonly attempts: AttemptsService,
  ) {}

  @OnEvent(DEMO_PEOPLE_READY, { async: true, promisify: true })
  async seed(): Promise<void> {
    // One writer at a time: the demo positions and evidence first, then the packs (their
    // sync is one long transaction that must not race the demo inserts on MariaDB), then
    // the records that build on both.
    await this.competencyDemo.seed();
    await this.content.ready();
    for (const { manifest } of this.loaded) {
      const people = DEMO_PEOPLE.filter(
        (p) => p.sector === manifest.key && p.role === 'asn' && p.nip,
      );
      const [certified, learning] = await Promise.all(
        people.slice(0, 2).map((p) => this.users.findOneBy({ nip: p.nip! })),
      );
      const scheme = await this.schemes.findOne({
        where: { sector: manifest.key, status: 'active' },
        order: { code: 'ASC' },
      });
      if (!certified || !scheme) continue;
      if (await this.attemptRows.existsBy({ userId: certified.id })) continue; // seeded before
      try {
        await this.certify(certified, scheme, manifest.key === 'health');
        if (learning) await this.halfway(learning, scheme, manifest.key);
      } catch (error) {
        this.logger.warn({ err: error }, `Demo records of ${manifest.key} incomplete`);
      }
    }
  }

  private sectorName(key: string): string {
    return this.loaded.find((s) => s.manifest.key === key)?.manifest.name.id ?? key;
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

  /** Completes the scheme's courses and passes its assessments: the certificate follows. */
  private async certify(user: User, scheme: CertificationScheme, expiringSoon: boolean) {
    const caller = this.caller(user);
    if (scheme.targetPositions[0]) {
      const position = await this.positions.findOneBy({ code: scheme.targetPositions[0] });
      if (position) await this.users.update({ id: user.id }, { positionId: position.id });
    }
    for (const code of scheme.requirements.courses) await this.completeCourse(caller, code, 1);
    for (const { assessmentId } of scheme.requirements.assessments)
      await this.sit(caller, assessmentId, true);
    const certificate = await this.certificates.findOneBy({ userId: user.id, schemeId: scheme.id });
    if (certificate && expiringSoon) {
      // One certificate close to its end, so reminders and the expiry report have a case.
      const expiresAt = new Date(Date.now() + 20 * 86_400_000);
      await this.certificates.update({ id: certificate.id }, { expiresAt });
      await this.evidence.update(
        { source: 'certificate', sourceId: certificate.id },
        { expiresAt },
      );
      // Its "Sertifikat terbit" message states the dates the certificate now carries.
      await this.mail.delete({ dedupeKey: `issued:${certificate.id}` });
      await this.notifications.delete({ userId: user.id, kind: 'certificate.issued' });
      await this.outbox.enqueue(
        this.certificateService.issuedMessage({ ...certificate, expiresAt }, null),
      );
    }
  }

  /** Half of a course done, one failed attempt, and an essay waiting for the coordinator. */
  private async halfway(user: User, scheme: CertificationScheme, sector: string) {
    const caller = this.caller(user);
    const [first] = scheme.requirements.courses;
    if (first) await this.completeCourse(caller, first, 0.5);
    const [exam] = scheme.requirements.assessments;
    if (exam) await this.sit(caller, exam.assessmentId, false);
    const bank = await this.banks.findOne({ where: { sector }, order: { createdAt: 'ASC' } });
    if (!bank) return;
    const now = new Date();
    const essay = this.questions.create({
      bankId: bank.id,
      categoryId: null,
      name: 'Refleksi praktik (demo)',
      type: 'essay',
      currentVersion: 1,
      competencyCode: null,
      competencyLevel: null,
      difficulty: 'sedang',
      tags: ['demo'],
      createdAt: now,
      updatedAt: now,
    });
    await this.questions.insert(essay);
    await this.versions.save(
      this.versions.create({
        questionId: essay.id,
        version: 1,
        stem: 'Ceritakan satu situasi di tempat kerja Anda ketika Anda menerapkan materi pelatihan ini, dan apa hasilnya.',
        definition: {
          rubric:
            'Situasi nyata (1), langkah yang diambil sesuai materi (1), hasil dan refleksi (1).',
        },
        points: 3,
        generalFeedback: '',
        usedAt: null,
        createdBy: null,
        createdAt: now,
      }),
    );
    const reflection = this.assessments.create({
      sector,
      title: `Refleksi Praktik Kerja ${this.sectorName(sector)} (demo)`,
      instructions: 'Tulis jawaban Anda dengan kalimat sendiri.',
      sections: [{ bankId: bank.id, count: 1, questionIds: [essay.id] }],
      shuffle: false,
      timeLimitMinutes: null,
      maxAttempts: 1,
      scoring: 'highest',
      passPercent: 60,
      opensAt: null,
      closesAt: null,
      // Only for this demo ASN: other people's exam lists stay about their own sector.
      audience: { everyone: false, userIds: [user.id] },
      reviewPolicy: 'feedback',
      reviewAfterClose: false,
      attests: [],
      layout: 'all',
      status: 'published',
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.assessments.insert(reflection);
    await this.sit(caller, reflection.id, true);
  }

  /**
   * Studies a share of a course's lessons through the real rule (ADR 0011), as a history in
   * the past: enrolled, then each lesson opened a minute after the previous one was done and
   * marked done after its full stated minutes, more than the course's minimum.
   */
  private async completeCourse(caller: AuthUser, code: string, share: number) {
    const course = await this.courses.findOneBy({ code, status: 'published' });
    if (!course) return;
    const enrollment = (await this.enrollments.enroll(caller, course.id, {})) as { id: string };
    const lessons = (
      await this.lessons.find({ where: { courseId: course.id }, order: { position: 'ASC' } })
    ).filter((l) => l.kind !== 'assessment');
    const studied = lessons.slice(0, Math.ceil(lessons.length * share));
    const minutes = studied.reduce((n, l) => n + l.durationMinutes + 1, 0);
    let at = Date.now() - (minutes + 60) * 60_000;
    await this.enrollmentRows.update({ id: enrollment.id }, { enrolledAt: new Date(at) });
    for (const lesson of studied) {
      at += 60_000;
      await this.enrollments.open(caller, enrollment.id, lesson.id, new Date(at));
      at += lesson.durationMinutes * 60_000;
      await this.enrollments.complete(caller, enrollment.id, lesson.id, new Date(at));
    }
  }

  /** Sits an assessment: every answer right, or (to fail) a third of them. */
  private async sit(caller: AuthUser, assessmentId: string, pass: boolean) {
    const attempt = await this.attempts.start(caller, assessmentId);
    const items = await this.attempts.keyedItems(attempt.id);
    const versions = await this.versions.find({
      where: items.map((i) => ({ questionId: i.questionId, version: i.questionVersion })),
    });
    for (const [index, item] of items.entries()) {
      if (!pass && index % 3 !== 0) continue;
      const version = versions.find(
        (v) => v.questionId === item.questionId && v.version === item.questionVersion,
      );
      const definition = (version?.definition ?? {}) as Definition;
      const response = rightResponse(item.type, definition);
      if (response !== undefined)
        await this.attempts.answer(caller, attempt.id, item.slot, {
          response: this.attempts.candidateResponse(attempt.id, item, definition, response),
        });
    }
    await this.attempts.submit(caller, attempt.id);
  }
}
