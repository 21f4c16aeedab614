import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { DailyGrowthResponse, MonthlyGrowthResponse, WeeklyGrowthResponse } from '@mt/contracts';
import { firstValueFrom } from 'rxjs';
import { AnalyticsApi } from './analytics-api.service';

const WEEKS = {
  currency: 'USD',
  weeks: [{ weekStart: '2026-11-23', orders: 3, revenue: 120.5 }],
} as unknown as WeeklyGrowthResponse;
const MONTHS = {
  currency: 'USD',
  months: [{ month: '2026-11', orders: 9, revenue: 400 }],
} as unknown as MonthlyGrowthResponse;
const DAYS = {
  currency: 'USD',
  days: [{ date: '2026-11-30', orders: 1, revenue: 30, aov: 30 }],
} as unknown as DailyGrowthResponse;

/** What public/prefetch.js leaves on the page for the dashboard's first screen. */
function prefetched(answers: Record<string, unknown>): void {
  (globalThis as { mtPrefetched?: Record<string, Promise<unknown>> }).mtPrefetched = Object.fromEntries(
    Object.entries(answers).map(([url, answer]) => [url, Promise.resolve(answer)]),
  );
}

describe('AnalyticsApi and the early requests of prefetch.js', () => {
  function setup() {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    return { api: TestBed.inject(AnalyticsApi), http: TestBed.inject(HttpTestingController) };
  }
  afterEach(() => delete (globalThis as { mtPrefetched?: unknown }).mtPrefetched);

  it("takes the tiles' sparkline series from the early answers once, then asks the API", async () => {
    prefetched({
      '/api/growth/weekly?weeks=13': WEEKS,
      '/api/growth/monthly?months=13': MONTHS,
      '/api/growth/daily?days=31': DAYS,
    });
    const { api, http } = setup();
    expect(await firstValueFrom(api.weeklyGrowth(13))).toEqual(WEEKS);
    expect(await firstValueFrom(api.monthlyGrowth(13))).toEqual(MONTHS);
    expect(await firstValueFrom(api.lastDays(31))).toEqual(DAYS);
    http.expectNone(() => true);

    // A refresh is a request of its own.
    const again = firstValueFrom(api.weeklyGrowth(13));
    const request = http.expectOne('/api/growth/weekly?weeks=13');
    request.flush(WEEKS);
    expect(await again).toEqual(WEEKS);
    http.verify();
  });

  it('asks the API when the early request failed or was for another length', async () => {
    prefetched({ '/api/growth/weekly?weeks=13': undefined });
    const { api, http } = setup();
    const failedEarly = firstValueFrom(api.weeklyGrowth(13));
    await Promise.resolve();
    http.expectOne('/api/growth/weekly?weeks=13').flush(WEEKS);
    expect(await failedEarly).toEqual(WEEKS);
    const other = firstValueFrom(api.monthlyGrowth(6));
    http.expectOne('/api/growth/monthly?months=6').flush(MONTHS);
    expect(await other).toEqual(MONTHS);
    http.verify();
  });
});
