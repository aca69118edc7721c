import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { DomainError } from '../platform/http/domain-error.js';
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
    const listed = await this.sectors.list();
    // What switching each enabled sector off would touch, shown before the admin confirms.
    const previews = new Map(
      await Promise.all(
        listed
          .filter((s) => s.enabled)
          .map(async (s) => [s.key, await this.sectors.disablePreview(s.key)] as const),
      ),
    );
    const sectors = listed.map((s) => {
      const sync = reports.get(s.key);
      return {
        ...s,
        impact: previews.get(s.key) ?? null,
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
    const enabled = form.enabled === 'true';
    // The form carries the numbers the admin saw; disabling goes on only while they hold.
    const count = (name: string) => {
      const value = Number(form[name]);
      return Number.isInteger(value) && value >= 0 ? value : -1;
    };
    const expected = enabled
      ? undefined
      : {
          attemptsInProgress: count('attemptsInProgress'),
          enrolmentsInProgress: count('enrolmentsInProgress'),
          activeSchemes: count('activeSchemes'),
          candidates: count('candidates'),
        };
    try {
      await this.sectors.setEnabled(user, key, enabled, 'id', { expected });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'sector.unconfirmed') throw error;
      return this.pages.redirect(reply, '/admin/sektor', {
        kind: 'error',
        key: 'sectors.changed',
      });
    }
    return this.pages.redirect(reply, '/admin/sektor', { kind: 'success', key: 'sectors.saved' });
  }
}
