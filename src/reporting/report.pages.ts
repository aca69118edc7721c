import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EvaluationsService } from '../development/evaluations/evaluations.service.js';
import { MeService } from '../platform/auth/me.service.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { languageOf } from '../platform/http/lang.decorator.js';
import { exportFormat, sendFile, type CsvDelimiter } from '../platform/http/table-export.js';
import { CsvDelimiterOf } from '../platform/http/csv-delimiter.js';
import { t, type MessageKey } from '../platform/i18n/i18n.js';
import type { Language } from '../platform/http/lang.decorator.js';
import {
  HEAT_BANDS,
  heatmap,
  histogram,
  percentBars,
  progressRing,
} from '../platform/web/charts.js';
import { PageRenderer } from '../platform/web/page-renderer.js';
import { formatNumber, formatPercent } from '../platform/i18n/local-format.js';
import { sectorLabel } from '../registry/label-helpers.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS, SectorsService } from '../registry/sectors.service.js';
import { Dashboards, type AdminDashboard } from './dashboards.service.js';
import { ProgrammeReports } from './programme-reports.service.js';
import { ReportQuery, ReportScopes, type ReportScope } from './report-scope.js';
import { ReportTables } from './report-tables.js';

const BAND_LABELS = ['0', '10', '20', '30', '40', '50', '60', '70', '80', '90'];

/** Chart values as the reader writes percentages ("51,5 %"). */
const percentOf = (lang: Language) => (value: number) => formatPercent(value, lang, 1);

/**
 * The dashboards as pages: `/beranda` shows each role its own, `/laporan` the workforce,
 * `/laporan/program` courses and assessments, `/laporan/ujian/:id` the item analysis.
 * Charts are inline SVG drawn here; every chart has its numbers in a table beside it, and
 * every table downloads as CSV or XLSX with the same filters (`/laporan/unduh/...`).
 */
@ApiExcludeController()
@Controller()
export class ReportPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly scopes: ReportScopes,
    private readonly dashboards: Dashboards,
    private readonly programmes: ProgrammeReports,
    private readonly tables: ReportTables,
    private readonly sectors: SectorsService,
    private readonly me: MeService,
    private readonly evaluations: EvaluationsService,
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
  ) {}

  @Allow('self.read')
  @Get('beranda')
  async home(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Query() query: ReportQuery,
  ) {
    if (user.role === 'admin')
      return this.workforcePage(req, reply, user, query, 'dashboard.title', {
        pendingEvaluations: await this.evaluations.pendingCount(user.id),
      });
    if (user.role === 'coordinator')
      return this.programmePage(req, reply, user, query, 'dashboard.title', {
        pendingEvaluations: await this.evaluations.pendingCount(user.id),
      });
    const lang = languageOf(req);
    const [profile, data, pendingEvaluations] = await Promise.all([
      this.me.get(user),
      this.dashboards.asn(user),
      this.evaluations.pendingCount(user.id),
    ]);
    return this.pages.render(req, reply, 'reporting/asn', {
      titleKey: 'dashboard.title',
      profile,
      data,
      pendingEvaluations,
      ring: progressRing(data.jp.total, data.jp.target, {
        title: t(lang, 'dash.jpRing', { year: data.jp.year }),
        label: t(lang, 'dash.jpOf', { target: data.jp.target }),
      }),
    });
  }

  @Allow('report.read')
  @Get('laporan')
  workforce(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Query() query: ReportQuery,
  ) {
    return this.workforcePage(req, reply, user, query, 'dash.workforceTitle');
  }

  @Allow('report.read')
  @Get('laporan/program')
  programme(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Query() query: ReportQuery,
  ) {
    return this.programmePage(req, reply, user, query, 'dash.programmeTitle');
  }

  @Allow('report.read')
  @Get('laporan/ujian/:id')
  async items(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: ReportQuery,
  ) {
    const scope = await this.scopes.resolve(user, query);
    const analysis = await this.programmes.items(scope, id);
    const lang = languageOf(req);
    return this.pages.render(req, reply, 'reporting/items', {
      title: t(lang, 'dash.itemsTitle', { title: analysis.assessment.title }),
      analysis,
      filters: await this.filterForm(user, lang, scope, `/laporan/ujian/${id}`),
      download: this.downloadQuery(scope),
      items: analysis.items.map((item) => ({
        ...item,
        facilityPercent: Math.round(item.facility * 100),
        broken: item.flags.length > 0,
        flagText: item.flags.map((f) => t(lang, `dash.flag.${f}`)).join(', '),
        options: item.options?.map((o) => ({
          ...o,
          correct: o.credit > 0,
          share: item.attempts ? Math.round((o.chosen / item.attempts) * 100) : 0,
        })),
        blanks: item.blanks?.map((b) => ({ ...b, facilityPercent: Math.round(b.facility * 100) })),
      })),
    });
  }

  @Allow('report.read')
  @Get('laporan/unduh/:report')
  async download(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('report') report: string,
    @Query() query: ReportQuery,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
  ) {
    const format = exportFormat(query.format === 'json' ? undefined : query.format);
    const scope = await this.scopes.resolve(user, query);
    if (report === 'gap-heatmap')
      return sendFile(reply, await this.tables.heatmapFile(user, scope, format, delimiter));
    const key = this.tables.key(report);
    const rows = await this.tables.rows(key, user, scope);
    return sendFile(reply, await this.tables.file(key, rows, scope, format, delimiter));
  }

  @Allow('report.read')
  @Get('laporan/ujian/:id/unduh')
  async downloadItems(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: ReportQuery,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
  ) {
    const format = exportFormat(query.format === 'json' ? undefined : query.format);
    const analysis = await this.programmes.items(await this.scopes.resolve(user, query), id);
    return sendFile(reply, await this.tables.itemsFile(analysis.items, format, delimiter));
  }

  private async workforcePage(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    query: ReportQuery,
    titleKey: MessageKey,
    /** The dashboard's own lines (questionnaires waiting), not on the report pages. */
    extra: Record<string, unknown> = {},
  ) {
    const lang = languageOf(req);
    const scope = await this.scopes.resolve(user, query);
    const data = await this.dashboards.admin(user, scope);
    return this.pages.render(req, reply, 'reporting/admin', {
      ...extra,
      titleKey,
      data,
      filters: await this.filterForm(user, lang, scope, req.url.split('?')[0]),
      download: this.downloadQuery(scope),
      charts: this.workforceCharts(lang, data),
      heatBands: HEAT_BANDS,
    });
  }

  private async programmePage(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    query: ReportQuery,
    titleKey: MessageKey,
    /** The dashboard's own lines (questionnaires waiting), not on the report pages. */
    extra: Record<string, unknown> = {},
  ) {
    const lang = languageOf(req);
    const scope = await this.scopes.resolve(user, query);
    const data = await this.dashboards.coordinator(scope);
    return this.pages.render(req, reply, 'reporting/coordinator', {
      ...extra,
      titleKey,
      data,
      sectors: (data.sectors ?? []).map((key) => sectorLabel(this.loaded, key, lang)).join(', '),
      filters: await this.filterForm(user, lang, scope, req.url.split('?')[0]),
      download: this.downloadQuery(scope),
      completion: data.courses.length
        ? percentBars(
            data.courses.map((c) => ({ label: c.title, value: c.percentCompleted })),
            { title: t(lang, 'dash.completionChart'), format: percentOf(lang) },
          )
        : null,
      assessments: data.assessments.map((a) => ({
        ...a,
        chart: a.attempts
          ? histogram(a.histogram, BAND_LABELS, t(lang, 'dash.histogram', { title: a.title }))
          : null,
      })),
    });
  }

  private workforceCharts(lang: Language, data: AdminDashboard) {
    const bySector = new Map<string, number>();
    for (const row of data.workforce)
      bySector.set(row.sector ?? '-', (bySector.get(row.sector ?? '-') ?? 0) + row.asn);
    const total = data.totals.asn;
    return {
      sectors: total
        ? percentBars(
            [...bySector].map(([sector, asn]) => ({
              label: `${sector === '-' ? '–' : sectorLabel(this.loaded, sector, lang)} (${asn})`,
              value: Math.round((asn / total) * 1000) / 10,
            })),
            { title: t(lang, 'dash.sectorChart'), format: percentOf(lang) },
            0,
          )
        : null,
      coverage: data.coverage.length
        ? percentBars(
            data.coverage.map((r) => ({ label: r.positionName, value: r.percentCovered })),
            { title: t(lang, 'dash.coverageChart'), format: percentOf(lang) },
          )
        : null,
      jp: data.jpCompliance.length
        ? percentBars(
            data.jpCompliance.map((r) => ({
              label: r.orgUnitName ?? t(lang, 'dash.noUnit'),
              value: r.percentCompliant,
            })),
            { title: t(lang, 'dash.jpChart'), format: percentOf(lang) },
          )
        : null,
      heatmap: data.heatmap.cells.length
        ? heatmap(
            data.heatmap.orgUnits.map((u) => u.code),
            data.heatmap.competencies.map((c) => c.code),
            data.heatmap.cells.map((c) => ({
              row: c.orgUnit,
              column: c.competency,
              value: c.percentMet,
            })),
            t(lang, 'report.heatmap'),
            (v) => formatNumber(v, lang, 1),
          )
        : null,
    };
  }

  /** The GET form's choices, with the current filters selected. */
  private async filterForm(user: AuthUser, lang: Language, scope: ReportScope, action: string) {
    const [options, sectors] = await Promise.all([
      this.scopes.options(user),
      this.sectors.list(lang),
    ]);
    const names = new Map(sectors.map((s) => [s.key, s.name]));
    const f = scope.filters;
    return {
      action,
      year: f.year,
      sectors: options.sectors.map((key) => ({
        value: key,
        label: names.get(key) ?? key,
        selected: key === f.sector,
      })),
      orgUnits: options.orgUnits.map((u) => ({
        value: u.code,
        label: u.name,
        selected: u.code === f.orgUnit,
      })),
      positions: options.positions.map((p) => ({
        value: p.code,
        // Two positions may share a name (ADR 0028): the code tells them apart.
        label: `${p.name} (${p.code})`,
        selected: p.code === f.position,
      })),
    };
  }

  /** The filters as a query string for download links (format appended by the template). */
  private downloadQuery(scope: ReportScope): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(scope.filters))
      if (value !== null) params.set(key, String(value));
    return params.toString();
  }
}
