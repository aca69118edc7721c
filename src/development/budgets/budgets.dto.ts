import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** The largest ceiling accepted: ten trillion rupiah, far above any city's training budget. */
export const MAX_CEILING_IDR = 10_000_000_000_000;

/** `PUT /api/v1/org-units/:id/budget`: the ceiling of a unit for a year, in whole rupiah. */
export class SetBudgetDto {
  @ApiProperty({ example: 2026, minimum: 2000, maximum: 2100 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @ApiProperty({ example: 250_000_000, minimum: 0, maximum: MAX_CEILING_IDR })
  @IsInt()
  @Min(0)
  @Max(MAX_CEILING_IDR)
  ceilingIdr: number;
}

/** `GET /api/v1/org-units/budgets?year=`. */
export class BudgetYearQuery {
  @ApiProperty({ example: 2026, minimum: 2000, maximum: 2100 })
  @Transform(({ value }: { value: unknown }) =>
    value === '' || value === undefined ? value : Number(value),
  )
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;
}

/** A unit's training budget ceiling for a year. */
export class BudgetResponse {
  @ApiProperty({ format: 'uuid' })
  orgUnitId: string;

  @ApiProperty({ example: 'DINKES' })
  orgUnitCode: string;

  @ApiProperty({ example: 'Dinas Kesehatan' })
  orgUnitName: string;

  @ApiProperty({ example: 2026 })
  year: number;

  @ApiProperty({ example: 250_000_000, description: 'Whole rupiah' })
  ceilingIdr: number;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}
