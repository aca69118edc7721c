import { Required } from '../../platform/http/required.decorator.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { DIFFICULTIES, type Difficulty } from './question-bank.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateBankDto {
  @ApiProperty({ example: 'Bank Soal Keselamatan Pasien' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'health' })
  @IsString()
  @MaxLength(40)
  sector: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'Identifikasi pasien' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ description: 'Parent category id' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  parentId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  info?: string;
}

export class QuestionContentDto {
  @ApiPropertyOptional({ example: 'Identifikasi pasien 1' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Markdown' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  stem?: string;

  @ApiPropertyOptional({ description: "The type's definition (options, key, credits, feedback)" })
  @IsOptional()
  @IsObject()
  definition?: Record<string, unknown>;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1000)
  points?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  generalFeedback?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(36)
  categoryId?: string;

  @ApiPropertyOptional({ example: 'M.5' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  competencyCode?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  competencyLevel?: number;

  @ApiPropertyOptional({ enum: DIFFICULTIES })
  @IsOptional()
  @IsIn(DIFFICULTIES as unknown as string[])
  difficulty?: Difficulty;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  tags?: string[];
}

export class CreateQuestionDto extends QuestionContentDto {
  @ApiProperty({ example: 'single_choice', description: 'A key of the question-type registry' })
  @IsString()
  @MaxLength(40)
  type: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Required()
  override name: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  @Required()
  override stem: string;

  @ApiProperty()
  @IsObject()
  @Required()
  override definition: Record<string, unknown>;
}

export class QuestionQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  type?: string;

  @ApiPropertyOptional({ enum: DIFFICULTIES })
  @IsOptional()
  @IsIn(DIFFICULTIES as unknown as string[])
  difficulty?: Difficulty;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  competency?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(36)
  category?: string;

  @ApiPropertyOptional({ description: 'Text in the name or tags' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class BulkQuestionsDto {
  @ApiProperty({ type: [String], description: 'Ids of questions in this bank' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(36, { each: true })
  questionIds: string[];

  @ApiPropertyOptional({
    description: 'Move to this category; an empty string takes them out of any category',
  })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  categoryId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  addTags?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  removeTags?: string[];
}
