import { createTestApp, TestApp } from '../../apps/api/test/test-app';

describe('HTTP hardening', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { CORS_ORIGINS: 'https://dash.example.com' } });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('sends helmet security headers with a CSP that allows our scripts and inline styles only', async () => {
    const res = await testApp.anonymous().get('/api/health').expect(200);
    expect(res.headers['content-security-policy'].split(';').sort()).toEqual([
      "base-uri 'self'",
      "connect-src 'self'",
      "default-src 'self'",
      "font-src 'self' data:",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "img-src 'self' data: blob:",
      "object-src 'none'",
      "script-src 'self'",
      "script-src-attr 'none'",
      "style-src 'self' 'unsafe-inline'",
    ]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows credentialed CORS for the listed origin only, never "*"', async () => {
    const listed = await testApp
      .anonymous()
      .options('/api/auth/me')
      .set('Origin', 'https://dash.example.com')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    expect(listed.headers['access-control-allow-origin']).toBe('https://dash.example.com');
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    const other = await testApp
      .anonymous()
      .options('/api/auth/me')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await testApp.as('viewer').get('/api/auth/me').set('Origin', 'https://evil.example').expect(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a cookie session from the listed origin change state (the CSRF check accepts the allow-list)', async () => {
    const login = await testApp
      .anonymous()
      .post('/api/auth/login')
      .set('Origin', 'https://dash.example.com')
      .send({ email: testApp.users.viewer.email, password: testApp.users.viewer.password })
      .expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    await testApp
      .anonymous()
      .post('/api/auth/logout')
      .set('Cookie', cookie)
      .set('Origin', 'https://dash.example.com')
      .expect(204);
  });

  it('answers 413 to a JSON body over 2 MB, without a stack trace', async () => {
    const res = await testApp
      .anonymous()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"email":"${'a'.repeat(2.5 * 1024 * 1024)}"}`);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ statusCode: 413, message: 'request entity too large' });
  });

  it('answers 400 to malformed JSON, without a stack trace', async () => {
    const res = await testApp
      .anonymous()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|node_modules/);
  });
});

describe('unexpected errors', () => {
  it('answer 500 with a fixed message: no SQL, no stack trace', async () => {
    const testApp = await createTestApp();
    try {
      await testApp.db.dataSource.query(`ALTER TABLE api_tokens RENAME TO api_tokens_gone`);
      const res = await testApp.as('viewer').get('/api/auth/me');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    } finally {
      await testApp.close();
    }
  });
});
