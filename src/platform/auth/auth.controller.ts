import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from './auth-user.js';
import { Allow, CurrentUser, OpenBeforePasswordChange, Public } from './auth.decorators.js';
import { UserResponse } from '../../identity/user.response.js';
import { ChangePasswordDto, LoginDto, RefreshDto } from './auth.dto.js';
import { TokenPairResponse } from './auth.response.js';
import { AuthService } from './auth.service.js';
import { MeService } from './me.service.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<TokenPairResponse> {
    return this.auth.login(body.username, body.password, ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshDto): Promise<TokenPairResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
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

  @Allow('self.read')
  @OpenBeforePasswordChange()
  @Get()
  get(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.me.get(user);
  }

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
