import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReportingLine } from '../../people/reporting-line.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { DomainError } from '../../platform/http/domain-error.js';
import { formText as text, type Form } from '../../platform/web/form-values.js';
import { PageRenderer } from '../../platform/web/page-renderer.js';
import { PlansService } from '../plans/plans.service.js';
import { TeamService } from './team.service.js';

/** "Tim saya": a supervisor's direct reports, and a report's plan to agree or return. */
@ApiExcludeController()
@Controller()
export class TeamPages {
  constructor(
    private readonly team: TeamService,
    private readonly plans: PlansService,
    private readonly line: ReportingLine,
    private readonly pages: PageRenderer,
  ) {}

  @Allow('team.read')
  @Get('tim')
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'development/team', {
      titleKey: 'team.title',
      members: await this.team.mine(user),
    });
  }

  @Allow('plan.decide')
  @Get('tim/rencana/:planId')
  async plan(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('planId') planId: string,
  ) {
    const plan = await this.plans.get(user, planId);
    const own = plan.owner.id === user.id;
    const supervises = !own && (await this.line.isDirectReport(user.id, plan.owner.id));
    return this.pages.render(req, reply, 'development/team-plan', {
      titleKey: 'team.planTitle',
      plan,
      own,
      override: !own && !supervises,
      decidable: !own && plan.status === 'submitted',
      ratings: plan.competencyCodes.map((code, index) => ({ code, index })),
    });
  }

  @Allow('plan.decide')
  @Post('tim/rencana/:planId/setujui')
  async agree(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('planId') planId: string,
    @Body() form: Form,
  ) {
    const ratings: Record<string, number> = {};
    for (const [key, value] of Object.entries(form)) {
      if (!key.startsWith('rating.')) continue;
      const given = text(value).trim();
      if (given) ratings[key.slice('rating.'.length)] = /^\d+$/.test(given) ? Number(given) : -1;
    }
    return this.act(reply, planId, 'team.agreed', () =>
      this.plans.agree(user, planId, Object.keys(ratings).length ? ratings : undefined),
    );
  }

  @Allow('plan.decide')
  @Post('tim/rencana/:planId/kembalikan')
  async returnPlan(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('planId') planId: string,
    @Body() form: Form,
  ) {
    return this.act(reply, planId, 'team.returned', () =>
      this.plans.returnPlan(user, planId, text(form.reason).slice(0, 2000)),
    );
  }

  private async act(
    reply: FastifyReply,
    planId: string,
    key: 'team.agreed' | 'team.returned',
    work: () => Promise<unknown>,
  ) {
    try {
      await work();
      return this.pages.redirect(reply, `/tim/rencana/${planId}`, { kind: 'success', key });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return this.pages.redirectWithError(reply, `/tim/rencana/${planId}`, error);
    }
  }
}
