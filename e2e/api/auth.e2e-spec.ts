import { Logger } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { createHash } from 'node:crypto';
import type { CreatedApiToken, UserSummary } from '@mt/contracts';
import { AuthRepository } from '../../apps/api/src/auth/auth.repository';
import { Revocations } from '../../apps/api/src/auth/revocations';
import { DEMO_ADMIN_EMAIL, UsersService } from '../../apps/api/src/auth/users.service';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';
import { createTestDatabase } from '../../apps/api/test/test-database';

/** Sign-in, sessions, API tokens and user administration through HTTP on a real PostgreSQL (SPEC §7). */
describe('auth', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** Logs in from its own address (X-Forwarded-For from loopback is trusted), so the failure counters of tests stay apart. */
  function login(email: string, password: string, ip: string, headers: Record<string, string> = {}) {
    return testApp
      .anonymous()
      .post('/api/auth/login')
      .set('X-Forwarded-For', ip)
      .set(headers)
      .send({ email, password });
  }

  function sessionCookie(setCookie: string[] | string | undefined): string {
    const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    const session = cookies.find((cookie) => cookie.startsWith('mtink_session='));
    if (!session) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
    return session.split(';')[0]!;
  }

  describe('POST /api/auth/login', () => {
    it('signs in with e-mail and password, setting an httpOnly SameSite=Lax session cookie', async () => {
      const { email, password, id } = testApp.users.viewer;
      const before = Date.now();
      const res = await login(email.toUpperCase(), password, '198.51.100.1').expect(200);
      const after = Date.now();
      expect(res.body).toEqual({
        user: { id, email, name: 'Test viewer', role: 'viewer' },
        expiresAt: expect.any(String),
      });
      // Seven days from the moment of sign-in, however long the request took.
      const expiresAt = Date.parse(res.body.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * 24 * 3600 * 1000);
      expect(expiresAt).toBeLessThanOrEqual(after + 7 * 24 * 3600 * 1000);
      const setCookie = res.headers['set-cookie'] as unknown as string[];
      expect(setCookie).toHaveLength(1);
      const attributes = setCookie[0]!.split(';').map((part) => part.trim().toLowerCase());
      expect(attributes[0]).toMatch(/^mtink_session=[A-Za-z0-9_-]{43}$/i);
      expect(attributes).toEqual(expect.arrayContaining(['path=/', 'httponly', 'samesite=lax']));
      expect(attributes).not.toContain('secure');

      const me = await testApp.anonymous().get('/api/auth/me').set('Cookie', sessionCookie(setCookie)).expect(200);
      expect(me.body).toEqual({ user: { id, email, name: 'Test viewer', role: 'viewer' }, via: 'session' });
    });

    it('marks the cookie Secure when the request came over HTTPS through a proxy', async () => {
      const { email, password } = testApp.users.viewer;
      const res = await login(email, password, '198.51.100.2', { 'X-Forwarded-Proto': 'https' }).expect(200);
      const attributes = (res.headers['set-cookie'] as unknown as string[])[0]!
        .split(';')
        .map((part) => part.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax']));
    });

    it('stores only the SHA-256 of the session secret', async () => {
      const { email, password } = testApp.users.viewer;
      const res = await login(email, password, '198.51.100.3').expect(200);
      const secret = sessionCookie(res.headers['set-cookie']).split('=')[1]!;
      const rows = await testApp.db.dataSource.query(`SELECT 1 FROM sessions WHERE id_hash = $1`, [
        createHash('sha256').update(secret).digest('hex'),
      ]);
      expect(rows).toHaveLength(1);
      expect(await testApp.db.dataSource.query(`SELECT 1 FROM sessions WHERE id_hash = $1`, [secret])).toHaveLength(0);
    });

    it('answers 401 with one message for a wrong password and for an unknown e-mail, and sets no cookie', async () => {
      const wrong = await login(testApp.users.viewer.email, 'not-the-password', '198.51.100.4').expect(401);
      const unknown = await login('nobody@test.local', 'whatever-password', '198.51.100.4').expect(401);
      expect(wrong.body.message).toBe('wrong e-mail or password');
      expect(unknown.body.message).toBe('wrong e-mail or password');
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('locks an account out for one address after 5 failures in a minute (429), even with the right password', async () => {
      const { email, password } = testApp.users.admin;
      for (let i = 0; i < 5; i++) await login(email, `wrong-${i}`, '203.0.113.7').expect(401);
      const locked = await login(email, password, '203.0.113.7').expect(429);
      expect(locked.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringMatching(/^too many failed logins; try again in \d+ s$/),
      });
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(locked.headers['set-cookie']).toBeUndefined();
      // Another address is not locked out of the same account, nor the same address out of another.
      await login(email, password, '203.0.113.8').expect(200);
      await login(testApp.users.viewer.email, testApp.users.viewer.password, '203.0.113.7').expect(200);
    });

    it('limits one address to 30 login attempts a minute whatever the account (429)', async () => {
      const { email, password } = testApp.users.viewer;
      for (let i = 0; i < 30; i++) await login(email, password, '192.0.2.50').expect(200);
      const res = await login(email, password, '192.0.2.50').expect(429);
      expect(res.body).toEqual({ statusCode: 429, message: 'ThrottlerException: Too Many Requests' });
      expect(res.headers['retry-after-login']).toMatch(/^\d+$/);
      await login(email, password, '192.0.2.51').expect(200);
    });

    it('forgets earlier failures after a successful login', async () => {
      const { email, password } = testApp.users.viewer;
      for (let i = 0; i < 4; i++) await login(email, `wrong-${i}`, '203.0.113.9').expect(401);
      await login(email, password, '203.0.113.9').expect(200);
      for (let i = 0; i < 4; i++) await login(email, `wrong-again-${i}`, '203.0.113.9').expect(401);
      await login(email, password, '203.0.113.9').expect(200);
    });

    it('refuses a login posted from a foreign origin (login CSRF)', async () => {
      const { email, password } = testApp.users.viewer;
      await login(email, password, '198.51.100.5', { Origin: 'https://evil.example' }).expect(403);
      await login(email, password, '198.51.100.5', { Origin: testApp.baseUrl }).expect(200);
    });

    it('rejects a body with unknown fields or a missing password (400)', async () => {
      await login(testApp.users.viewer.email, undefined as unknown as string, '198.51.100.6').expect(400);
      const res = await testApp
        .anonymous()
        .post('/api/auth/login')
        .send({ email: 'a@b.c', password: 'x', admin: true })
        .expect(400);
      expect(res.body.message).toEqual(['property admin should not exist']);
    });
  });

  describe('POST /api/auth/logout', () => {
    it('requires authentication', async () => {
      await testApp.anonymous().post('/api/auth/logout').expect(401);
    });

    it('ends the session on the server: the old cookie no longer works', async () => {
      const res = await login(testApp.users.viewer.email, testApp.users.viewer.password, '198.51.100.10').expect(200);
      const cookie = sessionCookie(res.headers['set-cookie']);
      const out = await testApp
        .anonymous()
        .post('/api/auth/logout')
        .set('Cookie', cookie)
        .set('Origin', testApp.baseUrl)
        .expect(204);
      expect((out.headers['set-cookie'] as unknown as string[])[0]).toMatch(
        /^mtink_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
      );
      await testApp.anonymous().get('/api/auth/me').set('Cookie', cookie).expect(401);
    });
  });

  describe('CSRF: cookie-authenticated state changes', () => {
    let cookie: string;

    beforeAll(async () => {
      const res = await login(testApp.users.viewer.email, testApp.users.viewer.password, '198.51.100.20').expect(200);
      cookie = sessionCookie(res.headers['set-cookie']);
    });

    it('refuses a foreign Origin and a cross-site fetch (403), and leaves the session alone', async () => {
      await testApp
        .anonymous()
        .post('/api/auth/logout')
        .set('Cookie', cookie)
        .set('Origin', 'https://evil.example')
        .expect(403);
      await testApp
        .anonymous()
        .post('/api/auth/logout')
        .set('Cookie', cookie)
        .set('Sec-Fetch-Site', 'cross-site')
        .expect(403);
      await testApp.anonymous().get('/api/auth/me').set('Cookie', cookie).expect(200);
    });

    it('lets reads through from anywhere (CORS decides who may read the answer)', async () => {
      await testApp
        .anonymous()
        .get('/api/auth/me')
        .set('Cookie', cookie)
        .set('Origin', 'https://evil.example')
        .expect(200);
    });

    it('does not apply to bearer tokens, which a browser never attaches by itself', async () => {
      const res = await testApp
        .as('admin')
        .post('/api/auth/tokens')
        .set('Origin', 'https://evil.example')
        .send({ name: 'script' })
        .expect(201);
      expect(res.body.token.name).toBe('script');
    });
  });

  describe('API tokens', () => {
    it('requires authentication', async () => {
      await testApp.anonymous().get('/api/auth/tokens').expect(401);
      await testApp.anonymous().post('/api/auth/tokens').send({ name: 'x' }).expect(401);
      await testApp.anonymous().delete('/api/auth/tokens/1').expect(401);
    });

    it('are created by admins, shown once, stored hashed, and revoked with immediate effect', async () => {
      const created = await testApp
        .as('admin')
        .post('/api/auth/tokens')
        .send({ name: 'nightly export', userId: testApp.users.viewer.id })
        .expect(201);
      const body = created.body as CreatedApiToken;
      expect(body).toEqual({
        secret: expect.stringMatching(/^mtk_[A-Za-z0-9_-]{43}$/),
        token: {
          id: expect.stringMatching(/^\d+$/),
          name: 'nightly export',
          userId: testApp.users.viewer.id,
          userEmail: testApp.users.viewer.email,
          createdAt: expect.any(String),
          lastUsedAt: null,
          revokedAt: null,
        },
      });
      const stored = await testApp.db.dataSource.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [
        body.token.id,
      ]);
      expect(stored).toEqual([{ token_hash: createHash('sha256').update(body.secret).digest('hex') }]);

      const me = await testApp
        .anonymous()
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${body.secret}`)
        .expect(200);
      expect(me.body).toEqual({
        user: { id: testApp.users.viewer.id, email: testApp.users.viewer.email, name: 'Test viewer', role: 'viewer' },
        via: 'token',
      });

      const list = await testApp.as('admin').get('/api/auth/tokens').expect(200);
      const listed = list.body.tokens.find((token: { id: string }) => token.id === body.token.id);
      expect(listed).toEqual({ ...body.token, lastUsedAt: expect.any(String) });
      expect(JSON.stringify(list.body)).not.toContain(body.secret);

      await testApp.as('admin').delete(`/api/auth/tokens/${body.token.id}`).expect(204);
      await testApp.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${body.secret}`).expect(401);
      const after = await testApp.as('admin').get('/api/auth/tokens').expect(200);
      expect(after.body.tokens.find((token: { id: string }) => token.id === body.token.id).revokedAt).toEqual(
        expect.any(String),
      );
    });

    it('answers 404 for a token or user that does not exist, and 400 for a malformed id', async () => {
      await testApp.as('admin').delete('/api/auth/tokens/999999').expect(404);
      await testApp.as('admin').post('/api/auth/tokens').send({ name: 'x', userId: '999999' }).expect(404);
      await testApp.as('admin').delete('/api/auth/tokens/abc').expect(400);
    });

    it('rejects an unknown bearer token and a malformed Authorization header', async () => {
      await testApp.anonymous().get('/api/auth/me').set('Authorization', 'Bearer mtk_not-a-token').expect(401);
      await testApp
        .anonymous()
        .get('/api/auth/me')
        .set('Authorization', `Basic ${testApp.users.admin.token}`)
        .expect(401);
    });
  });

  describe('users (admin)', () => {
    it('requires authentication', async () => {
      await testApp.anonymous().get('/api/users').expect(401);
    });

    it('invites a user who can then sign in; the e-mail is unique regardless of case', async () => {
      const res = await testApp
        .as('admin')
        .post('/api/users')
        .send({ email: 'Ana@Example.com', name: 'Ana', role: 'viewer', password: 'ana-password-1' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^\d+$/),
        email: 'Ana@Example.com',
        name: 'Ana',
        role: 'viewer',
        createdAt: expect.any(String),
      });
      await login('ana@example.com', 'ana-password-1', '198.51.100.30').expect(200);
      await testApp
        .as('admin')
        .post('/api/users')
        .send({ email: 'ANA@example.com', role: 'admin', password: 'another-pass' })
        .expect(409);
      const list = await testApp.as('admin').get('/api/users').expect(200);
      expect((list.body.users as UserSummary[]).map((user) => user.email)).toEqual([
        'admin@test.local',
        'Ana@Example.com',
        'viewer@test.local',
      ]);
    });

    it('validates the invitation (e-mail, role, password of 8+ characters)', async () => {
      const res = await testApp
        .as('admin')
        .post('/api/users')
        .send({ email: 'not-an-email', role: 'owner', password: 'short' })
        .expect(400);
      expect(res.body.message).toEqual([
        'email must be an email',
        'role must be one of the following values: admin, viewer',
        'password must be longer than or equal to 8 characters',
      ]);
    });

    it('changes a role with effect on the very next request, and removes a user with their sessions and tokens', async () => {
      const invited = await testApp
        .as('admin')
        .post('/api/users')
        .send({ email: 'bo@example.com', role: 'viewer', password: 'bo-password-1' })
        .expect(201);
      const id = invited.body.id as string;
      const token = (await testApp.as('admin').post('/api/auth/tokens').send({ name: 'bo', userId: id }).expect(201))
        .body.secret as string;
      const session = sessionCookie(
        (await login('bo@example.com', 'bo-password-1', '198.51.100.31').expect(200)).headers['set-cookie'],
      );
      await testApp.anonymous().get('/api/users').set('Authorization', `Bearer ${token}`).expect(403);

      const promoted = await testApp.as('admin').patch(`/api/users/${id}`).send({ role: 'admin' }).expect(200);
      expect(promoted.body.role).toBe('admin');
      await testApp.anonymous().get('/api/users').set('Authorization', `Bearer ${token}`).expect(200);
      await testApp.anonymous().get('/api/users').set('Cookie', session).expect(200);

      await testApp.as('admin').delete(`/api/users/${id}`).expect(204);
      await testApp.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      await testApp.anonymous().get('/api/auth/me').set('Cookie', session).expect(401);
      await testApp.as('admin').delete(`/api/users/${id}`).expect(404);
      expect(
        await testApp.db.dataSource.query(
          `SELECT count(*)::int AS n FROM sessions s JOIN api_tokens t USING (user_id) WHERE user_id = $1`,
          [id],
        ),
      ).toEqual([{ n: 0 }]);
    });

    it('keeps at least one admin (409)', async () => {
      const { id } = testApp.users.admin;
      const res = await testApp.as('admin').patch(`/api/users/${id}`).send({ role: 'viewer' }).expect(409);
      expect(res.body.message).toBe('the last admin cannot be demoted');
      await testApp.as('admin').delete(`/api/users/${id}`).expect(409);
    });

    it('answers 403 to a viewer on every user and token endpoint', async () => {
      const viewer = testApp.as('viewer');
      const target = testApp.users.admin.id;
      await viewer.get('/api/users').expect(403);
      await viewer
        .post('/api/users')
        .send({ email: 'x@example.com', role: 'admin', password: 'password-123' })
        .expect(403);
      await viewer.patch(`/api/users/${testApp.users.viewer.id}`).send({ role: 'admin' }).expect(403);
      await viewer.delete(`/api/users/${target}`).expect(403);
      await viewer.get('/api/auth/tokens').expect(403);
      await viewer.post('/api/auth/tokens').send({ name: 'mine' }).expect(403);
      await viewer.delete('/api/auth/tokens/1').expect(403);
      const me = await viewer.get('/api/auth/me').expect(200);
      expect(me.body.user.role).toBe('viewer');
    });
  });
});

describe('first admin', () => {
  it('comes from ADMIN_EMAIL/ADMIN_PASSWORD and is reset to them on the next start', async () => {
    const first = await createTestApp({
      env: { ADMIN_EMAIL: 'Owner@MTInk.example', ADMIN_PASSWORD: 'owner-password-1' },
    });
    try {
      await first
        .anonymous()
        .post('/api/auth/login')
        .send({ email: 'owner@mtink.example', password: 'owner-password-1' })
        .expect(200);
      await first.db.dataSource.query(`UPDATE users SET role = 'viewer' WHERE email = 'Owner@MTInk.example'`);
    } finally {
      await first.app.close();
    }
    const second = await createTestApp({
      db: first.db,
      env: { ADMIN_EMAIL: 'owner@mtink.example', ADMIN_PASSWORD: 'owner-password-2' },
    });
    try {
      const res = await second
        .anonymous()
        .post('/api/auth/login')
        .send({ email: 'owner@mtink.example', password: 'owner-password-2' })
        .expect(200);
      expect(res.body.user.role).toBe('admin');
      expect(
        await second.db.dataSource.query(
          `SELECT count(*)::int AS n FROM users WHERE lower(email) = 'owner@mtink.example'`,
        ),
      ).toEqual([{ n: 1 }]);
    } finally {
      await second.close();
      await first.db.drop();
    }
  });

  it('is created with a random password, logged once, on a first demo start without ADMIN_EMAIL', async () => {
    const db = await createTestDatabase();
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const service = new UsersService(
        new AuthRepository(db.dataSource),
        loadConfig({ DATABASE_URL: db.url, DEMO_DATA: 'true' }),
        new Revocations(),
      );
      await service.ensureFirstAdmin();
      await service.ensureFirstAdmin();
      expect(log).toHaveBeenCalledTimes(1);
      const password = /with password (\S+) /.exec(String(log.mock.calls[0]![0]))![1]!;
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
      const [user] = await db.dataSource.query(`SELECT email, role, password_hash FROM users`);
      expect(user).toMatchObject({ email: DEMO_ADMIN_EMAIL, role: 'admin' });
      expect(await bcrypt.compare(password, user.password_hash)).toBe(true);
    } finally {
      log.mockRestore();
      await db.drop();
    }
  });
});
