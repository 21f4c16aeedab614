import { abs, Micros, money, parseMoney, sum, toCents } from '../decimal';
import { orderLine } from '../order-lines';
import {
  NormalizedLine,
  NormalizedOrder,
  NormalizedRefund,
  NormalizedStandaloneRefund,
  OrderParseError,
  OrderStatus,
} from '../normalized-order';
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

/** Shopify order object (webhook body or REST `order`) → NormalizedOrder. Amounts in shop currency. */
export function parseShopifyOrder(body: unknown, store: string): NormalizedOrder {
  const order = asObject(body, 'order');
  const currency = currencyCode(order['currency'], 'currency');
  const status = shopifyStatus(order);
  const refundObjects = asArray(order['refunds']).map((refund, i) => asObject(refund, `refunds[${i}]`));
  const refunds = refundObjects.map((refund) => parseRefundObject(refund, currency));
  return {
    platform: 'shopify',
    store,
    externalId: idText(order['id'], 'id'),
    orderNumber: optText(order['name']) ?? optText(order['order_number']),
    createdAt: instant(order['created_at'] ?? order['processed_at'], 'created_at'),
    currency,
    total: shopMoney(order, 'total_price') ?? '0.00',
    country:
      countryCode(optObject(order['billing_address'])?.['country_code']) ??
      countryCode(optObject(order['shipping_address'])?.['country_code']) ??
      countryCode(optObject(optObject(order['customer'])?.['default_address'])?.['country_code']),
    status,
    test: order['test'] === true,
    priced: true,
    platformUpdatedAt: optInstant(order['updated_at'], 'updated_at'),
    refunds: refunds.filter((refund) => refund.amount !== '0.00'),
    lines: shopifyLines(
      order,
      // Only refunds that moved money refund their lines, as only they count as refunds.
      refundObjects.filter((_, i) => refunds[i]!.amount !== '0.00'),
    ),
    raw: body,
  };
}

/** `refunds/create` body: the Refund object with `order_id`. */
export function parseShopifyRefund(
  body: unknown,
  store: string,
  shopCurrency: string | null,
): NormalizedStandaloneRefund {
  const refund = asObject(body, 'refund');
  const parsed = parseRefundObject(refund, shopCurrency);
  return { ...parsed, platform: 'shopify', store, orderExternalId: idText(refund['order_id'], 'order_id'), raw: body };
}

/**
 * `line_items` in shop money: unit `price`, `quantity × price − Σ discount_allocations` (falling back to
 * the older `total_discount`), refunded quantity and subtotal from the refunds' `refund_line_items`.
 */
function shopifyLines(order: Json, refunds: Json[]): NormalizedLine[] {
  const refunded = new Map<string, { amount: Micros; quantity: number }>();
  for (const refund of refunds) {
    for (const item of asArray(refund['refund_line_items'])) {
      const line = optObject(item);
      const lineId = optText(line?.['line_item_id']);
      if (!line || !lineId) continue;
      const soFar = refunded.get(lineId) ?? { amount: 0n, quantity: 0 };
      refunded.set(lineId, {
        amount: soFar.amount + (shopAmount(line['subtotal_set']) ?? parseMoney(optText(line['subtotal']) ?? '0')),
        quantity: soFar.quantity + quantity(line['quantity'], 'refund_line_items.quantity'),
      });
    }
  }
  return asArray(order['line_items']).map((item, i) => {
    const line = asObject(item, `line_items[${i}]`);
    const count = quantity(line['quantity'], `line_items[${i}].quantity`);
    const unitPrice = shopAmount(line['price_set']) ?? parseMoney(optText(line['price']) ?? '0');
    const allocations = asArray(line['discount_allocations']).map((a) => optObject(a) ?? {});
    const discount = allocations.length
      ? sum(allocations.map((a) => shopAmount(a['amount_set']) ?? parseMoney(optText(a['amount']) ?? '0')))
      : (shopAmount(line['total_discount_set']) ?? parseMoney(optText(line['total_discount']) ?? '0'));
    const externalId = optText(line['id']);
    const refund = externalId ? refunded.get(externalId) : undefined;
    return orderLine({
      externalId,
      title: optText(line['title']) ?? optText(line['name']) ?? '',
      variant: optText(line['variant_title']),
      sku: optText(line['sku']),
      productId: optText(line['product_id']),
      quantity: count,
      unitPrice,
      lineTotal: unitPrice * BigInt(count) - discount,
      refundedAmount: refund?.amount,
      refundedQuantity: refund?.quantity,
    });
  });
}

function shopifyStatus(order: Json): OrderStatus {
  if (optText(order['cancelled_at'])) return 'cancelled';
  const financial = optText(order['financial_status']);
  switch (financial) {
    case 'pending':
    case 'authorized':
    case 'partially_paid':
    case 'paid':
    case 'partially_refunded':
    case 'refunded':
    case 'voided':
      return financial;
    case null:
      return 'pending';
    default:
      return 'paid';
  }
}

/** `<field>_set.shop_money.amount`, falling back to the scalar field (shop currency too). */
function shopMoney(order: Json, field: string): string | null {
  const set = optObject(order[`${field}_set`]);
  const amount = optText(optObject(set?.['shop_money'])?.['amount']) ?? optText(order[field]);
  return amount === null ? null : money(amount);
}

/**
 * The refunded amount in shop currency: successful refund transactions when they are in shop currency;
 * otherwise (multi-currency orders refund in the presentment currency) the shop-money side of the refunded
 * line items, shipping and adjustments.
 */
function parseRefundObject(refund: Json, shopCurrency: string | null): NormalizedRefund {
  const externalId = idText(refund['id'], 'refund.id');
  const refundedAt = instant(refund['processed_at'] ?? refund['created_at'], 'refund.created_at');
  const transactions = asArray(refund['transactions'])
    .map((t) => optObject(t))
    .filter(
      (t): t is Json => !!t && t['kind'] === 'refund' && (t['status'] === 'success' || t['status'] === undefined),
    );
  const inShopCurrency = transactions.every((t) => {
    const code = optText(t['currency'])?.toUpperCase();
    return !code || !shopCurrency || code === shopCurrency;
  });
  let amount: bigint;
  if (transactions.length === 0) {
    // A refund without money moved (restock only, or a failed transaction) refunds nothing.
    amount = 0n;
  } else if (inShopCurrency) {
    amount = sum(transactions.map((t) => parseMoney(optText(t['amount']) ?? '0')));
  } else {
    amount = sum(
      asArray(refund['refund_line_items']).flatMap((item) => {
        const line = optObject(item) ?? {};
        return [
          shopAmount(line['subtotal_set']) ?? parseMoney(optText(line['subtotal']) ?? '0'),
          shopAmount(line['total_tax_set']) ?? parseMoney(optText(line['total_tax']) ?? '0'),
        ];
      }),
    );
    amount += sum(
      asArray(refund['refund_shipping_lines']).map(
        (line) => shopAmount(optObject(line)?.['subtotal_amount_set']) ?? 0n,
      ),
    );
    // Order adjustments are negative for money given back (e.g. shipping refunds, discrepancies).
    amount += sum(
      asArray(refund['order_adjustments']).map((adj) =>
        abs(shopAmount(optObject(adj)?.['amount_set']) ?? parseMoney(optText(optObject(adj)?.['amount']) ?? '0')),
      ),
    );
  }
  if (amount < 0n) throw new OrderParseError('refund.transactions', 'refund amount is negative');
  return { externalId, refundedAt, amount: toCents(amount) };
}

function shopAmount(set: unknown): bigint | null {
  const amount = optText(optObject(optObject(set)?.['shop_money'])?.['amount']);
  return amount === null ? null : parseMoney(amount);
}
