import { BadGatewayException, BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { WebhookAck } from '@mt/contracts';
import { AppConfig } from '../../config/app-config';
import { NormalizedOrder, OrderParseError } from '../normalized-order';
import { OrderIngestService } from '../order-ingest.service';
import { parseShopifyOrder, parseShopifyRefund } from '../parsers/shopify.parser';
import { asObject, idText, optObject, optText } from '../parsers/json-access';
import { parseWooCommerceOrder } from '../parsers/woocommerce.parser';
import { EtsySource } from '../pollers/etsy.source';
import { HttpRetryOptions } from '../pollers/platform-http';
import { parseJsonKeepingBigInts } from '../safe-json';
import { SourcesService } from '../sources/sources.service';
import { verifyHmacSha256, verifyStandardWebhook } from './webhook-signature';

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
  private readonly etsyReceipts: EtsySource | null;

  constructor(
    private readonly config: AppConfig,
    private readonly ingest: OrderIngestService,
    private readonly sources: SourcesService,
  ) {
    this.etsyReceipts = config.pollers.etsy ? new EtsySource(config.pollers.etsy, ETSY_WEBHOOK_FETCH) : null;
  }

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
      const deliveryId = header(headers, 'x-wc-webhook-delivery-id');
      const key = deliveryId ? { platform: 'woocommerce' as const, deliveryId, store, topic } : null;
      const by = `woocommerce ${topic}`;
      if (topic === 'order.deleted') {
        // Only `{ id }`: the order leaves the figures; its row and refunds stay, for the audit and a restore.
        const id = parseOrFail(() => idText(asObject(body, 'order')['id'], 'id'));
        outcome = await this.ingest.deleteDelivery(key, { platform: 'woocommerce', store, externalId: id }, by);
      } else if (typeof body === 'object' && body !== null && 'status' in body) {
        const order = { ...parseOrFail(() => parseWooCommerceOrder(body, store)), raw: rawBody!.toString('utf8') };
        outcome =
          topic === 'order.restored'
            ? await this.ingest.restoreDelivery(key, order, by)
            : await this.ingest.ingestDelivery(key, order);
      }
    }
    this.sources.touchWebhook('woocommerce');
    return { ok: true, outcome };
  }

  /**
   * Etsy (Standard Webhooks, FORMATS.md §3.2): signed over `id.timestamp.body`, refused when the
   * timestamp is more than five minutes away (a replay), deduplicated on `webhook-id`. The event names a
   * receipt and carries no order: the receipt is fetched from the Etsy API and stored like the poller's.
   * A fetch that fails claims nothing and answers 502, so Etsy's retry tries again.
   */
  async etsy(headers: Headers, rawBody: Buffer | undefined): Promise<WebhookAck> {
    const message = {
      id: header(headers, 'webhook-id'),
      timestamp: header(headers, 'webhook-timestamp'),
      signature: header(headers, 'webhook-signature'),
    };
    const key = this.config.etsyWebhookKey;
    if (!key || !verifyStandardWebhook(rawBody, message, key))
      throw new UnauthorizedException('invalid webhook signature');
    const sentAt = Number(message.timestamp) * 1000;
    if (!/^\d+$/.test(message.timestamp!) || Math.abs(Date.now() - sentAt) > ETSY_TIMESTAMP_TOLERANCE_MS)
      throw new UnauthorizedException('webhook-timestamp is more than 5 minutes from now: replays are refused');

    const event = parseOrFail(() => etsyEvent(parseBody(rawBody!)));
    let outcome = 'ignored';
    if (event && this.etsyReceipts && event.shopId === this.etsyReceipts.shopId) {
      if (await this.ingest.deliverySeen('etsy', message.id!)) {
        outcome = 'duplicate';
      } else {
        const order = await this.fetchEtsyReceipt(event.receiptId);
        const delivery = { platform: 'etsy' as const, deliveryId: message.id!, store: event.shopId, topic: event.type };
        outcome = await this.ingest.ingestDelivery(delivery, order);
      }
    }
    this.sources.touchWebhook('etsy');
    return { ok: true, outcome };
  }

  private async fetchEtsyReceipt(receiptId: string): Promise<NormalizedOrder> {
    try {
      return await this.etsyReceipts!.receipt(receiptId);
    } catch (error) {
      if (error instanceof OrderParseError)
        throw new BadGatewayException(`Etsy receipt ${receiptId}: ${error.message}`);
      throw new BadGatewayException(
        `could not fetch Etsy receipt ${receiptId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Standard Webhooks' recommended tolerance between `webhook-timestamp` and now. */
const ETSY_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
/** The receipt fetch runs while Etsy waits for the answer: one quick retry, then Etsy's own retries. */
const ETSY_WEBHOOK_FETCH: HttpRetryOptions = { retries: 1, maxWaitMs: 1_000, timeoutMs: 10_000 };

/**
 * `{"event_type":"order.paid","resource_url":"…/shops/<shop>/receipts/<receipt>","shop_id":<id>}`; the
 * earlier documented nested `data` form is read too. Null for an event that names no receipt.
 */
function etsyEvent(body: unknown): { type: string; shopId: string; receiptId: string } | null {
  const event = asObject(body, 'event');
  const data = optObject(event['data']) ?? {};
  const type = optText(event['event_type']) ?? optText(event['type']) ?? '';
  const url = /\/shops\/(\d+)\/receipts\/(\d+)/.exec(
    optText(event['resource_url']) ?? optText(data['resource_url']) ?? '',
  );
  const receiptId = url?.[2] ?? optText(data['receipt_id']) ?? optText(event['receipt_id']);
  const shopId = optText(event['shop_id']) ?? url?.[1] ?? optText(data['shop_id']);
  if (!/^order[._]/i.test(type) || !receiptId || !shopId) return null;
  return { type, shopId, receiptId };
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
