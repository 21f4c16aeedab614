import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SpotifySource, SpotifySourceKind } from '@mt/contracts';
import { statementBaseSql } from './statements.repository';

export interface WeekMinutesRow {
  weekStart: string;
  minutes: number;
  estimatedRevenue: number;
  estimatedCompletes: number;
}

export interface CountryWeekRow {
  country: string;
  total: number;
  weekStart: string;
  minutes: number;
  change: number | null;
  /** All countries' minutes that week. */
  weekTotal: number;
}

export interface QuarterActualRow {
  quarter: string;
  revenue: number;
  minutes: number;
  completes: number | null;
  rate: number;
  /** revenue / minutes unrounded, as a decimal string. */
  exactRate: string;
  source: string;
  confirmedMonths: number;
  complete: boolean;
  sources: SpotifySource[];
}

export interface MonthRow {
  month: string;
  minutes: number;
  estimatedRevenue: number;
  confirmedRevenue: number | null;
  difference: number | null;
  source: SpotifySource | null;
}

export interface ProjectionFigures {
  minutesToDate: number;
  projectedMinutes: number;
  low: number;
  expected: number;
  high: number;
}

/** Revenue lines that are the per-minute pool (adjustments of earlier months included), not à-la-carte sales. */
const POOL_LINE = `revenue_model ILIKE '%pool%'`;

/** The first month any Spotify data has (statements, revenue reports, monthly or weekly stats). */
const FIRST_MONTH_SQL = `(SELECT least(
    (SELECT min(period) FROM spotify_revenue_lines), (SELECT min(month) FROM spotify_statements),
    (SELECT min(month) FROM spotify_monthly_stats),
    (SELECT date_trunc('month', min(week_start))::date FROM spotify_week_country_totals)))`;

/**
 * The months of listening and what confirmed them, as one CTE `month_figures (month, minutes, confirmed,
 * kind, upload_id)` over [first, last] (SQL date expressions). This is the one place that says what a
 * month's figures are (SPEC §2 "Estimated → confirmed"):
 * - minutes: the revenue report's pool minutes, else the monthly stats, else the weekly stats spread
 *   evenly over their days;
 * - confirmed: the Spotify pool lines of its statements in the base currency (at each invoice date's
 *   rate), else the pool lines of a revenue report in the base currency; NULL while the month is an estimate.
 *   À-la-carte sales are Spotify money but no per-minute pay, so they stay out of the month's rate.
 * Placeholders: `$1` base currency, `$2` business zone.
 */
function monthFiguresSql(first: string, last: string): string {
  return `month_range AS (SELECT generate_series(${first}, ${last}, interval '1 month')::date AS month),
       statement_months AS (
         SELECT s.month, sum(${statementBaseSql('p.pool')}) AS revenue, max(s.upload_id) AS upload_id
           FROM spotify_statements s
           CROSS JOIN LATERAL (
             SELECT coalesce(sum(l.royalty_payable), 0) AS pool FROM spotify_statement_lines l
              WHERE l.statement_id = s.id AND l.is_spotify AND l.is_pool) p
          WHERE s.month IN (SELECT month FROM month_range)
          GROUP BY s.month),
       report_months AS (
         SELECT period AS month, sum(net_royalty) AS revenue, nullif(sum(minutes), 0) AS minutes, max(upload_id) AS upload_id
           FROM spotify_revenue_lines
          WHERE ${POOL_LINE} AND currency = $1::text AND period IN (SELECT month FROM month_range)
          GROUP BY period),
       monthly_stats AS (
         SELECT month, sum(minutes) AS minutes FROM spotify_monthly_stats
          WHERE month IN (SELECT month FROM month_range) GROUP BY month),
       weekly_stats AS (
         SELECT date_trunc('month', d)::date AS month, sum(t.minutes / 7.0) AS minutes
           FROM spotify_week_country_totals t CROSS JOIN generate_series(t.week_start, t.week_start + 6, interval '1 day') AS d
          WHERE t.week_start > ${first} - 7 AND t.week_start < (${last} + interval '1 month')::date
          GROUP BY 1),
       month_figures AS (
         SELECT m.month, coalesce(r.minutes, mo.minutes, w.minutes, 0) AS minutes,
                coalesce(st.revenue, r.revenue) AS confirmed,
                CASE WHEN st.revenue IS NOT NULL THEN 'statement' WHEN r.revenue IS NOT NULL THEN 'revenue-report' END AS kind,
                CASE WHEN st.revenue IS NOT NULL THEN st.upload_id ELSE r.upload_id END AS upload_id
           FROM month_range m
           LEFT JOIN statement_months st ON st.month = m.month
           LEFT JOIN report_months r ON r.month = m.month
           LEFT JOIN monthly_stats mo ON mo.month = m.month
           LEFT JOIN weekly_stats w ON w.month = m.month)`;
}

/** The upload behind a month's confirmation: joined to `month_figures f`, read through SOURCE_JSON. */
const SOURCE_JOIN = `LEFT JOIN upload_log src ON src.id = f.upload_id LEFT JOIN users src_user ON src_user.id = src.user_id`;
const SOURCE_JSON = `CASE WHEN f.kind IS NULL THEN NULL ELSE jsonb_build_object(
    'kind', f.kind, 'label', coalesce(src.file_name, 'file no longer in the import history'),
    'at', src.uploaded_at, 'by', src_user.email) END`;

interface RawSource {
  kind: SpotifySourceKind;
  label: string;
  at?: string | null;
  by?: string | null;
}

function toSource(raw: RawSource): SpotifySource {
  return { kind: raw.kind, label: raw.label, at: raw.at ? new Date(raw.at).toISOString() : null, by: raw.by ?? null };
}

/**
 * Owns the Spotify SQL: every sum, rate and rounding happens in PostgreSQL on `numeric`. The weekly charts
 * read `spotify_week_country_totals` (kept exact by every writer of `spotify_weekly_stats`, see the Baseline
 * migration), not the title rows.
 */
@Injectable()
export class SpotifyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Minutes per ISO week from `firstWeek` to `lastWeek` (Mondays), empty weeks as 0, with the estimates. */
  async weeklyMinutes(
    firstWeek: string,
    lastWeek: string,
    rate: string,
    averageBookMinutes: string,
  ): Promise<WeekMinutesRow[]> {
    return this.dataSource.query(
      `WITH weeks AS (SELECT generate_series($1::date, $2::date, interval '7 days')::date AS week_start),
            sums AS (
              SELECT week_start, sum(minutes) AS minutes
                FROM spotify_week_country_totals
               WHERE week_start BETWEEN $1::date AND $2::date
               GROUP BY 1)
       SELECT to_char(w.week_start, 'YYYY-MM-DD') AS "weekStart",
              coalesce(s.minutes, 0)::float8 AS minutes,
              round(coalesce(s.minutes, 0) * $3::numeric, 2)::float8 AS "estimatedRevenue",
              round(coalesce(s.minutes, 0) / $4::numeric, 1)::float8 AS "estimatedCompletes"
         FROM weeks w LEFT JOIN sums s USING (week_start)
        ORDER BY w.week_start`,
      [firstWeek, lastWeek, rate, averageBookMinutes],
    );
  }

  /** Minutes per country per week (grid with zeros), the country's total and % change vs the week before. */
  async countryWeeks(firstWeek: string, lastWeek: string): Promise<CountryWeekRow[]> {
    return this.dataSource.query(
      `WITH weeks AS (SELECT generate_series($1::date, $2::date, interval '7 days')::date AS week_start),
            sums AS (
              SELECT country, week_start, minutes
                FROM spotify_week_country_totals
               WHERE week_start BETWEEN $1::date AND $2::date),
            countries AS (SELECT country, sum(minutes) AS total FROM sums GROUP BY country),
            grid AS (
              SELECT c.country, c.total, w.week_start, coalesce(s.minutes, 0) AS minutes
                FROM countries c CROSS JOIN weeks w LEFT JOIN sums s ON s.country = c.country AND s.week_start = w.week_start)
       SELECT country, total::float8 AS total, to_char(week_start, 'YYYY-MM-DD') AS "weekStart", minutes::float8 AS minutes,
              round((minutes - lag(minutes) OVER w) * 100 / nullif(lag(minutes) OVER w, 0), 1)::float8 AS change,
              sum(minutes) OVER (PARTITION BY week_start)::float8 AS "weekTotal"
         FROM grid
       WINDOW w AS (PARTITION BY country ORDER BY week_start)
        ORDER BY total DESC, country, week_start`,
      [firstWeek, lastWeek],
    );
  }

  /**
   * Each month from `firstMonth` to `lastMonth` (YYYY-MM-01) with its minutes, its confirmed pool money
   * and the file that confirmed it (MONTH_FIGURES).
   */
  async months(
    firstMonth: string,
    lastMonth: string,
    rate: string,
    baseCurrency: string,
    zone: string,
  ): Promise<MonthRow[]> {
    const rows: Array<MonthRow & { source: RawSource | null }> = await this.dataSource.query(
      `WITH ${monthFiguresSql('$3::date', '$4::date')},
       rounded AS (SELECT f.*, round(f.minutes * $5::numeric, 2) AS estimated, round(f.confirmed, 2) AS confirmed_cents
                     FROM month_figures f)
       SELECT to_char(f.month, 'YYYY-MM') AS month, round(f.minutes)::float8 AS minutes,
              f.estimated::float8 AS "estimatedRevenue", f.confirmed_cents::float8 AS "confirmedRevenue",
              (f.confirmed_cents - f.estimated)::float8 AS difference, ${SOURCE_JSON} AS source
         FROM rounded f ${SOURCE_JOIN}
        ORDER BY f.month`,
      [baseCurrency, zone, firstMonth, lastMonth, rate],
    );
    return rows.map((row) => ({ ...row, source: row.source ? toSource(row.source) : null }));
  }

  /**
   * Settled quarters before `beforeQuarterStart`, built from their months: a quarter whose three months
   * are confirmed (statements, revenue reports) is their sum; else a stored actual (`spotify_quarter_actuals`:
   * demo data, manual) where there is one; else the confirmed months it has, marked incomplete. Minutes are
   * those of the confirmed months; completes stored, else minutes / average book length. `exactRate` is
   * the unrounded rate, for the projection's band.
   */
  async quarterActuals(
    beforeQuarterStart: string,
    currency: string,
    averageBookMinutes: string,
    zone: string,
  ): Promise<QuarterActualRow[]> {
    const rows: Array<QuarterActualRow & { sources: RawSource[] }> = await this.dataSource.query(
      `WITH ${monthFiguresSql(FIRST_MONTH_SQL, `($4::date - interval '1 month')::date`)},
       confirmed AS (
         SELECT to_char(f.month, 'YYYY') || '-Q' || extract(quarter FROM f.month) AS quarter,
                count(*)::int AS months, sum(f.confirmed) AS revenue, sum(f.minutes) AS minutes,
                CASE WHEN bool_or(f.kind = 'statement') THEN 'statement' ELSE 'revenue-report' END AS source,
                jsonb_agg(DISTINCT ${SOURCE_JSON}) AS sources
           FROM month_figures f ${SOURCE_JOIN}
          WHERE f.confirmed IS NOT NULL
          GROUP BY 1),
       stored AS (
         SELECT quarter, revenue, minutes, completes, source FROM spotify_quarter_actuals
          WHERE quarter < to_char($4::date, 'YYYY') || '-Q' || extract(quarter FROM $4::date)),
       quarters AS (
         SELECT coalesce(c.quarter, s.quarter) AS quarter, coalesce(c.months, 0) AS "confirmedMonths",
                CASE WHEN c.months = 3 OR s.quarter IS NULL THEN c.revenue ELSE s.revenue END AS revenue,
                CASE WHEN c.months = 3 OR s.quarter IS NULL THEN c.minutes ELSE s.minutes END AS minutes,
                CASE WHEN c.months = 3 OR s.quarter IS NULL THEN NULL ELSE s.completes END AS completes,
                CASE WHEN c.months = 3 OR s.quarter IS NULL THEN c.source ELSE s.source END AS source,
                coalesce(c.months = 3, false) OR s.quarter IS NOT NULL AS complete,
                CASE WHEN c.months = 3 OR s.quarter IS NULL THEN c.sources
                     ELSE jsonb_build_array(jsonb_build_object(
                       'kind', CASE WHEN s.source = 'demo' THEN 'demo' ELSE 'manual' END, 'label', s.source)) END AS sources
           FROM confirmed c FULL JOIN stored s ON s.quarter = c.quarter)
       SELECT quarter, round(revenue, 2)::float8 AS revenue, round(minutes, 2)::float8 AS minutes,
              round(coalesce(completes, minutes / $3::numeric), 1)::float8 AS completes,
              round(revenue / minutes, 5)::float8 AS rate, (revenue / minutes)::text AS "exactRate", source,
              "confirmedMonths", complete, sources
         FROM quarters WHERE minutes > 0 ORDER BY quarter`,
      [currency, zone, averageBookMinutes, beforeQuarterStart],
    );
    return rows.map((row) => ({ ...row, sources: row.sources.map(toSource) }));
  }

  /** Listening minutes of the ISO week starting `weekStart` (YYYY-MM-DD), as a decimal string. */
  async weekMinutes(weekStart: string): Promise<string> {
    const [row]: Array<{ minutes: string }> = await this.dataSource.query(
      `SELECT coalesce(sum(minutes), 0)::text AS minutes FROM spotify_weekly_stats WHERE week_start = $1::date`,
      [weekStart],
    );
    return row?.minutes ?? '0';
  }

  /**
   * Weekly minutes inside [quarterStart, quarterEnd) up to `today`; a week straddling a quarter boundary
   * counts for the days it has inside the quarter. `firstWeek` and `lastWeek` are the weeks with data.
   */
  async quarterMinutesToDate(
    quarterStart: string,
    quarterEnd: string,
    today: string,
  ): Promise<{ minutes: string; firstWeek: string | null; lastWeek: string | null }> {
    const rows: Array<{ minutes: string; firstWeek: string | null; lastWeek: string | null }> =
      await this.dataSource.query(
        `SELECT coalesce(sum(minutes * (least(week_start + 7, $2::date) - greatest(week_start, $1::date)) / 7.0), 0)::text AS minutes,
                to_char(min(week_start), 'YYYY-MM-DD') AS "firstWeek", to_char(max(week_start), 'YYYY-MM-DD') AS "lastWeek"
           FROM spotify_weekly_stats
          WHERE week_start > $1::date - 7 AND week_start < $2::date AND week_start <= $3::date`,
        [quarterStart, quarterEnd, today],
      );
    return rows[0]!;
  }

  /**
   * Monthly stats of the quarter's months that ended before `today`: their minutes and the first and last
   * month with data (YYYY-MM-01).
   */
  async quarterMonthlyMinutes(
    quarterStart: string,
    quarterEnd: string,
    today: string,
  ): Promise<{ minutes: string; firstMonth: string | null; lastMonth: string | null }> {
    const rows: Array<{ minutes: string; firstMonth: string | null; lastMonth: string | null }> =
      await this.dataSource.query(
        `SELECT coalesce(sum(minutes), 0)::text AS minutes,
                to_char(min(month), 'YYYY-MM-DD') AS "firstMonth", to_char(max(month), 'YYYY-MM-DD') AS "lastMonth"
           FROM spotify_monthly_stats
          WHERE month >= $1::date AND month < $2::date AND (month + interval '1 month')::date <= $3::date`,
        [quarterStart, quarterEnd, today],
      );
    return rows[0]!;
  }

  /** minutes so far × days in quarter ÷ days covered, then × each rate; rounded for display, exactly. */
  async projectionFigures(
    minutesToDate: string,
    daysInQuarter: number,
    daysElapsed: number,
    rates: { low: string; expected: string; high: string },
  ): Promise<ProjectionFigures> {
    const rows: ProjectionFigures[] = await this.dataSource.query(
      `WITH p AS (SELECT round($1::numeric) AS minutes_to_date,
                         CASE WHEN $3::int > 0 THEN round($1::numeric * $2::int / $3::int) ELSE 0 END AS projected)
       SELECT minutes_to_date::float8 AS "minutesToDate", projected::float8 AS "projectedMinutes",
              round(projected * $4::numeric, 2)::float8 AS low,
              round(projected * $5::numeric, 2)::float8 AS expected,
              round(projected * $6::numeric, 2)::float8 AS high
         FROM p`,
      [minutesToDate, daysInQuarter, daysElapsed, rates.low, rates.expected, rates.high],
    );
    return rows[0]!;
  }

  async readSetting<T>(key: string): Promise<{ value: T; updatedAt: Date } | null> {
    const rows: Array<{ value: T; updated_at: Date }> = await this.dataSource.query(
      `SELECT value, updated_at FROM settings WHERE key = $1`,
      [key],
    );
    return rows[0] ? { value: rows[0].value, updatedAt: rows[0].updated_at } : null;
  }

  async writeSetting(key: string, value: unknown): Promise<Date> {
    const rows: Array<{ updated_at: Date }> = await this.dataSource.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at RETURNING updated_at`,
      [key, JSON.stringify(value)],
    );
    return rows[0]!.updated_at;
  }
}
