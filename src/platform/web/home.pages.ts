import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { Lang } from '../http/lang.decorator.js';
import type { Language } from '../http/lang.decorator.js';
import { SectorsService } from '../../registry/sectors.service.js';

@ApiExcludeController()
@Controller()
export class HomePages {
  constructor(private readonly sectors: SectorsService) {}

  @Public()
  @Get()
  @Render('pages/home')
  async home(@Lang() lang: Language) {
    const sectors = (await this.sectors.list(lang)).filter((s) => s.enabled);
    return { lang, title: 'Sertifikasi ASN', sectors };
  }
}
