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

export interface DailyGrowthResponse extends AnalyticsResponse {
  timezone: string;
  /** Oldest first, the last one is today so far; days without orders included. */
  days: Array<{ date: IsoDate; orders: number; revenue: number; aov: number | null; aovChange: number | null }>;
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
  from: IsoDateTime;
  to: IsoDateTime;
  /** ISO 3166-1 alpha-2; null for orders without a country. */
  countries: Array<{ country: string | null; orders: number; revenue: number }>;
}

export type PlatformStatus = 'active' | 'coming_soon';

export interface PlatformsResponse extends AnalyticsResponse {
  from: IsoDateTime;
  to: IsoDateTime;
  /** Always the five platforms, in the order of `PLATFORMS`. */
  platforms: Array<{ platform: Platform; status: PlatformStatus; orders: number; revenue: number }>;
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
}

export type CountrySort = 'orders' | 'revenue';
