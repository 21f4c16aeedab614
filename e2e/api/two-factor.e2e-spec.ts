import { createHash } from 'node:crypto';
import { toDataURL } from 'qrcode';
import type { RecoveryCodes, TwoFactorSetup } from '@mt/contracts';
import { AuthMaintenanceJob } from '../../apps/api/src/auth/auth-maintenance.job';
import { AuthService } from '../../apps/api/src/auth/auth.service';
import { OidcService } from '../../apps/api/src/auth/oidc.service';
import { totpCode } from '../../apps/api/src/auth/totp';
import { createTestApp, scheduledJobsOn, TestApp } from '../../apps/api/test/test-app';

/** Every code is computed by otplib at a pinned instant, and the API is told that instant (`?now=`). */
const NOW = new Date('2026-12-01T10:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const clock = (when: Date) => `?now=${encodeURIComponent(when.toISOString())}`;

/** Two-factor sign-in with TOTP through HTTP on a real PostgreSQL (SPEC §7, issue 18). */
describe('two-factor sign-in', () => {
  let testApp: TestApp;
  let userCount = 0;
  let requestCount = 0;
  /** Each request from an address of its own, so that the per-address limit of 30 a minute stays out of the way. */
  const nextIp = () => `10.0.${Math.floor(++requestCount / 250)}.${(requestCount % 250) + 1}`;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp.close();
  });

  function cookieOf(setCookie: string[] | string | undefined, name: string): string | null {
    const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    return cookies.find((cookie) => cookie.startsWith(`${name}=`) && !cookie.startsWith(`${name}=;`)) ?? null;
  }

  function value(setCookie: string | null): string {
    if (!setCookie) throw new Error('no such cookie');
    return setCookie.split(';')[0]!;
  }

  /** A fresh account (each test its own, so limits and second factors do not leak between tests). */
  async function newUser(): Promise<{ email: string; password: string; id: string }> {
    const email = `person${++userCount}@example.com`;
    const password = `password-of-${userCount}`;
    const res = await testApp.as('admin').post('/api/users').send({ email, role: 'viewer', password }).expect(201);
    return { email, password, id: res.body.id as string };
  }

  function passwordLogin(email: string, password: string, ip = nextIp()) {
    return testApp.anonymous().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });
  }

  async function session(email: string, password: string): Promise<string> {
    const res = await passwordLogin(email, password).expect(200);
    return value(cookieOf(res.headers['set-cookie'], 'mtink_session'));
  }

  /** Signed in by password, sets two-factor up and confirms it with the code at NOW. */
  async function enrolled(): Promise<{ email: string; password: string; id: string; secret: string; codes: string[] }> {
    const user = await newUser();
    const cookie = await session(user.email, user.password);
    const setup = (await testApp.anonymous().post('/api/auth/2fa/setup').set('Cookie', cookie).expect(200))
      .body as TwoFactorSetup;
    const confirmed = await testApp
      .anonymous()
      .post(`/api/auth/2fa/confirm${clock(NOW)}`)
      .set('Cookie', cookie)
      .send({ code: await totpCode(setup.secret, NOW) })
      .expect(200);
    return { ...user, secret: setup.secret, codes: (confirmed.body as RecoveryCodes).recoveryCodes };
  }

  /** The password step of a user with two-factor: the pending-login cookie. */
  async function pending(email: string, password: string, ip?: string): Promise<string> {
    const res = await passwordLogin(email, password, ip).expect(200);
    return value(cookieOf(res.headers['set-cookie'], 'mtink_pending'));
  }

  function secondStep(cookie: string, body: object, when = NOW, ip = nextIp()) {
    return testApp
      .anonymous()
      .post(`/api/auth/login/2fa${clock(when)}`)
      .set('Cookie', cookie)
      .set('X-Forwarded-For', ip)
      .send(body);
  }

  describe('GET/POST /api/auth/2fa…', () => {
    it('requires authentication', async () => {
      await testApp.anonymous().get('/api/auth/2fa').expect(401);
      await testApp.anonymous().post('/api/auth/2fa/setup').expect(401);
      await testApp.anonymous().post('/api/auth/2fa/confirm').send({ code: '123456' }).expect(401);
      await testApp.anonymous().post('/api/auth/2fa/disable').send({ code: '123456' }).expect(401);
      await testApp.anonymous().get('/api/auth/2fa/policy').expect(401);
    });

    it('is for signed-in browsers: an API token cannot set it up (403)', async () => {
      const res = await testApp.as('viewer').post('/api/auth/2fa/setup').expect(403);
      expect(res.body.message).toBe('two-factor sign-in is set up from a signed-in browser, not with an API token');
    });
  });

  describe('enrolment', () => {
    it('shows the secret once as otpauth URL and QR code, pending until the first code, then gives ten recovery codes', async () => {
      const user = await newUser();
      const cookie = await session(user.email, user.password);
      const setup = await testApp.anonymous().post('/api/auth/2fa/setup').set('Cookie', cookie).expect(200);
      const { secret, otpauthUrl, qrCode } = setup.body as TwoFactorSetup;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(otpauthUrl).toBe(
        `otpauth://totp/MT%20Ink%20Dashboard:${encodeURIComponent(user.email)}?secret=${secret}&issuer=MT%20Ink%20Dashboard`,
      );
      // The QR code encodes exactly that URL (qrcode is deterministic for one input).
      expect(qrCode).toBe(await toDataURL(otpauthUrl));
      const status = () => testApp.anonymous().get('/api/auth/2fa').set('Cookie', cookie).expect(200);
      expect((await status()).body).toEqual({ enabled: false, pending: true, recoveryCodesLeft: 0, required: false });

      const wrong = await testApp
        .anonymous()
        .post(`/api/auth/2fa/confirm${clock(NOW)}`)
        .set('Cookie', cookie)
        .send({ code: await totpCode(secret, at(-90)) })
        .expect(400);
      expect(wrong.body.message).toEqual(['code is wrong or has expired']);
      const malformed = await testApp
        .anonymous()
        .post('/api/auth/2fa/confirm')
        .set('Cookie', cookie)
        .send({ code: '12 34' })
        .expect(400);
      expect(malformed.body.message).toEqual(['code must be the 6 digits the authenticator app shows']);

      const confirmed = await testApp
        .anonymous()
        .post(`/api/auth/2fa/confirm${clock(NOW)}`)
        .set('Cookie', cookie)
        .send({ code: await totpCode(secret, at(25)) })
        .expect(200);
      const codes = (confirmed.body as RecoveryCodes).recoveryCodes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/);
      expect((await status()).body).toEqual({ enabled: true, pending: false, recoveryCodesLeft: 10, required: false });

      // Stored: the recovery codes as SHA-256 only; nothing after enrolment shows the secret or a code.
      const stored: Array<{ code_hash: string }> = await testApp.db.dataSource.query(
        `SELECT code_hash FROM recovery_codes WHERE user_id = $1 ORDER BY code_hash`,
        [user.id],
      );
      expect(stored.map((row) => row.code_hash)).toEqual(
        codes.map((code) => createHash('sha256').update(code.replace(/-/g, '')).digest('hex')).sort(),
      );
      const again = await testApp.anonymous().post('/api/auth/2fa/setup').set('Cookie', cookie).expect(409);
      expect(again.body.message).toBe(
        'two-factor sign-in is on already; turn it off first to change the authenticator',
      );
      const afterwards = [
        (await status()).body,
        (await testApp.anonymous().get('/api/auth/me').set('Cookie', cookie).expect(200)).body,
        (await testApp.as('admin').get('/api/users').expect(200)).body,
        again.body,
      ];
      for (const answer of afterwards) {
        const text = JSON.stringify(answer);
        expect(text).not.toContain(secret);
        for (const code of codes) expect(text).not.toContain(code);
      }
    });

    it('replaces an unconfirmed secret when set up again', async () => {
      const user = await newUser();
      const cookie = await session(user.email, user.password);
      const first = (await testApp.anonymous().post('/api/auth/2fa/setup').set('Cookie', cookie).expect(200)).body;
      const second = (await testApp.anonymous().post('/api/auth/2fa/setup').set('Cookie', cookie).expect(200)).body;
      expect(second.secret).not.toBe(first.secret);
      await testApp
        .anonymous()
        .post(`/api/auth/2fa/confirm${clock(NOW)}`)
        .set('Cookie', cookie)
        .send({ code: await totpCode(first.secret, NOW) })
        .expect(400);
      await testApp
        .anonymous()
        .post(`/api/auth/2fa/confirm${clock(NOW)}`)
        .set('Cookie', cookie)
        .send({ code: await totpCode(second.secret, NOW) })
        .expect(200);
    });

    it('cannot be confirmed before it is set up (400)', async () => {
      const user = await newUser();
      const cookie = await session(user.email, user.password);
      const res = await testApp
        .anonymous()
        .post('/api/auth/2fa/confirm')
        .set('Cookie', cookie)
        .send({ code: '123456' })
        .expect(400);
      expect(res.body.message).toEqual(['set two-factor up first (POST /api/auth/2fa/setup)']);
    });
  });

  describe('signing in', () => {
    it('asks for the code after the password: no session until then, one session per password', async () => {
      const user = await enrolled();
      const res = await passwordLogin(user.email, user.password).expect(200);
      expect(res.body).toEqual({ twoFactorRequired: true, step: 'code', expiresAt: expect.any(String) });
      const expiresIn = Date.parse(res.body.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(0);
      expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);
      expect(cookieOf(res.headers['set-cookie'], 'mtink_session')).toBeNull();
      const pendingCookie = cookieOf(res.headers['set-cookie'], 'mtink_pending')!;
      const attributes = pendingCookie.split(';').map((part) => part.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['path=/api/auth/login', 'httponly', 'samesite=lax']));
      const cookie = value(pendingCookie);
      // The pending sign-in is not a session.
      await testApp.anonymous().get('/api/auth/me').set('Cookie', cookie).expect(401);
      await testApp
        .anonymous()
        .get('/api/auth/me')
        .set('Cookie', `mtink_session=${cookie.split('=')[1]}`)
        .expect(401);

      const signedIn = await secondStep(cookie, { code: await totpCode(user.secret, at(30)) }).expect(200);
      expect(signedIn.body).toEqual({
        user: { id: user.id, email: user.email, name: '', role: 'viewer' },
        expiresAt: expect.any(String),
      });
      const sessionCookie = value(cookieOf(signedIn.headers['set-cookie'], 'mtink_session'));
      expect((signedIn.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('mtink_pending=;'))).toBe(
        true,
      );
      await testApp.anonymous().get('/api/auth/me').set('Cookie', sessionCookie).expect(200);
      const reused = await secondStep(cookie, { code: await totpCode(user.secret, at(60)) }, at(60)).expect(401);
      expect(reused.body.message).toBe('the sign-in has expired; enter your password again');
    });

    it('accepts a code once (RFC 6238 §5.2): the same code again is refused, the next one is not', async () => {
      const user = await enrolled();
      const code = await totpCode(user.secret, at(30));
      await secondStep(await pending(user.email, user.password), { code }).expect(200);
      const replayed = await secondStep(await pending(user.email, user.password), { code }).expect(401);
      expect(replayed.body.message).toBe('wrong code');
      await secondStep(
        await pending(user.email, user.password),
        { code: await totpCode(user.secret, at(60)) },
        at(60),
      ).expect(200);
    });

    it('takes each recovery code once, however it is typed', async () => {
      const user = await enrolled();
      const [first, second] = user.codes as [string, string];
      await secondStep(await pending(user.email, user.password), { recoveryCode: first }).expect(200);
      const again = await secondStep(await pending(user.email, user.password), { recoveryCode: first }).expect(401);
      expect(again.body.message).toBe('wrong recovery code');
      const typed = ` ${second.toUpperCase().replace(/-/g, ' ')} `.trim();
      await secondStep(await pending(user.email, user.password), { recoveryCode: typed }).expect(200);
      const status = await testApp.db.dataSource.query(
        `SELECT count(*) FILTER (WHERE used_at IS NULL)::int AS unused FROM recovery_codes WHERE user_id = $1`,
        [user.id],
      );
      expect(status).toEqual([{ unused: 8 }]);
    });

    it('wants either a code or a recovery code', async () => {
      const user = await enrolled();
      const cookie = await pending(user.email, user.password);
      const both = await secondStep(cookie, { code: '123456', recoveryCode: user.codes[0] }).expect(400);
      expect(both.body.message).toEqual(['send either code or recoveryCode']);
      await secondStep(cookie, {}).expect(400);
    });

    it('locks the second step after 5 wrong codes in a minute (429), from any address, even for the right code', async () => {
      const user = await enrolled();
      const right = await totpCode(user.secret, at(30));
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        const ip = `203.0.113.${100 + i}`;
        const res = await secondStep(await pending(user.email, user.password, ip), { code: wrong }, NOW, ip).expect(
          401,
        );
        expect(res.body.message).toBe('wrong code');
      }
      const locked = await secondStep(
        await pending(user.email, user.password, '203.0.113.200'),
        { code: right },
        NOW,
        '203.0.113.200',
      ).expect(429);
      expect(locked.body.message).toMatch(/^too many failed logins; try again in \d+ s$/);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(cookieOf(locked.headers['set-cookie'], 'mtink_session')).toBeNull();
      // Recovery codes count against the same limit.
      await secondStep(await pending(user.email, user.password), { recoveryCode: user.codes[0] }).expect(429);
    });

    it('ends a pending sign-in after five minutes', async () => {
      const user = await enrolled();
      const cookie = await pending(user.email, user.password);
      await testApp.db.dataSource.query(
        `UPDATE pending_logins SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [user.id],
      );
      const res = await secondStep(cookie, { code: await totpCode(user.secret, at(30)) }).expect(401);
      expect(res.body.message).toBe('the sign-in has expired; enter your password again');
    });

    it('refuses the second step posted from a foreign origin', async () => {
      const user = await enrolled();
      await secondStep(await pending(user.email, user.password), { code: '123456' })
        .set('Origin', 'https://evil.example')
        .expect(403);
    });

    it('leaves API tokens as they are', async () => {
      const user = await enrolled();
      const token = (
        await testApp.as('admin').post('/api/auth/tokens').send({ name: 'script', userId: user.id }).expect(201)
      ).body.secret as string;
      const me = await testApp.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body).toEqual({ user: { id: user.id, email: user.email, name: '', role: 'viewer' }, via: 'token' });
    });
  });

  describe('turning it off', () => {
    it('needs the current code or the password, then the password alone signs in again', async () => {
      const user = await enrolled();
      const cookie = value(
        cookieOf(
          (
            await secondStep(await pending(user.email, user.password), {
              code: await totpCode(user.secret, at(30)),
            }).expect(200)
          ).headers['set-cookie'],
          'mtink_session',
        ),
      );
      const wrong = await testApp
        .anonymous()
        .post('/api/auth/2fa/disable')
        .set('Cookie', cookie)
        .send({ password: 'not-it' })
        .expect(400);
      expect(wrong.body.message).toEqual(['password is wrong']);
      await testApp
        .anonymous()
        .post('/api/auth/2fa/disable')
        .set('Cookie', cookie)
        .send({ password: user.password })
        .expect(204);
      expect((await testApp.anonymous().get('/api/auth/2fa').set('Cookie', cookie).expect(200)).body).toEqual({
        enabled: false,
        pending: false,
        recoveryCodesLeft: 0,
        required: false,
      });
      await session(user.email, user.password);
      await testApp
        .anonymous()
        .post('/api/auth/2fa/disable')
        .set('Cookie', cookie)
        .send({ password: user.password })
        .expect(404);
    });

    it('with a code, which must be a fresh one', async () => {
      const user = await enrolled();
      const cookie = value(
        cookieOf(
          (await secondStep(await pending(user.email, user.password), { recoveryCode: user.codes[0] }).expect(200))
            .headers['set-cookie'],
          'mtink_session',
        ),
      );
      const disable = (code: string) =>
        testApp
          .anonymous()
          .post(`/api/auth/2fa/disable${clock(at(30))}`)
          .set('Cookie', cookie)
          .send({ code });
      // Still inside the tolerance at NOW + 30 s, but the enrolment spent the code of NOW.
      expect((await disable(await totpCode(user.secret, NOW)).expect(400)).body.message).toEqual(['code is wrong']);
      await disable(await totpCode(user.secret, at(30))).expect(204);
    });
  });

  describe('required for everyone (admin)', () => {
    afterEach(async () => {
      await testApp.as('admin').put('/api/auth/2fa/policy').send({ requireTwoFactor: false }).expect(200);
    });

    it('is set by admins only', async () => {
      await testApp.as('viewer').put('/api/auth/2fa/policy').send({ requireTwoFactor: true }).expect(403);
      await testApp.as('viewer').get('/api/auth/2fa/policy').expect(403);
      expect((await testApp.as('admin').get('/api/auth/2fa/policy').expect(200)).body).toEqual({
        requireTwoFactor: false,
      });
      const bad = await testApp.as('admin').put('/api/auth/2fa/policy').send({ requireTwoFactor: 'yes' }).expect(400);
      expect(bad.body.message).toEqual(['requireTwoFactor must be a boolean value']);
    });

    it('makes a user without two-factor set it up at sign-in before any session, and keeps it on', async () => {
      const user = await newUser();
      await testApp.as('admin').put('/api/auth/2fa/policy').send({ requireTwoFactor: true }).expect(200);
      expect((await testApp.as('admin').get('/api/auth/2fa/policy').expect(200)).body).toEqual({
        requireTwoFactor: true,
      });

      const res = await passwordLogin(user.email, user.password).expect(200);
      expect(res.body).toEqual({ twoFactorRequired: true, step: 'enrol', expiresAt: expect.any(String) });
      expect(cookieOf(res.headers['set-cookie'], 'mtink_session')).toBeNull();
      const cookie = value(cookieOf(res.headers['set-cookie'], 'mtink_pending'));
      const noCode = await secondStep(cookie, { code: '123456' }).expect(400);
      expect(noCode.body.message).toEqual(['this account must set up two-factor first']);

      const setup = await testApp.anonymous().post('/api/auth/login/2fa/setup').set('Cookie', cookie).expect(200);
      const { secret, otpauthUrl } = setup.body as TwoFactorSetup;
      expect(otpauthUrl).toContain(encodeURIComponent(user.email));
      const confirmed = await testApp
        .anonymous()
        .post(`/api/auth/login/2fa/confirm${clock(NOW)}`)
        .set('Cookie', cookie)
        .send({ code: await totpCode(secret, NOW) })
        .expect(200);
      expect(confirmed.body).toEqual({
        signedIn: { user: { id: user.id, email: user.email, name: '', role: 'viewer' }, expiresAt: expect.any(String) },
        recoveryCodes: expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/)]),
      });
      const sessionCookie = value(cookieOf(confirmed.headers['set-cookie'], 'mtink_session'));
      const status = await testApp.anonymous().get('/api/auth/2fa').set('Cookie', sessionCookie).expect(200);
      expect(status.body).toEqual({ enabled: true, pending: false, recoveryCodesLeft: 10, required: true });
      const off = await testApp
        .anonymous()
        .post('/api/auth/2fa/disable')
        .set('Cookie', sessionCookie)
        .send({ password: user.password })
        .expect(409);
      expect(off.body.message).toBe('an admin requires two-factor sign-in for everyone');
      // The pending sign-in is spent; the next sign-in asks for the code.
      await testApp.anonymous().post('/api/auth/login/2fa/setup').set('Cookie', cookie).expect(401);
      expect((await passwordLogin(user.email, user.password).expect(200)).body.step).toBe('code');
    });

    it('leaves sessions started before it alone', async () => {
      const user = await newUser();
      const cookie = await session(user.email, user.password);
      await testApp.as('admin').put('/api/auth/2fa/policy').send({ requireTwoFactor: true }).expect(200);
      await testApp.anonymous().get('/api/auth/me').set('Cookie', cookie).expect(200);
    });
  });

  it('drops expired pending sign-ins and OpenID Connect states with the hourly prune, and keeps live ones', async () => {
    const user = await newUser();
    await testApp.db.dataSource.query(
      `INSERT INTO pending_logins (id_hash, user_id, step, expires_at)
       VALUES ('expired', $1, 'code', now() - interval '1 minute'), ('live', $1, 'code', now() + interval '1 minute')`,
      [user.id],
    );
    await testApp.db.dataSource.query(
      `INSERT INTO oidc_logins (state_hash, nonce, code_verifier, redirect_uri, expires_at)
       VALUES ('expired', 'n', 'v', 'u', now() - interval '1 minute'), ('live', 'n', 'v', 'u', now() + interval '1 minute')`,
    );
    await new AuthMaintenanceJob(
      testApp.app.get(AuthService),
      testApp.app.get(OidcService),
      scheduledJobsOn(testApp),
    ).prune();
    expect(
      await testApp.db.dataSource.query(`SELECT id_hash FROM pending_logins WHERE user_id = $1`, [user.id]),
    ).toEqual([{ id_hash: 'live' }]);
    expect(await testApp.db.dataSource.query(`SELECT state_hash FROM oidc_logins`)).toEqual([{ state_hash: 'live' }]);
  });
});
