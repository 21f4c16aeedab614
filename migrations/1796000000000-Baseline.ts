import { MigrationInterface, QueryRunner } from 'typeorm';

/** The history this baseline squashed (all recorded on a database made before it), oldest first. */
export const SQUASHED_MIGRATIONS = [
  'InitialSchema1764180000000',
  'SpotifyUploads1795723314073',
  'OrderIngestion1795723321755',
  'OrderHourlyTotals1795723458900',
  'Alerts1795723717361',
  'AuthAndRealtime1795723729964',
  'OrderExportIndex1795723985735',
  'OrderDailyBreakdown1795724004711',
  'OrderDailyTotals1795724856772',
  'SpotifyWeekCountryTotals1795726932259',
  'TypeormMetadata1795727923509',
];

/**
 * The whole schema as of the first release, in one place: orders and what is derived from them
 * (rollups fed by triggers), Spotify listening and revenue, uploads, alerts, users and sessions,
 * realtime and scheduling state. Money is `numeric`; instants are `timestamptz`.
 *
 * It replaces eleven earlier migrations (`SQUASHED_MIGRATIONS`), none of which was ever deployed; a
 * local database that has all eleven already has this schema exactly (checked with pg_dump), so there
 * it only swaps the history rows. Later changes are new migrations that create or alter; one that
 * changes a function here states the function's whole new body.
 */
export class Baseline1796000000000 implements MigrationInterface {
  name = 'Baseline1796000000000';

  async up(q: QueryRunner): Promise<void> {
    if (await hasSquashedHistory(q)) {
      await q.query(`DELETE FROM migrations WHERE name = ANY ($1)`, [SQUASHED_MIGRATIONS]);
      return;
    }
    await createOrders(q);
    await createOrderRollups(q);
    await createUploadsAndSpotify(q);
    await createAlerts(q);
    await createUsersAndSessions(q);
    await createRealtimeAndJobs(q);
    await createSettingsAndMetadata(q);
  }

  async down(q: QueryRunner): Promise<void> {
    // Triggers go with their tables; functions go after the tables whose triggers call them.
    for (const table of [
      'typeorm_metadata',
      'settings',
      'job_runs',
      'socket_io_attachments',
      'realtime_events',
      'rate_limits',
      'api_tokens',
      'sessions',
      'users',
      'alert_events',
      'alert_rules',
      'spotify_week_country_totals',
      'spotify_quarter_actuals',
      'spotify_revenue_lines',
      'spotify_monthly_stats',
      'spotify_weekly_stats',
      'upload_header_aliases',
      'upload_log',
      'sources',
      'webhook_deliveries',
      'order_daily_totals',
      'order_daily_breakdown',
      'order_rollup_zone',
      'order_hourly_dirty',
      'order_hourly_totals',
      'fx_rates',
      'refunds',
      'orders',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION refresh_spotify_week_country_totals(date[])`);
    await q.query(`DROP FUNCTION refresh_order_rollups(text)`);
    await q.query(`DROP FUNCTION refunds_mark_dirty()`);
    await q.query(`DROP FUNCTION orders_mark_dirty()`);
    await q.query(`DROP FUNCTION order_hour(timestamptz)`);
  }
}

async function hasSquashedHistory(q: QueryRunner): Promise<boolean> {
  const [{ recorded }] = (await q.query(`SELECT count(*)::int AS recorded FROM migrations WHERE name = ANY ($1)`, [
    SQUASHED_MIGRATIONS,
  ])) as [{ recorded: number }];
  return recorded === SQUASHED_MIGRATIONS.length;
}

/**
 * Orders and refunds from every platform, webhook deliveries already handled (Shopify re-sends the
 * same `X-Shopify-Webhook-Id` on retries), the sync state of every order source, and exchange rates.
 */
async function createOrders(q: QueryRunner): Promise<void> {
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
  // Exports list every order of a range (test and cancelled ones too) in creation order: with this index
  // the export cursor streams from the first row on instead of sorting the whole range first.
  await q.query(`CREATE INDEX orders_created_at_id ON orders (created_at, id)`);

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
  // Warnings read the few unconvertible refunds without scanning all refunds of a window.
  await q.query(
    `CREATE INDEX refunds_unconverted_refunded_at ON refunds (refunded_at) INCLUDE (order_id) WHERE base_amount IS NULL`,
  );
  await q.query(`CREATE INDEX refunds_unconverted_order_id ON refunds (order_id) WHERE base_amount IS NULL`);

  await q.query(`
    CREATE TABLE fx_rates (
      day date NOT NULL,
      currency char(3) NOT NULL,
      base_currency char(3) NOT NULL,
      rate numeric(20, 10) NOT NULL CHECK (rate > 0),
      PRIMARY KEY (currency, base_currency, day)
    )`);

  await q.query(`
    CREATE TABLE webhook_deliveries (
      platform text NOT NULL,
      delivery_id text NOT NULL,
      store text NOT NULL DEFAULT '',
      topic text,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (platform, delivery_id)
    )`);
  await q.query(`CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at)`);
  await q.query(`
    CREATE TABLE sources (
      name text PRIMARY KEY,
      platform text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('webhook', 'poller', 'import')),
      enabled boolean NOT NULL DEFAULT true,
      last_attempt_at timestamptz,
      last_success_at timestamptz,
      last_error text,
      last_error_at timestamptz,
      cursor text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
}

/**
 * Rollups of counted, convertible orders and their refunds: per UTC hour (`order_hourly_totals`), and
 * per local day of the business zone, by platform and country (`order_daily_breakdown`) and in total
 * (`order_daily_totals`), so that a year of windows reads a few hundred rows instead of every order.
 *
 * Why hours in UTC: the business zone is configuration and may change; every zone's local midnight is a
 * whole UTC hour, except zones with :30/:45 offsets, whose ragged ends the readers take from `orders`
 * directly (as they do with the partial hour at "now").
 *
 * Why a dirty list instead of triggers updating the totals: updating one "current hour" row from every
 * order insert would serialise concurrent webhooks on its row lock (and two imports could deadlock on
 * hours touched in different orders). The triggers only append the hours they affect to
 * `order_hourly_dirty` (no unique key, so no waiting); readers take dirty hours from `orders` (always
 * exact, immediately consistent) and `refresh_order_rollups(zone)` folds them in the background.
 *
 * The daily rollups remember the zone they were built in (`order_rollup_zone`); a refresh in another
 * zone rebuilds them, and until then readers see the zone differ and read `orders` directly. A dirty
 * hour makes every local day it overlaps dirty.
 */
async function createOrderRollups(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE order_hourly_totals (
      hour timestamptz PRIMARY KEY,
      orders integer NOT NULL,
      sales numeric(16, 2) NOT NULL,
      refunds_by_refund_date numeric(16, 2) NOT NULL,
      refunds_by_order_date numeric(16, 2) NOT NULL
    )`);
  await q.query(`CREATE TABLE order_hourly_dirty (hour timestamptz NOT NULL)`);
  await q.query(`CREATE INDEX order_hourly_dirty_hour ON order_hourly_dirty (hour)`);
  await q.query(`
    CREATE TABLE order_rollup_zone (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      zone text NOT NULL
    )`);
  await q.query(`
    CREATE TABLE order_daily_breakdown (
      day date NOT NULL,
      platform text NOT NULL,
      country text NOT NULL, -- '' when the order has none
      orders integer NOT NULL,
      sales numeric(16, 2) NOT NULL,
      refunds_by_refund_date numeric(16, 2) NOT NULL,
      refunds_by_order_date numeric(16, 2) NOT NULL,
      PRIMARY KEY (day, platform, country)
    )`);
  await q.query(`
    CREATE TABLE order_daily_totals (
      day date PRIMARY KEY,
      orders integer NOT NULL,
      sales numeric(16, 2) NOT NULL,
      refunds_by_refund_date numeric(16, 2) NOT NULL,
      refunds_by_order_date numeric(16, 2) NOT NULL
    )`);

  await q.query(`
    CREATE FUNCTION order_hour(at timestamptz) RETURNS timestamptz
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN date_trunc('hour', at, 'UTC')`);

  // An order marks its hour when it starts or stops counting, and when what it contributes (time,
  // amount, country, which the breakdown groups by) changes: then also the hours of its refunds.
  await q.query(`
    CREATE FUNCTION orders_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO order_hourly_dirty (hour)
          SELECT DISTINCT order_hour(n.created_at) FROM new_rows n WHERE n.counted AND n.base_total IS NOT NULL;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO order_hourly_dirty (hour)
          SELECT DISTINCT order_hour(o.created_at) FROM old_rows o WHERE o.counted AND o.base_total IS NOT NULL;
      ELSE
        -- An order that changes what it contributes moves its own hours and the hours of its refunds.
        INSERT INTO order_hourly_dirty (hour)
          WITH changed AS (
            SELECT o.id, o.created_at AS old_at, n.created_at AS new_at
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.created_at, o.base_total, o.counted, o.country) IS DISTINCT FROM (n.created_at, n.base_total, n.counted, n.country)
          )
          SELECT DISTINCT hour FROM (
            SELECT order_hour(old_at) AS hour FROM changed
            UNION ALL SELECT order_hour(new_at) FROM changed
            UNION ALL SELECT order_hour(r.refunded_at) FROM refunds r JOIN changed c ON r.order_id = c.id
          ) hours;
      END IF;
      RETURN NULL;
    END $$`);
  await q.query(`
      CREATE FUNCTION refunds_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO order_hourly_dirty (hour)
            SELECT DISTINCT hour FROM (
              SELECT order_hour(n.refunded_at) AS hour FROM new_rows n
              UNION ALL SELECT order_hour(o.created_at) FROM new_rows n JOIN orders o ON o.id = n.order_id
            ) hours;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          -- After a cascade from orders the order is gone; its own trigger marked the order's hour.
          INSERT INTO order_hourly_dirty (hour)
            SELECT DISTINCT hour FROM (
              SELECT order_hour(d.refunded_at) AS hour FROM old_rows d
              UNION ALL SELECT order_hour(o.created_at) FROM old_rows d JOIN orders o ON o.id = d.order_id
            ) hours;
        END IF;
        RETURN NULL;
      END $$`);
  // Statement-level with transition tables: one INSERT per statement, also for million-row imports.
  await q.query(
    `CREATE TRIGGER orders_dirty_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_mark_dirty()`,
  );
  await q.query(
    `CREATE TRIGGER orders_dirty_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_mark_dirty()`,
  );
  await q.query(
    `CREATE TRIGGER orders_dirty_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_mark_dirty()`,
  );
  await q.query(
    `CREATE TRIGGER refunds_dirty_insert AFTER INSERT ON refunds REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_mark_dirty()`,
  );
  await q.query(
    `CREATE TRIGGER refunds_dirty_update AFTER UPDATE ON refunds REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_mark_dirty()`,
  );
  await q.query(
    `CREATE TRIGGER refunds_dirty_delete AFTER DELETE ON refunds REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_mark_dirty()`,
  );

  // Folds the dirty hours into the three rollups; the temporary tables hold the hours and local days
  // being recounted.
  await q.query(`
      CREATE FUNCTION refresh_order_rollups(business_zone text) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        folded integer;
      BEGIN
        -- Concurrent refreshes (several instances) take turns, so an older snapshot never overwrites a
        -- newer one. Markers are deleted before the recount, whose snapshot is newer: it sees at least
        -- the data of every marker it removed; markers of later commits stay for the next refresh.
        PERFORM pg_advisory_xact_lock(hashtext('refresh_order_rollups'));
        DROP TABLE IF EXISTS pg_temp.rollup_hours, pg_temp.rollup_days;
        CREATE TEMP TABLE rollup_hours (hour timestamptz PRIMARY KEY) ON COMMIT DROP;
        WITH done AS (DELETE FROM order_hourly_dirty RETURNING hour) INSERT INTO rollup_hours SELECT DISTINCT hour FROM done;
        ANALYZE rollup_hours;
        SELECT count(*) INTO folded FROM rollup_hours;

        -- Per hour (index range scans) and per order (refunds by order id): fast for a few hours and for
        -- every hour of a million orders alike. Written as plain joins, the planner hashes all orders
        -- against all refunds even for three dirty hours.
        INSERT INTO order_hourly_totals (hour, orders, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT h.hour, s.orders, s.sales, rr.refunds, s.by_order_date
        FROM rollup_hours h
        CROSS JOIN LATERAL (
          SELECT count(*)::integer AS orders, coalesce(sum(o.base_total), 0) AS sales, coalesce(sum(rf.refunds), 0) AS by_order_date
          FROM orders o
          LEFT JOIN LATERAL (SELECT sum(r.base_amount) AS refunds FROM refunds r WHERE r.order_id = o.id AND r.base_amount IS NOT NULL) rf ON true
          WHERE o.counted AND o.base_total IS NOT NULL AND o.created_at >= h.hour AND o.created_at < h.hour + interval '1 hour'
        ) s
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(r.base_amount), 0) AS refunds FROM refunds r JOIN orders o ON o.id = r.order_id
          WHERE r.refunded_at >= h.hour AND r.refunded_at < h.hour + interval '1 hour' AND r.base_amount IS NOT NULL AND o.counted AND o.base_total IS NOT NULL
        ) rr
        ON CONFLICT (hour) DO UPDATE SET orders = excluded.orders, sales = excluded.sales,
          refunds_by_refund_date = excluded.refunds_by_refund_date, refunds_by_order_date = excluded.refunds_by_order_date;

        CREATE TEMP TABLE rollup_days (day date PRIMARY KEY) ON COMMIT DROP;
        IF EXISTS (SELECT 1 FROM order_rollup_zone z WHERE z.zone = business_zone) THEN
          INSERT INTO rollup_days
            SELECT (hour AT TIME ZONE business_zone)::date FROM rollup_hours
            UNION SELECT ((hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE business_zone)::date FROM rollup_hours;
        ELSE
          DELETE FROM order_daily_breakdown;
          INSERT INTO order_rollup_zone (id, zone) VALUES (true, business_zone)
            ON CONFLICT (id) DO UPDATE SET zone = excluded.zone;
          INSERT INTO rollup_days
            SELECT (o.created_at AT TIME ZONE business_zone)::date FROM orders o WHERE o.counted AND o.base_total IS NOT NULL
            UNION SELECT (refunded_at AT TIME ZONE business_zone)::date FROM refunds;
        END IF;
        ANALYZE rollup_days;
        DELETE FROM order_daily_breakdown b USING rollup_days d WHERE b.day = d.day;
        INSERT INTO order_daily_breakdown (day, platform, country, orders, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT day, platform, country, sum(orders), sum(sales), sum(by_refund_date), sum(by_order_date)
        FROM (
          SELECT d.day, s.platform, s.country, s.orders, s.sales, 0 AS by_refund_date, s.by_order_date
          FROM rollup_days d CROSS JOIN LATERAL (
            SELECT o.platform, coalesce(o.country::text, '') AS country, count(*)::integer AS orders, sum(o.base_total) AS sales,
              coalesce(sum(rf.refunds), 0) AS by_order_date
            FROM orders o
            LEFT JOIN LATERAL (SELECT sum(r.base_amount) AS refunds FROM refunds r WHERE r.order_id = o.id AND r.base_amount IS NOT NULL) rf ON true
            WHERE o.counted AND o.base_total IS NOT NULL AND o.created_at >= (d.day::timestamp AT TIME ZONE business_zone)
              AND o.created_at < ((d.day + 1)::timestamp AT TIME ZONE business_zone)
            GROUP BY 1, 2
          ) s
          UNION ALL
          SELECT d.day, s.platform, s.country, 0, 0, s.refunds, 0
          FROM rollup_days d CROSS JOIN LATERAL (
            SELECT o.platform, coalesce(o.country::text, '') AS country, sum(r.base_amount) AS refunds
            FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE r.base_amount IS NOT NULL AND o.counted AND o.base_total IS NOT NULL
              AND r.refunded_at >= (d.day::timestamp AT TIME ZONE business_zone)
              AND r.refunded_at < ((d.day + 1)::timestamp AT TIME ZONE business_zone)
            GROUP BY 1, 2
          ) s
        ) parts
        GROUP BY day, platform, country;

        -- Also days left without any breakdown row, which a rebuild in another zone can leave behind.
        DELETE FROM order_daily_totals t
        WHERE t.day IN (SELECT day FROM rollup_days) OR NOT EXISTS (SELECT 1 FROM order_daily_breakdown b WHERE b.day = t.day);
        INSERT INTO order_daily_totals (day, orders, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT b.day, sum(b.orders), sum(b.sales), sum(b.refunds_by_refund_date), sum(b.refunds_by_order_date)
        FROM order_daily_breakdown b JOIN rollup_days d ON d.day = b.day
        GROUP BY b.day;
        RETURN folded;
      END $$`);
}

/**
 * The upload log, the header alias table (admins extend it without a code change, SPEC §4), and what
 * Spotify reports fill: weekly and monthly listening, revenue lines, quarter actuals, and minutes per
 * ISO week and country for the charts.
 *
 * A revenue line's natural key includes the revenue model, because one title/month/territory has a pool
 * line, an à-la-carte line and adjustment lines side by side; re-uploading a report replaces its lines.
 *
 * Writers of `spotify_weekly_stats` call `refresh_spotify_week_country_totals(weeks)` in the same
 * transaction, after their writes: it recomputes those weeks from the stats rows (NULL: every week), so
 * the totals are exact by construction rather than maintained by deltas. Refreshes are serialised by an
 * advisory lock held to commit; each statement after the lock reads a fresh snapshot (READ COMMITTED), so
 * the last writer to refresh a week also counts the rows that earlier writers committed.
 */
async function createUploadsAndSpotify(q: QueryRunner): Promise<void> {
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
  await q.query(`
    CREATE TABLE upload_header_aliases (
      alias_key text PRIMARY KEY,
      alias text NOT NULL,
      field text NOT NULL,
      factor numeric(12, 6) NOT NULL DEFAULT 1 CHECK (factor > 0),
      builtin boolean NOT NULL DEFAULT false
    )`);
  for (const [alias, field, factor] of BUILTIN_HEADER_ALIASES) {
    await q.query(
      `INSERT INTO upload_header_aliases (alias_key, alias, field, factor, builtin) VALUES ($1, $2, $3, $4, true)`,
      [aliasKey(alias), alias, field, factor ?? 1],
    );
  }

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
    CREATE UNIQUE INDEX spotify_revenue_lines_natural_key
      ON spotify_revenue_lines (period, title_key, (coalesce(country, '')), revenue_model)`);

  await q.query(`
    CREATE TABLE spotify_quarter_actuals (
      quarter text PRIMARY KEY CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
      revenue numeric(14, 2) NOT NULL,
      minutes numeric(16, 2) NOT NULL CHECK (minutes > 0),
      completes numeric(12, 1),
      source text NOT NULL DEFAULT 'manual'
    )`);

  await q.query(`
    CREATE TABLE spotify_week_country_totals (
      week_start date NOT NULL,
      country char(2) NOT NULL,
      minutes numeric(18, 2) NOT NULL,
      PRIMARY KEY (week_start, country)
    )`);
  await q.query(`
      CREATE FUNCTION refresh_spotify_week_country_totals(weeks date[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('spotify_week_country_totals', 0));
        -- Two statements rather than "weeks IS NULL OR …": a cached generic plan could not use the index.
        IF weeks IS NULL THEN
          DELETE FROM spotify_week_country_totals;
          INSERT INTO spotify_week_country_totals (week_start, country, minutes)
          SELECT week_start, country, sum(minutes) FROM spotify_weekly_stats GROUP BY week_start, country;
        ELSE
          DELETE FROM spotify_week_country_totals WHERE week_start = ANY (weeks);
          INSERT INTO spotify_week_country_totals (week_start, country, minutes)
          SELECT week_start, country, sum(minutes) FROM spotify_weekly_stats
          WHERE week_start = ANY (weeks) GROUP BY week_start, country;
        END IF;
      END $$`);
}

/**
 * Alert rules and the alerts they fired. `alert_events (rule_id, period_key)` is unique: the row is the
 * claim that a rule fired for a period, so two API instances (or a retried run) can never send the same
 * alert twice, even if the advisory lock that keeps them from evaluating at the same time were lost.
 */
async function createAlerts(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE alert_rules (
      id bigserial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('day_revenue', 'week_orders', 'best_day', 'silence', 'daily_digest')),
      name text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      threshold numeric(14, 2) CHECK (threshold > 0),
      hours integer CHECK (hours BETWEEN 1 AND 168),
      active_from time,
      active_to time,
      send_at time,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT alert_rules_fields CHECK (
        CASE kind
          WHEN 'day_revenue' THEN threshold IS NOT NULL
          WHEN 'week_orders' THEN threshold IS NOT NULL AND threshold = trunc(threshold)
          WHEN 'silence' THEN hours IS NOT NULL AND active_from IS NOT NULL AND active_to IS NOT NULL
          WHEN 'daily_digest' THEN send_at IS NOT NULL
          ELSE true
        END)
    )`);
  await q.query(`
    CREATE TABLE alert_events (
      id bigserial PRIMARY KEY,
      rule_id bigint NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
      period_key text NOT NULL,
      fired_at timestamptz NOT NULL DEFAULT now(),
      subject text NOT NULL,
      body text NOT NULL,
      delivery text NOT NULL DEFAULT 'pending' CHECK (delivery IN ('pending', 'sent', 'failed', 'not_configured')),
      delivery_error text,
      attempts integer NOT NULL DEFAULT 0,
      sent_at timestamptz,
      CONSTRAINT alert_events_once_per_period UNIQUE (rule_id, period_key)
    )`);
  await q.query(`CREATE INDEX alert_events_fired_at ON alert_events (fired_at DESC)`);
}

/**
 * Users, server-side sessions and API tokens (both stored as SHA-256 of the secret, so a database dump
 * signs nobody in), and the login failure counters shared by every instance.
 */
async function createUsersAndSessions(q: QueryRunner): Promise<void> {
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
  await q.query(`
    CREATE TABLE sessions (
      id_hash text PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      user_agent text
    )`);
  await q.query(`CREATE INDEX sessions_user ON sessions (user_id)`);
  await q.query(`CREATE INDEX sessions_expires ON sessions (expires_at)`);
  await q.query(`
    CREATE TABLE api_tokens (
      id bigserial PRIMARY KEY,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_by bigint REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`);
  await q.query(`
    CREATE TABLE rate_limits (
      key text PRIMARY KEY,
      hits integer NOT NULL,
      window_ends_at timestamptz NOT NULL,
      blocked_until timestamptz
    )`);
}

/**
 * The recent-events buffer that reconnecting Socket.IO clients read from, the Socket.IO adapter's
 * attachment table, and the last start of every scheduled job (so that a tick runs on one instance only).
 */
async function createRealtimeAndJobs(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE realtime_events (
      id bigserial PRIMARY KEY,
      name text NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
  await q.query(`CREATE INDEX realtime_events_occurred ON realtime_events (occurred_at)`);
  // Table and columns as @socket.io/postgres-adapter expects them (payloads over 8000 bytes).
  await q.query(`
    CREATE TABLE socket_io_attachments (
      id bigserial UNIQUE,
      created_at timestamptz DEFAULT now(),
      payload bytea
    )`);
  await q.query(`
    CREATE TABLE job_runs (
      name text PRIMARY KEY,
      last_started_at timestamptz NOT NULL,
      last_instance text NOT NULL
    )`);
}

/**
 * Settings, and `typeorm_metadata`: TypeORM reads it whenever a table has a generated column
 * (orders.counted) and only creates it itself for entities that declare one; without it
 * `npm run migration:generate` stops with "relation typeorm_metadata does not exist". Same layout as
 * TypeORM's own.
 */
async function createSettingsAndMetadata(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q.query(`
    CREATE TABLE typeorm_metadata (
      type varchar NOT NULL,
      database varchar,
      schema varchar,
      "table" varchar,
      name varchar,
      value text
    )`);
}

/** Header → field (and a factor to minutes for hour columns) of the reports we know (SPEC §4). */
const BUILTIN_HEADER_ALIASES: Array<[string, string, number?]> = [
  ['Week starting', 'week'],
  ['Week', 'week'],
  ['Week start', 'week'],
  ['Week beginning', 'week'],
  ['Week commencing', 'week'],
  ['Month', 'month'],
  ['Reporting month', 'month'],
  ['Reporting period', 'period'],
  ['Period', 'period'],
  ['Sales period', 'period'],
  ['Title', 'title'],
  ['Book title', 'title'],
  ['Book', 'title'],
  ['ISBN', 'isbn'],
  ['ISBN13', 'isbn'],
  ['ISBN 13', 'isbn'],
  ['EAN', 'isbn'],
  ['Country', 'country'],
  ['Territory', 'country'],
  ['Country code', 'country'],
  ['Market', 'country'],
  ['Total listen minutes', 'minutes'],
  ['Listen minutes', 'minutes'],
  ['Listening minutes', 'minutes'],
  ['Minutes', 'minutes'],
  ['Minutes listened', 'minutes'],
  ['Total listening minutes', 'minutes'],
  ['Hours', 'minutes', 60],
  ['Listening hours', 'minutes', 60],
  ['Listen hours', 'minutes', 60],
  ['Total listen hours', 'minutes', 60],
  ['Completed listen equivalents', 'completes'],
  ['Completes', 'completes'],
  ['Completed listens', 'completes'],
  ['Revenue model', 'revenueModel'],
  ['Sales model', 'revenueModel'],
  ['Model', 'revenueModel'],
  ['Units', 'units'],
  ['Quantity', 'units'],
  ['Currency', 'currency'],
  ['Net royalty', 'netRoyalty'],
  ['Royalty', 'netRoyalty'],
  ['Net royalties', 'netRoyalty'],
  ['Net revenue', 'netRoyalty'],
  ['Earnings', 'netRoyalty'],
];

/** Same normalisation as `headerKey` in apps/api/src/upload/header-aliases.ts (a migration must not import app code). */
function aliasKey(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
