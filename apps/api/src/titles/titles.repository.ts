import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TimeWindow } from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { countedAndConvertible, refundInstant, revenueRefunds, rollupRefunds } from '../sales/sales-sql';
import { percentChange } from '../sales/sales.repository';

/** Title 0 in the rollups and figures: the orders stored without lines. */
export const NO_LINE_ITEMS = '0';

/** How figures are split besides by title: by platform, by country, or by local day. */
export type TitleSplit = 'platform' | 'country' | 'day';

/** A title's figures in the range (`revenue`) and the previous range: for one key, for the title, or for all. */
export interface TitleFiguresRow {
  level: 'key' | 'title' | 'total';
  titleId: string | null;
  /** The platform or country; null for an unknown country. */
  key: string | null;
  orders: number;
  units: number;
  revenue: string;
  previousRevenue: string;
  change: string | null;
}

export interface TitleDayRow {
  window: 1 | 2;
  day: string;
  units: number;
  revenue: string;
}

export interface SpotifyMinutesRow {
  titleId: string;
  minutes: string;
  estimatedRevenue: string;
}

interface SplitSource {
  table: 'title_daily_totals' | 'title_daily_countries';
  column: 'platform' | 'country';
  raw: string;
}

const SOURCES: Record<TitleSplit, SplitSource> = {
  platform: { table: 'title_daily_totals', column: 'platform', raw: 'o.platform' },
  country: { table: 'title_daily_countries', column: 'country', raw: `coalesce(o.country::text, '')` },
  day: { table: 'title_daily_totals', column: 'platform', raw: 'o.platform' },
};

/**
 * The read side of titles: revenue per title from the title rollups and, for what they do not cover
 * (ragged ends of a window, dirty days, a rollup built in another zone), from the lines' shares
 * directly, with the sales rules of `sales-sql.ts`. Sums, rounding and percentages happen in PostgreSQL.
 */
@Injectable()
export class TitlesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Folds the dirty hours into the title rollups (rebuilt when the zone changed); returns how many days. */
  async refreshRollups(): Promise<number> {
    const [row]: Array<{ folded: number }> = await this.dataSource.query(`SELECT refresh_title_rollups($1) AS folded`, [
      this.config.businessTimezone,
    ]);
    return row?.folded ?? 0;
  }

  /**
   * Per title and key (platform or country), per title (key null) and in all (title and key null):
   * orders, units and revenue of `current`, and revenue of `previous` with the change. Title `0` is the
   * orders without lines. `titleId` narrows it to one title.
   */
  async figures(
    current: TimeWindow,
    previous: TimeWindow,
    split: 'platform' | 'country',
    titleId?: string,
  ): Promise<TitleFiguresRow[]> {
    const rows: Array<{
      level: number;
      title_id: string | null;
      key: string | null;
      orders: number;
      units: number;
      revenue: string;
      previous_revenue: string;
      change: string | null;
    }> = await this.dataSource.query(
      `${this.figuresSql(split, titleId !== undefined)}
       SELECT level, title_id::text, key, orders, units, round(revenue, 2)::text AS revenue,
         round(previous_revenue, 2)::text AS previous_revenue, ${percentChange('revenue', 'previous_revenue')} AS change
       FROM (
         SELECT title_id, nullif(key, '') AS key, grouping(title_id, key) AS level,
           coalesce(sum(orders) FILTER (WHERE idx = 1), 0)::int AS orders,
           coalesce(sum(units) FILTER (WHERE idx = 1), 0)::int AS units,
           coalesce(sum(revenue) FILTER (WHERE idx = 1), 0) AS revenue,
           coalesce(sum(revenue) FILTER (WHERE idx = 2), 0) AS previous_revenue
         FROM figures
         GROUP BY GROUPING SETS ((title_id, key), (title_id), ())
       ) g
       ORDER BY level DESC, title_id, key`,
      this.params([current, previous], titleId),
    );
    return rows.map((row) => ({
      // grouping() marks the rolled-up rows: a real key may be null too (unknown country).
      level: row.level === 0 ? 'key' : row.level === 1 ? 'title' : 'total',
      titleId: row.title_id,
      key: row.key,
      orders: row.orders,
      units: row.units,
      revenue: row.revenue,
      previousRevenue: row.previous_revenue,
      change: row.change,
    }));
  }

  /** Units and revenue of one title per local day of `current` (window 1) and `previous` (window 2). */
  async days(current: TimeWindow, previous: TimeWindow, titleId: string): Promise<TitleDayRow[]> {
    const rows: Array<{ idx: string; day: string; units: number; revenue: string }> = await this.dataSource.query(
      `${this.figuresSql('day', true)}
       SELECT idx::text, to_char(day, 'YYYY-MM-DD') AS day, sum(units)::int AS units, round(sum(revenue), 2)::text AS revenue
       FROM figures GROUP BY idx, day ORDER BY idx, day`,
      this.params([current, previous], titleId),
    );
    return rows.map((row) => ({
      window: row.idx === '1' ? 1 : 2,
      day: row.day,
      units: row.units,
      revenue: row.revenue,
    }));
  }

  /**
   * Spotify minutes per title over the local days [firstDay, endDay): weekly stats, each week spread
   * evenly over its seven days; and their estimated revenue at `rate` per minute.
   */
  async spotifyMinutes(firstDay: string, endDay: string, rate: string, titleId?: string): Promise<SpotifyMinutesRow[]> {
    const rows: Array<{ title_id: string; minutes: string; estimated: string }> = await this.dataSource.query(
      `SELECT e.title_id::text AS title_id, round(sum(m.minutes)) ::text AS minutes,
         round(sum(m.minutes) * $3::numeric, 2)::text AS estimated
       FROM (
         SELECT s.title_key, s.minutes * (least(s.week_start + 7, $2::date) - greatest(s.week_start, $1::date)) / 7.0 AS minutes
         FROM spotify_weekly_stats s
         WHERE s.week_start > $1::date - 7 AND s.week_start < $2::date
       ) m
       JOIN spotify_title_editions k ON k.title_key = m.title_key
       JOIN editions e ON e.id = k.edition_id
       WHERE $4::bigint IS NULL OR e.title_id = $4::bigint
       GROUP BY e.title_id`,
      [firstDay, endDay, rate, titleId ?? null],
    );
    return rows.map((row) => ({ titleId: row.title_id, minutes: row.minutes, estimatedRevenue: row.estimated }));
  }

  /**
   * Minutes of one title per month from `firstMonth` to `lastMonth` (YYYY-MM-01): the monthly stats where
   * a month has them, else the weekly ones spread over their days.
   */
  async spotifyMonths(
    titleId: string,
    firstMonth: string,
    lastMonth: string,
    rate: string,
  ): Promise<Array<{ month: string; minutes: string; estimatedRevenue: string }>> {
    const rows: Array<{ month: string; minutes: string; estimated: string }> = await this.dataSource.query(
      `WITH keys AS (
         SELECT k.title_key FROM spotify_title_editions k JOIN editions e ON e.id = k.edition_id WHERE e.title_id = $1::bigint
       ),
       months AS (SELECT generate_series($2::date, $3::date, interval '1 month')::date AS month),
       monthly AS (
         SELECT s.month, sum(s.minutes) AS minutes FROM spotify_monthly_stats s
         WHERE s.title_key IN (SELECT title_key FROM keys) AND s.month >= $2::date AND s.month <= $3::date
         GROUP BY s.month
       ),
       weekly AS (
         SELECT date_trunc('month', d)::date AS month, sum(s.minutes / 7.0) AS minutes
         FROM spotify_weekly_stats s CROSS JOIN generate_series(s.week_start, s.week_start + 6, interval '1 day') AS d
         WHERE s.title_key IN (SELECT title_key FROM keys)
           AND s.week_start > $2::date - 7 AND s.week_start < ($3::date + interval '1 month')::date
         GROUP BY 1
       )
       SELECT to_char(m.month, 'YYYY-MM') AS month, round(coalesce(mo.minutes, w.minutes, 0))::text AS minutes,
         round(coalesce(mo.minutes, w.minutes, 0) * $4::numeric, 2)::text AS estimated
       FROM months m LEFT JOIN monthly mo ON mo.month = m.month LEFT JOIN weekly w ON w.month = m.month
       ORDER BY m.month`,
      [titleId, firstMonth, lastMonth, rate],
    );
    return rows.map((row) => ({ month: row.month, minutes: row.minutes, estimatedRevenue: row.estimated }));
  }

  /** $1/$2 the windows' bounds, $3 the zone, $4 the title (when narrowed). */
  private params(windows: TimeWindow[], titleId?: string): unknown[] {
    const params: unknown[] = [windows.map((w) => w.from), windows.map((w) => w.to), this.config.businessTimezone];
    if (titleId !== undefined) params.push(titleId);
    return params;
  }

  /**
   * CTE `figures` (idx, day, title_id, key, orders, units, revenue) of the windows in $1/$2: whole local
   * days that are neither dirty nor from another zone from the rollups, everything else from the lines.
   * `day` is the local day the row counts on (for a refund: the day of its attributed instant).
   */
  private figuresSql(split: TitleSplit, narrowed: boolean): string {
    const zone = '$3::text';
    const { table, column, raw } = SOURCES[split];
    const attribution = this.config.refundAttribution;
    const refunds = revenueRefunds(attribution, 'seg.s_from', 'seg.s_to');
    const title = narrowed ? 'AND e.title_id = $4::bigint' : '';
    const midnight = (day: string) => `(${day})::timestamp AT TIME ZONE ${zone}`;
    const localDay = (at: string) => `(${at} AT TIME ZONE ${zone})::date`;
    const withoutLines = narrowed
      ? ''
      : `UNION ALL
        SELECT seg.idx, ${localDay('o.created_at')}, 0, ${raw}, count(*), 0, sum(o.base_total)
        FROM seg JOIN orders o ON o.created_at >= seg.s_from AND o.created_at < seg.s_to
        WHERE ${countedAndConvertible()} AND NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = o.id)
        GROUP BY 1, 2, 3, 4`;
    return `
      WITH w AS (SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS w (from_at, to_at, idx)),
      zone_ok AS (SELECT EXISTS (SELECT 1 FROM title_rollup_zone z WHERE z.zone = ${zone}) AS ok),
      dirty_days AS (
        SELECT ${localDay('hour')} AS day FROM title_hourly_dirty
        UNION SELECT ${localDay(`(hour + interval '1 hour' - interval '1 microsecond')`)} FROM title_hourly_dirty
      ),
      b AS (
        SELECT w.idx, w.from_at, w.to_at, x.fd, x.td, x.fd < x.td AND (SELECT ok FROM zone_ok) AS has_days
        FROM w CROSS JOIN LATERAL (
          SELECT CASE WHEN ${midnight(localDay('w.from_at'))} = w.from_at THEN ${localDay('w.from_at')}
                      ELSE ${localDay('w.from_at')} + 1 END AS fd,
                 ${localDay('w.to_at')} AS td
        ) x
      ),
      seg AS (
        SELECT idx, from_at AS s_from, to_at AS s_to FROM b WHERE NOT has_days
        UNION ALL SELECT idx, from_at, ${midnight('fd')} FROM b WHERE has_days AND from_at < ${midnight('fd')}
        UNION ALL SELECT idx, ${midnight('td')}, to_at FROM b WHERE has_days AND ${midnight('td')} < to_at
        UNION ALL
        SELECT b.idx, ${midnight('d.day')}, ${midnight('d.day + 1')}
        FROM b JOIN dirty_days d ON d.day >= b.fd AND d.day < b.td WHERE b.has_days
      ),
      figures AS (
        SELECT b.idx, r.day, r.title_id, r.${column} AS key, r.orders, r.units, r.sales - r.${rollupRefunds(attribution)} AS revenue
        FROM b JOIN ${table} r ON r.day >= b.fd AND r.day < b.td
        WHERE b.has_days AND r.day NOT IN (SELECT day FROM dirty_days) ${narrowed ? 'AND r.title_id = $4::bigint' : ''}
        UNION ALL
        SELECT seg.idx, ${localDay('o.created_at')}, e.title_id, ${raw}, count(DISTINCT o.id), sum(t.quantity), sum(t.base_allocated)
        FROM seg JOIN orders o ON o.created_at >= seg.s_from AND o.created_at < seg.s_to
        JOIN order_line_titles t ON t.order_id = o.id
        JOIN editions e ON e.id = t.edition_id
        WHERE ${countedAndConvertible()} ${title}
        GROUP BY 1, 2, 3, 4
        ${withoutLines}
        UNION ALL
        SELECT seg.idx, ${localDay(refundInstant(attribution))}, coalesce(e.title_id, 0), ${raw}, 0, 0,
          -sum(coalesce(a.amount, r.base_amount))
        FROM seg, ${refunds.join}
        LEFT JOIN refund_line_allocations a ON a.refund_id = r.id
        LEFT JOIN order_line_titles t ON t.order_id = a.order_id AND t.position = a.position
        LEFT JOIN editions e ON e.id = t.edition_id
        WHERE ${refunds.where} ${title}
        GROUP BY 1, 2, 3, 4
      )`;
  }
}
