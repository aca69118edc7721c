import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ description: 'NIP (18 digits) or e-mail', example: '198501012010011001' })
  @IsString()
  @MinLength(1)
  @MaxLength(190)
  username: string;

  @ApiProperty({ example: 'rahasia-demo-123' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({
    description: 'At least 10 characters, not the NIP or e-mail, not a common password',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  newPassword: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ description: 'NIP (18 digits) or e-mail', example: '198501012010011001' })
  @IsString()
  @MinLength(1)
  @MaxLength(190)
  username: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token of the link mailed by POST /api/v1/auth/password-reset' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token: string;

  @ApiProperty({
    description: 'At least 10 characters, not the NIP or e-mail, not a common password',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  newPassword: string;
}
