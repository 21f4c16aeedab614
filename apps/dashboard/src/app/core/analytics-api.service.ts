import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CountriesResponse,
  DailyGrowthResponse,
  MetricsSummaryResponse,
  PeriodComparisonResponse,
  PlatformsResponse,
  TodayVsYesterdayResponse,
} from '@mt/contracts';
import { Observable } from 'rxjs';
import { LiveFigures } from './live-figures';

/** A custom range as the API takes it: calendar days in the business zone, `to` inclusive. */
export interface DateRange {
  from: string;
  to: string;
}

/** Sales analytics (SPEC §3): comparisons, growth, countries, platforms. */
@Injectable({ providedIn: 'root' })
export class AnalyticsApi {
  private readonly http = inject(HttpClient);
  private readonly live = inject(LiveFigures);

  /** The hero's answer, then the server's pushes of it (metrics.changed). */
  todayVsYesterday(): Observable<TodayVsYesterdayResponse> {
    return this.live.follow('hero', this.http.get<TodayVsYesterdayResponse>('/api/comparison/today-vs-yesterday'));
  }

  weekVsLastWeek(): Observable<PeriodComparisonResponse> {
    return this.http.get<PeriodComparisonResponse>('/api/comparison/week-vs-lastweek');
  }

  monthVsLastMonth(): Observable<PeriodComparisonResponse> {
    return this.http.get<PeriodComparisonResponse>('/api/comparison/month-vs-lastmonth');
  }

  /** The range vs the equally long range before it, or (yearOverYear) vs the same days 364 days back. */
  range(range: DateRange, yearOverYear: boolean): Observable<PeriodComparisonResponse> {
    const params = new HttpParams().set('from', range.from).set('to', range.to);
    return this.http.get<PeriodComparisonResponse>(yearOverYear ? '/api/comparison/yoy' : '/api/comparison/range', {
      params,
    });
  }

  /** The metrics grid's answer, then the server's pushes of it (metrics.changed). */
  metricsSummary(): Observable<MetricsSummaryResponse> {
    return this.live.follow('summary', this.http.get<MetricsSummaryResponse>('/api/metrics/summary'));
  }

  dailyGrowth(days = 30): Observable<DailyGrowthResponse> {
    return this.http.get<DailyGrowthResponse>('/api/growth/daily', { params: { days } });
  }

  countries(days = 30, limit = 10): Observable<CountriesResponse> {
    return this.http.get<CountriesResponse>('/api/countries', { params: { days, limit } });
  }

  platforms(days = 30): Observable<PlatformsResponse> {
    return this.http.get<PlatformsResponse>('/api/revenue/platforms', { params: { days } });
  }
}
