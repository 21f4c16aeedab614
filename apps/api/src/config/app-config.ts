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
  readonly adminEmail!: string | null;
  readonly adminPassword!: string | null;
  readonly demoData!: boolean;
  readonly corsOrigins!: readonly string[];
  readonly smtpUrl!: string | null;
  readonly alertEmailTo!: string | null;
  readonly uploadMaxMb!: number;
  readonly dataDir!: string;
  readonly embeddedPort!: number;
  /** Lets tests pin "now" with a `now` query parameter; never set in production. */
  readonly allowTestClock!: boolean;

  constructor(values: Omit<AppConfig, never>) {
    Object.assign(this, values);
  }
}

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
    throw new ConfigError(adminEmail ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', 'must be set together with the other of ADMIN_EMAIL/ADMIN_PASSWORD');
  }
  const smtpUrl = optional(env, 'SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://');
  return new AppConfig({
    nodeEnv,
    port: integer(env, 'PORT', 3003, 1, 65535),
    databaseUrl,
    businessTimezone: timeZone(env, 'BUSINESS_TIMEZONE', 'Europe/Berlin'),
    baseCurrency: currency(env, 'BASE_CURRENCY', 'USD'),
    refundAttribution: oneOf(env, 'REFUND_ATTRIBUTION', ['refund_date', 'order_date'] as const, 'refund_date'),
    shopifyWebhookSecrets: shopifySecrets(env),
    woocommerceWebhookSecret: optional(env, 'WOOCOMMERCE_WEBHOOK_SECRET'),
    adminEmail,
    adminPassword,
    demoData: bool(env, 'DEMO_DATA', !databaseUrl),
    corsOrigins: origins(env),
    smtpUrl,
    alertEmailTo: optional(env, 'ALERT_EMAIL_TO'),
    uploadMaxMb: integer(env, 'UPLOAD_MAX_MB', 50, 1, 2048),
    dataDir: optional(env, 'DATA_DIR') ?? '.data',
    embeddedPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    allowTestClock,
  });
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
  if (!/^[A-Z]{3}$/.test(raw)) throw new ConfigError(name, `must be a 3-letter ISO 4217 code such as USD, got "${raw}"`);
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
    if (trimmed === '*') throw new ConfigError('CORS_ORIGINS', 'must list origins; "*" is not allowed with credentials');
    try {
      return new URL(trimmed).origin;
    } catch {
      throw new ConfigError('CORS_ORIGINS', `has "${trimmed}", which is not an origin like https://dash.example.com`);
    }
  });
}
