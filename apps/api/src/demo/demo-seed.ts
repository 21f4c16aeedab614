import { addDays, localDate } from '@mt/periods';
import { DataSource } from 'typeorm';
import { toBaseSql } from '../fx/fx-conversion';
import { FxRepository } from '../fx/fx.repository';
import { BaseRate } from '../fx/rate-files';
import { withTitlesBulkLoad } from '../titles/titles-bulk-load';
import { DEMO_CATALOGUE_SQL, demoLinesSql } from './demo-titles';

export interface DemoSeedOptions {
  /** About this many orders over the two years before `now` (default 60,000). */
  orders?: number;
  baseCurrency: string;
  /** Seed only when the database was never seeded (first start). */
  onlyIfEmpty?: boolean;
  /** The end of the demo span; the data is a deterministic function of (orders, the day of `now`). */
  now?: Date;
  /** Business time zone whose wall clock shapes the day (orders peak in the evening). */
  timeZone?: string;
}

export interface DemoSeedResult {
  orders: number;
  lines: number;
  refunds: number;
  spotifyRows: number;
}

const DAYS = 730;
const SEEDED_KEY = 'demo.seededAt';

/** The 2025 quarters of SPEC §2, as Spotify settled them. */
export const SPOTIFY_2025_ACTUALS = [
  { quarter: '2025-Q1', revenue: '4822', minutes: '429977', completes: '812.8' },
  { quarter: '2025-Q2', revenue: '8317', minutes: '553075', completes: '1045.6' },
  { quarter: '2025-Q3', revenue: '14354', minutes: '1707582', completes: null },
  { quarter: '2025-Q4', revenue: '9249', minutes: '894829', completes: null },
];

/** The alert examples of SPEC §6 (amounts in the base currency), added only when there are no rules yet. */
const DEMO_ALERT_RULES_SQL = `
  INSERT INTO alert_rules (kind, name, threshold, hours, active_from, active_to, send_at)
  SELECT * FROM (VALUES
    ('day_revenue', 'First $1,000 day', 1000::numeric, NULL::int, NULL::time, NULL::time, NULL::time),
    ('week_orders', '100 orders this week', 100, NULL, NULL, NULL, NULL),
    ('silence', 'No order for 12 hours', NULL, 12, '08:00', '22:00', NULL),
    ('daily_digest', 'Daily digest', NULL, NULL, NULL, NULL, '07:30')
  ) AS r
  WHERE NOT EXISTS (SELECT 1 FROM alert_rules)`;

/**
 * Fills two years of believable sales and Spotify listening. Everything is generated inside PostgreSQL
 * (generate_series, with `hashint8extended` as a seeded random source), so a million orders take seconds
 * and the same inputs always give the same rows.
 */
export async function seedDemoData(dataSource: DataSource, options: DemoSeedOptions): Promise<DemoSeedResult | null> {
  const orders = options.orders ?? 60_000;
  const now = options.now ?? new Date();
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  return dataSource.transaction(async (manager) => {
    if (options.onlyIfEmpty) {
      const seeded = await manager.query(`SELECT 1 FROM settings WHERE key = $1`, [SEEDED_KEY]);
      const hasOrders = await manager.query(`SELECT 1 FROM orders LIMIT 1`);
      if (seeded.length || hasOrders.length) return null;
    }
    // Run the inserts without WAL flush waits: a crash mid-seed rolls the whole transaction back anyway.
    await manager.query(`SET LOCAL synchronous_commit = off`);
    await manager.query(`SET LOCAL TIME ZONE '${timeZone.replace(/'/g, "''")}'`);
    const until = now.toISOString();
    // The demo's rates come in as any rate file's do; orders are then converted on insert by the same rule.
    const fx = new FxRepository(dataSource, { baseCurrency: options.baseCurrency, businessTimezone: timeZone });
    await fx.storeRates(
      manager,
      { kind: 'base', rates: demoRates(localDate(now, timeZone), options.baseCurrency) },
      {
        source: 'demo',
        origin: null,
        userId: null,
      },
    );
    await fx.storeRateZone(manager, timeZone);
    const [{ first }] = await manager.query(`SELECT coalesce(max(id), 0) + 1 AS first FROM orders`);
    const { inserted, lines, refunds } = await withTitlesBulkLoad(manager, timeZone, async () => {
      const insertedOrders = await manager.query(ORDERS_SQL, [until, orders, options.baseCurrency, timeZone]);
      // The catalogue first, so that every line is matched by its SKU (see apps/api/src/titles).
      await manager.query(DEMO_CATALOGUE_SQL);
      return {
        inserted: insertedOrders,
        lines: await manager.query(LINES_SQL, [first, options.baseCurrency, timeZone]),
        refunds: await manager.query(REFUNDS_SQL, [until, options.baseCurrency, timeZone]),
      };
    });
    const spotify = await manager.query(SPOTIFY_WEEKLY_SQL, [until]);
    // Spotify's titles lead to the audiobooks by their ISBNs.
    await manager.query(
      `SELECT match_spotify_titles(array_agg(title_key), array_agg(isbn), array_agg(title))
       FROM (SELECT title_key, min(isbn) AS isbn, min(title) AS title FROM spotify_weekly_stats GROUP BY title_key) k`,
    );
    // The weekly charts read per-week-per-country totals: rebuild them from every week, in this transaction.
    await manager.query(`SELECT refresh_spotify_week_country_totals(NULL)`);
    for (const actual of SPOTIFY_2025_ACTUALS) {
      await manager.query(
        `INSERT INTO spotify_quarter_actuals (quarter, revenue, minutes, completes, source)
         VALUES ($1, $2, $3, $4, 'demo') ON CONFLICT (quarter) DO NOTHING`,
        [actual.quarter, actual.revenue, actual.minutes, actual.completes],
      );
    }
    for (const monthsBack of [3, 2])
      await manager.query(DEMO_STATEMENT_SQL, [until, timeZone, options.baseCurrency, monthsBack]);
    await manager.query(DEMO_STATEMENT_TOTALS_SQL);
    await manager.query(
      `SELECT match_spotify_titles(array_agg(title_key), array_agg(isbn), array_agg(title))
       FROM (SELECT title_key, min(isbn) AS isbn, min(title) AS title FROM spotify_statement_lines GROUP BY title_key) k`,
    );
    await manager.query(DEMO_ALERT_RULES_SQL);
    await manager.query(
      `INSERT INTO settings (key, value) VALUES ($1, to_jsonb($2::text))
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [SEEDED_KEY, now.toISOString()],
    );
    return { orders: count(inserted), lines: count(lines), refunds: count(refunds), spotifyRows: count(spotify) };
  });
}

/**
 * What `demo:seed --reset` empties before seeding: the demo's data and what is derived from it,
 * the rollups included (TRUNCATE fires no row triggers, so nothing would mark their hours stale).
 */
export async function resetDemoData(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `TRUNCATE orders, refunds, fx_rates, spotify_weekly_stats, spotify_week_country_totals, spotify_statements, order_hourly_totals,
       order_hourly_dirty, order_daily_breakdown, order_daily_totals, order_rollup_zone, titles, title_daily_totals,
       title_daily_countries, title_hourly_dirty, title_rollup_zone, title_hourly_totals, title_hour_dirty CASCADE`,
  );
  await dataSource.query(`DELETE FROM settings WHERE key = $1`, [SEEDED_KEY]);
}

/**
 * After a bulk load: fresh planner statistics (autovacuum has not seen the new rows yet, and the
 * fold's plans depend on them), then the fold of every hour the load marked, so that the next start
 * finds nothing left to do. Returns the hours folded.
 */
export async function foldAfterBulkLoad(dataSource: DataSource, timeZone: string): Promise<number> {
  await dataSource.query(`ANALYZE orders, refunds, order_lines, order_hourly_dirty`);
  const [row]: Array<{ folded: number }> = await dataSource.query(`SELECT refresh_order_rollups($1) AS folded`, [
    timeZone,
  ]);
  return row?.folded ?? 0;
}

function count(result: unknown): number {
  // INSERT … RETURNING count(*) is not possible; the statements below end in `SELECT count(*)`.
  return Number((result as Array<{ n: string }>)[0]?.n ?? 0);
}

/** Uniform [0, 1) from an integer and a salt: the seeded random source of every choice below. */
const U = (expr: string, salt: number) => `((hashint8extended(${expr}, ${salt}) & 2147483647)::float8 / 2147483648.0)`;

/** The demo currencies: units of USD per unit, and the phase of their wander. */
const DEMO_CURRENCIES: Array<[currency: string, usd: number, phase: number]> = [
  ['EUR', 1.08, 0],
  ['GBP', 1.27, 1],
  ['CAD', 0.74, 2],
  ['AUD', 0.66, 3],
  ['USD', 1, 0],
];

/** Daily rates of the demo currencies against the base currency, gently wandering, up to `lastDay`. */
export function demoRates(lastDay: string, baseCurrency: string): BaseRate[] {
  const baseUsd = DEMO_CURRENCIES.find(([currency]) => currency === baseCurrency)?.[1] ?? 1;
  const rates: BaseRate[] = [];
  for (let d = 0; d <= DAYS + 1; d++) {
    for (const [currency, usd, phase] of DEMO_CURRENCIES) {
      if (currency === baseCurrency) continue;
      // Generated figures, not money being summed: a float here only shapes the demo's wander.
      const rate = ((usd / baseUsd) * (1 + 0.03 * Math.sin(d / 40 + phase))).toFixed(6);
      rates.push({ day: addDays(lastDay, -d), currency, rate });
    }
  }
  return rates;
}

/**
 * Orders per day follow a trend (+60% over two years), the year (peaks before Christmas, a summer dip)
 * and the week (busier at the weekend); times of day follow an evening-heavy curve in the business zone.
 */
const ORDERS_SQL = `
  WITH span AS (SELECT ($1::timestamptz)::date - ${DAYS - 1} AS first_day, $1::timestamptz AS until),
  weights AS (
    SELECT d, first_day + d AS day,
      (0.75 + 0.6 * d / ${DAYS}.0)
      * (1 + 0.35 * exp(-power((extract(doy FROM first_day + d) - 345) / 25.0, 2)) - 0.12 * exp(-power((extract(doy FROM first_day + d) - 215) / 30.0, 2)))
      * (CASE extract(isodow FROM first_day + d) WHEN 6 THEN 1.25 WHEN 7 THEN 1.3 WHEN 1 THEN 0.95 ELSE 1 END)
      * (0.85 + 0.3 * ${U('d', 11)}) AS w
    FROM span, generate_series(0, ${DAYS - 1}) AS d
  ),
  counts AS (
    SELECT d, day, round($2::int * w / sum(w) OVER ())::int AS n FROM weights
  ),
  per_day AS (
    SELECT d, day, n, sum(n) OVER (ORDER BY d) AS upto FROM counts
  ),
  raw_orders AS (
    SELECT (upto - n + k)::bigint AS i, day, d
    FROM per_day, generate_series(1, n) AS k
  ),
  shaped AS (
    SELECT i, day,
      ${U('i', 1)} AS u_time, ${U('i', 2)} AS u_platform, ${U('i', 3)} AS u_country,
      ${U('i', 4)} AS u_total, ${U('i', 5)} AS u_status, ${U('i', 6)} AS u_shift
    FROM raw_orders
  ),
  placed AS (
    SELECT s.*,
      (day::timestamp + make_interval(secs => CASE WHEN u_shift < 0.85 THEN 25200 + u_time * 61200 ELSE u_time * 86400 END))::timestamp AS local_time,
      CASE WHEN u_platform < 0.55 THEN 'shopify' WHEN u_platform < 0.85 THEN 'etsy' ELSE 'woocommerce' END AS platform,
      (ARRAY['US','GB','DE','CA','AU','FR','NL','IE','SE','IT','ES','AT','CH','BE','DK','NO','NZ','JP','PL','FI','PT','SG','MX','BR'])[1 + floor(24 * power(u_country, 2.2))::int] AS country
    FROM shaped s
  ),
  priced AS (
    SELECT p.*, local_time::timestamptz AS created_at,
      CASE WHEN country = 'GB' THEN 'GBP' WHEN country = 'CA' THEN 'CAD'
           WHEN country = 'AU' THEN 'AUD'
           WHEN country IN ('DE','FR','NL','IE','IT','ES','AT','BE','FI','PT') THEN 'EUR' ELSE 'USD' END AS currency,
      round((9 + 70 * power(u_total, 1.6) + CASE WHEN u_total > 0.5 THEN 4.95 ELSE 0 END)::numeric, 2) AS total
    FROM placed p
  )
  , inserted AS (
    INSERT INTO orders (platform, store, external_id, order_number, created_at, currency, total, base_total, country, status, test, platform_updated_at)
    SELECT platform, CASE platform WHEN 'shopify' THEN 'mt-ink.myshopify.com' WHEN 'etsy' THEN 'MTInkPress' ELSE 'shop.mt-ink.example' END,
      (CASE platform WHEN 'shopify' THEN 5400000000000 WHEN 'etsy' THEN 3100000000 ELSE 0 END + i)::text,
      CASE platform WHEN 'etsy' THEN (3100000000 + i)::text ELSE '#' || (1000 + i) END,
      created_at, currency, total, ${toBaseSql('pr.total', 'pr.currency', 'pr.created_at', { base: '$3', zone: '$4' })},
      country,
      CASE WHEN u_status < 0.02 THEN 'cancelled' WHEN u_status < 0.035 THEN 'refunded' WHEN u_status < 0.05 THEN 'partially_refunded' ELSE 'paid' END,
      platform = 'shopify' AND u_status > 0.996,
      created_at
    FROM priced pr, span
    WHERE created_at <= until
    RETURNING 1
  )
  SELECT count(*) AS n FROM inserted`;

/** Lines for the orders from id $1 on ($2 base currency, $3 zone), converted like their orders. */
const LINES_SQL = demoLinesSql(U, (amount, currency, at) =>
  toBaseSql(amount, currency, at, { base: '$2', zone: '$3' }),
);

/** Refunds 1–10 days after the order, never in the future: whole for refunded, half for partial. */
const REFUNDS_SQL = `
  WITH inserted AS (
    INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
    SELECT r.id, 'demo-' || r.id, r.refunded_at, r.amount,
      ${toBaseSql('r.amount', 'r.currency', 'r.refunded_at', { base: '$2', zone: '$3' })}
    FROM (
      SELECT o.id, o.currency, CASE o.status WHEN 'refunded' THEN o.total ELSE round(o.total / 2, 2) END AS amount,
        o.created_at + make_interval(secs => 86400 + ${U('o.id', 7)} * 9 * 86400) AS refunded_at
      FROM orders o WHERE status IN ('refunded', 'partially_refunded')
    ) r
    WHERE r.refunded_at <= $1::timestamptz
    RETURNING 1
  )
  SELECT count(*) AS n FROM inserted`;

/** Minutes per week, title and country: six titles, twelve countries, growing with a summer peak. */
const SPOTIFY_WEEKLY_SQL = `
  WITH weeks AS (
    SELECT (date_trunc('week', $1::timestamptz)::date - 7 * w) AS week_start, w
    FROM generate_series(1, 104) AS w
  ),
  titles(title, isbn, share) AS (VALUES
    ('The Ink Road', '9781000000011', 0.30), ('Paper Harbours', '9781000000028', 0.22),
    ('Letters from Mt Ink', '9781000000035', 0.16), ('A Quiet Press', '9781000000042', 0.13),
    ('North of the Margin', '9781000000059', 0.11), ('Small Capitals', '9781000000066', 0.08)),
  countries(country, share) AS (VALUES
    ('US', 0.34), ('GB', 0.14), ('DE', 0.10), ('SE', 0.08), ('CA', 0.07), ('AU', 0.06),
    ('NL', 0.05), ('NO', 0.04), ('DK', 0.04), ('FR', 0.03), ('IE', 0.03), ('NZ', 0.02)),
  inserted AS (
    INSERT INTO spotify_weekly_stats (week_start, title, isbn, title_key, country, minutes, completes)
    SELECT week_start, t.title, t.isbn, t.isbn, c.country, m.minutes, round(m.minutes / 530.0, 2)
    FROM weeks, titles t, countries c,
      LATERAL (SELECT round((52000 * (1.25 - w / 160.0) * t.share * c.share
        * (1 + 0.5 * exp(-power((extract(doy FROM week_start) - 200) / 35.0, 2)))
        * (0.8 + 0.4 * ${U('hashtext(week_start::text || t.isbn || c.country)::bigint', 9)}))::numeric, 0) AS minutes) AS m
    RETURNING 1
  )
  SELECT count(*) AS n FROM inserted`;

/**
 * A royalty statement for the month `$4` months before now's (`$1`, zone `$2`, currency `$3`), so that the
 * demo shows confirmed months: each title's pool money a little off its estimate (the pool has no fixed rate),
 * an à-la-carte sale and a Google Play sale, logged in the import history as a demo file. Due six weeks
 * after the month, as Findaway's are.
 */
const DEMO_STATEMENT_SQL = `
  WITH m AS (SELECT (date_trunc('month', ($1::timestamptz AT TIME ZONE $2::text)) - make_interval(months => $4::int))::date AS month),
  upload AS (
    INSERT INTO upload_log (file_name, file_hash, size_bytes, type, kind, recognised, status, rows)
    SELECT 'demo: ' || to_char(month, 'YYYY-MM') || ' Digital Royalty.xlsx', 'demo-statement-' || to_char(month, 'YYYY-MM'), 0,
           'spotify-statement', 'spotify', 'Digital Royalty statement (demo data)', 'imported', 0 FROM m
    RETURNING id),
  statement AS (
    INSERT INTO spotify_statements (issuer, payee, period_start, period_end, month, invoice_number, invoice_date, due_date,
                                    currency, net_amount, upload_id)
    SELECT 'findaway', 'MT Ink (demo)', month, (month + interval '1 month' - interval '1 day')::date, month,
           to_char(month, 'YYYY-MM') || ' Digital Royalty', (month + interval '1 month')::date,
           (month + interval '1 month' + interval '41 days')::date, $3::text, 0, (SELECT id FROM upload)
      FROM m
    ON CONFLICT (issuer, payee, period_start, period_end) DO NOTHING
    RETURNING id, month),
  minutes AS (
    SELECT s.title, s.isbn, sum(s.minutes / 7.0) AS minutes
      FROM spotify_weekly_stats s CROSS JOIN generate_series(s.week_start, s.week_start + 6, interval '1 day') AS d, m
     WHERE date_trunc('month', d)::date = m.month
     GROUP BY s.title, s.isbn),
  lines (channel, title, isbn, sales_type, partner, is_spotify, is_pool, territory, qty, payable) AS (
    SELECT 'Pool', title, isbn, 'Pool', 'Spotify', true, true, 'US', 0, round(minutes * (0.00790 + 0.0001 * length(title)), 2) FROM minutes
    UNION ALL SELECT 'Retail', 'The Ink Road', '9781000000011', 'Retail', 'Spotify', true, false, 'GB', 2, 13.98
    UNION ALL SELECT 'Retail', 'Paper Harbours', '9781000000028', 'Retail', 'Google Play', false, false, 'US', 1, 4.80),
  stored AS (
    INSERT INTO spotify_statement_lines (statement_id, month, channel, sheet_row, title, isbn, title_key, sales_type, partner,
                                         is_spotify, is_pool, territory, currency, price_type, sales_qty, payable_currency, royalty_payable)
    SELECT st.id, st.month, l.channel, 1 + row_number() OVER (PARTITION BY l.channel ORDER BY l.title), l.title, l.isbn, l.isbn,
           l.sales_type, l.partner, l.is_spotify, l.is_pool, l.territory, $3::text, 'Gross', l.qty, $3::text, l.payable
      FROM statement st, lines l
    RETURNING statement_id)
  SELECT count(*) FROM stored`;

/** A demo statement's net amount and channel table, from its lines (a statement's CTEs cannot see its own rows). */
const DEMO_STATEMENT_TOTALS_SQL = `
  WITH channels AS (
    SELECT l.statement_id, l.channel, sum(l.royalty_payable) AS amount
      FROM spotify_statement_lines l JOIN spotify_statements s ON s.id = l.statement_id
     WHERE s.payee = 'MT Ink (demo)' GROUP BY 1, 2)
  UPDATE spotify_statements s
     SET net_amount = (SELECT sum(amount) FROM channels c WHERE c.statement_id = s.id),
         channels = (SELECT jsonb_agg(jsonb_build_object('channel', channel, 'currency', s.currency, 'amount', amount::text)
                                      ORDER BY channel DESC) FROM channels c WHERE c.statement_id = s.id)
   WHERE s.id IN (SELECT statement_id FROM channels)`;
