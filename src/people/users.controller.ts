import { Body, Req, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiUpload, readUpload } from '../platform/http/upload.js';
import { UserImportService } from './import/user-import.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { OrgUnitsService } from './org-units.service.js';
import {
  CreateOrgUnitDto,
  CreateUserDto,
  ListUsersQuery,
  ResetPasswordDto,
  UpdateOrgUnitDto,
  UpdateUserDto,
} from './people.dto.js';
import { UsersService } from './users.service.js';
import { UserAdminResponse } from '../identity/user.response.js';
import { UuidParam } from '../platform/http/uuid-param.decorator.js';
import {
  CreatedUserResponse,
  OrgUnitResponse,
  ResetPasswordResponse,
  UserImportResponse,
  UserPageResponse,
} from './people.response.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly imports: UserImportService,
  ) {}

  /** Search users, page by page. */
  @Allow('user.manage')
  @Get()
  list(@Query() query: ListUsersQuery): Promise<UserPageResponse> {
    return this.users.list(query);
  }

  /** Create a user. */
  @Allow('user.manage')
  @Post()
  create(
    @CurrentUser() actor: AuthUser,
    @Body() body: CreateUserDto,
  ): Promise<CreatedUserResponse> {
    return this.users.create(actor, body);
  }

  /** Import users from CSV or XLSX (dry run first). */
  @Allow('user.manage')
  @Post('import')
  @HttpCode(200)
  @ApiQuery({
    name: 'dryRun',
    required: false,
    description: 'true: report each row without saving',
  })
  @ApiUpload(
    'text/csv',
    'multipart/form-data',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  async import(
    @CurrentUser() actor: AuthUser,
    @Req() request: FastifyRequest,
    @Query('dryRun') dryRun?: string,
  ): Promise<UserImportResponse> {
    return this.imports.run(actor, await readUpload(request), dryRun === 'true' || dryRun === '1');
  }

  /** One user. */
  @Allow('user.manage')
  @Get(':id')
  get(@UuidParam('id') id: string): Promise<UserAdminResponse> {
    return this.users.get(id);
  }

  /** Change a user. */
  @Allow('user.manage')
  @Patch(':id')
  update(
    @CurrentUser() actor: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserAdminResponse> {
    return this.users.update(actor, id, body);
  }

  /** Deactivate a user. */
  @Allow('user.manage')
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(
    @CurrentUser() actor: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<UserAdminResponse> {
    return this.users.setActive(actor, id, false);
  }

  /** Reactivate a user. */
  @Allow('user.manage')
  @Post(':id/reactivate')
  @HttpCode(200)
  reactivate(
    @CurrentUser() actor: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<UserAdminResponse> {
    return this.users.setActive(actor, id, true);
  }

  /** Give a user a temporary password. */
  @Allow('user.manage')
  @Post(':id/reset-password')
  @HttpCode(200)
  resetPassword(
    @CurrentUser() actor: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<ResetPasswordResponse> {
    return this.users.resetPassword(actor, id, body.password);
  }
}

@ApiTags('org-units')
@ApiBearerAuth()
@Controller('api/v1/org-units')
export class OrgUnitsController {
  constructor(private readonly units: OrgUnitsService) {}

  /** The org units (OPD). */
  @Allow('org-unit.read')
  @Get()
  list(): Promise<OrgUnitResponse[]> {
    return this.units.list();
  }

  /** Create an org unit. */
  @Allow('org-unit.manage')
  @Post()
  create(@CurrentUser() actor: AuthUser, @Body() body: CreateOrgUnitDto): Promise<OrgUnitResponse> {
    return this.units.create(actor, body);
  }

  /** Change an org unit. */
  @Allow('org-unit.manage')
  @Patch(':id')
  update(
    @CurrentUser() actor: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: UpdateOrgUnitDto,
  ): Promise<OrgUnitResponse> {
    return this.units.update(actor, id, body);
  }
}
