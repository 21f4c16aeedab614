import type { UploadFileResult, UploadResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { shopifyOrder } from '../orders/fixtures/webhook-fixtures';
import { WRITE_CHUNK_BYTES, WRITE_CHUNK_ORDERS } from '../orders/import/order-import.service';
import { NormalizedOrder } from '../orders/normalized-order';
import { OrdersTransaction } from '../orders/orders.repository';

/** Orders of the Sold Orders file: more than two write chunks. */
const ORDERS = 1_200;
/** Orders 1…WITH_ITEMS have two items in the Items file; the rest of the Orders file has none. */
const WITH_ITEMS = 1_000;
/** Orders found only in the Items file, one item each. */
const ITEMS_ONLY = 50;
/** Orders of a JSON answer: more than fit in one write chunk's bytes. */
const JSON_ORDERS = 450;
const id = (n: number) => String(5_000_000_000 + n);

/** An Etsy Sold Orders file of `ORDERS` orders of 20.00. */
function soldOrders(): Buffer {
  const rows = ['Sale Date,Order ID,Ship Country,Currency,Order Total,Status'];
  for (let n = 1; n <= ORDERS; n++) rows.push(`05/14/25,${id(n)},United Kingdom,GBP,20.00,Completed`);
  return Buffer.from(`${rows.join('\n')}\n`);
}

/**
 * Its Sold Order Items file: every first item, then every second item (an order's rows far apart), then
 * the orders of the Items file alone. `badRow`: the file line whose price is unreadable.
 */
function soldOrderItems(badRow?: number): Buffer {
  const rows = [
    'Sale Date,Order ID,Item Name,Transaction ID,Listing ID,Quantity,Price,Item Total,Currency,Date Paid,Ship Country,SKU',
  ];
  const item = (n: number, t: number, name: string, quantity: number, price: string) =>
    `05/14/25,${id(n)},${name},${id(n)}${t},15000000${t},${quantity},${rows.length + 1 === badRow ? 'ten' : price},,GBP,05/14/25,United Kingdom,SKU-${t}`;
  for (let n = 1; n <= WITH_ITEMS; n++) rows.push(item(n, 1, 'The Salt Road', 1, '10.00'));
  for (let n = 1; n <= WITH_ITEMS; n++) rows.push(item(n, 2, 'Tidewater: Poems', 2, '5.00'));
  for (let n = ORDERS + 1; n <= ORDERS + ITEMS_ONLY; n++) rows.push(item(n, 1, 'The Salt Road', 1, '12.00'));
  return Buffer.from(`${rows.join('\n')}\n`);
}

/** SPEC §9 / issue 12: an Etsy pair and JSON answers stream from disk into one transaction each, all or nothing. */
describe('Etsy pairs and JSON answers streamed (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => truncate(t.db, 'orders', 'refunds', 'upload_log', 'sources'));
  afterEach(() => jest.restoreAllMocks());

  /** What each statement batch wrote: the orders of one upload are never held, or written, all at once. */
  const writesOf = () => {
    const batches: NormalizedOrder[][] = [];
    const upsert = OrdersTransaction.prototype.upsertOrders;
    jest.spyOn(OrdersTransaction.prototype, 'upsertOrders').mockImplementation(function (
      this: OrdersTransaction,
      orders,
    ) {
      batches.push(orders);
      return upsert.call(this, orders);
    });
    return batches;
  };
  const upload = async (files: Array<[string, Buffer]>) => {
    let req = t.as('admin').post('/api/upload');
    for (const [name, content] of files) req = req.attach('files', content, name);
    const res = await req;
    return { status: res.status, files: (res.body as UploadResponse).files };
  };
  const stored = async () =>
    (
      await t.db.dataSource.query(`
        SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_lines) AS lines,
               (SELECT count(*)::int FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)) AS "withoutLines",
               (SELECT sum(total)::text FROM orders) AS total`)
    )[0] as { orders: number; lines: number; withoutLines: number; total: string };
  const report = (r: UploadFileResult) => [r.name, r.status, r.recognised, r.rows, r.inserted, r.updated, r.errors];

  it.each([
    ['Sold Orders first', ['EtsySoldOrders.csv', 'EtsySoldOrderItems.csv']],
    ['Sold Order Items first', ['EtsySoldOrderItems.csv', 'EtsySoldOrders.csv']],
  ])('joins a Sold Orders file and its Items file through the staging table (%s), chunk by chunk', async (_, names) => {
    const content: Record<string, Buffer> = {
      'EtsySoldOrders.csv': soldOrders(),
      'EtsySoldOrderItems.csv': soldOrderItems(),
    };
    const batches = writesOf();
    const res = await upload(names.map((name) => [name, content[name]!]));
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.files.map((file) => [file.name, report(file)]));
    expect(byName).toEqual({
      'EtsySoldOrders.csv': [
        'EtsySoldOrders.csv',
        'imported',
        'Etsy Sold Orders file, 1,200 orders',
        ORDERS,
        ORDERS,
        0,
        [],
      ],
      'EtsySoldOrderItems.csv': [
        'EtsySoldOrderItems.csv',
        'imported',
        'Etsy Sold Order Items file, 2,050 items in 1,050 orders',
        2 * WITH_ITEMS + ITEMS_ONLY,
        ITEMS_ONLY,
        0,
        [],
      ],
    });
    // Each order once, in batches of at most one write chunk.
    expect(batches.flat().length).toBe(ORDERS + ITEMS_ONLY);
    expect(Math.max(...batches.map((batch) => batch.length))).toBe(WRITE_CHUNK_ORDERS);
    expect(await stored()).toEqual({
      orders: ORDERS + ITEMS_ONLY,
      lines: 2 * WITH_ITEMS + ITEMS_ONLY,
      withoutLines: ORDERS - WITH_ITEMS,
      // The Orders file's totals, and the Items-only orders' items.
      total: (ORDERS * 20 + ITEMS_ONLY * 12).toFixed(2),
    });
    const [order] = await t.db.dataSource.query(
      `SELECT array_agg(l.title || ' ×' || l.quantity ORDER BY l.position) AS lines FROM orders o
       JOIN order_lines l ON l.order_id = o.id WHERE o.external_id = $1`,
      [id(WITH_ITEMS)],
    );
    expect(order.lines).toEqual(['The Salt Road ×1', 'Tidewater: Poems ×2']);
  });

  it('imports the Sold Orders file alone when its Items file has a bad row, and nothing of the Items file', async () => {
    // The second item of order 300: the header, the first items, then the second items.
    const badRow = 1 + WITH_ITEMS + 300;
    const res = await upload([
      ['EtsySoldOrderItems.csv', soldOrderItems(badRow)],
      ['EtsySoldOrders.csv', soldOrders()],
    ]);
    expect(res.status).toBe(200);
    expect(res.files.map(report)).toEqual([
      [
        'EtsySoldOrderItems.csv',
        'rejected',
        'Etsy Sold Order Items file, 2,050 items in 1,050 orders',
        2 * WITH_ITEMS + ITEMS_ONLY,
        0,
        0,
        [{ row: badRow, column: 'Price', message: 'Price "ten" is not an amount' }],
      ],
      ['EtsySoldOrders.csv', 'imported', 'Etsy Sold Orders file, 1,200 orders', ORDERS, ORDERS, 0, []],
    ]);
    expect(await stored()).toEqual({
      orders: ORDERS,
      lines: 0,
      withoutLines: ORDERS,
      total: (ORDERS * 20).toFixed(2),
    });
  });

  const jsonOrders = Array.from({ length: JSON_ORDERS }, (_, i) =>
    JSON.stringify(shopifyOrder({ id: 9_100_000_000_000 + i, name: `#J${i + 1}` })),
  );
  const shopifyJson = (tail = ']}') => Buffer.from(`{"orders": [${jsonOrders.join(',\n')}${tail}`);

  it('reads a JSON answer of many orders element by element and writes it in chunks of at most 256 kB of it', async () => {
    const batches = writesOf();
    const res = await upload([['orders.json', shopifyJson()]]);
    expect(res.status).toBe(200);
    expect(res.files.map(report)).toEqual([
      ['orders.json', 'imported', 'JSON file of Shopify orders, 450 orders', JSON_ORDERS, JSON_ORDERS, 0, []],
    ]);
    // A chunk ends with the order that takes it to WRITE_CHUNK_BYTES of the file.
    const expected: number[] = [];
    let bytes = 0;
    let size = 0;
    for (const order of jsonOrders) {
      bytes += Buffer.byteLength(order);
      if (++size < WRITE_CHUNK_ORDERS && bytes < WRITE_CHUNK_BYTES) continue;
      expected.push(size);
      [bytes, size] = [0, 0];
    }
    if (size) expected.push(size);
    expect(expected.length).toBeGreaterThan(2);
    expect(batches.map((batch) => batch.length)).toEqual(expected);
    const lines = (shopifyOrder().line_items as unknown[]).length;
    expect(await stored()).toMatchObject({ orders: JSON_ORDERS, lines: JSON_ORDERS * lines, withoutLines: 0 });
  });

  it.each([
    [
      'an order its parser refuses',
      shopifyJson(`,\n${JSON.stringify(shopifyOrder({ id: 9_200_000_000_000, currency: 'dollars' }))}]}`),
      [{ row: JSON_ORDERS + 1, column: 'currency', message: expect.stringMatching(/^order 451: currency /) }],
    ],
    [
      'the end cut off',
      shopifyJson(',\n{"id": 1,'),
      [
        {
          row: null,
          column: null,
          message: 'orders.json is not valid JSON: it ends before its last value is complete (was it cut short?)',
        },
      ],
    ],
    [
      'a stray character near the end',
      shopifyJson(']}}'),
      [
        {
          row: null,
          column: null,
          message: `orders.json is not valid JSON: it breaks off or has a stray character at line ${JSON_ORDERS}, column ${
            jsonOrders.at(-1)!.length + 3
          }`,
        },
      ],
    ],
  ])('writes nothing of a JSON answer with %s after chunks of it were written', async (_, content, errors) => {
    const batches = writesOf();
    const res = await upload([['orders.json', content]]);
    expect(res.status).toBe(422);
    expect(res.files[0]).toMatchObject({ status: 'rejected', inserted: 0, errors });
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(await stored()).toMatchObject({ orders: 0, lines: 0 });
  });
});
