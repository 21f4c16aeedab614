import { Injectable } from '@nestjs/common';
import type {
  SettlementCadence,
  SpotifyCountriesResponse,
  SpotifySource,
  SpotifyMinutesResponse,
  SpotifyQuarterlyProjectionResponse,
  SpotifySettings,
  SpotifySettingsUpdate,
} from '@mt/contracts';
import { addDays, addMonthsToMonthStart, daysBetween, localDate, quarterOf, startOfIsoWeek } from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { SpotifyRepository } from './spotify.repository';

/** Stored in `settings`; rates as decimal strings so they reach SQL exactly. */
export interface StoredSpotifySettings {
  poolRate: string;
  poolRateSource: string;
  averageBookMinutes: string;
  cadence: SettlementCadence;
  /** E-mail of the admin who saved them (absent in settings saved before it was kept). */
  updatedBy?: string | null;
}

export const SPOTIFY_SETTINGS_KEY = 'spotify';
export const SPOTIFY_PROJECTION_KEY = 'spotify.projection';

/** SPEC §2: the 2025-Q3 actual rate until an admin sets another. */
export const DEFAULT_SPOTIFY_SETTINGS: StoredSpotifySettings = {
  poolRate: '0.00841',
  poolRateSource: 'default: 2025-Q3 actual (14,354 USD / 1,707,582 minutes)',
  averageBookMinutes: '530',
  cadence: 'monthly',
};

@Injectable()
export class SpotifyService {
  constructor(
    private readonly repository: SpotifyRepository,
    private readonly config: AppConfig,
  ) {}

  async minutes(now: Date, weeks: number): Promise<SpotifyMinutesResponse> {
    const settings = await this.storedSettings();
    const [first, last] = this.weekRange(now, weeks);
    return {
      rate: Number(settings.poolRate),
      averageBookMinutes: Number(settings.averageBookMinutes),
      weeks: await this.repository.weeklyMinutes(first, last, settings.poolRate, settings.averageBookMinutes),
    };
  }

  /** Listening minutes of the ISO week starting `weekStart` (a Monday, YYYY-MM-DD). */
  async weekMinutes(weekStart: string): Promise<number> {
    return Number(await this.repository.weekMinutes(weekStart));
  }

  async countries(now: Date, weeks: number): Promise<SpotifyCountriesResponse> {
    const [first, last] = this.weekRange(now, weeks);
    const weekStarts = Array.from({ length: weeks }, (_, i) => addDays(first, 7 * i));
    const rows = await this.repository.countryWeeks(first, last);
    const totals = rows.length ? rows.slice(0, weeks).map((row) => row.weekTotal) : weekStarts.map(() => 0);
    const countries: SpotifyCountriesResponse['countries'] = [];
    for (const row of rows) {
      let entry = countries[countries.length - 1];
      if (entry?.country !== row.country) {
        entry = { country: row.country, minutes: [], total: row.total, change: [] };
        countries.push(entry);
      }
      entry.minutes.push(row.minutes);
      entry.change.push(row.change);
    }
    return { weeks: weekStarts, countries, totals };
  }

  /**
   * Settled quarters and the projection of the quarter holding `now` (SPEC §2): the minutes so far divided
   * by the days the data covers (from the quarter's first day, or the first day with data if later, to the
   * last day of data), times the quarter's days; monthly stats where they cover more days than the weekly
   * ones. Times the current rate, with a band from the lowest and highest unrounded rate of the last four
   * complete quarters, widened to include the current rate.
   */
  async computeProjection(now: Date): Promise<SpotifyQuarterlyProjectionResponse> {
    const zone = this.config.businessTimezone;
    const settings = await this.storedSettings();
    const quarter = quarterOf(now, zone);
    const quarterStart = localDate(quarter.from, zone);
    const quarterEnd = localDate(quarter.to, zone);
    const today = localDate(now, zone);
    const quarters = await this.repository.quarterActuals(
      quarterStart,
      this.config.baseCurrency,
      settings.averageBookMinutes,
      zone,
    );
    const coverage = await this.coverage(quarterStart, quarterEnd, today);
    const rates = [
      ...quarters
        .filter((q) => q.complete)
        .slice(-4)
        .map((q) => q.exactRate),
      settings.poolRate,
    ];
    const byValue = (a: string, b: string) => Number(a) - Number(b);
    const sorted = [...rates].sort(byValue);
    const figures = await this.repository.projectionFigures(coverage.minutes, quarter.days, coverage.days, {
      low: sorted[0]!,
      expected: settings.poolRate,
      high: sorted[sorted.length - 1]!,
    });
    return {
      currentRate: Number(settings.poolRate),
      currentRateSource: await this.rateSource(),
      averageBookMinutes: Number(settings.averageBookMinutes),
      quarters: quarters.map(({ exactRate: _exact, ...q }) => ({ ...q, kind: 'actual' as const })),
      projection: {
        quarter: quarter.quarter,
        minutesToDate: figures.minutesToDate,
        daysElapsed: coverage.days,
        coveredFrom: coverage.from,
        minutesFrom: coverage.kind,
        daysInQuarter: quarter.days,
        projectedMinutes: figures.projectedMinutes,
        revenue: { low: figures.low, expected: figures.expected, high: figures.high },
      },
      computedAt: now.toISOString(),
    };
  }

  /** The quarter's minutes so far and the days they cover: weekly stats, or monthly ones where they cover more. */
  private async coverage(
    quarterStart: string,
    quarterEnd: string,
    today: string,
  ): Promise<{ minutes: string; days: number; from: string | null; kind: 'weekly' | 'monthly' | 'none' }> {
    const [weekly, monthly] = await Promise.all([
      this.repository.quarterMinutesToDate(quarterStart, quarterEnd, today),
      this.repository.quarterMonthlyMinutes(quarterStart, quarterEnd, today),
    ]);
    const earliest = (...days: string[]) => days.sort()[0]!;
    const latest = (...days: string[]) => days.sort()[days.length - 1]!;
    const weeklyFrom = weekly.firstWeek ? latest(weekly.firstWeek, quarterStart) : null;
    const weeklyUntil = weekly.lastWeek ? earliest(addDays(weekly.lastWeek, 7), quarterEnd, addDays(today, 1)) : null;
    const weeklyDays = weeklyFrom && weeklyUntil ? Math.max(0, daysBetween(weeklyFrom, weeklyUntil)) : 0;
    const monthlyDays =
      monthly.firstMonth && monthly.lastMonth
        ? daysBetween(monthly.firstMonth, addMonthsToMonthStart(monthly.lastMonth, 1))
        : 0;
    if (monthlyDays > weeklyDays)
      return { minutes: monthly.minutes, days: monthlyDays, from: monthly.firstMonth, kind: 'monthly' };
    if (weeklyFrom) return { minutes: weekly.minutes, days: weeklyDays, from: weeklyFrom, kind: 'weekly' };
    return { minutes: '0', days: 0, from: null, kind: 'none' };
  }

  /** The current rate's source: the admin's words and when they were saved, or the default. */
  async rateSource(): Promise<SpotifySource> {
    const settings = await this.settings();
    return { kind: 'setting', label: settings.poolRateSource, at: settings.updatedAt, by: settings.updatedBy };
  }

  /** Recomputes the projection for now and stores it (hourly job, after uploads and settings changes). */
  async refreshStoredProjection(now = new Date()): Promise<SpotifyQuarterlyProjectionResponse> {
    const projection = await this.computeProjection(now);
    await this.repository.writeSetting(SPOTIFY_PROJECTION_KEY, projection);
    return projection;
  }

  /** The stored projection; computed on the spot the first time, or when it is from another quarter. */
  async storedProjection(): Promise<SpotifyQuarterlyProjectionResponse> {
    const stored = await this.repository.readSetting<SpotifyQuarterlyProjectionResponse>(SPOTIFY_PROJECTION_KEY);
    const currentQuarter = quarterOf(new Date(), this.config.businessTimezone).quarter;
    if (stored && stored.value.projection?.quarter === currentQuarter) return stored.value;
    return this.refreshStoredProjection();
  }

  async settings(): Promise<SpotifySettings> {
    const stored = await this.repository.readSetting<StoredSpotifySettings>(SPOTIFY_SETTINGS_KEY);
    const value = { ...DEFAULT_SPOTIFY_SETTINGS, ...stored?.value };
    return {
      poolRate: Number(value.poolRate),
      poolRateSource: value.poolRateSource,
      averageBookMinutes: Number(value.averageBookMinutes),
      cadence: value.cadence,
      updatedAt: stored ? stored.updatedAt.toISOString() : null,
      updatedBy: stored?.value.updatedBy ?? null,
    };
  }

  async updateSettings(update: SpotifySettingsUpdate, by: string | null): Promise<SpotifySettings> {
    const stored = await this.storedSettings();
    await this.repository.writeSetting(SPOTIFY_SETTINGS_KEY, {
      poolRate: String(update.poolRate),
      poolRateSource: update.poolRateSource.trim(),
      averageBookMinutes: String(update.averageBookMinutes),
      cadence: update.cadence ?? stored.cadence,
      updatedBy: by,
    } satisfies StoredSpotifySettings);
    await this.refreshStoredProjection();
    return this.settings();
  }

  async storedSettings(): Promise<StoredSpotifySettings> {
    const stored = await this.repository.readSetting<StoredSpotifySettings>(SPOTIFY_SETTINGS_KEY);
    return { ...DEFAULT_SPOTIFY_SETTINGS, ...stored?.value };
  }

  /**
   * The last `weeks` complete ISO weeks: [first Monday, last Monday], ending with the week before the one
   * holding `now` in the business zone. Spotify reports a week only after it ends, so the week in progress
   * would always show 0 (and a −100 % change).
   */
  private weekRange(now: Date, weeks: number): [string, string] {
    const last = addDays(startOfIsoWeek(localDate(now, this.config.businessTimezone)), -7);
    return [addDays(last, -7 * (weeks - 1)), last];
  }
}
