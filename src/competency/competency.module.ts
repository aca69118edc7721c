import { CompetencyPersonalData } from './competency.personal-data.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { User } from '../identity/user.entity.js';
import { CompetenciesService } from './competencies.service.js';
import {
  CompetenciesController,
  GapReportsController,
  GapsController,
  PositionsController,
} from './competency.controller.js';
import { Competency } from './competency.entity.js';
import { CompetencyPackImport, PositionPackImport } from './competency-pack-import.js';
import { CompetencyDemoService } from './competency-demo.service.js';
import { CompetencyPages } from './competency.pages.js';
import { Evidence } from './evidence.entity.js';
import { GapReportService } from './gap-report.service.js';
import { EvidenceService } from './evidence.service.js';
import { GapsService } from './gaps.service.js';
import { Position, PositionRequirement } from './position.entity.js';
import { PositionsService } from './positions.service.js';
import { GapRecommenderRegistry } from './recommendations.js';

/** Competencies, positions and their standards, evidence, and gap analysis. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Competency, Position, PositionRequirement, Evidence, User, OrgUnit]),
  ],
  controllers: [
    CompetenciesController,
    PositionsController,
    GapsController,
    GapReportsController,
    CompetencyPages,
  ],
  providers: [
    CompetencyPersonalData,
    CompetencyPackImport,
    PositionPackImport,
    CompetencyDemoService,
    GapReportService,
    CompetenciesService,
    PositionsService,
    EvidenceService,
    GapsService,
    GapRecommenderRegistry,
  ],
  exports: [
    CompetencyPackImport,
    PositionPackImport,
    GapReportService,
    CompetencyDemoService,
    CompetenciesService,
    PositionsService,
    EvidenceService,
    GapsService,
    GapRecommenderRegistry,
  ],
})
export class CompetencyModule {}
