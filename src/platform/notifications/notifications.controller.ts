import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { Allow, CurrentUser } from '../auth/auth.decorators.js';
import { PageRenderer } from '../web/page-renderer.js';
import { UuidParam } from '../http/uuid-param.decorator.js';
import { MarkedReadResponse, NotificationListResponse } from './notifications.response.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly pages: PageRenderer,
  ) {}

  /** The caller's notifications, newest first. */
  @Allow('self.read')
  @Get('api/v1/me/notifications')
  mine(@CurrentUser() user: AuthUser): Promise<NotificationListResponse> {
    return this.notifications.mine(user);
  }

  /** Mark all the caller's notifications read. */
  @Allow('self.read')
  @Post('api/v1/me/notifications/read')
  @HttpCode(200)
  readAll(@CurrentUser() user: AuthUser): Promise<MarkedReadResponse> {
    return this.notifications.markRead(user);
  }

  /** Mark one of the caller's notifications read. */
  @Allow('self.read')
  @Post('api/v1/me/notifications/:id/read')
  @HttpCode(200)
  read(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<MarkedReadResponse> {
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
