import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { DomainError } from '../../platform/http/domain-error.js';
import { formText as text, type Form } from '../../platform/web/form-values.js';
import { PageRenderer, type PageFlash } from '../../platform/web/page-renderer.js';
import { JP_TARGET, PlansService } from './plans.service.js';

/** "Rencana saya": the ASN's plan, its items and progress, forms to add, drop and submit. */
@ApiExcludeController()
@Controller()
export class PlansPages {
  constructor(
    private readonly plans: PlansService,
    private readonly pages: PageRenderer,
  ) {}

  @Allow('plan.own')
  @Get('rencana')
  async mine(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Query('year') year?: string,
  ) {
    const plan = await this.plans.mine(user, typeof year === 'string' ? year : undefined);
    const { courses, schemes } = await this.plans.offers();
    const current = this.plans.yearOf(undefined);
    const editable = plan.status === 'draft' || plan.status === 'returned';
    return this.pages.render(req, reply, 'development/plan', {
      titleKey: 'plan.title',
      plan,
      editable,
      agreed: plan.status === 'agreed',
      canDrop: plan.status !== 'submitted',
      years: [current - 1, current, current + 1].map((y) => ({
        year: y,
        current: y === plan.year,
      })),
      percent: Math.min(100, Math.round((plan.realisedJp / JP_TARGET) * 100)),
      plannedPercent: Math.min(100, Math.round((plan.plannedJp / JP_TARGET) * 100)),
      courses: courses.filter(
        (c) => !plan.items.some((i) => i.kind === 'course' && i.refId === c.id),
      ),
      schemes: schemes.filter(
        (s) => !plan.items.some((i) => i.kind === 'scheme' && i.refId === s.id),
      ),
      notFitting: plan.items.filter((i) => i.willNotFit),
    });
  }

  @Allow('plan.own')
  @Post('rencana/butir')
  async add(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser, @Body() form: Form) {
    const year = text(form.year);
    const [kind, refId] = text(form.offer).split(':');
    return this.act(reply, year, { kind: 'success', key: 'plan.added' }, () =>
      this.plans.addItem(user, year, {
        kind: kind ?? '',
        refId: refId ?? '',
        reason: text(form.reason).slice(0, 500) || undefined,
      }),
    );
  }

  @Allow('plan.own')
  @Post('rencana/butir/:id/batal')
  async drop(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    return this.act(reply, text(form.year), { kind: 'success', key: 'plan.dropped' }, () =>
      this.plans.updateItem(user, id, {
        status: 'dropped',
        reason: text(form.reason).slice(0, 500),
      }),
    );
  }

  @Allow('plan.own')
  @Post('rencana/butir/:id/pulihkan')
  async restore(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    return this.act(reply, text(form.year), { kind: 'success', key: 'plan.restored' }, () =>
      this.plans.updateItem(user, id, { status: 'planned' }),
    );
  }

  @Allow('plan.own')
  @Post('rencana/butir/:id/hapus')
  async remove(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    return this.act(reply, text(form.year), { kind: 'success', key: 'plan.removed' }, () =>
      this.plans.removeItem(user, id),
    );
  }

  @Allow('plan.own')
  @Post('rencana/ajukan')
  async submit(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser, @Body() form: Form) {
    const year = text(form.year);
    return this.act(reply, year, { kind: 'success', key: 'plan.submitted' }, () =>
      this.plans.submit(user, year),
    );
  }

  /** Does it, then back to the plan with the outcome; a refusal shows there, not found is a 404. */
  private async act(
    reply: FastifyReply,
    rawYear: string,
    flash: PageFlash,
    work: () => Promise<{ year: number }>,
  ) {
    const back = /^\d{4}$/.test(rawYear) ? `/rencana?year=${rawYear}` : '/rencana';
    try {
      const plan = await work();
      return this.pages.redirect(reply, `/rencana?year=${plan.year}`, flash);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return this.pages.redirectWithError(reply, back, error);
    }
  }
}
