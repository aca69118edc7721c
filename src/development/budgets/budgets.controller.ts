import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import { BudgetResponse, BudgetYearQuery, SetBudgetDto } from './budgets.dto.js';
import { BudgetsService } from './budgets.service.js';

/** Training budget ceilings per org unit and year (ADR 0040): admins only. */
@ApiTags('development')
@ApiBearerAuth()
@Controller('api/v1/org-units')
export class BudgetsController {
  constructor(private readonly budgets: BudgetsService) {}

  /** The budget ceilings of every org unit for a year. */
  @Allow('development.manage')
  @Get('budgets')
  list(@Query() query: BudgetYearQuery): Promise<BudgetResponse[]> {
    return this.budgets.list(query.year);
  }

  /** Set an org unit's training budget ceiling for a year (whole rupiah). */
  @Allow('development.manage')
  @Put(':id/budget')
  set(
    @CurrentUser() actor: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: SetBudgetDto,
  ): Promise<BudgetResponse> {
    return this.budgets.set(actor, id, body);
  }
}
