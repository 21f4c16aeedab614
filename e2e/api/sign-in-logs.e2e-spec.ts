import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { totpCode } from '../../apps/api/src/auth/totp';
import { freePort } from '../../apps/api/test/global-setup';
import { OIDC_CLIENT_SECRET, OidcTestProvider, startOidcTestProvider } from '../../apps/api/test/oidc-test-provider';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

const ROOT = join(__dirname, '..', '..');
const NOW = new Date('2026-12-01T10:00:00Z');
const LATER = new Date(NOW.getTime() + 30_000);

interface LogLine {
  level: string;
  msg: string;
  req?: { url: string; remoteAddress?: string };
}

/**
 * The real entry point (apps/api/src/main.ts) in a child process, logging everything (trace), through
 * enrolment, both second steps and an OpenID Connect sign-in: no TOTP seed, recovery code, session,
 * authorization code, state or client secret reaches a log line, and requests are logged with the
 * client address Express resolved under TRUST_PROXY.
 */
describe('sign-in logs', () => {
  let setup: TestApp;
  let provider: OidcTestProvider;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    setup = await createTestApp();
    provider = await startOidcTestProvider({
      viewer: { email: setup.users.viewer.email, email_verified: true },
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await provider?.close();
    await setup?.close();
  });

  it('hold no secret of a sign-in, and name the client Express resolved', async () => {
    const port = await freePort();
    child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          ALLOW_TEST_CLOCK: 'true',
          DATABASE_URL: setup.db.url,
          PORT: String(port),
          DEMO_DATA: 'false',
          LOG_LEVEL: 'trace',
          ...provider.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const listening = new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('MT Ink Dashboard on')) resolve();
      });
      child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      void exited.then((code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
    await listening;
    const api = request(`http://127.0.0.1:${port}`);
    const { email, password } = setup.users.viewer;
    const cookieOf = (res: request.Response, name: string) =>
      (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${name}=`))!.split(';')[0]!;

    const first = await api
      .post('/api/auth/login')
      .set('X-Forwarded-For', '198.51.100.77')
      .send({ email, password })
      .expect(200);
    const session = cookieOf(first, 'mtink_session');
    const setupAnswer = await api.post('/api/auth/2fa/setup').set('Cookie', session).expect(200);
    const secret = setupAnswer.body.secret as string;
    const confirmed = await api
      .post(`/api/auth/2fa/confirm?now=${NOW.toISOString()}`)
      .set('Cookie', session)
      .send({ code: await totpCode(secret, NOW) })
      .expect(200);
    const recoveryCodes = confirmed.body.recoveryCodes as string[];

    const pending = cookieOf(await api.post('/api/auth/login').send({ email, password }).expect(200), 'mtink_pending');
    await api
      .post('/api/auth/login/2fa')
      .set('Cookie', pending)
      .send({ recoveryCode: 'fffff-fffff-fffff-fffff' })
      .expect(401);
    const second = await api
      .post('/api/auth/login/2fa')
      .set('Cookie', pending)
      .send({ recoveryCode: recoveryCodes[0] })
      .expect(200);

    const started = await api.get('/api/auth/oidc/login').expect(302);
    const stateCookie = cookieOf(started, 'mtink_oidc');
    const answer = await provider.authorize(started.headers.location!, 'viewer');
    const back = await api.get(answer.callbackPath).set('Cookie', stateCookie).expect(302);
    expect(back.headers.location).toBe('/login?twoFactor=code');
    await api.get(answer.callbackPath).set('Cookie', stateCookie).expect(302); // replayed: refused, logged
    const third = await api
      .post(`/api/auth/login/2fa?now=${LATER.toISOString()}`)
      .set('Cookie', cookieOf(back, 'mtink_pending'))
      .send({ code: await totpCode(secret, LATER) })
      .expect(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const secrets = {
      'TOTP secret': secret,
      'client secret': OIDC_CLIENT_SECRET,
      'authorization code': answer.code,
      state: answer.state,
      password,
      ...Object.fromEntries(recoveryCodes.map((code, i) => [`recovery code ${i}`, code])),
      ...Object.fromEntries(
        [session, pending, cookieOf(second, 'mtink_session'), cookieOf(third, 'mtink_session')].map((cookie, i) => [
          `cookie ${i}`,
          cookie.split('=')[1]!,
        ]),
      ),
    };
    const leaked = Object.entries(secrets)
      .filter(([, value]) => output.includes(value))
      .map(([name]) => name);
    expect(leaked).toEqual([]);

    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
    const requests = lines.filter((line) => line.msg === 'request completed');
    expect(requests.find((line) => line.req?.url === '/api/auth/login')?.req?.remoteAddress).toBe('198.51.100.77');
    const callbacks = requests.filter((line) => line.req?.url.startsWith('/api/auth/oidc/callback'));
    expect(callbacks).toHaveLength(2);
    for (const line of callbacks) {
      expect(line.req!.url).toMatch(/^\/api\/auth\/oidc\/callback\?code=\[redacted\]&state=\[redacted\]&iss=/);
    }
    expect(lines.map((line) => line.msg)).toContain(
      'single sign-on refused (state): the sign-in was used already or has expired',
    );
  }, 180_000);
});
