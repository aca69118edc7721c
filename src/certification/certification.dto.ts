import { Required } from '../platform/http/required.decorator.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DELIVERY_MODES, type DeliveryMode } from '../learning/delivery-modes.js';

const SCHEME_COST_MESSAGE = 'costIdr harus bilangan bulat rupiah 0–100.000.000 atau null';
const EVALUATION_DAYS_MESSAGE = 'evaluationDays harus bilangan bulat 1–730 atau null (bawaan 90)';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AssessmentRequirementDto {
  @ApiProperty()
  @IsString()
  @MaxLength(36)
  assessmentId: string;

  @ApiProperty({ minimum: 0, maximum: 100 })
  @IsNumber()
  @Min(0)
  @Max(100)
  minPercent: number;
}

export class RuleRequirementDto {
  @ApiProperty({ description: 'A key of the eligibility-rule registry' })
  @IsString()
  @MaxLength(80)
  key: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}

export class RequirementsDto {
  @ApiPropertyOptional({ type: [String], description: 'Course codes to complete' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  courses?: string[];

  @ApiPropertyOptional({ type: [AssessmentRequirementDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AssessmentRequirementDto)
  assessments?: AssessmentRequirementDto[];

  @ApiPropertyOptional({ description: 'A practical assessment approved by an assessor' })
  @IsOptional()
  @IsBoolean()
  approval?: boolean;

  @ApiPropertyOptional({ type: [RuleRequirementDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => RuleRequirementDto)
  rules?: RuleRequirementDto[];
}

export class SchemeAttestDto {
  @ApiProperty({ example: 'M.1' })
  @IsString()
  @MaxLength(40)
  competencyCode: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level: number;
}

export class RenewalDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  courseCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(36)
  assessmentId?: string;

  @ApiProperty({
    description:
      'The renewal window: from this many days before the expiry to as many after it; only the renewal activity done inside it, after the certificate was issued, renews',
    default: 90,
  })
  @IsInt()
  @Min(1)
  @Max(730)
  windowDays: number;
}

export class UpdateSchemeDto {
  @ApiPropertyOptional()
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
  description?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  targetPositions?: string[];

  @ApiPropertyOptional({ type: RequirementsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RequirementsDto)
  requirements?: RequirementsDto;

  @ApiPropertyOptional({ type: [SchemeAttestDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => SchemeAttestDto)
  attests?: SchemeAttestDto[];

  @ApiPropertyOptional({ nullable: true, description: 'Months; null: never expires' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  validityMonths?: number | null;

  @ApiPropertyOptional({ type: RenewalDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RenewalDto)
  renewal?: RenewalDto | null;

  @ApiPropertyOptional({
    default: false,
    description: 'Only passes sat in a supervised exam session count toward its assessments',
  })
  @IsOptional()
  @IsBoolean()
  requiresSupervision?: boolean;

  @ApiPropertyOptional({
    description:
      'Estimated cost per participant in whole rupiah, 0–100,000,000 (development plans, ADR 0040); null: unknown.',
    nullable: true,
    minimum: 0,
    maximum: 100_000_000,
  })
  @IsOptional()
  @IsInt({ message: SCHEME_COST_MESSAGE })
  @Min(0, { message: SCHEME_COST_MESSAGE })
  @Max(100_000_000, { message: SCHEME_COST_MESSAGE })
  costIdr?: number | null;

  @ApiPropertyOptional({ enum: DELIVERY_MODES, nullable: true })
  @IsOptional()
  @IsIn(DELIVERY_MODES as unknown as string[], {
    message: `deliveryMode harus salah satu dari ${DELIVERY_MODES.join(', ')} atau null`,
  })
  deliveryMode?: DeliveryMode | null;

  @ApiPropertyOptional({
    description:
      'Days after a certificate is issued when holder and supervisor rate the competence at work (1–730); null: 90.',
    nullable: true,
    minimum: 1,
    maximum: 730,
    default: 90,
  })
  @IsOptional()
  @IsInt({ message: EVALUATION_DAYS_MESSAGE })
  @Min(1, { message: EVALUATION_DAYS_MESSAGE })
  @Max(730, { message: EVALUATION_DAYS_MESSAGE })
  evaluationDays?: number | null;

  @ApiPropertyOptional({ default: 'certificates/default' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9/_-]{1,80}$/)
  template?: string;

  @ApiPropertyOptional({
    example: '{seq}/SERT-{SECTOR}/{SCHEME}/BKPSDM-PSP/{year}',
    description:
      "Placeholders: {seq} (001, 002…), {SECTOR} (the sector's code: KES, DIK, ADM), {SCHEME} (the scheme's code), {year}.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/\{seq\}/, { message: 'numberFormat harus memuat {seq}' })
  numberFormat?: string;

  @ApiPropertyOptional({ enum: ['draft', 'active', 'retired'] })
  @IsOptional()
  @IsIn(['draft', 'active', 'retired'])
  status?: 'draft' | 'active' | 'retired';
}

export class CreateSchemeDto extends UpdateSchemeDto {
  @ApiProperty({ example: 'health' })
  @IsString()
  @MaxLength(40)
  sector: string;

  @ApiProperty({ example: 'PPI-DASAR' })
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9.-]{1,39}$/, {
    message: 'code: huruf besar, angka, titik atau tanda hubung (2–40)',
  })
  code: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  @Required()
  override title: string;
}

export class RevokeDto {
  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  reason: string;
}

export class DecideApprovalDto {
  @ApiProperty()
  @IsBoolean()
  approved: boolean;

  @ApiPropertyOptional({
    description:
      'What the assessor observed: required (at least 5 characters) when approving; kept in the audit log',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;

  @ApiPropertyOptional({
    description: 'Required when rejecting; the ASN sees it; kept in the audit log',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ActivateSchemeDto {
  @ApiProperty({
    minimum: 0,
    description:
      'How many the activation certifies at once, as GET …/activation-preview counted it; 409 with the new number when it changed',
  })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  @Required()
  confirm: number;
}

/** `GET /api/v1/verify?number=` (or `?code=`): one of the two, as typed from the paper. */
export class VerifyQueryDto {
  @ApiPropertyOptional({
    description: 'The printed certificate number',
    example: '001/SERT-HEALTH/PPI/BKPSDM-PSP/2026',
  })
  // Required without a code; checked whenever given (a repeated key arrives as an array).
  @ValidateIf((q: VerifyQueryDto) => q.code === undefined || q.number !== undefined)
  @Transform(trim)
  @MinLength(1)
  @MaxLength(120)
  @IsString()
  number?: string;

  @ApiPropertyOptional({ description: 'The verification code (16 characters, in the QR)' })
  @IsOptional()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(120)
  @IsString()
  code?: string;
}
