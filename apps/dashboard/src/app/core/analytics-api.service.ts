import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CompareWith,
  CountriesResponse,
  DailyGrowthResponse,
  HourlyGrowthResponse,
  PlatformsResponse,
  MetricsSummaryResponse,
  MonthlyGrowthResponse,
  PeriodComparisonResponse,
  TodayVsYesterdayResponse,
  WeeklyGrowthResponse,
} from '@mt/contracts';
import { Observable, defer, from, of, switchMap, tap } from 'rxjs';
import { BusinessClock } from './business-clock';
import { takePrefetched } from './prefetch';
import type { DateRange } from './range';
import { LiveFigures } from './live-figures';

export type { DateRange } from './range';

/** A range of the page and what it is compared with. */
export interface ComparedRange extends DateRange {
  compare: CompareWith;
}

/** Sales analytics (SPEC §3): comparisons, growth, countries, platforms. */
@Injectable({ providedIn: 'root' })
export class AnalyticsApi {
  private readonly http = inject(HttpClient);
  private readonly clock = inject(BusinessClock);
  private readonly live = inject(LiveFigures);

  /** The hero's answer, then the server's pushes of it (metrics.changed) and the orders' shares. */
  todayVsYesterday(): Observable<TodayVsYesterdayResponse> {
    return this.live.followHero(
      this.early<TodayVsYesterdayResponse>('/api/comparison/today-vs-yesterday').pipe(
        tap((answer) => this.clock.learn(answer.timezone)),
      ),
    );
  }

  /** Today by hour with yesterday, for the hero's chart. */
  hourlyToday(): Observable<HourlyGrowthResponse> {
    return this.early<HourlyGrowthResponse>('/api/growth/hourly');
  }

  /** The range vs the equally long range before it, or (yoy) vs the same days 364 days back. */
  range(range: ComparedRange): Observable<PeriodComparisonResponse> {
    return this.http.get<PeriodComparisonResponse>(
      range.compare === 'yoy' ? '/api/comparison/yoy' : '/api/comparison/range',
      { params: days(range) },
    );
  }

  /** The metrics grid's answer, then the server's pushes of it (metrics.changed). */
  metricsSummary(): Observable<MetricsSummaryResponse> {
    return this.live.follow(
      'summary',
      this.early<MetricsSummaryResponse>('/api/metrics/summary').pipe(
        tap((answer) => this.clock.learn(answer.timezone)),
      ),
    );
  }

  /** The last `count` days, today so far included (the tiles' sparklines). */
  lastDays(count: number): Observable<DailyGrowthResponse> {
    return this.early<DailyGrowthResponse>(`/api/growth/daily?days=${count}`);
  }

  /** Each day of the range beside its comparison day. */
  dailyGrowth(range: ComparedRange): Observable<DailyGrowthResponse> {
    return this.http.get<DailyGrowthResponse>('/api/growth/daily', {
      params: days(range).set('compare', range.compare),
    });
  }

  weeklyGrowth(weeks: number): Observable<WeeklyGrowthResponse> {
    return this.early<WeeklyGrowthResponse>(`/api/growth/weekly?weeks=${weeks}`);
  }

  monthlyGrowth(months: number): Observable<MonthlyGrowthResponse> {
    return this.early<MonthlyGrowthResponse>(`/api/growth/monthly?months=${months}`);
  }

  countries(range: ComparedRange, limit = 10): Observable<CountriesResponse> {
    return this.http.get<CountriesResponse>('/api/countries', {
      params: days(range).set('compare', range.compare).set('limit', limit),
    });
  }

  platforms(range: ComparedRange): Observable<PlatformsResponse> {
    return this.http.get<PlatformsResponse>('/api/revenue/platforms', {
      params: days(range).set('compare', range.compare),
    });
  }

  /**
   * The answer public/prefetch.js already asked for (the same URL), the first time; HttpClient after
   * that, for any other URL, or when the early request failed.
   */
  private early<T>(url: string): Observable<T> {
    return defer(() => {
      const started = takePrefetched<T>(url);
      if (!started) return this.http.get<T>(url);
      return from(started).pipe(switchMap((answer) => (answer === undefined ? this.http.get<T>(url) : of(answer))));
    });
  }
}

function days(range: DateRange): HttpParams {
  return new HttpParams().set('from', range.from).set('to', range.to);
}
