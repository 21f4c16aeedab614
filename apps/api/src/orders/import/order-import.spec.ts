import { join } from 'node:path';
import type { OrderImportResponse, SourcesResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../../test/test-app';
import { truncate } from '../../../test/test-database';
import { DomainEvents } from '../../realtime/domain-events';
import {
  shopifyDelivery,
  shopifySampleBody,
  SHOPIFY_SECRET,
  wooDelivery,
  wooOrder,
  WOO_SECRET,
} from '../fixtures/webhook-fixtures';

const FIXTURES = join(__dirname, '..', 'fixtures');

describe('POST /api/import/orders (integration)', () => {
  let t: TestApp;
  let events: string[];

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
        WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET,
        BASE_CURRENCY: 'USD',
        // The WooCommerce site is connected (its poller never runs here), so its exports need not name it.
        WOOCOMMERCE_URL: 'https://books.harbourquill.example/',
        WOOCOMMERCE_CONSUMER_KEY: 'ck_unused',
        WOOCOMMERCE_CONSUMER_SECRET: 'cs_unused',
      },
    });
    t.app.get(DomainEvents).events$.subscribe((event) => {
      if (event.name.startsWith('order.')) events.push(event.name);
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    events = [];
    await truncate(t.db, 'orders', 'refunds', 'webhook_deliveries', 'sources', 'fx_rates');
  });

  const upload = (files: string[], store?: string) => {
    let req = t.as('admin').post('/api/import/orders');
    for (const file of files) req = req.attach('files', join(FIXTURES, file));
    if (store) req = req.field('store', store);
    return req;
  };
  const snapshot = () =>
    t.db.dataSource.query(`
      SELECT o.platform, o.store, o.external_id, o.total, o.currency, o.base_total, o.status, o.country, o.updated_at,
             coalesce(json_agg(json_build_object('id', r.external_id, 'amount', r.amount) ORDER BY r.external_id) FILTER (WHERE r.id IS NOT NULL), '[]') AS refunds
      FROM orders o LEFT JOIN refunds r ON r.order_id = o.id
      GROUP BY o.id ORDER BY o.platform, o.external_id`);

  it('requires authentication, and the admin role', async () => {
    // Without a file: the guard answers before any body is read, and a client still sending one can
    // have the connection closed under its write (EPIPE) instead of reading the answer.
    await t.anonymous().post('/api/import/orders').expect(401);
    await t.as('viewer').post('/api/import/orders').expect(403);
    await t.anonymous().get('/api/sources').expect(401);
    expect(await snapshot()).toEqual([]);
  });

  it('imports each platform export and reports per file what it did', async () => {
    const res = await upload([
      'shopify-orders-export.csv',
      'woocommerce-orders-export.csv',
      'EtsySoldOrders2025-5.csv',
      'amazon-all-orders.txt',
      'ebay-orders-report.csv',
    ]).expect(200);
    expect((res.body as OrderImportResponse).files).toEqual([
      {
        file: 'shopify-orders-export.csv',
        platform: 'shopify',
        rows: 5,
        inserted: 4,
        updated: 0,
        skipped: 0,
        errors: [],
      },
      {
        file: 'woocommerce-orders-export.csv',
        platform: 'woocommerce',
        rows: 3,
        inserted: 3,
        updated: 0,
        skipped: 0,
        errors: [],
      },
      { file: 'EtsySoldOrders2025-5.csv', platform: 'etsy', rows: 3, inserted: 3, updated: 0, skipped: 0, errors: [] },
      { file: 'amazon-all-orders.txt', platform: 'amazon', rows: 5, inserted: 4, updated: 0, skipped: 0, errors: [] },
      { file: 'ebay-orders-report.csv', platform: 'ebay', rows: 4, inserted: 2, updated: 0, skipped: 0, errors: [] },
    ]);
    const [counts] = await t.db.dataSource.query(
      `SELECT count(*)::int AS orders, count(*) FILTER (WHERE counted)::int AS counted, (SELECT sum(amount)::text FROM refunds) AS refunded FROM orders`,
    );
    // Refunds: Shopify #1012 10.00 + WooCommerce 2382 12.99 + Etsy 3456789013 12.00; four cancelled orders
    // (one of them Amazon's whose only item was cancelled) and the unpriced Amazon Pending order do not count.
    expect(counts).toEqual({ orders: 16, counted: 11, refunded: '34.99' });
    expect(events.filter((e) => e === 'order.created')).toHaveLength(11);
  });

  it('changes nothing when the same file is imported twice', async () => {
    const files = [
      'shopify-orders-export.csv',
      'woocommerce-orders-export.csv',
      'EtsySoldOrders2025-5.csv',
      'amazon-all-orders.txt',
      'ebay-orders-report.csv',
    ];
    await upload(files).expect(200);
    const before = await snapshot();
    const eventsBefore = events.length;
    const again = (await upload(files).expect(200)).body as OrderImportResponse;
    expect(again.files.map((f) => [f.inserted, f.updated, f.skipped])).toEqual([
      [0, 0, 4],
      [0, 0, 3],
      [0, 0, 3],
      [0, 0, 4],
      [0, 0, 2],
    ]);
    expect(await snapshot()).toEqual(before);
    expect(events.length).toBe(eventsBefore);
  });

  // xmin changes whenever a row is written: equal snapshots mean the second import rewrote no line.
  const lineSnapshot = () =>
    t.db.dataSource.query(`
      SELECT o.platform, o.external_id, l.position, l.title, l.variant, l.sku, l.quantity, l.unit_price::text,
             l.line_total::text, l.base_line_total::text, l.xmin::text AS version
      FROM order_lines l JOIN orders o ON o.id = l.order_id ORDER BY 1, 2, 3`);

  it('stores the lines of every export, converted like their order, and a second import rewrites none', async () => {
    await t.db.dataSource.query(
      `INSERT INTO fx_rates (day, currency, base_currency, rate, source) VALUES ('2025-05-01', 'CAD', 'USD', 0.72, 'api')`,
    );
    const files = ['shopify-orders-export.csv', 'amazon-all-orders.txt', 'ebay-orders-report.csv'];
    await upload(files).expect(200);
    const lines = await lineSnapshot();
    expect(
      lines.map((l: Record<string, unknown>) => [l.external_id, l.position, l.line_total, l.base_line_total]),
    ).toEqual([
      ['111-1234567-1234567', 1, '60.00', '60.00'],
      ['202-7654321-7654321', 1, null, null],
      ['07-12843-55021', 1, '40.00', '40.00'],
      // GBP without a rate: left unconverted, like the order.
      ['12-12999-00001', 1, '12.00', null],
      ['12-12999-00001', 2, '40.00', null],
      ['6231859900001', 1, '33.00', '33.00'],
      ['6231859900002', 1, '20.00', '20.00'],
      // CAD at 0.72, like its order's 60.00 → 43.20.
      ['6231859900003', 1, '60.00', '43.20'],
      ['6231859937601', 1, '32.00', '32.00'],
      ['6231859937601', 2, '48.00', '48.00'],
    ]);
    await upload(files).expect(200);
    expect(await lineSnapshot()).toEqual(lines);
  });

  it.each([
    ['Sold Orders first', ['EtsySoldOrders2025-5.csv', 'EtsySoldOrderItems2025-5.csv']],
    ['Sold Order Items first', ['EtsySoldOrderItems2025-5.csv', 'EtsySoldOrders2025-5.csv']],
  ])('pairs an Etsy Sold Orders file with its Sold Order Items file in one upload (%s)', async (_order, files) => {
    const res = await upload(files).expect(200);
    const report = (name: string) => (res.body as OrderImportResponse).files.find((f) => f.file === name);
    // The Orders file's orders take their lines from the Items file; 3456789015 is only in the Items file.
    expect(report('EtsySoldOrders2025-5.csv')).toEqual({
      file: 'EtsySoldOrders2025-5.csv',
      platform: 'etsy',
      rows: 3,
      inserted: 3,
      updated: 0,
      skipped: 0,
      errors: [],
    });
    expect(report('EtsySoldOrderItems2025-5.csv')).toEqual({
      file: 'EtsySoldOrderItems2025-5.csv',
      platform: 'etsy',
      rows: 4,
      inserted: 1,
      updated: 0,
      skipped: 0,
      errors: [],
    });
    const orders = await t.db.dataSource.query(`
      SELECT o.external_id, o.total::text, o.status, count(l.position)::int AS lines, string_agg(l.title, ' | ' ORDER BY l.position) AS titles
      FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id GROUP BY o.id ORDER BY o.external_id`);
    expect(orders).toEqual([
      {
        external_id: '3456789012',
        total: '34.50',
        status: 'paid',
        lines: 2,
        titles: 'The Salt Road | Tidewater: Poems',
      },
      { external_id: '3456789013', total: '30.00', status: 'partially_refunded', lines: 1, titles: 'Lanterns of Kell' },
      { external_id: '3456789014', total: '22.00', status: 'paid', lines: 0, titles: null },
      { external_id: '3456789015', total: '41.50', status: 'paid', lines: 1, titles: 'The Salt Road' },
    ]);
    // The Sold Orders file again on its own tells no lines: it leaves them as they are.
    const before = await lineSnapshot();
    const again = await upload(['EtsySoldOrders2025-5.csv']).expect(200);
    expect(again.body.files[0]).toMatchObject({ inserted: 0, updated: 0, skipped: 3 });
    expect(await lineSnapshot()).toEqual(before);
  });

  it('adds the lines of a Sold Order Items file uploaded after its Sold Orders file', async () => {
    await upload(['EtsySoldOrders2025-5.csv']).expect(200);
    expect(await lineSnapshot()).toEqual([]);
    const res = await upload(['EtsySoldOrderItems2025-5.csv']).expect(200);
    expect(res.body.files[0]).toMatchObject({ platform: 'etsy', rows: 4, inserted: 1, updated: 2, skipped: 0 });
    expect(
      (await lineSnapshot()).map((l: Record<string, unknown>) => [l.external_id, l.position, l.sku, l.quantity]),
    ).toEqual([
      ['3456789012', 1, 'SR-PB-002', 1],
      ['3456789012', 2, 'TW-PO-003', 2],
      ['3456789013', 1, 'LK-SE-004', 1],
      ['3456789015', 1, '9780306406157', 2],
    ]);
  });

  it('writes nothing from a file with a bad row and names the row and column', async () => {
    const bad = Buffer.from(
      'order_id,order_date,status,order_total,order_currency\n1,2025-05-01 10:00:00,completed,10.00,USD\n2,2025-05-01 10:00:00,completed,ten,USD\n',
    );
    const res = await t.as('admin').post('/api/import/orders').attach('files', bad, 'orders.csv').expect(422);
    expect(res.body.files).toEqual([
      {
        file: 'orders.csv',
        platform: 'woocommerce',
        rows: 2,
        inserted: 0,
        updated: 0,
        skipped: 0,
        errors: [{ row: 3, column: 'order_total', message: 'order_total "ten" is not an amount' }],
      },
    ]);
    expect(await snapshot()).toEqual([]);
  });

  it('answers 400 without a file', async () => {
    await t.as('admin').post('/api/import/orders').field('store', 'x').expect(400);
  });

  it('meets the webhooks on the same rows: a Shopify export after the webhook adds the other orders only', async () => {
    await t
      .anonymous()
      .post('/api/webhooks/shopify')
      .set(shopifyDelivery(shopifySampleBody).headers)
      .send(shopifySampleBody)
      .expect(200);
    const res = await upload(['shopify-orders-export.csv']).expect(200);
    expect(res.body.files[0]).toMatchObject({ inserted: 3, updated: 0, skipped: 1 });
    const rows: Array<{ store: string; external_id: string }> = await t.db.dataSource.query(
      `SELECT store, external_id FROM orders ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { store: 'harbour-quill.myshopify.com', external_id: '6231859900001' },
      { store: 'harbour-quill.myshopify.com', external_id: '6231859900002' },
      { store: 'harbour-quill.myshopify.com', external_id: '6231859900003' },
      { store: 'harbour-quill.myshopify.com', external_id: '6231859937601' },
    ]);
  });

  it("lets a webhook's real refund replace an export's cumulative refunded amount instead of adding to it", async () => {
    await upload(['woocommerce-orders-export.csv'], 'https://books.harbourquill.example/').expect(200);
    const order = wooOrder({
      id: 2382,
      number: '2382',
      currency: 'USD',
      total: '30.00',
      status: 'completed',
      date_modified_gmt: '2025-05-20T10:00:00',
      refunds: [{ id: 2399, reason: '', total: '-12.99' }],
    });
    await t
      .anonymous()
      .post('/api/webhooks/woocommerce')
      .set(wooDelivery(order).headers)
      .send(wooDelivery(order).body)
      .expect(200);
    const refunds = await t.db.dataSource.query(
      `SELECT o.external_id AS order_id, r.external_id, r.amount FROM refunds r JOIN orders o ON o.id = r.order_id ORDER BY 1`,
    );
    expect(refunds).toEqual([{ order_id: '2382', external_id: '2399', amount: '12.99' }]);
    // Re-importing the export afterwards does not bring the stand-in back.
    await upload(['woocommerce-orders-export.csv'], 'https://books.harbourquill.example/').expect(200);
    expect(await t.db.dataSource.query(`SELECT external_id, amount FROM refunds`)).toEqual([
      { external_id: '2399', amount: '12.99' },
    ]);
  });

  it('records the import in GET /api/sources', async () => {
    await upload(['EtsySoldOrders2025-5.csv']).expect(200);
    const res = await t.as('admin').get('/api/sources').expect(200);
    const sources = (res.body as SourcesResponse).sources;
    expect(sources.map((s) => [s.name, s.platform, s.kind, s.lastError])).toEqual([
      ['etsy-import', 'etsy', 'import', null],
    ]);
    expect(sources[0]!.lastSuccessAt).not.toBeNull();
  });
});
