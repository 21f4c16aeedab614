import type { AnalyticsWarning } from './analytics';
import type { IsoDate, IsoDateTime } from './common';

/**
 * Exchange rates (SPEC §2, §3 `fx`): 1 unit of `currency` = `rate` units of the base currency on `date`.
 * Rates are decimal strings (exact), never floats.
 */

/** Where a rate came from: the daily ECB fetch, a rate file, `POST /api/fx/rates` or the demo data. */
export type FxRateSource = 'ecb' | 'file' | 'api' | 'demo';

export interface FxRate {
  date: IsoDate;
  currency: string;
  /** Units of the base currency for 1 unit of `currency`, as a decimal string. */
  rate: string;
  source: FxRateSource;
  /** File name or URL. */
  origin: string | null;
  addedAt: IsoDateTime;
}

/** `GET /api/fx/rates?currency=&from=&to=`: newest first, at most 1,000. */
export interface FxRatesResponse {
  base: string;
  rates: FxRate[];
}

/** One row of `POST /api/fx/rates`; `rate` as a decimal string (or a JSON number), greater than 0. */
export interface FxRateInput {
  date: IsoDate;
  currency: string;
  rate: string | number;
}

export interface FxRatesRequest {
  rates: FxRateInput[];
}

/** What storing rates did, and what still waits for a rate. */
export interface FxRatesStoredResponse {
  inserted: number;
  updated: number;
  /** Orders and refunds whose base amount this changed (waiting ones converted, or a corrected rate applied). */
  converted: { orders: number; refunds: number };
  /** Orders and refunds (of all time) still without a rate: which currencies and days; empty when none. */
  warnings: AnalyticsWarning[];
}

/** `ok`: fetched as scheduled; `stale`: the last fetch failed, or none succeeded for 4 days; `pending`: not tried yet. */
export type FxFetchStatus = 'ok' | 'stale' | 'pending' | 'off';

export interface FxFetchState {
  status: FxFetchStatus;
  /** The daily file's URL (`FX_RATES_URL`); null when the fetch is off. */
  url: string | null;
  lastAttemptAt: IsoDateTime | null;
  lastSuccessAt: IsoDateTime | null;
  lastError: string | null;
}

export interface FxCurrencyStatus {
  currency: string;
  /** The newest day with a rate for this currency; null when there is none. */
  lastRateDate: IsoDate | null;
  lastRateSource: FxRateSource | null;
  /** Counted orders (and refunds) in this currency still without a base amount. */
  waitingOrders: number;
  waitingRefunds: number;
}

/** `GET /api/fx/status`: every currency orders were placed in (other than the base currency). */
export interface FxStatusResponse {
  base: string;
  /** Where the daily rates come from (the URL), or null when the fetch is off. */
  source: string | null;
  /** The last successful fetch. */
  lastFetch: IsoDateTime | null;
  fetch: FxFetchState;
  currencies: FxCurrencyStatus[];
  warnings: AnalyticsWarning[];
}

/** `POST /api/fx/refresh`: the ECB fetch run now (or not, when another instance is running it). */
export interface FxRefreshResponse {
  ran: boolean;
  /** Rates stored by this run. */
  inserted: number;
  updated: number;
  converted: { orders: number; refunds: number };
  fetch: FxFetchState;
}
