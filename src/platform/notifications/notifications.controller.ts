import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { Allow, CurrentUser } from '../auth/auth.decorators.js';
import { PageRenderer } from '../web/page-renderer.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Allow('self.read')
  @Get('api/v1/me/notifications')
  mine(@CurrentUser() user: AuthUser) {
    return this.notifications.mine(user);
  }

  @Allow('self.read')
  @Post('api/v1/me/notifications/read')
  @HttpCode(200)
  readAll(@CurrentUser() user: AuthUser) {
    return this.notifications.markRead(user);
  }

  @Allow('self.read')
  @Post('api/v1/me/notifications/:id/read')
  @HttpCode(200)
  read(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.notifications.markRead(user, id);
  }

  @ApiExcludeEndpoint()
  @Allow('self.read')
  @Get('notifikasi')
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'pages/notifications', {
      titleKey: 'notifications.title',
      notifications: await this.notifications.mine(user),
    });
  }

  @ApiExcludeEndpoint()
  @Allow('self.read')
  @Post('notifikasi/dibaca')
  async pageReadAll(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser) {
    await this.notifications.markRead(user);
    return this.pages.redirect(reply, '/notifikasi');
  }
}
