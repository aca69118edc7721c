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

export class UserSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) nip: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ enum: ['admin', 'coordinator', 'asn'] }) role: string;
  @ApiProperty({ type: [String] }) sectors: string[];
  @ApiProperty({ nullable: true, type: Object }) position: { code: string; name: string } | null;
  @ApiProperty({ nullable: true, type: Object }) orgUnit: { code: string; name: string } | null;
}

export class TokenPairDto {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ type: UserSummaryDto }) user: UserSummaryDto;
  @ApiProperty({ description: 'True while the account holds a temporary password' })
  passwordChangeRequired: boolean;
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
