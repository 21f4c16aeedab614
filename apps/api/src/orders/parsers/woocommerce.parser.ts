import { abs, money, parseMoney, toCents } from '../decimal';
import { NormalizedOrder, OrderStatus } from '../normalized-order';
import {
  asArray,
  asObject,
  countryCode,
  currencyCode,
  idText,
  instant,
  optInstant,
  optObject,
  optText,
} from './json-access';

/**
 * WooCommerce REST v3 order object (webhook body or `GET /wc/v3/orders`) → NormalizedOrder. The `*_gmt`
 * timestamps are UTC without a zone. Refunds (`{id, total: "-12.99"}`) carry no date: the first time a
 * refund is seen, it is dated with the order's `date_modified_gmt`.
 */
export function parseWooCommerceOrder(body: unknown, store: string): NormalizedOrder {
  const order = asObject(body, 'order');
  const modified = optInstant(order['date_modified_gmt'], 'date_modified_gmt', true);
  const createdAt = order['date_created_gmt']
    ? instant(order['date_created_gmt'], 'date_created_gmt', true)
    : instant(order['date_created'], 'date_created', true);
  return {
    platform: 'woocommerce',
    store,
    externalId: idText(order['id'], 'id'),
    orderNumber: optText(order['number']),
    createdAt,
    currency: currencyCode(order['currency'], 'currency'),
    total: money(optText(order['total']) ?? '0'),
    country:
      countryCode(optObject(order['billing'])?.['country']) ?? countryCode(optObject(order['shipping'])?.['country']),
    status: wooStatus(optText(order['status'])),
    test: false,
    platformUpdatedAt: modified,
    refunds: asArray(order['refunds'])
      .map((r, i) => asObject(r, `refunds[${i}]`))
      .map((refund) => ({
        externalId: idText(refund['id'], 'refunds.id'),
        refundedAt: modified ?? createdAt,
        amount: toCents(abs(parseMoney(optText(refund['total']) ?? '0'))),
      }))
      .filter((refund) => refund.amount !== '0.00'),
    raw: body,
  };
}

/**
 * `processing`/`completed` are paid; `on-hold` waits for a bank transfer and `pending` for payment (both
 * still counted, like Shopify's pending); `failed` never took money and `trash` was deleted.
 */
export function wooStatus(status: string | null): OrderStatus {
  switch (status?.toLowerCase().replace(/^wc-/, '')) {
    case 'processing':
    case 'completed':
      return 'paid';
    case 'refunded':
      return 'refunded';
    case 'cancelled':
    case 'trash':
      return 'cancelled';
    case 'failed':
      return 'voided';
    case 'pending':
    case 'on-hold':
      return 'pending';
    default:
      return 'paid';
  }
}
