import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { OrderPollersService } from './pollers/order-pollers.service';
import { signStandardWebhook, standardWebhookKey } from './webhooks/webhook-signature';

const FIXTURES = join(__dirname, 'fixtures');
const ETSY_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ETSY_KEY = standardWebhookKey(ETSY_SECRET)!;
const SHOP = '777';
const RECEIPT = '3456789012';
const NOW = '2025-06-30T12:00:00Z';

/** The fixture receipt (FORMATS.md §3.1), refunded £4.50 on 16 May. */
const receipt = {
  ...(JSON.parse(readFileSync(join(FIXTURES, 'etsy-receipt.json'), 'utf8')) as Record<string, unknown>),
  status: 'Partially Refunded',
  update_timestamp: 1747400100,
  updated_timestamp: 1747400100,
  refunds: [
    {
      amount: { amount: 450, divisor: 100, currency_code: 'GBP' },
      created_timestamp: 1747400000,
      reason: 'damaged',
      status: 'success',
    },
  ],
};

/** The same receipt as Shop Manager's Sold Orders download: the refund only as the adjusted total. */
const SOLD_ORDERS_HEADER = readFileSync(join(FIXTURES, 'EtsySoldOrders2025-5.csv'), 'utf8').split('\n')[0]!;
function soldOrdersCsv(): string {
  const values: Record<string, string> = {
    'Sale Date': '05/14/25',
    'Order ID': RECEIPT,
    'Number of Items': '2',
    'Ship Country': 'United Kingdom',
    Currency: 'GBP',
    'Order Value': '30.00',
    Shipping: '4.50',
    'Sales Tax': '0.00',
    'Order Total': '34.50',
    Status: 'Partially Refunded',
    'Adjusted Order Total': '30.00',
    'Order Type': 'online',
  };
  const columns = SOLD_ORDERS_HEADER.split(',');
  return `${SOLD_ORDERS_HEADER}\n${columns.map((c) => values[c] ?? '').join(',')}\n`;
}
/** Its Sold Order Items download: the fixture's two rows of this receipt. */
function soldOrderItemsCsv(): string {
  const [header, ...rows] = readFileSync(join(FIXTURES, 'EtsySoldOrderItems2025-5.csv'), 'utf8').split('\n');
  return `${header}\n${rows.filter((row) => row.includes(`,${RECEIPT},`)).join('\n')}\n`;
}

type Path = 'webhook' | 'poller' | 'import';
const ARRIVALS: Path[][] = [
  ['webhook', 'poller', 'import'],
  ['webhook', 'import', 'poller'],
  ['poller', 'webhook', 'import'],
  ['poller', 'import', 'webhook'],
  ['import', 'webhook', 'poller'],
  ['import', 'poller', 'webhook'],
];

/**
 * SPEC §2: one order is one row whichever way it arrived. The same Etsy receipt comes through an Etsy
 * webhook (which fetches it), the receipts poller and a Sold Orders + Sold Order Items upload, the
 * poller and webhook under the shop id and the upload under no store: in every order of arrival the
 * result is one order, one set of lines, its refund once, and the same figures.
 */
describe('one order whichever way it arrives (integration, local Etsy API)', () => {
  let t: TestApp;
  let server: Server;
  let base: string;
  let fetched: string[];
  let failReceipts = 0;

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', base);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers['x-api-key'] !== 'etsy-key' || req.headers.authorization !== 'Bearer etsy-token')
      return json(403, { error: 'forbidden' });
    if (url.pathname === `/etsy/v3/application/shops/${SHOP}/receipts`) {
      fetched.push('list');
      return json(200, { count: 1, results: [receipt] });
    }
    const one = /^\/etsy\/v3\/application\/shops\/777\/receipts\/(\d+)$/.exec(url.pathname);
    if (one) {
      fetched.push(one[1]!);
      if (failReceipts > 0) {
        failReceipts--;
        return json(503, { error: 'temporarily unavailable' });
      }
      return one[1] === RECEIPT ? json(200, receipt) : json(404, { error: `receipt ${one[1]} not found` });
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
        ETSY_SHOP_ID: SHOP,
        ETSY_ACCESS_TOKEN: 'etsy-token',
        ETSY_WEBHOOK_SECRET: ETSY_SECRET,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    fetched = [];
    failReceipts = 0;
    await truncate(t.db, 'orders', 'refunds', 'pending_refunds', 'webhook_deliveries', 'sources', 'fx_rates');
    await t.db.dataSource.query(
      `INSERT INTO fx_rates (day, currency, base_currency, rate, source) VALUES ('2025-05-10', 'GBP', 'USD', 1.25, 'api')`,
    );
  });

  let eventCounter = 0;
  const etsyEvent = (
    body: unknown,
    options: { id?: string; timestamp?: number; key?: Buffer } = {},
  ): { headers: Record<string, string>; body: string } => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const id = options.id ?? `msg_${process.pid}_${++eventCounter}`;
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    return {
      body: text,
      headers: {
        'Content-Type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': signStandardWebhook(id, timestamp, text, options.key ?? ETSY_KEY),
      },
    };
  };
  const orderPaid = (receiptId = RECEIPT, shop = SHOP) => ({
    event_type: 'order.paid',
    resource_url: `https://openapi.etsy.com/v3/application/shops/${shop}/receipts/${receiptId}`,
    shop_id: Number(shop),
  });
  const sendEtsy = (delivery: { headers: Record<string, string>; body: string }) =>
    t.anonymous().post('/api/webhooks/etsy').set(delivery.headers).send(delivery.body);

  const arrive: Record<Path, () => Promise<unknown>> = {
    webhook: async () => expect((await sendEtsy(etsyEvent(orderPaid())).expect(200)).body.ok).toBe(true),
    poller: async () => expect((await t.app.get(OrderPollersService).poll('etsy-receipts')).error).toBeNull(),
    import: async () => {
      const res = await t
        .as('admin')
        .post('/api/import/orders')
        .attach('files', Buffer.from(soldOrdersCsv()), 'EtsySoldOrders2025-5.csv')
        .attach('files', Buffer.from(soldOrderItemsCsv()), 'EtsySoldOrderItems2025-5.csv')
        .expect(200);
      expect(res.body.files.map((f: { errors: unknown[] }) => f.errors)).toEqual([[], []]);
    },
  };
  const stored = () =>
    t.db.dataSource.query(`
      SELECT o.platform, o.store, o.external_id, o.order_number, o.created_at, o.currency::text, o.total::text,
             o.base_total::text, o.country::text, o.status, o.counted, o.platform_updated_at,
             (SELECT json_agg(json_build_object('position', l.position, 'title', l.title, 'variant', l.variant, 'sku', l.sku,
                                                'quantity', l.quantity, 'lineTotal', l.line_total) ORDER BY l.position)
              FROM order_lines l WHERE l.order_id = o.id) AS lines,
             (SELECT json_agg(json_build_object('id', r.external_id, 'amount', r.amount, 'base', r.base_amount,
                                                'at', r.refunded_at) ORDER BY r.external_id)
              FROM refunds r WHERE r.order_id = o.id) AS refunds
      FROM orders o ORDER BY o.id`);
  const figures = async () => {
    const res = await t
      .as('viewer')
      .get('/api/comparison/range')
      .query({ from: '2025-05-01', to: '2025-05-31', now: NOW })
      .expect(200);
    return { orders: res.body.current.orders, revenue: res.body.current.revenue };
  };

  it.each(ARRIVALS)('%s, then %s, then %s: one order, one set of lines, the refund once', async (...paths) => {
    for (const path of paths) await arrive[path]();

    expect(await stored()).toEqual([
      {
        platform: 'etsy',
        store: SHOP,
        external_id: RECEIPT,
        order_number: RECEIPT,
        created_at: new Date('2025-05-14T10:00:00Z'),
        currency: 'GBP',
        total: '34.50',
        base_total: '43.13',
        country: 'GB',
        status: 'partially_refunded',
        counted: true,
        platform_updated_at: new Date(1747400100_000),
        lines: [
          {
            position: 1,
            title: 'The Salt Road',
            variant: 'Format: Paperback',
            sku: 'SR-PB-002',
            quantity: 1,
            lineTotal: 18,
          },
          {
            position: 2,
            title: 'Tidewater: Poems',
            variant: null,
            sku: '978-0-306-40615-7',
            quantity: 2,
            lineTotal: 12,
          },
        ],
        refunds: [{ id: '1747400000:4.50', amount: 4.5, base: 5.63, at: '2025-05-16T12:53:20+00:00' }],
      },
    ]);
    // 43.13 − 5.63 (the refund, on its own day, within May).
    expect(await figures()).toEqual({ orders: 1, revenue: 37.5 });
  });

  describe('POST /api/webhooks/etsy', () => {
    const deliveries = () => t.db.dataSource.query(`SELECT platform, delivery_id, topic FROM webhook_deliveries`);

    it('stores the receipt it names, fetched from the Etsy API, once per webhook-id', async () => {
      const event = etsyEvent(orderPaid(), { id: 'msg_same' });
      expect((await sendEtsy(event).expect(200)).body).toEqual({ ok: true, outcome: 'inserted' });
      expect((await sendEtsy(event).expect(200)).body).toEqual({ ok: true, outcome: 'duplicate' });
      expect(fetched).toEqual([RECEIPT]);
      expect((await stored()).map((o: { external_id: string }) => o.external_id)).toEqual([RECEIPT]);
      expect(await deliveries()).toEqual([{ platform: 'etsy', delivery_id: 'msg_same', topic: 'order.paid' }]);
    });

    it('refuses a wrong signature, another key and a missing header with 401, and stores and fetches nothing', async () => {
      const good = etsyEvent(orderPaid());
      await sendEtsy({ ...good, body: good.body.replace(RECEIPT, '3456789013') }).expect(401);
      await sendEtsy(etsyEvent(orderPaid(), { key: Buffer.alloc(24, 7) })).expect(401);
      const { ['webhook-signature']: _signature, ...unsigned } = good.headers;
      const res = await sendEtsy({ ...good, headers: unsigned }).expect(401);
      expect(res.body.message).toBe('invalid webhook signature');
      expect(fetched).toEqual([]);
      expect(await stored()).toEqual([]);
      expect(await deliveries()).toEqual([]);
    });

    it('refuses a correctly signed event whose timestamp is more than 5 minutes away (a replay)', async () => {
      // Ten minutes either way: outside the five whatever the time between signing and checking on a busy
      // machine (301 s ahead was accepted once the request took more than a second).
      const now = Math.floor(Date.now() / 1000);
      for (const timestamp of [now - 600, now + 600]) {
        const res = await sendEtsy(etsyEvent(orderPaid(), { timestamp })).expect(401);
        expect(res.body.message).toBe('webhook-timestamp is more than 5 minutes from now: replays are refused');
      }
      expect(fetched).toEqual([]);
      expect(await stored()).toEqual([]);
    });

    it('answers 502 when the receipt cannot be fetched, claims nothing, and stores it once when Etsy retries', async () => {
      failReceipts = 2; // the first attempt and its one quick retry
      const event = etsyEvent(orderPaid(), { id: 'msg_retried' });
      const res = await sendEtsy(event).expect(502);
      expect(res.body.message).toMatch(/^could not fetch Etsy receipt 3456789012: .*HTTP 503/);
      expect(await deliveries()).toEqual([]);
      expect(await stored()).toEqual([]);

      expect((await sendEtsy(event).expect(200)).body.outcome).toBe('inserted');
      expect((await sendEtsy(event).expect(200)).body.outcome).toBe('duplicate');
      expect(await stored()).toHaveLength(1);
      expect(fetched).toEqual([RECEIPT, RECEIPT, RECEIPT]);
    });

    it('ignores events of another shop and events that name no receipt', async () => {
      expect((await sendEtsy(etsyEvent(orderPaid(RECEIPT, '888'))).expect(200)).body.outcome).toBe('ignored');
      expect((await sendEtsy(etsyEvent({ event_type: 'shop.updated', shop_id: 777 })).expect(200)).body.outcome).toBe(
        'ignored',
      );
      expect(fetched).toEqual([]);
      expect(await stored()).toEqual([]);
    });

    it('answers a signed body that is not JSON with 400', async () => {
      const res = await sendEtsy(etsyEvent('{"event_type":')).expect(400);
      expect(res.body.message).toMatch(/^body is not valid JSON/);
    });
  });
});
