import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  EnrolledSignIn,
  LoginResponse,
  RecoveryCodes,
  SecondStep,
  SecondStepRequired,
  SignInOptions,
  TwoFactorPolicy,
  TwoFactorSetup,
  TwoFactorStatus,
} from '@mt/contracts';
import { DATE_TIME, literals } from '../common/api-schema';
import { CurrentUserSchema, LoginResponseSchema } from './auth.responses';

/** The OpenAPI shapes of `libs/contracts/src/sign-in.ts` (see common/api-schema.ts). */

/**
 * `POST /api/auth/login` answers either a session (`user`, `expiresAt`) or the second step due; the
 * explorer shows both sets of fields, each marked by when it is present.
 */
export class PasswordLoginResponseSchema implements Partial<LoginResponse>, Partial<SecondStepRequired> {
  @ApiPropertyOptional({ type: CurrentUserSchema, description: 'signed in: the user (the session is in the cookie)' })
  user?: LoginResponse['user'];

  @ApiPropertyOptional({ ...DATE_TIME, description: 'when the session, or the pending second step, ends' })
  expiresAt?: string;

  @ApiPropertyOptional({ enum: [true], description: 'present when a second step is due: no session yet' })
  twoFactorRequired?: true;

  @ApiPropertyOptional({ enum: literals<SecondStep>({ code: true, enrol: true }) })
  step?: SecondStep;
}

export class TwoFactorSetupSchema implements TwoFactorSetup {
  @ApiProperty({ example: 'otpauth://totp/MT%20Ink:ana%40mtink.example?secret=…&issuer=MT%20Ink' })
  otpauthUrl!: string;

  @ApiProperty({ description: 'the same as a QR code, data:image/png;base64,…' })
  qrCode!: string;

  @ApiProperty({ description: 'the Base32 secret, for typing in by hand; shown this once' })
  secret!: string;
}

export class RecoveryCodesSchema implements RecoveryCodes {
  @ApiProperty({ type: [String], description: 'ten single-use codes, shown this once' })
  recoveryCodes!: string[];
}

export class EnrolledSignInSchema extends RecoveryCodesSchema implements EnrolledSignIn {
  @ApiProperty({ type: LoginResponseSchema })
  signedIn!: LoginResponse;
}

export class TwoFactorStatusSchema implements TwoFactorStatus {
  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ description: 'set up but not yet confirmed with a code' })
  pending!: boolean;

  @ApiProperty({ type: 'integer' })
  recoveryCodesLeft!: number;

  @ApiProperty({ description: 'an admin requires two-factor for everyone' })
  required!: boolean;
}

export class TwoFactorPolicySchema implements TwoFactorPolicy {
  @ApiProperty()
  requireTwoFactor!: boolean;
}

export class OidcOptionSchema {
  @ApiProperty({ example: 'Example SSO' })
  name!: string;

  @ApiProperty({ example: '/api/auth/oidc/login' })
  loginUrl!: string;
}

export class SignInOptionsSchema implements SignInOptions {
  @ApiProperty({ type: OidcOptionSchema, nullable: true, description: 'null when single sign-on is not configured' })
  oidc!: OidcOptionSchema | null;
}
