import type { AnalyticsWarning } from './analytics';
import type { IsoDate, IsoDateTime, Platform } from './common';

/** The formats an edition comes in (SPEC §2 "Line items and titles"). */
export const EDITION_FORMATS = ['paperback', 'hardcover', 'ebook', 'audiobook', 'print', 'other'] as const;
export type EditionFormat = (typeof EDITION_FORMATS)[number];

export type TitleSort = 'revenue' | 'units';

/**
 * What leads to an edition: an ISBN/GTIN or SKU (on every platform: `platform` null), a listing or
 * product id (on its `platform`), or a Spotify report's title key (`platform` 'spotify': an ISBN, else
 * the title's lower-cased name, kind `title`).
 */
export type IdentifierKind = 'isbn' | 'sku' | 'listing' | 'title';

export interface EditionIdentifier {
  kind: IdentifierKind;
  platform: Platform | 'spotify' | null;
  value: string;
}

export interface Edition {
  id: number;
  format: EditionFormat;
  identifiers: EditionIdentifier[];
}

export interface TitlePlatformFigures {
  platform: Platform;
  orders: number;
  units: number;
  revenue: number;
}

/** Listening of a title's audiobook; `confirmedRevenue` comes with Spotify statements (null until then). */
export interface TitleSpotifyFigures {
  minutes: number;
  estimatedRevenue: number;
  confirmedRevenue: number | null;
}

export interface TitleSummary {
  id: number;
  title: string;
  formats: EditionFormat[];
  /** Counted orders with at least one line of the title. */
  orders: number;
  units: number;
  /** The title's share of revenue: its lines' shares of their orders' totals, minus their refund shares. */
  revenue: number;
  previousRevenue: number;
  /** Percent change of revenue from the previous range; null when that was 0. */
  change: number | null;
  platforms: TitlePlatformFigures[];
  spotify: TitleSpotifyFigures;
  /** What royalty statements paid from other partners (Google Play, Audiobooks.com, …) in the range's months. */
  otherAudiobook: TitleOtherAudiobookIncome;
}

/** Royalty statement lines of partners other than Spotify: the title's other audiobook income, base currency. */
export interface TitleOtherAudiobookIncome {
  revenue: number;
  /** By revenue, largest first. */
  partners: Array<{ partner: string; revenue: number }>;
}

/** Orders stored without lines (a file that tells none): they count, but on no title. */
export interface NoLineItemsFigures {
  orders: number;
  revenue: number;
  previousRevenue: number;
  change: number | null;
}

/** `GET /api/titles?from=&to=&limit=&sort=` */
export interface TitlesResponse {
  currency: string;
  from: IsoDateTime;
  to: IsoDateTime;
  previous: { from: IsoDateTime; to: IsoDateTime };
  /** The best `limit` titles by `sort`. */
  titles: TitleSummary[];
  noLineItems: NoLineItemsFigures;
  /**
   * Every counted order of the range, and its revenue: the sum of every title's revenue (not only those
   * listed) and `noLineItems.revenue`, equal to `GET /api/comparison/range` for the same range, to the cent.
   */
  total: { orders: number; units: number; revenue: number };
  warnings: AnalyticsWarning[];
}

export interface TitleDay {
  date: IsoDate;
  units: number;
  revenue: number;
}

export interface TitleCountryFigures {
  /** ISO 3166-1 alpha-2; null when unknown. */
  country: string | null;
  orders: number;
  units: number;
  revenue: number;
}

export interface TitleSpotifyMonth {
  /** `YYYY-MM` */
  month: string;
  minutes: number;
  estimatedRevenue: number;
  confirmedRevenue: number | null;
}

/** `GET /api/titles/:id?from=&to=` */
export interface TitleDetailResponse {
  id: number;
  title: string;
  currency: string;
  from: IsoDateTime;
  to: IsoDateTime;
  previous: { from: IsoDateTime; to: IsoDateTime };
  editions: Edition[];
  total: { orders: number; units: number; revenue: number; previousRevenue: number; change: number | null };
  /** Every local day of the range, empty ones included. */
  daily: TitleDay[];
  /** The same for the previous range, day for day, for the chart's dashed line. */
  previousDaily: TitleDay[];
  platforms: TitlePlatformFigures[];
  countries: TitleCountryFigures[];
  /** The months the range touches, whole; minutes × the current pool rate, and what statements confirmed. */
  spotify: { rate: number; months: TitleSpotifyMonth[] };
  otherAudiobook: TitleOtherAudiobookIncome;
  warnings: AnalyticsWarning[];
}

/** A title as the catalogue holds it (Settings → Titles). */
export interface CatalogueTitle {
  id: number;
  title: string;
  editions: Array<Edition & { lines: number }>;
  /** Order lines on the title, ever. */
  lines: number;
}

/** `GET /api/titles/catalogue?search=` */
export interface CatalogueResponse {
  titles: CatalogueTitle[];
}

export interface RenameTitleRequest {
  title: string;
}

export interface MergeTitlesRequest {
  titleIds: number[];
}

export interface SplitTitleRequest {
  editionIds: number[];
  /** The new title's name; by default the title's name with the first edition's format. */
  title?: string;
}

export interface MoveIdentifierRequest extends EditionIdentifier {
  /** The edition that gets the identifier (and the lines it leads to). */
  editionId: number;
}

/**
 * What an admin change did, or with `?dryRun=true` would do: the titles concerned as they are after it,
 * and how many order lines (and their all-time revenue) change title.
 */
export interface CatalogueChangeResponse {
  applied: boolean;
  titles: CatalogueTitle[];
  /** Titles that no longer exist after the change (merged away). */
  removedTitleIds: number[];
  movedLines: number;
  movedRevenue: number;
}
