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
 * One line of an order, as the platform describes it. Money is a decimal string in the order's currency
 * (the same currency as `NormalizedOrder.total`). `lineTotal` is what the line sold for before tax and
 * shipping: quantity × unit price minus the discounts the platform itself attributes to the line; a
 * discount the platform reports only for the whole order stays with the order (SPEC §2 shares the
 * order's non-line amounts out over its lines). Per platform:
 * - Shopify webhook/REST: `quantity × price − Σ discount_allocations` (shop money; Shopify allocates its
 *   discount codes to the lines, so the lines add up to `subtotal_price`); CSV: `Lineitem quantity ×
 *   Lineitem price − Lineitem discount` (the CSV has no per-line share of an order-wide code).
 * - WooCommerce: `total` (after coupons, before tax); unit price = `subtotal ÷ quantity`.
 * - Etsy receipts and Sold Order Items CSV: `price × quantity` (Etsy gives discounts per order only).
 * - Amazon getOrderItems: `ItemPrice − PromotionDiscount` (ItemPrice is already quantity × unit);
 *   report: `item-price − |item-promotion-discount|`. Cancelled items are not lines.
 * - eBay: `discountedLineItemCost`, else `lineItemCost − Σ appliedPromotions` (lineItemCost is quantity × unit).
 */
export interface NormalizedLine {
  /** The platform's line id (Shopify/WooCommerce line item, Etsy transaction, Amazon OrderItemId, eBay lineItemId). */
  externalId: string | null;
  title: string;
  /** Variant or format as the platform writes it ("Hardcover", "Format: Paperback"). */
  variant: string | null;
  sku: string | null;
  /** ISBN-13 / GTIN-13 digits: a platform's barcode field, else an SKU or Amazon ASIN that is a valid ISBN. */
  gtin: string | null;
  /** Platform product or listing id (Shopify/WooCommerce product, Etsy listing, Amazon ASIN, eBay legacy item). */
  productId: string | null;
  quantity: number;
  /** Null only where the platform has no price yet (Amazon Pending). */
  unitPrice: string | null;
  lineTotal: string | null;
  /** What was refunded of this line (before tax), where the platform says so per line; else "0.00" and 0. */
  refundedAmount: string;
  refundedQuantity: number;
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
  /**
   * False while the platform has no price for the order yet (Amazon Pending): stored, not counted (the
   * `counted` column), counted once a priced update arrives.
   */
  priced: boolean;
  /** The platform's last-modified time; an older one never overwrites a newer stored one. */
  platformUpdatedAt: Date | null;
  refunds: NormalizedRefund[];
  /**
   * The order's lines in the platform's order. Empty means "this source tells no lines" (an Etsy Sold
   * Orders file alone, a WooCommerce CSV): stored lines are then left as they are, never erased.
   */
  lines: NormalizedLine[];
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
