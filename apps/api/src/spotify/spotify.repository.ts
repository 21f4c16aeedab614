import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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
  source: string;
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
   * Settled quarters before `beforeQuarterStart`: from revenue reports where there are any (revenue and
   * minutes of the pool lines of the quarter's reporting months), else from `spotify_quarter_actuals`.
   * Completes: stored, else minutes / average book length.
   */
  async quarterActuals(
    beforeQuarterStart: string,
    currency: string,
    averageBookMinutes: string,
  ): Promise<QuarterActualRow[]> {
    return this.dataSource.query(
      `WITH reported AS (
         SELECT to_char(period, 'YYYY') || '-Q' || extract(quarter FROM period) AS quarter,
                sum(net_royalty) AS revenue, sum(minutes) AS minutes, NULL::numeric AS completes, 'revenue-report' AS source
           FROM spotify_revenue_lines
          WHERE ${POOL_LINE} AND currency = $2 AND period < $1::date
          GROUP BY 1),
       stored AS (
         SELECT quarter, revenue, minutes, completes, source FROM spotify_quarter_actuals
          WHERE quarter NOT IN (SELECT quarter FROM reported) AND quarter < to_char($1::date, 'YYYY') || '-Q' || extract(quarter FROM $1::date)),
       quarters AS (SELECT * FROM reported WHERE minutes > 0 UNION ALL SELECT * FROM stored)
       SELECT quarter, round(revenue, 2)::float8 AS revenue, round(minutes, 2)::float8 AS minutes,
              round(coalesce(completes, minutes / $3::numeric), 1)::float8 AS completes,
              round(revenue / minutes, 5)::float8 AS rate, source
         FROM quarters ORDER BY quarter`,
      [beforeQuarterStart, currency, averageBookMinutes],
    );
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
   * counts for the days it has inside the quarter. `lastWeek` is the latest week with data.
   */
  async quarterMinutesToDate(
    quarterStart: string,
    quarterEnd: string,
    today: string,
  ): Promise<{ minutes: string; lastWeek: string | null }> {
    const rows: Array<{ minutes: string; lastWeek: string | null }> = await this.dataSource.query(
      `SELECT coalesce(sum(minutes * (least(week_start + 7, $2::date) - greatest(week_start, $1::date)) / 7.0), 0)::text AS minutes,
              to_char(max(week_start), 'YYYY-MM-DD') AS "lastWeek"
         FROM spotify_weekly_stats
        WHERE week_start > $1::date - 7 AND week_start < $2::date AND week_start <= $3::date`,
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
