import { Required } from '../platform/http/required.decorator.js';
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
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  DELIVERY_MODES,
  LESSON_KINDS,
  type DeliveryMode,
  type LessonKind,
} from './course.entity.js';
import {
  DELIMITER_DESCRIPTION,
  DELIMITER_NAMES,
  type DelimiterName,
} from '../platform/http/csv-delimiter.js';

export const COST_MESSAGE = 'costIdr harus bilangan bulat rupiah 0–100.000.000 atau null';
export const DELIVERY_MODE_MESSAGE = `deliveryMode harus salah satu dari ${DELIVERY_MODES.join(', ')} atau null`;
const REACTION_MESSAGE = 'reactionItems: 1–10 butir, masing-masing 5–200 karakter, atau null';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CourseCompetencyDto {
  @ApiProperty({ example: 'M.5' })
  @IsString()
  @MaxLength(40)
  code: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level: number;
}

export class CourseFieldsDto {
  @ApiPropertyOptional({ example: 'Keselamatan Pasien' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summary?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  objectives?: string[];

  @ApiPropertyOptional({ type: [CourseCompetencyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => CourseCompetencyDto)
  competencies?: CourseCompetencyDto[];

  @ApiPropertyOptional({
    description: 'Learning hours credited on completion (1 JP = 45 minutes)',
    example: 4,
  })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.25)
  @Max(200)
  jp?: number;

  @ApiPropertyOptional({ example: 180 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  durationMinutes?: number;

  @ApiPropertyOptional({
    description:
      "Share (0–100) of each lesson's stated minutes it must be open before it can be marked done; 0 for reference material. Clears minStudyMinutes.",
    default: 50,
    minimum: 0,
    maximum: 100,
  })
  @IsOptional()
  @IsInt({ message: 'minStudyPercent harus bilangan bulat 0–100' })
  @Min(0, { message: 'minStudyPercent harus bilangan bulat 0–100' })
  @Max(100, { message: 'minStudyPercent harus bilangan bulat 0–100' })
  minStudyPercent?: number;

  @ApiPropertyOptional({
    description:
      "Instead of the share: fixed minutes per lesson (never more than the lesson's own minutes); null returns to the share.",
    nullable: true,
    minimum: 0,
    maximum: 600,
  })
  @IsOptional()
  @IsInt({ message: 'minStudyMinutes harus bilangan bulat 0–600 atau null' })
  @Min(0, { message: 'minStudyMinutes harus bilangan bulat 0–600 atau null' })
  @Max(600, { message: 'minStudyMinutes harus bilangan bulat 0–600 atau null' })
  minStudyMinutes?: number | null;

  @ApiPropertyOptional({
    description:
      'Whether a learner may be credited its JP again in a year they already were (refresher training). By default a course, across all its versions, credits once per learner and year (ADR 0018).',
    default: false,
  })
  @IsOptional()
  @IsBoolean({ message: 'repeatable harus true atau false' })
  repeatable?: boolean;

  @ApiPropertyOptional({
    description:
      'Estimated cost per participant in whole rupiah, 0–100,000,000 (development plans, ADR 0040); null: unknown.',
    nullable: true,
    minimum: 0,
    maximum: 100_000_000,
    example: 1_500_000,
  })
  @IsOptional()
  @IsInt({ message: COST_MESSAGE })
  @Min(0, { message: COST_MESSAGE })
  @Max(100_000_000, { message: COST_MESSAGE })
  costIdr?: number | null;

  @ApiPropertyOptional({ enum: DELIVERY_MODES, nullable: true, description: 'How it is delivered' })
  @IsOptional()
  @IsIn(DELIVERY_MODES as unknown as string[], { message: DELIVERY_MODE_MESSAGE })
  deliveryMode?: DeliveryMode | null;

  @ApiPropertyOptional({
    description:
      "Whether enrolled learners may sit a pre-test on the course's assessment before studying (ADR 0040).",
    default: false,
  })
  @IsOptional()
  @IsBoolean({ message: 'preTest harus true atau false' })
  preTest?: boolean;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    description:
      "The reaction questionnaire's statements (1–10, each 5–200 characters), rated 1–5 after completion; null: the platform's four default items.",
  })
  @IsOptional()
  @IsArray({ message: REACTION_MESSAGE })
  @ArrayMinSize(1, { message: REACTION_MESSAGE })
  @ArrayMaxSize(10, { message: REACTION_MESSAGE })
  @IsString({ each: true, message: REACTION_MESSAGE })
  @MinLength(5, { each: true, message: REACTION_MESSAGE })
  @MaxLength(200, { each: true, message: REACTION_MESSAGE })
  reactionItems?: string[] | null;
}

export class CreateCourseDto extends CourseFieldsDto {
  @ApiProperty({ example: 'health' })
  @IsString()
  @MaxLength(40)
  sector: string;

  @ApiProperty({ example: 'KES-KP-01' })
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, {
    message: 'code: huruf, angka, titik, garis bawah atau tanda hubung, maksimal 40',
  })
  code: string;

  @ApiProperty({ example: 'Keselamatan Pasien' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  @Required()
  override title: string;

  @ApiProperty({ example: 4 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.25)
  @Max(200)
  @Required()
  override jp: number;
}

export class LessonDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ enum: LESSON_KINDS })
  @IsOptional()
  @IsIn(LESSON_KINDS as unknown as string[], {
    message: `kind harus salah satu dari ${LESSON_KINDS.join(', ')}`,
  })
  kind?: LessonKind;

  @ApiPropertyOptional({ description: 'Section heading the lesson sits under' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  section?: string;

  @ApiPropertyOptional({ description: 'Markdown (kind markdown)' })
  @IsOptional()
  @IsString()
  @MaxLength(100000)
  body?: string;

  @ApiPropertyOptional({ description: 'http(s) address (kind link)' })
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: 'url harus alamat http(s) yang lengkap' },
  )
  @MaxLength(1000)
  url?: string;

  @ApiPropertyOptional({
    description: 'Size or length of the linked material, for slow connections',
    example: 'Video 12 menit, ±40 MB',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  linkNote?: string;

  @ApiPropertyOptional({ description: 'The assessment to pass (kind assessment), same sector' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  assessmentId?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ default: 15 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  durationMinutes?: number;
}

export class CreateLessonDto extends LessonDto {
  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  @Required()
  override title: string;

  @ApiProperty({ enum: LESSON_KINDS })
  @IsIn(LESSON_KINDS as unknown as string[], {
    message: `kind harus salah satu dari ${LESSON_KINDS.join(', ')}`,
  })
  @Required()
  override kind: LessonKind;
}

export class ReorderLessonsDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  lessonIds: string[];
}

export class EnrollDto {
  @ApiPropertyOptional({ type: [String], description: 'Staff only: users by id or NIP' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  users?: string[];

  @ApiPropertyOptional({ description: 'Staff only: everyone holding this position' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  positionCode?: string;

  @ApiPropertyOptional({ description: 'Staff only: everyone in this org unit' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  orgUnitCode?: string;

  @ApiPropertyOptional({ description: 'ISO date the assigned learners should finish by' })
  @IsOptional()
  @IsDateString()
  dueAt?: string;
}

export class JpQuery {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'Org unit code' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  orgUnit?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';

  @ApiPropertyOptional({ enum: DELIMITER_NAMES, description: DELIMITER_DESCRIPTION })
  @IsOptional()
  @IsIn(DELIMITER_NAMES)
  delimiter?: DelimiterName;
}
