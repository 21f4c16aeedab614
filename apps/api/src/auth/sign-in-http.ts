import { ForbiddenException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PasswordLoginResponse } from '@mt/contracts';
import type { AppConfig } from '../config/app-config';
import type { Client, SignInResult, StartedSession } from './auth.service';
import { clientAddress, cookieOptions, isSameOriginRequest, SESSION_COOKIE } from './credentials';
import { LoginLockedException } from './login-limits';

/* The HTTP edge of signing in, shared by the password, two-factor and OpenID Connect routes. */

/** The sign-in waiting for its second step; sent only to the `/api/auth/login…` endpoints. */
export const PENDING_LOGIN_COOKIE = 'mtink_pending';
export const PENDING_LOGIN_PATH = '/api/auth/login';

export function setSessionCookie(req: Request, res: Response, session: StartedSession): void {
  res.cookie(SESSION_COOKIE, session.secret, { ...cookieOptions(req), expires: session.expiresAt });
}

/** Sets the cookie of whichever the sign-in led to, and says so in the body. */
export function sendSignIn(req: Request, res: Response, result: SignInResult): PasswordLoginResponse {
  if ('session' in result) {
    setSessionCookie(req, res, result.session);
    return { user: result.session.user, expiresAt: result.session.expiresAt.toISOString() };
  }
  const { step, secret, expiresAt } = result.secondStep;
  res.cookie(PENDING_LOGIN_COOKIE, secret, { ...cookieOptions(req, PENDING_LOGIN_PATH), expires: expiresAt });
  return { twoFactorRequired: true, step, expiresAt: expiresAt.toISOString() };
}

export function clearPendingLoginCookie(req: Request, res: Response): void {
  res.clearCookie(PENDING_LOGIN_COOKIE, cookieOptions(req, PENDING_LOGIN_PATH));
}

/** Login CSRF: a foreign page must not sign the browser into an account of the attacker's. */
export function refuseCrossOrigin(req: Request, config: AppConfig): void {
  if (!isSameOriginRequest(req.headers, config.corsOrigins)) throw new ForbiddenException('cross-origin login refused');
}

export function clientOf(req: Request): Client {
  return { ip: clientAddress(req), userAgent: req.headers['user-agent'] ?? null };
}

/** Rethrows, with `Retry-After` on the response when a failure limit is what stopped it. */
export function withRetryAfter(res: Response, error: unknown): never {
  if (error instanceof LoginLockedException) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  throw error;
}
