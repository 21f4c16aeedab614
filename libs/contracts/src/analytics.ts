import type { IsoDate, IsoDateTime, Platform } from './common';

/**
 * Sales analytics (SPEC §3): comparisons, growth series and breakdowns. Money is in the base currency,
 * rounded to cents; percentages are rounded to 0.01.
 */

/**
 * SPEC §3 `Window`: counted orders and net revenue (orders minus refunds) of [from, to). Named so that it
 * does not shadow the DOM's `Window` in the dashboard.
 */
export interface PeriodWindow {
  from: IsoDateTime;
  to: IsoDateTime;
  orders: number;
  revenue: number;
  /** revenue / orders; null without orders. */
  aov: number | null;
}

/** SPEC §3 `Change`: percent change from the previous window; null where the previous value is 0 or null. */
export interface PeriodChange {
  orders: number | null;
  revenue: number | null;
  aov: number | null;
}

/**
 * Orders (or refunds) that would have changed the figures of a response but could not be converted to
 * the base currency, so they are left out.
 */
export interface AnalyticsWarning {
  code: 'unconverted_orders' | 'unconverted_refunds';
  /** How many were left out across the response's windows. */
  count: number;
  /** Their currencies, sorted. */
  currencies: string[];
  /** Per currency, the business days (sorted) that have no rate within the 7 days before: what to add. */
  missing: Array<{ currency: string; days: IsoDate[] }>;
  message: string;
}

interface AnalyticsResponse {
  /** The base currency of every amount. */
  currency: string;
  /** Empty when nothing was left out. */
  warnings: AnalyticsWarning[];
}

export interface TodayVsYesterdayResponse extends AnalyticsResponse {
  timezone: string;
  asOf: IsoDateTime;
  today: PeriodWindow;
  /** Yesterday up to now's wall-clock time. */
  yesterday: PeriodWindow;
  yesterdayFullDay: PeriodWindow;
  /** today vs yesterday (same time). */
  change: PeriodChange;
}

/** week-vs-lastweek, month-vs-lastmonth, range and yoy. */
export interface PeriodComparisonResponse extends AnalyticsResponse {
  timezone: string;
  asOf: IsoDateTime;
  current: PeriodWindow;
  previous: PeriodWindow;
  change: PeriodChange;
}

/**
 * How a chosen range is compared (SPEC §2): with the equally long range just before it, or with the same
 * range 364 days earlier (weekdays lined up). Either way both are cut at the same point.
 */
export const COMPARE_WITH = ['previous', 'yoy'] as const;
export type CompareWith = (typeof COMPARE_WITH)[number];

/** The bounds [from, to) a response used, after cutting at now. */
export interface TimeRange {
  from: IsoDateTime;
  to: IsoDateTime;
}

/** One local day of a daily series. */
export interface GrowthDay {
  date: IsoDate;
  orders: number;
  revenue: number;
  aov: number | null;
  /** AOV's percent change from the day before. */
  aovChange: number | null;
}

/**
 * `GET /api/growth/daily?days=` (the last days, today so far included) or `?from=&to=&compare=` (the
 * chosen range). `days` and `comparisonDays` line up by position: the n-th comparison day is the day the
 * n-th day is compared with, and it is cut at the same point (the comparison of today so far ends at
 * now's wall-clock time on its day).
 */
export interface DailyGrowthResponse extends AnalyticsResponse {
  timezone: string;
  /** The range shown, cut at now. */
  from: IsoDateTime;
  to: IsoDateTime;
  compare: CompareWith;
  /** The comparison range, cut at the same point. */
  previous: TimeRange;
  /** Oldest first, the last one is today so far when the range reaches today; days without orders included. */
  days: GrowthDay[];
  /** The comparison range's days, oldest first, in step with `days`. */
  comparisonDays: GrowthDay[];
}

/**
 * One hour of the business zone's wall clock. `hour` is the local hour (0–23); on the 25-hour autumn day
 * the repeated hour appears twice, in order, with the same `hour` and different `start` offsets
 * (02:00+02:00, then 02:00+01:00); on the 23-hour spring day the skipped hour is missing.
 */
export interface HourFigures {
  hour: number;
  /** Where the hour starts, ISO 8601 with the offset of that moment. */
  start: IsoDateTime;
  orders: number;
  revenue: number;
  /** Revenue from the day's start to the end of this hour (exact, then rounded to cents). */
  cumulativeRevenue: number;
}

/**
 * `GET /api/growth/hourly?date=&compare=`: a day by local hour, with the day before (or 364 days before).
 * For today, `hours` stops at now (the hour holding now holds the figures so far; later hours are left
 * out), while `comparison.hours` is the whole comparison day, so its line can be drawn in full (cut at now
 * only when that day is today itself, for a date after today); `comparison.samePoint` is that day up to
 * the same point, the figure today is compared with (it equals today-vs-yesterday's `yesterday`).
 */
export interface HourlyGrowthResponse extends AnalyticsResponse {
  timezone: string;
  asOf: IsoDateTime;
  date: IsoDate;
  compare: CompareWith;
  hours: HourFigures[];
  comparison: {
    date: IsoDate;
    hours: HourFigures[];
    /** The comparison day up to the same wall-clock point as `hours` reaches (the whole day for a past day). */
    samePoint: PeriodWindow;
  };
}

export interface WeeklyGrowthResponse extends AnalyticsResponse {
  timezone: string;
  /** ISO weeks, oldest first, the last one is this week so far. */
  weeks: Array<{
    weekStart: IsoDate;
    orders: number;
    revenue: number;
    aov: number | null;
    revenueChange: number | null;
  }>;
}

export interface MonthlyGrowthResponse extends AnalyticsResponse {
  timezone: string;
  /** Oldest first, the last one is this month so far. */
  months: Array<{ month: string; orders: number; revenue: number; aov: number | null; revenueChange: number | null }>;
}

export interface CountriesResponse extends AnalyticsResponse {
  /** The range, cut at now. */
  from: IsoDateTime;
  to: IsoDateTime;
  compare: CompareWith;
  /** The comparison range, cut at the same point. */
  previous: TimeRange;
  /** The top countries of the range (ISO 3166-1 alpha-2; null for orders without a country), each with its comparison figures. */
  countries: Array<{ country: string | null; orders: number; revenue: number } & GroupComparison>;
}

export type PlatformStatus = 'active' | 'coming_soon';

/** A group's (country's, platform's) figures in the comparison range, and the percent change from them. */
export interface GroupComparison {
  previous: { orders: number; revenue: number };
  /** Percent change from `previous`; null where that is 0. */
  change: { orders: number | null; revenue: number | null };
}

export interface PlatformsResponse extends AnalyticsResponse {
  /** The range, cut at now. */
  from: IsoDateTime;
  to: IsoDateTime;
  compare: CompareWith;
  /** The comparison range, cut at the same point. */
  previous: TimeRange;
  /** Always the five platforms, in the order of `PLATFORMS`. */
  platforms: Array<{ platform: Platform; status: PlatformStatus; orders: number; revenue: number } & GroupComparison>;
}

/** A window compared with its previous window. */
export interface Comparison {
  current: PeriodWindow;
  previous: PeriodWindow;
  change: PeriodChange;
}

/** The dashboard's metrics grid and AOV section (SPEC §6) in one call. */
export interface MetricsSummaryResponse extends AnalyticsResponse {
  timezone: string;
  asOf: IsoDateTime;
  /** Today so far vs yesterday at the same time. */
  today: Comparison;
  /** Yesterday's full day vs the full day before. */
  yesterday: Comparison;
  /** This week so far vs last week at the same point. */
  week: Comparison;
  /** This month so far vs last month at the same point. */
  month: Comparison;
  /** The last 30 days (today so far included) vs the 30 days before, at the same time. */
  last30Days: Comparison;
  /** With `from`/`to`: the chosen range (cut at now) vs its comparison (`compare`); otherwise null. */
  range: (Comparison & { compare: CompareWith }) | null;
}

export type CountrySort = 'orders' | 'revenue';

/**
 * `GET /api/first-screen`: what the dashboard's first screen shows (the hero, its hourly chart, the
 * metrics grid and its sparklines), each part the same answer as its own endpoint, at one instant.
 * One request instead of six for a phone's first load (public/prefetch.js).
 */
export interface FirstScreenResponse {
  /** `GET /api/comparison/today-vs-yesterday` */
  todayVsYesterday: TodayVsYesterdayResponse;
  /** `GET /api/growth/hourly` */
  hourly: HourlyGrowthResponse;
  /** `GET /api/metrics/summary` */
  summary: MetricsSummaryResponse;
  /** `GET /api/growth/weekly?weeks=13` */
  weekly: WeeklyGrowthResponse;
  /** `GET /api/growth/monthly?months=13` */
  monthly: MonthlyGrowthResponse;
  /** `GET /api/growth/daily?days=31` */
  daily: DailyGrowthResponse;
}
