import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_IPV6_SUBNET_PREFIX, normalizeIp } from '@nestjs/throttler';
import type { CookieOptions, Request } from 'express';

export const SESSION_COOKIE = 'mtink_session';
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const TOKEN_PREFIX = 'mtk_';

/** What a request or a socket handshake presents; at most one is used (the bearer token wins). */
export interface Credentials {
  bearer: string | null;
  session: string | null;
}

export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newApiTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * Sessions and tokens are 256-bit random secrets, so a fast hash is enough (no brute force to slow
 * down); storing only the hash means a leaked database dump signs nobody in.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function credentialsFrom(headers: IncomingHttpHeaders, handshakeToken?: unknown): Credentials {
  const authorization = headers.authorization;
  const bearer =
    authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ??
    (typeof handshakeToken === 'string' && handshakeToken ? handshakeToken : null);
  return { bearer, session: readCookie(headers.cookie, SESSION_COOKIE) };
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim()) || null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Attributes of every cookie the sign-in sets; `path` narrows where the browser sends it back. The
 * cookie gets `Secure` when the browser reached us over HTTPS: directly, or through one of the
 * TRUST_PROXY proxies saying so in X-Forwarded-Proto (Express's `req.secure`; the header from anyone
 * else is not believed). On plain-HTTP localhost the cookie must stay usable, hence no unconditional Secure.
 */
export function cookieOptions(req: Pick<Request, 'secure'>, path = '/'): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path };
}

/**
 * Who is calling, as every per-address limit counts them: Express's `req.ip`, which believes
 * X-Forwarded-For only from the TRUST_PROXY proxies, with IPv6 addresses widened to their /64 (a
 * single host usually holds a whole /64), exactly as the @nestjs/throttler guard counts them.
 */
export function clientAddress(req: Pick<Request, 'ip' | 'socket'>): string {
  return normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown', DEFAULT_IPV6_SUBNET_PREFIX);
}

/**
 * CSRF defence for cookie-authenticated requests (bearer tokens are never sent by a browser on its
 * own). Browsers send `Origin` on every cross-origin state-changing request and `Sec-Fetch-Site` on
 * every request; a request that shows neither does not come from a browser page. SameSite=Lax
 * already keeps the cookie off cross-site POSTs; this check also covers sibling subdomains
 * (same-site but not same-origin) and old browsers.
 */
export function isSameOriginRequest(headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin !== undefined) {
    if (origin === 'null') return false;
    try {
      const parsed = new URL(origin);
      return parsed.host === headers.host || allowedOrigins.includes(parsed.origin);
    } catch {
      return false;
    }
  }
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function isSafeMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}
