import { isIP } from 'node:net';
import { validateCronExpression } from 'cron';
import { standardWebhookKey } from '../orders/webhooks/webhook-signature';

/**
 * The whole configuration, read once from the environment at start and validated (SPEC §8). Anything
 * wrong stops the start with one line naming the variable: see `ConfigError`.
 */
export class AppConfig {
  readonly nodeEnv!: 'production' | 'development' | 'test';
  readonly port!: number;
  /** Unset: the embedded PostgreSQL under ./.data is used. */
  readonly databaseUrl!: string | null;
  readonly businessTimezone!: string;
  readonly baseCurrency!: string;
  readonly refundAttribution!: 'refund_date' | 'order_date';
  /** Shop domain → secret; the key `*` holds SHOPIFY_WEBHOOK_SECRET, used for any shop. */
  readonly shopifyWebhookSecrets!: ReadonlyMap<string, string>;
  readonly woocommerceWebhookSecret!: string | null;
  /** Key of Etsy's Standard Webhooks signatures (ETSY_WEBHOOK_SECRET `whsec_…`, decoded); null: Etsy webhooks off. */
  readonly etsyWebhookKey!: Buffer | null;
  readonly adminEmail!: string | null;
  readonly adminPassword!: string | null;
  readonly demoData!: boolean;
  readonly corsOrigins!: readonly string[];
  readonly smtpUrl!: string | null;
  readonly alertEmailTo!: string | null;
  readonly uploadMaxMb!: number;
  /**
   * A webhook not stored within this many ms is answered 503, so that the platform retries, instead of
   * waiting for a busy database past the platform's own timeout (Shopify's is 5 s).
   */
  readonly webhookStoreDeadlineMs!: number;
  /** Webhook requests handled at once; more are refused with 503 before any work (see WebhookAdmission). */
  readonly webhookMaxInFlight!: number;
  /** How long a caller's principal is kept in process (0: read every time); changes forget it at once. */
  readonly authCacheMs!: number;
  /** Exports running at once, per user and on this instance; more are refused with 429. */
  readonly exportLimits!: { perUser: number; total: number };
  readonly dataDir!: string;
  readonly embeddedPort!: number;
  /** Lets tests pin "now" with a `now` query parameter; never set in production. */
  readonly allowTestClock!: boolean;
  /** Pino level of the JSON logs; `silent` by default under NODE_ENV=test. */
  readonly logLevel!: LogLevel;
  /** `pretty` (one readable line per entry) in a terminal, JSON lines otherwise: what log shippers read. */
  readonly logFormat!: LogFormat;
  /** Order pollers; each is null (disabled) unless all its credentials are set. */
  readonly pollers!: PollerSettings;
  /**
   * SCHEDULED_JOBS=off: no job runs by itself (alerts, pruning, rollups, projection, pollers). Tests set
   * it and drive the work themselves, with a pinned clock.
   */
  readonly scheduledJobs!: boolean;
  /** The ECB's daily reference rates file (FX_RATES_URL); null when the fetch is off. */
  readonly fxRatesUrl!: string | null;
  /** Sign-in: whose X-Forwarded-* is believed, and the optional OpenID Connect provider (SPEC §7). */
  readonly signIn!: SignInSettings;
  /** Database dumps (SPEC §7): `dir` null means no scheduled backups. */
  readonly backup!: BackupSettings;
  /** Web Push (SPEC §6, §8 VAPID_*): where the VAPID keys come from, and who is named as the sender. */
  readonly push!: PushSettings;

  constructor(values: Omit<AppConfig, never>) {
    Object.assign(this, values);
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): AppConfig {
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', `must be a postgres:// connection string`);
  }
  const nodeEnv = oneOf(env, 'NODE_ENV', ['production', 'development', 'test'] as const, 'development');
  const allowTestClock = bool(env, 'ALLOW_TEST_CLOCK', false);
  if (allowTestClock && nodeEnv === 'production') {
    throw new ConfigError('ALLOW_TEST_CLOCK', 'must not be set when NODE_ENV=production');
  }
  const adminEmail = optional(env, 'ADMIN_EMAIL');
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', `is not an e-mail address`);
  }
  const adminPassword = optional(env, 'ADMIN_PASSWORD');
  if (adminPassword && adminPassword.length < 8) {
    throw new ConfigError('ADMIN_PASSWORD', 'must have at least 8 characters');
  }
  if (!!adminEmail !== !!adminPassword) {
    throw new ConfigError(
      adminEmail ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL',
      'must be set together with the other of ADMIN_EMAIL/ADMIN_PASSWORD',
    );
  }
  const smtpUrl = optional(env, 'SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://');
  const demoData = bool(env, 'DEMO_DATA', !databaseUrl);
  const pollers = pollerSettings(env);
  return new AppConfig({
    nodeEnv,
    port: integer(env, 'PORT', 3003, 1, 65535),
    databaseUrl,
    businessTimezone: timeZone(env, 'BUSINESS_TIMEZONE', 'Europe/Berlin'),
    baseCurrency: currency(env, 'BASE_CURRENCY', 'USD'),
    refundAttribution: oneOf(env, 'REFUND_ATTRIBUTION', ['refund_date', 'order_date'] as const, 'refund_date'),
    shopifyWebhookSecrets: shopifySecrets(env),
    woocommerceWebhookSecret: optional(env, 'WOOCOMMERCE_WEBHOOK_SECRET'),
    etsyWebhookKey: etsyWebhookKey(env, pollers),
    adminEmail,
    adminPassword,
    demoData,
    corsOrigins: origins(env),
    smtpUrl,
    alertEmailTo: optional(env, 'ALERT_EMAIL_TO'),
    uploadMaxMb: integer(env, 'UPLOAD_MAX_MB', 50, 1, 2048),
    webhookStoreDeadlineMs: integer(env, 'WEBHOOK_STORE_DEADLINE_MS', 1000, 100, 60_000),
    webhookMaxInFlight: integer(env, 'WEBHOOK_MAX_IN_FLIGHT', 128, 1, 10_000),
    exportLimits: exportLimits(env),
    authCacheMs: integer(env, 'AUTH_CACHE_MS', 5000, 0, 600_000),
    dataDir: optional(env, 'DATA_DIR') ?? '.data',
    embeddedPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    allowTestClock,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', LOG_FORMATS, process.stdout.isTTY ? 'pretty' : 'json'),
    pollers,
    scheduledJobs: oneOf(env, 'SCHEDULED_JOBS', ['on', 'off'] as const, 'on') === 'on',
    fxRatesUrl: fxRatesUrl(env, demoData),
    signIn: signInSettings(env),
    backup: backupSettings(env, databaseUrl),
    push: pushSettings(env, databaseUrl, adminEmail),
  });
}

function exportLimits(env: Env): AppConfig['exportLimits'] {
  const total = integer(env, 'EXPORTS_MAX', 4, 1, 50);
  const perUser = integer(env, 'EXPORTS_PER_USER', 2, 1, 50);
  if (perUser > total) throw new ConfigError('EXPORTS_PER_USER', `must not be more than EXPORTS_MAX (${total})`);
  return { perUser, total };
}

function optional(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name)?.toLowerCase();
  if (raw === undefined || raw === null) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === null) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function timeZone(env: Env, name: string, fallback: string): string {
  const raw = optional(env, name) ?? fallback;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Europe/Berlin, got "${raw}"`);
  }
  // PostgreSQL must know the zone too, since day buckets are computed there; both use the IANA database.
  return raw;
}

function currency(env: Env, name: string, fallback: string): string {
  const raw = (optional(env, name) ?? fallback).toUpperCase();
  if (!/^[A-Z]{3}$/.test(raw))
    throw new ConfigError(name, `must be a 3-letter ISO 4217 code such as USD, got "${raw}"`);
  return raw;
}

function shopifySecrets(env: Env): Map<string, string> {
  const secrets = new Map<string, string>();
  const single = optional(env, 'SHOPIFY_WEBHOOK_SECRET');
  if (single) secrets.set('*', single);
  const several = optional(env, 'SHOPIFY_WEBHOOK_SECRETS');
  for (const pair of several ? several.split(',') : []) {
    const [domain, secret] = pair.split('=').map((part) => part?.trim());
    if (!domain || !secret) {
      throw new ConfigError('SHOPIFY_WEBHOOK_SECRETS', `must be domain=secret pairs separated by commas`);
    }
    secrets.set(domain.toLowerCase(), secret);
  }
  return secrets;
}

function origins(env: Env): string[] {
  const raw = optional(env, 'CORS_ORIGINS');
  if (!raw) return [];
  return raw.split(',').map((origin) => {
    const trimmed = origin.trim();
    if (trimmed === '*')
      throw new ConfigError('CORS_ORIGINS', 'must list origins; "*" is not allowed with credentials');
    try {
      return new URL(trimmed).origin;
    } catch {
      throw new ConfigError('CORS_ORIGINS', `has "${trimmed}", which is not an origin like https://dash.example.com`);
    }
  });
}

export interface PollerSettings {
  intervalMinutes: number;
  etsy: { apiUrl: string; apiKey: string; shopId: string; accessToken: string } | null;
  woocommerce: { url: string; consumerKey: string; consumerSecret: string } | null;
  amazon: {
    apiUrl: string;
    tokenUrl: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    marketplaceIds: string[];
  } | null;
  ebay: { apiUrl: string; tokenUrl: string; clientId: string; clientSecret: string; refreshToken: string } | null;
}

/** Each poller is on when its credentials are all set, and refuses to start with only some of them. */
function pollerSettings(env: Env): PollerSettings {
  const group = <K extends string>(names: Record<K, string>): Record<K, string> | null => {
    const values = Object.fromEntries(
      Object.entries<string>(names).map(([key, name]) => [key, optional(env, name)]),
    ) as Record<K, string | null>;
    const set = Object.values(values).filter((v) => v !== null).length;
    if (set === 0) return null;
    const missing = (Object.keys(names) as K[]).find((key) => values[key] === null);
    if (missing)
      throw new ConfigError(
        names[missing],
        `must be set together with ${Object.values<string>(names)
          .filter((n) => n !== names[missing])
          .join(', ')}`,
      );
    return values as Record<K, string>;
  };
  const etsy = group({ apiKey: 'ETSY_API_KEY', shopId: 'ETSY_SHOP_ID', accessToken: 'ETSY_ACCESS_TOKEN' });
  const woo = group({
    url: 'WOOCOMMERCE_URL',
    consumerKey: 'WOOCOMMERCE_CONSUMER_KEY',
    consumerSecret: 'WOOCOMMERCE_CONSUMER_SECRET',
  });
  const amazon = group({
    clientId: 'AMAZON_LWA_CLIENT_ID',
    clientSecret: 'AMAZON_LWA_CLIENT_SECRET',
    refreshToken: 'AMAZON_REFRESH_TOKEN',
    marketplaceIds: 'AMAZON_MARKETPLACE_IDS',
  });
  const ebay = group({
    clientId: 'EBAY_CLIENT_ID',
    clientSecret: 'EBAY_CLIENT_SECRET',
    refreshToken: 'EBAY_REFRESH_TOKEN',
  });
  return {
    intervalMinutes: integer(env, 'POLL_INTERVAL_MINUTES', 15, 1, 1440),
    etsy: etsy && { ...etsy, apiUrl: httpUrl(env, 'ETSY_API_URL', 'https://openapi.etsy.com') },
    woocommerce: woo && { ...woo, url: httpUrl(env, 'WOOCOMMERCE_URL', woo.url) },
    amazon: amazon && {
      ...amazon,
      marketplaceIds: amazon.marketplaceIds
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
      apiUrl: httpUrl(env, 'AMAZON_SP_API_URL', 'https://sellingpartnerapi-na.amazon.com'),
      tokenUrl: httpUrl(env, 'AMAZON_LWA_TOKEN_URL', 'https://api.amazon.com/auth/o2/token'),
    },
    ebay: ebay && {
      ...ebay,
      apiUrl: httpUrl(env, 'EBAY_API_URL', 'https://api.ebay.com'),
      tokenUrl: httpUrl(env, 'EBAY_TOKEN_URL', 'https://api.ebay.com/identity/v1/oauth2/token'),
    },
  };
}

/**
 * Etsy webhooks name a receipt and carry no order (FORMATS.md §3.2), so they need the Etsy API
 * credentials to fetch it; the secret is the `whsec_` + base64 key shown when the webhook is created.
 */
function etsyWebhookKey(env: Env, pollers: PollerSettings): Buffer | null {
  const secret = optional(env, 'ETSY_WEBHOOK_SECRET');
  if (secret === null) return null;
  const key = standardWebhookKey(secret);
  if (!key) throw new ConfigError('ETSY_WEBHOOK_SECRET', 'must be whsec_ followed by the base64 key Etsy shows');
  if (!pollers.etsy)
    throw new ConfigError(
      'ETSY_WEBHOOK_SECRET',
      'needs ETSY_API_KEY, ETSY_SHOP_ID and ETSY_ACCESS_TOKEN to fetch the receipts its events name',
    );
  return key;
}

export const ECB_DAILY_URL = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml';

/**
 * On by default, except with demo data: the demo ships its own rates, and a fetched rate would move
 * its figures (and a demo should not need the internet). `off` imports rates only from files and the API.
 */
function fxRatesUrl(env: Env, demoData: boolean): string | null {
  const raw = optional(env, 'FX_RATES_URL');
  if (raw?.toLowerCase() === 'off') return null;
  if (raw === null && demoData) return null;
  return httpUrl(env, 'FX_RATES_URL', ECB_DAILY_URL);
}

function httpUrl(env: Env, name: string, fallback: string): string {
  const raw = optional(env, name) ?? fallback;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return raw.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
}

// ── Sign-in: proxy trust and single sign-on ────────────────────────────────────────────────────

/**
 * Express's `trust proxy` value: `false` (believe no X-Forwarded-*), a hop count, or the addresses,
 * CIDR ranges and names (`loopback`, `linklocal`, `uniquelocal`) of the proxies in front.
 */
export type TrustProxy = false | number | readonly string[];

export interface SignInSettings {
  trustProxy: TrustProxy;
  /** Where browsers reach the dashboard (e.g. https://dash.example.com); null: taken from each request. */
  publicUrl: string | null;
  oidc: OidcSettings | null;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the sign-in button calls the provider. */
  name: string;
  /** A verified e-mail without an account becomes a new viewer; otherwise it is refused. */
  allowSignup: boolean;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function signInSettings(env: Env): SignInSettings {
  const oidc = oidcSettings(env);
  return { trustProxy: trustProxy(env), publicUrl: publicUrl(env), oidc };
}

function trustProxy(env: Env): TrustProxy {
  const raw = optional(env, 'TRUST_PROXY') ?? 'loopback';
  if (raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true')
    throw new ConfigError(
      'TRUST_PROXY',
      'must name the proxies (or give a hop count): "true" lets any client pick its address',
    );
  if (/^\d+$/.test(raw)) return integer(env, 'TRUST_PROXY', 0, 0, 100);
  return raw.split(',').map((entry) => {
    const value = entry.trim();
    if (PROXY_NAMES.includes(value) || isAddressOrRange(value)) return value;
    throw new ConfigError(
      'TRUST_PROXY',
      `has "${value}", which is not an address, a CIDR range, ${PROXY_NAMES.join(', ')}, a hop count or false`,
    );
  });
}

function isAddressOrRange(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function publicUrl(env: Env): string | null {
  return optional(env, 'PUBLIC_URL') === null ? null : new URL(httpUrl(env, 'PUBLIC_URL', '')).origin;
}

function oidcSettings(env: Env): OidcSettings | null {
  const names = { issuer: 'OIDC_ISSUER', clientId: 'OIDC_CLIENT_ID', clientSecret: 'OIDC_CLIENT_SECRET' } as const;
  const values = {
    issuer: optional(env, names.issuer),
    clientId: optional(env, names.clientId),
    clientSecret: optional(env, names.clientSecret),
  };
  if (!values.issuer && !values.clientId && !values.clientSecret) return null;
  for (const key of ['issuer', 'clientId', 'clientSecret'] as const) {
    if (!values[key])
      throw new ConfigError(
        names[key],
        `must be set together with ${Object.values(names)
          .filter((n) => n !== names[key])
          .join(', ')}`,
      );
  }
  const issuer = httpUrl(env, names.issuer, '');
  const { protocol, hostname } = new URL(issuer);
  // Tokens and the client secret travel to the issuer; only a provider on this machine may skip TLS.
  if (protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname))
    throw new ConfigError(names.issuer, `must be an https URL (http only on localhost), got "${issuer}"`);
  return {
    issuer,
    clientId: values.clientId!,
    clientSecret: values.clientSecret!,
    name: optional(env, 'OIDC_NAME') ?? 'single sign-on',
    allowSignup: bool(env, 'OIDC_ALLOW_SIGNUP', false),
  };
}

// --- Backups (SPEC §7, §8: BACKUP_DIR, BACKUP_KEEP) -------------------------------------------------

export interface BackupSettings {
  /** Where dumps are written; null: scheduled backups are off (`npm run backup -- --dir` still works). */
  dir: string | null;
  /** How many dumps are kept in `dir`; older ones are deleted after each new one. */
  keep: number;
  /** Five-field cron expression, in the business time zone. */
  schedule: string;
}

/** On by default with the embedded database (its data lives here too); with DATABASE_URL only when set. */
function backupSettings(env: Env, databaseUrl: string | null): BackupSettings {
  const raw = optional(env, 'BACKUP_DIR');
  const fallback = databaseUrl ? null : `${optional(env, 'DATA_DIR') ?? '.data'}/backups`;
  const schedule = optional(env, 'BACKUP_SCHEDULE') ?? '0 3 * * *';
  const problem =
    schedule.split(/\s+/).length === 5 ? validateCronExpression(schedule).error?.message : 'it needs five fields';
  if (problem !== undefined)
    throw new ConfigError(
      'BACKUP_SCHEDULE',
      `must be a cron expression such as "0 3 * * *" (daily at 03:00), got "${schedule}": ${problem}`,
    );
  return {
    dir: raw === null ? fallback : raw.toLowerCase() === 'off' ? null : raw,
    keep: integer(env, 'BACKUP_KEEP', 14, 1, 10_000),
    schedule,
  };
}

// --- Web Push (SPEC §8: VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY) --------------------------------------------

export interface VapidKeys {
  /** Base64url of the uncompressed P-256 public point (65 bytes). */
  publicKey: string;
  /** Base64url of the P-256 private scalar (32 bytes). */
  privateKey: string;
}

export interface PushSettings {
  /**
   * `env`: VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY; `file`: generated on the first start and kept in this
   * file beside the embedded database's data; `off`: an external database without keys (several
   * instances would each make their own pair, and every subscription would break with the next start).
   */
  vapid: { source: 'env'; keys: VapidKeys } | { source: 'file'; path: string } | { source: 'off' };
  /** VAPID_SUBJECT: how push services reach the sender, `mailto:` or `https:`. */
  subject: string;
}

function pushSettings(env: Env, databaseUrl: string | null, adminEmail: string | null): PushSettings {
  const publicKey = optional(env, 'VAPID_PUBLIC_KEY');
  const privateKey = optional(env, 'VAPID_PRIVATE_KEY');
  if (!!publicKey !== !!privateKey)
    throw new ConfigError(
      publicKey ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY',
      'must be set together with the other of VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY (npx web-push generate-vapid-keys)',
    );
  if (publicKey && !isBase64Url(publicKey, 65, 0x04))
    throw new ConfigError(
      'VAPID_PUBLIC_KEY',
      'must be the base64url public key that npx web-push generate-vapid-keys prints',
    );
  if (privateKey && !isBase64Url(privateKey, 32))
    throw new ConfigError(
      'VAPID_PRIVATE_KEY',
      'must be the base64url private key that npx web-push generate-vapid-keys prints',
    );
  const subject =
    optional(env, 'VAPID_SUBJECT') ??
    optional(env, 'PUBLIC_URL') ??
    (adminEmail ? `mailto:${adminEmail}` : 'mailto:push@mtink.invalid');
  if (!/^mailto:[^@\s]+@[^@\s]+$/.test(subject) && !/^https:\/\/[^\s]+$/.test(subject))
    throw new ConfigError('VAPID_SUBJECT', `must be a mailto: address or an https: URL, got "${subject}"`);
  const vapid: PushSettings['vapid'] =
    publicKey && privateKey
      ? { source: 'env', keys: { publicKey, privateKey } }
      : databaseUrl
        ? { source: 'off' }
        : { source: 'file', path: `${optional(env, 'DATA_DIR') ?? '.data'}/vapid-keys.json` };
  return { vapid, subject };
}

function isBase64Url(value: string, bytes: number, firstByte?: number): boolean {
  if (!/^[A-Za-z0-9_-]+=*$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64url');
  return decoded.length === bytes && (firstByte === undefined || decoded[0] === firstByte);
}
