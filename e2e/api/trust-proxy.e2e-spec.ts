import { createTestApp, TestApp } from '../../apps/api/test/test-app';

function login(testApp: TestApp, email: string, password: string, headers: Record<string, string> = {}) {
  return testApp.anonymous().post('/api/auth/login').set(headers).send({ email, password });
}

/**
 * Issue 18, item 1: X-Forwarded-* is believed only from TRUST_PROXY. The test client connects from
 * 127.0.0.1, which the default (`loopback`) trusts; a TRUST_PROXY without it makes the client an
 * ordinary one, as a machine on the office network is.
 */
describe('X-Forwarded-* from a client that is not a trusted proxy (TRUST_PROXY=10.9.9.9)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { TRUST_PROXY: '10.9.9.9' } });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('cannot escape the login limit by rotating X-Forwarded-For: after the lock-out every guess is 429', async () => {
    const { email, password } = testApp.users.admin;
    for (let i = 0; i < 5; i++) await login(testApp, email, `wrong-${i}`).expect(401);
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await login(testApp, email, `guess-${i}`, { 'X-Forwarded-For': `192.168.1.${10 + i}` });
      answers.push(res.status);
    }
    expect(answers).toEqual(Array(12).fill(429));
    await login(testApp, email, password, { 'X-Forwarded-For': '192.168.1.99' }).expect(429);
  });

  it('does not get a Secure cookie by claiming X-Forwarded-Proto: https', async () => {
    const { email, password } = testApp.users.viewer;
    const res = await login(testApp, email, password, { 'X-Forwarded-Proto': 'https' }).expect(200);
    const attributes = (res.headers['set-cookie'] as unknown as string[])[0]!
      .split(';')
      .map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax']));
    expect(attributes).not.toContain('secure');
  });
});

describe('X-Forwarded-* from a trusted proxy (TRUST_PROXY default: loopback)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('is believed: the limit counts the address the proxy names, so one locked-out client leaves the others alone', async () => {
    const { email, password } = testApp.users.admin;
    for (let i = 0; i < 5; i++)
      await login(testApp, email, `wrong-${i}`, { 'X-Forwarded-For': '203.0.113.60' }).expect(401);
    await login(testApp, email, password, { 'X-Forwarded-For': '203.0.113.60' }).expect(429);
    // Express takes the right-most untrusted address: a client-supplied entry before it changes nothing.
    await login(testApp, email, password, { 'X-Forwarded-For': '198.51.100.9, 203.0.113.60' }).expect(429);
    await login(testApp, email, password, { 'X-Forwarded-For': '203.0.113.61' }).expect(200);
    await login(testApp, email, password).expect(200);
  });

  it('sets the Secure cookie when the proxy says the browser used HTTPS', async () => {
    const { email, password } = testApp.users.viewer;
    const res = await login(testApp, email, password, {
      'X-Forwarded-For': '203.0.113.62',
      'X-Forwarded-Proto': 'https',
    }).expect(200);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/; Secure/);
  });
});

describe('TRUST_PROXY=false', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { TRUST_PROXY: 'false' } });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('believes no X-Forwarded-For, not even from loopback', async () => {
    const { email, password } = testApp.users.admin;
    for (let i = 0; i < 5; i++)
      await login(testApp, email, `wrong-${i}`, { 'X-Forwarded-For': `203.0.113.${70 + i}` }).expect(401);
    await login(testApp, email, password, { 'X-Forwarded-For': '203.0.113.80' }).expect(429);
  });
});
