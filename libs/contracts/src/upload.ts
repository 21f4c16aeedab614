import type { AnalyticsWarning } from './analytics';
import type { IsoDateTime, Platform } from './common';

/** What a file of the one intake is (SPEC §4 "One way in for files"), recognised from its content. */
export const IMPORT_KINDS = ['orders', 'spotify', 'rates'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The report kinds `POST /api/upload` understands (SPEC §4); also the values of its optional `type` field. */
export const UPLOAD_REPORT_TYPES = ['spotify-weekly', 'spotify-monthly', 'spotify-revenue'] as const;
export type UploadReportType = (typeof UPLOAD_REPORT_TYPES)[number];

/** Exchange-rate files: `date,currency,rate` CSV, and the ECB's own CSV or XML (rates per 1 EUR). */
export const RATE_FILE_TYPES = ['fx-rates', 'ecb-rates'] as const;
export type RateFileType = (typeof RATE_FILE_TYPES)[number];

/** The Findaway / INaudio "Digital Royalty" XLSX (FORMATS.md §6.1): imported as a `spotify` kind of file. */
export const STATEMENT_FILE_TYPE = 'spotify-statement' as const;

/** Every kind of file the one intake recognises; the values of `POST /api/upload`'s optional `type` field. */
export const UPLOAD_FILE_TYPES = [...UPLOAD_REPORT_TYPES, STATEMENT_FILE_TYPE, ...RATE_FILE_TYPES] as const;
export type UploadFileType = (typeof UPLOAD_FILE_TYPES)[number];

/**
 * `row`: 1-based record number in a CSV (the line number unless a quoted cell spans lines) or row number in
 * an XLSX sheet; `column`: the header as written in the file. Both null for problems of the whole file.
 */
export interface UploadRowError {
  row: number | null;
  column: string | null;
  message: string;
  /** XLSX only: the sheet of that row. */
  sheet?: string;
}

/**
 * One file's outcome (SPEC §3). A file whose content hash was imported before answers
 * `status: 'imported'`, `duplicate: true`, zero counts and changes nothing.
 */
export interface UploadFileResult {
  name: string;
  /** `null` when the file could not be recognised. */
  kind: ImportKind | null;
  /** Spotify reports and rate files: their type; `null` for order files and unrecognised files. */
  type: UploadFileType | null;
  /** Order files: the platform they come from. */
  platform: Platform | null;
  /** What the intake recognised, in words: "Shopify orders export, 50 orders"; null when nothing. */
  recognised: string | null;
  status: 'imported' | 'rejected';
  /** Data rows read (title, blank and totals rows excluded). */
  rows: number;
  inserted: number;
  /** Existing rows whose values changed. */
  updated: number;
  /** Order files: orders already stored exactly so (a re-import); 0 for other kinds. */
  skipped: number;
  errors: UploadRowError[];
  duplicate: boolean;
  /** Set for duplicates: "already imported …". */
  message?: string;
  /** Sheet(s) read, for XLSX; empty for CSV. */
  sheets: string[];
  /** Rate files: orders and refunds whose base amount the rates changed. */
  converted?: { orders: number; refunds: number };
  /** Rate files: what still waits for a rate after this file (currencies and days); empty when nothing does. */
  warnings?: AnalyticsWarning[];
}

export interface UploadResponse {
  files: UploadFileResult[];
}

export interface UploadHistoryEntry {
  id: number;
  uploadedAt: IsoDateTime;
  userId: number | null;
  fileName: string;
  fileHash: string;
  sizeBytes: number;
  type: UploadFileType | null;
  /** `imported`, `rejected` or `duplicate` (same content as an earlier import; nothing changed). */
  status: 'imported' | 'rejected' | 'duplicate';
  rows: number;
  inserted: number;
  updated: number;
  errorCount: number;
}

export interface UploadHistoryResponse {
  uploads: UploadHistoryEntry[];
}

/** `GET /api/imports`: one entry per file that came through the intake, orders, Spotify and rates alike. */
export interface ImportHistoryEntry {
  id: number;
  file: string;
  kind: ImportKind | null;
  platform: Platform | null;
  reportType: UploadFileType | null;
  /** What the intake recognised the file as: "Shopify orders export". */
  recognised: string | null;
  rows: number;
  inserted: number;
  updated: number;
  skipped: number;
  status: 'imported' | 'rejected' | 'duplicate';
  /** How many row errors a rejected file had. */
  errorCount: number;
  at: IsoDateTime;
  /** E-mail of who uploaded it; null for scripts without a user and for users since removed. */
  by: string | null;
}

export interface ImportHistoryResponse {
  imports: ImportHistoryEntry[];
}

/** Canonical fields a report header can map to. */
export const UPLOAD_FIELDS = [
  'week',
  'month',
  'period',
  'title',
  'isbn',
  'country',
  'minutes',
  'completes',
  'revenueModel',
  'units',
  'currency',
  'netRoyalty',
  // The columns of a royalty statement's channel sheets (FORMATS.md §6.1) that reports do not have.
  'royaltyRate',
  'displayNumber',
  'publisher',
  'partner',
  'promotion',
  'listPrice',
  'priceType',
  'grossRevenue',
  'royaltyEarned',
  'distributionFee',
  'exchangeRate',
  'payableCurrency',
] as const;
export type UploadField = (typeof UPLOAD_FIELDS)[number];

/** A header as it may appear in a file, the field it means, and a factor (e.g. `Hours` → minutes × 60). */
export interface UploadHeaderAlias {
  alias: string;
  field: UploadField;
  factor: number;
  builtin: boolean;
}

export interface UploadAliasesResponse {
  aliases: UploadHeaderAlias[];
}

/** `PUT /api/upload/aliases`: the full list of non-builtin aliases plus any builtin ones to keep. */
export interface UploadAliasesRequest {
  aliases: Array<{ alias: string; field: UploadField; factor?: number }>;
}
