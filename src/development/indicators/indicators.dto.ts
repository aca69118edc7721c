import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { Required } from '../../platform/http/required.decorator.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Values fit DECIMAL(14,2). */
const LIMIT = 999_999_999_999;
const FINITE = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 };
export const INDICATOR_YEAR_MIN = 2000;
export const INDICATOR_YEAR_MAX = 2100;

export class IndicatorYearQuery {
  @ApiPropertyOptional({ description: 'The year (default: this year in Asia/Jakarta)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(INDICATOR_YEAR_MIN)
  @Max(INDICATOR_YEAR_MAX)
  year?: number;
}

export class UpdateIndicatorDto {
  @ApiPropertyOptional({ example: 'UNIT-01', description: 'The org unit’s code' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  orgUnitCode?: string;

  @ApiPropertyOptional({ minimum: INDICATOR_YEAR_MIN, maximum: INDICATOR_YEAR_MAX })
  @IsOptional()
  @IsInt()
  @Min(INDICATOR_YEAR_MIN)
  @Max(INDICATOR_YEAR_MAX)
  year?: number;

  @ApiPropertyOptional({ example: 'Rata-rata waktu layanan perizinan' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'hari' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  unit?: string;

  @ApiPropertyOptional({ example: 14 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(-LIMIT)
  @Max(LIMIT)
  baselineValue?: number;

  @ApiPropertyOptional({ example: 9, nullable: true, type: Number })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsNumber(FINITE)
  @Min(-LIMIT)
  @Max(LIMIT)
  resultValue?: number | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  lowerIsBetter?: boolean;

  @ApiPropertyOptional({ example: 'Laporan kinerja instansi 2026' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  source?: string;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  schemeId?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  courseId?: string | null;
}

/** Required here, validated by the rules inherited from {@link UpdateIndicatorDto}. */
export class CreateIndicatorDto extends UpdateIndicatorDto {
  @ApiProperty({ example: 'UNIT-01', description: 'The org unit’s code' })
  @Required()
  override orgUnitCode: string;

  @ApiProperty({ minimum: INDICATOR_YEAR_MIN, maximum: INDICATOR_YEAR_MAX })
  @Required()
  override year: number;

  @ApiProperty({ example: 'Rata-rata waktu layanan perizinan' })
  @Required()
  override name: string;

  @ApiProperty({ example: 'hari' })
  @Required()
  override unit: string;

  @ApiProperty({ example: 14 })
  @Required()
  override baselineValue: number;

  @ApiProperty()
  @Required()
  override lowerIsBetter: boolean;

  @ApiProperty({ example: 'Laporan kinerja instansi 2026' })
  @Required()
  override source: string;
}
