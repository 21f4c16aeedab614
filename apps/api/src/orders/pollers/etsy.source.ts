import { NormalizedOrder } from '../normalized-order';
import { asArray, optObject } from '../parsers/json-access';
import { parseEtsyReceipt } from '../parsers/etsy.parser';
import { OrderPage, OrderSource } from './order-source';
import { DEFAULT_RETRY, HttpRetryOptions, requestJson } from './platform-http';

const PAGE_SIZE = 100;
/** Refunds and cancellations do not always move a receipt's update time: re-read recent receipts daily. */
const RECONCILE_EVERY_MS = 24 * 3600_000;
const RECONCILE_DAYS = 60;

/** Etsy Open API v3 getShopReceipts, paged by limit/offset, filtered by last modification. */
export class EtsySource implements OrderSource {
  readonly name = 'etsy-receipts';
  readonly platform = 'etsy' as const;
  private lastReconciled = 0;

  constructor(
    private readonly settings: { apiUrl: string; apiKey: string; shopId: string; accessToken: string },
    private readonly retry: HttpRetryOptions = DEFAULT_RETRY,
  ) {}

  /** One receipt (getShopReceipt), as an Etsy webhook names it; parsed like the poller's. */
  async receipt(receiptId: string): Promise<NormalizedOrder> {
    const { shopId } = this.settings;
    const { body } = await requestJson(
      `${this.settings.apiUrl}/v3/application/shops/${encodeURIComponent(shopId)}/receipts/${encodeURIComponent(receiptId)}`,
      { headers: this.headers() },
      this.retry,
    );
    return parseEtsyReceipt(body, shopId);
  }

  get shopId(): string {
    return this.settings.shopId;
  }

  private headers(): Record<string, string> {
    return { 'x-api-key': this.settings.apiKey, Authorization: `Bearer ${this.settings.accessToken}` };
  }

  async *pages(since: Date, now: Date): AsyncIterable<OrderPage> {
    const reconcile = now.getTime() - this.lastReconciled >= RECONCILE_EVERY_MS;
    const filter = reconcile
      ? { min_created: String(Math.floor(now.getTime() / 1000) - RECONCILE_DAYS * 86400) }
      : { min_last_modified: String(Math.floor(since.getTime() / 1000)) };
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const url = new URL(
        `${this.settings.apiUrl}/v3/application/shops/${encodeURIComponent(this.settings.shopId)}/receipts`,
      );
      for (const [key, value] of Object.entries({
        ...filter,
        limit: String(PAGE_SIZE),
        offset: String(offset),
        sort_on: 'updated',
        sort_order: 'asc',
      })) {
        url.searchParams.set(key, value);
      }
      const { body } = await requestJson(url.toString(), { headers: this.headers() }, this.retry);
      const results = asArray(optObject(body)?.['results']);
      yield { orders: results.map((receipt) => parseEtsyReceipt(receipt, this.settings.shopId)) };
      const count = Number(optObject(body)?.['count'] ?? 0);
      if (results.length < PAGE_SIZE || offset + PAGE_SIZE >= count) break;
    }
    if (reconcile) this.lastReconciled = now.getTime();
  }
}
