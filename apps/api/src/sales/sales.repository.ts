import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnalyticsWarning, HeroShare, Platform } from '@mt/contracts';
import { addDays, daysBetween, localDate, startOfLocalDay, TimeWindow } from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { GENERIC_PLAN_READS } from '../database/connection-pools';
import { preparedQuery } from '../database/prepared-query';
import {
  convertedRefund,
  countedAndConvertible,
  countedUnconvertible,
  refundInstant,
  revenueRefunds,
  rollupRefunds,
} from './sales-sql';
import { rateDaySql } from '../fx/fx-conversion';
import { warningsFromRows } from '../fx/fx-warnings';

/** A window to total, and the index (into the same list) of the window its change is measured against. */
export interface WindowSpec extends TimeWindow {
  previous: number | null;
}

/** Figures as PostgreSQL computed them: counts, money rounded to cents and percentages rounded to 0.01. */
export interface WindowFigures {
  label: string | null;
  from: Date;
  to: Date;
  orders: number;
  revenue: number;
  aov: number | null;
  ordersChange: number | null;
  revenueChange: number | null;
  aovChange: number | null;
}

export type SeriesUnit = 'day' | 'week' | 'month';

export interface GroupFigures {
  key: string | null;
  orders: number;
  revenue: number;
}

const SERIES: Record<SeriesUnit, { step: string; label: string }> = {
  day: { step: '1 day', label: 'YYYY-MM-DD' },
  week: { step: '1 week', label: 'YYYY-MM-DD' },
  month: { step: '1 month', label: 'YYYY-MM' },
};

/** A group's figures, its figures in the comparison window, and the percent changes. */
export interface ComparedGroupFigures extends GroupFigures {
  previous: { orders: number; revenue: number };
  change: { orders: number | null; revenue: number | null };
}

interface ComparedGroupRow {
  key: string | null;
  orders: number;
  revenue: string;
  previous_orders: number;
  previous_revenue: string;
  orders_change: string | null;
  revenue_change: string | null;
}

interface FiguresRow {
  label: string | null;
  from_at: Date;
  to_at: Date;
  orders: number;
  revenue: string;
  aov: string | null;
  orders_change: string | null;
  revenue_change: string | null;
  aov_change: string | null;
  watermark?: string;
}

/**
 * The read side of sales: owns the SQL that reads `orders`, `refunds` and their rollups for figures.
 * Every sum, count, day bucket and percentage is computed by PostgreSQL in `numeric`; the rows come back
 * as decimal strings already rounded, and become JSON numbers only here.
 */
@Injectable()
export class SalesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    /** The warnings' prepared read, on its generic plan (see GENERIC_PLAN_READS). */
    @InjectDataSource(GENERIC_PLAN_READS) private readonly reads: DataSource,
  ) {}

  /**
   * Folds the hours that order and refund changes marked dirty into `order_hourly_totals` and
   * `order_daily_breakdown` (rebuilt when the business zone changed); returns how many hours.
   */
  async refreshRollups(): Promise<number> {
    const [row]: Array<{ folded: number }> = await this.dataSource.query(`SELECT refresh_order_rollups($1) AS folded`, [
      this.config.businessTimezone,
    ]);
    return row?.folded ?? 0;
  }

  /** Totals of each window and its change against its `previous`, in one query. */
  async windows(specs: WindowSpec[]): Promise<WindowFigures[]> {
    return (await this.windowRows(specs, {})).map(mapFigures);
  }

  /**
   * The same, with the snapshot they were read in (`pg_current_snapshot()` of the one statement): the
   * watermark that tells a live dashboard which order shares the figures include (live-hero.ts).
   */
  async windowsWithWatermark(specs: WindowSpec[]): Promise<{ figures: WindowFigures[]; watermark: string }> {
    const rows = await this.windowRows(specs, { watermark: true });
    return { figures: rows.map(mapFigures), watermark: rows[0]!.watermark! };
  }

  private windowRows(specs: WindowSpec[], options: { watermark?: boolean }): Promise<FiguresRow[]> {
    // Prepared: every range answer (comparisons, titles) reads it, and it plans in about a millisecond.
    return preparedQuery<FiguresRow>(
      this.dataSource,
      this.figuresSql(
        `
        SELECT i.idx, i.prev, i.from_at, i.to_at, NULL::text AS label
        FROM unnest($1::timestamptz[], $2::timestamptz[], $3::int[]) WITH ORDINALITY AS i (from_at, to_at, prev, idx)`,
        '$4::text',
        options,
      ),
      [
        specs.map((s) => s.from),
        specs.map((s) => s.to),
        specs.map((s) => (s.previous === null ? 0 : s.previous + 1)),
        this.config.businessTimezone,
      ],
    );
  }

  /**
   * What each order adds to the hero's day (SPEC §2 "What counts": counted and convertible, its base
   * total on its creation day in the business zone), as transaction `commit` stored it. Only where that
   * is known exactly from the row: the order is counted and convertible, its row is still the version
   * `commit` wrote (no later change moved it), and it has no refund (a refund lowers revenue on its own
   * day, SPEC §2: such an order moves the hero with the next push). Keyed by order id.
   */
  async heroShares(changes: Array<{ orderId: string; commit: string }>): Promise<Map<string, HeroShare>> {
    if (changes.length === 0) return new Map();
    const rows: Array<{ id: string; day: string; revenue: string; commit: string }> = await this.dataSource.query(
      `SELECT o.id::text AS id, to_char(o.created_at AT TIME ZONE $3::text, 'YYYY-MM-DD') AS day,
              o.base_total::text AS revenue, c.commit
       FROM unnest($1::bigint[], $2::text[]) AS c (id, commit)
       JOIN orders o ON o.id = c.id
       WHERE ${countedAndConvertible()} AND o.xmin = c.commit::xid8::xid
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id)`,
      [changes.map((c) => c.orderId), changes.map((c) => c.commit), this.config.businessTimezone],
    );
    return new Map(rows.map((row) => [row.id, { day: row.day, orders: 1, revenue: row.revenue, commit: row.commit }]));
  }

  /**
   * Totals of each window of each group (a day's hours), and the running revenue within its group from
   * the group's first window on, summed exactly before it is rounded.
   */
  async runningWindows(groups: TimeWindow[][]): Promise<Array<Array<WindowFigures & { cumulativeRevenue: number }>>> {
    const specs = groups.flatMap((windows, group) => windows.map((w) => ({ ...w, group })));
    const rows: Array<FiguresRow & { running_revenue: string }> = await this.dataSource.query(
      this.figuresSql(
        `
        SELECT i.idx, 0::bigint AS prev, i.from_at, i.to_at, i.grp::text AS label
        FROM unnest($1::timestamptz[], $2::timestamptz[], $3::int[]) WITH ORDINALITY AS i (from_at, to_at, grp, idx)`,
        '$4::text',
        { running: true },
      ),
      [specs.map((s) => s.from), specs.map((s) => s.to), specs.map((s) => s.group), this.config.businessTimezone],
    );
    const result: Array<Array<WindowFigures & { cumulativeRevenue: number }>> = groups.map(() => []);
    rows.forEach((row, i) => {
      result[specs[i]!.group]!.push({
        ...mapFigures(row),
        label: null,
        cumulativeRevenue: Number(row.running_revenue),
      });
    });
    return result;
  }

  /**
   * A series of calendar periods in the business zone, from the period that starts at local `first`
   * (`YYYY-MM-DD`) to the one that holds `now` (cut at now), each with its change against the one before.
   * The first period only serves as the base of the second's change. With `start`, the periods after the
   * first begin no earlier than it (a range that starts at an instant inside its first day).
   */
  async series(unit: SeriesUnit, first: string, last: string, now: Date, start?: Date): Promise<WindowFigures[]> {
    const { step, label } = SERIES[unit];
    const rows: FiguresRow[] = await this.dataSource.query(
      this.figuresSql(
        `
        SELECT row_number() OVER (ORDER BY d) AS idx, row_number() OVER (ORDER BY d) - 1 AS prev,
          CASE WHEN d = $2::timestamp THEN d AT TIME ZONE $1::text
               ELSE greatest(d AT TIME ZONE $1::text, coalesce($7::timestamptz, '-infinity')) END AS from_at,
          least((d + $4::interval) AT TIME ZONE $1::text, $5::timestamptz) AS to_at,
          to_char(d, $6) AS label
        FROM generate_series($2::timestamp, $3::timestamp, $4::interval) AS d`,
        '$1::text',
      ),
      [this.config.businessTimezone, first, last, step, now, label, start ?? null],
    );
    return rows.map(mapFigures);
  }

  /**
   * Orders and revenue of [from, to) per country (`key`, null when unknown), best first, at most `limit`,
   * each with its figures in the comparison window `previous` (none given: nothing to compare with).
   */
  async countries(
    window: TimeWindow,
    sort: 'orders' | 'revenue',
    limit: number,
    previous: TimeWindow = { from: window.from, to: window.from },
  ): Promise<ComparedGroupFigures[]> {
    const order = sort === 'orders' ? 'g.orders DESC, g.revenue DESC' : 'g.revenue DESC, g.orders DESC';
    const rows: ComparedGroupRow[] = await this.dataSource.query(
      `WITH g AS (${this.groupedSql('country')}), gp AS (${this.groupedSql('country', 7)})
       SELECT nullif(g.key, '') AS key, ${comparedColumns('g', 'gp')}
       FROM g LEFT JOIN gp ON gp.key = g.key
       ORDER BY ${order}, g.key = '', g.key LIMIT $15`,
      [...this.groupedParams(window), ...this.groupedParams(previous), limit],
    );
    return rows.map(mapComparedGroup);
  }

  /**
   * Orders and revenue of [from, to) and of the comparison window for each platform, in the given order,
   * and whether the platform ever had an order.
   */
  async platforms(
    window: TimeWindow,
    previous: TimeWindow,
    platforms: readonly Platform[],
  ): Promise<Array<ComparedGroupFigures & { hasOrders: boolean }>> {
    // Literals, not a parameter: with one, the planner guesses an average platform and scans the table
    // to prove that eBay has no order; a literal lets it use the statistics and the natural-key index.
    const list = platforms.map((platform, position) => {
      if (!/^[a-z]+$/.test(platform)) throw new Error(`unexpected platform ${platform}`);
      return `('${platform}', ${position}, EXISTS (SELECT 1 FROM orders x WHERE x.platform = '${platform}'))`;
    });
    const rows: Array<ComparedGroupRow & { has_orders: boolean }> = await this.dataSource.query(
      `WITH g AS (${this.groupedSql('platform')}), gp AS (${this.groupedSql('platform', 7)})
       SELECT p.key, p.has_orders, ${comparedColumns('g', 'gp')}
       FROM (VALUES ${list.join(', ')}) AS p (key, position, has_orders)
       LEFT JOIN g ON g.key = p.key
       LEFT JOIN gp ON gp.key = p.key
       ORDER BY p.position`,
      [...this.groupedParams(window), ...this.groupedParams(previous)],
    );
    return rows.map((row) => ({ ...mapComparedGroup(row), hasOrders: row.has_orders }));
  }

  /**
   * Orders and refunds inside any of the windows that count but could not be converted to the base
   * currency, so they are missing from the figures.
   */
  async warnings(windows: TimeWindow[]): Promise<AnalyticsWarning[]> {
    const refundTime = refundInstant(this.config.refundAttribution);
    const rows = await preparedQuery<{ code: AnalyticsWarning['code']; currency: string; day: string; n: number }>(
      this.reads,
      `WITH w AS (SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[]) AS w (from_at, to_at)),
       bounds AS (SELECT min(from_at) AS lo, max(to_at) AS hi FROM w)
       SELECT 'unconverted_orders' AS code, trim(o.currency) AS currency,
         to_char(${rateDaySql('o.created_at', '$3')}, 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM orders o, bounds
       WHERE ${countedUnconvertible()} AND o.created_at >= bounds.lo AND o.created_at < bounds.hi
         AND EXISTS (SELECT 1 FROM w WHERE o.created_at >= w.from_at AND o.created_at < w.to_at)
       GROUP BY 2, 3
       UNION ALL
       SELECT 'unconverted_refunds', trim(o.currency), to_char(${rateDaySql('r.refunded_at', '$3')}, 'YYYY-MM-DD'), count(*)::int
       FROM refunds r JOIN orders o ON o.id = r.order_id, bounds
       WHERE NOT (${convertedRefund()}) AND ${countedAndConvertible()} AND ${refundTime} >= bounds.lo AND ${refundTime} < bounds.hi
         AND EXISTS (SELECT 1 FROM w WHERE ${refundTime} >= w.from_at AND ${refundTime} < w.to_at)
       GROUP BY 2, 3`,
      [windows.map((w) => w.from), windows.map((w) => w.to), this.config.businessTimezone],
    );
    return warningsFromRows(rows, this.config.baseCurrency);
  }

  /** Creation time of the latest counted order (converted or not) at or before `before`. */
  async lastOrderAt(before: Date): Promise<Date | null> {
    // Two partial indexes cover counted orders (converted and not); max() of each is an index lookup.
    const [row]: Array<{ at: Date | null }> = await this.dataSource.query(
      `SELECT greatest(
         (SELECT max(o.created_at) FROM orders o WHERE ${countedAndConvertible()} AND o.created_at <= $1),
         (SELECT max(o.created_at) FROM orders o WHERE ${countedUnconvertible()} AND o.created_at <= $1)) AS at`,
      [before],
    );
    return row?.at ?? null;
  }

  /** Creation time of the first order that enters the figures. */
  async firstOrderAt(): Promise<Date | null> {
    const [row]: Array<{ at: Date | null }> = await this.dataSource.query(
      `SELECT min(o.created_at) AS at FROM orders o WHERE ${countedAndConvertible()}`,
    );
    return row?.at ?? null;
  }

  /**
   * Totals per window, on three levels. Whole local days of the business zone come from
   * `order_daily_totals`; the rest of a window (its ragged ends, days marked dirty, everything while the
   * rollups were built in another zone) is split again: whole UTC hours from `order_hourly_totals`, and
   * what is left (the hour of "now", :30 zones, dirty hours) summed from `orders`/`refunds` directly.
   * `windowsSql` yields (idx, prev, from_at, to_at, label); `zone` is the parameter holding the zone.
   */
  private figuresSql(
    windowsSql: string,
    zone: string,
    options: { running?: boolean; watermark?: boolean } = {},
  ): string {
    const refundColumn = rollupRefunds(this.config.refundAttribution);
    const refunds = revenueRefunds(this.config.refundAttribution, 'seg.s_from', 'seg.s_to');
    const rawRefunds = `SELECT coalesce(sum(rr.base_amount), 0) AS refunds FROM ${refunds}`;
    const localMidnight = (local: string) => `(${local}) AT TIME ZONE ${zone}`;
    return `
      WITH w0 AS (${windowsSql}),
      zone_ok AS (SELECT EXISTS (SELECT 1 FROM order_rollup_zone z WHERE z.zone = ${zone}) AS ok),
      dirty AS (SELECT DISTINCT hour FROM order_hourly_dirty),
      dirty_days AS (
        SELECT (hour AT TIME ZONE ${zone})::date AS day FROM dirty
        UNION SELECT ((hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE ${zone})::date FROM dirty
      ),
      wd AS (
        SELECT w0.idx, w0.from_at, w0.to_at,
          CASE WHEN b.df < b.dt THEN b.df ELSE w0.to_at END AS day_from,
          CASE WHEN b.df < b.dt THEN b.dt ELSE w0.to_at END AS day_to
        FROM w0 CROSS JOIN LATERAL (
          SELECT CASE WHEN ${localMidnight(`date_trunc('day', w0.from_at AT TIME ZONE ${zone})`)} = w0.from_at THEN w0.from_at
                      ELSE ${localMidnight(`date_trunc('day', w0.from_at AT TIME ZONE ${zone}) + interval '1 day'`)} END AS df,
                 ${localMidnight(`date_trunc('day', w0.to_at AT TIME ZONE ${zone})`)} AS dt
        ) b
      ),
      days AS (
        SELECT idx, (day_from AT TIME ZONE ${zone})::date AS first_day, (day_to AT TIME ZONE ${zone})::date AS end_day FROM wd
      ),
      daily AS (
        SELECT days.idx, sum(t.orders) AS orders, sum(t.sales) AS sales, sum(t.${refundColumn}) AS refunds
        FROM days JOIN order_daily_totals t ON t.day >= days.first_day AND t.day < days.end_day
        WHERE (SELECT ok FROM zone_ok) AND t.day NOT IN (SELECT day FROM dirty_days)
        GROUP BY days.idx
      ),
      parts AS (
        SELECT idx, from_at, day_from AS to_at FROM wd WHERE from_at < day_from
        UNION ALL SELECT idx, day_to, to_at FROM wd WHERE day_to < to_at
        UNION ALL SELECT idx, day_from, day_to FROM wd WHERE day_from < day_to AND NOT (SELECT ok FROM zone_ok)
        UNION ALL
        SELECT days.idx, ${localMidnight('d.day::timestamp')}, ${localMidnight('(d.day + 1)::timestamp')}
        FROM days JOIN dirty_days d ON d.day >= days.first_day AND d.day < days.end_day
        WHERE (SELECT ok FROM zone_ok)
      ),
      w AS (
        SELECT parts.*,
          CASE WHEN b.hf <= b.ht THEN b.hf ELSE parts.to_at END AS mid_from,
          CASE WHEN b.hf <= b.ht THEN b.ht ELSE parts.to_at END AS mid_to
        FROM parts CROSS JOIN LATERAL (
          SELECT CASE WHEN order_hour(parts.from_at) = parts.from_at THEN parts.from_at
                      ELSE order_hour(parts.from_at) + interval '1 hour' END AS hf,
                 order_hour(parts.to_at) AS ht
        ) b
      ),
      seg AS (
        SELECT idx, from_at AS s_from, mid_from AS s_to FROM w WHERE from_at < mid_from
        UNION ALL SELECT idx, mid_to, to_at FROM w WHERE mid_to < to_at
        UNION ALL SELECT w.idx, d.hour, d.hour + interval '1 hour' FROM w JOIN dirty d ON d.hour >= w.mid_from AND d.hour < w.mid_to
      ),
      raw AS (
        SELECT seg.idx, sum(s.orders) AS orders, sum(s.sales) AS sales, sum(r.refunds) AS refunds
        FROM seg
        CROSS JOIN LATERAL (
          SELECT count(*) AS orders, coalesce(sum(o.base_total), 0) AS sales FROM orders o
          WHERE ${countedAndConvertible()} AND o.created_at >= seg.s_from AND o.created_at < seg.s_to
        ) s
        CROSS JOIN LATERAL (${rawRefunds}) r
        GROUP BY seg.idx
      ),
      hourly AS (
        SELECT w.idx, sum(t.orders) AS orders, sum(t.sales) AS sales, sum(t.${refundColumn}) AS refunds
        FROM w JOIN order_hourly_totals t ON t.hour >= w.mid_from AND t.hour < w.mid_to
        WHERE NOT EXISTS (SELECT 1 FROM dirty d WHERE d.hour = t.hour)
        GROUP BY w.idx
      ),
      t AS (
        SELECT w0.idx, w0.prev, w0.label, w0.from_at, w0.to_at,
          coalesce(raw.orders, 0) + coalesce(hourly.orders, 0) + coalesce(daily.orders, 0) AS orders,
          coalesce(raw.sales, 0) + coalesce(hourly.sales, 0) + coalesce(daily.sales, 0)
            - coalesce(raw.refunds, 0) - coalesce(hourly.refunds, 0) - coalesce(daily.refunds, 0) AS revenue
        FROM w0
        LEFT JOIN raw ON raw.idx = w0.idx
        LEFT JOIN hourly ON hourly.idx = w0.idx
        LEFT JOIN daily ON daily.idx = w0.idx
      )
      SELECT t.label, t.from_at, t.to_at, t.orders::int AS orders, round(t.revenue, 2)::text AS revenue,
        round(t.revenue / nullif(t.orders, 0), 2)::text AS aov,
        ${percentChange('t.orders', 'p.orders')} AS orders_change,
        ${percentChange('t.revenue', 'p.revenue')} AS revenue_change,
        ${percentChange('t.revenue / nullif(t.orders, 0)', 'p.revenue / nullif(p.orders, 0)')} AS aov_change
        ${options.running ? ', round(sum(t.revenue) OVER (PARTITION BY t.label ORDER BY t.idx), 2)::text AS running_revenue' : ''}
        ${options.watermark ? ', pg_current_snapshot()::text AS watermark' : ''}
      FROM t LEFT JOIN t p ON p.idx = t.prev
      ORDER BY t.idx`;
  }

  /**
   * Splits [from, to) into the whole local days inside it ($3 to $4, exclusive), read from the daily
   * breakdown, and the ragged head [$1, $2) and tail [$6, $7), read from `orders`; $5 is the zone.
   */
  private groupedParams(window: TimeWindow): unknown[] {
    const zone = this.config.businessTimezone;
    const fromDay = localDate(window.from, zone);
    const firstDay = startOfLocalDay(fromDay, zone).getTime() < window.from.getTime() ? addDays(fromDay, 1) : fromDay;
    const endDay = localDate(window.to, zone);
    if (daysBetween(firstDay, endDay) <= 0) {
      return [window.from, window.to, firstDay, firstDay, zone, window.to, window.to];
    }
    return [
      window.from,
      startOfLocalDay(firstDay, zone),
      firstDay,
      endDay,
      zone,
      startOfLocalDay(endDay, zone),
      window.to,
    ];
  }

  /**
   * A query of (key, orders, revenue) grouped by country or platform, to be named as a CTE; its seven
   * parameters (see `groupedParams`) are numbered from `$${offset + 1}`. Whole days come from
   * `order_daily_breakdown` unless dirty (or built in another zone); the rest from `orders`.
   */
  private groupedSql(key: 'country' | 'platform', offset = 0): string {
    const $ = (n: number) => `$${offset + n}`;
    const rawKey = `coalesce(o.${key}::text, '')`;
    const refunds = revenueRefunds(this.config.refundAttribution, 'seg.s_from', 'seg.s_to');
    return `
      WITH stale AS (SELECT NOT EXISTS (SELECT 1 FROM order_rollup_zone z WHERE z.zone = ${$(5)}) AS stale),
      dirty_days AS (
        SELECT (h.hour AT TIME ZONE ${$(5)})::date AS day FROM order_hourly_dirty h
        UNION SELECT ((h.hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE ${$(5)})::date FROM order_hourly_dirty h
        UNION SELECT d::date FROM stale, generate_series(${$(3)}::date, ${$(4)}::date, interval '1 day') AS d WHERE stale.stale
      ),
      seg AS (
        SELECT ${$(1)}::timestamptz AS s_from, ${$(2)}::timestamptz AS s_to
        UNION ALL SELECT ${$(6)}::timestamptz, ${$(7)}::timestamptz
        UNION ALL
        SELECT d.day::timestamp AT TIME ZONE ${$(5)}, (d.day + 1)::timestamp AT TIME ZONE ${$(5)}
        FROM dirty_days d WHERE d.day >= ${$(3)}::date AND d.day < ${$(4)}::date
      ),
      s AS (
        SELECT ${rawKey} AS key, count(*) AS orders, sum(o.base_total) AS sales
        FROM seg JOIN orders o ON o.created_at >= seg.s_from AND o.created_at < seg.s_to
        WHERE ${countedAndConvertible()} GROUP BY 1
      ),
      r AS (
        SELECT coalesce(rr.${key}::text, '') AS key, sum(rr.base_amount) AS refunds
        FROM seg CROSS JOIN ${refunds} GROUP BY 1
      ),
      b AS (
        SELECT b.${key} AS key, sum(b.orders) AS orders, sum(b.sales) AS sales,
          sum(b.${rollupRefunds(this.config.refundAttribution)}) AS refunds
        FROM order_daily_breakdown b
        WHERE b.day >= ${$(3)}::date AND b.day < ${$(4)}::date AND b.day NOT IN (SELECT day FROM dirty_days)
        GROUP BY 1
      )
      SELECT key, sum(orders)::int AS orders, sum(sales) - sum(refunds) AS revenue
      FROM (
        SELECT key, orders, sales, 0 AS refunds FROM s
        UNION ALL SELECT key, 0, 0, refunds FROM r
        UNION ALL SELECT key, orders, sales, refunds FROM b
      ) parts
      GROUP BY key`;
  }
}

/** (current − previous) / previous × 100, null when previous is 0 or null (SPEC §2). */
export function percentChange(current: string, previous: string): string {
  return `CASE WHEN (${previous}) IS NULL OR (${previous}) = 0 THEN NULL
    ELSE round(((${current})::numeric - (${previous})) * 100 / (${previous}), 2)::text END`;
}

/** The columns of `ComparedGroupRow` from a group's CTE and its comparison's, either side possibly missing. */
function comparedColumns(current: string, previous: string): string {
  const [orders, revenue] = [`coalesce(${current}.orders, 0)`, `coalesce(${current}.revenue, 0)`];
  const [previousOrders, previousRevenue] = [`coalesce(${previous}.orders, 0)`, `coalesce(${previous}.revenue, 0)`];
  return `${orders}::int AS orders, round(${revenue}, 2)::text AS revenue,
    ${previousOrders}::int AS previous_orders, round(${previousRevenue}, 2)::text AS previous_revenue,
    ${percentChange(orders, previousOrders)} AS orders_change,
    ${percentChange(revenue, previousRevenue)} AS revenue_change`;
}

function mapComparedGroup(row: ComparedGroupRow): ComparedGroupFigures {
  return {
    key: row.key,
    orders: row.orders,
    revenue: Number(row.revenue),
    previous: { orders: row.previous_orders, revenue: Number(row.previous_revenue) },
    change: { orders: nullableNumber(row.orders_change), revenue: nullableNumber(row.revenue_change) },
  };
}

function mapFigures(row: FiguresRow): WindowFigures {
  return {
    label: row.label,
    from: row.from_at,
    to: row.to_at,
    orders: row.orders,
    revenue: Number(row.revenue),
    aov: nullableNumber(row.aov),
    ordersChange: nullableNumber(row.orders_change),
    revenueChange: nullableNumber(row.revenue_change),
    aovChange: nullableNumber(row.aov_change),
  };
}

function nullableNumber(value: string | null): number | null {
  return value === null ? null : Number(value);
}
