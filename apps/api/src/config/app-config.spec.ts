import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const ETSY_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ETSY_API = { ETSY_API_KEY: 'key', ETSY_SHOP_ID: '777', ETSY_ACCESS_TOKEN: 'token' };

describe('loadConfig', () => {
  it('gives the documented defaults of SPEC §8 for an empty environment', () => {
    const config = loadConfig({});
    expect({ ...config, shopifyWebhookSecrets: [...config.shopifyWebhookSecrets] }).toMatchObject({
      nodeEnv: 'development',
      port: 3003,
      databaseUrl: null,
      businessTimezone: 'Europe/Berlin',
      baseCurrency: 'USD',
      refundAttribution: 'refund_date',
      shopifyWebhookSecrets: [],
      woocommerceWebhookSecret: null,
      etsyWebhookKey: null,
      adminEmail: null,
      adminPassword: null,
      demoData: true,
      corsOrigins: [],
      smtpUrl: null,
      alertEmailTo: null,
      uploadMaxMb: 50,
      webhookStoreDeadlineMs: 1000,
      webhookMaxInFlight: 128,
      exportLimits: { perUser: 2, total: 4 },
      authCacheMs: 5000,
      dataDir: '.data',
      embeddedPort: 54329,
      allowTestClock: false,
      scheduledJobs: true,
    });
  });

  it('switches the scheduled jobs off with SCHEDULED_JOBS=off and refuses anything but on or off', () => {
    expect(loadConfig({ SCHEDULED_JOBS: 'off' }).scheduledJobs).toBe(false);
    expect(loadConfig({ SCHEDULED_JOBS: 'on' }).scheduledJobs).toBe(true);
    expect(() => loadConfig({ SCHEDULED_JOBS: 'false' })).toThrow(
      new ConfigError('SCHEDULED_JOBS', 'must be one of on, off, got "false"'),
    );
  });

  it('fetches the ECB rates by default, not with demo data, and never with FX_RATES_URL=off', () => {
    const ecb = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml';
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x' }).fxRatesUrl).toBe(ecb);
    expect(loadConfig({}).fxRatesUrl).toBeNull();
    expect(loadConfig({ FX_RATES_URL: 'OFF', DATABASE_URL: 'postgres://u:p@db:5432/x' }).fxRatesUrl).toBeNull();
    expect(loadConfig({ FX_RATES_URL: 'http://127.0.0.1:9/daily.xml' }).fxRatesUrl).toBe(
      'http://127.0.0.1:9/daily.xml',
    );
    expect(() => loadConfig({ FX_RATES_URL: 'ftp://ecb/daily.xml' })).toThrow(
      new ConfigError('FX_RATES_URL', 'must be an http(s) URL, got "ftp://ecb/daily.xml"'),
    );
  });

  it('reads the export limits, refusing more per user than in all', () => {
    expect(loadConfig({ EXPORTS_MAX: '6', EXPORTS_PER_USER: '3' }).exportLimits).toEqual({ perUser: 3, total: 6 });
    expect(() => loadConfig({ EXPORTS_MAX: '2', EXPORTS_PER_USER: '3' })).toThrow(
      new ConfigError('EXPORTS_PER_USER', 'must not be more than EXPORTS_MAX (2)'),
    );
  });

  it('reads LOG_FORMAT, pretty or json', () => {
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
  });

  it('turns demo data off by default when a database is given', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x' }).demoData).toBe(false);
  });

  it('reads the Etsy webhook key from its whsec_ secret', () => {
    expect(loadConfig({ ETSY_WEBHOOK_SECRET: ETSY_SECRET, ...ETSY_API }).etsyWebhookKey).toEqual(
      Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'),
    );
  });

  it('reads Shopify secrets for one shop and for several', () => {
    const config = loadConfig({
      SHOPIFY_WEBHOOK_SECRET: 'any',
      SHOPIFY_WEBHOOK_SECRETS: 'One.myshopify.com=s1, two.myshopify.com=s2',
    });
    expect([...config.shopifyWebhookSecrets]).toEqual([
      ['*', 'any'],
      ['one.myshopify.com', 's1'],
      ['two.myshopify.com', 's2'],
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'must be a whole number from 1 to 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT', 'must be a whole number from 1 to 65535, got "70000"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'must be a postgres:// connection string'],
    [
      { BUSINESS_TIMEZONE: 'Mars/Olympus' },
      'BUSINESS_TIMEZONE',
      'must be an IANA time zone such as Europe/Berlin, got "Mars/Olympus"',
    ],
    [{ BASE_CURRENCY: 'dollars' }, 'BASE_CURRENCY', 'must be a 3-letter ISO 4217 code such as USD, got "DOLLARS"'],
    [{ REFUND_ATTRIBUTION: 'later' }, 'REFUND_ATTRIBUTION', 'must be one of refund_date, order_date, got "later"'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA', 'must be true or false, got "maybe"'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT', 'must be one of pretty, json, got "xml"'],
    [{ UPLOAD_MAX_MB: '0' }, 'UPLOAD_MAX_MB', 'must be a whole number from 1 to 2048, got "0"'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS', 'must list origins; "*" is not allowed with credentials'],
    [
      { CORS_ORIGINS: 'not a url' },
      'CORS_ORIGINS',
      'has "not a url", which is not an origin like https://dash.example.com',
    ],
    [
      { ADMIN_EMAIL: 'owner@example.com' },
      'ADMIN_PASSWORD',
      'must be set together with the other of ADMIN_EMAIL/ADMIN_PASSWORD',
    ],
    [{ ADMIN_EMAIL: 'owner', ADMIN_PASSWORD: 'long enough' }, 'ADMIN_EMAIL', 'is not an e-mail address'],
    [{ ADMIN_EMAIL: 'o@example.com', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD', 'must have at least 8 characters'],
    [
      { SHOPIFY_WEBHOOK_SECRETS: 'shop-without-secret' },
      'SHOPIFY_WEBHOOK_SECRETS',
      'must be domain=secret pairs separated by commas',
    ],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL', 'must start with smtp:// or smtps://'],
    [
      { ETSY_WEBHOOK_SECRET: 'whsec_short', ...ETSY_API },
      'ETSY_WEBHOOK_SECRET',
      'must be whsec_ followed by the base64 key Etsy shows',
    ],
    [
      { ETSY_WEBHOOK_SECRET: ETSY_SECRET },
      'ETSY_WEBHOOK_SECRET',
      'needs ETSY_API_KEY, ETSY_SHOP_ID and ETSY_ACCESS_TOKEN to fetch the receipts its events name',
    ],
    [
      { NODE_ENV: 'production', ALLOW_TEST_CLOCK: 'true' },
      'ALLOW_TEST_CLOCK',
      'must not be set when NODE_ENV=production',
    ],
  ])('rejects %j naming %s', (env, variable, problem) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
    expect((thrown as ConfigError).message).toBe(`Invalid configuration: ${variable} ${problem}`);
  });

  it('stops the start with one line naming the variable and exit code 78', () => {
    const root = join(__dirname, '../../../..');
    const result = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      { cwd: root, env: { ...process.env, PORT: 'eighty', DATABASE_URL: '' }, encoding: 'utf8', timeout: 300_000 },
    );
    expect(result.stderr).toBe('Invalid configuration: PORT must be a whole number from 1 to 65535, got "eighty"\n');
    expect(result.status).toBe(78);
  }, 300_000);
});

describe('loadConfig: sign-in (TRUST_PROXY, PUBLIC_URL, OIDC_*)', () => {
  it('trusts X-Forwarded-* from loopback only by default, and has no single sign-on', () => {
    expect(loadConfig({}).signIn).toEqual({ trustProxy: ['loopback'], publicUrl: null, oidc: null });
  });

  it.each([
    ['false', false],
    ['2', 2],
    ['10.9.9.9', ['10.9.9.9']],
    ['loopback, 10.0.0.0/8, fd00::/8, uniquelocal', ['loopback', '10.0.0.0/8', 'fd00::/8', 'uniquelocal']],
    ['linklocal,::1', ['linklocal', '::1']],
  ])('reads TRUST_PROXY=%s as Express takes it', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).signIn.trustProxy).toEqual(expected);
  });

  it('reads the OpenID Connect client, its button name and whether unknown e-mails become viewers', () => {
    const { signIn } = loadConfig({
      OIDC_ISSUER: 'https://login.example.com/realms/mtink/',
      OIDC_CLIENT_ID: 'dashboard',
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_NAME: 'Example SSO',
      OIDC_ALLOW_SIGNUP: 'true',
      PUBLIC_URL: 'https://dash.example.com/',
    });
    expect(signIn.oidc).toEqual({
      issuer: 'https://login.example.com/realms/mtink',
      clientId: 'dashboard',
      clientSecret: 's3cret',
      name: 'Example SSO',
      allowSignup: true,
    });
    expect(signIn.publicUrl).toBe('https://dash.example.com');
    expect(
      loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:8080', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' }).signIn.oidc,
    ).toMatchObject({ name: 'single sign-on', allowSignup: false });
  });

  it.each([
    [
      { TRUST_PROXY: 'true' },
      'TRUST_PROXY',
      'must name the proxies (or give a hop count): "true" lets any client pick its address',
    ],
    [
      { TRUST_PROXY: 'loopback, 10.0.0.0/33' },
      'TRUST_PROXY',
      'has "10.0.0.0/33", which is not an address, a CIDR range, loopback, linklocal, uniquelocal, a hop count or false',
    ],
    [
      { TRUST_PROXY: 'proxy.internal' },
      'TRUST_PROXY',
      'has "proxy.internal", which is not an address, a CIDR range, loopback, linklocal, uniquelocal, a hop count or false',
    ],
    [{ TRUST_PROXY: '101' }, 'TRUST_PROXY', 'must be a whole number from 0 to 100, got "101"'],
    [{ PUBLIC_URL: 'dash.example.com' }, 'PUBLIC_URL', 'must be an http(s) URL, got "dash.example.com"'],
    [
      { OIDC_ISSUER: 'https://login.example.com' },
      'OIDC_CLIENT_ID',
      'must be set together with OIDC_ISSUER, OIDC_CLIENT_SECRET',
    ],
    [
      { OIDC_ISSUER: 'http://login.example.com', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' },
      'OIDC_ISSUER',
      'must be an https URL (http only on localhost), got "http://login.example.com"',
    ],
    [
      {
        OIDC_ISSUER: 'https://login.example.com',
        OIDC_CLIENT_ID: 'a',
        OIDC_CLIENT_SECRET: 'b',
        OIDC_ALLOW_SIGNUP: 'x',
      },
      'OIDC_ALLOW_SIGNUP',
      'must be true or false, got "x"',
    ],
  ])('rejects %j naming %s', (env, variable, problem) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(variable, problem));
  });
});

describe('loadConfig: backups', () => {
  it('backs up the embedded database daily at 03:00 into DATA_DIR/backups, keeping 14', () => {
    expect(loadConfig({}).backup).toEqual({ dir: '.data/backups', keep: 14, schedule: '0 3 * * *' });
    expect(loadConfig({ DATA_DIR: '/srv/mtink' }).backup.dir).toBe('/srv/mtink/backups');
  });

  it('has no scheduled backups with DATABASE_URL unless BACKUP_DIR is set, and none with BACKUP_DIR=off', () => {
    const url = 'postgres://u:p@db:5432/mtink';
    expect(loadConfig({ DATABASE_URL: url }).backup.dir).toBeNull();
    expect(loadConfig({ DATABASE_URL: url, BACKUP_DIR: '/backups', BACKUP_KEEP: '30' }).backup).toEqual({
      dir: '/backups',
      keep: 30,
      schedule: '0 3 * * *',
    });
    expect(loadConfig({ BACKUP_DIR: 'off' }).backup.dir).toBeNull();
    expect(loadConfig({ BACKUP_SCHEDULE: '30 2 * * 0' }).backup.schedule).toBe('30 2 * * 0');
  });

  it.each([
    ['BACKUP_KEEP', '0', 'must be a whole number from 1 to 10000, got "0"'],
    [
      'BACKUP_SCHEDULE',
      '0 3 * *',
      'must be a cron expression such as "0 3 * * *" (daily at 03:00), got "0 3 * *": it needs five fields',
    ],
    [
      'BACKUP_SCHEDULE',
      '0 25 * * *',
      'must be a cron expression such as "0 3 * * *" (daily at 03:00), got "0 25 * * *": Field value (25) is out of range',
    ],
  ])('refuses %s=%s', (variable, value, problem) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(`Invalid configuration: ${variable} ${problem}`);
  });
});

describe('loadConfig: Web Push (VAPID_*)', () => {
  // A throwaway pair as `npx web-push generate-vapid-keys` prints it (never used for anything real).
  const PUBLIC = 'BJvwv-07qXBXTrp5pRPuaaDGsa1rGjWoS4rAmfiZjHUUvAId5Snucnd6VYxIRZGnuwEu8MWb-FkdOGyc5aKPYyQ';
  const PRIVATE = 'FXGf6CfssJ8Qdu470AiIdH0HmpS1qId2MO-vNFeAm3s';

  it('takes the keys from the environment, else keeps generated ones beside the embedded database, else is off', () => {
    expect(loadConfig({ VAPID_PUBLIC_KEY: PUBLIC, VAPID_PRIVATE_KEY: PRIVATE }).push.vapid).toEqual({
      source: 'env',
      keys: { publicKey: PUBLIC, privateKey: PRIVATE },
    });
    expect(loadConfig({ DATA_DIR: '/srv/mtink' }).push.vapid).toEqual({
      source: 'file',
      path: '/srv/mtink/vapid-keys.json',
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/mtink' }).push.vapid).toEqual({ source: 'off' });
  });

  it('names the sender by VAPID_SUBJECT, else PUBLIC_URL, else the first admin', () => {
    expect(loadConfig({ VAPID_SUBJECT: 'mailto:ops@mtink.example' }).push.subject).toBe('mailto:ops@mtink.example');
    expect(loadConfig({ PUBLIC_URL: 'https://dash.mtink.example' }).push.subject).toBe('https://dash.mtink.example');
    expect(loadConfig({ ADMIN_EMAIL: 'owner@mtink.example', ADMIN_PASSWORD: 'long-enough' }).push.subject).toBe(
      'mailto:owner@mtink.example',
    );
  });

  it.each([
    ['VAPID_PUBLIC_KEY', { VAPID_PUBLIC_KEY: PUBLIC }, 'VAPID_PRIVATE_KEY must be set together with the other'],
    [
      'VAPID_PUBLIC_KEY',
      { VAPID_PUBLIC_KEY: PRIVATE, VAPID_PRIVATE_KEY: PRIVATE },
      'VAPID_PUBLIC_KEY must be the base64url public key',
    ],
    [
      'VAPID_PRIVATE_KEY',
      { VAPID_PUBLIC_KEY: PUBLIC, VAPID_PRIVATE_KEY: 'short' },
      'VAPID_PRIVATE_KEY must be the base64url private key',
    ],
    [
      'VAPID_SUBJECT',
      { VAPID_SUBJECT: 'http://dash.example' },
      'VAPID_SUBJECT must be a mailto: address or an https: URL',
    ],
  ])('refuses a wrong %s', (_variable, env, problem) => {
    expect(() => loadConfig(env)).toThrow(`Invalid configuration: ${problem}`);
  });
});
