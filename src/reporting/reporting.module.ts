import { Module } from '@nestjs/common';
import { CertificationModule } from '../certification/certification.module.js';
import { CompetencyModule } from '../competency/competency.module.js';
import { DevelopmentModule } from '../development/development.module.js';
import { LearningModule } from '../learning/learning.module.js';
import { AuthModule } from '../platform/auth/auth.module.js';
import { PlatformModule } from '../platform/platform.module.js';
import { WebModule } from '../platform/web/web.module.js';
import { Dashboards } from './dashboards.service.js';
import { ProgrammeReports } from './programme-reports.service.js';
import { ReportScopes } from './report-scope.js';
import { ReportTables } from './report-tables.js';
import { ReportsController } from './reports.controller.js';
import { ReportPages } from './report.pages.js';
import { WorkforceReports } from './workforce-reports.service.js';
import { BudgetsModule } from '../development/budgets/budgets.module.js';
import { DevelopmentPlanReports } from './development-plan-report.js';
import { ImpactReports } from './impact-report.js';
import { DevelopmentReportsController } from './reports.controller.js';
import { DevelopmentReportPages } from './report.pages.js';

/**
 * Reports, dashboards and exports: a read-only view across the domains (see ADR 0009).
 */
@Module({
  imports: [
    PlatformModule,
    AuthModule,
    WebModule,
    CompetencyModule,
    LearningModule,
    CertificationModule,
    DevelopmentModule,
    // Development plans and impact (ADR 0040).
    BudgetsModule,
  ],
  controllers: [
    ReportsController,
    ReportPages,
    // Development plans and impact (ADR 0040).
    DevelopmentReportsController,
    DevelopmentReportPages,
  ],
  providers: [
    ReportScopes,
    WorkforceReports,
    ProgrammeReports,
    ReportTables,
    Dashboards,
    // Development plans and impact (ADR 0040).
    DevelopmentPlanReports,
    ImpactReports,
  ],
})
export class ReportingModule {}
