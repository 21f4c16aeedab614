import { abs, money, parseMoney, toCents } from '../decimal';
import { NormalizedOrder, OrderStatus } from '../normalized-order';
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
} from './json-access';

/**
 * eBay Sell Fulfillment order → NormalizedOrder. Amounts are the seller's (post-conversion `value`);
 * with eBay International Shipping the ship-to address is eBay's US hub and the buyer's country is in
 * `finalDestinationAddress`. Refunds count once they are REFUNDED.
 */
export function parseEbayOrder(body: unknown, store: string): NormalizedOrder {
  const order = asObject(body, 'order');
  const total = asObject(optObject(order['pricingSummary'])?.['total'], 'pricingSummary.total');
  const instructions = asArray(order['fulfillmentStartInstructions']).map((i) => optObject(i) ?? {});
  const country =
    instructions.map((i) => countryCode(optObject(i['finalDestinationAddress'])?.['countryCode'])).find((c) => c) ??
    instructions
      .map((i) =>
        countryCode(
          optObject(optObject(optObject(i['shippingStep'])?.['shipTo'])?.['contactAddress'])?.['countryCode'],
        ),
      )
      .find((c) => c) ??
    null;
  const refunds = asArray(optObject(order['paymentSummary'])?.['refunds'])
    .map((r) => optObject(r))
    .filter((r): r is Json => !!r && (optText(r['refundStatus']) ?? 'REFUNDED').toUpperCase() === 'REFUNDED')
    .map((refund) => ({
      externalId: idText(refund['refundId'], 'refunds.refundId'),
      refundedAt: instant(refund['refundDate'], 'refunds.refundDate'),
      amount: toCents(abs(parseMoney(optText(optObject(refund['amount'])?.['value']) ?? '0'))),
    }))
    .filter((refund) => refund.amount !== '0.00');
  return {
    platform: 'ebay',
    store,
    externalId: idText(order['orderId'], 'orderId'),
    orderNumber: optText(order['salesRecordReference']) ?? idText(order['orderId'], 'orderId'),
    createdAt: instant(order['creationDate'], 'creationDate'),
    currency: currencyCode(total['currency'], 'pricingSummary.total.currency'),
    total: money(optText(total['value']) ?? '0'),
    country,
    status: ebayStatus(order),
    test: false,
    platformUpdatedAt: optInstant(order['lastModifiedDate'], 'lastModifiedDate'),
    refunds,
    raw: body,
  };
}

function ebayStatus(order: Json): OrderStatus {
  if (optText(optObject(order['cancelStatus'])?.['cancelState']) === 'CANCELED') return 'cancelled';
  switch (optText(order['orderPaymentStatus'])) {
    case 'FULLY_REFUNDED':
      return 'refunded';
    case 'PARTIALLY_REFUNDED':
      return 'partially_refunded';
    case 'FAILED':
      return 'voided';
    case 'PENDING':
      return 'pending';
    default:
      return 'paid';
  }
}
