import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { sendFile, type CsvDelimiter } from '../platform/http/table-export.js';
import { CsvDelimiterOf } from '../platform/http/csv-delimiter.js';
import { Dashboards } from './dashboards.service.js';
import { GapReportService } from '../competency/gap-report.service.js';
import { ProgrammeReports } from './programme-reports.service.js';
import { ReportFilters, ReportQuery, ReportScopes } from './report-scope.js';
import { ReportTables, TABLE_REPORTS } from './report-tables.js';
import { ApiFileResponse, CSV, PDF, XLSX } from '../platform/http/api-file.decorator.js';
import { DevelopmentPlanReports, DevelopmentReportQuery } from './development-plan-report.js';
import { ImpactReports } from './impact-report.js';
import { UuidParam } from '../platform/http/uuid-param.decorator.js';
import {
  AdminDashboardResponse,
  AsnDashboardResponse,
  CoordinatorDashboardResponse,
  DevelopmentPlanReportResponse,
  GapHeatmapResponse,
  ImpactReportResponse,
  ItemAnalysisResponse,
  ReportTableResponse,
  TABLE_ROWS,
} from './reporting.response.js';

/**
 * `/api/v1/reports/...`: dashboards as JSON, and every table as JSON (`{ filters, rows }`),
 * CSV or XLSX (`?format=`; a CSV's `?delimiter=`, ADR 0030), with the filters `year`, `sector`,
 * `orgUnit`, `position`.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportsController {
  constructor(
    private readonly scopes: ReportScopes,
    private readonly dashboards: Dashboards,
    private readonly tables: ReportTables,
    private readonly programmes: ProgrammeReports,
    private readonly gapReport: GapReportService,
  ) {}

  /** The admin dashboard (JSON). */
  @Allow('report.read')
  @Get('reports/dashboards/admin')
  async adminDashboard(
    @CurrentUser() user: AuthUser,
    @Query() query: ReportFilters,
  ): Promise<AdminDashboardResponse> {
    return this.dashboards.admin(user, await this.scopes.resolve(user, query));
  }

  /** The coordinator dashboard of the caller's sectors (JSON). */
  @Allow('report.read')
  @Get('reports/dashboards/coordinator')
  async coordinatorDashboard(
    @CurrentUser() user: AuthUser,
    @Query() query: ReportFilters,
  ): Promise<CoordinatorDashboardResponse> {
    return this.dashboards.coordinator(await this.scopes.resolve(user, query));
  }

  /** The caller's own dashboard. */
  @Allow('self.read')
  @Get('me/dashboard')
  asnDashboard(@CurrentUser() user: AuthUser): Promise<AsnDashboardResponse> {
    return this.dashboards.asn(user);
  }

  /** Share of ASN meeting each competency's requirement, per org unit. */
  @Allow('report.read')
  @Get('reports/gap-heatmap')
  @ApiFileResponse([CSV, XLSX], { json: GapHeatmapResponse })
  async heatmap(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: ReportQuery,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
  ): Promise<GapHeatmapResponse | undefined> {
    const scope = await this.scopes.resolve(user, query);
    if (!query.format || query.format === 'json')
      return this.gapReport.heatmap(user, scope.now, scope);
    sendFile(reply, await this.tables.heatmapFile(user, scope, query.format, delimiter));
  }

  /** Item analysis of an assessment (JSON, CSV or XLSX). */
  @Allow('report.read')
  @Get('reports/assessments/:id/items')
  @ApiFileResponse([CSV, XLSX], { json: ItemAnalysisResponse })
  async items(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
    @UuidParam('id') id: string,
    @Query() query: ReportQuery,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
  ): Promise<ItemAnalysisResponse | undefined> {
    const analysis = await this.programmes.items(await this.scopes.resolve(user, query), id);
    if (!query.format || query.format === 'json') return analysis;
    sendFile(reply, await this.tables.itemsFile(analysis.items, query.format, delimiter));
  }

  /** One report table (JSON, CSV or XLSX). */
  @Allow('report.read')
  @Get('reports/:report')
  @ApiParam({ name: 'report', enum: TABLE_REPORTS })
  @ApiExtraModels(...TABLE_ROWS)
  @ApiFileResponse([CSV, XLSX], { json: ReportTableResponse })
  async table(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('report') report: string,
    @Query() query: ReportQuery,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
  ): Promise<ReportTableResponse | undefined> {
    const key = this.tables.key(report);
    const scope = await this.scopes.resolve(user, query);
    const rows = await this.tables.rows(key, user, scope);
    if (!query.format || query.format === 'json') return { filters: scope.filters, rows };
    sendFile(reply, await this.tables.file(key, rows, scope, query.format, delimiter));
  }
}

/* --- Development plans and impact (ADR 0040) --- */

/**
 * `/api/v1/reports/development-plan` (admins) and `/api/v1/reports/impact` (admins all,
 * coordinators their sectors): JSON, or `?format=xlsx|pdf` as the office files them.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class DevelopmentReportsController {
  constructor(
    private readonly plans: DevelopmentPlanReports,
    private readonly impact: ImpactReports,
  ) {}

  /** The agency's development plan of a year: agreed plans by unit, sector, competency and mode, against the ceilings. */
  @Allow('development.manage')
  @Get('development-plan')
  @ApiFileResponse([XLSX, PDF], { json: DevelopmentPlanReportResponse })
  async developmentPlan(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: DevelopmentReportQuery,
  ): Promise<DevelopmentPlanReportResponse | undefined> {
    const report = await this.plans.report(this.plans.yearOf(query));
    if (!query.format || query.format === 'json') return report;
    sendFile(reply, await this.plans.file(report, query.format));
  }

  /** The impact of schemes and courses in a year: participation, pass rate, reaction, learning, behaviour, indicators, cost. */
  @Allow('report.read')
  @Get('impact')
  @ApiFileResponse([XLSX, PDF], { json: ImpactReportResponse })
  async impactReport(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: DevelopmentReportQuery,
  ): Promise<ImpactReportResponse | undefined> {
    const report = await this.impact.report(user, this.plans.yearOf(query));
    if (!query.format || query.format === 'json') return report;
    sendFile(reply, await this.impact.file(report, query.format));
  }
}
