import { BadRequestException, Injectable } from '@nestjs/common';
import {
  AnalyticsWarning,
  CompareWith,
  Comparison,
  CountriesResponse,
  CountrySort,
  DailyGrowthResponse,
  GrowthDay,
  HourFigures,
  HourlyGrowthResponse,
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
  ComparedWindows,
  comparedWithPreviousRange,
  comparedYearOverYear,
  customRange,
  cutAtNow,
  daysBetween,
  lastDays,
  lastMonthSamePoint,
  lastWeekSamePoint,
  localDate,
  monthSoFar,
  previousRange,
  startOfIsoWeek,
  TimeWindow,
  todaySoFar,
  toLocal,
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

/** The longest chosen range, in calendar days: two years, as `days` allows. */
const MAX_RANGE_DAYS = 731;

const HOUR_MS = 3_600_000;

/** What picks the range of a period endpoint: the chosen `from`/`to`, else the last `days` (default 30). */
export interface RangeChoice {
  from?: string;
  to?: string;
  days?: number;
  compare: CompareWith;
}

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
    const specs = this.heroWindows(now);
    return this.hero(now, ...(await this.figures(specs)));
  }

  /**
   * The hero as a push sends it: with the watermark of the snapshot its figures were read in, so that a
   * dashboard can add the shares of the orders they do not include (live-hero.ts).
   */
  async liveHero(now: Date): Promise<{ hero: TodayVsYesterdayResponse; watermark: string }> {
    const specs = this.heroWindows(now);
    const [{ figures, watermark }, warnings] = await Promise.all([
      this.repository.windowsWithWatermark(specs),
      this.repository.warnings(specs),
    ]);
    return { hero: this.hero(now, figures, warnings), watermark };
  }

  private heroWindows(now: Date): WindowSpec[] {
    const windows = [todaySoFar(now, this.zone), yesterdaySameTime(now, this.zone), yesterdayFullDay(now, this.zone)];
    return windows.map((w, i) => ({ ...w, previous: i === 0 ? 1 : null }));
  }

  private hero(now: Date, figures: WindowFigures[], warnings: AnalyticsWarning[]): TodayVsYesterdayResponse {
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

  /** The days of the chosen range (cut at now) and, in step with them, the days of its comparison. */
  async dailyGrowth(now: Date, choice: RangeChoice): Promise<DailyGrowthResponse> {
    const { current, previous } = this.chosenRange(now, choice);
    const [days, comparisonDays, warnings] = await Promise.all([
      this.dailySeries(current),
      this.dailySeries(previous),
      this.repository.warnings([current, previous]),
    ]);
    return {
      timezone: this.zone,
      currency: this.config.baseCurrency,
      ...this.ranges(current, previous, choice.compare),
      days,
      comparisonDays,
      warnings,
    };
  }

  /**
   * A day by local hour, with the day before (or 364 days before). The day is cut at now, so today's
   * hours stop there; the comparison day is whole, and `samePoint` is it cut at the same wall-clock point.
   */
  async hourlyGrowth(now: Date, date: string | undefined, compare: CompareWith): Promise<HourlyGrowthResponse> {
    const day = date ?? localDate(now, this.zone);
    const { current, previous } = this.compared(customRange(day, day, this.zone), now, compare);
    const comparisonDate = localDate(previous.from, this.zone);
    // Whole, unless it reaches into the future itself (the day before tomorrow is today).
    const comparisonDay = cutAtNow(customRange(comparisonDate, comparisonDate, this.zone), now);
    const [[hours, comparisonHours], [samePoint], warnings] = await Promise.all([
      this.repository.runningWindows([this.hoursOf(current), this.hoursOf(comparisonDay)]),
      this.repository.windows([{ ...previous, previous: null }]),
      this.repository.warnings([current, comparisonDay]),
    ]);
    const hourFigures = (figures: typeof hours): HourFigures[] =>
      figures!.map((f) => ({
        hour: toLocal(f.from, this.zone).hour,
        start: toZonedIso(f.from, this.zone),
        orders: f.orders,
        revenue: f.revenue,
        cumulativeRevenue: f.cumulativeRevenue,
      }));
    return {
      timezone: this.zone,
      currency: this.config.baseCurrency,
      asOf: toZonedIso(now, this.zone),
      date: day,
      compare,
      hours: hourFigures(hours),
      comparison: { date: comparisonDate, hours: hourFigures(comparisonHours), samePoint: this.window(samePoint!) },
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

  async countries(now: Date, choice: RangeChoice, limit: number, sort: CountrySort): Promise<CountriesResponse> {
    const { current, previous } = this.chosenRange(now, choice);
    const [countries, warnings] = await Promise.all([
      this.repository.countries(current, sort, limit, previous),
      this.repository.warnings([current, previous]),
    ]);
    return {
      currency: this.config.baseCurrency,
      ...this.ranges(current, previous, choice.compare),
      countries: countries.map(({ key, ...figures }) => ({ country: key, ...figures })),
      warnings,
    };
  }

  async platforms(now: Date, choice: RangeChoice): Promise<PlatformsResponse> {
    const { current, previous } = this.chosenRange(now, choice);
    const [platforms, warnings] = await Promise.all([
      this.repository.platforms(current, previous, PLATFORMS),
      this.repository.warnings([current, previous]),
    ]);
    return {
      currency: this.config.baseCurrency,
      ...this.ranges(current, previous, choice.compare),
      platforms: platforms.map(({ key, hasOrders, ...figures }) => ({
        platform: key as (typeof PLATFORMS)[number],
        status: LIVE_PLATFORMS.has(key!) || hasOrders ? 'active' : 'coming_soon',
        orders: figures.orders,
        revenue: figures.revenue,
        previous: figures.previous,
        change: figures.change,
      })),
      warnings,
    };
  }

  /** The metrics grid; with `from`/`to`, also the chosen range against its comparison. */
  async metricsSummary(now: Date, choice: Omit<RangeChoice, 'days'>): Promise<MetricsSummaryResponse> {
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
    const chosen = choice.from !== undefined || choice.to !== undefined;
    if (chosen) {
      const { current, previous } = this.chosenRange(now, choice);
      pairs.push([current, previous]);
    }
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
      range: chosen ? { ...comparison(5), compare: choice.compare } : null,
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

  /** The chosen range, or the last `days` (default 30) with today so far, cut at now, and its comparison. */
  private chosenRange(now: Date, choice: RangeChoice): ComparedWindows {
    if (choice.from === undefined || choice.to === undefined) {
      const { dates } = lastDays(now, this.zone, choice.days ?? 30);
      return this.compared(customRange(dates[0]!, dates[dates.length - 1]!, this.zone), now, choice.compare);
    }
    const window = this.customRange(choice.from, choice.to);
    const days = daysBetween(localDate(window.from, this.zone), localDate(window.to, this.zone));
    if (days > MAX_RANGE_DAYS) {
      throw new BadRequestException([`from and to must be at most ${MAX_RANGE_DAYS} days apart`]);
    }
    return this.compared(window, now, choice.compare);
  }

  private compared(window: TimeWindow, now: Date, compare: CompareWith): ComparedWindows {
    return compare === 'yoy'
      ? comparedYearOverYear(window, now, this.zone)
      : comparedWithPreviousRange(window, now, this.zone);
  }

  private ranges(current: TimeWindow, previous: TimeWindow, compare: CompareWith) {
    return {
      from: toZonedIso(current.from, this.zone),
      to: toZonedIso(current.to, this.zone),
      compare,
      previous: { from: toZonedIso(previous.from, this.zone), to: toZonedIso(previous.to, this.zone) },
    };
  }

  /** The local days that [from, to) touches, each cut to it; the day before serves as the base of AOV's change. */
  private async dailySeries(window: TimeWindow): Promise<GrowthDay[]> {
    if (window.to.getTime() <= window.from.getTime()) return [];
    const first = localDate(window.from, this.zone);
    const last = localDate(new Date(window.to.getTime() - 1), this.zone);
    const series = await this.repository.series('day', addDays(first, -1), last, window.to, window.from);
    return series.slice(1).map((f) => ({
      date: f.label!,
      orders: f.orders,
      revenue: f.revenue,
      aov: f.aov,
      aovChange: f.aovChange,
    }));
  }

  /**
   * The hours of the business zone's wall clock in [from, to), the last one cut at `to`. Steps of 3,600 s
   * from local midnight are its wall-clock hours also across DST, which moves the clock by whole hours.
   */
  private hoursOf(window: TimeWindow): TimeWindow[] {
    const hours: TimeWindow[] = [];
    for (let at = window.from.getTime(); at < window.to.getTime(); at += HOUR_MS) {
      hours.push({ from: new Date(at), to: new Date(Math.min(at + HOUR_MS, window.to.getTime())) });
    }
    return hours;
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
