import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { COMPETENCY_TYPES, type CompetencyType } from './competency.entity.js';
import { POSITION_KINDS, type PositionKind } from './position.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

export class LevelDescriptorDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level: number;

  @ApiProperty()
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  description: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  indicators?: string[];
}

export class CreateCompetencyDto {
  @ApiProperty({ example: 'KES.PPI' })
  @Transform(trim)
  @IsString()
  @Matches(CODE, {
    message: 'code: huruf, angka, titik, garis bawah atau tanda hubung, maksimal 40',
  })
  code: string;

  @ApiProperty({ example: 'Pencegahan dan Pengendalian Infeksi' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiProperty()
  @IsString()
  @MinLength(3)
  @MaxLength(4000)
  description: string;

  @ApiProperty({ enum: COMPETENCY_TYPES })
  @IsIn(COMPETENCY_TYPES as unknown as string[], {
    message: `type harus salah satu dari ${COMPETENCY_TYPES.join(', ')}`,
  })
  type: CompetencyType;

  @ApiPropertyOptional({ description: 'Sector key; required for teknis, absent for the others' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  sector?: string;

  @ApiProperty({ type: [LevelDescriptorDto], description: 'Exactly the five levels 1–5' })
  @IsArray()
  @ArrayMinSize(5)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => LevelDescriptorDto)
  levels: LevelDescriptorDto[];
}

export class CompetencyQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  sector?: string;

  @ApiPropertyOptional({ enum: COMPETENCY_TYPES })
  @IsOptional()
  @IsIn(COMPETENCY_TYPES as unknown as string[])
  type?: CompetencyType;
}

export class CreatePositionDto {
  @ApiProperty({ example: 'PERAWAT-AHLI-PERTAMA' })
  @Transform(trim)
  @IsString()
  @Matches(CODE, {
    message: 'code: huruf, angka, titik, garis bawah atau tanda hubung, maksimal 40',
  })
  code: string;

  @ApiProperty({ example: 'Perawat Ahli Pertama' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: POSITION_KINDS })
  @IsIn(POSITION_KINDS as unknown as string[], {
    message: `kind harus salah satu dari ${POSITION_KINDS.join(', ')}`,
  })
  kind: PositionKind;

  @ApiPropertyOptional({ example: 'health' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  sector?: string;

  @ApiPropertyOptional({ type: [String], example: ['DINKES'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  orgUnitCodes?: string[];

  @ApiPropertyOptional({
    description:
      'Another position already has this name: without `true` the create is refused with 409 `position.duplicate_name` (its `details.existingCodes` names them), so that two positions of one name are made on purpose only',
  })
  @IsOptional()
  @IsBoolean()
  confirmDuplicateName?: boolean;
}

export class UpdatePositionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: POSITION_KINDS })
  @IsOptional()
  @IsIn(POSITION_KINDS as unknown as string[])
  kind?: PositionKind;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  sector?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  orgUnitCodes?: string[];
}

export class RequirementDto {
  @ApiPropertyOptional({ example: 'M.1', description: 'Competency code (or give competencyId)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  competencyCode?: string;

  @ApiPropertyOptional({ description: 'Competency id (instead of competencyCode)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  competencyId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5, description: 'Required level (or requiredLevel)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  level?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  requiredLevel?: number;
}

export class SetStandardDto {
  @ApiPropertyOptional({
    type: [RequirementDto],
    description: 'The whole standard; replaces the current one',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RequirementDto)
  items?: RequirementDto[];

  @ApiPropertyOptional({ type: [RequirementDto], description: 'Same as items' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RequirementDto)
  requirements?: RequirementDto[];
}

export class CopyStandardDto {
  @ApiProperty({ description: 'Code of the position to copy from' })
  @IsString()
  @MaxLength(40)
  fromPositionCode: string;
}

export class AssignPositionDto {
  @ApiProperty({ type: [String], description: 'NIPs or user ids' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  users: string[];
}

export class RecordEvidenceDto {
  @ApiProperty({ example: 'M.1' })
  @IsString()
  @MaxLength(40)
  competencyCode: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level: number;

  @ApiProperty({ description: 'Why this evidence is recorded (e.g. the earlier certificate)' })
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ description: 'ISO date; default now' })
  @IsOptional()
  @IsDateString()
  achievedAt?: string;

  @ApiPropertyOptional({ description: 'ISO date; none means it does not expire' })
  @IsOptional()
  @IsDateString()
  expiresAt?: string;
}
