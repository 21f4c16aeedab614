import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TimeWindow } from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { GENERIC_PLAN_READS } from '../database/connection-pools';
import { preparedQuery } from '../database/prepared-query';
import { convertedRefund, countedAndConvertible, refundInstant, rollupRefunds } from '../sales/sales-sql';
import { percentChange } from '../sales/sales.repository';
import { type DayRange, type TitleRollupState, type WindowPart, windowParts } from './window-parts';

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

/** What one answer reads first: see `TitlesRepository.readState`. */
export interface TitlesReadState {
  rollups: TitleRollupState;
  catalogueVersion: string;
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
  days: 'title_daily_totals' | 'title_daily_countries';
  months: 'title_monthly_totals' | 'title_monthly_countries';
  column: 'platform' | 'country';
  raw: string;
}

const SOURCES: Record<TitleSplit, SplitSource> = {
  platform: { days: 'title_daily_totals', months: 'title_monthly_totals', column: 'platform', raw: 'o.platform' },
  country: {
    days: 'title_daily_countries',
    months: 'title_monthly_countries',
    column: 'country',
    raw: `coalesce(o.country::text, '')`,
  },
  day: { days: 'title_daily_totals', months: 'title_monthly_totals', column: 'platform', raw: 'o.platform' },
};

/**
 * The read side of titles: revenue per title from the daily and hourly title rollups and, for what they
 * do not cover (the minutes at a window's ends, dirty hours), from the lines' shares directly, with the
 * sales rules of `sales-sql.ts` (see `windowParts`). Sums, rounding and percentages happen in PostgreSQL.
 */
@Injectable()
export class TitlesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Every read below: prepared, on generic plans (see GENERIC_PLAN_READS). */
    @InjectDataSource(GENERIC_PLAN_READS) private readonly reads: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Folds the marked hours into the hourly and the daily title rollups (the daily ones rebuilt when the
   * zone changed); returns how many days.
   */
  async refreshRollups(): Promise<number> {
    const [row]: Array<{ folded: number }> = await this.dataSource.query(
      `SELECT refresh_title_hour_rollups() AS hours, refresh_title_rollups($1) AS folded`,
      [this.config.businessTimezone],
    );
    return row?.folded ?? 0;
  }

  /**
   * What the title rollups can answer for now (see `windowParts`), and the catalogue's version (see
   * `CatalogueRepository.heads`): read in one statement before a query is planned, once for the several
   * queries of one answer.
   */
  async readState(): Promise<TitlesReadState> {
    const [state] = await preparedQuery<{
      in_zone: boolean;
      dirty_days: string[];
      dirty_hours: Date[];
      catalogue_version: string;
    }>(
      this.reads,
      `SELECT EXISTS (SELECT 1 FROM title_rollup_zone z WHERE z.zone = $1) AS in_zone,
         ARRAY(SELECT DISTINCT to_char(day, 'YYYY-MM-DD') FROM (
           SELECT (hour AT TIME ZONE $1)::date AS day FROM title_hourly_dirty
           UNION SELECT ((hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE $1)::date FROM title_hourly_dirty
         ) d ORDER BY 1) AS dirty_days,
         ARRAY(SELECT DISTINCT hour FROM title_hour_dirty ORDER BY 1) AS dirty_hours,
         (SELECT version::text FROM catalogue_version) AS catalogue_version`,
      [this.config.businessTimezone],
    );
    return {
      rollups: { daysInZone: state!.in_zone, dirtyDays: state!.dirty_days, dirtyHours: state!.dirty_hours },
      catalogueVersion: state!.catalogue_version,
    };
  }

  /**
   * Per title and key (platform or country), per title (key null) and in all (title and key null):
   * orders, units and revenue of `current`, and revenue of `previous` (0 without one) with the change.
   * Title `0` is the orders without lines. `titleId` narrows it to one title.
   */
  async figures(
    current: TimeWindow,
    previous: TimeWindow | null,
    split: 'platform' | 'country',
    titleId?: string,
    state?: TitleRollupState,
  ): Promise<TitleFiguresRow[]> {
    const rows = await this.query<{
      level: number;
      title_id: string | null;
      key: string | null;
      orders: number;
      units: number;
      revenue: string;
      previous_revenue: string;
      change: string | null;
    }>(
      previous ? [current, previous] : [current],
      split,
      titleId,
      state,
      (figures) => `${figures}
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
  async days(
    current: TimeWindow,
    previous: TimeWindow,
    titleId: string,
    state?: TitleRollupState,
  ): Promise<TitleDayRow[]> {
    const rows: Array<{ idx: string; day: string; units: number; revenue: string }> = await this.query(
      [current, previous],
      'day',
      titleId,
      state,
      (figures) => `${figures}
       SELECT idx::text, to_char(day, 'YYYY-MM-DD') AS day, sum(units)::int AS units, round(sum(revenue), 2)::text AS revenue
       FROM figures GROUP BY idx, day ORDER BY idx, day`,
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
   * evenly over its seven days; and their estimated revenue at `rate` per minute. A week wholly inside
   * counts its minutes as they are (what 7/7 of them is, exactly), and each key is summed before the
   * joins: a year read 3,700 rows through two joins, dividing each (5 ms; 1.5 ms now).
   */
  async spotifyMinutes(firstDay: string, endDay: string, rate: string, titleId?: string): Promise<SpotifyMinutesRow[]> {
    const rows = await preparedQuery<{ title_id: string; minutes: string; estimated: string }>(
      this.reads,
      `SELECT e.title_id::text AS title_id, round(sum(m.minutes)) ::text AS minutes,
         round(sum(m.minutes) * $3::numeric, 2)::text AS estimated
       FROM (
         SELECT s.title_key, sum(CASE WHEN s.week_start >= $1::date AND s.week_start + 7 <= $2::date THEN s.minutes
           ELSE s.minutes * (least(s.week_start + 7, $2::date) - greatest(s.week_start, $1::date)) / 7.0 END) AS minutes
         FROM spotify_weekly_stats s
         WHERE s.week_start > $1::date - 7 AND s.week_start < $2::date
         GROUP BY s.title_key
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
    const rows = await preparedQuery<{ month: string; minutes: string; estimated: string }>(
      this.reads,
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

  /**
   * Runs `select(figures)`, where `figures` is the CTE (idx, day, title_id, key, orders, units, revenue)
   * of the windows (idx 1, 2, …), each read in the parts of `windowParts`: whole months from the monthly
   * rollups (not per day), whole days from the daily ones, whole hours from the hourly ones, the rest
   * from the lines' shares. `day` is the local day a row counts on (for a refund: the day of its
   * attributed instant). `state` as `readState()` gives it (read here without one).
   */
  private async query<T>(
    windows: TimeWindow[],
    split: TitleSplit,
    titleId: string | undefined,
    state: TitleRollupState | undefined,
    select: (figures: string) => string,
  ): Promise<T[]> {
    const zone = this.config.businessTimezone;
    const rollups = state ?? (await this.readState()).rollups;
    const parts = windowParts(windows, zone, rollups, { months: split !== 'day' });
    const params: unknown[] = [zone, rollups.dirtyDays];
    const param = (value: unknown) => `$${params.push(value)}`;
    const title = titleId === undefined ? null : param(titleId);
    const ranges = (list: DayRange[]) =>
      `unnest(${param(list.map((p) => p.idx))}::int[], ${param(list.map((p) => p.first))}::date[],
         ${param(list.map((p) => p.end))}::date[], ${param(list.map((p) => p.sign))}::int[]) AS s (idx, lo, hi, sign)`;
    const stretches = (list: WindowPart[]) =>
      `unnest(${param(list.map((p) => p.idx))}::int[], ${param(list.map((p) => p.from))}::timestamptz[],
         ${param(list.map((p) => p.to))}::timestamptz[], ${param(list.map((p) => p.sign))}::int[]) AS s (idx, f, t, sign)`;
    // The hourly rollups are by platform only: by country, the hours are read from the lines too.
    const [hours, raw] = split === 'country' ? [[], [...parts.hours, ...parts.raw]] : [parts.hours, parts.raw];
    const sql = [
      ...(parts.months.length ? [this.rolledSql(split, 'months', ranges(parts.months), title)] : []),
      ...(parts.days.length ? [this.rolledSql(split, 'days', ranges(parts.days), title)] : []),
      ...(hours.length ? [this.hourlySql(stretches(hours), title)] : []),
      ...(raw.length ? [this.rawSql(split, stretches(raw), title)] : []),
    ];
    const empty = `SELECT 0::bigint, NULL::date, 0::bigint, ''::text, 0::bigint, 0::bigint, 0::numeric WHERE false`;
    // `given` states the types of $1 and $2, which a query without some of the parts would not use.
    const figures = `WITH given AS (SELECT $1::text AS zone, $2::date[] AS dirty),
    figures (idx, day, title_id, key, orders, units, revenue) AS (
      ${sql.length ? sql.join('\n      UNION ALL\n') : empty}
    )`;
    return preparedQuery<T>(this.reads, select(figures), params);
  }

  /**
   * The ranges `s` (idx, lo, hi, sign) of whole local days (their dirty days, $2, left out) or of whole months
   * from the rollups, each by its own index range scan (LATERAL), summed per title and key: the grouping
   * sets of a year's figures then go over a few rows per title. Each times its sign (-1: days taken off
   * their month, see `windowParts`). Per day (split `day`) not summed, and
   * fenced by OFFSET 0: flattened into a join, a title's every day was read and then filtered (2,190 rows
   * for a title page of 30 days).
   */
  private rolledSql(split: TitleSplit, unit: 'days' | 'months', ranges: string, title: string | null): string {
    const source = SOURCES[split];
    const [table, at] = unit === 'days' ? [source.days, 'day'] : [source.months, 'month'];
    const where = `r.${at} >= s.lo AND r.${at} < s.hi ${unit === 'days' ? 'AND r.day <> ALL ($2::date[])' : ''}
        ${title ? `AND r.title_id = ${title}::bigint` : ''}`;
    const refunds = rollupRefunds(this.config.refundAttribution);
    if (split === 'day')
      return `SELECT s.idx::bigint, x.day, x.title_id, x.key, s.sign * x.orders, s.sign * x.units, s.sign * x.revenue
        FROM ${ranges} CROSS JOIN LATERAL (
        SELECT r.${at}, r.title_id, r.${source.column}, r.orders::bigint, r.units::bigint, r.sales - r.${refunds}
        FROM ${table} r WHERE ${where} OFFSET 0) x (day, title_id, key, orders, units, revenue)`;
    return `SELECT s.idx::bigint, NULL::date, x.title_id, x.key, s.sign * x.orders, s.sign * x.units, s.sign * x.revenue
        FROM ${ranges} CROSS JOIN LATERAL (
        SELECT r.title_id, r.${source.column}, sum(r.orders)::bigint, sum(r.units)::bigint, sum(r.sales) - sum(r.${refunds})
        FROM ${table} r WHERE ${where}
        GROUP BY r.title_id, r.${source.column}) x (title_id, key, orders, units, revenue)`;
  }

  /**
   * Whole UTC hours of the stretches `s` from the hourly rollups (the stretches hold no dirty hour), by
   * platform, times the stretch's sign (-1: the rest of a day read whole); each stretch by its own index range scan (LATERAL, fenced by OFFSET 0: flattened into a
   * join, one title's every hour was read and then filtered, 40 ms).
   */
  private hourlySql(stretches: string, title: string | null): string {
    return `SELECT s.idx::bigint, x.day, x.title_id, x.key, s.sign * x.orders, s.sign * x.units, s.sign * x.revenue
      FROM ${stretches} CROSS JOIN LATERAL (
        SELECT (h.hour AT TIME ZONE $1::text)::date, h.title_id, h.platform, h.orders::bigint, h.units::bigint,
          h.sales - h.${rollupRefunds(this.config.refundAttribution)}
        FROM title_hourly_totals h
        WHERE h.hour >= s.f AND h.hour < s.t ${title ? `AND h.title_id = ${title}::bigint` : ''} OFFSET 0
      ) x (day, title_id, key, orders, units, revenue)`;
  }

  /**
   * The stretches `s` from the lines' shares, with the rules of sales-sql.ts: counted, convertible orders
   * created in them (their lines, or the whole order on title 0 when it has none), and the converted
   * refunds attributed to them (their lines' shares, else whole on title 0), times the stretch's sign.
   * $1 is the zone. Each
   * stretch is read by its own index range scans (LATERAL): a stretch is minutes or a few hours.
   */
  private rawSql(split: TitleSplit, stretches: string, title: string | null): string {
    const { raw } = SOURCES[split];
    const attribution = this.config.refundAttribution;
    const refundAt = refundInstant(attribution);
    const narrowed = title ? `AND e.title_id = ${title}::bigint` : '';
    const localDay = (at: string) => `(${at} AT TIME ZONE $1::text)::date`;
    // One pass over the orders: their lines, or (no line) the whole order on title 0.
    return `SELECT s.idx::bigint, x.day, x.title_id, x.key, s.sign * x.orders, s.sign * x.units, s.sign * x.revenue
      FROM ${stretches} CROSS JOIN LATERAL (
      SELECT ${localDay('o.created_at')}, coalesce(e.title_id, 0), ${raw}, count(DISTINCT o.id),
        coalesce(sum(t.quantity), 0), sum(coalesce(t.base_allocated, o.base_total))
      FROM orders o
      LEFT JOIN order_line_titles t ON t.order_id = o.id
      LEFT JOIN editions e ON e.id = t.edition_id
      WHERE ${countedAndConvertible()} AND o.created_at >= s.f AND o.created_at < s.t ${narrowed}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT ${localDay(refundAt)}, coalesce(e.title_id, 0), ${raw}, 0::bigint, 0::bigint,
        -sum(coalesce(a.amount, r.base_amount))
      FROM refunds r JOIN orders o ON o.id = r.order_id
      LEFT JOIN refund_line_allocations a ON a.refund_id = r.id
      LEFT JOIN order_line_titles t ON t.order_id = a.order_id AND t.position = a.position
      LEFT JOIN editions e ON e.id = t.edition_id
      WHERE ${refundAt} >= s.f AND ${refundAt} < s.t AND ${convertedRefund()} AND ${countedAndConvertible()} ${narrowed}
      GROUP BY 1, 2, 3
    ) x (day, title_id, key, orders, units, revenue)`;
  }
}
