import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { DomainError, messageOf } from '../platform/http/domain-error.js';
import { languageOf } from '../platform/http/lang.decorator.js';
import { readUpload } from '../platform/http/upload.js';
import { t, type MessageKey } from '../platform/i18n/i18n.js';
import { formatNumber } from '../platform/i18n/local-format.js';
import { HEAT_BANDS, heatmap, levelBars } from '../platform/web/charts.js';
import { PageRenderer } from '../platform/web/page-renderer.js';
import { SectorsService } from '../registry/sectors.service.js';
import { CompetenciesService, competencyError } from './competencies.service.js';
import { COMPETENCY_TYPES } from './competency.entity.js';
import { EvidenceService } from './evidence.service.js';
import { GapReportService } from './gap-report.service.js';
import { GapsService } from './gaps.service.js';
import { POSITION_KINDS } from './position.entity.js';
import { positionError, PositionsService } from './positions.service.js';

type Form = Record<string, string | string[] | undefined>;
const BLANK_ROWS = 3;
const list = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** Each position with the codes of the others of its name, which the list shows beside it. */
function withNamesakes<P extends { code: string; name: string }>(positions: P[]) {
  const byName = new Map<string, string[]>();
  const key = (p: P) => p.name.trim().toLowerCase();
  for (const p of positions) byName.set(key(p), [...(byName.get(key(p)) ?? []), p.code]);
  return positions.map((p) => ({
    ...p,
    sameName: (byName.get(key(p)) ?? []).filter((c) => c !== p.code),
  }));
}

/** Pages: an ASN's own competencies, the admins' positions and standards, competencies, and the gap report. */
@ApiExcludeController()
@Controller()
export class CompetencyPages {
  constructor(
    private readonly gaps: GapsService,
    private readonly evidence: EvidenceService,
    private readonly positions: PositionsService,
    private readonly competencies: CompetenciesService,
    private readonly reports: GapReportService,
    private readonly pages: PageRenderer,
    private readonly sectors: SectorsService,
  ) {}

  @Allow('self.read')
  @Get('kompetensi')
  async mine(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    const lang = languageOf(req);
    const report = await this.gaps.forUser(user, user.id);
    const chart = report.items.length
      ? levelBars(
          report.items.map((i) => ({
            label: i.competency.title,
            required: i.requiredLevel,
            achieved: i.achievedLevel,
          })),
          {
            title: t(lang, 'gaps.chart'),
            required: t(lang, 'gaps.required'),
            achieved: t(lang, 'gaps.achieved'),
          },
        )
      : null;
    return this.pages.render(req, reply, 'competency/mine', {
      titleKey: 'gaps.title',
      report,
      chart,
      open: report.items.filter((i) => !i.met),
      evidence: await this.evidence.list(user, user.id),
    });
  }

  @Allow('position.read')
  @Get('admin/jabatan')
  async positionList(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'competency/positions', {
      titleKey: 'positions.title',
      positions: withNamesakes(await this.positions.list(user)),
      kinds: POSITION_KINDS,
      values: {},
    });
  }

  @Allow('position.manage')
  @Post('admin/jabatan')
  async createPosition(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Body() form: Form,
  ) {
    const values = {
      code: String(form.code ?? '').trim(),
      name: String(form.name ?? '').trim(),
      kind: String(form.kind ?? ''),
      sector: String(form.sector ?? '').trim(),
    };
    const confirmed = form.confirmDuplicateName === 'true';
    try {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(values.code))
        throw positionError('position.invalid', { variant: 'code', field: 'code' });
      if (values.name.length < 3)
        throw positionError('position.invalid', { variant: 'name', field: 'name' });
      if (!POSITION_KINDS.includes(values.kind as never))
        throw positionError('position.invalid', { variant: 'kind', field: 'kind' });
      await this.positions.create(user, {
        code: values.code,
        name: values.name,
        kind: values.kind as never,
        sector: values.sector || undefined,
        confirmDuplicateName: confirmed,
      });
      return this.pages.redirect(reply, `/admin/jabatan/${encodeURIComponent(values.code)}`, {
        kind: 'success',
        key: 'positions.created',
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Same name as another position: a step that names it and asks before making a second.
      const namesakes =
        error.code === 'position.duplicate_name' ? await this.positions.namesakes(values.name) : [];
      return this.pages.render(
        req,
        reply,
        'competency/positions',
        {
          titleKey: 'positions.title',
          positions: withNamesakes(await this.positions.list(user)),
          kinds: POSITION_KINDS,
          values,
          error: messageOf(error, languageOf(req)),
          field: error.field,
          namesakes,
        },
        namesakes.length ? 409 : 400,
      );
    }
  }

  @Allow('position.read')
  @Get('admin/jabatan/:code')
  async standard(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('code') code: string,
  ) {
    return this.renderStandard(req, reply, user, code);
  }

  @Allow('position.manage')
  @Post('admin/jabatan/:code/standar')
  async saveStandard(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('code') code: string,
    @Body() form: Form,
  ) {
    const codes = list(form.competency);
    const levels = list(form.level);
    const removed = new Set(list(form.remove));
    const items = codes
      .map((competencyCode, i) => ({
        competencyCode: competencyCode.trim(),
        level: Number(levels[i]),
      }))
      .filter((item, i) => item.competencyCode && !removed.has(String(i)));
    try {
      for (const item of items) {
        if (!Number.isInteger(item.level) || item.level < 1 || item.level > 5)
          throw positionError('position.invalid', {
            variant: 'level',
            field: 'level',
            params: { code: item.competencyCode },
          });
      }
      await this.positions.setStandard(user, code, items);
      return this.pages.redirect(reply, `/admin/jabatan/${encodeURIComponent(code)}`, {
        kind: 'success',
        key: 'standard.saved',
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return this.renderStandard(
        req,
        reply,
        user,
        code,
        { error: messageOf(error, languageOf(req)) },
        400,
      );
    }
  }

  @Allow('position.manage')
  @Post('admin/jabatan/:code/salin')
  async copyStandard(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('code') code: string,
    @Body() form: Form,
  ) {
    await this.positions.copyStandard(user, code, String(form.from ?? ''));
    return this.pages.redirect(reply, `/admin/jabatan/${encodeURIComponent(code)}`, {
      kind: 'success',
      key: 'standard.saved',
    });
  }

  @Allow('position.manage')
  @Post('admin/jabatan/:code/pegawai')
  async assign(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('code') code: string,
    @Body() form: Form,
  ) {
    const refs = String(form.users ?? '')
      .split(/[\s,;]+/)
      .filter(Boolean)
      .slice(0, 5000);
    const result = refs.length
      ? await this.positions.assign(user, code, refs)
      : { assigned: 0, unknown: [] };
    return this.pages.redirect(reply, `/admin/jabatan/${encodeURIComponent(code)}`, {
      kind: result.unknown.length ? 'error' : 'success',
      key: 'standard.assigned',
      params: { assigned: result.assigned, unknown: result.unknown.join(', ') || '—' },
    });
  }

  @Allow('position.manage')
  @Post('admin/jabatan-impor')
  async importStandards(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Req() req: FastifyRequest,
  ) {
    try {
      const result = await this.positions.importStandards(user, await readUpload(req));
      return this.pages.redirect(reply, '/admin/jabatan', {
        kind: result.skipped.length ? 'error' : 'success',
        key: 'standard.imported',
        params: {
          requirements: result.requirements,
          positions: result.positions,
          skipped: result.skipped.length,
        },
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.redirectWithError(reply, '/admin/jabatan', error);
    }
  }

  @Allow('competency.manage')
  @Get('admin/kompetensi')
  async competencyList(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.renderCompetencies(req, reply, user, 'competencies.title');
  }

  @Allow('competency.manage')
  @Get('kompetensi-sektor')
  async sectorCompetencies(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.renderCompetencies(req, reply, user, 'competencies.sectorTitle');
  }

  @Allow('competency.manage')
  @Post('kompetensi-sektor')
  async createCompetency(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Body() form: Form,
  ) {
    const levels = [1, 2, 3, 4, 5].map((level) => ({
      level,
      description: String(form[`level${level}`] ?? '').trim(),
      indicators: [],
    }));
    const values = {
      code: String(form.code ?? '').trim(),
      title: String(form.title ?? '').trim(),
      description: String(form.description ?? '').trim(),
      sector: String(form.sector ?? ''),
      levels,
    };
    try {
      if (
        !values.code ||
        values.title.length < 3 ||
        values.description.length < 3 ||
        levels.some((l) => l.description.length < 3)
      ) {
        throw competencyError('competency.invalid', { variant: 'form', field: 'code' });
      }
      await this.competencies.create(user, { ...values, type: 'teknis' });
      return this.pages.redirect(reply, '/kompetensi-sektor', {
        kind: 'success',
        key: 'competencies.created',
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.renderCompetencies(
        req,
        reply,
        user,
        'competencies.sectorTitle',
        { values, error: messageOf(error, languageOf(req)), field: error.field },
        error.kind === 'forbidden' ? 403 : 400,
      );
    }
  }

  @Allow('report.read')
  @Get('laporan/kesenjangan')
  async report(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    const lang = languageOf(req);
    const [rows, map] = await Promise.all([
      this.reports.byDimension(user, 'org-unit'),
      this.reports.heatmap(user),
    ]);
    const svg = map.cells.length
      ? heatmap(
          map.orgUnits.map((u) => u.code),
          map.competencies.map((c) => c.code),
          map.cells.map((c) => ({ row: c.orgUnit, column: c.competency, value: c.percentMet })),
          t(lang, 'report.heatmap'),
          (v) => formatNumber(v, lang, 1),
        )
      : null;
    return this.pages.render(req, reply, 'competency/report', {
      titleKey: 'report.title',
      rows,
      map,
      svg,
      heatBands: HEAT_BANDS,
    });
  }

  private async renderStandard(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    code: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const position = await this.positions.get(user, code);
    const competencies = await this.competencies.list(user, {});
    const rows = [
      ...(position.standard ?? []).map((l) => ({ code: l.competencyCode, level: l.level })),
      ...Array.from({ length: BLANK_ROWS }, () => ({ code: '', level: 0 })),
    ].map((row, index) => ({
      ...row,
      index,
      options: competencies.map((c) => ({
        code: c.code,
        label: `${c.code} · ${c.title}`,
        selected: c.code === row.code,
      })),
      levels: [1, 2, 3, 4, 5].map((n) => ({ n, selected: n === row.level })),
    }));
    const others = (await this.positions.list(user)).filter((p) => p.code !== position.code);
    return this.pages.render(
      req,
      reply,
      'competency/standard',
      {
        title: t(languageOf(req), 'standard.title', { name: position.name }),
        position,
        rows,
        others,
        ...extra,
      },
      status,
    );
  }

  private async renderCompetencies(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    titleKey: MessageKey,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const all = await this.competencies.list(user, {});
    const shown =
      user.role === 'admin' && titleKey === 'competencies.title'
        ? all
        : all.filter((c) => c.sector && user.sectors.includes(c.sector));
    const sectors =
      user.role === 'admin'
        ? (await this.sectors.list(languageOf(req))).map((s) => s.key)
        : user.sectors;
    return this.pages.render(
      req,
      reply,
      'competency/competencies',
      { titleKey, competencies: shown, types: COMPETENCY_TYPES, sectors, values: {}, ...extra },
      status,
    );
  }
}
