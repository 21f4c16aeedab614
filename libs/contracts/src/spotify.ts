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

/**
 * Where a figure came from (SPEC §2: "each quarter shows where its figures came from"): demo data, a stored
 * manual actual, or an uploaded file (which one, when and by whom); `setting` for the configured pool rate.
 */
export type SpotifySourceKind = 'demo' | 'manual' | 'revenue-report' | 'statement' | 'setting';

export interface SpotifySource {
  kind: SpotifySourceKind;
  /** File name of an upload, the stored actual's own words, or the rate's source text. */
  label: string;
  /** When the file was uploaded (the setting saved); null for demo data and manual actuals. */
  at: IsoDateTime | null;
  /** E-mail of the uploader; null when unknown (scripts, the demo, removed users). */
  by: string | null;
}

export interface SpotifyQuarter {
  quarter: string;
  revenue: number;
  minutes: number;
  completes: number | null;
  /** revenue / minutes, 5 decimals. */
  rate: number;
  kind: 'actual';
  /** `revenue-report` / `statement` (built from confirmed months) or the stored actual's source (`manual`, `demo`). */
  source: string;
  /** Months of the quarter that a statement or revenue report confirms (0–3). */
  confirmedMonths: number;
  /** False while some of its months are not confirmed: the figures are then those of the confirmed months only. */
  complete: boolean;
  /** Every source behind the figures: the files of its confirmed months, or the stored actual. */
  sources: SpotifySource[];
}

export interface SpotifyProjection {
  quarter: string;
  /** Weekly minutes inside the quarter so far (a week straddling the quarter start counts pro rata). */
  minutesToDate: number;
  /**
   * Days the data covers: from the quarter's first day, or the first day with data if later, to the last
   * complete day of data.
   */
  daysElapsed: number;
  /** The first day counted (YYYY-MM-DD); null without data. */
  coveredFrom: IsoDate | null;
  /** Where the minutes come from: weekly stats, or monthly stats where they cover more of the quarter. */
  minutesFrom: 'weekly' | 'monthly' | 'none';
  daysInQuarter: number;
  projectedMinutes: number;
  /**
   * projectedMinutes × lowest / current / highest rate: lowest and highest unrounded actual rate of the
   * last four quarters with actuals, widened to include the current rate.
   */
  revenue: { low: number; expected: number; high: number };
}

export interface SpotifyQuarterlyProjectionResponse {
  currentRate: number;
  /** Where the current rate comes from (the setting, or the default). */
  currentRateSource: SpotifySource;
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
  /** Paid monthly or quarterly (default monthly, as Findaway pays). */
  cadence: SettlementCadence;
  /** Where the rate comes from (e.g. "2025-Q3 actual"). */
  poolRateSource: string;
  averageBookMinutes: number;
  updatedAt: IsoDateTime | null;
  /** E-mail of the admin who saved them; null for the defaults (and settings saved before this was kept). */
  updatedBy: string | null;
}

export type SpotifySettingsUpdate = Pick<SpotifySettings, 'poolRate' | 'poolRateSource' | 'averageBookMinutes'> &
  Partial<Pick<SpotifySettings, 'cadence'>>;

/** How the publisher is paid (SPEC §2): one payment per month, or one per quarter. */
export const SETTLEMENT_CADENCES = ['monthly', 'quarterly'] as const;
export type SettlementCadence = (typeof SETTLEMENT_CADENCES)[number];

/** One month of listening: an estimate until a statement (or revenue report) confirms it. */
export interface SpotifyMonth {
  /** `YYYY-MM` */
  month: string;
  /** Revenue report minutes, else monthly stats, else weekly stats spread over their days. */
  minutes: number;
  /** minutes × the current pool rate. */
  estimatedRevenue: number;
  /** Spotify pool money of the month in the base currency; null until confirmed. */
  confirmedRevenue: number | null;
  status: 'estimated' | 'confirmed';
  /** confirmedRevenue − estimatedRevenue; null while estimated. */
  difference: number | null;
  /** The statement or revenue report that confirmed it; null while estimated. */
  source: SpotifySource | null;
}

/** `GET /api/spotify/months?months=12` */
export interface SpotifyMonthsResponse {
  currency: string;
  rate: number;
  cadence: SettlementCadence;
  /** Oldest first, the month holding `now` last. */
  months: SpotifyMonth[];
}

/** One royalty statement as it came (FORMATS.md §6.1). */
export interface SpotifyStatement {
  id: number;
  /** Who issued it: `findaway`. */
  source: string;
  /** `YYYY-MM` */
  period: string;
  invoiceNumber: string;
  invoiceDate: IsoDate;
  dueDate: IsoDate;
  /** In the statement's currency. */
  netAmount: number;
  currency: string;
  /** Net amount in the base currency at the invoice date's rate; null while that rate is missing. */
  baseNetAmount: number | null;
  /** Spotify lines (pool and à-la-carte), base currency. */
  spotifyAmount: number | null;
  /** Other partners' lines (Google Play, Audiobooks.com, …), base currency. */
  otherAmount: number | null;
  channels: Array<{ channel: string; currency: string; amount: number }>;
  file: string;
  uploadedAt: IsoDateTime;
  uploadedBy: string | null;
  /** Corrected re-issues of the same period replace it; this counts the versions received. */
  versions: number;
}

/** A payment still to come: a statement not yet due, or an estimate for listening no statement covers yet. */
export interface SpotifyUpcomingPayment {
  /** `YYYY-MM`, or `YYYY-Qn` when the cadence is quarterly. */
  period: string;
  dueDate: IsoDate;
  /** Base currency. */
  amount: number;
  /** `statement`: its net amount; `estimate`: minutes × the current rate, no statement yet. */
  basis: 'statement' | 'estimate';
}

/** `GET /api/spotify/statements` */
export interface SpotifyStatementsResponse {
  currency: string;
  cadence: SettlementCadence;
  /** Newest period first. */
  statements: SpotifyStatement[];
  /** By due date, soonest first. */
  upcoming: SpotifyUpcomingPayment[];
}
