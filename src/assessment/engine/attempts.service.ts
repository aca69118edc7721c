import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Repository } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { EvidenceService } from '../../competency/evidence.service.js';
import { isUniqueViolation } from '../../database/db-errors.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AccessService } from '../../platform/auth/access.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { MetricsService } from '../../platform/metrics/metrics.service.js';
import { NotificationsService } from '../../platform/notifications/notifications.service.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import { SectorEvents, SectorsService } from '../../registry/sectors.service.js';
import { Clock } from '../../platform/clock.js';
import { errorFamily } from '../../platform/http/domain-error.js';
import { renderMarkdown } from '../../platform/web/markdown.js';
import { QuestionTypeRegistry } from '../../registry/registries.js';
import type { Language } from '../../platform/http/lang.decorator.js';
import { t } from '../../platform/i18n/i18n.js';
import { answerKey, responseWords } from '../question-types/answer-words.js';
import { Question, QuestionVersion } from '../banks/question-bank.entity.js';
import {
  type AssessmentPassVoided,
  type AttemptGraded,
  ASSESSMENT_PASS_VOIDED,
  ASSESSMENT_PASSED,
  ATTEMPT_GRADED,
} from './assessment.events.js';
import { Assessment, Attempt, AttemptItem, type ReviewPolicy } from './assessment.entity.js';
import { AssessmentsService } from './assessments.service.js';
import {
  applyOrder,
  deadlineOf,
  drawFrom,
  isFullCredit,
  resultOf,
  reviewNow,
  anotherTryPossible,
  countedAttempts,
  round2,
  shuffled,
  shuffledLists,
} from './attempt-rules.js';
import { PickIds, pickKeyOf, picksOf } from './pick-ids.js';
import { blankLabel } from '../interchange/cloze-syntax.js';
import { blankOutcomes, type ClozeDefinition } from '../question-types/cloze.type.js';
import { SessionGate, type SessionEntry } from '../sessions/session-gate.js';
import { sessionError } from '../sessions/session-errors.js';
import { AnswerStore } from './answer-store.js';
import { AttemptsRepository, type GradedRow } from './attempts.repository.js';
import { ExamCache, type PoolVersion } from './exam-cache.js';
import {
  type AttemptSnapshot,
  AttemptSnapshots,
  type SnapshotItem,
  UsedVersions,
} from './attempt-snapshots.js';

export const attemptError = errorFamily({
  'attempt.not_found': 'not_found',
  'attempt.invalid': 'invalid',
  'attempt.closed': 'conflict',
  /** A proctor paused it (a power cut): no answer is taken until resumed. */
  'attempt.paused': 'conflict',
  'attempt.limit': 'refused',
  /** Hand grading of an item the machine grades (ADR 0020). */
  'attempt.machine_graded': 'refused',
  /** An override of an item a person grades: that is grading (ADR 0020). */
  'attempt.manual_item': 'refused',
  /** A second pre-test, or one after a regular attempt (ADR 0040). */
  'attempt.pretest': 'conflict',
});

type Definition = Record<string, unknown>;

/**
 * Attempts: start (draws and snapshots the questions), answers saved one by one, submit
 * graded exactly once, and closing at the server's deadline. The candidate never receives
 * a key, a credit or feedback before the review policy allows it.
 */
@Injectable()
export class AttemptsService implements OnModuleInit {
  private readonly logger = new Logger('Attempts');
  private readonly pickKey: Buffer;
  /** What answer saves need of each attempt, read once (immutable, so per process). */
  private readonly snapshots = new AttemptSnapshots();
  private readonly usedVersions = new UsedVersions();

  constructor(
    @InjectRepository(Attempt) private readonly attempts: Repository<Attempt>,
    @InjectRepository(AttemptItem) private readonly items: Repository<AttemptItem>,
    @InjectRepository(Assessment) private readonly assessmentRows: Repository<Assessment>,
    @InjectRepository(QuestionVersion) private readonly versions: Repository<QuestionVersion>,
    private readonly assessments: AssessmentsService,
    private readonly types: QuestionTypeRegistry,
    private readonly transactions: TransactionService,
    private readonly access: AccessService,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly sectors: SectorsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly evidenceService: EvidenceService,
    private readonly answerStore: AnswerStore,
    private readonly rows: AttemptsRepository,
    private readonly examCache: ExamCache,
    private readonly gate: SessionGate,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pickKey = pickKeyOf(config.jwtSecret);
  }

  onModuleInit(): void {
    this.sectors.contributeImpact(async (sector) => {
      const open = await this.openAttemptsOfSector(sector);
      return { attemptsInProgress: open.length, userIds: open.map((a) => a.userId) };
    });
  }

  private async openAttemptsOfSector(sector: string) {
    const ids = await this.assessments.idsOfSector(sector);
    if (!ids.length) return [];
    return this.attempts.find({
      select: { id: true, userId: true, assessmentId: true },
      where: { status: 'in_progress', assessmentId: In(ids) },
    });
  }

  /**
   * A sector switched off voids the open attempts at its exams (ADR 0021): no result, no
   * evidence, not counted against the attempt limit; each candidate is told why. Grading
   * them as they stand would let a half-done exam pass while nothing in the sector counts.
   */
  @OnEvent(SectorEvents.toggled, { async: true, promisify: true })
  async onSectorToggled(event: { key: string; enabled: boolean; actorId?: string }) {
    if (event.enabled) return;
    const open = await this.openAttemptsOfSector(event.key);
    if (!open.length) return;
    const titles = new Map(
      (
        await this.assessmentRows.find({
          select: { id: true, title: true },
          where: { id: In([...new Set(open.map((a) => a.assessmentId))]) },
        })
      ).map((a) => [a.id, a.title]),
    );
    const name = (await this.sectors.get(event.key)).name;
    for (const attempt of open)
      await this.voidForSector(
        attempt,
        titles.get(attempt.assessmentId) ?? '',
        event.key,
        name,
        event.actorId,
      );
    this.logger.log(`Voided ${open.length} open attempt(s) of disabled sector ${event.key}`);
  }

  /**
   * Starts an attempt, or returns the open one: one open attempt per user and assessment.
   * A supervised assessment's start goes through its session's door first (SessionGate).
   */
  async start(caller: AuthUser, assessmentId: string, entry: SessionEntry = {}) {
    return this.begin(caller, assessmentId, entry, null);
  }

  /**
   * Starts a course's pre-test on its assessment (ADR 0040), or returns the open one: once
   * per learner, and only before any regular attempt (after one it would no longer measure
   * the before). The caller (learning) has checked the course and the enrolment. It is an
   * attempt like any other (answers, timing, submit) that never passes, gives no evidence
   * and is not counted against the attempt limit; it is not supervised.
   */
  async startPretest(caller: AuthUser, assessmentId: string) {
    return this.begin(caller, assessmentId, {}, 'pretest');
  }

  private async begin(
    caller: AuthUser,
    assessmentId: string,
    entry: SessionEntry,
    purpose: 'pretest' | null,
  ) {
    const assessment = await this.assessments.requireOpenFor(caller, assessmentId);
    // A pre-test sits outside any exam room: on a supervised exam it would show the
    // questions unsupervised before the real sitting.
    if (purpose === 'pretest' && assessment.supervised)
      throw attemptError('attempt.pretest', { variant: 'supervised', field: 'purpose' });
    const admission =
      assessment.supervised && purpose !== 'pretest'
        ? await this.gate.admit(caller, assessmentId, entry, this.clock.now())
        : null;
    let past = await this.rows.ofCandidate(assessmentId, caller.id);
    const open = past.find((a) => a.openKey);
    if (purpose === 'pretest') {
      if (past.some((a) => a.purpose !== 'pretest'))
        throw attemptError('attempt.pretest', { variant: 'late', field: 'purpose' });
      if (past.some((a) => a.purpose === 'pretest' && !a.openKey))
        throw attemptError('attempt.pretest', { variant: 'taken', field: 'purpose' });
    }
    if (open) {
      if (!this.isOverdue(open)) {
        if (admission) await this.gate.resumeOn(open, caller.sid ?? null);
        return { ...(await this.view(caller, open.id)), resumed: true };
      }
      await this.close(open.id);
      past = await this.rows.ofCandidate(assessmentId, caller.id);
      if (admission?.openAttemptId === open.id)
        throw sessionError('session.already_attempted', { field: 'sessionId' });
    }
    if (assessment.maxAttempts > 0 && countedAttempts(past) >= assessment.maxAttempts)
      throw attemptError('attempt.limit', {
        field: 'maxAttempts',
        params: { max: assessment.maxAttempts },
      });

    // A pre-test found open above was returned; one that has closed since is a second one.
    if (purpose === 'pretest' && past.some((a) => a.purpose === 'pretest'))
      throw attemptError('attempt.pretest', { variant: 'taken', field: 'purpose' });
    const pretest = purpose === 'pretest' ? undefined : past.find((a) => a.purpose === 'pretest');
    const drawn = await this.draw(assessment, pretest ? await this.questionsOf(pretest.id) : null);
    let picked = drawn;
    const now = this.clock.now();
    const regular = past.filter((a) => a.purpose !== 'pretest').length;
    const attempt = this.attempts.create({
      id: randomUUID(),
      assessmentId,
      userId: caller.id,
      // The pre-test is number 0: the regular attempts are numbered 1, 2, … as before.
      number: purpose === 'pretest' ? 0 : regular + 1,
      openKey: openKeyOf(assessmentId, caller.id),
      purpose,
      status: 'in_progress',
      startedAt: now,
      // A supervised attempt also ends with its session (the proctors leave the room then).
      deadline: deadlineOf(
        now,
        assessment.timeLimitMinutes,
        earliest(assessment.closesAt, admission?.endsAt),
      ),
      submittedAt: null,
      score: null,
      maxScore: 0,
      percent: null,
      passed: null,
      gradedAt: null,
      sessionId: admission?.sessionId ?? null,
      pausedAt: null,
      voidedFor: null,
      // A supervised attempt is bound to the device that started it.
      deviceSession: admission ? (caller.sid ?? null) : null,
    });
    let items: AttemptItem[] = [];
    try {
      await this.transactions.run(async () => {
        // From the draw, not from a run that lost a conflict and was rolled back: that run's
        // versions already say "used", and marking them again would mark nothing.
        picked = await this.markFirstUse(assessmentId, drawn, now);
        attempt.maxScore = round2(picked.reduce((n, v) => n + v.points, 0));
        items = picked.map((version, index) => this.newItem(attempt.id, index + 1, version));
        await this.rows.insertStarted(attempt, items);
        if (admission) await this.gate.bind(admission.seatId, attempt.id, now);
      });
    } catch (error) {
      // Two starts at once: the database let one in; the other returns that one.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.attempts.findOneBy({
        openKey: openKeyOf(assessmentId, caller.id),
      });
      if (!winner) throw error;
      return { ...(await this.view(caller, winner.id)), resumed: true };
    }
    // Used now and never changed again: grading and views of the attempt read them from here.
    for (const version of picked) this.usedVersions.remember(version);
    // The view from what the start holds: the rows it wrote and the versions it drew.
    const versions = new Map(picked.map((v) => [`${v.questionId}:${v.version}`, v]));
    return { ...this.viewOf(caller, attempt, assessment, items, versions), resumed: false };
  }

  /**
   * A version is marked used when publication puts its question in the pool; a version
   * drawn while still unmarked (a question added or edited after publication) is marked
   * here, before the attempt shows it. Its content is read again after the mark, under
   * the mark's lock: an edit that got in first is what the candidate sees, and an edit
   * after it finds the version used and makes a new one (question banks).
   */
  private async markFirstUse(assessmentId: string, picked: PoolVersion[], now: Date) {
    const unmarked = picked.filter((v) => !v.usedAt).map((v) => v.id);
    if (!unmarked.length) return picked;
    const versions = this.transactions.repository(QuestionVersion);
    await versions
      .createQueryBuilder()
      .update()
      .set({ usedAt: now })
      .where({ id: In(unmarked) })
      .andWhere('usedAt IS NULL')
      .execute();
    const fresh = new Map((await versions.findBy({ id: In(unmarked) })).map((v) => [v.id, v]));
    // The pool's copy still says unmarked (and may predate an edit): the next start reads it again.
    this.examCache.pools.invalidate(assessmentId);
    return picked.map((v) =>
      fresh.has(v.id) ? Object.assign(fresh.get(v.id)!, { type: v.type }) : v,
    );
  }

  private newItem(attemptId: string, slot: number, version: PoolVersion): AttemptItem {
    return this.items.create({
      id: randomUUID(),
      attemptId,
      slot,
      questionId: version.questionId,
      questionVersion: version.version,
      type: version.type,
      points: version.points,
      listOrder: this.orderFor(version),
      response: null,
      responseSeq: 0,
      answeredAt: null,
      flagged: false,
      fraction: null,
      score: null,
      graderComment: null,
      gradedBy: null,
      gradedAt: null,
      overrideReason: null,
    });
  }

  /** The attempt as its reader may see it; an overdue open attempt is closed first. */
  async view(caller: AuthUser, attemptId: string, lang: Language = 'id') {
    let attempt = await this.requireReadable(caller, attemptId);
    if (this.isOverdue(attempt)) {
      await this.close(attempt.id);
      attempt = (await this.attempts.findOneBy({ id: attemptId }))!;
    }
    const assessment = (await this.assessments.settingsOf(attempt.assessmentId))!;
    const { items, versions } = await this.itemsWithVersions(attemptId);
    const anotherTry = await this.anotherTry(caller, attempt, assessment);
    return this.viewOf(caller, attempt, assessment, items, versions, lang, anotherTry);
  }

  /**
   * Whether the owner's own view of an attempt, as the review policy lets them see it now,
   * holds `text` (a question file's address): the stem and options while it is open, the
   * feedback and the key only once the review shows them. No one else's attempt shows anything.
   */
  async ownerSees(caller: AuthUser, attemptId: string, text: string): Promise<boolean> {
    const attempt = await this.attempts.findOneBy({ id: attemptId });
    if (!attempt || attempt.userId !== caller.id) return false;
    const assessment = await this.assessments.settingsOf(attempt.assessmentId);
    if (!assessment) return false;
    const { items, versions } = await this.itemsWithVersions(attemptId);
    const anotherTry = await this.anotherTry(caller, attempt, assessment);
    const view = this.viewOf(caller, attempt, assessment, items, versions, 'id', anotherTry);
    return JSON.stringify(view.items).includes(text);
  }

  /**
   * Whether the owner of a finished attempt may still sit the assessment again, asked only
   * where the answer depends on it: the right answers ('answers') wait for the last try.
   */
  private async anotherTry(caller: AuthUser, attempt: Attempt, assessment: Assessment) {
    if (assessment.reviewPolicy !== 'answers' || attempt.userId !== caller.id) return false;
    if (attempt.status === 'in_progress') return true;
    const attempts = await this.rows.ofCandidate(assessment.id, attempt.userId);
    return anotherTryPossible(attempts, assessment, this.clock.now());
  }

  /** The view of an attempt from rows in hand; items in slot order. */
  private viewOf(
    caller: AuthUser,
    attempt: Attempt,
    assessment: Assessment,
    items: AttemptItem[],
    versions: Map<string, QuestionVersion>,
    lang: Language = 'id',
    anotherTry = false,
  ) {
    const now = this.clock.now();
    const finished = attempt.status !== 'in_progress';
    const policy: ReviewPolicy =
      attempt.userId === caller.id
        ? reviewNow(assessment.reviewPolicy, {
            finished,
            reviewAfterClose: assessment.reviewAfterClose,
            closesAt: assessment.closesAt,
            now,
            anotherTry,
          })
        : finished
          ? 'feedback'
          : 'none';
    // A pre-test tells its owner the score, never which answer was right: the post-test
    // draws from the same bank (ADR 0040).
    const review: ReviewPolicy =
      attempt.purpose === 'pretest' && attempt.userId === caller.id && policy !== 'none'
        ? 'score'
        : policy;
    // An open attempt's view holds what its saves need: kept, its first save reads nothing.
    const snapshot =
      attempt.status === 'in_progress' && !this.snapshots.get(attempt.id)
        ? new Map<number, SnapshotItem>()
        : undefined;
    const shown = items.map((item) =>
      this.itemView(item, versions.get(versionKey(item))!, review, attempt.id, snapshot, lang),
    );
    if (snapshot) this.snapshots.set(attempt.id, { userId: attempt.userId, items: snapshot });
    return {
      id: attempt.id,
      assessmentId: attempt.assessmentId,
      title: assessment.title,
      number: attempt.number,
      /** 'pretest' for a course's pre-test (never passes, ADR 0040); null for a regular attempt. */
      purpose: attempt.purpose ?? null,
      status: attempt.status,
      startedAt: attempt.startedAt.toISOString(),
      deadline: attempt.deadline?.toISOString() ?? null,
      submittedAt: attempt.submittedAt?.toISOString() ?? null,
      /**
       * Closed by its deadline (the server's job, a late page, or a submit after the time):
       * the result page says the answers were sent automatically.
       */
      timedOut:
        finished &&
        !!attempt.deadline &&
        !!attempt.submittedAt &&
        attempt.submittedAt.getTime() >= attempt.deadline.getTime(),
      serverTime: now.toISOString(),
      sessionId: attempt.sessionId ?? null,
      /** Set while a proctor has paused it: the clock stands still, answers wait. */
      pausedAt: attempt.pausedAt?.toISOString() ?? null,
      review,
      // The right answers are held for the candidate's last try: the result page says so.
      ...(anotherTry && review === 'feedback' && { answersAfterLastTry: true }),
      items: shown,
      // An admin's override of the machine's grade is said wherever scores are shown (ADR 0020).
      ...(review !== 'none' && {
        overrides: items
          .filter((i) => i.overrideReason)
          .map((i) => ({
            slot: i.slot,
            reason: i.overrideReason,
            ...(review !== 'score' && { score: i.score }),
          })),
      }),
      ...(review !== 'none' &&
        attempt.percent !== null && {
          result: {
            score: attempt.score,
            maxScore: attempt.maxScore,
            percent: attempt.percent,
            passed: attempt.status === 'graded' ? attempt.passed : null,
          },
        }),
    };
  }

  /**
   * Saves one answer. `seq` orders a candidate's saves of one slot: a retry that arrives
   * after a newer save is acknowledged and ignored. After the deadline: 409.
   *
   * The common case is one statement and no read: the item's type and ids come from the
   * attempt's cached snapshot, and the ownership, open-attempt, deadline and sector checks
   * are in the UPDATE's WHERE (AnswerStore). Only a save that changes nothing, or that is
   * refused, reads the attempt to say why, as the checks one by one did.
   */
  async answer(
    caller: AuthUser,
    attemptId: string,
    slot: number,
    input: { response?: unknown; seq?: number; flagged?: boolean },
    ip?: string,
  ) {
    const hasResponse = input.response !== undefined;
    const snapshot = await this.answerSnapshot(caller, attemptId);
    const item = snapshot?.items.get(slot);
    if (!item)
      return this.refuseAnswer(
        caller,
        attemptId,
        attemptError('attempt.not_found', { variant: 'slot', params: { slot } }),
      );
    if (!hasResponse && input.flagged === undefined)
      return this.refuseAnswer(
        caller,
        attemptId,
        attemptError('attempt.invalid', { variant: 'nothing', field: 'response' }),
      );
    let response = input.response;
    if (hasResponse && response !== null) {
      const checked = this.authoringResponse(item, response);
      if ('refused' in checked) return this.refuseAnswer(caller, attemptId, checked.refused);
      response = checked.response;
    }
    const now = this.clock.now();
    // Only a save without `seq`, or a flag alone, needs the slot's saved sequence first.
    const current =
      input.seq === undefined || !hasResponse
        ? ((await this.answerStore.seqOf(attemptId, slot)) ?? 0)
        : 0;
    const seq = input.seq ?? current + 1;
    // One statement: ownership, open attempt, deadline and sector are in its WHERE.
    const saved = await this.answerStore.write({
      attemptId,
      userId: caller.id,
      slot,
      now,
      ...(hasResponse && { answer: { response: response ?? null, seq } }),
      ...(input.flagged !== undefined && { flagged: input.flagged }),
      origin: { deviceSession: caller.sid ?? null, ip: ip ?? null },
    });
    this.metrics.answerSaves.inc({ stored: String(saved) });
    if (!saved) return this.unsavedAnswer(caller, attemptId, slot, item);
    return {
      slot,
      saved: true,
      seq: hasResponse ? seq : current,
      savedAt: now.toISOString(),
      ...(hasResponse && { response: input.response }),
      ...(input.flagged !== undefined && { flagged: input.flagged }),
    };
  }

  /**
   * The attempt's fixed parts for a save when the attempt is the caller's (null otherwise),
   * loaded on its first save and then kept (AttemptSnapshots).
   */
  private async answerSnapshot(
    caller: AuthUser,
    attemptId: string,
  ): Promise<AttemptSnapshot | null> {
    const cached = this.snapshots.get(attemptId);
    if (cached) return cached.userId === caller.id ? cached : null;
    const attempt = await this.attempts.findOne({
      select: { id: true, userId: true },
      where: { id: attemptId },
    });
    if (!attempt || attempt.userId !== caller.id) return null;
    const items = await this.items.find({
      select: { id: true, slot: true, type: true, questionId: true, questionVersion: true },
      where: { attemptId },
    });
    const versions = items.length
      ? await this.versions.find({
          select: { id: true, questionId: true, version: true, definition: true },
          where: items.map((i) => ({ questionId: i.questionId, version: i.questionVersion })),
        })
      : [];
    const definitions = new Map(versions.map((v) => [`${v.questionId}:${v.version}`, v]));
    const snapshot: AttemptSnapshot = {
      userId: attempt.userId,
      items: new Map(
        items.map((item) => [
          item.slot,
          {
            type: item.type,
            ids: this.pickIds(attemptId, item, definitions.get(versionKey(item))?.definition ?? {})
              .ids,
          },
        ]),
      ),
    };
    this.snapshots.set(attemptId, snapshot);
    return snapshot;
  }

  /**
   * A candidate's response checked against the item's type and put in authoring ids (the
   * candidate answers with the attempt's opaque ids), or why it is refused.
   */
  private authoringResponse(
    item: SnapshotItem,
    response: unknown,
  ): { response: unknown } | { refused: Error } {
    if (JSON.stringify(response).length > 20_000)
      return {
        refused: attemptError('attempt.invalid', { variant: 'tooLong', field: 'response' }),
      };
    const type = this.types.get(item.type);
    // The shape first (ids are the same shape either way), then the ids.
    const problems = type?.validateResponse(response) ?? [];
    if (problems.length)
      return {
        refused: attemptError('attempt.invalid', {
          variant: 'response',
          field: 'response',
          params: { problems: problems.join('; ') },
        }),
      };
    if (type?.picks === false) return { response };
    const authoring = item.ids.toAuthoring(response);
    // Which ids would have been right is not said: the list would be in authoring order.
    if (authoring === undefined)
      return {
        refused: attemptError('attempt.invalid', { variant: 'unknownChoice', field: 'response' }),
      };
    return { response: authoring };
  }

  /**
   * A refused save answers as the checks did before the single statement: someone else's
   * or a missing attempt (404), closed or past its deadline (409), sector off (422) first,
   * and only then what is wrong with the request itself.
   */
  private async refuseAnswer(caller: AuthUser, attemptId: string, error: Error): Promise<never> {
    await this.requireAnswerable(caller, attemptId);
    throw error;
  }

  /** The save changed nothing: says why, or (a newer save won) returns what is stored. */
  private async unsavedAnswer(
    caller: AuthUser,
    attemptId: string,
    slot: number,
    item: SnapshotItem,
  ) {
    await this.requireAnswerable(caller, attemptId);
    const current = (await this.items.findOneBy({ attemptId, slot }))!;
    return {
      slot,
      saved: false,
      seq: current.responseSeq,
      response: item.ids.toOpaque(current.response),
    };
  }

  /** The caller's attempt, from its device, open (an overdue one is closed) and its sector on. */
  private async requireAnswerable(caller: AuthUser, attemptId: string): Promise<void> {
    const attempt = await this.requireOwn(caller, attemptId);
    await this.requireOpen(attempt);
    this.requireDevice(caller, attempt);
    await this.requireSectorOn(attempt);
  }

  /** Submits and grades, once: a second submit (even at the same instant) gets the same result. */
  async submit(caller: AuthUser, attemptId: string) {
    const attempt = await this.requireOwn(caller, attemptId);
    if (attempt.status === 'in_progress') {
      this.requireDevice(caller, attempt);
      const { grading } = await this.closeOpen(attempt);
      // This call graded it: the view from the rows in hand, as stored.
      if (grading) {
        const closed = { ...attempt, status: 'submitted' } as Attempt;
        const anotherTry = await this.anotherTry(caller, closed, grading.assessment);
        return this.viewOf(
          caller,
          attempt,
          grading.assessment,
          grading.items,
          grading.versions,
          'id',
          anotherTry,
        );
      }
    }
    // Closed before (or by a submit at the same instant, or voided): as stored.
    return this.view(caller, attemptId);
  }

  /** A draw as a candidate would get it, for the coordinator's preview; nothing is stored. */
  async sample(caller: AuthUser, assessmentId: string) {
    const assessment = await this.assessments.requireManaged(caller, assessmentId);
    const picked = await this.draw(assessment);
    // A preview has ids of its own, as an attempt would.
    const preview = `preview:${randomUUID()}`;
    return picked.map((version, index) =>
      this.itemView(this.newItem(preview, index + 1, version), version, 'none', preview),
    );
  }

  /** The items of an attempt with their question versions (server side only: demo data, tools). */
  keyedItems(attemptId: string) {
    return this.items.find({ where: { attemptId }, order: { slot: 'ASC' } });
  }

  /** A response in authoring ids as the attempt's candidate would give it (demo data, tools). */
  candidateResponse(
    attemptId: string,
    item: Pick<AttemptItem, 'slot' | 'type'>,
    definition: unknown,
    response: unknown,
  ): unknown {
    return this.pickIds(attemptId, item, definition).ids.toOpaque(response);
  }

  /**
   * Every attempt of the caller, as the attempt page shows each (the review policy decides
   * what of the answers and keys shows), oldest first: the personal export's (ADR 0038).
   */
  async allMine(caller: AuthUser) {
    const rows = await this.attempts.find({
      where: { userId: caller.id },
      select: { id: true },
      order: { startedAt: 'ASC' },
    });
    const views = [];
    for (const row of rows) views.push(await this.view(caller, row.id));
    return views;
  }

  /** The caller's attempts at an assessment, newest first (the start page lists them). */
  async mine(caller: AuthUser, assessmentId: string) {
    const rows = await this.attempts.find({
      where: { assessmentId, userId: caller.id },
      order: { number: 'DESC' },
    });
    return rows.map((a) => ({
      id: a.id,
      number: a.number,
      purpose: a.purpose ?? null,
      status: this.isOverdue(a) ? 'submitted' : a.status,
      startedAt: a.startedAt.toISOString(),
      submittedAt: a.submittedAt?.toISOString() ?? null,
      open: a.status === 'in_progress' && !this.isOverdue(a),
    }));
  }

  /**
   * A proctor voids an attempt for misconduct (ADR 0024), open or already graded: no result
   * counts, the seat is spent. A pass it had is withdrawn as a regrade's is (ADR 0019): its
   * evidence ended here, in the transaction, and the certificate and course completion
   * resting on it by the ASSESSMENT_PASS_VOIDED event after.
   * @returns false when it was voided before
   */
  async voidForMisconduct(attemptId: string, reason: string, actor: AuthUser): Promise<boolean> {
    const now = this.clock.now();
    let voidedPass: AttemptGraded | null = null;
    const voided = await this.transactions.run(async (manager) => {
      voidedPass = null; // a run rolled back after a conflict announces nothing
      const attempt = await manager.getRepository(Attempt).findOneBy({ id: attemptId });
      if (!attempt || attempt.status === 'voided') return false;
      const { affected } = await manager
        .createQueryBuilder()
        .update(Attempt)
        // `passed` cleared too: the pass queries (AssessmentRecords.passIds, passesUntil)
        // read `passed` alone, and a voided pass left true still counted there, e.g. as the
        // "other pass" that kept a course completion or a certificate standing.
        .set({
          status: 'voided',
          submittedAt: attempt.submittedAt ?? now,
          openKey: null,
          voidedFor: 'misconduct',
          passed: null,
        })
        .where('id = :id AND status = :status', { id: attempt.id, status: attempt.status })
        .execute();
      if (affected !== 1) return false;
      const assessment = (await this.assessments.settingsOf(attempt.assessmentId))!;
      if (attempt.passed) {
        await this.evidenceService.end(
          {
            userId: attempt.userId,
            source: 'assessment',
            sourceIds: [attempt.id],
            reason: 'voided',
            notice: `Percobaan ujian "${assessment.title}" Anda dibatalkan oleh pengawas: ${reason}`,
          },
          now,
        );
        voidedPass = {
          userId: attempt.userId,
          assessmentId: attempt.assessmentId,
          attemptId: attempt.id,
          sector: assessment.sector,
          percent: Number(attempt.percent ?? 0),
          passed: false,
          gradedAt: now,
        };
      }
      await this.notifications.notify({
        userId: attempt.userId,
        kind: 'attempt.voided',
        title: `Ujian "${assessment.title}" dibatalkan`,
        body: `Percobaan ujian Anda dibatalkan oleh pengawas dan tidak dinilai. Alasan: ${reason}`,
        link: null,
      });
      return true;
    });
    if (voidedPass) await this.announceVoided(voidedPass, actor, reason);
    return voided;
  }

  /** Voids one open attempt of a switched-off sector; false when something closed it first. */
  private async voidForSector(
    attempt: Pick<Attempt, 'id' | 'userId'>,
    title: string,
    sector: string,
    sectorName: string,
    actorId?: string,
  ): Promise<boolean> {
    const now = this.clock.now();
    return this.transactions.run(async (manager) => {
      const { affected } = await manager
        .createQueryBuilder()
        .update(Attempt)
        .set({ status: 'voided', submittedAt: now, openKey: null, voidedFor: 'sector' })
        .where('id = :id AND status = :status', { id: attempt.id, status: 'in_progress' })
        .execute();
      // A submit that got in first keeps its result (graded while the sector was on).
      if (affected !== 1) return false;
      await this.notifications.notify({
        userId: attempt.userId,
        kind: 'attempt.voided',
        title: `Ujian "${title}" dibatalkan`,
        body: `Sektor "${sectorName}" dinonaktifkan oleh admin, sehingga percobaan ujian Anda yang sedang berjalan dibatalkan tanpa nilai dan tidak dihitung sebagai percobaan. Anda dapat mengulang ujian ini setelah sektor diaktifkan kembali.`,
        link: null,
      });
      await this.audit.record({
        actor: null,
        action: 'attempt.void',
        entityType: 'attempt',
        entityId: attempt.id,
        detail: { reason: 'sector.disabled', sector, by: actorId ?? null },
      });
      return true;
    });
  }

  /**
   * Closes the attempts whose time is up and grades what they saved (the scheduled job).
   * @returns how many this call closed
   */
  async closeOverdue(limit = 200): Promise<number> {
    const overdue = await this.attempts.find({
      select: { id: true },
      // A paused attempt's clock stands still: its deadline moves when it is resumed.
      where: { status: 'in_progress', deadline: LessThan(this.clock.now()), pausedAt: IsNull() },
      take: limit,
    });
    let closed = 0;
    for (const { id } of overdue) if (await this.close(id)) closed++;
    return closed;
  }

  /**
   * Ends an attempt and grades it. The conditional status change is the lock: exactly one
   * caller moves it out of `in_progress`, and only that one grades.
   * @returns whether this call closed it
   */
  async close(attemptId: string): Promise<boolean> {
    const open = await this.attempts.findOneBy({ id: attemptId, status: 'in_progress' });
    // Not open: closed before; the status never goes back to in_progress.
    if (!open) return false;
    return (await this.closeOpen(open)).closed;
  }

  /**
   * Closes an attempt read as open and grades it, in one transaction behind the conditional
   * status change; `grading` is what this call graded (null when another caller closed it
   * first, or it was voided). `open` is updated to the stored state.
   */
  private async closeOpen(open: Attempt): Promise<{ closed: boolean; grading: Grading | null }> {
    const assessment = await this.assessments.settingsOf(open.assessmentId);
    if (!assessment) return { closed: false, grading: null };
    // The sector's state, read once for the whole close: voiding, evidence, announcing.
    const sectorOn = await this.sectors.isEnabled(assessment.sector);
    // An attempt still open in a switched-off sector (it raced the voiding) is voided, not graded.
    if (!sectorOn) {
      const sector = await this.sectors.get(assessment.sector);
      const voided = await this.voidForSector(open, assessment.title, sector.key, sector.name);
      return { closed: voided, grading: null };
    }
    const now = this.clock.now();
    let grading: Grading | null = null;
    const before = { ...open };
    const closed = await this.transactions.run(async () => {
      // A run that lost a conflict is run again whole (on a cluster, to a double submit
      // through another node): what it graded and wrote onto `open` was rolled back with it.
      grading = null;
      Object.assign(open, before);
      if (!(await this.rows.closeIfOpen(open.id, now))) return false;
      Object.assign(open, { status: 'submitted', submittedAt: now, openKey: null });
      grading = await this.gradeLoaded(open, assessment, now, 'auto', sectorOn);
      return true;
    });
    const graded = (grading as Grading | null)?.graded;
    if (graded) await this.announce(graded, sectorOn);
    return { closed, grading };
  }

  /**
   * Grades every item a machine can grade (all of them on a regrade, keeping people's
   * grades) and writes the result; evidence follows a pass.
   */
  async grade(
    attemptId: string,
    now: Date,
    mode: 'auto' | 'regrade' | 'manual',
  ): Promise<AttemptGraded | null> {
    const manager = this.transactions.manager();
    const attempt = (await manager.getRepository(Attempt).findOneBy({ id: attemptId }))!;
    const assessment = (await manager.getRepository(Assessment).findOneBy({
      id: attempt.assessmentId,
    }))!;
    return (await this.gradeLoaded(attempt, assessment, now, mode)).graded;
  }

  /**
   * `grade` on rows already read: the items are graded in memory and their scores written
   * in one statement; `attempt` is updated to the stored result.
   */
  private async gradeLoaded(
    attempt: Attempt,
    assessment: Assessment,
    now: Date,
    mode: 'auto' | 'regrade' | 'manual',
    sectorOn?: boolean,
  ): Promise<Grading> {
    const passedBefore = attempt.passed;
    const { items, versions } = await this.itemsWithVersions(attempt.id);
    const definitions = mode === 'regrade' ? await this.latestVersionsOf(items) : versions;
    const regraded: GradedRow[] = [];
    for (const item of items) {
      if (mode === 'manual') continue;
      // A regrade keeps a person's grade of an essay and an admin's explicit override (ADR
      // 0020, listed in the regrade's answer); any other hand-set score on a machine-graded
      // item is recomputed.
      const byPerson = this.types.get(item.type)?.manualGrading === true;
      if (mode === 'regrade' && (item.overrideReason || (byPerson && item.gradedBy))) continue;
      const version = definitions.get(mode === 'regrade' ? item.questionId : versionKey(item));
      const type = this.types.get(item.type);
      const outcome =
        item.response === null || !version || !type
          ? item.type === 'essay'
            ? null
            : { fraction: 0 }
          : type.grade(version.definition, item.response);
      item.fraction = outcome ? outcome.fraction : null;
      item.score = outcome ? round2(outcome.fraction * item.points) : null;
      // An unanswered essay has nothing to grade: it scores 0 at once.
      if (item.type === 'essay' && item.response === null) {
        item.fraction = 0;
        item.score = 0;
      }
      item.gradedAt = now;
      // A machine grade replaces a hand-set one on a machine-graded item, with its author.
      const clearsPerson = !!item.gradedBy && !byPerson;
      if (clearsPerson) Object.assign(item, { gradedBy: null, graderComment: null });
      regraded.push({ item, clearsPerson });
    }
    await this.rows.writeItemGrades(regraded, now);
    const result = resultOf(items, assessment.passPercent);
    // A pre-test measures the before: it never passes, whatever its score (ADR 0040).
    const pretest = attempt.purpose === 'pretest';
    if (pretest) result.passed = false;
    const status = result.complete ? 'graded' : 'needs_grading';
    const stored = {
      status,
      score: result.score,
      maxScore: result.maxScore,
      percent: result.percent,
      passed: result.complete ? result.passed : null,
      gradedAt: result.complete ? now : null,
    } as const;
    await this.rows.storeResult(attempt.id, stored);
    Object.assign(attempt, stored);
    const grading: Grading = { graded: null, assessment, items, versions };
    // Nothing downstream hears of a pre-test: no evidence, lesson, completion or certificate.
    if (!result.complete || pretest) return grading;
    // Nothing of a switched-off sector is earned (ADR 0021): no evidence from its exams.
    sectorOn ??= await this.sectors.isEnabled(assessment.sector);
    if (result.passed && !passedBefore && sectorOn)
      await this.recordEvidence(attempt, assessment, now);
    // A regrade that voids the pass withdraws what the pass proved, in the same transaction
    // (ADR 0019); the certificate and course completion resting on it follow the
    // ASSESSMENT_PASS_VOIDED event.
    if (!result.passed && passedBefore)
      await this.evidenceService.end(
        {
          userId: attempt.userId,
          source: 'assessment',
          sourceIds: [attempt.id],
          reason: 'regrade',
          notice: `Kelulusan ujian "${assessment.title}" dibatalkan karena regrade (perbaikan kunci jawaban): nilai Anda kini ${result.percent}%, di bawah batas lulus ${assessment.passPercent}%.`,
        },
        now,
      );
    grading.graded = {
      userId: attempt.userId,
      assessmentId: assessment.id,
      attemptId: attempt.id,
      sector: assessment.sector,
      percent: result.percent,
      passed: result.passed,
      gradedAt: now,
    };
    return grading;
  }

  /** Tells the rest of the platform (learning, certification) after the grade is stored. */
  async announce(graded: AttemptGraded, sectorOn?: boolean): Promise<void> {
    // A switched-off sector's exam grants nothing downstream (course lesson, certificate).
    if (!(sectorOn ?? (await this.sectors.isEnabled(graded.sector)))) return;
    try {
      await this.events.emitAsync(ATTEMPT_GRADED, graded);
      if (graded.passed) await this.events.emitAsync(ASSESSMENT_PASSED, graded);
    } catch (error) {
      this.logger.error({ err: error, attemptId: graded.attemptId }, 'A listener failed');
    }
  }

  /**
   * After a regrade turned a pass into a fail: tells learning and certification to withdraw
   * what rested on the pass (ADR 0019). A listener that fails is logged, never swallowed silently.
   */
  async announceVoided(graded: AttemptGraded, actor: AuthUser, voidReason?: string): Promise<void> {
    const assessment = await this.assessmentRows.findOneBy({ id: graded.assessmentId });
    const event: AssessmentPassVoided = {
      ...graded,
      assessmentTitle: assessment?.title ?? '',
      actorId: actor.id,
      ...(voidReason !== undefined && { voidReason }),
    };
    try {
      await this.events.emitAsync(ASSESSMENT_PASS_VOIDED, event);
    } catch (error) {
      this.logger.error({ err: error, attemptId: graded.attemptId }, 'A listener failed');
    }
  }

  isOverdue(attempt: Attempt): boolean {
    return (
      attempt.status === 'in_progress' &&
      !attempt.pausedAt &&
      !!attempt.deadline &&
      attempt.deadline.getTime() <= this.clock.now().getTime()
    );
  }

  private async recordEvidence(attempt: Attempt, assessment: Assessment, now: Date): Promise<void> {
    await this.evidenceService.recordEarned({
      userId: attempt.userId,
      source: 'assessment',
      sourceId: attempt.id,
      reason: `Lulus ujian: ${assessment.title}`,
      attests: assessment.attests,
      achievedAt: now,
      expiresAt: null,
    });
  }

  /**
   * A draw from the assessment's pools (cached, ExamCache): the chosen questions at their
   * current version, with their type. The pool's rows are shared: the draw copies them.
   */
  private async draw(
    assessment: Assessment,
    avoid: ReadonlySet<string> | null = null,
  ): Promise<PoolVersion[]> {
    const pools = await this.assessments.drawPoolsOf(assessment);
    const chosen: PoolVersion[] = [];
    const taken = new Set<string>();
    assessment.sections.forEach((section, i) => {
      const pool = pools[i].filter((v) => !taken.has(v.questionId));
      const count = section.questionIds?.length ? pool.length : section.count;
      if (pool.length < count || count === 0)
        throw attemptError('attempt.limit', { variant: 'bank', field: 'sections' });
      const drawn = section.questionIds?.length ? pool : drawAvoiding(pool, count, avoid);
      // Unshuffled exams keep the bank's order (fixed questions: the order given).
      if (!assessment.shuffle) drawn.sort((a, b) => pool.indexOf(a) - pool.indexOf(b));
      for (const v of drawn) taken.add(v.questionId);
      chosen.push(...drawn);
    });
    return (assessment.shuffle ? shuffled(chosen) : chosen).map((v) => ({ ...v }));
  }

  /** The questions an attempt holds (a pre-test's, which a regular draw prefers to avoid). */
  private async questionsOf(attemptId: string): Promise<Set<string>> {
    const rows = await this.items.find({ select: { questionId: true }, where: { attemptId } });
    return new Set(rows.map((r) => r.questionId));
  }

  private orderFor(version: PoolVersion): Record<string, string[]> {
    const view = this.types.get(version.type)?.candidateView(version.definition) ?? {};
    const order: Record<string, string[]> = {};
    for (const key of shuffledLists(version.definition)) {
      const list = view[key];
      // Ordering steps are shown in a fixed neutral order by their type; everything else shuffles.
      if (Array.isArray(list) && !(key === 'items' && version.type === 'ordering'))
        order[key] = shuffled((list as { id: string }[]).map((o) => o.id));
    }
    return order;
  }

  /** The opaque ids of one item of an attempt (or of a preview). */
  private pickIds(scope: string, item: Pick<AttemptItem, 'slot' | 'type'>, definition: unknown) {
    // An open attempt's mapping is kept for its saves (scope = the attempt's id): reused.
    const kept = this.snapshots.get(scope)?.items.get(item.slot)?.ids;
    if (kept) return { view: kept.view, ids: kept };
    const type = this.types.get(item.type);
    const view = type?.candidateView(definition) ?? {};
    return { view, ids: new PickIds(this.pickKey, scope, item.slot, picksOf(type, view), view) };
  }

  /** The candidate's answer and the key, in words (review policy `answers` only). */
  private answerWords(item: AttemptItem, definition: Definition, lang: Language) {
    const words = { yes: t(lang, 'exam.true'), no: t(lang, 'exam.false') };
    return {
      yours: responseWords(item.type, definition, item.response, words),
      correct: answerKey(item.type, definition, words, this.types.get(item.type)),
    };
  }

  /** One item as the reader may see it under the review level, with opaque ids. */
  private itemView(
    item: AttemptItem,
    version: QuestionVersion | undefined,
    review: ReviewPolicy,
    scope: string,
    snapshot?: Map<number, SnapshotItem>,
    lang: Language = 'id',
  ) {
    const definition = (version?.definition ?? {}) as Definition;
    const { view: authored, ids } = this.pickIds(scope, item, definition);
    snapshot?.set(item.slot, { type: item.type, ids });
    const view = ids.opaqueView(applyOrder(authored, item.listOrder));
    const stem = version?.stem ?? '';
    return {
      slot: item.slot,
      type: item.type,
      stem,
      stemHtml: renderMarkdown(stem),
      points: item.points,
      ...view,
      response: ids.toOpaque(item.response),
      flagged: item.flagged,
      /** The sequence of the saved answer: a client continues from it. */
      seq: item.responseSeq,
      ...(review === 'correctness' || review === 'feedback' || review === 'answers'
        ? {
            score: item.score,
            correct: item.fraction === null ? null : isFullCredit(item.fraction),
          }
        : {}),
      ...(item.type === 'cloze' &&
        (review === 'correctness' || review === 'feedback' || review === 'answers') && {
          blankResults: clozeBlankResults(definition, item.response, review !== 'correctness'),
        }),
      ...((review === 'feedback' || review === 'answers') && {
        feedback: feedbackFor(definition, item.response),
        generalFeedback: version?.generalFeedback ?? '',
        graderComment: item.graderComment,
      }),
      // The key, only under the policy that shows it and only once finished (reviewNow).
      ...(review === 'answers' && { answer: this.answerWords(item, definition, lang) }),
    };
  }

  /**
   * An attempt's items in slot order and the versions they show: the versions from the
   * per-process cache of used versions (UsedVersions), the ones it lacks in one query.
   */
  private async itemsWithVersions(attemptId: string) {
    const manager = this.transactions.manager();
    const items = await this.rows.items(attemptId);
    const versions = new Map<string, QuestionVersion>();
    const missing = new Map<string, AttemptItem>();
    for (const item of items) {
      const key = versionKey(item);
      const known = this.usedVersions.get(key);
      if (known) versions.set(key, known);
      else missing.set(key, item);
    }
    if (missing.size) {
      const rows = await manager.getRepository(QuestionVersion).find({
        where: [...missing.values()].map((i) => ({
          questionId: i.questionId,
          version: i.questionVersion,
        })),
      });
      for (const row of rows) {
        versions.set(versionKey({ questionId: row.questionId, questionVersion: row.version }), row);
        this.usedVersions.remember(row);
      }
    }
    return { items, versions };
  }

  /** For a regrade after a key correction: each question's latest version. */
  private async latestVersionsOf(items: AttemptItem[]) {
    const manager = this.transactions.manager();
    const ids = [...new Set(items.map((i) => i.questionId))];
    if (!ids.length) return new Map<string, QuestionVersion>();
    const questions = await manager.getRepository(Question).findBy({ id: In(ids) });
    const rows = await manager.getRepository(QuestionVersion).find({
      where: questions.map((q) => ({ questionId: q.id, version: q.currentVersion })),
    });
    return new Map(rows.map((v) => [v.questionId, v]));
  }

  private async requireReadable(caller: AuthUser, attemptId: string): Promise<Attempt> {
    const attempt = await this.rows.row(attemptId);
    if (!attempt) throw attemptError('attempt.not_found');
    if (attempt.userId === caller.id) return attempt;
    if (caller.role !== 'asn') {
      await this.assessments.requireManaged(caller, attempt.assessmentId);
      return attempt;
    }
    throw attemptError('attempt.not_found');
  }

  private async requireOwn(caller: AuthUser, attemptId: string): Promise<Attempt> {
    const attempt = await this.rows.row(attemptId);
    // Someone else's attempt is reported as missing: ids reveal nothing.
    if (!attempt || attempt.userId !== caller.id) throw attemptError('attempt.not_found');
    return attempt;
  }

  private async requireOpen(attempt: Attempt): Promise<void> {
    if (this.isOverdue(attempt)) {
      await this.close(attempt.id);
      throw attemptError('attempt.closed', { variant: 'timeUp', field: 'deadline' });
    }
    if (attempt.status === 'voided')
      throw attemptError('attempt.closed', { variant: 'voided', field: 'status' });
    if (attempt.status !== 'in_progress')
      throw attemptError('attempt.closed', { variant: 'submitted', field: 'status' });
    if (attempt.pausedAt) throw attemptError('attempt.paused', { field: 'status' });
  }

  /** A supervised attempt takes answers only from the device it is bound to (ADR 0024). */
  private requireDevice(caller: AuthUser, attempt: Attempt): void {
    if (attempt.deviceSession && attempt.deviceSession !== caller.sid)
      throw sessionError('session.other_device', { field: 'attemptId' });
  }

  /** An open attempt whose sector was switched off (a race with the voiding) takes no answer. */
  private async requireSectorOn(attempt: Attempt): Promise<void> {
    const assessment = await this.assessments.settingsOf(attempt.assessmentId);
    // Fresh: this explains a refusal the save's statement made on the database's state.
    if (assessment) await this.sectors.requireEnabled(assessment.sector, 'sector', true);
  }
}

/** What grading read and wrote: the view of the attempt is built from it. */
interface Grading {
  graded: AttemptGraded | null;
  assessment: Assessment;
  items: AttemptItem[];
  versions: Map<string, QuestionVersion>;
}

/**
 * `count` picks from a pool, the questions in `avoid` (a pre-test's) only when the others
 * are too few: a learner's post-test asks other questions than their pre-test where the
 * bank allows (ADR 0040).
 */
function drawAvoiding<T extends { questionId: string }>(
  pool: readonly T[],
  count: number,
  avoid: ReadonlySet<string> | null,
): T[] {
  if (!avoid?.size) return drawFrom(pool, count);
  const fresh = pool.filter((v) => !avoid.has(v.questionId));
  if (fresh.length >= count) return drawFrom(fresh, count);
  const seen = pool.filter((v) => avoid.has(v.questionId));
  return shuffled([...fresh, ...drawFrom(seen, count - fresh.length)]);
}

const earliest = (a: Date | null, b: Date | undefined): Date | null => (b && (!a || b < a) ? b : a);

const openKeyOf = (assessmentId: string, userId: string) => `${assessmentId}:${userId}`;

const versionKey = (item: { questionId: string; questionVersion: number }) =>
  `${item.questionId}:${item.questionVersion}`;

/** Each blank of a cloze right or not, with the feedback of the answer given when shown. */
function clozeBlankResults(definition: Definition, response: unknown, withFeedback: boolean) {
  const cloze = definition as unknown as ClozeDefinition;
  if (!Array.isArray(cloze.blanks)) return [];
  // The feedback is the one of the option chosen or matched, never another of the same credit.
  return blankOutcomes(cloze, response).map(({ credit, option }, i) => ({
    label: blankLabel(i),
    correct: isFullCredit(credit),
    ...(withFeedback && option?.feedback && { feedback: option.feedback }),
  }));
}

/** The feedback written for what the candidate chose or typed (choice and text types). */
function feedbackFor(definition: Definition, response: unknown): string[] {
  const chosen = new Set(
    (Array.isArray(response) ? response : [response]).map((r) => String(r).toLowerCase()),
  );
  const out: string[] = [];
  for (const list of ['options', 'answers'] as const) {
    const entries = definition[list];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as { id?: string; text?: string; feedback?: string }[])
      if (entry.feedback && chosen.has(String(entry.id ?? entry.text).toLowerCase()))
        out.push(entry.feedback);
  }
  if (typeof response === 'boolean') {
    const text = definition[response ? 'feedbackTrue' : 'feedbackFalse'];
    if (typeof text === 'string' && text) out.push(text);
  }
  return out;
}
