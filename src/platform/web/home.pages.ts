import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SectorsService } from '../../registry/sectors.service.js';
import { Public } from '../auth/auth.decorators.js';
import { languageOf } from '../http/lang.decorator.js';
import { PageRenderer } from './page-renderer.js';

@ApiExcludeController()
@Controller()
export class HomePages {
  constructor(
    private readonly sectors: SectorsService,
    private readonly pages: PageRenderer,
  ) {}

  @Public()
  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const sectors = (await this.sectors.list(languageOf(req))).filter((s) => s.enabled);
    return this.pages.render(req, reply, 'pages/home', { sectors });
  }
}
