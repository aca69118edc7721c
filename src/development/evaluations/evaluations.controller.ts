import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { UuidParam } from '../../platform/http/uuid-param.decorator.js';
import { AnswerEvaluationDto } from './evaluations.dto.js';
import { EvaluationAnsweredResponse, QuestionnaireResponse } from './evaluations.response.js';
import { EvaluationsService } from './evaluations.service.js';

@ApiTags('evaluations')
@ApiBearerAuth()
@Controller('api/v1')
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  /** The caller's questionnaires that are due and unanswered. */
  @Allow('evaluation.respond')
  @Get('me/evaluations')
  mine(@CurrentUser() user: AuthUser): Promise<QuestionnaireResponse[]> {
    return this.evaluations.mine(user);
  }

  /** Answer one of the caller's questionnaires, once. */
  @Allow('evaluation.respond')
  @Post('evaluations/:id/responses')
  answer(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() body: AnswerEvaluationDto,
  ): Promise<EvaluationAnsweredResponse> {
    return this.evaluations.answer(user, id, body);
  }
}
