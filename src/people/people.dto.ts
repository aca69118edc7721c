import { PageQuery } from '../platform/http/page-query.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from '../identity/user.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateOrgUnitDto {
  @ApiProperty({ example: 'DINKES' })
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9._-]{1,39}$/, {
    message: 'code harus 2–40 huruf besar, angka, titik, garis bawah atau tanda hubung',
  })
  code: string;

  @ApiProperty({ example: 'Dinas Kesehatan' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(150)
  name: string;

  @ApiPropertyOptional({
    example: 'DINKES',
    description: 'Code of the unit above; omit at the top',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  parentCode?: string;
}

export class UpdateOrgUnitDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(150)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Code of the unit above; null puts the unit at the top',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  parentCode?: string | null;
}

export class CreateUserDto {
  @ApiPropertyOptional({ example: '199003152015032001' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  nip?: string;

  @ApiPropertyOptional({ example: 'nurhayati@dinkes.padangsidempuankota.go.id' })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email harus alamat e-mail yang sah' })
  @MaxLength(190)
  email?: string;

  @ApiProperty({ example: 'Nurhayati Harahap' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(150)
  name: string;

  @ApiPropertyOptional({
    description: 'Omit to generate a temporary password that must be changed at first login',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  password?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[], { message: `role harus salah satu dari ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ type: [String], example: ['health'] })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  sectors?: string[];

  @ApiPropertyOptional({ description: 'Position code' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  positionCode?: string;

  @ApiPropertyOptional({ example: 'DINKES' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  orgUnitCode?: string;

  @ApiPropertyOptional({
    example: '197506182000032004',
    description: 'NIP of the direct supervisor (atasan langsung)',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(18)
  supervisorNip?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email harus alamat e-mail yang sah' })
  @MaxLength(190)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(150)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES as unknown as string[], { message: `role harus salah satu dari ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  sectors?: string[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  orgUnitCode?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Position code; null removes it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  positionCode?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'NIP of the direct supervisor (atasan langsung); null removes it',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(18)
  supervisorNip?: string | null;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of a name, NIP or e-mail' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES as unknown as string[])
  role?: Role;

  @ApiPropertyOptional({ description: 'Org unit code' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  orgUnit?: string;

  @ApiPropertyOptional({ description: 'Sector key a coordinator serves' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  sector?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}

export class ResetPasswordDto {
  @ApiPropertyOptional({ description: 'Omit to generate a temporary password' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  password?: string;
}
