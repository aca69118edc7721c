import { Required } from '../../platform/http/required.decorator.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DIFFICULTIES } from '../banks/question-bank.entity.js';
import { REVIEW_POLICIES, type ReviewPolicy } from './assessment.entity.js';
import { ANSWER } from './assessment.response.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SectionDto {
  @ApiProperty()
  @IsString()
  @MaxLength(36)
  bankId: string;

  @ApiProperty({ minimum: 0, maximum: 200, description: 'Questions drawn at random' })
  @IsInt()
  @Min(0)
  @Max(200)
  count: number;

  @ApiPropertyOptional({ description: 'Category id (its subcategories included)' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  category?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  competencyCode?: string;

  @ApiPropertyOptional({ enum: DIFFICULTIES })
  @IsOptional()
  @IsIn(DIFFICULTIES as unknown as string[])
  difficulty?: string;

  @ApiPropertyOptional({ type: [String], description: 'Fixed questions instead of a draw' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(36, { each: true })
  questionIds?: string[];
}

export class AudienceDto {
  @ApiProperty({ description: 'Every signed-in user may sit it' })
  @IsBoolean()
  everyone: boolean;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @MaxLength(36, { each: true })
  userIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  positionCodes?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  orgUnitCodes?: string[];
}

export class AttestDto {
  @ApiProperty({ example: 'KES.1' })
  @IsString()
  @MaxLength(40)
  competencyCode: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level: number;
}

/** Every field of an assessment; on update all are optional. */
export class UpdateAssessmentDto {
  @ApiPropertyOptional({ example: 'Ujian Keselamatan Pasien' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ description: 'Markdown' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  instructions?: string;

  @ApiPropertyOptional({ type: [SectionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SectionDto)
  sections?: SectionDto[];

  @ApiPropertyOptional({
    default: true,
    description:
      'Shuffle the order of the questions. Answer options and matching answers are shuffled per attempt whatever this says (ADR 0010).',
  })
  @IsOptional()
  @IsBoolean()
  shuffle?: boolean;

  @ApiPropertyOptional({ description: 'Minutes; null for none', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  timeLimitMinutes?: number | null;

  @ApiPropertyOptional({ default: 1, description: '0: unlimited' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  maxAttempts?: number;

  @ApiPropertyOptional({ enum: ['highest', 'last'], default: 'highest' })
  @IsOptional()
  @IsIn(['highest', 'last'])
  scoring?: 'highest' | 'last';

  @ApiPropertyOptional({ default: 70 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  passPercent?: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsDateString()
  opensAt?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsDateString()
  closesAt?: string | null;

  @ApiPropertyOptional({ type: AudienceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience?: AudienceDto;

  @ApiPropertyOptional({ enum: REVIEW_POLICIES, default: 'score' })
  @IsOptional()
  @IsIn(REVIEW_POLICIES as unknown as string[])
  reviewPolicy?: ReviewPolicy;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  reviewAfterClose?: boolean;

  @ApiPropertyOptional({ type: [AttestDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => AttestDto)
  attests?: AttestDto[];

  @ApiPropertyOptional({ enum: ['all', 'one'], default: 'all' })
  @IsOptional()
  @IsIn(['all', 'one'])
  layout?: 'all' | 'one';

  /** Every attempt needs a supervised session: its PIN, its window, its room. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  supervised?: boolean;
}

export class CreateAssessmentDto extends UpdateAssessmentDto {
  @ApiProperty({ example: 'health' })
  @IsString()
  @MaxLength(40)
  sector: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  @Required()
  override title: string;

  @ApiProperty({ type: [SectionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SectionDto)
  @Required()
  override sections: SectionDto[];
}

export class AnswerDto {
  @ApiPropertyOptional({
    ...ANSWER,
    description:
      'By type: option id; array of option ids; boolean; string; number; object left id → right id; cloze: object blank id → option id, number or { text }; null clears',
  })
  @IsOptional()
  response?: unknown;

  @ApiPropertyOptional({ description: 'Client sequence: a lower one than saved is ignored' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_000_000_000)
  seq?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  flagged?: boolean;
}

export class GradeDto {
  @ApiProperty({ description: 'Points, from 0 to the question points' })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1000)
  score: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class OverrideDto {
  @ApiProperty({ description: 'Points, from 0 to the question points' })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1000)
  score: number;

  @ApiProperty({ description: 'Why the machine grade is wrong (shown on the attempt, audited)' })
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  reason: string;
}

/** A start: a supervised assessment's needs the session and the PIN its proctor gave. */
export class StartAttemptDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiPropertyOptional({ example: '042917' })
  @IsOptional()
  @IsString()
  @MaxLength(12)
  pin?: string;
}
