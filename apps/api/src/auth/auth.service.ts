import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import type { ApiTokenSummary, CreatedApiToken, CurrentUser } from '@mt/contracts';
import { AuthRepository, TokenRow, UserRow } from './auth.repository';
import { Credentials, hashSecret, newApiTokenSecret, newSessionSecret, SESSION_TTL_MS } from './credentials';
import { PgThrottlerStorage } from './pg-throttler-storage';
import type { Principal } from './principal';
import { Revocations } from './revocations';

/** SPEC §7 / issue 6: 5 failed logins per minute for one account from one address, then 429. */
export const LOGIN_FAILURE_LIMIT = 5;
const LOGIN_FAILURE_WINDOW_MS = 60_000;
const LOGIN_THROTTLER = 'login-failures';
/** bcrypt work factor: about 0.4 s per hash in pure JS on a 2-core box (OWASP asks for 10 or more). */
export const PASSWORD_COST = 11;
// Compared against when the e-mail is unknown, so that a miss costs as long as a wrong password and
// the response time does not tell which e-mails have accounts. The hash of a random, discarded string.
const NO_SUCH_USER_HASH = '$2b$11$Z1g1l4uyRFbidBdU/naBn.xTwJpi7BMW5mYANy.tr8qjvZlPMVfce';

export interface StartedSession {
  user: CurrentUser;
  secret: string;
  expiresAt: Date;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly throttle: PgThrottlerStorage,
    private readonly revocations: Revocations,
  ) {}

  /** The principal behind a bearer token or session cookie, or null; reads the database every time so revocation is immediate. */
  async authenticate(credentials: Credentials): Promise<Principal | null> {
    if (credentials.bearer) {
      const user = await this.repository.userByToken(hashSecret(credentials.bearer));
      return user ? { ...toCurrentUser(user), via: 'token' } : null;
    }
    if (credentials.session) {
      const user = await this.repository.userBySession(hashSecret(credentials.session));
      return user ? { ...toCurrentUser(user), via: 'session' } : null;
    }
    return null;
  }

  async login(
    email: string,
    password: string,
    client: { ip: string; userAgent: string | null },
  ): Promise<StartedSession> {
    const key = `${client.ip}|${email.trim().toLowerCase()}`;
    const wait = await this.throttle.retryAfter(key, LOGIN_FAILURE_LIMIT, LOGIN_THROTTLER);
    if (wait > 0) throw new LoginLockedException(wait);
    const user = await this.repository.findUserByEmail(email.trim());
    const matches = await bcrypt.compare(password, user?.passwordHash ?? NO_SUCH_USER_HASH);
    if (!user || !matches) {
      await this.throttle.increment(
        key,
        LOGIN_FAILURE_WINDOW_MS,
        LOGIN_FAILURE_LIMIT,
        LOGIN_FAILURE_WINDOW_MS,
        LOGIN_THROTTLER,
      );
      throw new UnauthorizedException('wrong e-mail or password');
    }
    await this.throttle.reset(key, LOGIN_THROTTLER);
    const secret = newSessionSecret();
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.repository.insertSession(hashSecret(secret), user.id, expiresAt, client.userAgent);
    return { user: toCurrentUser(user), secret, expiresAt };
  }

  async logout(sessionSecret: string | null): Promise<void> {
    if (!sessionSecret) return;
    const credentialHash = hashSecret(sessionSecret);
    await this.repository.deleteSession(credentialHash);
    this.revocations.revoke({ credentialHash });
  }

  async listTokens(): Promise<ApiTokenSummary[]> {
    return (await this.repository.listTokens()).map(toTokenSummary);
  }

  /** The secret leaves the server here, once; only its hash is kept. */
  async createToken(name: string, userId: string, createdBy: string | null): Promise<CreatedApiToken | null> {
    if (!(await this.repository.findUser(userId))) return null;
    const secret = newApiTokenSecret();
    const row = await this.repository.insertToken({ name, tokenHash: hashSecret(secret), userId, createdBy });
    return { token: toTokenSummary(row), secret };
  }

  /** 'revoked', 'already' (revoked before) or 'missing'. */
  async revokeToken(id: string): Promise<'revoked' | 'already' | 'missing'> {
    const credentialHash = await this.repository.revokeToken(id);
    if (credentialHash) {
      this.revocations.revoke({ credentialHash });
      return 'revoked';
    }
    return (await this.repository.tokenExists(id)) ? 'already' : 'missing';
  }

  async pruneExpired(): Promise<void> {
    await this.repository.deleteExpiredSessions();
    await this.throttle.deleteExpired();
  }
}

export function toCurrentUser(user: UserRow): CurrentUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

function toTokenSummary(row: TokenRow): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    userId: row.userId,
    userEmail: row.userEmail,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** 429 for an account and address with too many recent failures; the controller sends `Retry-After`. */
export class LoginLockedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `too many failed logins; try again in ${retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
