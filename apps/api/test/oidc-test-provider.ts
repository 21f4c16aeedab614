import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const OIDC_CLIENT_ID = 'mtink-dashboard';
export const OIDC_CLIENT_SECRET = 'oidc-client-secret-for-tests-0123456789';
export const OIDC_OTHER_CLIENT_ID = 'another-client';

export interface OidcAccount {
  email: string;
  email_verified: boolean;
  name?: string;
}

export type IdTokenMode = 'normal' | 'wrong-audience' | 'expired';

/** Where the provider sent the browser back, split into what the app's callback receives. */
export interface ProviderAnswer {
  /** `/api/auth/oidc/callback?code=…&state=…&iss=…` */
  callbackPath: string;
  code: string;
  state: string;
}

export interface OidcTestProvider {
  issuer: string;
  /** Environment that points the app at this provider. */
  env: Record<string, string>;
  setIdTokenMode(mode: IdTokenMode): Promise<void>;
  /**
   * Follows the provider's side of a sign-in as `account`, from the authorization URL the app
   * redirected to, to the redirect back to the app's callback (which the caller then requests).
   */
  authorize(authorizationUrl: string, account: string): Promise<ProviderAnswer>;
  close(): Promise<void>;
}

/** The real oidc-provider in a child process (it is ES modules only; Jest loads CommonJS). */
export async function startOidcTestProvider(accounts: Record<string, OidcAccount>): Promise<OidcTestProvider> {
  const child = spawn(process.execPath, [join(__dirname, 'oidc-test-provider.mjs')], {
    env: {
      PATH: process.env.PATH,
      OIDC_TEST_CONFIG: JSON.stringify({
        accounts,
        clients: [OIDC_CLIENT_ID, OIDC_OTHER_CLIENT_ID].map((clientId) => ({
          client_id: clientId,
          client_secret: clientId === OIDC_CLIENT_ID ? OIDC_CLIENT_SECRET : `${OIDC_CLIENT_SECRET}-other`,
          redirect_uris: ['http://127.0.0.1/api/auth/oidc/callback'],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        })),
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const issuer = await readyLine(child);
  return {
    issuer,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME: 'Test IdP' },
    async setIdTokenMode(mode) {
      const res = await fetch(`${issuer}/__test/id-token?mode=${mode}`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`provider refused mode ${mode}: ${res.status}`);
    },
    authorize: (authorizationUrl, account) => authorize(issuer, authorizationUrl, account),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function readyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const ready = /^READY (\S+)$/m.exec(stdout);
      if (ready) resolve(ready[1]!);
    });
    child.once('exit', (code) => reject(new Error(`OIDC test provider exited with ${code}: ${stderr}`)));
  });
}

/** authorization URL → interaction (finished as `account`) → resumed authorization → redirect to the callback. */
async function authorize(issuer: string, authorizationUrl: string, account: string): Promise<ProviderAnswer> {
  if (!authorizationUrl.startsWith(`${issuer}/`)) throw new Error(`not this provider: ${authorizationUrl}`);
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  // Bounded: authorize, interaction, resume; a provider that keeps redirecting is a failure.
  for (let hop = 0; hop < 6; hop++) {
    const target = new URL(url, issuer);
    if (target.pathname.startsWith('/interaction/')) target.searchParams.set('account', account);
    const res = await fetch(target, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location)
      throw new Error(`provider answered ${res.status} at ${target.pathname}: ${await res.text()}`);
    const next = new URL(location, target);
    if (next.pathname === '/api/auth/oidc/callback') {
      const code = next.searchParams.get('code');
      const state = next.searchParams.get('state');
      if (!code || !state) throw new Error(`provider sent the browser back without a code: ${location}`);
      return { callbackPath: `${next.pathname}${next.search}`, code, state };
    }
    url = next.toString();
  }
  throw new Error('provider kept redirecting');
}
