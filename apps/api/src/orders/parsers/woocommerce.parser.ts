import { abs, money, parseMoney, perUnit, toCents } from '../decimal';
import { NormalizedLine, NormalizedOrder, OrderStatus } from '../normalized-order';
import { orderLine } from '../order-lines';
import {
  asArray,
  asObject,
  countryCode,
  currencyCode,
  idText,
  instant,
  Json,
  optInstant,
  optObject,
  optText,
  quantity,
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
    priced: true,
    platformUpdatedAt: modified,
    refunds: asArray(order['refunds'])
      .map((r, i) => asObject(r, `refunds[${i}]`))
      .map((refund) => ({
        externalId: idText(refund['id'], 'refunds.id'),
        refundedAt: modified ?? createdAt,
        amount: toCents(abs(parseMoney(optText(refund['total']) ?? '0'))),
      }))
      .filter((refund) => refund.amount !== '0.00'),
    lines: asArray(order['line_items']).map((item, i) => wooLine(asObject(item, `line_items[${i}]`), i)),
    raw: body,
  };
}

/**
 * `total` is after coupons and before tax; `price` is a float (total ÷ quantity), so the unit price
 * is `subtotal ÷ quantity` in exact decimals. A variation's attributes are its visible `meta_data`.
 * WooCommerce's REST refunds name no lines, so line refunds stay at zero.
 */
function wooLine(line: Json, i: number): NormalizedLine {
  const count = quantity(line['quantity'], `line_items[${i}].quantity`);
  const subtotal = parseMoney(optText(line['subtotal']) ?? optText(line['total']) ?? '0');
  const variation = optText(line['variation_id']);
  const attributes =
    variation && variation !== '0'
      ? asArray(line['meta_data'])
          .map((m) => optObject(m) ?? {})
          .filter((m) => !(optText(m['key']) ?? '_').startsWith('_'))
          .map((m) => optText(m['display_value']) ?? optText(m['value']))
          .filter((v): v is string => v !== null)
      : [];
  return orderLine({
    externalId: optText(line['id']),
    title: optText(line['name']) ?? '',
    variant: attributes.join(', '),
    sku: optText(line['sku']),
    productId: optText(line['product_id']),
    quantity: count,
    unitPrice: perUnit(subtotal, count),
    lineTotal: parseMoney(optText(line['total']) ?? '0'),
  });
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
