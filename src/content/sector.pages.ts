import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { PageRenderer } from '../platform/web/page-renderer.js';
import { SectorsService } from '../registry/sectors.service.js';
import { ContentSyncService } from './content-sync.service.js';

/** The admin's sector page: each sector's version, switch, and its last content sync report. */
@ApiExcludeController()
@Controller('admin/sektor')
export class SectorPages {
  constructor(
    private readonly sectors: SectorsService,
    private readonly content: ContentSyncService,
    private readonly pages: PageRenderer,
  ) {}

  @Allow('sector.manage')
  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const reports = await this.content.lastReports();
    const sectors = (await this.sectors.list()).map((s) => {
      const sync = reports.get(s.key);
      return {
        ...s,
        sync: sync && {
          ...sync.report,
          syncedAt: sync.syncedAt.toISOString(),
          createdCount: sync.report.created.length,
          updatedCount: sync.report.updated.length,
        },
      };
    });
    return this.pages.render(req, reply, 'pages/sectors', { titleKey: 'sectors.title', sectors });
  }

  @Allow('sector.manage')
  @Post(':key')
  async toggle(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('key') key: string,
    @Body() form: Record<string, string | undefined>,
  ) {
    await this.sectors.setEnabled(user, key, form.enabled === 'true');
    return this.pages.redirect(reply, '/admin/sektor', { kind: 'success', key: 'sectors.saved' });
  }
}
