import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { SourcesResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../../test/test-app';
import { EtsySource } from './etsy.source';
import { OrderPollersService } from './order-pollers.service';

/** getOrderItems answers by `<order id>#<page>` (FORMATS.md §4.1; ItemPrice is quantity × unit price). */
const AMAZON_ITEMS: Record<string, unknown[]> = {
  '111-0000001-0000001#1': [
    {
      ASIN: '0306406152',
      SellerSKU: 'SR-HC-001',
      OrderItemId: '40000000000001',
      Title: 'The Salt Road (Hardcover)',
      QuantityOrdered: 2,
      QuantityShipped: 2,
      ItemPrice: { CurrencyCode: 'USD', Amount: '49.98' },
      ItemTax: { CurrencyCode: 'USD', Amount: '4.00' },
      PromotionDiscount: { CurrencyCode: 'USD', Amount: '5.00' },
    },
    // Cancelled: it sold nothing and is no line.
    {
      ASIN: 'B000000001',
      SellerSKU: 'TW-PO-003',
      OrderItemId: '40000000000002',
      Title: 'Tidewater',
      QuantityOrdered: 0,
    },
  ],
  '111-0000001-0000001#2': [
    {
      ASIN: 'B0LANTERNS',
      SellerSKU: 'LK-SE-004',
      OrderItemId: '40000000000003',
      Title: 'Lanterns of Kell',
      QuantityOrdered: 1,
      QuantityShipped: 1,
      ItemPrice: { CurrencyCode: 'USD', Amount: '15.00' },
    },
  ],
  // Pending: no prices yet.
  '111-0000002-0000002#1': [
    {
      ASIN: 'B0LANTERNS',
      SellerSKU: 'LK-SE-004',
      OrderItemId: '40000000000004',
      Title: 'Lanterns of Kell',
      QuantityOrdered: 1,
    },
  ],
  '111-0000003-0000003#1': [
    {
      ASIN: 'B0LANTERNS',
      SellerSKU: 'LK-SE-004',
      OrderItemId: '40000000000005',
      Title: 'Lanterns of Kell',
      QuantityOrdered: 0,
    },
  ],
  // Its only item cancelled while the order still says Unshipped.
  '111-0000004-0000004#1': [
    {
      ASIN: 'B0LANTERNS',
      SellerSKU: 'LK-SE-004',
      OrderItemId: '40000000000006',
      Title: 'Lanterns of Kell',
      QuantityOrdered: 0,
    },
  ],
};

/**
 * The four pollers against one local HTTP server that answers like the platforms (FORMATS.md §2–5):
 * paging, a 429 with Retry-After before a page, token endpoints, and an error answer.
 */
describe('order pollers (integration, local platform server)', () => {
  let t: TestApp;
  let server: Server;
  let base: string;
  const seen: string[] = [];
  let etsyFails = false;
  const rateLimited = new Set<string>();

  const etsyReceipt = (id: number, extra: Record<string, unknown> = {}) => ({
    receipt_id: id,
    status: 'Completed',
    is_paid: true,
    create_timestamp: 1747216800 + id, // 2025-05-14T10:00:00Z + id seconds
    created_timestamp: 1747216800 + id,
    update_timestamp: 1747303200,
    updated_timestamp: 1747303200,
    country_iso: 'GB',
    grandtotal: { amount: 2999, divisor: 100, currency_code: 'GBP' },
    refunds: [],
    ...extra,
  });

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', base);
    seen.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const once429 = (key: string) => {
      if (rateLimited.has(key)) return false;
      rateLimited.add(key);
      json(429, { error: 'too many requests' }, { 'Retry-After': '0' });
      return true;
    };

    if (url.pathname === '/etsy/v3/application/shops/777/receipts') {
      if (etsyFails) return json(401, { error: 'invalid_token' });
      if (req.headers['x-api-key'] !== 'etsy-key' || req.headers.authorization !== 'Bearer etsy-token')
        return json(403, { error: 'forbidden' });
      const offset = Number(url.searchParams.get('offset'));
      if (offset === 100 && once429('etsy-page-2')) return;
      const results =
        offset === 0
          ? Array.from({ length: 100 }, (_, i) => etsyReceipt(1000 + i))
          : [
              etsyReceipt(2000, {
                status: 'Partially Refunded',
                grandtotal: { amount: 1500, divisor: 1, currency_code: 'JPY' },
                refunds: [
                  {
                    amount: { amount: 500, divisor: 1, currency_code: 'JPY' },
                    created_timestamp: 1747389600,
                    reason: 'damaged',
                    status: 'success',
                  },
                ],
              }),
            ];
      return json(200, { count: 101, results });
    }
    if (url.pathname === '/woo/wp-json/wc/v3/orders') {
      if (req.headers.authorization !== `Basic ${Buffer.from('ck_test:cs_test').toString('base64')}`)
        return json(401, { code: 'woocommerce_rest_cannot_view' });
      const page = Number(url.searchParams.get('page'));
      const order = (id: number, status: string, refunds: unknown[] = []) => ({
        id,
        number: String(id),
        status,
        currency: 'EUR',
        total: '19.90',
        date_created_gmt: '2025-05-16T12:42:07',
        date_modified_gmt: '2025-05-17T08:00:00',
        billing: { country: 'DE' },
        shipping: { country: '' },
        refunds,
      });
      return json(
        200,
        page === 1
          ? [order(501, 'completed'), order(502, 'cancelled')]
          : [order(503, 'refunded', [{ id: 900, reason: '', total: '-19.90' }])],
        {
          'X-WP-Total': '3',
          'X-WP-TotalPages': '2',
        },
      );
    }
    if (url.pathname === '/amazon-token' || url.pathname === '/ebay-token') {
      return json(200, { access_token: `${url.pathname.slice(1)}-access`, expires_in: 3600, token_type: 'bearer' });
    }
    const amazonItems = /^\/amazon\/orders\/v0\/orders\/([^/]+)\/orderItems$/.exec(url.pathname);
    if (amazonItems) {
      if (req.headers['x-amz-access-token'] !== 'amazon-token-access')
        return json(403, { errors: [{ code: 'Unauthorized' }] });
      const id = decodeURIComponent(amazonItems[1]!);
      const page = url.searchParams.get('NextToken') ? 2 : 1;
      const items = AMAZON_ITEMS[`${id}#${page}`];
      if (!items) return json(404, { errors: [{ code: 'InvalidInput', message: `no order ${id}` }] });
      return json(200, {
        payload: {
          AmazonOrderId: id,
          OrderItems: items,
          ...(AMAZON_ITEMS[`${id}#${page + 1}`] ? { NextToken: `${id}-2` } : {}),
        },
      });
    }
    if (url.pathname === '/amazon/orders/v0/orders') {
      if (req.headers['x-amz-access-token'] !== 'amazon-token-access')
        return json(403, { errors: [{ code: 'Unauthorized' }] });
      if (!url.searchParams.get('NextToken')) {
        if (once429('amazon-first')) return;
        return json(200, {
          payload: {
            Orders: [
              {
                AmazonOrderId: '111-0000001-0000001',
                PurchaseDate: '2025-05-14T10:00:00Z',
                LastUpdateDate: '2025-05-15T10:00:00Z',
                OrderStatus: 'Shipped',
                MarketplaceId: 'ATVPDKIKX0DER',
                OrderTotal: { CurrencyCode: 'USD', Amount: '64.99' },
                ShippingAddress: { CountryCode: 'US' },
              },
              {
                AmazonOrderId: '111-0000002-0000002',
                PurchaseDate: '2025-05-14T11:00:00Z',
                LastUpdateDate: '2025-05-14T11:00:00Z',
                OrderStatus: 'Pending',
                MarketplaceId: 'A1F83G8C2ARO7P',
              },
            ],
            NextToken: 'page-2',
            LastUpdatedBefore: '2025-05-20T00:00:00Z',
          },
        });
      }
      return json(200, {
        payload: {
          Orders: [
            {
              AmazonOrderId: '111-0000003-0000003',
              PurchaseDate: '2025-05-14T12:00:00Z',
              LastUpdateDate: '2025-05-16T12:00:00Z',
              OrderStatus: 'Canceled',
              MarketplaceId: 'ATVPDKIKX0DER',
              OrderTotal: { CurrencyCode: 'USD', Amount: '10.00' },
            },
            {
              AmazonOrderId: '111-0000004-0000004',
              PurchaseDate: '2025-05-14T13:00:00Z',
              LastUpdateDate: '2025-05-16T13:00:00Z',
              OrderStatus: 'Unshipped',
              MarketplaceId: 'ATVPDKIKX0DER',
              OrderTotal: { CurrencyCode: 'USD', Amount: '0.00' },
              ShippingAddress: { CountryCode: 'CA' },
            },
          ],
        },
      });
    }
    if (url.pathname === '/ebay/sell/fulfillment/v1/order') {
      if (req.headers.authorization !== 'Bearer ebay-token-access') return json(401, { errors: [{ errorId: 1001 }] });
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const ebayOrder = (orderId: string, extra: Record<string, unknown>) => ({
        orderId,
        creationDate: '2025-05-06T17:22:09.000Z',
        lastModifiedDate: '2025-05-07T09:00:00.000Z',
        orderFulfillmentStatus: 'FULFILLED',
        orderPaymentStatus: 'PAID',
        cancelStatus: { cancelState: 'NONE_REQUESTED' },
        pricingSummary: { total: { value: '48.00', currency: 'USD' } },
        fulfillmentStartInstructions: [{ shippingStep: { shipTo: { contactAddress: { countryCode: 'US' } } } }],
        ...extra,
      });
      if (offset === 0) {
        return json(200, {
          href: 'x',
          total: 2,
          limit: 1,
          offset: 0,
          next: 'https://api.ebay.com/sell/fulfillment/v1/order?limit=1&offset=1',
          orders: [
            ebayOrder('07-12843-55021', {
              ebaySupportedFulfillment: true,
              fulfillmentStartInstructions: [
                {
                  ebaySupportedFulfillment: true,
                  finalDestinationAddress: { countryCode: 'AU' },
                  shippingStep: { shipTo: { contactAddress: { countryCode: 'US' } } },
                },
              ],
            }),
          ],
        });
      }
      return json(200, {
        total: 2,
        limit: 1,
        offset: 1,
        orders: [
          ebayOrder('08-00000-00002', {
            orderPaymentStatus: 'PARTIALLY_REFUNDED',
            paymentSummary: {
              refunds: [
                {
                  refundId: 'R-1',
                  refundDate: '2025-05-08T10:00:00.000Z',
                  amount: { value: '8.00', currency: 'USD' },
                  refundStatus: 'REFUNDED',
                },
                {
                  refundId: 'R-2',
                  refundDate: '2025-05-08T11:00:00.000Z',
                  amount: { value: '5.00', currency: 'USD' },
                  refundStatus: 'PENDING',
                },
              ],
            },
          }),
        ],
      });
    }
    json(404, { error: `no route ${url.pathname}` });
  }

  beforeAll(async () => {
    server = createServer(answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp({
      env: {
        BASE_CURRENCY: 'USD',
        ETSY_API_URL: `${base}/etsy`,
        ETSY_API_KEY: 'etsy-key',
        ETSY_SHOP_ID: '777',
        ETSY_ACCESS_TOKEN: 'etsy-token',
        WOOCOMMERCE_URL: `${base}/woo/`,
        WOOCOMMERCE_CONSUMER_KEY: 'ck_test',
        WOOCOMMERCE_CONSUMER_SECRET: 'cs_test',
        AMAZON_SP_API_URL: `${base}/amazon`,
        AMAZON_LWA_TOKEN_URL: `${base}/amazon-token`,
        AMAZON_LWA_CLIENT_ID: 'amzn-client',
        AMAZON_LWA_CLIENT_SECRET: 'amzn-secret',
        AMAZON_REFRESH_TOKEN: 'Atzr|refresh',
        AMAZON_MARKETPLACE_IDS: 'ATVPDKIKX0DER,A1F83G8C2ARO7P',
        EBAY_API_URL: `${base}/ebay`,
        EBAY_TOKEN_URL: `${base}/ebay-token`,
        EBAY_CLIENT_ID: 'ebay-client',
        EBAY_CLIENT_SECRET: 'ebay-secret',
        EBAY_REFRESH_TOKEN: 'v^1.1#refresh',
      },
    });
  });

  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const orders = (platform: string) =>
    t.db.dataSource.query(
      `SELECT o.external_id, o.store, o.currency, o.total::text, o.base_total::text, o.country, o.status, o.counted,
              coalesce((SELECT json_agg(json_build_object('id', r.external_id, 'amount', r.amount::text) ORDER BY r.external_id) FROM refunds r WHERE r.order_id = o.id), '[]') AS refunds
       FROM orders o WHERE platform = $1 ORDER BY external_id`,
      [platform],
    );

  it('Etsy: pages of receipts (a 429 waited out), amount/divisor money, epoch seconds, refunds', async () => {
    const result = await t.app.get(OrderPollersService).poll('etsy-receipts');
    expect(result).toEqual({ source: 'etsy-receipts', orders: 101, error: null });
    const rows = await orders('etsy');
    expect(rows).toHaveLength(101);
    expect(rows[0]).toMatchObject({
      external_id: '1000',
      store: '777',
      currency: 'GBP',
      total: '29.99',
      country: 'GB',
      status: 'paid',
    });
    expect(rows[100]).toEqual({
      external_id: '2000',
      store: '777',
      currency: 'JPY',
      total: '1500.00',
      base_total: null,
      country: 'GB',
      status: 'partially_refunded',
      counted: true,
      refunds: [{ id: '1747389600:500.00', amount: '500.00' }],
    });
    expect(
      seen.filter((s) => s.includes('/etsy/')).map((s) => new URL(s.split(' ')[1]!, base).searchParams.get('offset')),
    ).toEqual(['0', '100', '100']);
    // The first run after start reconciles recent receipts by creation date.
    expect(seen.find((s) => s.includes('/etsy/'))).toContain('min_created=');
  });

  it("WooCommerce: every page by X-WP-TotalPages, keyed like the store's webhooks", async () => {
    expect(await t.app.get(OrderPollersService).poll('woocommerce-rest')).toEqual({
      source: 'woocommerce-rest',
      orders: 3,
      error: null,
    });
    expect(
      (await orders('woocommerce')).map(
        (o: { external_id: string; store: string; status: string; refunds: unknown }) => [
          o.external_id,
          o.store,
          o.status,
          o.refunds,
        ],
      ),
    ).toEqual([
      ['501', `${base}/woo`, 'paid', []],
      ['502', `${base}/woo`, 'cancelled', []],
      ['503', `${base}/woo`, 'refunded', [{ id: '900', amount: '19.90' }]],
    ]);
    const first = seen.find((s) => s.includes('/woo/'))!;
    expect(first).toContain('dates_are_gmt=true');
    expect(first).toMatch(/modified_after=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d&/);
  });

  it('Amazon: LWA token, NextToken paging after a 429, items of each order, Pending and all-cancelled not counted', async () => {
    expect(await t.app.get(OrderPollersService).poll('amazon-sp-api')).toEqual({
      source: 'amazon-sp-api',
      orders: 4,
      error: null,
    });
    expect(
      (await orders('amazon')).map(
        (o: { external_id: string; currency: string; total: string; status: string; counted: boolean }) => [
          o.external_id,
          o.currency,
          o.total,
          o.status,
          o.counted,
        ],
      ),
    ).toEqual([
      ['111-0000001-0000001', 'USD', '64.99', 'paid', true],
      ['111-0000002-0000002', 'GBP', '0.00', 'pending', false],
      ['111-0000003-0000003', 'USD', '10.00', 'cancelled', false],
      ['111-0000004-0000004', 'USD', '0.00', 'cancelled', false],
    ]);
    expect(
      await t.db.dataSource.query(
        `SELECT o.external_id, l.position, l.external_id AS line_id, l.title, l.sku, l.gtin, l.product_id, l.quantity,
                l.unit_price::text, l.line_total::text, l.base_line_total::text
         FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.platform = 'amazon' ORDER BY 1, 2`,
      ),
    ).toEqual([
      {
        external_id: '111-0000001-0000001',
        position: 1,
        line_id: '40000000000001',
        title: 'The Salt Road (Hardcover)',
        sku: 'SR-HC-001',
        gtin: '9780306406157',
        product_id: '0306406152',
        quantity: 2,
        unit_price: '24.99',
        line_total: '44.98',
        base_line_total: '44.98',
      },
      {
        external_id: '111-0000001-0000001',
        position: 2,
        line_id: '40000000000003',
        title: 'Lanterns of Kell',
        sku: 'LK-SE-004',
        gtin: null,
        product_id: 'B0LANTERNS',
        quantity: 1,
        unit_price: '15.00',
        line_total: '15.00',
        base_line_total: '15.00',
      },
      {
        external_id: '111-0000002-0000002',
        position: 1,
        line_id: '40000000000004',
        title: 'Lanterns of Kell',
        sku: 'LK-SE-004',
        gtin: null,
        product_id: 'B0LANTERNS',
        quantity: 1,
        unit_price: null,
        line_total: null,
        base_line_total: null,
      },
    ]);
    expect(seen.filter((s) => s.startsWith('POST /amazon-token'))).toHaveLength(1);
    expect(seen.filter((s) => s.includes('/orderItems'))).toEqual([
      'GET /amazon/orders/v0/orders/111-0000001-0000001/orderItems',
      'GET /amazon/orders/v0/orders/111-0000001-0000001/orderItems?NextToken=111-0000001-0000001-2',
      'GET /amazon/orders/v0/orders/111-0000002-0000002/orderItems',
      'GET /amazon/orders/v0/orders/111-0000003-0000003/orderItems',
      'GET /amazon/orders/v0/orders/111-0000004-0000004/orderItems',
    ]);
  });

  it('eBay: token, `next` paging, buyer country from finalDestinationAddress, only REFUNDED refunds', async () => {
    expect(await t.app.get(OrderPollersService).poll('ebay-fulfillment')).toEqual({
      source: 'ebay-fulfillment',
      orders: 2,
      error: null,
    });
    expect(
      (await orders('ebay')).map((o: { external_id: string; country: string; status: string; refunds: unknown }) => [
        o.external_id,
        o.country,
        o.status,
        o.refunds,
      ]),
    ).toEqual([
      ['07-12843-55021', 'AU', 'paid', []],
      ['08-00000-00002', 'US', 'partially_refunded', [{ id: 'R-1', amount: '8.00' }]],
    ]);
  });

  it("polling again changes nothing, and GET /api/sources shows each poller's last sync", async () => {
    const [before] = await t.db.dataSource.query(
      `SELECT count(*)::int AS orders, (SELECT count(*)::int FROM refunds) AS refunds, max(updated_at) AS changed,
              (SELECT count(*)::int FROM order_lines) AS lines FROM orders`,
    );
    expect(before.lines).toBeGreaterThan(0);
    const [{ cursor }] = await t.db.dataSource.query(`SELECT cursor FROM sources WHERE name = 'etsy-receipts'`);
    await t.app.get(OrderPollersService).pollAll();
    const [after] = await t.db.dataSource.query(
      `SELECT count(*)::int AS orders, (SELECT count(*)::int FROM refunds) AS refunds, max(updated_at) AS changed,
              (SELECT count(*)::int FROM order_lines) AS lines FROM orders`,
    );
    expect(after).toEqual(before);
    // The second Etsy run reads by last modification, from the stored cursor minus the overlap.
    expect(seen.filter((s) => s.includes('/etsy/')).pop()).toContain(
      `min_last_modified=${Math.floor((Date.parse(cursor) - 10 * 60_000) / 1000)}&`,
    );

    const res = await t.as('admin').get('/api/sources').expect(200);
    const sources = (res.body as SourcesResponse).sources;
    expect(sources.map((s) => [s.name, s.kind, s.enabled, s.lastError, s.lastSuccessAt !== null])).toEqual([
      ['amazon-sp-api', 'poller', true, null, true],
      ['ebay-fulfillment', 'poller', true, null, true],
      ['etsy-receipts', 'poller', true, null, true],
      ['woocommerce-rest', 'poller', true, null, true],
    ]);
  });

  it("records an error answer as the source's last error and keeps its cursor", async () => {
    const cursorBefore = (await t.db.dataSource.query(`SELECT cursor FROM sources WHERE name = 'etsy-receipts'`))[0]
      .cursor;
    expect(cursorBefore).toMatch(/^\d{4}-\d\d-\d\dT/);
    etsyFails = true;
    const pollers = t.app.get(OrderPollersService);
    pollers.replaceSource(
      new EtsySource(
        { apiUrl: `${base}/etsy`, apiKey: 'etsy-key', shopId: '777', accessToken: 'etsy-token' },
        // The answer is an immediate 401; the timeout only bounds a hang on a loaded machine.
        { retries: 1, maxWaitMs: 10, timeoutMs: 120_000 },
      ),
    );
    const result = await pollers.poll('etsy-receipts');
    etsyFails = false;
    expect(result.error).toMatch(
      /^127\.0\.0\.1:\d+\/etsy\/v3\/application\/shops\/777\/receipts: HTTP 401 \{"error":"invalid_token"\}$/,
    );
    const res = await t.as('admin').get('/api/sources').expect(200);
    const etsy = (res.body as SourcesResponse).sources.find((s) => s.name === 'etsy-receipts')!;
    expect(etsy.lastError).toBe(result.error);
    expect(etsy.lastErrorAt).not.toBeNull();
    const [{ cursor }] = await t.db.dataSource.query(`SELECT cursor FROM sources WHERE name = 'etsy-receipts'`);
    expect(cursor).toBe(cursorBefore);
  });
});
