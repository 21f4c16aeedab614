import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientEventName, CountedStatusesResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { DomainEvents } from '../realtime/domain-events';
import { isMetricsPush } from '../realtime/metrics-push';
import {
  Delivery,
  moneySet,
  SHOP_DOMAIN,
  shopifyDelivery,
  shopifyOrder,
  shopifyRefund,
  SHOPIFY_SECRET,
  wooDelivery,
  wooOrder,
  WOO_SECRET,
} from './fixtures/webhook-fixtures';

const FIXTURES = join(__dirname, 'fixtures');
const ORDER_ID = 6231859937601;
const NOW = '2025-06-30T12:00:00Z';

/**
 * SPEC §2 "nothing that arrived is thrown away, nothing counts twice": refunds before their order,
 * deletions and restorations, a delivery retried after a failure mid-request, the counted statuses
 * setting, an admin removing an order, and exports meeting their webhooks whatever store they name.
 */
describe('orders from arrival to removal (integration)', () => {
  let t: TestApp;
  let events: ClientEventName[];

  beforeAll(async () => {
    t = await createTestApp({
      env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET, BASE_CURRENCY: 'USD' },
    });
    // What the ingest and the settings announce; not the computed figures MetricsPush sends after them,
    // whose moment depends on its timer and the machine (realtime.integration.spec covers those).
    t.app.get(DomainEvents).events$.subscribe((event) => {
      if (isMetricsPush(event)) return;
      if (event.name.startsWith('order.') || event.name === 'metrics.changed') events.push(event.name);
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    events = [];
    await truncate(
      t.db,
      'orders',
      'refunds',
      'pending_refunds',
      'order_audit',
      'webhook_deliveries',
      'sources',
      'fx_rates',
      'order_hourly_dirty',
    );
    // SPEC §2's default for WooCommerce, which one test changes.
    await t
      .as('admin')
      .put('/api/settings/counted-statuses')
      .send({ platform: 'woocommerce', notCounted: ['pending', 'failed', 'cancelled', 'trash'] })
      .expect(200);
    events = [];
  });

  const send = (path: 'shopify' | 'woocommerce', delivery: Delivery) =>
    t.anonymous().post(`/api/webhooks/${path}`).set(delivery.headers).send(delivery.body);
  const outcome = async (path: 'shopify' | 'woocommerce', delivery: Delivery) =>
    (await send(path, delivery).expect(200)).body.outcome as string;
  const orders = (): Promise<Array<{ external_id: string; store: string; counted: boolean; deleted: boolean }>> =>
    t.db.dataSource.query(
      `SELECT external_id, store, counted, deleted_at IS NOT NULL AS deleted FROM orders ORDER BY external_id, store`,
    );
  const refunds = (): Promise<Array<{ order: string; id: string; amount: string }>> =>
    t.db.dataSource.query(
      `SELECT o.external_id AS order, r.external_id AS id, r.amount::text FROM refunds r JOIN orders o ON o.id = r.order_id
       ORDER BY 1, 2`,
    );
  const pending = (): Promise<unknown[]> => t.db.dataSource.query(`SELECT * FROM pending_refunds`);
  const figures = async () => {
    const res = await t
      .as('viewer')
      .get('/api/comparison/range')
      .query({ from: '2025-05-01', to: '2025-05-31', now: NOW })
      .expect(200);
    return { orders: res.body.current.orders, revenue: res.body.current.revenue };
  };

  describe('a Shopify refund that arrives before its order', () => {
    const refund = shopifyRefund(555, ORDER_ID, '12.50', '2025-05-15T08:00:00-04:00');

    it('is kept, applied when the order arrives, and counted once whatever comes after', async () => {
      const early = shopifyDelivery(refund, { topic: 'refunds/create', webhookId: 'refund-555' });
      expect(await outcome('shopify', early)).toBe('pending_order');
      // Shopify's retry of the same delivery is a duplicate, and the refund still waits.
      expect(await outcome('shopify', early)).toBe('duplicate');
      expect(await pending()).toHaveLength(1);
      expect(await refunds()).toEqual([]);

      expect(await outcome('shopify', shopifyDelivery(shopifyOrder()))).toBe('inserted');
      expect(await refunds()).toEqual([{ order: String(ORDER_ID), id: '555', amount: '12.50' }]);
      expect(await pending()).toEqual([]);

      // The update that carries the same refund, and a second delivery of the refund, change nothing.
      const later = shopifyOrder({
        financial_status: 'partially_refunded',
        updated_at: '2025-05-15T08:00:01-04:00',
        refunds: [refund],
      });
      expect(await outcome('shopify', shopifyDelivery(later, { topic: 'orders/updated' }))).toBe('updated');
      expect(await outcome('shopify', shopifyDelivery(refund, { topic: 'refunds/create' }))).toBe('unchanged');
      expect(await refunds()).toEqual([{ order: String(ORDER_ID), id: '555', amount: '12.50' }]);
      expect(await figures()).toEqual({ orders: 1, revenue: 73.5 });
      // The order was announced once; the refund it arrived with changed nothing announced since.
      expect(events).toEqual(['order.created']);
    });

    it('gives the same refunds when the order comes first', async () => {
      await outcome('shopify', shopifyDelivery(shopifyOrder()));
      expect(await outcome('shopify', shopifyDelivery(refund, { topic: 'refunds/create' }))).toBe('updated');
      expect(await refunds()).toEqual([{ order: String(ORDER_ID), id: '555', amount: '12.50' }]);
      expect(await figures()).toEqual({ orders: 1, revenue: 73.5 });
    });

    it("keeps the shop-money amount of a refund paid in the buyer's currency, decided when the order arrives", async () => {
      const eur = {
        ...shopifyRefund(557, ORDER_ID, '29.48', '2025-05-16T08:00:00-04:00', 'EUR'),
        refund_line_items: [
          {
            line_item_id: 15893047124289,
            quantity: 1,
            subtotal: 29.48,
            subtotal_set: moneySet('32.00', 'USD', 'EUR'),
            total_tax_set: moneySet('0.00', 'USD', 'EUR'),
          },
        ],
      };
      expect(await outcome('shopify', shopifyDelivery(eur, { topic: 'refunds/create' }))).toBe('pending_order');
      await outcome('shopify', shopifyDelivery(shopifyOrder()));
      expect(await refunds()).toEqual([{ order: String(ORDER_ID), id: '557', amount: '32.00' }]);
    });

    it('is applied to an order that arrives by an export, where it replaces the export’s cumulative refund', async () => {
      await outcome('shopify', shopifyDelivery(refund, { topic: 'refunds/create' }));
      // The export says #1047 was refunded 12.50 in all: the stand-in that the real refund replaces.
      const exported = readFileSync(join(FIXTURES, 'shopify-orders-export.csv'), 'utf8').replace(
        `,0.00,Harbour & Quill Press,,,,,${ORDER_ID},`,
        `,12.50,Harbour & Quill Press,,,,,${ORDER_ID},`,
      );
      expect(exported).toContain(`,12.50,Harbour`);
      await t
        .as('admin')
        .post('/api/import/orders')
        .attach('files', Buffer.from(exported), 'orders_export.csv')
        .expect(200);
      expect((await refunds()).filter((r) => r.order === String(ORDER_ID))).toEqual([
        { order: String(ORDER_ID), id: '555', amount: '12.50' },
      ]);
      expect(await pending()).toEqual([]);
    });
  });

  it('stores a delivery retried after a failure mid-request once', async () => {
    // The request fails after its delivery id was claimed and its order written, before the commit.
    await t.db.dataSource.query(`
      CREATE FUNCTION fail_refund_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the server went away'; END $$`);
    await t.db.dataSource.query(
      `CREATE TRIGGER fail_refund_insert BEFORE INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION fail_refund_insert()`,
    );
    const refunded = shopifyOrder({
      financial_status: 'partially_refunded',
      refunds: [shopifyRefund(912, ORDER_ID, '20.00', '2025-05-20T09:59:00-04:00')],
    });
    const delivery = shopifyDelivery(refunded, { webhookId: 'crash-1' });
    try {
      await send('shopify', delivery).expect(500);
    } finally {
      await t.db.dataSource.query(`DROP TRIGGER fail_refund_insert ON refunds`);
      await t.db.dataSource.query(`DROP FUNCTION fail_refund_insert()`);
    }
    expect(await orders()).toEqual([]);
    expect(await t.db.dataSource.query(`SELECT * FROM webhook_deliveries`)).toEqual([]);

    expect(await outcome('shopify', delivery)).toBe('inserted');
    expect(await outcome('shopify', delivery)).toBe('duplicate');
    expect(await orders()).toHaveLength(1);
    expect(await refunds()).toEqual([{ order: String(ORDER_ID), id: '912', amount: '20.00' }]);
    expect(events).toEqual(['order.created']);
  });

  describe('WooCommerce order.deleted and order.restored', () => {
    const deleted = (id = 2381) => wooDelivery({ id }, { topic: 'order.deleted' });

    it('takes a deleted order out of the figures, keeps it so, and counts it again once restored', async () => {
      await outcome('woocommerce', wooDelivery(wooOrder({ currency: 'USD' })));
      expect(await figures()).toEqual({ orders: 1, revenue: 42.43 });

      expect(await outcome('woocommerce', deleted())).toBe('deleted');
      expect(await orders()).toEqual([
        { external_id: '2381', store: 'https://books.harbourquill.example', counted: false, deleted: true },
      ]);
      expect(await figures()).toEqual({ orders: 0, revenue: 0 });
      // A later update (the poller reading a stale copy, a late order.updated) does not bring it back.
      const update = wooOrder({ currency: 'USD', date_modified_gmt: '2025-05-20T00:00:00' });
      expect(await outcome('woocommerce', wooDelivery(update, { topic: 'order.updated' }))).toBe('updated');
      expect((await orders())[0]).toMatchObject({ counted: false, deleted: true });

      const restored = wooOrder({ currency: 'USD', date_modified_gmt: '2025-05-21T00:00:00' });
      expect(await outcome('woocommerce', wooDelivery(restored, { topic: 'order.restored' }))).toBe('updated');
      expect((await orders())[0]).toMatchObject({ counted: true, deleted: false });
      expect(await figures()).toEqual({ orders: 1, revenue: 42.43 });
      expect(events).toEqual(['order.created', 'order.updated', 'order.created']);
      expect(
        await t.db.dataSource.query(
          `SELECT action, platform, store, external_id, done_by FROM order_audit ORDER BY id`,
        ),
      ).toEqual([
        {
          action: 'deleted',
          platform: 'woocommerce',
          store: 'https://books.harbourquill.example',
          external_id: '2381',
          done_by: 'woocommerce order.deleted',
        },
        {
          action: 'restored',
          platform: 'woocommerce',
          store: 'https://books.harbourquill.example',
          external_id: '2381',
          done_by: 'woocommerce order.restored',
        },
      ]);
    });

    it('deletes only the order of the sending site, and says so when it has none', async () => {
      await outcome('woocommerce', wooDelivery(wooOrder()));
      await outcome('woocommerce', wooDelivery(wooOrder(), { source: 'https://audio.harbourquill.example/' }));
      expect(
        await outcome(
          'woocommerce',
          wooDelivery({ id: 2381 }, { topic: 'order.deleted', source: 'https://audio.harbourquill.example/' }),
        ),
      ).toBe('deleted');
      expect(await outcome('woocommerce', deleted(9999))).toBe('not_stored');
      expect(await orders()).toEqual([
        { external_id: '2381', store: 'https://audio.harbourquill.example', counted: false, deleted: true },
        { external_id: '2381', store: 'https://books.harbourquill.example', counted: true, deleted: false },
      ]);
    });

    it('refuses an unsigned deletion with 401 and a deletion without an id with 400', async () => {
      const delivery = deleted();
      const { ['X-WC-Webhook-Signature']: _s, ...unsigned } = delivery.headers;
      await outcome('woocommerce', wooDelivery(wooOrder()));
      await send('woocommerce', { body: delivery.body, headers: unsigned }).expect(401);
      const res = await send('woocommerce', wooDelivery({ name: 'x' }, { topic: 'order.deleted' })).expect(400);
      expect(res.body.message).toBe('order id: is missing or not an id');
      expect((await orders())[0]).toMatchObject({ counted: true, deleted: false });
    });
  });

  describe('GET/PUT /api/settings/counted-statuses', () => {
    const woo = async () =>
      (
        (await t.as('viewer').get('/api/settings/counted-statuses').expect(200)).body as CountedStatusesResponse
      ).platforms.find((p) => p.platform === 'woocommerce');
    const put = (notCounted: string[], platform = 'woocommerce') =>
      t.as('admin').put('/api/settings/counted-statuses').send({ platform, notCounted });

    it("has SPEC §2's defaults", async () => {
      const res = await t.as('viewer').get('/api/settings/counted-statuses').expect(200);
      expect(res.body.platforms).toEqual([
        {
          platform: 'shopify',
          counted: ['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded'],
          notCounted: ['cancelled', 'voided'],
        },
        expect.objectContaining({ platform: 'etsy', notCounted: ['cancelled', 'voided'] }),
        {
          platform: 'woocommerce',
          counted: ['processing', 'on-hold', 'completed', 'refunded'],
          notCounted: ['cancelled', 'failed', 'pending', 'trash'],
        },
        expect.objectContaining({ platform: 'amazon', notCounted: ['cancelled', 'voided'] }),
        expect.objectContaining({ platform: 'ebay', notCounted: ['cancelled', 'voided'] }),
      ]);
    });

    it('counts a pending WooCommerce order only while the setting allows it, stored orders included', async () => {
      await outcome('woocommerce', wooDelivery(wooOrder({ id: 1, status: 'pending', currency: 'USD' })));
      await outcome(
        'woocommerce',
        wooDelivery(wooOrder({ id: 2, status: 'on-hold', currency: 'USD', total: '10.00' })),
      );
      expect(await orders()).toEqual([
        expect.objectContaining({ external_id: '1', counted: false }),
        expect.objectContaining({ external_id: '2', counted: true }),
      ]);
      expect(await figures()).toEqual({ orders: 1, revenue: 10 });

      const allowed = await put(['cancelled', 'failed', 'trash']).expect(200);
      expect(allowed.body.ordersChanged).toBe(1);
      expect(await woo()).toEqual({
        platform: 'woocommerce',
        counted: ['pending', 'processing', 'on-hold', 'completed', 'refunded'],
        notCounted: ['cancelled', 'failed', 'trash'],
      });
      expect((await orders()).map((o) => o.counted)).toEqual([true, true]);
      expect(await figures()).toEqual({ orders: 2, revenue: 52.43 });
      // New orders follow the setting as they arrive.
      await outcome('woocommerce', wooDelivery(wooOrder({ id: 3, status: 'pending', currency: 'USD', total: '1.00' })));
      expect((await orders()).map((o) => o.counted)).toEqual([true, true, true]);

      expect((await put(['cancelled', 'failed', 'pending', 'trash']).expect(200)).body.ordersChanged).toBe(2);
      expect((await orders()).map((o) => o.counted)).toEqual([false, true, false]);
      expect(await figures()).toEqual({ orders: 1, revenue: 10 });
      expect(events.filter((e) => e === 'metrics.changed')).toHaveLength(2);
    });

    it('takes a plugin’s own WooCommerce status, and refuses a status the platform does not have', async () => {
      await outcome('woocommerce', wooDelivery(wooOrder({ status: 'wc-awaiting-shipment' })));
      expect(
        (await put(['awaiting-shipment', 'cancelled', 'failed', 'pending', 'trash']).expect(200)).body.ordersChanged,
      ).toBe(1);
      expect((await orders())[0]).toMatchObject({ counted: false });
      const res = await put(['on_hold'], 'shopify').expect(400);
      expect(res.body.message).toBe(
        'notCounted: "on_hold" is not a shopify status (known: pending, authorized, partially_paid, paid, partially_refunded, refunded, voided, cancelled)',
      );
      await t.as('admin').put('/api/settings/counted-statuses').send({ platform: 'etsyy', notCounted: [] }).expect(400);
    });

    it('requires authentication, and the admin role to change', async () => {
      await t.anonymous().get('/api/settings/counted-statuses').expect(401);
      await t
        .as('viewer')
        .put('/api/settings/counted-statuses')
        .send({ platform: 'woocommerce', notCounted: [] })
        .expect(403);
      expect((await woo())!.notCounted).toEqual(['cancelled', 'failed', 'pending', 'trash']);
    });
  });

  describe('an admin removes an order that should not be there', () => {
    it('finds it by number, takes it out of the figures with an audit line, and a later delivery does not bring it back', async () => {
      await outcome('shopify', shopifyDelivery(shopifyOrder()));
      const found = await t.as('admin').get('/api/orders/find').query({ platform: 'shopify', ref: '1047' }).expect(200);
      expect(found.body.orders).toEqual([
        {
          id: expect.stringMatching(/^\d+$/),
          platform: 'shopify',
          store: SHOP_DOMAIN,
          externalId: String(ORDER_ID),
          orderNumber: '#1047',
          createdAt: '2025-05-14T13:12:44.000Z',
          total: '86.00',
          currency: 'USD',
          counted: true,
          deletedAt: null,
        },
      ]);
      const id = found.body.orders[0].id as string;
      const removed = await t.as('admin').delete(`/api/orders/${id}`).expect(200);
      expect(removed.body).toEqual({
        order: { ...found.body.orders[0], counted: false, deletedAt: expect.any(String) },
        auditId: expect.stringMatching(/^\d+$/),
      });
      expect(await figures()).toEqual({ orders: 0, revenue: 0 });
      expect(
        await t.db.dataSource.query(
          `SELECT id::text, action, platform, external_id, order_id::text, detail, done_by FROM order_audit`,
        ),
      ).toEqual([
        {
          id: removed.body.auditId,
          action: 'deleted',
          platform: 'shopify',
          external_id: String(ORDER_ID),
          order_id: id,
          detail: { orderNumber: '#1047', total: '86.00', currency: 'USD', reason: 'removed by an admin' },
          done_by: `admin@test.local (user ${t.users.admin.id})`,
        },
      ]);
      const update = shopifyOrder({ updated_at: '2025-05-21T10:00:00-04:00', note: 'changed' });
      await outcome('shopify', shopifyDelivery(update, { topic: 'orders/updated' }));
      expect(await figures()).toEqual({ orders: 0, revenue: 0 });
      expect(events).toEqual(['order.created', 'order.updated']);

      const again = await t.as('admin').delete(`/api/orders/${id}`).expect(404);
      expect(again.body.message).toBe(`order ${id} is not in the figures: unknown, or removed already`);
    });

    it('answers 404 for an unknown order, 400 for an id that is not one, 403 to a viewer and 401 to anyone else', async () => {
      await outcome('shopify', shopifyDelivery(shopifyOrder()));
      const [{ id }]: Array<{ id: string }> = await t.db.dataSource.query(`SELECT id::text FROM orders`);
      await t.as('admin').delete('/api/orders/999999').expect(404);
      await t.as('admin').delete('/api/orders/%231047').expect(400);
      await t.as('viewer').delete(`/api/orders/${id}`).expect(403);
      await t.as('viewer').get('/api/orders/find').query({ platform: 'shopify', ref: '1047' }).expect(403);
      await t.anonymous().delete(`/api/orders/${id}`).expect(401);
      await t.as('admin').get('/api/orders/find').query({ platform: 'shopfy', ref: '1047' }).expect(400);
      expect((await orders())[0]).toMatchObject({ counted: true, deleted: false });
    });
  });

  describe('exports meet their webhooks on the natural key', () => {
    it('a Shopify export imported while two shops are known does not add #1047 again', async () => {
      await outcome('shopify', shopifyDelivery(shopifyOrder()));
      await outcome(
        'shopify',
        shopifyDelivery(shopifyOrder({ id: 1, name: '#1' }), { shop: 'other-shop.myshopify.com' }),
      );
      const res = await t
        .as('admin')
        .post('/api/import/orders')
        .attach('files', join(FIXTURES, 'shopify-orders-export.csv'))
        .expect(200);
      expect(res.body.files[0]).toMatchObject({ inserted: 3, skipped: 1, errors: [] });
      const rows: Array<{ external_id: string }> = await t.db.dataSource.query(
        `SELECT external_id FROM orders WHERE external_id = $1`,
        [String(ORDER_ID)],
      );
      expect(rows).toHaveLength(1);
    });

    it('a WooCommerce export goes to the one known site, and must name its site when there are none or several', async () => {
      const upload = (store?: string, status = 200) => {
        const req = t
          .as('admin')
          .post('/api/import/orders')
          .attach('files', join(FIXTURES, 'woocommerce-orders-export.csv'));
        return (store ? req.field('store', store) : req).expect(status);
      };
      const unnamed = (await upload(undefined, 422)).body.files[0];
      expect(unnamed).toMatchObject({ platform: 'woocommerce', inserted: 0 });
      expect(unnamed.errors).toEqual([
        {
          row: 0,
          column: null,
          message:
            'store: this WooCommerce export does not say which site it comes from; send the site\'s address in the field "store"',
        },
      ]);
      expect(await orders()).toEqual([]);

      await outcome('woocommerce', wooDelivery(wooOrder()));
      const one = (await upload()).body.files[0];
      expect(one.errors).toEqual([]);
      const stores: Array<{ store: string }> = await t.db.dataSource.query(`SELECT DISTINCT store FROM orders`);
      expect(stores).toEqual([{ store: 'https://books.harbourquill.example' }]);

      await outcome(
        'woocommerce',
        wooDelivery(wooOrder({ id: 77 }), { source: 'https://audio.harbourquill.example/' }),
      );
      const several = (await upload(undefined, 422)).body.files[0];
      expect(several.errors[0].message).toBe(
        'store: this WooCommerce export does not say which site it comes from; send the site\'s address in the field "store" ' +
          '(known sites: https://audio.harbourquill.example, https://books.harbourquill.example)',
      );
      expect((await upload('https://audio.harbourquill.example/')).body.files[0].errors).toEqual([]);
    });
  });
});
