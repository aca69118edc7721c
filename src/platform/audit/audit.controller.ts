import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow } from '../auth/auth.decorators.js';
import { PageRenderer } from '../web/page-renderer.js';
import { AuditQuery } from './audit.dto.js';
import { AuditPageResponse } from './audit.response.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly pages: PageRenderer,
  ) {}

  /** The audit log, newest first, filtered by action, record, actor and period. */
  @Allow('audit.read')
  @Get('api/v1/audit')
  list(@Query() query: AuditQuery): Promise<AuditPageResponse> {
    return this.audit.search(query);
  }

  @Allow('audit.read')
  @ApiExcludeEndpoint()
  @Get('admin/audit')
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: AuditQuery) {
    const result = await this.audit.search({ ...query, pageSize: 50 });
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const link = (p: number) => {
      const params = new URLSearchParams();
      for (const key of ['action', 'entityType', 'entityId'] as const)
        if (query[key]) params.set(key, query[key]!);
      params.set('page', String(p));
      return `/admin/audit?${params}`;
    };
    return this.pages.render(req, reply, 'audit/list', {
      titleKey: 'audit.title',
      result,
      filter: query,
      pager: {
        page: result.page,
        pages,
        prev: result.page > 1 ? link(result.page - 1) : null,
        next: result.page < pages ? link(result.page + 1) : null,
      },
    });
  }
}
