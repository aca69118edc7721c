import { QuestionFile } from './banks/question-file.entity.js';
import { QuestionFilesService } from './banks/question-files.service.js';
import { BankPackImport, QuestionPackImport } from './banks/bank-pack-import.js';
import { AssessmentPackImport } from './engine/assessment-pack-import.js';
import { AssessmentDemoService } from './engine/assessment-demo.service.js';
import { AttemptsRepository } from './engine/attempts.repository.js';
import { AssessmentPersonalData } from './engine/assessment.personal-data.js';
import { Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  Question,
  QuestionBank,
  QuestionCategory,
  QuestionVersion,
} from './banks/question-bank.entity.js';
import { CompetencyModule } from '../competency/competency.module.js';
import { User } from '../identity/user.entity.js';
import { AnswerTrailEntry, Assessment, Attempt, AttemptItem } from './engine/assessment.entity.js';
import { SessionGate } from './sessions/session-gate.js';
import { SessionMinutesService } from './sessions/session-minutes.service.js';
import {
  ExamSession,
  SessionCandidate,
  SessionIncident,
  SessionMinutes,
  SessionProctor,
} from './sessions/session.entity.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { SessionPeople } from './sessions/session-people.js';
import { ExamSessionsPages } from './sessions/sessions.pages.js';
import { SessionsService } from './sessions/sessions.service.js';
import { SupervisionService } from './sessions/supervision.service.js';
import { AssessmentsController } from './engine/assessments.controller.js';
import { ExamCache } from './engine/exam-cache.js';
import { AnswerStore } from './engine/answer-store.js';
import { AssessmentsService } from './engine/assessments.service.js';
import { AttemptDeadlineJob } from './engine/attempt-deadline.job.js';
import { AssessmentRecords } from './engine/assessment-records.js';
import { AttemptsService } from './engine/attempts.service.js';
import { AssessmentAuthoringPages } from './engine/assessment-authoring.pages.js';
import { ExamPages } from './engine/exam.pages.js';
import { GradingService } from './engine/grading.service.js';
import { QuestionBanksController } from './banks/question-banks.controller.js';
import { QuestionBanksPages } from './banks/question-banks.pages.js';
import { QuestionBanksService } from './banks/question-banks.service.js';
import type { QuestionType } from '../registry/extension-points.js';
import { QuestionTypeRegistry } from '../registry/registries.js';
import { ClozeType } from './question-types/cloze.type.js';
import { EssayType } from './question-types/essay.type.js';
import { MatchingType } from './question-types/matching.type.js';
import { MultipleResponseType } from './question-types/multiple-response.type.js';
import { NumericType } from './question-types/numeric.type.js';
import { ShortAnswerType } from './question-types/short-answer.type.js';
import { SingleChoiceType } from './question-types/single-choice.type.js';
import { TrueFalseType } from './question-types/true-false.type.js';

/** The core's question types; sectors add theirs through the same registry. */
export const BUILT_IN_QUESTION_TYPES = [
  SingleChoiceType,
  MultipleResponseType,
  TrueFalseType,
  ShortAnswerType,
  NumericType,
  MatchingType,
  EssayType,
  ClozeType,
];

/**
 * Question banks, the question-type registry's built-ins, assessments and attempts, and
 * their supervised sessions.
 */
@Module({
  imports: [
    CompetencyModule,
    TypeOrmModule.forFeature([
      QuestionBank,
      QuestionCategory,
      Question,
      QuestionVersion,
      QuestionFile,
      Assessment,
      Attempt,
      AttemptItem,
      AnswerTrailEntry,
      ExamSession,
      SessionProctor,
      SessionCandidate,
      SessionIncident,
      SessionMinutes,
      User,
    ]),
  ],
  controllers: [
    QuestionBanksController,
    QuestionBanksPages,
    AssessmentsController,
    SessionsController,
    ExamPages,
    AssessmentAuthoringPages,
    ExamSessionsPages,
  ],
  providers: [
    AssessmentPersonalData,
    ...BUILT_IN_QUESTION_TYPES,
    BankPackImport,
    QuestionFilesService,
    QuestionPackImport,
    AssessmentPackImport,
    AssessmentDemoService,
    AttemptsRepository,
    QuestionBanksService,
    AssessmentsService,
    AttemptsService,
    AssessmentRecords,
    AnswerStore,
    ExamCache,
    GradingService,
    AttemptDeadlineJob,
    SessionGate,
    SessionsService,
    SupervisionService,
    SessionMinutesService,
    SessionPeople,
  ],
  exports: [
    BankPackImport,
    QuestionPackImport,
    AssessmentPackImport,
    AssessmentDemoService,
    QuestionBanksService,
    AssessmentsService,
    AttemptsService,
    AssessmentRecords,
    ExamCache,
  ],
})
export class AssessmentModule implements OnModuleInit {
  constructor(
    private readonly registry: QuestionTypeRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Built-ins go through the same registry call as a sector's types.
    for (const type of BUILT_IN_QUESTION_TYPES)
      this.registry.register(this.moduleRef.get<QuestionType>(type), 'the core');
  }
}
