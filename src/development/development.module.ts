import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CertificationModule } from '../certification/certification.module.js';
import { CompetencyModule } from '../competency/competency.module.js';
import { LearningModule } from '../learning/learning.module.js';
import { PeopleModule } from '../people/people.module.js';
import { AuthModule } from '../platform/auth/auth.module.js';
import { PlatformModule } from '../platform/platform.module.js';
import { WebModule } from '../platform/web/web.module.js';
import {
  DevelopmentPlan,
  DevelopmentPlanItem,
  Evaluation,
  EvaluationResponse,
  OrgUnitBudget,
  ProgrammeIndicator,
} from './development.entity.js';
// Evaluation levels 1, 3 and 4 (questionnaires, behaviour job, indicators, aggregates).
import { BehaviourEvaluationJob } from './evaluations/behaviour-evaluation.job.js';
import { EvaluationAggregates } from './evaluations/evaluation-aggregates.js';
import { EvaluationsController } from './evaluations/evaluations.controller.js';
import { EvaluationPages } from './evaluations/evaluations.pages.js';
import { EvaluationsService } from './evaluations/evaluations.service.js';
import { IndicatorsController } from './indicators/indicators.controller.js';
import { IndicatorPages } from './indicators/indicators.pages.js';
import { IndicatorsService } from './indicators/indicators.service.js';

/**
 * Development planning and evaluation (ADR 0040): each ASN's yearly plan agreed with their
 * supervisor, the team view, the questionnaires of the four evaluation levels and the
 * indicators a programme should move.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      DevelopmentPlan,
      DevelopmentPlanItem,
      OrgUnitBudget,
      Evaluation,
      EvaluationResponse,
      ProgrammeIndicator,
    ]),
    PlatformModule,
    AuthModule,
    WebModule,
    PeopleModule,
    CompetencyModule,
    LearningModule,
    CertificationModule,
  ],
  controllers: [
    // Evaluation levels 1, 3 and 4.
    EvaluationsController,
    EvaluationPages,
    IndicatorsController,
    IndicatorPages,
  ],
  providers: [
    // Evaluation levels 1, 3 and 4.
    EvaluationsService,
    BehaviourEvaluationJob,
    EvaluationAggregates,
    IndicatorsService,
  ],
  exports: [
    // Evaluation levels 1, 3 and 4.
    EvaluationsService,
    EvaluationAggregates,
  ],
})
export class DevelopmentModule {}
