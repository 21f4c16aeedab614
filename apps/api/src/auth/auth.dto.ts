import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '@mt/contracts';
import type {
  ChangeRoleRequest,
  CreateApiTokenRequest,
  DisableTwoFactorRequest,
  InviteUserRequest,
  LoginRequest,
  Role,
  SecondFactorRequest,
  TwoFactorCodeRequest,
  TwoFactorPolicy,
} from '@mt/contracts';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsId } from '../common/validation';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin@mtink.local' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  // bcrypt reads 72 bytes; a longer limit only invites hashing megabytes.
  @MaxLength(200)
  password!: string;
}

export class InviteUserDto implements InviteUserRequest {
  @ApiProperty({ example: 'ana@mtink.example' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ example: 'Ana' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ minLength: 8, maxLength: 72, description: 'First password; the admin hands it over' })
  @IsString()
  @Length(8, 72)
  password!: string;
}

export class ChangeRoleDto implements ChangeRoleRequest {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @ApiProperty({ example: 'nightly export script' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ description: 'User the token acts as; the calling admin when omitted' })
  @IsOptional()
  @IsId()
  userId?: string;
}

const TOTP_CODE = /^\d{6}$/;
const TOTP_CODE_MESSAGE = 'code must be the 6 digits the authenticator app shows';

export class SecondFactorDto implements SecondFactorRequest {
  @ApiPropertyOptional({ example: '123456', description: 'The code of the authenticator app' })
  @IsOptional()
  @Matches(TOTP_CODE, { message: TOTP_CODE_MESSAGE })
  code?: string;

  @ApiPropertyOptional({ example: '3f9a2-c41b7-0d5e8-a6c13', description: 'One of the recovery codes; works once' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-fA-F][0-9a-fA-F\s-]{18,38}[0-9a-fA-F]$/, {
    message: 'recoveryCode must look like 3f9a2-c41b7-0d5e8-a6c13',
  })
  recoveryCode?: string;
}

export class TwoFactorCodeDto implements TwoFactorCodeRequest {
  @ApiProperty({ example: '123456' })
  @Matches(TOTP_CODE, { message: TOTP_CODE_MESSAGE })
  code!: string;
}

export class DisableTwoFactorDto implements DisableTwoFactorRequest {
  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @Matches(TOTP_CODE, { message: TOTP_CODE_MESSAGE })
  code?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  password?: string;
}

export class TwoFactorPolicyDto implements TwoFactorPolicy {
  @ApiProperty({
    description: 'Everyone must sign in with a second factor; those without one set it up at their next sign-in',
  })
  @IsBoolean()
  requireTwoFactor!: boolean;
}
