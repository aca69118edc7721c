import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_EXTENSION_MINUTES } from './supervision.service.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateSessionDto {
  @ApiProperty({ example: '2026-12-10T01:00:00.000Z' })
  @IsDateString()
  startsAt: string;

  @ApiProperty({ example: '2026-12-10T03:00:00.000Z' })
  @IsDateString()
  endsAt: string;

  @ApiProperty({ example: 'Lab Komputer BKPSDM, Lt. 2' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  location: string;

  @ApiProperty({ minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity: number;

  @ApiProperty({ type: [String], description: 'Users named to proctor (any role)' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  proctorIds: string[];

  @ApiPropertyOptional({ type: [String], example: ['10.20.0.0/24'], description: 'CIDR' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  ipRanges?: string[];

  @ApiPropertyOptional({ default: false, description: 'Candidates may book a free seat' })
  @IsOptional()
  @IsBoolean()
  selfBooking?: boolean;

  @ApiPropertyOptional({ default: false, description: 'The public board shows names' })
  @IsOptional()
  @IsBoolean()
  boardShowsNames?: boolean;

  @ApiPropertyOptional({ default: 15, minimum: 1, maximum: 240 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  pinMinutes?: number;
}

export class AssignCandidatesDto {
  @ApiProperty({ type: [String], example: ['199003152015032001'] })
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(/^\d{18}$/, { each: true })
  nips: string[];
}

/** A proctor action's reason: said in the minutes and the audit log. */
export class ReasonDto {
  @ApiProperty({ example: 'Listrik padam di ruang ujian' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}

/** Pause and resume: the reason is optional (the minutes say what happened either way). */
export class OptionalReasonDto {
  @ApiPropertyOptional({ example: 'Listrik padam di ruang ujian' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ExtendDto extends ReasonDto {
  @ApiProperty({ minimum: 1, maximum: MAX_EXTENSION_MINUTES })
  @IsInt()
  @Min(1)
  @Max(MAX_EXTENSION_MINUTES)
  minutes: number;
}

export class CorrectionDto {
  @ApiProperty({ example: 'Peserta nomor 3 tercatat tidak hadir, padahal hadir.' })
  @Transform(trim)
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  correction: string;
}
