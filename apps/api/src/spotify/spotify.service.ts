import { Injectable } from '@nestjs/common';
import type {
  SpotifyCountriesResponse,
  SpotifyMinutesResponse,
  SpotifyQuarterlyProjectionResponse,
  SpotifySettings,
  SpotifySettingsUpdate,
} from '@mt/contracts';
import { addDays, daysBetween, localDate, quarterOf, startOfIsoWeek } from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { SpotifyRepository } from './spotify.repository';

/** Stored in `settings`; rates as decimal strings so they reach SQL exactly. */
interface StoredSpotifySettings {
  poolRate: string;
  poolRateSource: string;
  averageBookMinutes: string;
}

export const SPOTIFY_SETTINGS_KEY = 'spotify';
export const SPOTIFY_PROJECTION_KEY = 'spotify.projection';

/** SPEC §2: the 2025-Q3 actual rate until an admin sets another. */
export const DEFAULT_SPOTIFY_SETTINGS: StoredSpotifySettings = {
  poolRate: '0.00841',
  poolRateSource: 'default: 2025-Q3 actual (14,354 USD / 1,707,582 minutes)',
  averageBookMinutes: '530',
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
   * Settled quarters and the projection of the quarter holding `now`: its weekly minutes so far,
   * extrapolated over the days the data covers to the whole quarter, times the lowest, current and
   * highest rate (lowest and highest of the last four settled quarters).
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
    );
    const recentRates = quarters.slice(-4).map((q) => q.rate);
    const { minutes, lastWeek } = await this.repository.quarterMinutesToDate(quarterStart, quarterEnd, today);
    const coveredUntil = lastWeek ? [addDays(lastWeek, 7), quarterEnd, addDays(today, 1)].sort()[0]! : quarterStart;
    const daysElapsed = Math.max(0, daysBetween(quarterStart, coveredUntil));
    const figures = await this.repository.projectionFigures(minutes, quarter.days, daysElapsed, {
      low: recentRates.length ? String(Math.min(...recentRates)) : settings.poolRate,
      expected: settings.poolRate,
      high: recentRates.length ? String(Math.max(...recentRates)) : settings.poolRate,
    });
    return {
      currentRate: Number(settings.poolRate),
      averageBookMinutes: Number(settings.averageBookMinutes),
      quarters: quarters.map((q) => ({ ...q, kind: 'actual' as const })),
      projection: {
        quarter: quarter.quarter,
        minutesToDate: figures.minutesToDate,
        daysElapsed,
        daysInQuarter: quarter.days,
        projectedMinutes: figures.projectedMinutes,
        revenue: { low: figures.low, expected: figures.expected, high: figures.high },
      },
      computedAt: now.toISOString(),
    };
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
      updatedAt: stored ? stored.updatedAt.toISOString() : null,
    };
  }

  async updateSettings(update: SpotifySettingsUpdate): Promise<SpotifySettings> {
    await this.repository.writeSetting(SPOTIFY_SETTINGS_KEY, {
      poolRate: String(update.poolRate),
      poolRateSource: update.poolRateSource.trim(),
      averageBookMinutes: String(update.averageBookMinutes),
    } satisfies StoredSpotifySettings);
    await this.refreshStoredProjection();
    return this.settings();
  }

  private async storedSettings(): Promise<StoredSpotifySettings> {
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
