import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** An answer: each item's rating 1–5 by its key, and a comment (an example, for behaviour). */
export class AnswerEvaluationDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1, maximum: 5 },
    example: { '1': 4, '2': 5, '3': 3, '4': 4 },
    description: 'A rating 1–5 for each item key of the questionnaire, and no other key',
  })
  @IsObject()
  ratings: Record<string, number>;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'A comment; for behaviour, required: an example at work (10–2000 characters)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
