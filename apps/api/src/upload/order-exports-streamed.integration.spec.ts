import type { UploadResponse } from '@mt/contracts';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { shopifyDelivery, shopifyOrder, SHOPIFY_SECRET } from '../orders/fixtures/webhook-fixtures';
import { WRITE_CHUNK_ORDERS } from '../orders/import/order-import.service';
import { OrdersTransaction } from '../orders/orders.repository';

/** More orders than one write chunk holds, so that a file spans several. */
const ORDERS = 1_200;
/** #S999: the last order by key. */
const BAD = 998;
const HEADER = 'Name,Financial Status,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price\n';

/**
 * A Shopify export of `ORDERS` orders of two lines each; the second line of every order comes after all
 * first lines (rows of one order need not be adjacent). `bad`: the price of #S999, the order written last
 * (orders are written in key order), is unreadable.
 */
function shopifyExport(bad = false): Buffer {
  const first = Array.from(
    { length: ORDERS },
    (_, i) =>
      `#S${i + 1},paid,USD,30.00,2025-05-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00 -0400,1,The Salt Road,10.00\n`,
  );
  const second = Array.from(
    { length: ORDERS },
    (_, i) =>
      `#S${i + 1},,,,2025-05-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00 -0400,2,Lanterns of Kelp,${bad && i === BAD ? 'ten' : '10.00'}\n`,
  );
  return Buffer.from(HEADER + first.join('') + second.join(''));
}

/** SPEC §9 / issue 12: order exports of any size stream into their own transaction, all or nothing. */
describe('order exports streamed (integration)', () => {
  let t: TestApp;
  let uploads: string;
  const previousTmp = process.env.TMPDIR;

  beforeAll(async () => {
    // Multer's disk storage writes here: the spec sees that nothing of an upload stays behind.
    uploads = mkdtempSync(join(tmpdir(), 'mtink-uploads-'));
    process.env.TMPDIR = uploads;
    t = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET } });
  });
  afterAll(async () => {
    await t.close();
    process.env.TMPDIR = previousTmp;
    rmSync(uploads, { recursive: true, force: true });
  });
  beforeEach(() => truncate(t.db, 'orders', 'refunds', 'upload_log', 'webhook_deliveries'));
  afterEach(() => jest.restoreAllMocks());

  const counts = async () =>
    (
      await t.db.dataSource.query(
        `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_lines) AS lines`,
      )
    )[0] as { orders: number; lines: number };
  const send = (content: Buffer) => t.as('admin').post('/api/upload').attach('files', content, 'orders_export.csv');

  it('writes every order of a file that spans several write chunks, its lines gathered from anywhere in the file', async () => {
    const res = await send(shopifyExport());
    expect(res.status).toBe(200);
    expect((res.body as UploadResponse).files[0]).toMatchObject({
      status: 'imported',
      recognised: 'Shopify orders export, 1,200 orders',
      rows: 2 * ORDERS,
      inserted: ORDERS,
      errors: [],
    });
    expect(await counts()).toEqual({ orders: ORDERS, lines: 2 * ORDERS });
    const [order] = await t.db.dataSource.query(
      `SELECT o.total::text, array_agg(l.quantity ORDER BY l.quantity) AS quantities
       FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.order_number = '#S1200' GROUP BY o.total`,
    );
    expect(order).toEqual({ total: '30.00', quantities: [1, 2] });
    expect(readdirSync(uploads)).toEqual([]);
  });

  it('writes nothing of a file whose last order is bad, after chunks of it were written, and names row and column', async () => {
    const writes = jest.spyOn(OrdersTransaction.prototype, 'upsertOrders');
    const res = await send(shopifyExport(true));
    // Every full chunk before the bad order was written (then rolled back).
    expect(writes).toHaveBeenCalledTimes(Math.floor((ORDERS - 1) / WRITE_CHUNK_ORDERS));
    expect(res.status).toBe(422);
    expect((res.body as UploadResponse).files[0]).toMatchObject({
      status: 'rejected',
      rows: 2 * ORDERS,
      inserted: 0,
      errors: [{ row: ORDERS + 2 + BAD, column: 'Lineitem price', message: 'Lineitem price "ten" is not an amount' }],
    });
    expect(await counts()).toEqual({ orders: 0, lines: 0 });
    expect(readdirSync(uploads)).toEqual([]);
  });

  it('rejects a file the reader cannot finish, saying where, and writes nothing of it', async () => {
    const res = await send(Buffer.concat([shopifyExport(), Buffer.from('#S9999,paid,USD,"30.00\n')]));
    expect(res.status).toBe(422);
    const [file] = (res.body as UploadResponse).files;
    expect(file).toMatchObject({ status: 'rejected', inserted: 0 });
    expect(file!.errors).toEqual([
      { row: null, column: null, message: expect.stringMatching(/^CSV could not be read after record 2401: /) },
    ]);
    expect(await counts()).toEqual({ orders: 0, lines: 0 });
  });

  it('answers health and webhooks while a large upload holds its transaction open', async () => {
    // The upload is held after its first chunk of orders is written (its transaction open, rows locked):
    // ordering, not timing, shows that the probes were answered while it was under way.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const midway = new Promise<void>((resolve) => (reached = resolve));
    const upsert = OrdersTransaction.prototype.upsertOrders;
    let calls = 0;
    jest.spyOn(OrdersTransaction.prototype, 'upsertOrders').mockImplementation(async function (
      this: OrdersTransaction,
      orders,
    ) {
      const changes = await upsert.call(this, orders);
      if (++calls === 1 && orders.length === WRITE_CHUNK_ORDERS) {
        reached();
        await held;
      }
      return changes;
    });
    // The webhook's titles are in the catalogue already, as most are: one it does not have yet would wait
    // for the upload's catalogue lock (the upload creates its own new titles in its transaction) and be
    // answered 503 at the store deadline, to be sent again once the upload has finished.
    const known = shopifyDelivery(shopifyOrder({ id: 7_000_000, name: '#W0' }));
    expect((await t.anonymous().post('/api/webhooks/shopify').set(known.headers).send(known.body)).status).toBe(200);
    let finished = false;
    const upload = send(shopifyExport()).then((res) => {
      finished = true;
      return res;
    });
    await midway;

    let answers: unknown[];
    try {
      const health = await t.anonymous().get('/api/health');
      const delivery = shopifyDelivery(shopifyOrder({ id: 7_000_001, name: '#W1' }));
      const webhook = await t.anonymous().post('/api/webhooks/shopify').set(delivery.headers).send(delivery.body);
      answers = [health.status, webhook.status, webhook.body.outcome, finished];
    } finally {
      // Whatever the probes got, the upload goes on: held, it would keep the app from closing, and a
      // failure here would show as the close's timeout instead of what was answered.
      release();
    }
    expect(answers).toEqual([200, 200, 'inserted', false]);
    const res = await upload;
    expect(res.status).toBe(200);
    expect((await counts()).orders).toBe(ORDERS + 2);
  });
});
