import { Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BaseClient, custom, errors, generators, Issuer, TokenSet } from 'openid-client';
import type { SsoError } from '@mt/contracts';
import { AppConfig, OidcSettings } from '../config/app-config';
import { AuthRepository, UserRow } from './auth.repository';
import { hashSecret } from './credentials';
import { OidcRepository } from './oidc.repository';
import { hash } from './users.service';

/** From the click on "Sign in with …" to the provider's redirect back: time enough to type a password there. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
const SCOPE = 'openid email profile';
/** openid-client's 3.5 s default is for the internet; a busy provider must not fail a sign-in. */
const PROVIDER_TIMEOUT_MS = 15_000;

/** A callback that signs nobody in: `reason` goes to the login page, `detail` to the log (never a code or token). */
export class SsoRefusal extends Error {
  constructor(
    readonly reason: SsoError,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * Sign-in through the organisation's OpenID Connect provider (openid-client): authorization code with
 * PKCE, state and nonce, kept server-side and used once. The person is matched by the e-mail the
 * provider has verified; an unknown one becomes a viewer only with OIDC_ALLOW_SIGNUP.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private client: Promise<BaseClient> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: OidcRepository,
    private readonly users: AuthRepository,
  ) {}

  /** What the login page shows; null without OIDC_ISSUER. */
  get name(): string | null {
    return this.config.signIn.oidc?.name ?? null;
  }

  /** The provider's authorization URL for a new sign-in, and the state the browser must bring back. */
  async begin(redirectUri: string): Promise<{ url: string; state: string }> {
    const client = await this.discoveredClient();
    const state = generators.state();
    const nonce = generators.nonce();
    const codeVerifier = generators.codeVerifier();
    await this.repository.insert(
      hashSecret(state),
      { nonce, codeVerifier, redirectUri },
      new Date(Date.now() + OIDC_LOGIN_TTL_MS),
    );
    const url = client.authorizationUrl({
      scope: SCOPE,
      redirect_uri: redirectUri,
      response_type: 'code',
      code_challenge: generators.codeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state };
  }

  /**
   * The account the callback signs in. `browserState` is the state this browser was given by `begin`
   * (its cookie): a callback carrying another state was not started here and is refused.
   */
  async finish(browserState: string | null, parameters: Record<string, unknown>): Promise<UserRow> {
    const state = typeof parameters.state === 'string' ? parameters.state : null;
    if (!state || state !== browserState)
      throw new SsoRefusal('state', 'the callback state is missing or not the one this browser was given');
    const login = await this.repository.take(hashSecret(state));
    if (!login) throw new SsoRefusal('state', 'the sign-in was used already or has expired');
    const client = await this.discoveredClient();
    const claims = await this.verifiedClaims(client, login, state, parameters);
    if (typeof claims.email !== 'string' || !claims.email)
      throw new SsoRefusal('no-email', 'the provider sent no e-mail address');
    if (claims.email_verified !== true && claims.email_verified !== 'true')
      throw new SsoRefusal('unverified-email', `the provider has not verified ${claims.email}`);
    return this.account(claims.email, typeof claims.name === 'string' ? claims.name : '');
  }

  async pruneExpired(): Promise<void> {
    await this.repository.deleteExpired();
  }

  /** The code exchanged (with the PKCE verifier) and the ID token checked: signature, issuer, audience, expiry, nonce. */
  private async verifiedClaims(
    client: BaseClient,
    login: { nonce: string; codeVerifier: string; redirectUri: string },
    state: string,
    parameters: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    let tokens: TokenSet;
    try {
      tokens = await client.callback(login.redirectUri, parameters, {
        state,
        nonce: login.nonce,
        code_verifier: login.codeVerifier,
        response_type: 'code',
      });
    } catch (error) {
      // Messages only: an RPError also holds the rejected ID token.
      if (error instanceof errors.RPError) throw new SsoRefusal('token', `ID token refused: ${error.message}`);
      throw new SsoRefusal('provider', `the provider refused: ${error instanceof Error ? error.message : 'error'}`);
    }
    const claims: Record<string, unknown> = { ...tokens.claims() };
    // Conforming providers put e-mail only in userinfo when an access token is issued.
    if (claims.email === undefined && tokens.access_token) {
      try {
        Object.assign(claims, await client.userinfo(tokens), { sub: claims.sub });
      } catch (error) {
        throw new SsoRefusal('provider', `userinfo failed: ${error instanceof Error ? error.message : 'error'}`);
      }
    }
    return claims;
  }

  private async account(email: string, name: string): Promise<UserRow> {
    const existing = await this.users.findUserByEmail(email);
    if (existing) return existing;
    if (!this.settings().allowSignup) throw new SsoRefusal('no-account', `no account has the e-mail ${email}`);
    // The account signs in through the provider; a password nobody knows keeps the password login shut.
    const created = await this.users.insertUser({
      email,
      name,
      role: 'viewer',
      passwordHash: await hash(randomBytes(32).toString('base64url')),
    });
    if (created) this.logger.log(`created viewer ${email} from a single sign-on`);
    // Null: a sign-in at the same moment created it.
    return created ?? (await this.users.findUserByEmail(email))!;
  }

  private settings(): OidcSettings {
    const settings = this.config.signIn.oidc;
    if (!settings) throw new NotFoundException('single sign-on is not configured (OIDC_ISSUER)');
    return settings;
  }

  /** Discovered once; a failed discovery is tried again with the next sign-in. */
  private discoveredClient(): Promise<BaseClient> {
    const settings = this.settings();
    this.client ??= discover(settings).catch((error: unknown) => {
      this.client = null;
      this.logger.warn(`OpenID Connect discovery of ${settings.issuer} failed: ${(error as Error).message}`);
      throw new ServiceUnavailableException('the identity provider cannot be reached; try again later');
    });
    return this.client;
  }
}

async function discover(settings: OidcSettings): Promise<BaseClient> {
  const withTimeout = (_url: URL, options: object) => ({ ...options, timeout: PROVIDER_TIMEOUT_MS });
  Issuer[custom.http_options] = withTimeout;
  const issuer = await Issuer.discover(settings.issuer);
  issuer[custom.http_options] = withTimeout;
  const client = new issuer.Client({
    client_id: settings.clientId,
    client_secret: settings.clientSecret,
    response_types: ['code'],
  });
  client[custom.http_options] = withTimeout;
  return client;
}
