import type { Platform } from '@mt/contracts';
import { Micros, perUnit, sum, toCents } from '../decimal';
import { EXPORT_REFUND_PREFIX, NormalizedOrder, NormalizedRefund, OrderStatus } from '../normalized-order';
import { gtinOf, orderLine } from '../order-lines';
import { etsyStatus } from '../parsers/etsy.parser';
import { wooStatus } from '../parsers/woocommerce.parser';
import { countryFromCell, currencyFromSymbol } from './csv-values';
import { ColumnMap, ImportRow, RowError } from './import-row';

export interface BuildContext {
  store: string;
  /** Zone for zone-less timestamps and date-only cells. */
  zone: string;
  baseCurrency: string;
}

/**
 * One platform export: which header names mean what (aliases, matched ignoring case, spaces and
 * punctuation), how to recognise the file from its header row, and how the rows of one order become a
 * NormalizedOrder. Formats are tried in order; the first whose `signature` fields all resolve wins.
 */
export interface OrderExportFormat {
  platform: Platform;
  /** What the file is called where people see it: "Shopify orders export". */
  label: string;
  /**
   * `order-items`: a file of line items only (Etsy Sold Order Items), which completes the orders of its
   * `orders` file when both come in one upload, and builds orders from its rows when it comes alone.
   */
  kind?: 'orders' | 'order-items';
  delimiter?: string;
  columns: Record<string, readonly string[]>;
  /** Fields that identify this export among the others. */
  signature: readonly string[];
  /** Fields without which no row can be read. */
  required: readonly string[];
  keyField: string;
  /** Rows without a key that are not data (eBay's "2 record(s) downloaded" footer). */
  isFooter?(row: ImportRow): boolean;
  build(rows: ImportRow[], ctx: BuildContext): NormalizedOrder;
}

/** The cumulative refunded amount of an export, stored as one refund until real refunds arrive (see OrdersRepository). */
export const EXPORT_REFUND_ID = `${EXPORT_REFUND_PREFIX}cumulative`;

function exportRefund(amount: Micros, refundedAt: Date): NormalizedRefund[] {
  return amount > 0n ? [{ externalId: EXPORT_REFUND_ID, refundedAt, amount: toCents(amount) }] : [];
}

function rawRows(rows: ImportRow[], columns: readonly string[]): unknown {
  return {
    source: 'export',
    lines: rows.map((row) => row.line),
    first: Object.fromEntries(columns.map((c) => [c, rows[0]?.text(c) ?? ''])),
  };
}

/** The first row of a group that has `field` filled (order-level columns live on one row only). */
function firstWith(rows: ImportRow[], field: string): ImportRow {
  return rows.find((row) => row.text(field) !== '') ?? rows[0]!;
}

const shopify: OrderExportFormat = {
  label: 'Shopify orders export',
  platform: 'shopify',
  columns: {
    name: ['Name'],
    id: ['Id', 'Order ID'],
    financialStatus: ['Financial Status'],
    currency: ['Currency'],
    total: ['Total'],
    createdAt: ['Created at', 'Created At'],
    cancelledAt: ['Cancelled at', 'Cancelled At'],
    refunded: ['Refunded Amount'],
    billingCountry: ['Billing Country'],
    shippingCountry: ['Shipping Country'],
    lineQuantity: ['Lineitem quantity'],
    lineName: ['Lineitem name'],
    linePrice: ['Lineitem price'],
    lineSku: ['Lineitem sku'],
    lineDiscount: ['Lineitem discount'],
  },
  signature: ['name', 'financialStatus', 'lineQuantity'],
  required: ['name', 'total', 'currency', 'createdAt'],
  keyField: 'name',
  build(rows, ctx) {
    const head = firstWith(rows, 'financialStatus');
    const createdAt = firstWith(rows, 'createdAt').date('createdAt', ctx.zone);
    const cancelledAt = head.optDate('cancelledAt', ctx.zone);
    const financial = head.text('financialStatus').toLowerCase();
    const known: OrderStatus[] = [
      'pending',
      'authorized',
      'partially_paid',
      'paid',
      'partially_refunded',
      'refunded',
      'voided',
    ];
    const status: OrderStatus = cancelledAt
      ? 'cancelled'
      : (known.find((s) => s === financial) ?? (financial ? 'paid' : 'pending'));
    const total = head.money('total');
    if (total === null) throw head.error('total', 'is empty on the first row of the order');
    const currency = head.currency('currency') ?? firstWith(rows, 'currency').currency('currency');
    if (!currency) throw head.error('currency', 'is empty');
    return {
      platform: 'shopify',
      store: ctx.store,
      // The export's Id is the API order id, so webhooks and the export meet on the same row.
      externalId: head.text('id') || head.required('name'),
      orderNumber: head.required('name'),
      createdAt,
      currency,
      total: toCents(total),
      country: countryFromCell(head.text('billingCountry')) ?? countryFromCell(head.text('shippingCountry')),
      status,
      test: false,
      priced: true,
      platformUpdatedAt: null,
      refunds: exportRefund(head.absMoney('refunded'), cancelledAt ?? createdAt),
      // One row per line item; `Lineitem price` is the unit price, `Lineitem discount` the line's own discount.
      lines: rows
        .filter((r) => r.text('lineName') !== '' || r.text('lineQuantity') !== '')
        .map((r) => {
          const quantity = r.quantity('lineQuantity');
          const unitPrice = r.money('linePrice') ?? 0n;
          return orderLine({
            title: r.text('lineName'),
            sku: r.text('lineSku'),
            quantity,
            unitPrice,
            lineTotal: unitPrice * BigInt(quantity) - r.absMoney('lineDiscount'),
          });
        }),
      raw: rawRows(rows, ['name', 'id', 'financialStatus', 'total', 'currency', 'createdAt']),
    };
  },
};

const etsy: OrderExportFormat = {
  label: 'Etsy Sold Orders file',
  platform: 'etsy',
  columns: {
    saleDate: ['Sale Date'],
    orderId: ['Order ID', 'Order Id'],
    currency: ['Currency'],
    orderTotal: ['Order Total'],
    orderValue: ['Order Value'],
    adjustedTotal: ['Adjusted Order Total'],
    status: ['Status', 'Order Status'],
    shipCountry: ['Ship Country', 'Shipping Country'],
    dateShipped: ['Date Shipped'],
  },
  signature: ['saleDate', 'orderId', 'shipCountry'],
  required: ['saleDate', 'orderId', 'currency', 'orderTotal'],
  keyField: 'orderId',
  build(rows, ctx) {
    const row = rows[0]!;
    const createdAt = row.date('saleDate', ctx.zone);
    const total = row.money('orderTotal');
    if (total === null) throw row.error('orderTotal', 'is empty');
    const adjusted = row.money('adjustedTotal');
    // Blank means "no adjustment"; only a smaller adjusted total is a refund.
    const refunded = adjusted !== null && adjusted < total ? total - adjusted : 0n;
    const currency = row.currency('currency');
    if (!currency) throw row.error('currency', 'is empty');
    return {
      platform: 'etsy',
      store: ctx.store,
      externalId: row.required('orderId'),
      orderNumber: row.required('orderId'),
      createdAt,
      currency,
      total: toCents(total),
      country: countryFromCell(row.text('shipCountry')),
      status: etsyStatus(row.text('status'), refunded, total),
      test: false,
      priced: true,
      platformUpdatedAt: null,
      refunds: exportRefund(refunded, createdAt),
      // The lines are in the Sold Order Items file (see etsyItems).
      lines: [],
      raw: rawRows(rows, ['saleDate', 'orderId', 'currency', 'orderTotal', 'adjustedTotal', 'status', 'shipCountry']),
    };
  },
};

/**
 * EtsySoldOrderItems: one row per transaction, order-level values (`Order Shipping`, `Order Sales Tax`,
 * the coupon's `Discount Amount`, `Shipping Discount`) repeated on each row. Alone, it builds its orders:
 * total = Σ `Item Total` − discount − shipping discount + shipping + sales tax (Etsy's grandtotal
 * without VAT and gift wrap, which this file does not carry), paid when `Date Paid` is filled. With its
 * Sold Orders file in the same upload, only its lines are used (see OrderImportService).
 */
const etsyItems: OrderExportFormat = {
  label: 'Etsy Sold Order Items file',
  platform: 'etsy',
  kind: 'order-items',
  columns: {
    saleDate: ['Sale Date'],
    orderId: ['Order ID', 'Order Id'],
    itemName: ['Item Name'],
    transactionId: ['Transaction ID', 'Transaction Id'],
    listingId: ['Listing ID', 'Listing Id'],
    quantity: ['Quantity'],
    price: ['Price'],
    itemTotal: ['Item Total'],
    discount: ['Discount Amount'],
    shippingDiscount: ['Shipping Discount'],
    shipping: ['Order Shipping'],
    salesTax: ['Order Sales Tax'],
    currency: ['Currency'],
    datePaid: ['Date Paid'],
    shipCountry: ['Ship Country', 'Shipping Country'],
    variations: ['Variations'],
    sku: ['SKU'],
  },
  signature: ['orderId', 'itemName', 'transactionId'],
  required: ['saleDate', 'orderId', 'itemName', 'quantity', 'price', 'currency'],
  keyField: 'orderId',
  build(rows, ctx) {
    const row = rows[0]!;
    const currency = row.currency('currency');
    if (!currency) throw row.error('currency', 'is empty');
    const lines = rows.map((r) => {
      const quantity = r.quantity('quantity');
      const unitPrice = r.money('price');
      if (unitPrice === null) throw r.error('price', 'is empty');
      return orderLine({
        externalId: r.text('transactionId') || null,
        title: r.text('itemName'),
        variant: r.text('variations'),
        sku: r.text('sku'),
        productId: r.text('listingId') || null,
        quantity,
        unitPrice,
        lineTotal: r.money('itemTotal') ?? unitPrice * BigInt(quantity),
      });
    });
    const itemsTotal = sum(
      rows.map((r) => r.money('itemTotal') ?? (r.money('price') ?? 0n) * BigInt(r.quantity('quantity'))),
    );
    const total =
      itemsTotal -
      row.absMoney('discount') -
      row.absMoney('shippingDiscount') +
      (row.money('shipping') ?? 0n) +
      (row.money('salesTax') ?? 0n);
    return {
      platform: 'etsy',
      store: ctx.store,
      externalId: row.required('orderId'),
      orderNumber: row.required('orderId'),
      createdAt: row.date('saleDate', ctx.zone),
      currency,
      total: toCents(total),
      country: countryFromCell(row.text('shipCountry')),
      status: rows.some((r) => r.text('datePaid') !== '') ? 'paid' : 'pending',
      test: false,
      priced: true,
      platformUpdatedAt: null,
      refunds: [],
      lines,
      raw: rawRows(rows, ['saleDate', 'orderId', 'currency', 'transactionId', 'itemName']),
    };
  },
};

const AMAZON_CHANNEL_CURRENCY: Record<string, string> = {
  'amazon.com': 'USD',
  'amazon.ca': 'CAD',
  'amazon.com.mx': 'MXN',
  'amazon.com.br': 'BRL',
  'amazon.co.uk': 'GBP',
  'amazon.de': 'EUR',
  'amazon.fr': 'EUR',
  'amazon.it': 'EUR',
  'amazon.es': 'EUR',
  'amazon.nl': 'EUR',
  'amazon.com.be': 'EUR',
  'amazon.ie': 'EUR',
  'amazon.se': 'SEK',
  'amazon.pl': 'PLN',
  'amazon.com.tr': 'TRY',
  'amazon.ae': 'AED',
  'amazon.sa': 'SAR',
  'amazon.in': 'INR',
  'amazon.co.jp': 'JPY',
  'amazon.com.au': 'AUD',
  'amazon.sg': 'SGD',
};

const amazon: OrderExportFormat = {
  label: 'Amazon All Orders report',
  platform: 'amazon',
  delimiter: '\t',
  columns: {
    orderId: ['amazon-order-id'],
    purchaseDate: ['purchase-date'],
    lastUpdated: ['last-updated-date'],
    orderStatus: ['order-status'],
    salesChannel: ['sales-channel'],
    itemStatus: ['item-status'],
    currency: ['currency'],
    itemPrice: ['item-price'],
    itemTax: ['item-tax'],
    shippingPrice: ['shipping-price'],
    shippingTax: ['shipping-tax'],
    giftWrapPrice: ['gift-wrap-price'],
    giftWrapTax: ['gift-wrap-tax'],
    itemPromotion: ['item-promotion-discount'],
    shipPromotion: ['ship-promotion-discount'],
    shipCountry: ['ship-country'],
    productName: ['product-name'],
    sku: ['sku'],
    asin: ['asin'],
    quantity: ['quantity', 'quantity-purchased'],
  },
  signature: ['orderId', 'purchaseDate'],
  required: ['orderId', 'purchaseDate', 'orderStatus'],
  keyField: 'orderId',
  build(rows, ctx) {
    const row = rows[0]!;
    const orderStatus = row.text('orderStatus').toLowerCase();
    // Report spelling is "Cancelled", the API's "Canceled"; an item can be cancelled in a shipped order.
    const live = rows.filter((r) => !/^cancel/i.test(r.text('itemStatus')));
    const total = sum(
      live.map(
        (r) =>
          sum(
            ['itemPrice', 'itemTax', 'shippingPrice', 'shippingTax', 'giftWrapPrice', 'giftWrapTax'].map(
              (f) => r.money(f) ?? 0n,
            ),
          ) -
          r.absMoney('itemPromotion') -
          r.absMoney('shipPromotion'),
      ),
    );
    const currency =
      rows.map((r) => r.currency('currency')).find((c) => c !== null) ??
      AMAZON_CHANNEL_CURRENCY[row.text('salesChannel').toLowerCase()] ??
      ctx.baseCurrency;
    // An order whose every item was cancelled sold nothing, whatever its order-status says.
    const status: OrderStatus =
      /^cancel/.test(orderStatus) || live.length === 0 ? 'cancelled' : orderStatus === 'pending' ? 'pending' : 'paid';
    return {
      platform: 'amazon',
      store: ctx.store,
      externalId: row.required('orderId'),
      orderNumber: row.required('orderId'),
      createdAt: row.date('purchaseDate', ctx.zone),
      currency,
      total: toCents(total),
      country: countryFromCell(rows.map((r) => r.text('shipCountry')).find((c) => c) ?? ''),
      status,
      test: false,
      // Pending rows have empty prices: such an order is not counted until a priced report comes.
      priced: rows.some((r) => r.text('itemPrice') !== ''),
      platformUpdatedAt: rows
        .map((r) => r.optDate('lastUpdated', ctx.zone))
        .reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null),
      refunds: [],
      // `item-price` is the line total (quantity × unit); cancelled items are no lines.
      lines: live.map((r) => {
        const quantity = r.quantity('quantity');
        const itemPrice = r.money('itemPrice');
        return orderLine({
          title: r.text('productName'),
          sku: r.text('sku'),
          gtin: gtinOf(r.text('sku'), r.text('asin')),
          productId: r.text('asin') || null,
          quantity,
          unitPrice: itemPrice === null ? null : perUnit(itemPrice, quantity),
          lineTotal: itemPrice === null ? null : itemPrice - r.absMoney('itemPromotion'),
        });
      }),
      raw: rawRows(rows, ['orderId', 'purchaseDate', 'lastUpdated', 'orderStatus', 'currency']),
    };
  },
};

const ebay: OrderExportFormat = {
  label: 'eBay orders report',
  platform: 'ebay',
  columns: {
    orderNumber: ['Order Number', 'Order number', 'Order ID'],
    salesRecord: ['Sales Record Number'],
    buyer: ['Buyer Username', 'User Id'],
    saleDate: ['Sale Date', 'Order creation date'],
    itemNumber: ['Item Number', 'Item number'],
    itemTitle: ['Item Title', 'Item title'],
    customLabel: ['Custom Label', 'Custom label (SKU)'],
    quantity: ['Quantity'],
    totalPrice: ['Total Price', 'Order total'],
    soldFor: ['Sold For', 'Sold for'],
    currency: ['Currency', 'Transaction currency'],
    shipToCountry: ['Ship To Country', 'Ship to country', 'Buyer Country'],
    status: ['Order Status', 'Status', 'Cancellation Status'],
    refunded: ['Refund Amount', 'Refunded Amount'],
  },
  signature: ['orderNumber', 'buyer', 'saleDate'],
  required: ['orderNumber', 'saleDate', 'totalPrice'],
  keyField: 'orderNumber',
  isFooter: (row) =>
    row.text('orderNumber') === '' &&
    (row.text('salesRecord') === '' || /record\(s\)|seller id/i.test(row.text('salesRecord'))),
  build(rows, ctx) {
    // A multi-item order has a summary row without an item number carrying the order total.
    const summary = rows.find((r) => r.text('itemNumber') === '' && r.text('totalPrice') !== '');
    const totals = summary ? [summary.money('totalPrice') ?? 0n] : rows.map((r) => r.money('totalPrice') ?? 0n);
    const head = summary ?? rows[0]!;
    const currency = head.currency('currency') ?? currencyFromSymbol(head.text('totalPrice')) ?? ctx.baseCurrency;
    const statusText = rows.map((r) => r.text('status')).find((s) => s) ?? '';
    const createdAt = firstWith(rows, 'saleDate').date('saleDate', ctx.zone);
    const refunded = sum(rows.map((r) => r.absMoney('refunded')));
    const total = sum(totals);
    return {
      platform: 'ebay',
      store: ctx.store,
      externalId: head.required('orderNumber'),
      orderNumber: head.text('salesRecord') || head.required('orderNumber'),
      createdAt,
      currency,
      total: toCents(total),
      country: countryFromCell(rows.map((r) => r.text('shipToCountry')).find((c) => c) ?? ''),
      status: /cancel/i.test(statusText)
        ? 'cancelled'
        : refunded > 0n
          ? refunded >= total
            ? 'refunded'
            : 'partially_refunded'
          : 'paid',
      test: false,
      priced: true,
      platformUpdatedAt: null,
      refunds: exportRefund(refunded, createdAt),
      // One row per item (a multi-item order adds a summary row without an item number); `Sold For` is the unit price.
      lines: rows
        .filter((r) => r.text('itemNumber') !== '')
        .map((r) => {
          const quantity = r.quantity('quantity');
          const unitPrice = r.absMoney('soldFor');
          return orderLine({
            title: r.text('itemTitle'),
            sku: r.text('customLabel'),
            productId: r.text('itemNumber'),
            quantity,
            unitPrice,
            lineTotal: unitPrice * BigInt(quantity),
          });
        }),
      raw: rawRows(rows, ['orderNumber', 'salesRecord', 'saleDate', 'totalPrice', 'currency']),
    };
  },
};

const woocommerce: OrderExportFormat = {
  label: 'WooCommerce orders export',
  platform: 'woocommerce',
  columns: {
    id: ['order_id', 'Order ID', 'Order Id', 'id'],
    number: ['order_number_formatted', 'order_number', 'Order Number'],
    createdGmt: ['date_created_gmt', 'order_date_gmt', 'Order Date (GMT)'],
    created: ['order_date', 'Order Date', 'date_created', 'Date Created', 'Date'],
    modifiedGmt: ['date_modified_gmt', 'Order Modified Date (GMT)'],
    status: ['status', 'Order Status'],
    currency: ['order_currency', 'Order Currency', 'currency'],
    total: ['order_total', 'Order Total Amount', 'Order Total', 'total'],
    refunded: ['refunded_total', 'Order Refund Amount', 'order_refund', 'Refund Amount', 'Refunded'],
    billingCountry: ['billing_country', 'Billing Country Code', 'Billing Country'],
    shippingCountry: ['shipping_country', 'Shipping Country Code', 'Shipping Country'],
  },
  signature: ['id', 'status', 'total', 'currency'],
  required: ['id', 'total', 'currency'],
  keyField: 'id',
  build(rows, ctx) {
    const row = rows[0]!;
    const createdAt = row.text('createdGmt') ? row.date('createdGmt', 'UTC') : row.date('created', ctx.zone);
    const total = row.money('total');
    if (total === null) throw row.error('total', 'is empty');
    const currency = row.currency('currency');
    if (!currency) throw row.error('currency', 'is empty');
    const modified = row.text('modifiedGmt') ? row.date('modifiedGmt', 'UTC') : null;
    return {
      platform: 'woocommerce',
      store: ctx.store,
      externalId: row.required('id'),
      orderNumber: row.text('number') || row.required('id'),
      createdAt,
      currency,
      total: toCents(total),
      country: countryFromCell(row.text('billingCountry')) ?? countryFromCell(row.text('shippingCountry')),
      status: wooStatus(row.text('status') || null),
      test: false,
      priced: true,
      platformUpdatedAt: modified,
      refunds: exportRefund(row.absMoney('refunded'), modified ?? createdAt),
      // Order-level export: the lines come with the webhooks and the REST reconciliation.
      lines: [],
      raw: rawRows(rows, ['id', 'number', 'created', 'status', 'currency', 'total']),
    };
  },
};

/**
 * Most specific first: the WooCommerce signature is generic, so it is tried last; the Etsy items file
 * has every column the Sold Orders signature asks for, so it is tried before it.
 */
export const ORDER_EXPORT_FORMATS: readonly OrderExportFormat[] = [amazon, shopify, etsyItems, etsy, ebay, woocommerce];

export function detectFormat(headers: string[]): { format: OrderExportFormat; columns: ColumnMap } | null {
  for (const format of ORDER_EXPORT_FORMATS) {
    const columns = new ColumnMap(headers, format.columns);
    if (format.signature.every((field) => columns.has(field))) return { format, columns };
  }
  return null;
}

export { RowError };
