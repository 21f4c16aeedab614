import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { OrderIngestService } from './order-ingest.service';
import { parseShopifyOrder } from './parsers/shopify.parser';
import {
  Delivery,
  shopifyDelivery,
  shopifyOrder,
  shopifyRefund,
  SHOPIFY_SECRET,
  wooDelivery,
  wooOrder,
  WOO_SECRET,
} from './fixtures/webhook-fixtures';

/**
 * The lines of an order through both write paths of the webhooks: the batched statement (deliveries
 * without refunds) and the transaction (with refunds). An accepted update replaces the lines whole; a
 * stale or unchanged one leaves them, row for row (xmin changes whenever a row is written).
 */
describe('order lines (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET, BASE_CURRENCY: 'USD' },
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await truncate(t.db, 'orders', 'refunds', 'webhook_deliveries', 'fx_rates');
  });

  const send = async (path: string, delivery: Delivery): Promise<string> =>
    (await t.anonymous().post(`/api/webhooks/${path}`).set(delivery.headers).send(delivery.body).expect(200)).body
      .outcome;
  const lines = () =>
    t.db.dataSource.query(`
      SELECT l.position, l.external_id, l.title, l.variant, l.sku, l.gtin, l.product_id, l.quantity, l.unit_price::text,
             l.line_total::text, l.refunded_amount::text, l.refunded_quantity, l.base_line_total::text,
             l.base_refunded_amount::text, l.xmin::text AS version
      FROM order_lines l ORDER BY l.order_id, l.position`);
  const sample = shopifyOrder();
  const [salt, lanterns] = sample['line_items'] as Array<Record<string, unknown>>;

  it('stores the lines of a delivery, and replaces them whole with an accepted update only', async () => {
    expect(await send('shopify', shopifyDelivery(sample))).toBe('inserted');
    const stored = await lines();
    expect(stored.map(({ version: _version, ...line }: Record<string, unknown>) => line)).toEqual([
      {
        position: 1,
        external_id: '15893047124289',
        title: 'The Salt Road',
        variant: 'Hardcover',
        sku: 'SR-HC-001',
        gtin: null,
        product_id: '8420113547585',
        quantity: 1,
        unit_price: '32.00',
        line_total: '28.80',
        refunded_amount: '0.00',
        refunded_quantity: 0,
        base_line_total: '28.80',
        base_refunded_amount: '0.00',
      },
      {
        position: 2,
        external_id: '15893047157057',
        title: 'Lanterns of Kell',
        variant: 'Signed Edition',
        sku: 'LK-SE-004',
        gtin: null,
        product_id: '8420117446977',
        quantity: 2,
        unit_price: '24.00',
        line_total: '43.20',
        refunded_amount: '0.00',
        refunded_quantity: 0,
        base_line_total: '43.20',
        base_refunded_amount: '0.00',
      },
    ]);

    // The same snapshot again (another delivery id): nothing is rewritten.
    expect(await send('shopify', shopifyDelivery(sample, { topic: 'orders/updated' }))).toBe('unchanged');
    expect(await lines()).toEqual(stored);

    // An older snapshot with other lines is ignored, lines included.
    const older = shopifyOrder({ updated_at: '2025-05-14T09:00:00-04:00', line_items: [lanterns, salt, salt] });
    expect(await send('shopify', shopifyDelivery(older, { topic: 'orders/updated' }))).toBe('stale');
    expect(await lines()).toEqual(stored);

    // Only the lines changed (same updated_at, same totals): an update, and the lines are exactly the new ones.
    const edited = shopifyOrder({ line_items: [{ ...lanterns, quantity: 3 }] });
    expect(await send('shopify', shopifyDelivery(edited, { topic: 'orders/updated' }))).toBe('updated');
    expect(
      (await lines()).map((l: Record<string, unknown>) => [l.position, l.external_id, l.quantity, l.line_total]),
    ).toEqual([[1, '15893047157057', 3, '67.20']]);
  });

  it('writes the lines with their refunds when the delivery goes through the transaction (it carries refunds)', async () => {
    expect(await send('shopify', shopifyDelivery(sample))).toBe('inserted');
    const refund = {
      ...shopifyRefund(501, sample['id'] as number, '21.60', '2025-05-20T10:00:00-04:00'),
      refund_line_items: [{ line_item_id: 15893047157057, quantity: 1, subtotal: 21.6 }],
    };
    const refunded = shopifyOrder({ updated_at: '2025-05-20T10:00:05-04:00', refunds: [refund] });
    expect(await send('shopify', shopifyDelivery(refunded, { topic: 'orders/updated' }))).toBe('updated');
    expect(
      (await lines()).map((l: Record<string, unknown>) => [
        l.external_id,
        l.refunded_amount,
        l.refunded_quantity,
        l.base_refunded_amount,
      ]),
    ).toEqual([
      ['15893047124289', '0.00', 0, '0.00'],
      ['15893047157057', '21.60', 1, '21.60'],
    ]);
    // A new order with a refund in its first delivery: inserted with its lines in the same transaction.
    const fresh = shopifyOrder({ id: 6231859937999, name: '#1099', refunds: [{ ...refund, order_id: 6231859937999 }] });
    expect(await send('shopify', shopifyDelivery(fresh))).toBe('inserted');
    expect(await lines()).toHaveLength(4);
  });

  it("converts line amounts like the order's total: at the rate of the order's business day", async () => {
    await t.db.dataSource.query(
      `INSERT INTO fx_rates (day, currency, base_currency, rate, source) VALUES ('2025-05-16', 'EUR', 'USD', 1.1, 'api')`,
    );
    const order = wooOrder({ currency: 'EUR' });
    expect(await send('woocommerce', wooDelivery(order))).toBe('inserted');
    const [stored] = await t.db.dataSource.query(`SELECT total::text, base_total::text FROM orders`);
    expect(stored).toEqual({ total: '42.43', base_total: '46.67' });
    expect((await lines()).map((l: Record<string, unknown>) => [l.title, l.line_total, l.base_line_total])).toEqual([
      ['The Salt Road (Paperback)', '25.98', '28.58'],
      ['Tidewater: Poems', '11.50', '12.65'],
    ]);
  });

  it('takes the last copy of an order that comes twice in one batch (a poller page), lines included', async () => {
    const first = parseShopifyOrder(sample, 's');
    const second = parseShopifyOrder(shopifyOrder({ line_items: [lanterns] }), 's');
    const changes = await t.app.get(OrderIngestService).ingestBatch([first, second]);
    expect(changes.map((c) => c.result)).toEqual(['inserted', 'updated']);
    expect((await lines()).map((l: Record<string, unknown>) => [l.position, l.external_id])).toEqual([
      [1, '15893047157057'],
    ]);
  });

  it('deletes the lines with their order', async () => {
    expect(await send('shopify', shopifyDelivery(sample))).toBe('inserted');
    await t.db.dataSource.query(`DELETE FROM orders`);
    expect(await lines()).toEqual([]);
  });
});
