import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { totpCode } from '../../apps/api/src/auth/totp';
import {
  OIDC_CLIENT_ID,
  OidcTestProvider,
  ProviderAnswer,
  startOidcTestProvider,
} from '../../apps/api/test/oidc-test-provider';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

const ACCOUNTS = {
  viewer: { email: 'Viewer@Test.Local', email_verified: true, name: 'Viewer at the IdP' },
  // Claims the admin's address without the provider having verified it.
  impostor: { email: 'admin@test.local', email_verified: false },
  newcomer: { email: 'newcomer@example.com', email_verified: true, name: 'New Comer' },
};

/** OpenID Connect sign-in against the real oidc-provider on loopback (SPEC §7, issue 18). */
describe('OpenID Connect sign-in', () => {
  let provider: OidcTestProvider;
  let testApp: TestApp;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    provider = await startOidcTestProvider(ACCOUNTS);
    testApp = await createTestApp({ env: provider.env });
  });
  afterAll(async () => {
    await testApp?.close();
    await provider?.close();
  });
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    warn.mockRestore();
    await provider.setIdTokenMode('normal');
  });

  interface Started {
    authorizationUrl: URL;
    /** `mtink_oidc=<state>` as the browser keeps it. */
    stateCookie: string;
  }

  async function start(app: TestApp): Promise<Started> {
    const res = await app.anonymous().get('/api/auth/oidc/login').expect(302);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('mtink_oidc='))!;
    return { authorizationUrl: new URL(res.headers.location!), stateCookie: cookie.split(';')[0]! };
  }

  async function signInAs(app: TestApp, account: keyof typeof ACCOUNTS): Promise<Started & ProviderAnswer> {
    const started = await start(app);
    return { ...started, ...(await provider.authorize(started.authorizationUrl.toString(), account)) };
  }

  function callback(app: TestApp, answer: ProviderAnswer, stateCookie: string) {
    return app.anonymous().get(answer.callbackPath).set('Cookie', stateCookie);
  }

  function sessionCookie(setCookie: unknown): string | null {
    const cookies = (setCookie as string[] | undefined) ?? [];
    return (
      cookies.find((c) => c.startsWith('mtink_session=') && !c.startsWith('mtink_session=;'))?.split(';')[0] ?? null
    );
  }

  function warnings(): string[] {
    return warn.mock.calls.map((call) => String(call[0]));
  }

  it('tells the login page about the provider', async () => {
    const res = await testApp.anonymous().get('/api/auth/config').expect(200);
    expect(res.body).toEqual({ oidc: { name: 'Test IdP', loginUrl: '/api/auth/oidc/login' } });
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce, kept server-side by the state hash', async () => {
    const { authorizationUrl, stateCookie } = await start(testApp);
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${provider.issuer}/auth`);
    const params = Object.fromEntries(authorizationUrl.searchParams);
    expect(params).toEqual({
      client_id: OIDC_CLIENT_ID,
      scope: 'openid email profile',
      response_type: 'code',
      redirect_uri: `${testApp.baseUrl}/api/auth/oidc/callback`,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(stateCookie).toBe(`mtink_oidc=${params.state}`);
    const rows: Array<{ nonce: string; code_verifier: string }> = await testApp.db.dataSource.query(
      `SELECT nonce, code_verifier FROM oidc_logins WHERE state_hash = $1`,
      [createHash('sha256').update(params.state!).digest('hex')],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.nonce).toBe(params.nonce);
    expect(createHash('sha256').update(rows[0]!.code_verifier).digest('base64url')).toBe(params.code_challenge);
  });

  it('signs an existing user in by the e-mail the provider verified (any case), and redirects to /', async () => {
    const answer = await signInAs(testApp, 'viewer');
    const res = await callback(testApp, answer, answer.stateCookie).expect(302);
    expect(res.headers.location).toBe('/');
    const cookie = sessionCookie(res.headers['set-cookie']);
    expect(cookie).toMatch(/^mtink_session=[A-Za-z0-9_-]{43}$/);
    const me = await testApp.anonymous().get('/api/auth/me').set('Cookie', cookie!).expect(200);
    expect(me.body).toEqual({
      user: { id: testApp.users.viewer.id, email: 'viewer@test.local', name: 'Test viewer', role: 'viewer' },
      via: 'session',
    });
    expect(
      await testApp.db.dataSource.query(`SELECT count(*)::int AS n FROM oidc_logins WHERE state_hash = $1`, [
        createHash('sha256').update(answer.state).digest('hex'),
      ]),
    ).toEqual([{ n: 0 }]);
  });

  it('refuses a replayed state: the second callback with the same state and cookie signs nobody in', async () => {
    const answer = await signInAs(testApp, 'viewer');
    await callback(testApp, answer, answer.stateCookie).expect(302);
    const replayed = await callback(testApp, answer, answer.stateCookie).expect(302);
    expect(replayed.headers.location).toBe('/login?ssoError=state');
    expect(sessionCookie(replayed.headers['set-cookie'])).toBeNull();
    expect(warnings()).toEqual(['single sign-on refused (state): the sign-in was used already or has expired']);
  });

  it('refuses a callback whose state this browser was not given (login CSRF)', async () => {
    const victim = await start(testApp);
    const attacker = await signInAs(testApp, 'viewer');
    const res = await callback(testApp, attacker, victim.stateCookie).expect(302);
    expect(res.headers.location).toBe('/login?ssoError=state');
    expect(sessionCookie(res.headers['set-cookie'])).toBeNull();
    const withoutCookie = await testApp.anonymous().get(attacker.callbackPath).expect(302);
    expect(withoutCookie.headers.location).toBe('/login?ssoError=state');
    // The attacker's own sign-in is untouched by the refused attempts and still works in their browser.
    expect(
      sessionCookie((await callback(testApp, attacker, attacker.stateCookie)).headers['set-cookie']),
    ).not.toBeNull();
  });

  it('refuses an e-mail the provider has not verified', async () => {
    const answer = await signInAs(testApp, 'impostor');
    const res = await callback(testApp, answer, answer.stateCookie).expect(302);
    expect(res.headers.location).toBe('/login?ssoError=unverified-email');
    expect(sessionCookie(res.headers['set-cookie'])).toBeNull();
    expect(warnings()).toEqual([
      'single sign-on refused (unverified-email): the provider has not verified admin@test.local',
    ]);
  });

  it('refuses an unknown e-mail unless OIDC_ALLOW_SIGNUP, and creates nobody', async () => {
    const answer = await signInAs(testApp, 'newcomer');
    const res = await callback(testApp, answer, answer.stateCookie).expect(302);
    expect(res.headers.location).toBe('/login?ssoError=no-account');
    expect(sessionCookie(res.headers['set-cookie'])).toBeNull();
    expect(
      await testApp.db.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = 'newcomer@example.com'`),
    ).toEqual([{ n: 0 }]);
  });

  it('refuses an ID token issued for another audience', async () => {
    const answer = await signInAs(testApp, 'viewer');
    await provider.setIdTokenMode('wrong-audience');
    const res = await callback(testApp, answer, answer.stateCookie).expect(302);
    expect(res.headers.location).toBe('/login?ssoError=token');
    expect(sessionCookie(res.headers['set-cookie'])).toBeNull();
    expect(warnings()).toEqual([expect.stringMatching(/^single sign-on refused \(token\): ID token refused: aud /)]);
    expect(warnings()[0]).toContain(OIDC_CLIENT_ID);
  });

  it('refuses an expired ID token', async () => {
    const answer = await signInAs(testApp, 'viewer');
    await provider.setIdTokenMode('expired');
    const res = await callback(testApp, answer, answer.stateCookie).expect(302);
    expect(res.headers.location).toBe('/login?ssoError=token');
    expect(sessionCookie(res.headers['set-cookie'])).toBeNull();
    expect(warnings()).toEqual([
      expect.stringMatching(/^single sign-on refused \(token\): ID token refused: JWT expired/),
    ]);
  });

  it('asks for the second factor after the provider when the account has two-factor on', async () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    await testApp.db.dataSource.query(`INSERT INTO two_factor (user_id, secret, enabled_at) VALUES ($1, $2, now())`, [
      testApp.users.viewer.id,
      secret,
    ]);
    try {
      const answer = await signInAs(testApp, 'viewer');
      const res = await callback(testApp, answer, answer.stateCookie).expect(302);
      expect(res.headers.location).toBe('/login?twoFactor=code');
      expect(sessionCookie(res.headers['set-cookie'])).toBeNull();
      const pending = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('mtink_pending='))!;
      const now = new Date('2026-12-01T10:00:00Z');
      const signedIn = await testApp
        .anonymous()
        .post(`/api/auth/login/2fa?now=${now.toISOString()}`)
        .set('Cookie', pending.split(';')[0]!)
        .send({ code: await totpCode(secret, now) })
        .expect(200);
      expect(signedIn.body.user.id).toBe(testApp.users.viewer.id);
    } finally {
      await testApp.db.dataSource.query(`DELETE FROM two_factor WHERE user_id = $1`, [testApp.users.viewer.id]);
    }
  });

  describe('with OIDC_ALLOW_SIGNUP=true', () => {
    let open: TestApp;

    beforeAll(async () => {
      open = await createTestApp({ env: { ...provider.env, OIDC_ALLOW_SIGNUP: 'true' } });
    });
    afterAll(async () => {
      await open?.close();
    });

    it('creates an unknown verified e-mail as a viewer, once', async () => {
      for (let i = 0; i < 2; i++) {
        const answer = await signInAs(open, 'newcomer');
        const res = await callback(open, answer, answer.stateCookie).expect(302);
        expect(res.headers.location).toBe('/');
        const me = await open.anonymous().get('/api/auth/me').set('Cookie', sessionCookie(res.headers['set-cookie'])!);
        expect(me.body).toEqual({
          user: {
            id: expect.stringMatching(/^\d+$/),
            email: 'newcomer@example.com',
            name: 'New Comer',
            role: 'viewer',
          },
          via: 'session',
        });
      }
      expect(
        await open.db.dataSource.query(
          `SELECT role, count(*) OVER ()::int AS n FROM users WHERE email = 'newcomer@example.com'`,
        ),
      ).toEqual([{ role: 'viewer', n: 1 }]);
      // The password login stays shut for it: nobody knows its password.
      await open.anonymous().post('/api/auth/login').send({ email: 'newcomer@example.com', password: '' }).expect(401);
    });

    it('still refuses an unverified e-mail', async () => {
      const answer = await signInAs(open, 'impostor');
      expect((await callback(open, answer, answer.stateCookie)).headers.location).toBe(
        '/login?ssoError=unverified-email',
      );
    });
  });
});

describe('OpenID Connect when not configured', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('offers no single sign-on, and its routes answer 404', async () => {
    expect((await testApp.anonymous().get('/api/auth/config').expect(200)).body).toEqual({ oidc: null });
    const res = await testApp.anonymous().get('/api/auth/oidc/login').expect(404);
    expect(res.body.message).toBe('single sign-on is not configured (OIDC_ISSUER)');
  });
});
