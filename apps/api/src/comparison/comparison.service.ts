import { Injectable } from '@nestjs/common';
import {
  AnalyticsWarning,
  Comparison,
  CountriesResponse,
  CountrySort,
  DailyGrowthResponse,
  MetricsSummaryResponse,
  MonthlyGrowthResponse,
  PeriodComparisonResponse,
  PeriodWindow,
  PLATFORMS,
  PlatformsResponse,
  TodayVsYesterdayResponse,
  WeeklyGrowthResponse,
} from '@mt/contracts';
import {
  addDays,
  addMonthsToMonthStart,
  comparedWithPreviousRange,
  comparedYearOverYear,
  customRange,
  lastDays,
  lastMonthSamePoint,
  lastWeekSamePoint,
  localDate,
  monthSoFar,
  previousRange,
  startOfIsoWeek,
  TimeWindow,
  todaySoFar,
  toZonedIso,
  weekSoFar,
  yesterdayFullDay,
  yesterdaySameTime,
} from '@mt/periods';
import { requestedRange } from '../common/requested-range';
import { AppConfig } from '../config/app-config';
import { SalesRepository, WindowFigures, WindowSpec } from '../sales/sales.repository';

/** Platforms we sell on today; the others are shown as "coming soon" until they have an order. */
const LIVE_PLATFORMS = new Set(['shopify', 'etsy', 'woocommerce']);

/**
 * Turns a request into windows of the business zone (`@mt/periods`, the same code the dashboard uses) and
 * the repository's figures into the contracts of SPEC §3.
 */
@Injectable()
export class ComparisonService {
  constructor(
    private readonly repository: SalesRepository,
    private readonly config: AppConfig,
  ) {}

  private get zone(): string {
    return this.config.businessTimezone;
  }

  async todayVsYesterday(now: Date): Promise<TodayVsYesterdayResponse> {
    const windows = [todaySoFar(now, this.zone), yesterdaySameTime(now, this.zone), yesterdayFullDay(now, this.zone)];
    const [figures, warnings] = await this.figures(windows.map((w, i) => ({ ...w, previous: i === 0 ? 1 : null })));
    const [today, yesterday, fullDay] = figures as [WindowFigures, WindowFigures, WindowFigures];
    return {
      timezone: this.zone,
      currency: this.config.baseCurrency,
      asOf: toZonedIso(now, this.zone),
      today: this.window(today),
      yesterday: this.window(yesterday),
      yesterdayFullDay: this.window(fullDay),
      change: change(today),
      warnings,
    };
  }

  weekVsLastWeek(now: Date): Promise<PeriodComparisonResponse> {
    return this.compare(now, weekSoFar(now, this.zone), lastWeekSamePoint(now, this.zone));
  }

  monthVsLastMonth(now: Date): Promise<PeriodComparisonResponse> {
    return this.compare(now, monthSoFar(now, this.zone), lastMonthSamePoint(now, this.zone));
  }

  /** Both windows cut at now and at the same offset (SPEC §2), as every comparison of a range is. */
  async range(now: Date, from: string, to: string): Promise<PeriodComparisonResponse> {
    const { current, previous } = comparedWithPreviousRange(this.customRange(from, to), now, this.zone);
    return this.compare(now, current, previous);
  }

  async yearOverYear(now: Date, from: string, to: string): Promise<PeriodComparisonResponse> {
    const { current, previous } = comparedYearOverYear(this.customRange(from, to), now, this.zone);
    return this.compare(now, current, previous);
  }

  async dailyGrowth(now: Date, days: number): Promise<DailyGrowthResponse> {
    const today = localDate(now, this.zone);
    const [series, warnings] = await this.series('day', addDays(today, -days), today, now);
    return {
      timezone: this.zone,
      currency: this.config.baseCurrency,
      days: series.map((f) => ({
        date: f.label!,
        orders: f.orders,
        revenue: f.revenue,
        aov: f.aov,
        aovChange: f.aovChange,
      })),
      warnings,
    };
  }

  async weeklyGrowth(now: Date, weeks: number): Promise<WeeklyGrowthResponse> {
    const monday = startOfIsoWeek(localDate(now, this.zone));
    const [series, warnings] = await this.series('week', addDays(monday, -7 * weeks), monday, now);
    return {
      timezone: this.zone,
      currency: this.config.baseCurrency,
      weeks: series.map((f) => ({
        weekStart: f.label!,
        orders: f.orders,
        revenue: f.revenue,
        aov: f.aov,
        revenueChange: f.revenueChange,
      })),
      warnings,
    };
  }

  async monthlyGrowth(now: Date, months: number): Promise<MonthlyGrowthResponse> {
    const first = addMonthsToMonthStart(localDate(now, this.zone), 0);
    const [series, warnings] = await this.series('month', addMonthsToMonthStart(first, -months), first, now);
    return {
      timezone: this.zone,
      currency: this.config.baseCurrency,
      months: series.map((f) => ({
        month: f.label!,
        orders: f.orders,
        revenue: f.revenue,
        aov: f.aov,
        revenueChange: f.revenueChange,
      })),
      warnings,
    };
  }

  async countries(now: Date, days: number, limit: number, sort: CountrySort): Promise<CountriesResponse> {
    const { from, to } = lastDays(now, this.zone, days);
    const window = { from, to };
    const [countries, warnings] = await Promise.all([
      this.repository.countries(window, sort, limit),
      this.repository.warnings([window]),
    ]);
    return {
      currency: this.config.baseCurrency,
      from: toZonedIso(window.from, this.zone),
      to: toZonedIso(window.to, this.zone),
      countries: countries.map((c) => ({ country: c.key, orders: c.orders, revenue: c.revenue })),
      warnings,
    };
  }

  async platforms(now: Date, days: number): Promise<PlatformsResponse> {
    const { from, to } = lastDays(now, this.zone, days);
    const window = { from, to };
    const [platforms, warnings] = await Promise.all([
      this.repository.platforms(window, PLATFORMS),
      this.repository.warnings([window]),
    ]);
    return {
      currency: this.config.baseCurrency,
      from: toZonedIso(window.from, this.zone),
      to: toZonedIso(window.to, this.zone),
      platforms: platforms.map((p) => ({
        platform: p.key as (typeof PLATFORMS)[number],
        status: LIVE_PLATFORMS.has(p.key!) || p.hasOrders ? 'active' : 'coming_soon',
        orders: p.orders,
        revenue: p.revenue,
      })),
      warnings,
    };
  }

  async metricsSummary(now: Date): Promise<MetricsSummaryResponse> {
    const zone = this.zone;
    const yesterday = yesterdayFullDay(now, zone);
    const { dates } = lastDays(now, zone, 30);
    const last30 = comparedWithPreviousRange(customRange(dates[0]!, dates[dates.length - 1]!, zone), now, zone);
    const pairs: Array<[TimeWindow, TimeWindow]> = [
      [todaySoFar(now, zone), yesterdaySameTime(now, zone)],
      [yesterday, previousRange(yesterday, zone)],
      [weekSoFar(now, zone), lastWeekSamePoint(now, zone)],
      [monthSoFar(now, zone), lastMonthSamePoint(now, zone)],
      [last30.current, last30.previous],
    ];
    const specs = pairs.flatMap(([current, previous], i): WindowSpec[] => [
      { ...current, previous: 2 * i + 1 },
      { ...previous, previous: null },
    ]);
    const [figures, warnings] = await this.figures(specs);
    const comparison = (i: number): Comparison => ({
      current: this.window(figures[2 * i]!),
      previous: this.window(figures[2 * i + 1]!),
      change: change(figures[2 * i]!),
    });
    return {
      timezone: zone,
      currency: this.config.baseCurrency,
      asOf: toZonedIso(now, zone),
      today: comparison(0),
      yesterday: comparison(1),
      week: comparison(2),
      month: comparison(3),
      last30Days: comparison(4),
      warnings,
    };
  }

  private async compare(now: Date, current: TimeWindow, previous: TimeWindow): Promise<PeriodComparisonResponse> {
    const [figures, warnings] = await this.figures([
      { ...current, previous: 1 },
      { ...previous, previous: null },
    ]);
    const [currentFigures, previousFigures] = figures as [WindowFigures, WindowFigures];
    return {
      timezone: this.zone,
      currency: this.config.baseCurrency,
      asOf: toZonedIso(now, this.zone),
      current: this.window(currentFigures),
      previous: this.window(previousFigures),
      change: change(currentFigures),
      warnings,
    };
  }

  private figures(specs: WindowSpec[]): Promise<[WindowFigures[], AnalyticsWarning[]]> {
    return Promise.all([this.repository.windows(specs), this.repository.warnings(specs)]);
  }

  /** The periods from local `first` to the one holding now; the first only serves as the base of a change. */
  private async series(
    unit: 'day' | 'week' | 'month',
    first: string,
    last: string,
    now: Date,
  ): Promise<[WindowFigures[], AnalyticsWarning[]]> {
    const [figures, warnings] = await Promise.all([
      this.repository.series(unit, first, last, now),
      // Warnings cover the periods shown, not the base period.
      this.repository.warnings([{ from: nextStart(unit, first, this.zone), to: now }]),
    ]);
    return [figures.slice(1), warnings];
  }

  private customRange(from: string, to: string): TimeWindow {
    return requestedRange(from, to, this.zone);
  }

  private window(figures: WindowFigures): PeriodWindow {
    return {
      from: toZonedIso(figures.from, this.zone),
      to: toZonedIso(figures.to, this.zone),
      orders: figures.orders,
      revenue: figures.revenue,
      aov: figures.aov,
    };
  }
}

function change(figures: WindowFigures): { orders: number | null; revenue: number | null; aov: number | null } {
  return { orders: figures.ordersChange, revenue: figures.revenueChange, aov: figures.aovChange };
}

function nextStart(unit: 'day' | 'week' | 'month', first: string, zone: string): Date {
  const next =
    unit === 'day' ? addDays(first, 1) : unit === 'week' ? addDays(first, 7) : addMonthsToMonthStart(first, 1);
  return customRange(next, next, zone).from;
}
