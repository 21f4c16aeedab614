import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { WebhookAck } from '@mt/contracts';
import { AppConfig } from '../../config/app-config';
import { OrderParseError } from '../normalized-order';
import { OrderIngestService } from '../order-ingest.service';
import { parseShopifyOrder, parseShopifyRefund } from '../parsers/shopify.parser';
import { parseWooCommerceOrder } from '../parsers/woocommerce.parser';
import { parseJsonKeepingBigInts } from '../safe-json';
import { SourcesService } from '../sources/sources.service';
import { verifyHmacSha256 } from './webhook-signature';

export type Headers = Record<string, string | string[] | undefined>;

const SHOPIFY_ORDER_TOPICS = new Set([
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/edited',
  'orders/fulfilled',
  'orders/partially_fulfilled',
]);
const WOO_ORDER_TOPICS = new Set(['order.created', 'order.updated', 'order.restored', 'order.deleted']);

/**
 * Signed platform webhooks. The signature is checked on the raw bytes before anything is parsed; a bad
 * or missing one is 401 and nothing is stored. The work is a single short transaction, so the answer
 * comes in milliseconds, well inside Shopify's 5 s.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly config: AppConfig,
    private readonly ingest: OrderIngestService,
    private readonly sources: SourcesService,
  ) {}

  /** `rawBody`: the bytes as sent (see webhook-raw-body.ts); nothing else has read them. */
  async shopify(headers: Headers, rawBody: Buffer | undefined): Promise<WebhookAck> {
    const shop = (header(headers, 'x-shopify-shop-domain') ?? '').toLowerCase();
    const secrets = [this.config.shopifyWebhookSecrets.get(shop), this.config.shopifyWebhookSecrets.get('*')].filter(
      (s): s is string => !!s,
    );
    const signature = header(headers, 'x-shopify-hmac-sha256') ?? header(headers, 'shopify-hmac-sha256');
    if (!shop || !verifyHmacSha256(rawBody, signature, secrets))
      throw new UnauthorizedException('invalid webhook signature');

    const topic = header(headers, 'x-shopify-topic') ?? header(headers, 'shopify-topic') ?? '';
    const deliveryId = header(headers, 'x-shopify-webhook-id') ?? header(headers, 'shopify-webhook-id');
    const key = deliveryId ? { platform: 'shopify' as const, deliveryId, store: shop, topic } : null;
    let outcome: string;
    if (SHOPIFY_ORDER_TOPICS.has(topic)) {
      const order = parseOrFail(() => parseShopifyOrder(parseBody(rawBody!), shop));
      outcome = await this.ingest.ingestDelivery(key, { ...order, raw: rawBody!.toString('utf8') });
    } else if (topic === 'refunds/create') {
      const body = parseBody(rawBody!);
      // Multi-currency refunds are paid in the buyer's currency; the order's shop currency picks the amount to keep.
      const orderId = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['order_id'] : null;
      const shopCurrency =
        typeof orderId === 'string' || typeof orderId === 'number'
          ? await this.ingest.orderCurrencyForDelivery('shopify', shop, String(orderId))
          : null;
      outcome = await this.ingest.ingestRefundDelivery(
        key,
        parseOrFail(() => parseShopifyRefund(body, shop, shopCurrency)),
      );
    } else {
      outcome = 'ignored';
    }
    this.sources.touchWebhook('shopify');
    return { ok: true, outcome };
  }

  async woocommerce(headers: Headers, rawBody: Buffer | undefined): Promise<WebhookAck> {
    const topic = header(headers, 'x-wc-webhook-topic');
    // The ping sent when a webhook is saved carries no X-WC headers and no signature, only the form body
    // `webhook_id=<id>`; WooCommerce shows an error to the admin unless it gets a 200. Recognised from
    // the bytes alone, and it stores nothing.
    if (!topic && rawBody && isWooPing(rawBody)) return { ok: true, outcome: 'ping' };

    const secret = this.config.woocommerceWebhookSecret;
    const secrets = secret ? [decodeWpEntities(secret)] : [];
    if (!verifyHmacSha256(rawBody, header(headers, 'x-wc-webhook-signature'), secrets))
      throw new UnauthorizedException('invalid webhook signature');

    const store = wooStore(header(headers, 'x-wc-webhook-source'));
    let outcome = 'ignored';
    if (topic && WOO_ORDER_TOPICS.has(topic)) {
      const body = parseBody(rawBody!);
      // order.deleted carries only the id; a deleted order is moved to the trash, which the poller sees.
      const isFullOrder = typeof body === 'object' && body !== null && 'status' in body;
      if (isFullOrder) {
        const deliveryId = header(headers, 'x-wc-webhook-delivery-id');
        const key = deliveryId ? { platform: 'woocommerce' as const, deliveryId, store, topic } : null;
        const order = parseOrFail(() => parseWooCommerceOrder(body, store));
        outcome = await this.ingest.ingestDelivery(key, { ...order, raw: rawBody!.toString('utf8') });
      }
    }
    this.sources.touchWebhook('woocommerce');
    return { ok: true, outcome };
  }
}

/** The store key of a WooCommerce site: its home URL without the trailing slash. */
export function wooStore(source: string | undefined): string {
  if (!source) return '';
  try {
    const url = new URL(source.trim());
    return `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return source.trim().replace(/\/+$/, '');
  }
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

/** WooCommerce's `WC_Webhook::deliver_ping()` body (FORMATS.md §2.2). */
function isWooPing(rawBody: Buffer): boolean {
  return /^webhook_id=\d+$/.test(rawBody.toString('utf8').trim());
}

/** Only ever called once the signature matched: a malformed body from the platform itself is a 400. */
function parseBody(rawBody: Buffer): unknown {
  try {
    return parseJsonKeepingBigInts(rawBody.toString('utf8'));
  } catch (error) {
    throw new BadRequestException(`body is not valid JSON: ${error instanceof Error ? error.message : 'unreadable'}`);
  }
}

function parseOrFail<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof OrderParseError) throw new BadRequestException(`order ${error.message}`);
    throw error;
  }
}

/** WordPress passes the secret through wp_specialchars_decode(…, ENT_QUOTES) before signing. */
function decodeWpEntities(secret: string): string {
  return secret
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&amp;/g, '&');
}
