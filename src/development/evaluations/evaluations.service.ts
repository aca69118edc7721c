import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LessThanOrEqual, Repository } from 'typeorm';
import { CertificateEvaluationFacts } from '../../certification/certificate-evaluation-facts.js';
import { TransactionService } from '../../database/transaction.service.js';
import {
  CourseEvaluationFacts,
  type CourseEvaluationFact,
} from '../../learning/course-evaluation-facts.js';
import { COURSE_COMPLETED, type CourseCompleted } from '../../learning/enrollments.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Clock } from '../../platform/clock.js';
import { errorFamily } from '../../platform/http/domain-error.js';
import { Evaluation, EvaluationResponse, type EvaluationKind } from '../development.entity.js';
import {
  answerProblem,
  dayOf,
  jakartaYear,
  reactionItems,
  type EvaluationItem,
} from './evaluation-items.js';

export const evaluationError = errorFamily({
  'evaluation.not_found': 'not_found',
  'evaluation.answered': 'conflict',
  'evaluation.not_due': 'conflict',
  'evaluation.invalid': 'invalid',
});

/** A questionnaire as its recipient sees it. */
export interface QuestionnaireView {
  id: string;
  kind: EvaluationKind;
  dueAt: Date;
  subject: { id: string; name: string };
  course?: { id: string; code: string; title: string };
  scheme?: { id: string; code: string; title: string };
  certificate?: { number: string };
  items: EvaluationItem[];
}

/** An answer as given: a rating per item key and a comment. */
export interface AnswerInput {
  ratings: Record<string, number>;
  comment?: string | null;
}

export interface AnswerView {
  id: string;
  kind: EvaluationKind;
  answeredAt: Date;
}

const BEHAVIOUR: EvaluationKind[] = ['behaviour_self', 'behaviour_supervisor'];

/**
 * The questionnaires of evaluation levels 1 and 3 (ADR 0040): a reaction sent when a course
 * is completed, the behaviour ones the daily job sends, their listing and their answers.
 */
@Injectable()
export class EvaluationsService {
  private readonly logger = new Logger('Evaluations');

  constructor(
    @InjectRepository(Evaluation) private readonly evaluations: Repository<Evaluation>,
    private readonly courses: CourseEvaluationFacts,
    private readonly certificates: CertificateEvaluationFacts,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A completed course sends its learner the reaction questionnaire, once per code and year. */
  @OnEvent(COURSE_COMPLETED, { async: true, promisify: true })
  async onCourseCompleted(event: CourseCompleted): Promise<void> {
    try {
      await this.sendReaction(event);
    } catch (error) {
      this.logger.error({ err: error, userId: event.userId }, 'Reaction questionnaire not sent');
    }
  }

  /** Creates the reaction questionnaire of a completion; a second of the same key is a no-op. */
  async sendReaction(event: CourseCompleted): Promise<void> {
    const year = jakartaYear(event.completedAt);
    await this.insertOnce({
      kind: 'reaction',
      dedupeKey: `reaction:${event.userId}:${event.courseCode}:${year}`.slice(0, 120),
      recipientId: event.userId,
      subjectUserId: event.userId,
      courseId: event.courseId,
      competencyCodes: [],
      year,
      dueAt: this.clock.now(),
    });
  }

  /**
   * Inserts a questionnaire unless one of its dedupe key exists (the unique index decides,
   * also between two instances).
   */
  async insertOnce(
    row: Pick<
      Evaluation,
      'kind' | 'dedupeKey' | 'recipientId' | 'subjectUserId' | 'competencyCodes' | 'year' | 'dueAt'
    > &
      Partial<Pick<Evaluation, 'courseId' | 'schemeId' | 'certificateId' | 'planId'>>,
  ): Promise<void> {
    await this.transactions
      .repository(Evaluation)
      .createQueryBuilder()
      .insert()
      .values({
        id: randomUUID(),
        courseId: null,
        schemeId: null,
        certificateId: null,
        planId: null,
        ...row,
        status: 'pending',
        remindedAt: null,
        answeredAt: null,
        createdAt: this.clock.now(),
      })
      .orIgnore()
      .execute();
  }

  /** How many questionnaires wait for the user now. */
  pendingCount(userId: string): Promise<number> {
    return this.evaluations.count({
      where: { recipientId: userId, status: 'pending', dueAt: LessThanOrEqual(this.clock.now()) },
    });
  }

  /** The caller's pending questionnaires that are due, oldest first. */
  async mine(user: AuthUser): Promise<QuestionnaireView[]> {
    const rows = await this.evaluations.find({
      where: { recipientId: user.id, status: 'pending', dueAt: LessThanOrEqual(this.clock.now()) },
      order: { dueAt: 'ASC', id: 'ASC' },
      take: 200,
    });
    return this.views(user, rows);
  }

  /** One of the caller's pending, due questionnaires (404 for anyone else's). */
  async one(user: AuthUser, id: string): Promise<QuestionnaireView> {
    const row = await this.evaluations.findOneBy({ id, recipientId: user.id });
    if (!row) throw evaluationError('evaluation.not_found');
    if (row.status !== 'pending') throw evaluationError('evaluation.answered');
    if (row.dueAt.getTime() > this.clock.now().getTime())
      throw evaluationError('evaluation.not_due');
    return (await this.views(user, [row]))[0];
  }

  /**
   * Answers a questionnaire once. A reaction's answer is stored apart from its questionnaire
   * and its person, with the date only; the questionnaire is marked answered in the same
   * transaction by a conditional update, so of two answers at once one is a 409.
   */
  async answer(user: AuthUser, id: string, input: AnswerInput): Promise<AnswerView> {
    const row = await this.evaluations.findOneBy({ id, recipientId: user.id });
    if (!row) throw evaluationError('evaluation.not_found');
    if (row.status !== 'pending') throw evaluationError('evaluation.answered');
    const now = this.clock.now();
    if (row.dueAt.getTime() > now.getTime()) throw evaluationError('evaluation.not_due');
    const items = await this.itemsOf(row);
    const behaviour = BEHAVIOUR.includes(row.kind);
    const problem = answerProblem(
      items.map((i) => i.key),
      input.ratings,
      input.comment,
      behaviour,
    );
    if (problem)
      throw evaluationError('evaluation.invalid', {
        variant: problem.variant,
        field: problem.field,
        params: { field: problem.field },
      });
    const ratings = Object.fromEntries(items.map((i) => [i.key, input.ratings[i.key]]));
    const comment = input.comment?.trim() || null;
    const reaction = row.kind === 'reaction';
    await this.transactions.run(async () => {
      const marked = await this.transactions
        .repository(Evaluation)
        .createQueryBuilder()
        .update(Evaluation)
        .set({ status: 'answered', answeredAt: now })
        .where('id = :id', { id })
        .andWhere('status = :pending', { pending: 'pending' })
        .execute();
      if (marked.affected !== 1) throw evaluationError('evaluation.answered');
      await this.transactions.repository(EvaluationResponse).insert({
        id: randomUUID(),
        kind: row.kind,
        evaluationId: reaction ? null : row.id,
        subjectUserId: reaction ? null : row.subjectUserId,
        courseId: row.courseId,
        schemeId: reaction ? null : row.schemeId,
        certificateId: reaction ? null : row.certificateId,
        ratings,
        comment,
        year: row.year,
        createdAt: reaction ? dayOf(now) : now,
      });
      await this.audit.record({
        actor: user,
        action: 'evaluation.answer',
        entityType: 'evaluation',
        entityId: row.id,
        detail: { kind: row.kind },
      });
    });
    return { id: row.id, kind: row.kind, answeredAt: now };
  }

  /** The items a questionnaire is rated on: reaction statements or competencies. */
  private async itemsOf(row: Evaluation): Promise<EvaluationItem[]> {
    if (row.kind === 'reaction') {
      const course = row.courseId ? await this.courses.byId(row.courseId) : null;
      return reactionItems(course?.reactionItems);
    }
    const certificate = row.certificateId
      ? (await this.certificates.byIds([row.certificateId])).get(row.certificateId)
      : undefined;
    return competencyItems(row.competencyCodes, certificate?.competencies ?? []);
  }

  private async views(user: AuthUser, rows: Evaluation[]): Promise<QuestionnaireView[]> {
    const courses = await this.courses.byIds(
      rows.map((r) => r.courseId).filter((id): id is string => !!id),
    );
    const certificates = await this.certificates.byIds(
      rows.map((r) => r.certificateId).filter((id): id is string => !!id),
    );
    return rows.map((row) => {
      const course: CourseEvaluationFact | undefined = row.courseId
        ? courses.get(row.courseId)
        : undefined;
      const certificate = row.certificateId ? certificates.get(row.certificateId) : undefined;
      const view: QuestionnaireView = {
        id: row.id,
        kind: row.kind,
        dueAt: row.dueAt,
        subject: {
          id: row.subjectUserId,
          name: row.subjectUserId === user.id ? user.name : (certificate?.holderName ?? user.name),
        },
        items:
          row.kind === 'reaction'
            ? reactionItems(course?.reactionItems)
            : competencyItems(row.competencyCodes, certificate?.competencies ?? []),
      };
      if (course) view.course = { id: course.id, code: course.code, title: course.title };
      if (certificate) {
        view.scheme = {
          id: certificate.schemeId,
          code: certificate.schemeCode,
          title: certificate.schemeTitle,
        };
        view.certificate = { number: certificate.number };
      }
      return view;
    });
  }
}

/** The competencies to rate, with their titles as the certificate has them. */
function competencyItems(
  codes: string[],
  titles: { code: string; title: string }[],
): EvaluationItem[] {
  const byCode = new Map(titles.map((c) => [c.code, c.title]));
  return codes.map((code) => ({ key: code, text: byCode.get(code) ?? code }));
}
