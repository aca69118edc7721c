import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  ) {}

  /** The caller: role, sectors, position, org unit and supervisor. */
  @Allow('self.read')
  @OpenBeforePasswordChange()
  @Get()
  get(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.me.get(user);
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
