import { asArray, optObject, optText } from '../parsers/json-access';
import { parseEbayOrder } from '../parsers/ebay.parser';
import { OrderPage, OrderSource } from './order-source';
import { DEFAULT_RETRY, HttpRetryOptions, RefreshTokenCache, requestJson, tokenFrom } from './platform-http';

const PAGE_SIZE = 200;
const SCOPE = 'https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly';

/** eBay Sell Fulfillment getOrders filtered by lastmodifieddate, following `next`; OAuth refresh-token auth. */
export class EbaySource implements OrderSource {
  readonly name = 'ebay-fulfillment';
  readonly platform = 'ebay' as const;
  private readonly token: RefreshTokenCache;

  constructor(
    private readonly settings: {
      apiUrl: string;
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      refreshToken: string;
    },
    private readonly retry: HttpRetryOptions = DEFAULT_RETRY,
  ) {
    this.token = new RefreshTokenCache(async () => {
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: settings.refreshToken,
        scope: SCOPE,
      });
      const auth = `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64')}`;
      return tokenFrom(
        (
          await requestJson(
            settings.tokenUrl,
            {
              method: 'POST',
              body,
              headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
            },
            this.retry,
          )
        ).body,
      );
    });
  }

  async *pages(since: Date): AsyncIterable<OrderPage> {
    const first = new URL(`${this.settings.apiUrl}/sell/fulfillment/v1/order`);
    first.searchParams.set('filter', `lastmodifieddate:[${since.toISOString()}..]`);
    first.searchParams.set('limit', String(PAGE_SIZE));
    let url: string | null = first.toString();
    while (url) {
      const { body } = await requestJson(
        url,
        { headers: { Authorization: `Bearer ${await this.token.get()}` } },
        this.retry,
      );
      const page = optObject(body);
      yield { orders: asArray(page?.['orders']).map((order) => parseEbayOrder(order, '')) };
      const next = optText(page?.['next']);
      // `next` is an absolute href on api.ebay.com; keep the configured host so tests and proxies work.
      url = next
        ? `${this.settings.apiUrl}${new URL(next, this.settings.apiUrl).pathname}${new URL(next, this.settings.apiUrl).search}`
        : null;
    }
  }
}
