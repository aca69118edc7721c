import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

export class PlanYearQueryDto {
  @ApiPropertyOptional({
    description: 'The plan’s year: last, this (default, in Asia/Jakarta) or next year',
    example: '2026',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  year?: string;
}

export class AddPlanItemDto {
  @ApiProperty({ enum: ['course', 'scheme'] })
  @IsIn(['course', 'scheme'])
  kind: 'course' | 'scheme';

  @ApiProperty({ description: 'A published course’s id or an active scheme’s id' })
  @IsString()
  @MaxLength(60)
  refId: string;

  @ApiPropertyOptional({ description: 'Why it is added' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class UpdatePlanItemDto {
  @ApiProperty({ enum: ['dropped', 'planned'] })
  @IsIn(['dropped', 'planned'])
  status: 'dropped' | 'planned';

  @ApiPropertyOptional({ description: 'Required (5–500 characters) when dropping' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AgreePlanDto {
  @ApiPropertyOptional({
    description:
      'The supervisor’s baseline rating (1–5) per competency code of the plan, the “before” of the behaviour evaluation',
    example: { 'M.5': 3 },
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1, maximum: 5 },
  })
  @IsOptional()
  @IsObject()
  ratings?: Record<string, number>;
}

export class ReturnPlanDto {
  @ApiProperty({ description: 'Why it is returned (5–1000 characters); the ASN sees it' })
  @IsString()
  @MaxLength(1000)
  reason: string;
}
