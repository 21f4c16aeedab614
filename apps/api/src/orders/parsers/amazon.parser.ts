import { abs, money, parseMoney, perUnit } from '../decimal';
import { NormalizedLine, NormalizedOrder, OrderStatus } from '../normalized-order';
import { gtinOf, orderLine } from '../order-lines';
import {
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

/** Marketplace currency, for Pending orders that have no OrderTotal yet. */
export const AMAZON_MARKETPLACE_CURRENCY: Record<string, string> = {
  ATVPDKIKX0DER: 'USD',
  A2EUQ1WTGCTBG2: 'CAD',
  A1AM78C64UM0Y8: 'MXN',
  A2Q3Y263D00KWC: 'BRL',
  A1F83G8C2ARO7P: 'GBP',
  A1PA6795UKMFR9: 'EUR',
  A13V1IB3VIYZZH: 'EUR',
  APJ6JRA9NG5V4: 'EUR',
  A1RKKUPIHCS9HS: 'EUR',
  A1805IZSGTT6HS: 'EUR',
  AMEN7PMS3EDWL: 'EUR',
  A28R8C7NBKEWEA: 'EUR',
  A2NODRKZP88ZB9: 'SEK',
  A1C3SOZRARQ6R3: 'PLN',
  A33AVAJ2PDY3EV: 'TRY',
  A2VIGQ35RCS4UG: 'AED',
  A17E79C6D8DWNP: 'SAR',
  A21TJRUUN4KGV: 'INR',
  A1VC38T7YXB528: 'JPY',
  A39IBJ37TRP1C6: 'AUD',
  A19VAU5U5O7RUS: 'SGD',
};

/**
 * SP-API Orders v0 order, with its `getOrderItems` items → NormalizedOrder. `OrderTotal` is absent on
 * Pending orders: such an order is stored unpriced (total 0, not counted) until a priced update comes.
 * An order whose every item was cancelled (QuantityOrdered 0) is cancelled, whatever its OrderStatus.
 * Replacement orders carry no revenue and are kept out of sums through the `test` flag.
 */
export function parseAmazonOrder(
  body: unknown,
  store: string,
  fallbackCurrency: string,
  items: unknown[] = [],
): NormalizedOrder {
  const order = asObject(body, 'order');
  const total = optObject(order['OrderTotal']);
  const status = optText(order['OrderStatus'])?.toLowerCase() ?? '';
  const itemObjects = items.map((item, i) => asObject(item, `OrderItems[${i}]`));
  const lines = itemObjects.flatMap((item, i) => amazonLine(item, i));
  const amazonStatus: OrderStatus =
    status === 'canceled' || status === 'cancelled' || (itemObjects.length > 0 && lines.length === 0)
      ? 'cancelled'
      : status === 'pending' || status === 'pendingavailability'
        ? 'pending'
        : 'paid';
  return {
    platform: 'amazon',
    store,
    externalId: idText(order['AmazonOrderId'], 'AmazonOrderId'),
    orderNumber: optText(order['SellerOrderId']) ?? idText(order['AmazonOrderId'], 'AmazonOrderId'),
    createdAt: instant(order['PurchaseDate'], 'PurchaseDate'),
    currency: total?.['CurrencyCode']
      ? currencyCode(total['CurrencyCode'], 'OrderTotal.CurrencyCode')
      : (AMAZON_MARKETPLACE_CURRENCY[optText(order['MarketplaceId']) ?? ''] ?? fallbackCurrency),
    total: money(optText(total?.['Amount']) ?? '0'),
    country: countryCode(optObject(order['ShippingAddress'])?.['CountryCode']),
    status: amazonStatus,
    test: order['IsReplacementOrder'] === true || order['IsReplacementOrder'] === 'true',
    priced: optText(total?.['Amount']) !== null,
    platformUpdatedAt: optInstant(order['LastUpdateDate'], 'LastUpdateDate'),
    refunds: [],
    lines,
    raw: itemObjects.length ? { order: body, items } : body,
  };
}

/**
 * An order item: `ItemPrice` is quantity × unit price, the line total `ItemPrice − PromotionDiscount`.
 * A cancelled item (QuantityOrdered 0) sold nothing and is no line.
 */
function amazonLine(item: Json, i: number): NormalizedLine[] {
  const count = quantity(item['QuantityOrdered'], `OrderItems[${i}].QuantityOrdered`);
  if (count === 0) return [];
  const price = optText(optObject(item['ItemPrice'])?.['Amount']);
  const itemPrice = price === null ? null : parseMoney(price);
  const promotion = abs(parseMoney(optText(optObject(item['PromotionDiscount'])?.['Amount']) ?? '0'));
  const sku = optText(item['SellerSKU']);
  const asin = optText(item['ASIN']);
  return [
    orderLine({
      externalId: optText(item['OrderItemId']),
      title: optText(item['Title']) ?? '',
      sku,
      gtin: gtinOf(sku, asin),
      productId: asin,
      quantity: count,
      unitPrice: itemPrice === null ? null : perUnit(itemPrice, count),
      lineTotal: itemPrice === null ? null : itemPrice - promotion,
    }),
  ];
}
