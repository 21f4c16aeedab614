import { asArray, optObject, optText } from '../parsers/json-access';
import { parseAmazonOrder } from '../parsers/amazon.parser';
import { OrderPage, OrderSource } from './order-source';
import { DEFAULT_RETRY, HttpRetryOptions, RefreshTokenCache, requestJson, tokenFrom } from './platform-http';

/**
 * SP-API Orders v0 getOrders by LastUpdatedAfter, following NextToken, and getOrderItems for each order
 * (getOrders carries no items); LWA refresh-token auth. Throttled answers are waited out by requestJson.
 */
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
      const payload = await this.payload(url);
      const orders = [];
      for (const order of asArray(payload?.['Orders'])) {
        const id = optText(optObject(order)?.['AmazonOrderId']);
        orders.push(parseAmazonOrder(order, '', this.baseCurrency, id ? await this.orderItems(id) : []));
      }
      yield { orders };
      nextToken = optText(payload?.['NextToken']);
    } while (nextToken);
  }

  /** getOrderItems of one order, every page. */
  private async orderItems(amazonOrderId: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let nextToken: string | null = null;
    do {
      const url = new URL(`${this.settings.apiUrl}/orders/v0/orders/${encodeURIComponent(amazonOrderId)}/orderItems`);
      if (nextToken) url.searchParams.set('NextToken', nextToken);
      const payload = await this.payload(url);
      items.push(...asArray(payload?.['OrderItems']));
      nextToken = optText(payload?.['NextToken']);
    } while (nextToken);
    return items;
  }

  private async payload(url: URL): Promise<Record<string, unknown> | null> {
    const { body } = await requestJson(
      url.toString(),
      { headers: { 'x-amz-access-token': await this.token.get() } },
      this.retry,
    );
    return optObject(optObject(body)?.['payload']);
  }
}
