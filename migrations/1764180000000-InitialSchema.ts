import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: orders and their refunds, exchange rates, Spotify listening and revenue, quarter
 * actuals, settings, the upload log and users. Money is `numeric`; instants are `timestamptz`.
 */
export class InitialSchema1764180000000 implements MigrationInterface {
  name = 'InitialSchema1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        id bigserial PRIMARY KEY,
        platform text NOT NULL CHECK (platform IN ('shopify', 'etsy', 'woocommerce', 'amazon', 'ebay')),
        store text NOT NULL DEFAULT '',
        external_id text NOT NULL,
        order_number text,
        created_at timestamptz NOT NULL,
        currency char(3) NOT NULL,
        total numeric(14, 2) NOT NULL,
        base_total numeric(14, 2),
        country char(2),
        status text NOT NULL,
        test boolean NOT NULL DEFAULT false,
        counted boolean GENERATED ALWAYS AS (NOT test AND status NOT IN ('cancelled', 'voided')) STORED,
        platform_updated_at timestamptz,
        raw jsonb,
        inserted_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT orders_natural_key UNIQUE (platform, store, external_id)
      )`);
    // The dashboard's windows read counted, convertible orders by creation time: index-only scans.
    await q.query(`
      CREATE INDEX orders_counted_created_at ON orders (created_at)
        INCLUDE (base_total, country, platform)
        WHERE counted AND base_total IS NOT NULL`);
    await q.query(
      `CREATE INDEX orders_unconverted_created_at ON orders (created_at) WHERE counted AND base_total IS NULL`,
    );

    await q.query(`
      CREATE TABLE refunds (
        id bigserial PRIMARY KEY,
        order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        external_id text NOT NULL,
        refunded_at timestamptz NOT NULL,
        amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
        base_amount numeric(14, 2),
        raw jsonb,
        inserted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT refunds_natural_key UNIQUE (order_id, external_id)
      )`);
    await q.query(`CREATE INDEX refunds_refunded_at ON refunds (refunded_at) INCLUDE (base_amount, order_id)`);

    await q.query(`
      CREATE TABLE fx_rates (
        day date NOT NULL,
        currency char(3) NOT NULL,
        base_currency char(3) NOT NULL,
        rate numeric(20, 10) NOT NULL CHECK (rate > 0),
        PRIMARY KEY (currency, base_currency, day)
      )`);

    await q.query(`
      CREATE TABLE upload_log (
        id bigserial PRIMARY KEY,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        user_id bigint,
        file_name text NOT NULL,
        file_hash text NOT NULL,
        size_bytes bigint NOT NULL,
        type text,
        status text NOT NULL,
        rows integer NOT NULL DEFAULT 0,
        inserted integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]'
      )`);
    await q.query(`CREATE INDEX upload_log_file_hash ON upload_log (file_hash)`);

    for (const [table, period] of [
      ['spotify_weekly_stats', 'week_start'],
      ['spotify_monthly_stats', 'month'],
    ]) {
      await q.query(`
        CREATE TABLE ${table} (
          id bigserial PRIMARY KEY,
          ${period} date NOT NULL,
          title text NOT NULL,
          isbn text NOT NULL DEFAULT '',
          title_key text NOT NULL,
          country char(2) NOT NULL,
          minutes numeric(16, 2) NOT NULL,
          completes numeric(14, 2),
          upload_id bigint REFERENCES upload_log (id) ON DELETE SET NULL,
          CONSTRAINT ${table}_natural_key UNIQUE (${period}, title_key, country)
        )`);
    }
    await q.query(
      `CREATE INDEX spotify_weekly_stats_country ON spotify_weekly_stats (week_start, country) INCLUDE (minutes)`,
    );

    await q.query(`
      CREATE TABLE spotify_revenue_lines (
        id bigserial PRIMARY KEY,
        period date NOT NULL,
        title text NOT NULL,
        isbn text NOT NULL DEFAULT '',
        title_key text NOT NULL,
        country char(2),
        revenue_model text NOT NULL,
        minutes numeric(16, 2) NOT NULL DEFAULT 0,
        units numeric(14, 2) NOT NULL DEFAULT 0,
        currency char(3) NOT NULL,
        net_royalty numeric(16, 4) NOT NULL,
        upload_id bigint REFERENCES upload_log (id) ON DELETE SET NULL,
        source_row integer
      )`);
    await q.query(`CREATE INDEX spotify_revenue_lines_period ON spotify_revenue_lines (period)`);

    await q.query(`
      CREATE TABLE spotify_quarter_actuals (
        quarter text PRIMARY KEY CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
        revenue numeric(14, 2) NOT NULL,
        minutes numeric(16, 2) NOT NULL CHECK (minutes > 0),
        completes numeric(12, 1),
        source text NOT NULL DEFAULT 'manual'
      )`);

    await q.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE users (
        id bigserial PRIMARY KEY,
        email text NOT NULL,
        name text NOT NULL DEFAULT '',
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email ON users (lower(email))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'users',
      'settings',
      'spotify_quarter_actuals',
      'spotify_revenue_lines',
      'spotify_monthly_stats',
      'spotify_weekly_stats',
      'upload_log',
      'fx_rates',
      'refunds',
      'orders',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
