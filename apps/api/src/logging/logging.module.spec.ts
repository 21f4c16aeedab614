import { withoutSecrets } from './logging.module';

describe('withoutSecrets', () => {
  it.each([
    [
      '/api/auth/oidc/callback?code=abc&state=xyz&iss=http%3A%2F%2Fidp',
      '/api/auth/oidc/callback?code=[redacted]&state=[redacted]&iss=http%3A%2F%2Fidp',
    ],
    [
      '/api/x?id_token=e.y.j&access_token=t&session_state=s',
      '/api/x?id_token=[redacted]&access_token=[redacted]&session_state=[redacted]',
    ],
    ['/api/export/orders?from=2026-11-01&to=2026-11-30', '/api/export/orders?from=2026-11-01&to=2026-11-30'],
    ['/api/health', '/api/health'],
    ['/api/x?%63ode=abc', '/api/x?%63ode=[redacted]'],
  ])('logs %s as %s', (url, logged) => {
    expect(withoutSecrets(url)).toBe(logged);
  });
});
