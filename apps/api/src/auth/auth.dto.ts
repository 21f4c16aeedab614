import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '@mt/contracts';
import type { ChangeRoleRequest, CreateApiTokenRequest, InviteUserRequest, LoginRequest, Role } from '@mt/contracts';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
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
