import { Body, Controller, Get, HttpCode, Ip, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiFileResponse, ZIP } from '../http/api-file.decorator.js';
import { sendFile } from '../http/table-export.js';
import { ExportThrottleGuard } from '../personal-data/export-throttle.guard.js';
import { PersonalExport } from '../personal-data/personal-export.service.js';
import type { AuthUser } from './auth-user.js';
import { Allow, CurrentUser, OpenBeforePasswordChange, Public } from './auth.decorators.js';
import { UserResponse } from '../../identity/user.response.js';
import {
  ChangePasswordDto,
  LoginDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  RefreshDto,
} from './auth.dto.js';
import {
  PasswordResetOptionsResponse,
  PasswordResetRequestedResponse,
  TokenPairResponse,
} from './auth.response.js';
import { AuthService } from './auth.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { Lang, type Language } from '../http/lang.decorator.js';
import { MeService } from './me.service.js';
import { t } from '../i18n/i18n.js';
import { ApiErrors } from '../http/api-errors.decorator.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly resets: PasswordResetService,
  ) {}

  /** Sign in with a NIP or e-mail and a password. */
  @Public()
  @ApiErrors(401, 429)
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<TokenPairResponse> {
    return this.auth.login(body.username, body.password, ip);
  }

  /** Exchange a refresh token for new tokens (the old one is spent). */
  @Public()
  @ApiErrors(401)
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshDto): Promise<TokenPairResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  /** Sign out: revoke a refresh token. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  /** How a forgotten password can be reset on this deployment. */
  @Public()
  @Get('password-reset')
  resetOptions(@Lang() lang: Language): PasswordResetOptionsResponse {
    return this.resets.options(lang);
  }

  /** Ask for a password-reset link by e-mail. */
  @Public()
  @ApiErrors(429)
  @Post('password-reset')
  @HttpCode(202)
  async requestReset(
    @Body() body: PasswordResetRequestDto,
    @Ip() ip: string,
    @Lang() lang: Language,
  ): Promise<PasswordResetRequestedResponse> {
    await this.resets.request(body.username, ip);
    return { message: t(lang, 'forgot.sent') };
  }

  /** Set a new password with a reset token. */
  @Public()
  @ApiErrors(429)
  @Post('password-reset/confirm')
  @HttpCode(204)
  async confirmReset(@Body() body: PasswordResetConfirmDto, @Ip() ip: string): Promise<void> {
    await this.resets.confirm(body.token, body.newPassword, ip);
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly me: MeService,
    private readonly auth: AuthService,
    private readonly personal: PersonalExport,
  ) {}

  /** The caller: role, sectors, position, org unit and supervisor. */
  @Allow('self.read')
  @OpenBeforePasswordChange()
  @Get()
  get(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.me.get(user);
  }

  /**
   * The caller's own data (UU PDP 27/2022): profile, position, enrolments and JP, attempts
   * (answers as the review policy shows them), evidence, certificates with their signed
   * credentials, notifications and the audit log about them, as a ZIP of JSON and CSV.
   */
  @Allow('self.read')
  @Get('export')
  @UseGuards(ExportThrottleGuard)
  @ApiOperation({
    summary:
      'Download all of the caller’s own data as a ZIP of JSON and CSV (UU PDP 27/2022); at most 5 per 10 minutes',
  })
  @ApiErrors(429)
  @ApiFileResponse([ZIP], {
    description: 'The ZIP: README.txt, profil.json and a JSON (and CSV) per section',
  })
  async export(
    @CurrentUser() user: AuthUser,
    @Ip() ip: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return sendFile(reply, await this.personal.build(user, ip));
  }

  /** Change the caller's password. */
  @Allow('self.read')
  @OpenBeforePasswordChange()
  @Post('password')
  @HttpCode(204)
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(user.id, body.currentPassword, body.newPassword);
  }
}
