import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { ApiErrors } from '../../platform/http/api-errors.decorator.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import { AddPlanItemDto, AgreePlanDto, ReturnPlanDto, UpdatePlanItemDto } from './plans.dto.js';
import { PlanResponse } from './plans.response.js';
import { PlansService } from './plans.service.js';

const YEAR = {
  name: 'year',
  required: false,
  description: 'Last, this (default, in Asia/Jakarta) or next year; any other is a 400',
};

@ApiTags('development')
@ApiBearerAuth()
@Controller()
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  /** The caller's development plan for a year, proposed from their gaps on the first read. */
  @Allow('plan.own')
  @Get('api/v1/me/plan')
  @ApiQuery(YEAR)
  @ApiErrors(400)
  mine(@CurrentUser() user: AuthUser, @Query('year') year?: string): Promise<PlanResponse> {
    return this.plans.mine(user, year);
  }

  /** Send the caller's draft or returned plan to their supervisor. */
  @Allow('plan.own')
  @Post('api/v1/me/plan/submit')
  @HttpCode(200)
  @ApiQuery(YEAR)
  @ApiErrors(400, 409)
  submit(@CurrentUser() user: AuthUser, @Query('year') year?: string): Promise<PlanResponse> {
    return this.plans.submit(user, year);
  }

  /** Add a published course or an active scheme to the caller's plan (cost and JP from it). */
  @Allow('plan.own')
  @Post('api/v1/me/plan/items')
  @ApiQuery(YEAR)
  @ApiErrors(400, 409)
  addItem(
    @CurrentUser() user: AuthUser,
    @Body() body: AddPlanItemDto,
    @Query('year') year?: string,
  ): Promise<PlanResponse> {
    return this.plans.addItem(user, year, body);
  }

  /** Drop an item of the caller's plan with a reason, or plan a dropped one again. */
  @Allow('plan.own')
  @Patch('api/v1/me/plan/items/:id')
  @ApiErrors(400, 404, 409)
  updateItem(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: UpdatePlanItemDto,
  ): Promise<PlanResponse> {
    return this.plans.updateItem(user, id, body);
  }

  /** Remove an item the caller added to their plan. */
  @Allow('plan.own')
  @Delete('api/v1/me/plan/items/:id')
  @ApiErrors(404, 409)
  removeItem(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<PlanResponse> {
    return this.plans.removeItem(user, id);
  }

  /** A plan: its owner's, their supervisor's or an admin's to read. */
  @Allow('plan.own')
  @Get('api/v1/plans/:id')
  @ApiErrors(404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<PlanResponse> {
    return this.plans.get(user, id);
  }

  /** Agree a report's submitted plan, optionally rating a baseline per competency. */
  @Allow('plan.decide')
  @Post('api/v1/plans/:id/agree')
  @HttpCode(200)
  @ApiErrors(400, 403, 404, 409)
  agree(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: AgreePlanDto,
  ): Promise<PlanResponse> {
    return this.plans.agree(user, id, body.ratings);
  }

  /** Return a report's submitted plan with a reason. */
  @Allow('plan.decide')
  @Post('api/v1/plans/:id/return')
  @HttpCode(200)
  @ApiErrors(400, 403, 404, 409)
  returnPlan(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: ReturnPlanDto,
  ): Promise<PlanResponse> {
    return this.plans.returnPlan(user, id, body.reason);
  }
}
