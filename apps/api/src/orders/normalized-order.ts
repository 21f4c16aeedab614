import type { Platform } from '@mt/contracts';

/**
 * Order statuses after normalisation. `cancelled` and `voided` are not counted (the `counted` column of
 * `orders`); `refunded` and `partially_refunded` still count, their refunds are subtracted as dated events.
 */
export type OrderStatus =
  'pending' | 'authorized' | 'partially_paid' | 'paid' | 'partially_refunded' | 'refunded' | 'cancelled' | 'voided';

/** Refund ids standing for an export file's cumulative refunded amount (see OrdersRepository.insertRefunds). */
export const EXPORT_REFUND_PREFIX = 'export:';

export interface NormalizedRefund {
  /** Platform refund id, or a key derived from the source when the platform gives none. */
  externalId: string;
  refundedAt: Date;
  /** Positive decimal string in the order's currency. */
  amount: string;
}

/**
 * One order as any platform or export describes it. `currency` and `total` are the shop-currency amounts
 * where the platform gives them (Shopify `shop_money`, eBay post-conversion `value`, Etsy receipts),
 * else the order's own currency (WooCommerce, Amazon); conversion to the base currency happens in SQL
 * (`OrdersRepository`). `total` is the original total: refunds are separate dated rows.
 */
export interface NormalizedOrder {
  platform: Platform;
  store: string;
  /** Exact platform id as text (Shopify ids exceed 2^53). */
  externalId: string;
  orderNumber: string | null;
  createdAt: Date;
  currency: string;
  total: string;
  /** ISO 3166 alpha-2, upper case. */
  country: string | null;
  status: OrderStatus;
  test: boolean;
  /** The platform's last-modified time; an older one never overwrites a newer stored one. */
  platformUpdatedAt: Date | null;
  refunds: NormalizedRefund[];
  /** The source document: a parsed object, or the exact JSON text a webhook delivered. */
  raw: unknown;
}

/** A refund that arrives on its own (Shopify `refunds/create`), for an order identified by its platform id. */
export interface NormalizedStandaloneRefund extends NormalizedRefund {
  platform: Platform;
  store: string;
  orderExternalId: string;
  raw: unknown;
}

export class OrderParseError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
