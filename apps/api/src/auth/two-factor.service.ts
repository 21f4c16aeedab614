import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { toDataURL } from 'qrcode';
import type {
  CurrentUser,
  RecoveryCodes,
  SecondFactorRequest,
  SecondStep,
  TwoFactorSetup,
  TwoFactorStatus,
} from '@mt/contracts';
import { AuthRepository } from './auth.repository';
import { hashSecret, newSessionSecret } from './credentials';
import { LoginLimits } from './login-limits';
import { newTotpSecret, totpTimeStep, totpUri } from './totp';
import { PendingLoginRow, TwoFactorRepository } from './two-factor.repository';

export const RECOVERY_CODE_COUNT = 10;
/** The password step is done; the second one has this long before the password is asked again. */
export const PENDING_LOGIN_TTL_MS = 5 * 60_000;
const TOTP_ISSUER = 'MT Ink Dashboard';

export interface PendingSecondStep {
  step: SecondStep;
  /** The pending-login cookie's value; only its SHA-256 is stored. */
  secret: string;
  expiresAt: Date;
}

/**
 * Two-factor sign-in with TOTP (RFC 6238, otplib): enrolment, the codes, one-time recovery codes, the
 * admin's "required for everyone", and the sign-ins waiting for their second step. Every check of a
 * code or recovery code counts against the account's failure limit (LoginLimits), like the password.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly repository: TwoFactorRepository,
    private readonly users: AuthRepository,
    private readonly limits: LoginLimits,
  ) {}

  async status(userId: string): Promise<TwoFactorStatus> {
    const [row, required, recoveryCodesLeft] = await Promise.all([
      this.repository.find(userId),
      this.repository.requireTwoFactor(),
      this.repository.countUnusedRecoveryCodes(userId),
    ]);
    return { enabled: !!row?.enabledAt, pending: !!row && !row.enabledAt, recoveryCodesLeft, required };
  }

  requireTwoFactor(): Promise<boolean> {
    return this.repository.requireTwoFactor();
  }

  setRequireTwoFactor(required: boolean): Promise<void> {
    return this.repository.setRequireTwoFactor(required);
  }

  /**
   * A new secret, pending until `confirm`: the only time it leaves the server. Setting up again before
   * confirming replaces it (a lost QR code is no dead end).
   */
  async setup(user: CurrentUser): Promise<TwoFactorSetup> {
    const secret = newTotpSecret();
    if (!(await this.repository.savePending(user.id, secret)))
      throw new ConflictException('two-factor sign-in is on already; turn it off first to change the authenticator');
    const otpauthUrl = totpUri(TOTP_ISSUER, user.email, secret);
    return { otpauthUrl, qrCode: await toDataURL(otpauthUrl), secret };
  }

  /** The first code from the authenticator turns two-factor on; the ten recovery codes are returned this once. */
  async confirm(userId: string, code: string, now: Date): Promise<RecoveryCodes> {
    const row = await this.repository.find(userId);
    if (row?.enabledAt) throw new ConflictException('two-factor sign-in is on already');
    if (!row) throw new BadRequestException(['set two-factor up first (POST /api/auth/2fa/setup)']);
    const timeStep = await this.checked(userId, () => totpTimeStep(row.secret, code, now));
    if (timeStep === null) throw new BadRequestException(['code is wrong or has expired']);
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    if (!(await this.repository.enable(userId, timeStep, recoveryCodes.map(recoveryCodeHash))))
      throw new ConflictException('two-factor sign-in was confirmed meanwhile');
    return { recoveryCodes };
  }

  /** With the current code or the password; not while an admin requires two-factor for everyone. */
  async disable(userId: string, proof: { code?: string; password?: string }, now: Date): Promise<void> {
    if (await this.repository.requireTwoFactor())
      throw new ConflictException('an admin requires two-factor sign-in for everyone');
    const row = await this.repository.find(userId);
    if (!row?.enabledAt) throw new NotFoundException('two-factor sign-in is not on');
    const user = await this.users.findUser(userId);
    const proven = await this.checked(userId, async () => {
      if (proof.code !== undefined) return this.takeCode(userId, row.secret, proof.code, now);
      return proof.password !== undefined && !!user && bcrypt.compare(proof.password, user.passwordHash);
    });
    if (!proven) throw new BadRequestException([proof.code !== undefined ? 'code is wrong' : 'password is wrong']);
    await this.repository.remove(userId);
  }

  /** What a user who has just given the right password (or come back from OIDC) must do next, if anything. */
  async stepFor(userId: string): Promise<SecondStep | null> {
    const row = await this.repository.find(userId);
    if (row?.enabledAt) return 'code';
    return (await this.repository.requireTwoFactor()) ? 'enrol' : null;
  }

  async beginSecondStep(userId: string, step: SecondStep): Promise<PendingSecondStep> {
    const secret = newSessionSecret();
    const expiresAt = new Date(Date.now() + PENDING_LOGIN_TTL_MS);
    await this.repository.insertPendingLogin(hashSecret(secret), userId, step, expiresAt);
    return { step, secret, expiresAt };
  }

  /** The pending sign-in behind the cookie, at the expected step; 401 when it is gone or expired. */
  async pendingLogin(secret: string | null, step: SecondStep): Promise<PendingLoginRow> {
    const pending = secret ? await this.repository.findPendingLogin(hashSecret(secret)) : null;
    if (!pending) throw new UnauthorizedException('the sign-in has expired; enter your password again');
    if (pending.step !== step)
      throw new BadRequestException([
        step === 'code' ? 'this account must set up two-factor first' : 'two-factor is on already; send a code',
      ]);
    return pending;
  }

  /** The second step with a TOTP code or a recovery code (used up here); the user id whose session may start. */
  async completeWithCode(secret: string | null, proof: SecondFactorRequest, now: Date): Promise<string> {
    const { userId } = await this.pendingLogin(secret, 'code');
    if ((proof.code === undefined) === (proof.recoveryCode === undefined))
      throw new BadRequestException(['send either code or recoveryCode']);
    const row = await this.repository.find(userId);
    const proven = await this.checked(userId, async () => {
      if (!row?.enabledAt) return false;
      if (proof.code !== undefined) return this.takeCode(userId, row.secret, proof.code, now);
      return this.repository.takeRecoveryCode(userId, recoveryCodeHash(proof.recoveryCode!));
    });
    if (!proven) throw new UnauthorizedException(proof.code !== undefined ? 'wrong code' : 'wrong recovery code');
    await this.finishPending(secret!);
    return userId;
  }

  /** Enrolment forced by the policy: the same setup, for the user of the pending sign-in. */
  async setupForPending(secret: string | null): Promise<TwoFactorSetup> {
    const { userId } = await this.pendingLogin(secret, 'enrol');
    const user = await this.users.findUser(userId);
    if (!user) throw new UnauthorizedException('the sign-in has expired; enter your password again');
    return this.setup(user);
  }

  async confirmForPending(secret: string | null, code: string, now: Date): Promise<{ userId: string } & RecoveryCodes> {
    const { userId } = await this.pendingLogin(secret, 'enrol');
    const codes = await this.confirm(userId, code, now);
    await this.finishPending(secret!);
    return { userId, ...codes };
  }

  pruneExpired(): Promise<void> {
    return this.repository.deleteExpiredPendingLogins();
  }

  /** One pending sign-in yields one session, even when two requests finish it at once. */
  private async finishPending(secret: string): Promise<void> {
    if (!(await this.repository.takePendingLogin(hashSecret(secret))))
      throw new UnauthorizedException('the sign-in has expired; enter your password again');
  }

  /** Runs a check under the account's failure limit: 429 while it is used up, a failure counted when the check fails. */
  private async checked<T>(userId: string, check: () => Promise<T>): Promise<T> {
    const key = LoginLimits.secondFactorKey(userId);
    await this.limits.assertOpen(key);
    const result = await check();
    if (result === null || result === false) await this.limits.failed(key);
    else await this.limits.succeeded(key);
    return result;
  }

  private async takeCode(userId: string, secret: string, code: string, now: Date): Promise<boolean> {
    const timeStep = await totpTimeStep(secret, code, now);
    return timeStep !== null && this.repository.takeTimeStep(userId, timeStep);
  }
}

/** 80 random bits as four groups of five hex digits: easy to read off paper, too many to guess. */
function newRecoveryCode(): string {
  return randomBytes(10).toString('hex').match(/.{5}/g)!.join('-');
}

/** Case, spaces and dashes do not matter when a recovery code is typed in. */
export function recoveryCodeHash(code: string): string {
  return hashSecret(code.toLowerCase().replace(/[^0-9a-f]/g, ''));
}
