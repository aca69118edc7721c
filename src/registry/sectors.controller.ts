import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser, Public } from '../platform/auth/auth.decorators.js';
import { Lang } from '../platform/http/lang.decorator.js';
import { SectorsService } from './sectors.service.js';

export class SectorDto {
  @ApiProperty({ example: 'health' }) key: string;
  @ApiProperty({ example: 'Kesehatan' }) name: string;
  @ApiProperty() names: { id: string; en: string };
  @ApiProperty({ example: '1.0.0' }) version: string;
  @ApiProperty({ example: '1.0.0' }) installedVersion: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String }) icon: string | null;
}

export class UpdateSectorDto {
  @ApiProperty({ description: 'false hides the sector and its content from ASN' })
  @IsBoolean()
  enabled: boolean;
}

@ApiTags('sectors')
@Controller('api/v1/sectors')
export class SectorsController {
  constructor(private readonly sectors: SectorsService) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: [SectorDto] })
  list(@Lang() lang: 'id' | 'en') {
    return this.sectors.list(lang);
  }

  @Public()
  @Get(':key')
  @ApiOkResponse({ type: SectorDto })
  get(@Param('key') key: string, @Lang() lang: 'id' | 'en') {
    return this.sectors.get(key, lang);
  }

  @ApiBearerAuth()
  @Allow('sector.manage')
  @Patch(':key')
  @ApiOkResponse({ type: SectorDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('key') key: string,
    @Body() body: UpdateSectorDto,
    @Lang() lang: 'id' | 'en',
  ) {
    return this.sectors.setEnabled(user, key, body.enabled, lang);
  }
}
