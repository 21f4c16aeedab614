import { Injectable } from '@nestjs/common';
import type { FirstScreenResponse } from '@mt/contracts';
import { ComparisonService } from '../comparison/comparison.service';

/**
 * The series the first screen's sparklines draw; the dashboard asks for the same ones by their own URLs
 * (core/analytics-api.service.ts) and takes these answers in their place (public/prefetch.js).
 */
export const FIRST_SCREEN_SERIES = { weeks: 13, months: 13, days: 31 } as const;

/** The first screen's answers (SPEC §6): each computed as its own endpoint does, all at the same instant. */
@Injectable()
export class FirstScreenService {
  constructor(private readonly comparison: ComparisonService) {}

  async firstScreen(now: Date): Promise<FirstScreenResponse> {
    const { weeks, months, days } = FIRST_SCREEN_SERIES;
    const [todayVsYesterday, hourly, summary, weekly, monthly, daily] = await Promise.all([
      this.comparison.todayVsYesterday(now),
      this.comparison.hourlyGrowth(now, undefined, 'previous'),
      this.comparison.metricsSummary(now, { compare: 'previous' }),
      this.comparison.weeklyGrowth(now, weeks),
      this.comparison.monthlyGrowth(now, months),
      this.comparison.dailyGrowth(now, { days, compare: 'previous' }),
    ]);
    return { todayVsYesterday, hourly, summary, weekly, monthly, daily };
  }
}
