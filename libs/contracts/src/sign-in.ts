import type { IsoDateTime } from './common';
import type { LoginResponse } from './auth';

/**
 * What the second step of a sign-in asks for: `code` (a TOTP code or a recovery code) or `enrol`
 * (an admin requires two-factor and this account has none yet: set it up before any session).
 */
export type SecondStep = 'code' | 'enrol';

/**
 * `POST /api/auth/login` when the password was right but a second step is due: no session yet, only
 * a short-lived httpOnly cookie for the `/api/auth/login/2fa…` endpoints.
 */
export interface SecondStepRequired {
  twoFactorRequired: true;
  step: SecondStep;
  expiresAt: IsoDateTime;
}

/** `POST /api/auth/login`: signed in, or one more step. */
export type PasswordLoginResponse = LoginResponse | SecondStepRequired;

/** `POST /api/auth/login/2fa`: one of the two. A recovery code works once. */
export interface SecondFactorRequest {
  code?: string;
  recoveryCode?: string;
}

/** `POST /api/auth/2fa/setup` and `POST /api/auth/login/2fa/setup`: shown this once; pending until confirmed. */
export interface TwoFactorSetup {
  /** `otpauth://totp/…` for authenticator apps that take a link. */
  otpauthUrl: string;
  /** The same as a QR code, `data:image/png;base64,…`. */
  qrCode: string;
  /** The Base32 secret, for typing in by hand. */
  secret: string;
}

/** `POST /api/auth/2fa/confirm` and `POST /api/auth/login/2fa/confirm` body. */
export interface TwoFactorCodeRequest {
  code: string;
}

/** Ten single-use recovery codes, shown this once; the server keeps only their SHA-256. */
export interface RecoveryCodes {
  recoveryCodes: string[];
}

/** `POST /api/auth/login/2fa/confirm`: two-factor is on and the session has started. */
export interface EnrolledSignIn extends RecoveryCodes {
  signedIn: LoginResponse;
}

/** `POST /api/auth/2fa/disable` body: the current code or the account's password. */
export interface DisableTwoFactorRequest {
  code?: string;
  password?: string;
}

/** `GET /api/auth/2fa`: the signed-in user's two-factor state. */
export interface TwoFactorStatus {
  enabled: boolean;
  /** Set up but not yet confirmed with a code. */
  pending: boolean;
  recoveryCodesLeft: number;
  /** An admin requires two-factor for everyone (then it cannot be turned off). */
  required: boolean;
}

/** `GET`/`PUT /api/auth/2fa/policy` (admin). */
export interface TwoFactorPolicy {
  requireTwoFactor: boolean;
}

/** `GET /api/auth/config` (public): how the login page may sign in. */
export interface SignInOptions {
  /** Present when OpenID Connect is configured: the button says "Sign in with {name}". */
  oidc: { name: string; loginUrl: string } | null;
}

/** Why `/api/auth/oidc/callback` sent the browser back to `/login?ssoError=…`. */
export type SsoError = 'state' | 'provider' | 'token' | 'no-email' | 'unverified-email' | 'no-account';
