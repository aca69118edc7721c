import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Min, ValidateNested } from 'class-validator';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser, Public } from '../platform/auth/auth.decorators.js';
import { Lang } from '../platform/http/lang.decorator.js';
import { SectorImpactResponse, SectorResponse, SectorUpdateResponse } from './sector.response.js';
import { SectorsService } from './sectors.service.js';

export class ExpectedImpactDto {
  @ApiProperty({ required: false }) @IsOptional() @IsInt() @Min(0) attemptsInProgress?: number;
  @ApiProperty({ required: false }) @IsOptional() @IsInt() @Min(0) enrolmentsInProgress?: number;
  @ApiProperty({ required: false }) @IsOptional() @IsInt() @Min(0) activeSchemes?: number;
  @ApiProperty({ required: false }) @IsOptional() @IsInt() @Min(0) candidates?: number;
}

export class UpdateSectorDto {
  @ApiProperty({ description: 'false hides the sector and its content from ASN' })
  @IsBoolean()
  enabled: boolean;

  @ApiProperty({
    required: false,
    description:
      'switching off while people are busy there (see disable-preview) needs true, or `expected`',
  })
  @IsOptional()
  @IsBoolean()
  confirm?: boolean;

  @ApiProperty({ required: false, type: ExpectedImpactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExpectedImpactDto)
  expected?: ExpectedImpactDto;
}

@ApiTags('sectors')
@Controller('api/v1/sectors')
export class SectorsController {
  constructor(private readonly sectors: SectorsService) {}

  /** The registered sector modules. */
  @Public()
  @Get()
  list(@Lang() lang: 'id' | 'en'): Promise<SectorResponse[]> {
    return this.sectors.list(lang);
  }

  /** One sector module with its manifest. */
  @Public()
  @Get(':key')
  get(@Param('key') key: string, @Lang() lang: 'id' | 'en'): Promise<SectorResponse> {
    return this.sectors.get(key, lang);
  }

  /** What disabling a sector module would affect. */
  @ApiBearerAuth()
  @Allow('sector.manage')
  @Get(':key/disable-preview')
  disablePreview(
    @Param('key') key: string,
    @Lang() lang: 'id' | 'en',
  ): Promise<SectorImpactResponse> {
    return this.sectors.disablePreview(key, lang);
  }

  /** Enable or disable a sector module. */
  @ApiBearerAuth()
  @Allow('sector.manage')
  @Patch(':key')
  update(
    @CurrentUser() user: AuthUser,
    @Param('key') key: string,
    @Body() body: UpdateSectorDto,
    @Lang() lang: 'id' | 'en',
  ): Promise<SectorUpdateResponse> {
    return this.sectors.setEnabled(user, key, body.enabled, lang, {
      confirm: body.confirm,
      expected: body.expected,
    });
  }
}
