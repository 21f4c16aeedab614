import { Injectable, UnauthorizedException } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import type { ApiTokenSummary, CreatedApiToken, CurrentUser } from '@mt/contracts';
import { AuthRepository, TokenRow, UserRow } from './auth.repository';
import { Credentials, hashSecret, newApiTokenSecret, newSessionSecret, SESSION_TTL_MS } from './credentials';
import { LoginLimits } from './login-limits';
import { PgThrottlerStorage } from './pg-throttler-storage';
import type { Principal } from './principal';
import { PrincipalCache } from './principal-cache';
import { Revocations } from './revocations';
import { PendingSecondStep, TwoFactorService } from './two-factor.service';

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

/** The first factor (password or OpenID Connect) was right: a session, or the second step first. */
export type SignInResult = { session: StartedSession } | { secondStep: PendingSecondStep };

export interface Client {
  /** `clientAddress(req)`: the address the failure limits count. */
  ip: string;
  userAgent: string | null;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly throttle: PgThrottlerStorage,
    private readonly revocations: Revocations,
    private readonly limits: LoginLimits,
    private readonly twoFactor: TwoFactorService,
    private readonly principals: PrincipalCache,
  ) {}

  /**
   * The principal behind a bearer token or session cookie, or null. Kept a few seconds by
   * PrincipalCache; a revocation or role change takes effect at once on every instance all the same.
   */
  async authenticate(credentials: Credentials): Promise<Principal | null> {
    if (credentials.bearer) {
      const tokenHash = hashSecret(credentials.bearer);
      return this.principals.get(`token:${tokenHash}`, async () => {
        const user = await this.repository.userByToken(tokenHash);
        return user ? { ...toCurrentUser(user), via: 'token' } : null;
      });
    }
    if (credentials.session) {
      const sessionHash = hashSecret(credentials.session);
      return this.principals.get(`session:${sessionHash}`, async () => {
        const user = await this.repository.userBySession(sessionHash);
        return user ? { ...toCurrentUser(user), via: 'session' } : null;
      });
    }
    return null;
  }

  async login(email: string, password: string, client: Client): Promise<SignInResult> {
    const key = LoginLimits.passwordKey(client.ip, email);
    await this.limits.assertOpen(key);
    const user = await this.repository.findUserByEmail(email.trim());
    const matches = await bcrypt.compare(password, user?.passwordHash ?? NO_SUCH_USER_HASH);
    if (!user || !matches) {
      await this.limits.failed(key);
      throw new UnauthorizedException('wrong e-mail or password');
    }
    await this.limits.succeeded(key);
    return this.signIn(user, client);
  }

  /** After the first factor: straight to a session, unless two-factor is on for the user or required of everyone. */
  async signIn(user: UserRow, client: Client): Promise<SignInResult> {
    const step = await this.twoFactor.stepFor(user.id);
    if (step) return { secondStep: await this.twoFactor.beginSecondStep(user.id, step) };
    return { session: await this.startSession(user.id, client) };
  }

  /** A session for a user who has passed every step; 401 when the user was removed meanwhile. */
  async startSession(userId: string, client: Client): Promise<StartedSession> {
    const user = await this.repository.findUser(userId);
    if (!user) throw new UnauthorizedException('the account no longer exists');
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
    await this.twoFactor.pruneExpired();
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
