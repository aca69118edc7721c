import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
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
import { MAX_CEILING_IDR } from '../development/budgets/budgets.dto.js';
import { BudgetsService } from '../development/budgets/budgets.service.js';
import { DomainError, errorFamily } from '../platform/http/domain-error.js';
import { formText, type Form } from '../platform/web/form-values.js';
import {
  DevelopmentPlanReports,
  DevelopmentReportQuery,
  type PlanUnitRow,
} from './development-plan-report.js';
import { ImpactReports, MIN_RESPONSES, type ImpactRow } from './impact-report.js';
import { barChart } from './svg-chart.js';

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

/* --- Development plans and impact (ADR 0040) --- */

const budgetError = errorFamily({ 'budget.invalid': 'invalid' });

/** Whole rupiah as typed in a form: "250.000.000", "250 000 000" or "250000000". */
function rupiahOf(value: string): number | null {
  const digits = value
    .trim()
    .replace(/^rp\.?\s*/i, '')
    .replace(/[.\s]/g, '');
  if (!/^\d{1,14}$/.test(digits)) return null;
  const n = Number(digits);
  return n <= MAX_CEILING_IDR ? n : null;
}

/** Rupiah as the reader writes them ("Rp 1.250.000"). */
const rupiah = (lang: Language) => (value: number) =>
  `Rp ${new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'id-ID').format(Math.round(value))}`;

/**
 * `/laporan/rencana-pengembangan`: the agency plan of a year with its budget ceilings (and a
 * form to set one), and `/laporan/dampak`: the impact of schemes and courses, each with its
 * charts drawn here as inline SVG and its numbers in tables beside them.
 */
@ApiExcludeController()
@Controller()
export class DevelopmentReportPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly plans: DevelopmentPlanReports,
    private readonly impact: ImpactReports,
    private readonly budgets: BudgetsService,
  ) {}

  @Allow('development.manage')
  @Get('laporan/rencana-pengembangan')
  async developmentPlan(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: DevelopmentReportQuery,
  ) {
    const lang = languageOf(req);
    const year = this.plans.yearOf(query);
    const report = await this.plans.report(year);
    const money = rupiah(lang);
    const withCeiling = report.byOrgUnit.filter((u) => u.ceilingIdr !== null || u.estimatedCostIdr);
    return this.pages.render(req, reply, 'reporting/development-plan', {
      titleKey: 'nav.developmentPlanReport',
      report,
      years: this.years(year),
      rows: {
        units: report.byOrgUnit.map((u) => this.unitView(u, money)),
        tops: report.byTopUnit.map((u) => this.unitView(u, money)),
        sectors: report.bySector.map((r) => ({ ...r, cost: money(r.estimatedCostIdr) })),
        competencies: report.byCompetency.map((r) => ({ ...r, cost: money(r.estimatedCostIdr) })),
        modes: report.byMode.map((r) => ({ ...r, cost: money(r.estimatedCostIdr) })),
      },
      chart: withCeiling.length
        ? barChart(
            withCeiling.map((u) => ({
              label: u.name,
              value: u.estimatedCostIdr,
              mark: u.ceilingIdr,
              warn: u.overCeiling,
            })),
            {
              title: t(lang, 'devreport.costChart', { year }),
              format: money,
              markLabel: t(lang, 'devreport.ceiling'),
              warnLabel: t(lang, 'devreport.overCeiling'),
            },
          )
        : null,
      download: `year=${year}`,
    });
  }

  @Allow('development.manage')
  @Post('laporan/rencana-pengembangan/pagu')
  async setCeiling(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser, @Body() form: Form) {
    const year = Number(formText(form.year));
    const back = `/laporan/rencana-pengembangan?year=${Number.isInteger(year) ? year : ''}#pagu`;
    try {
      const ceilingIdr = rupiahOf(formText(form.ceilingIdr));
      if (!Number.isInteger(year) || year < 2000 || year > 2100)
        throw budgetError('budget.invalid', { variant: 'year', field: 'year' });
      if (ceilingIdr === null)
        throw budgetError('budget.invalid', { variant: 'ceilingIdr', field: 'ceilingIdr' });
      const unitId = formText(form.orgUnitId);
      if (!/^[0-9a-f-]{36}$/i.test(unitId))
        throw budgetError('budget.invalid', { variant: 'orgUnitId', field: 'orgUnitId' });
      const saved = await this.budgets.set(user, unitId, { year, ceilingIdr });
      return this.pages.redirect(reply, back, {
        kind: 'success',
        key: 'devreport.ceilingSaved',
        params: { unit: saved.orgUnitName, year: saved.year },
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.redirectWithError(reply, back, error);
    }
  }

  @Allow('development.manage')
  @Get('laporan/rencana-pengembangan/unduh')
  async downloadPlan(@Res() reply: FastifyReply, @Query() query: DevelopmentReportQuery) {
    const report = await this.plans.report(this.plans.yearOf(query));
    return sendFile(reply, await this.plans.file(report, query.format === 'pdf' ? 'pdf' : 'xlsx'));
  }

  @Allow('report.read')
  @Get('laporan/dampak')
  async impactPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Query() query: DevelopmentReportQuery,
  ) {
    const lang = languageOf(req);
    const year = this.plans.yearOf(query);
    const report = await this.impact.report(user, year);
    const money = rupiah(lang);
    const pct = (v: number) => formatPercent(v, lang, 1);
    const dec = (v: number) => formatNumber(v, lang, 2);
    const charts = (rows: ImpactRow[], kind: 'scheme' | 'course') => {
      if (!rows.length) return [];
      const chart = (
        key: MessageKey,
        pick: (r: ImpactRow) => number | null,
        format: (v: number) => string,
        max?: number,
      ) =>
        barChart(
          rows.map((r) => ({ label: r.title, value: pick(r) })),
          { title: t(lang, key, { year, kind: t(lang, `impact.kind.${kind}`) }), format, max },
        );
      return [
        chart('impact.chart.passRate', (r) => r.passRatePercent, pct, 100),
        chart('impact.chart.reaction', (r) => r.reactionMean, dec, 5),
        chart(
          'impact.chart.gain',
          (r) => (r.learningGain === null ? null : Math.round(r.learningGain * 1000) / 10),
          pct,
          100,
        ),
        chart('impact.chart.behaviour', (r) => r.behaviour?.supervisorChange ?? null, dec),
      ];
    };
    const view = (r: ImpactRow) => ({
      ...r,
      gainPercent: r.learningGain === null ? null : Math.round(r.learningGain * 1000) / 10,
      costCompletion: r.costPerCompletionIdr === null ? null : money(r.costPerCompletionIdr),
      costCertificate: r.costPerCertificateIdr === null ? null : money(r.costPerCertificateIdr),
    });
    return this.pages.render(req, reply, 'reporting/impact', {
      titleKey: 'nav.impactReport',
      report,
      years: this.years(year),
      schemes: report.schemes.map(view),
      courses: report.courses.map(view),
      competencies: report.competencies.map((c) => ({
        ...c,
        gainPercent: c.learningGain === null ? null : Math.round(c.learningGain * 1000) / 10,
      })),
      schemeCharts: charts(report.schemes, 'scheme'),
      courseCharts: charts(report.courses, 'course'),
      minResponses: MIN_RESPONSES,
      download: `year=${year}`,
    });
  }

  @Allow('report.read')
  @Get('laporan/dampak/unduh')
  async downloadImpact(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Query() query: DevelopmentReportQuery,
  ) {
    const report = await this.impact.report(user, this.plans.yearOf(query));
    return sendFile(reply, await this.impact.file(report, query.format === 'pdf' ? 'pdf' : 'xlsx'));
  }

  private unitView(u: PlanUnitRow, money: (v: number) => string) {
    return {
      ...u,
      cost: money(u.estimatedCostIdr),
      ceiling: u.ceilingIdr === null ? null : money(u.ceilingIdr),
      over: money(u.overByIdr),
    };
  }

  /** Last, this and next year around the shown one, the shown one selected. */
  private years(year: number) {
    const now = new Date().getUTCFullYear();
    return [...new Set([now - 1, now, now + 1, year])]
      .sort()
      .map((value) => ({ value, selected: value === year }));
  }
}
