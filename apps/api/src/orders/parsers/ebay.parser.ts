import { abs, money, parseMoney, perUnit, sum, toCents } from '../decimal';
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
  namedValues,
  optInstant,
  optObject,
  optText,
  quantity,
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
    priced: true,
    platformUpdatedAt: optInstant(order['lastModifiedDate'], 'lastModifiedDate'),
    refunds,
    lines: asArray(order['lineItems']).map((item, i) => ebayLine(asObject(item, `lineItems[${i}]`), i)),
    raw: body,
  };
}

/**
 * `lineItemCost` is quantity × unit price before discounts; the line total is `discountedLineItemCost`,
 * else `lineItemCost − Σ appliedPromotions.discountAmount`. Line refunds (`lineItems[].refunds`) are the
 * seller's net, without a quantity. The listing is `legacyItemId`; variation aspects read "Format: Hardcover".
 */
function ebayLine(item: Json, i: number): NormalizedLine {
  const count = quantity(item['quantity'], `lineItems[${i}].quantity`);
  const amount = (value: unknown): bigint | null => {
    const text = optText(optObject(value)?.['value']);
    return text === null ? null : parseMoney(text);
  };
  const cost = amount(item['lineItemCost']) ?? 0n;
  const promotions = sum(
    asArray(item['appliedPromotions']).map((p) => abs(amount(optObject(p)?.['discountAmount']) ?? 0n)),
  );
  return orderLine({
    externalId: optText(item['lineItemId']),
    title: optText(item['title']) ?? '',
    variant: namedValues(item['variationAspects'], 'name', 'value'),
    sku: optText(item['sku']),
    productId: optText(item['legacyItemId']),
    quantity: count,
    unitPrice: perUnit(cost, count),
    lineTotal: amount(item['discountedLineItemCost']) ?? cost - promotions,
    refundedAmount: sum(asArray(item['refunds']).map((r) => abs(amount(optObject(r)?.['amount']) ?? 0n))),
  });
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
