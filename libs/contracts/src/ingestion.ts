import type { IsoDateTime, Platform } from './common';

/** What a webhook endpoint answers (the platforms only look at the status code). */
export interface WebhookAck {
  ok: true;
  /** inserted, updated, unchanged, stale (older than what is stored), duplicate, orphan, ignored, ping */
  outcome: string;
}

export interface ImportRowError {
  /** 1-based line number in the file, the header being line 1; 0 when the file as a whole is wrong. */
  row: number;
  column: string | null;
  message: string;
}

/** `POST /api/import/orders`: one report per uploaded file. A file with errors writes nothing. */
export interface OrderImportFileReport {
  file: string;
  platform: Platform | null;
  /** Data rows read (not counting the header). */
  rows: number;
  /** Orders created, changed (incl. new refunds) and left as they were. */
  inserted: number;
  updated: number;
  skipped: number;
  errors: ImportRowError[];
}

export interface OrderImportResponse {
  files: OrderImportFileReport[];
}

export type SourceKind = 'webhook' | 'poller' | 'import';

/** `GET /api/sources`: every way orders come in, with when it last worked and its last error. */
export interface SourceStatus {
  name: string;
  platform: Platform;
  kind: SourceKind;
  enabled: boolean;
  lastAttemptAt: IsoDateTime | null;
  lastSuccessAt: IsoDateTime | null;
  lastError: string | null;
  lastErrorAt: IsoDateTime | null;
}

export interface SourcesResponse {
  sources: SourceStatus[];
}
