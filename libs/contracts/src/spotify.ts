import type { IsoDate, IsoDateTime } from './common';

export interface SpotifyMinutesResponse {
  /** $/min used for the estimates (the configured pool rate). */
  rate: number;
  averageBookMinutes: number;
  /** The last N complete weeks, oldest first (the week holding `now` is left out); weeks without data have 0. */
  weeks: Array<{ weekStart: IsoDate; minutes: number; estimatedRevenue: number; estimatedCompletes: number }>;
}

export interface SpotifyCountriesResponse {
  weeks: IsoDate[];
  /** By total minutes, largest first. `change[i]` = % vs week i − 1 (null for the first and after a 0 week). */
  countries: Array<{ country: string; minutes: number[]; total: number; change: Array<number | null> }>;
  totals: number[];
}

export interface SpotifyQuarter {
  quarter: string;
  revenue: number;
  minutes: number;
  completes: number | null;
  /** revenue / minutes, 5 decimals. */
  rate: number;
  kind: 'actual';
  /** `revenue-report` (from uploaded revenue lines) or the stored actual's source (e.g. `manual`, `demo`). */
  source: string;
}

export interface SpotifyProjection {
  quarter: string;
  /** Weekly minutes inside the quarter so far (a week straddling the quarter start counts pro rata). */
  minutesToDate: number;
  /** Days of the quarter the weekly data covers (quarter start to the end of the latest week with data). */
  daysElapsed: number;
  daysInQuarter: number;
  projectedMinutes: number;
  /** projectedMinutes × lowest / current / highest rate (lowest and highest over the last four actual quarters). */
  revenue: { low: number; expected: number; high: number };
}

export interface SpotifyQuarterlyProjectionResponse {
  currentRate: number;
  averageBookMinutes: number;
  /** Oldest first. */
  quarters: SpotifyQuarter[];
  projection: SpotifyProjection;
  /** When this projection was computed (hourly job, after each upload and settings change). */
  computedAt: IsoDateTime;
}

export interface SpotifySettings {
  /** Current pool rate, $ per minute listened. */
  poolRate: number;
  /** Where the rate comes from (e.g. "2025-Q3 actual"). */
  poolRateSource: string;
  averageBookMinutes: number;
  updatedAt: IsoDateTime | null;
}

export type SpotifySettingsUpdate = Pick<SpotifySettings, 'poolRate' | 'poolRateSource' | 'averageBookMinutes'>;
