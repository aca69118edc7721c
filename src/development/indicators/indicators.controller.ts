import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { Clock } from '../../platform/clock.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import { jakartaYear } from '../evaluations/evaluation-items.js';
import { CreateIndicatorDto, IndicatorYearQuery, UpdateIndicatorDto } from './indicators.dto.js';
import { IndicatorResponse } from './indicators.response.js';
import { IndicatorsService } from './indicators.service.js';

@ApiTags('indicators')
@ApiBearerAuth()
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(
    private readonly indicators: IndicatorsService,
    private readonly clock: Clock,
  ) {}

  /** The programme indicators of a year (default: this year). */
  @Allow('development.manage')
  @Get()
  list(@Query() query: IndicatorYearQuery): Promise<IndicatorResponse[]> {
    return this.indicators.list(query.year ?? jakartaYear(this.clock.now()));
  }

  /** Record a programme indicator of an org unit. */
  @Allow('development.manage')
  @Post()
  create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateIndicatorDto,
  ): Promise<IndicatorResponse> {
    return this.indicators.create(user, body);
  }

  /** Change a programme indicator (its result, typically). */
  @Allow('development.manage')
  @Patch(':id')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() body: UpdateIndicatorDto,
  ): Promise<IndicatorResponse> {
    return this.indicators.update(user, id, body);
  }

  /** Delete a programme indicator. */
  @Allow('development.manage')
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<void> {
    return this.indicators.remove(user, id);
  }
}
