import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from './auth-user.js';
import { Allow, CurrentUser, Public } from './auth.decorators.js';
import { LoginDto, RefreshDto, TokenPairDto, UserSummaryDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { MeService } from './me.service.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  login(@Body() body: LoginDto, @Ip() ip: string) {
    return this.auth.login(body.username, body.password, ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshDto) {
    await this.auth.logout(body.refreshToken);
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Allow('self.read')
  @Get()
  @ApiOkResponse({ type: UserSummaryDto })
  get(@CurrentUser() user: AuthUser) {
    return this.me.get(user);
  }
}
