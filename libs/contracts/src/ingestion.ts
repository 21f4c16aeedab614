import type { IsoDateTime, Platform } from './common';

/** What a webhook endpoint answers (the platforms only look at the status code). */
export interface WebhookAck {
  ok: true;
  /**
   * inserted, updated, unchanged, stale (older than what is stored), duplicate, pending_order (a refund
   * kept until its order arrives), deleted, not_stored (a deletion of an order never stored), ignored, ping
   */
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

/** Which statuses of each platform count (SPEC §2), in the platform's own words; `GET /api/settings/counted-statuses`. */
export interface PlatformCountedStatuses {
  platform: Platform;
  /** The platform's known statuses that count. */
  counted: string[];
  /** The statuses that do not count (a WooCommerce plugin's own status may be one of them). */
  notCounted: string[];
}

export interface CountedStatusesResponse {
  platforms: PlatformCountedStatuses[];
}

/** `PUT /api/settings/counted-statuses` (admin): one platform's statuses that do not count. */
export interface CountedStatusesUpdate {
  platform: Platform;
  notCounted: string[];
}

export interface CountedStatusesUpdated extends CountedStatusesResponse {
  /** Stored orders that started or stopped counting with the change. */
  ordersChanged: number;
}

/** A stored order as an admin finds it before removing it (`GET /api/orders/find`). */
export interface StoredOrderSummary {
  id: string;
  platform: Platform;
  store: string;
  externalId: string;
  orderNumber: string | null;
  createdAt: IsoDateTime;
  /** Decimal string in `currency`. */
  total: string;
  currency: string;
  counted: boolean;
  /** Set when the order was removed from the figures (by the platform or an admin). */
  deletedAt: IsoDateTime | null;
}

export interface StoredOrdersResponse {
  orders: StoredOrderSummary[];
}

/** `DELETE /api/orders/:id` (admin): the order, now out of the figures, and its audit line. */
export interface OrderRemovedResponse {
  order: StoredOrderSummary;
  auditId: string;
}
