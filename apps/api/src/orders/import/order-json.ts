import type { ImportRowError, Platform } from '@mt/contracts';
import { NormalizedOrder, OrderParseError } from '../normalized-order';
import { parseAmazonOrder } from '../parsers/amazon.parser';
import { parseEbayOrder } from '../parsers/ebay.parser';
import { parseEtsyReceipt } from '../parsers/etsy.parser';
import { Json, optObject } from '../parsers/json-access';
import { parseShopifyOrder } from '../parsers/shopify.parser';
import { parseWooCommerceOrder } from '../parsers/woocommerce.parser';
import { wooStore } from '../webhooks/webhooks.service';
import { ParsedOrderFile } from './order-file-reader';

/**
 * A platform's API answer saved as a JSON file (SPEC §4 "Backfill import"): Shopify and WooCommerce REST
 * orders (a list, `{orders: […]}` or one `{order: …}`), Etsy receipts (`{count, results}`), Amazon
 * getOrders (`{payload: {Orders}}`) and eBay getOrders (`{orders}`). Each order goes through the parser
 * its webhooks and pollers use, so a file and a webhook of the same order make the same row.
 */
export interface OrderJsonKind {
  platform: Platform;
  /** "JSON file of Etsy receipts". */
  label: string;
  /** What one element is called in messages: "receipt", "order". */
  noun: string;
  orders: unknown[];
}

interface JsonFormat {
  platform: Platform;
  label: string;
  noun: string;
  /** Whether an element is one of this platform's orders. */
  is(element: Json): boolean;
  parse(element: Json, ctx: JsonContext): NormalizedOrder;
}

export interface JsonContext {
  store: string;
  /** The store was named with the upload: it wins over what an order says about its site. */
  storeGiven: boolean;
  baseCurrency: string;
}

const has = (element: Json, ...keys: string[]) => keys.every((key) => key in element);

const FORMATS: readonly JsonFormat[] = [
  {
    platform: 'etsy',
    label: 'JSON file of Etsy receipts',
    noun: 'receipt',
    is: (e) => has(e, 'receipt_id'),
    parse: (e, ctx) => parseEtsyReceipt(e, ctx.store),
  },
  {
    platform: 'amazon',
    label: 'JSON file of Amazon orders (getOrders)',
    noun: 'order',
    is: (e) => has(e, 'AmazonOrderId'),
    // getOrders carries no items; a file that merged each order's getOrderItems answer in gets its lines.
    parse: (e, ctx) =>
      parseAmazonOrder(e, ctx.store, ctx.baseCurrency, Array.isArray(e['OrderItems']) ? e['OrderItems'] : []),
  },
  {
    platform: 'ebay',
    label: 'JSON file of eBay orders (getOrders)',
    noun: 'order',
    is: (e) => has(e, 'orderId') && ('pricingSummary' in e || 'lineItems' in e),
    parse: (e, ctx) => parseEbayOrder(e, ctx.store),
  },
  {
    platform: 'woocommerce',
    label: 'JSON file of WooCommerce orders',
    noun: 'order',
    is: (e) => has(e, 'id') && ('date_created_gmt' in e || 'date_created' in e),
    parse: (e, ctx) => parseWooCommerceOrder(e, ctx.storeGiven ? ctx.store : (wooSite(e) ?? ctx.store)),
  },
  {
    platform: 'shopify',
    label: 'JSON file of Shopify orders',
    noun: 'order',
    is: (e) => has(e, 'id', 'created_at') && ('financial_status' in e || 'total_price' in e || 'line_items' in e),
    parse: (e, ctx) => parseShopifyOrder(e, ctx.store),
  },
];

/** Where a JSON document keeps its list of orders, by the shapes the platforms answer with. */
function elementsOf(document: unknown): unknown[] | null {
  if (Array.isArray(document)) return document;
  const top = optObject(document);
  if (!top) return null;
  const payload = optObject(top['payload']);
  for (const list of [top['orders'], top['results'], payload?.['Orders'], top['Orders']]) {
    if (Array.isArray(list)) return list;
  }
  const single = optObject(top['order']) ?? optObject(top['receipt']);
  return single ? [single] : [top];
}

/** The platform whose orders the document holds, or null when it holds none that we know. */
export function recogniseOrderJson(document: unknown): OrderJsonKind | null {
  const elements = elementsOf(document);
  const first = elements?.map(optObject).find((element) => element !== null);
  if (!elements || !first) return null;
  const format = FORMATS.find((candidate) => candidate.is(first));
  return format ? { platform: format.platform, label: format.label, noun: format.noun, orders: elements } : null;
}

const MAX_ERRORS = 100;

/**
 * Every order of a recognised document through its platform's parser; an element that is not an order
 * or that its parser refuses is an error naming its position (`row` 1 = the first element) and field.
 */
export function readOrderJson(kind: OrderJsonKind, ctx: JsonContext): ParsedOrderFile {
  const format = FORMATS.find((candidate) => candidate.platform === kind.platform)!;
  const orders: NormalizedOrder[] = [];
  const errors: ImportRowError[] = [];
  const fail = (row: number, column: string | null, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ row, column, message });
  };
  kind.orders.forEach((element, index) => {
    const object = optObject(element);
    const position = `${kind.noun} ${index + 1}`;
    if (!object || !format.is(object)) {
      fail(index + 1, null, `${position} of this ${kind.label} is not a ${platformName(kind.platform)} ${kind.noun}`);
      return;
    }
    try {
      orders.push(format.parse(object, ctx));
    } catch (error) {
      if (!(error instanceof OrderParseError) && !(error instanceof Error && /not an amount/.test(error.message)))
        throw error;
      const field = error instanceof OrderParseError ? error.field : null;
      fail(index + 1, field, `${position}: ${error.message.replace(/^([^:]+): /, '$1 ')}`);
    }
  });
  return {
    platform: kind.platform,
    kind: 'orders',
    label: kind.label,
    rows: kind.orders.length,
    count: kind.orders.length,
    noun: kind.noun,
    orders,
    errors,
  };
}

function platformName(platform: Platform): string {
  return { shopify: 'Shopify', woocommerce: 'WooCommerce', etsy: 'Etsy', amazon: 'Amazon', ebay: 'eBay' }[platform];
}

/** A WooCommerce REST order names its site in `_links.self[0].href`: the store its webhooks write to. */
function wooSite(order: Json): string | null {
  const self = optObject(order['_links'])?.['self'];
  const href = Array.isArray(self) ? optObject(self[0])?.['href'] : null;
  if (typeof href !== 'string') return null;
  const site = /^(.*?)\/wp-json\//.exec(href)?.[1];
  return site ? wooStore(site) : null;
}
