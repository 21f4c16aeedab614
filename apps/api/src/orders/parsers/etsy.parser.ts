import { fromFraction, Micros, parseMoney, sum, toCents } from '../decimal';
import { NormalizedLine, NormalizedOrder, OrderParseError, OrderStatus } from '../normalized-order';
import { orderLine } from '../order-lines';
import {
  asArray,
  asObject,
  countryCode,
  currencyCode,
  idText,
  Json,
  namedValues,
  optObject,
  optText,
  quantity,
} from './json-access';

/**
 * Etsy Open API v3 ShopReceipt → NormalizedOrder. Money objects are `amount / divisor` in the shop's
 * currency; timestamps are epoch seconds (both `create_timestamp` and `created_timestamp` spellings).
 * Etsy refunds carry no id: the refund's timestamp and amount identify it across polls.
 */
export function parseEtsyReceipt(body: unknown, store: string): NormalizedOrder {
  const receipt = asObject(body, 'receipt');
  // grandtotal = total_price − discount_amt + shipping + tax (+ VAT, gift wrap): what the buyer paid.
  const grandtotal = asObject(receipt['grandtotal'], 'grandtotal');
  const total = etsyMoney(grandtotal);
  const refunds = asArray(receipt['refunds'])
    .map((r) => optObject(r))
    .filter((r): r is Json => !!r && (optText(r['status']) ?? 'success').toLowerCase() !== 'failed')
    .map((refund) => {
      const amount = etsyMoney(asObject(refund['amount'], 'refunds.amount'));
      const at = epoch(refund['created_timestamp'] ?? refund['create_timestamp'], 'refunds.created_timestamp');
      return {
        externalId: `${at.getTime() / 1000}:${toCents(amount)}`,
        refundedAt: at,
        amount: toCents(amount < 0n ? -amount : amount),
      };
    })
    .filter((refund) => refund.amount !== '0.00');
  const refunded = sum(refunds.map((r) => parseMoney(r.amount)));
  return {
    platform: 'etsy',
    store,
    externalId: idText(receipt['receipt_id'], 'receipt_id'),
    orderNumber: idText(receipt['receipt_id'], 'receipt_id'),
    createdAt: epoch(receipt['created_timestamp'] ?? receipt['create_timestamp'], 'created_timestamp'),
    currency: currencyCode(grandtotal['currency_code'], 'grandtotal.currency_code'),
    total: toCents(total),
    country: countryCode(receipt['country_iso']),
    status: etsyStatus(optText(receipt['status']) ?? (receipt['is_paid'] === false ? 'open' : 'paid'), refunded, total),
    test: false,
    priced: true,
    platformUpdatedAt: epoch(
      receipt['updated_timestamp'] ??
        receipt['update_timestamp'] ??
        receipt['created_timestamp'] ??
        receipt['create_timestamp'],
      'updated_timestamp',
    ),
    refunds,
    lines: asArray(receipt['transactions']).map((t, i) => etsyLine(asObject(t, `transactions[${i}]`), i)),
    raw: body,
  };
}

/**
 * A receipt transaction: `price` is the unit price, the line total `price × quantity` (Etsy reports
 * coupons per receipt only); the variations read "Format: Paperback". Etsy refunds name no transaction.
 */
function etsyLine(transaction: Json, i: number): NormalizedLine {
  const count = quantity(transaction['quantity'], `transactions[${i}].quantity`);
  const price = etsyMoney(asObject(transaction['price'], `transactions[${i}].price`));
  return orderLine({
    externalId: optText(transaction['transaction_id']),
    title: optText(transaction['title']) ?? '',
    variant: namedValues(transaction['variations'], 'formatted_name', 'formatted_value'),
    sku: optText(transaction['sku']),
    productId: optText(transaction['listing_id']),
    quantity: count,
    unitPrice: price,
    lineTotal: price * BigInt(count),
  });
}

/** Receipt (API) or export (`Status` column) status; a refund as large as the total means refunded. */
export function etsyStatus(status: string, refunded: Micros = 0n, total: Micros = 0n): OrderStatus {
  const value = status.toLowerCase();
  if (value.includes('cancel')) return 'cancelled';
  if (value.includes('fully refunded') || (refunded > 0n && refunded >= total)) return 'refunded';
  if (value.includes('partially refunded') || refunded > 0n) return 'partially_refunded';
  if (value === 'open' || value === 'payment processing' || value === 'unpaid') return 'pending';
  return 'paid';
}

function etsyMoney(money: Json): Micros {
  const amount = money['amount'];
  const divisor = money['divisor'];
  if (
    (typeof amount !== 'number' && typeof amount !== 'string') ||
    (typeof divisor !== 'number' && typeof divisor !== 'string')
  ) {
    throw new OrderParseError('amount', 'an Etsy money object needs amount and divisor');
  }
  return fromFraction(String(amount), String(divisor));
}

function epoch(value: unknown, field: string): Date {
  const seconds = typeof value === 'number' ? value : Number(optText(value));
  if (!Number.isFinite(seconds) || seconds <= 0) throw new OrderParseError(field, 'is not an epoch timestamp');
  return new Date(seconds * 1000);
}
