import { asArray } from '../parsers/json-access';
import { parseWooCommerceOrder } from '../parsers/woocommerce.parser';
import { wooStore } from '../webhooks/webhooks.service';
import { OrderPage, OrderSource } from './order-source';
import { DEFAULT_RETRY, HttpRetryOptions, requestJson } from './platform-http';

const PAGE_SIZE = 100;

/**
 * WooCommerce REST reconciliation: WooCommerce never retries a failed webhook, so orders modified since
 * the last poll are read back (`modified_after` in GMT) and upserted like webhooks of the same store.
 */
export class WooCommerceSource implements OrderSource {
  readonly name = 'woocommerce-rest';
  readonly platform = 'woocommerce' as const;

  constructor(
    private readonly settings: { url: string; consumerKey: string; consumerSecret: string },
    private readonly retry: HttpRetryOptions = DEFAULT_RETRY,
  ) {}

  async *pages(since: Date): AsyncIterable<OrderPage> {
    const store = wooStore(this.settings.url);
    const auth = `Basic ${Buffer.from(`${this.settings.consumerKey}:${this.settings.consumerSecret}`).toString('base64')}`;
    for (let page = 1; ; page++) {
      const url = new URL(`${this.settings.url}/wp-json/wc/v3/orders`);
      url.searchParams.set('modified_after', since.toISOString().slice(0, 19));
      url.searchParams.set('dates_are_gmt', 'true');
      url.searchParams.set('per_page', String(PAGE_SIZE));
      url.searchParams.set('page', String(page));
      url.searchParams.set('orderby', 'modified');
      url.searchParams.set('order', 'asc');
      const { body, headers } = await requestJson(url.toString(), { headers: { Authorization: auth } }, this.retry);
      const orders = asArray(body);
      yield { orders: orders.map((order) => parseWooCommerceOrder(order, store)) };
      const totalPages = Number(headers.get('x-wp-totalpages') ?? page);
      if (page >= totalPages || orders.length === 0) break;
    }
  }
}
