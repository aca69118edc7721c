import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../../platform/auth/auth.decorators.js';
import { TeamMemberResponse } from './team.response.js';
import { TeamService } from './team.service.js';

@ApiTags('development')
@ApiBearerAuth()
@Controller()
export class TeamController {
  constructor(private readonly team: TeamService) {}

  /** The caller's direct reports (empty for someone without any). */
  @Allow('team.read')
  @Get('api/v1/team')
  mine(@CurrentUser() user: AuthUser): Promise<TeamMemberResponse[]> {
    return this.team.mine(user);
  }
}
