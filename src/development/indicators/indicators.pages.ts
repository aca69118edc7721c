import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { Clock } from '../../platform/clock.js';
import { DomainError, messageOf } from '../../platform/http/domain-error.js';
import { languageOf } from '../../platform/http/lang.decorator.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import { OrgUnitsService } from '../../people/org-units.service.js';
import { PageRenderer } from '../../platform/web/page-renderer.js';
import { jakartaYear } from '../evaluations/evaluation-items.js';
import {
  CreateIndicatorDto,
  INDICATOR_YEAR_MAX,
  INDICATOR_YEAR_MIN,
  UpdateIndicatorDto,
} from './indicators.dto.js';
import { indicatorError, IndicatorsService, type IndicatorView } from './indicators.service.js';

type Form = Record<string, string | string[] | undefined>;
const text = (form: Form, name: string) => {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
};
/** A number as people type it: "12,5" or "12.5"; blank is undefined. */
const numberOf = (value: string) => (value === '' ? undefined : Number(value.replace(',', '.')));

/** The form's fields as the API's input; what the DTO refuses comes back naming the field. */
async function inputOf<T extends object>(type: new () => T, form: Form): Promise<T> {
  const result = text(form, 'resultValue');
  const plain = {
    orgUnitCode: text(form, 'orgUnitCode'),
    year: numberOf(text(form, 'year')),
    name: text(form, 'name'),
    unit: text(form, 'unit'),
    baselineValue: numberOf(text(form, 'baselineValue')),
    resultValue: result === '' ? null : numberOf(result),
    lowerIsBetter: form.lowerIsBetter === 'true',
    source: text(form, 'source'),
    schemeId: text(form, 'schemeId') || null,
    courseId: text(form, 'courseId') || null,
  };
  const input = plainToInstance(type, plain);
  const [first] = await validate(input);
  if (first)
    throw indicatorError('indicator.invalid', {
      variant: 'field',
      field: first.property,
      params: { field: first.property },
    });
  return input;
}

/** Page `/admin/indikator`: the year's programme indicators, with create and edit forms. */
@ApiExcludeController()
@Controller()
export class IndicatorPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly indicators: IndicatorsService,
    private readonly orgUnits: OrgUnitsService,
    private readonly clock: Clock,
  ) {}

  @Allow('development.manage')
  @Get('admin/indikator')
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('year') yearParam?: string,
    @Query('edit') edit?: string,
  ) {
    return this.renderList(req, reply, this.yearOf(yearParam), { edit });
  }

  @Allow('development.manage')
  @Post('admin/indikator')
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Body() form: Form,
  ) {
    const year = this.yearOf(text(form, 'year'));
    try {
      await this.indicators.create(user, await inputOf(CreateIndicatorDto, form));
      return this.pages.redirect(reply, `/admin/indikator?year=${year}`, {
        kind: 'success',
        key: 'indicator.saved',
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return this.renderList(req, reply, year, { values: form, error, lang: languageOf(req) }, 400);
    }
  }

  @Allow('development.manage')
  @Post('admin/indikator/:id')
  async update(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() form: Form,
  ) {
    const year = this.yearOf(text(form, 'year'));
    try {
      await this.indicators.update(user, id, await inputOf(UpdateIndicatorDto, form));
      return this.pages.redirect(reply, `/admin/indikator?year=${year}`, {
        kind: 'success',
        key: 'indicator.saved',
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return this.renderList(
        req,
        reply,
        year,
        { edit: id, values: form, error, lang: languageOf(req) },
        400,
      );
    }
  }

  @Allow('development.manage')
  @Post('admin/indikator/:id/hapus')
  async remove(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser, @UuidParam() id: string) {
    const { year } = await this.indicators.get(id);
    await this.indicators.remove(user, id);
    return this.pages.redirect(reply, `/admin/indikator?year=${year}`, {
      kind: 'success',
      key: 'indicator.deleted',
    });
  }

  private yearOf(value: string | undefined): number {
    const year = Number(value);
    return Number.isInteger(year) && year >= INDICATOR_YEAR_MIN && year <= INDICATOR_YEAR_MAX
      ? year
      : jakartaYear(this.clock.now());
  }

  private async renderList(
    req: FastifyRequest,
    reply: FastifyReply,
    year: number,
    state: { edit?: string; values?: Form; error?: DomainError; lang?: 'id' | 'en' },
    status = 200,
  ) {
    const indicators = await this.indicators.list(year);
    const editing = indicators.find((i) => i.id === state.edit);
    const formValues = (i: IndicatorView | undefined) =>
      state.values ??
      (i
        ? {
            orgUnitCode: i.orgUnit.code,
            year: String(i.year),
            name: i.name,
            unit: i.unit,
            baselineValue: String(i.baselineValue),
            resultValue: i.resultValue === null ? '' : String(i.resultValue),
            lowerIsBetter: i.lowerIsBetter ? 'true' : '',
            source: i.source,
            schemeId: i.schemeId ?? '',
            courseId: i.courseId ?? '',
          }
        : { year: String(year) });
    return this.pages.render(
      req,
      reply,
      'development/indicators',
      {
        titleKey: 'indicator.title',
        year,
        years: [year - 1, year, year + 1],
        indicators,
        orgUnits: await this.orgUnits.list(),
        editing,
        values: formValues(editing),
        error: state.error ? messageOf(state.error, state.lang ?? 'id') : undefined,
        field: state.error?.field,
      },
      status,
    );
  }
}
