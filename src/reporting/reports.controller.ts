import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { sendFile } from '../platform/http/table-export.js';
import { Dashboards } from './dashboards.service.js';
import { GapReportService } from '../competency/gap-report.service.js';
import { ProgrammeReports } from './programme-reports.service.js';
import { ReportQuery, ReportScopes } from './report-scope.js';
import { ReportTables, TABLE_REPORTS } from './report-tables.js';

/**
 * `/api/v1/reports/...`: dashboards as JSON, and every table as JSON (`{ filters, rows }`),
 * CSV or XLSX (`?format=`), with the filters `year`, `sector`, `orgUnit`, `position`.
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

  @Allow('report.read')
  @Get('reports/dashboards/admin')
  async adminDashboard(@CurrentUser() user: AuthUser, @Query() query: ReportQuery) {
    return this.dashboards.admin(user, await this.scopes.resolve(user, query));
  }

  @Allow('report.read')
  @Get('reports/dashboards/coordinator')
  async coordinatorDashboard(@CurrentUser() user: AuthUser, @Query() query: ReportQuery) {
    return this.dashboards.coordinator(await this.scopes.resolve(user, query));
  }

  @Allow('self.read')
  @Get('me/dashboard')
  asnDashboard(@CurrentUser() user: AuthUser) {
    return this.dashboards.asn(user);
  }

  /** Share of ASN meeting each competency's requirement, per org unit. */
  @Allow('report.read')
  @Get('reports/gap-heatmap')
  async heatmap(
    @CurrentUser() user: AuthUser,
    @Res() reply: FastifyReply,
    @Query() query: ReportQuery,
  ) {
    const scope = await this.scopes.resolve(user, query);
    if (!query.format || query.format === 'json')
      return reply.send(await this.gapReport.heatmap(user, scope.now, scope));
    return sendFile(reply, await this.tables.heatmapFile(user, scope, query.format));
  }

  @Allow('report.read')
  @Get('reports/assessments/:id/items')
  async items(
    @CurrentUser() user: AuthUser,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query() query: ReportQuery,
  ) {
    const analysis = await this.programmes.items(await this.scopes.resolve(user, query), id);
    if (!query.format || query.format === 'json') return reply.send(analysis);
    return sendFile(reply, await this.tables.itemsFile(analysis.items, query.format));
  }

  @Allow('report.read')
  @Get('reports/:report')
  @ApiParam({ name: 'report', enum: TABLE_REPORTS })
  async table(
    @CurrentUser() user: AuthUser,
    @Res() reply: FastifyReply,
    @Param('report') report: string,
    @Query() query: ReportQuery,
  ) {
    const key = this.tables.key(report);
    const scope = await this.scopes.resolve(user, query);
    const rows = await this.tables.rows(key, user, scope);
    if (!query.format || query.format === 'json')
      return reply.send({ filters: scope.filters, rows });
    return sendFile(reply, await this.tables.file(key, rows, scope, query.format));
  }
}
