import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CertificationModule } from '../certification/certification.module.js';
import { CompetencyModule } from '../competency/competency.module.js';
import { LearningModule } from '../learning/learning.module.js';
import { PeopleModule } from '../people/people.module.js';
import { AuthModule } from '../platform/auth/auth.module.js';
import { PlatformModule } from '../platform/platform.module.js';
import { WebModule } from '../platform/web/web.module.js';
import { BudgetsModule } from './budgets/budgets.module.js';
import {
  DevelopmentPlan,
  DevelopmentPlanItem,
  Evaluation,
  EvaluationResponse,
  OrgUnitBudget,
  ProgrammeIndicator,
} from './development.entity.js';
import { DevelopmentDemoService } from './development-demo.service.js';
// Plans and the supervisor's team (ADR 0040 "The plan").
import { PlansController } from './plans/plans.controller.js';
import { PlansPages } from './plans/plans.pages.js';
import { PlansService } from './plans/plans.service.js';
import { TeamController } from './team/team.controller.js';
import { TeamPages } from './team/team.pages.js';
import { TeamService } from './team/team.service.js';
// Evaluation levels 1, 3 and 4 (questionnaires, behaviour job, indicators, aggregates).
import { BehaviourEvaluationJob } from './evaluations/behaviour-evaluation.job.js';
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
    BudgetsModule,
    AssessmentModule,
  ],
  controllers: [
    PlansController,
    TeamController,
    PlansPages,
    TeamPages,
    EvaluationsController,
    EvaluationPages,
    IndicatorsController,
    IndicatorPages,
  ],
  providers: [
    PlansService,
    TeamService,
    EvaluationsService,
    BehaviourEvaluationJob,
    IndicatorsService,
    // The demo plans and evaluations (DEMO_DATA), after every other domain's demo records.
    DevelopmentDemoService,
  ],
  exports: [PlansService, EvaluationsService],
})
export class DevelopmentModule {}
