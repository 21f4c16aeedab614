import type { Platform } from '@mt/contracts';
import { WorkSlices } from '../../common/event-loop';
import { JsonListPlaces, JsonSkeleton, JsonValue } from '../../upload/json-source';
import { NormalizedOrder, OrderParseError } from '../normalized-order';
import { parseAmazonOrder } from '../parsers/amazon.parser';
import { parseEbayOrder } from '../parsers/ebay.parser';
import { parseEtsyReceipt } from '../parsers/etsy.parser';
import { Json, optObject } from '../parsers/json-access';
import { parseShopifyOrder } from '../parsers/shopify.parser';
import { parseWooCommerceOrder } from '../parsers/woocommerce.parser';
import { wooStore } from '../webhooks/webhooks.service';
import type { BuiltOrder } from './order-file-reader';

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

/**
 * Where the platforms' answers keep their list of orders, for the streaming reader: `{orders}` (Shopify,
 * eBay), `{results}` (Etsy), `{payload: {Orders}}` (Amazon), or the document is the list (WooCommerce).
 */
export const ORDER_JSON_LISTS: JsonListPlaces = {
  keys: ['orders', 'results', 'Orders'],
  nested: { payload: ['Orders'] },
};

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

/** The platform whose orders the document (or its start, see `jsonSample`) holds, or null when it holds none that we know. */
export function recogniseOrderJson(document: unknown): OrderJsonKind | null {
  const elements = elementsOf(document);
  const first = elements?.map(optObject).find((element) => element !== null);
  if (!elements || !first) return null;
  const format = FORMATS.find((candidate) => candidate.is(first));
  return format ? { platform: format.platform, label: format.label, noun: format.noun } : null;
}

/** An element of a document that holds orders, with its size in the file when known. */
export interface OrderJsonElement {
  value: unknown;
  bytes?: number;
}

/**
 * The elements of a streamed document (`jsonValues` with ORDER_JSON_LISTS): its list's, as they come, or
 * for a document without a list (REST `GET /orders/{id}`: `{order}`) the one order it holds.
 */
export async function* orderJsonElements(values: AsyncIterable<JsonValue>): AsyncGenerator<OrderJsonElement> {
  const skeleton = new JsonSkeleton();
  let listed = false;
  for await (const value of values) {
    if (value.kind === 'element') yield { value: value.value, bytes: value.bytes };
    else if (value.kind === 'list') listed = true;
    else skeleton.add(value);
  }
  if (!listed) for (const value of elementsOf(skeleton.document) ?? [skeleton.document]) yield { value };
}

/** Elements parsed between two turns of the event loop at most (a Shopify order with its lines: about 0.1 ms). */
const ELEMENTS_PER_SLICE = 100;

/**
 * Every order of a recognised document through its platform's parser, as the elements stream in; an
 * element that is not an order or that its parser refuses is an error naming its position (`row` 1 = the
 * first element) and field.
 */
export async function* readOrderJson(
  kind: OrderJsonKind,
  elements: AsyncIterable<OrderJsonElement>,
  ctx: JsonContext,
): AsyncGenerator<BuiltOrder> {
  const format = FORMATS.find((candidate) => candidate.platform === kind.platform)!;
  const slices = new WorkSlices(ELEMENTS_PER_SLICE);
  let index = 0;
  for await (const { value: element, bytes } of elements) {
    index++;
    if (slices.done()) await slices.next();
    const object = optObject(element);
    const position = `${kind.noun} ${index}`;
    if (!object || !format.is(object)) {
      yield {
        error: {
          row: index,
          column: null,
          message: `${position} of this ${kind.label} is not a ${platformName(kind.platform)} ${kind.noun}`,
        },
      };
      continue;
    }
    try {
      yield { order: format.parse(object, ctx), bytes };
    } catch (error) {
      if (!(error instanceof OrderParseError) && !(error instanceof Error && /not an amount/.test(error.message)))
        throw error;
      const field = error instanceof OrderParseError ? error.field : null;
      yield {
        error: { row: index, column: field, message: `${position}: ${error.message.replace(/^([^:]+): /, '$1 ')}` },
      };
    }
  }
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
