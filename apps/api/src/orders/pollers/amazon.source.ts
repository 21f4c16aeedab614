import { asArray, optObject, optText } from '../parsers/json-access';
import { parseAmazonOrder } from '../parsers/amazon.parser';
import { OrderPage, OrderSource } from './order-source';
import { DEFAULT_RETRY, HttpRetryOptions, RefreshTokenCache, requestJson, tokenFrom } from './platform-http';

/** SP-API Orders v0 getOrders by LastUpdatedAfter, following NextToken; LWA refresh-token auth. */
export class AmazonSource implements OrderSource {
  readonly name = 'amazon-sp-api';
  readonly platform = 'amazon' as const;
  private readonly token: RefreshTokenCache;

  constructor(
    private readonly settings: {
      apiUrl: string;
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      refreshToken: string;
      marketplaceIds: string[];
    },
    private readonly baseCurrency: string,
    private readonly retry: HttpRetryOptions = DEFAULT_RETRY,
  ) {
    this.token = new RefreshTokenCache(async () => {
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: settings.refreshToken,
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
      });
      return tokenFrom(
        (
          await requestJson(
            settings.tokenUrl,
            { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
            this.retry,
          )
        ).body,
      );
    });
  }

  async *pages(since: Date, now: Date): AsyncIterable<OrderPage> {
    // LastUpdatedAfter must be at least two minutes before the request time.
    const after = new Date(Math.min(since.getTime(), now.getTime() - 3 * 60_000));
    let nextToken: string | null = null;
    do {
      const url = new URL(`${this.settings.apiUrl}/orders/v0/orders`);
      url.searchParams.set('MarketplaceIds', this.settings.marketplaceIds.join(','));
      if (nextToken) url.searchParams.set('NextToken', nextToken);
      else url.searchParams.set('LastUpdatedAfter', after.toISOString());
      const { body } = await requestJson(
        url.toString(),
        { headers: { 'x-amz-access-token': await this.token.get() } },
        this.retry,
      );
      const payload = optObject(optObject(body)?.['payload']);
      yield { orders: asArray(payload?.['Orders']).map((order) => parseAmazonOrder(order, '', this.baseCurrency)) };
      nextToken = optText(payload?.['NextToken']);
    } while (nextToken);
  }
}
