import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Min, ValidateNested } from 'class-validator';
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

export class SectorImpactDto {
  @ApiProperty({ example: 'health' }) key: string;
  @ApiProperty({ example: 'Kesehatan' }) name: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: 'open attempts at its assessments (voided when it is switched off)' })
  attemptsInProgress: number;
  @ApiProperty({ description: 'unfinished enrolments in its courses (paused while it is off)' })
  enrolmentsInProgress: number;
  @ApiProperty({ description: 'active schemes (issue nothing while it is off)' })
  activeSchemes: number;
  @ApiProperty({ description: 'distinct people with an open attempt or unfinished enrolment' })
  candidates: number;
}

/** The preview's numbers as the admin saw them; disabling goes on only if they still hold. */
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
  @Get(':key/disable-preview')
  @ApiOkResponse({ type: SectorImpactDto })
  disablePreview(@Param('key') key: string, @Lang() lang: 'id' | 'en') {
    return this.sectors.disablePreview(key, lang);
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
    return this.sectors.setEnabled(user, key, body.enabled, lang, {
      confirm: body.confirm,
      expected: body.expected,
    });
  }
}
