import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { DomainError, messageOf } from '../../platform/http/domain-error.js';
import { languageOf } from '../../platform/http/lang.decorator.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import { PageRenderer } from '../../platform/web/page-renderer.js';
import { RATING_MAX, RATING_MIN } from './evaluation-items.js';
import { EvaluationsService, type QuestionnaireView } from './evaluations.service.js';

type Form = Record<string, string | string[] | undefined>;
const RATING_FIELD = 'rating:';
const SCALE = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, i) => RATING_MIN + i);

/** Pages: the caller's questionnaires (`/evaluasi`) and one as a form (`/evaluasi/:id`). */
@ApiExcludeController()
@Controller()
export class EvaluationPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly evaluations: EvaluationsService,
  ) {}

  @Allow('evaluation.respond')
  @Get('evaluasi')
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    const questionnaires = await this.evaluations.mine(user);
    return this.pages.render(req, reply, 'development/evaluations', {
      titleKey: 'evaluation.title',
      questionnaires: questionnaires.map((q) => ({ ...q, kindKey: `evaluation.kind.${q.kind}` })),
    });
  }

  @Allow('evaluation.respond')
  @Get('evaluasi/:id')
  async form(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
  ) {
    try {
      return await this.renderForm(req, reply, await this.evaluations.one(user, id));
    } catch (error) {
      // Answered meanwhile (or not yet due): back to the list, which says so.
      if (error instanceof DomainError && error.kind === 'conflict')
        return this.pages.redirectWithError(reply, '/evaluasi', error);
      throw error;
    }
  }

  @Allow('evaluation.respond')
  @Post('evaluasi/:id')
  async answer(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() form: Form,
  ) {
    const ratings: Record<string, number> = {};
    for (const [name, value] of Object.entries(form ?? {}))
      if (name.startsWith(RATING_FIELD) && typeof value === 'string' && value !== '')
        ratings[name.slice(RATING_FIELD.length)] = Number(value);
    const comment = typeof form?.comment === 'string' ? form.comment : undefined;
    try {
      await this.evaluations.answer(user, id, { ratings, comment });
      return this.pages.redirect(reply, '/evaluasi', {
        kind: 'success',
        key: 'evaluation.thanks',
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.kind === 'conflict') return this.pages.redirectWithError(reply, '/evaluasi', error);
      if (error.kind !== 'invalid') throw error;
      return this.renderForm(
        req,
        reply,
        await this.evaluations.one(user, id),
        { ratings, comment, error: messageOf(error, languageOf(req)), field: error.field },
        400,
      );
    }
  }

  private renderForm(
    req: FastifyRequest,
    reply: FastifyReply,
    questionnaire: QuestionnaireView,
    values: {
      ratings?: Record<string, number>;
      comment?: string;
      error?: string;
      field?: string;
    } = {},
    status = 200,
  ) {
    const behaviour = questionnaire.kind !== 'reaction';
    return this.pages.render(
      req,
      reply,
      'development/evaluation-form',
      {
        titleKey: 'evaluation.formTitle',
        questionnaire,
        kindKey: `evaluation.kind.${questionnaire.kind}`,
        behaviour,
        supervisor: questionnaire.kind === 'behaviour_supervisor',
        items: questionnaire.items.map((item, index) => ({
          ...item,
          index,
          name: `${RATING_FIELD}${item.key}`,
          invalid: values.field === `ratings.${item.key}`,
          scale: SCALE.map((value) => ({
            value,
            labelKey: `evaluation.scale.${value}`,
            checked: values.ratings?.[item.key] === value,
          })),
        })),
        comment: values.comment ?? '',
        commentInvalid: values.field === 'comment',
        error: values.error,
      },
      status,
    );
  }
}
