import type { ClientEventName, OrderEvent } from '@mt/contracts';
import { createTestApp, TestApp } from '../../../test/test-app';
import { truncate } from '../../../test/test-database';
import { DomainEvents } from '../../realtime/domain-events';
import {
  Delivery,
  moneySet,
  SHOP_DOMAIN,
  shopifyDelivery,
  shopifyOrder,
  shopifyRefund,
  shopifySampleBody,
  shopifySampleSignature,
  shopifyTestNotificationBody,
  SHOPIFY_SECRET,
  wooDelivery,
  wooOrder,
  wooSampleBody,
  wooSampleSignature,
  WOO_SECRET,
} from '../fixtures/webhook-fixtures';

interface OrderRow {
  platform: string;
  store: string;
  external_id: string;
  order_number: string | null;
  created_at: Date;
  currency: string;
  total: string;
  base_total: string | null;
  country: string | null;
  status: string;
  test: boolean;
  counted: boolean;
}

describe('order webhooks (integration)', () => {
  let t: TestApp;
  let events: Array<{ name: ClientEventName; payload: unknown }>;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
        WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET,
        BASE_CURRENCY: 'USD',
        BUSINESS_TIMEZONE: 'Europe/Berlin',
      },
    });
    t.app.get(DomainEvents).events$.subscribe((event) => {
      if (event.name.startsWith('order.')) events.push(event);
    });
  });

  afterAll(() => t.close());

  beforeEach(async () => {
    events = [];
    await truncate(t.db, 'orders', 'refunds', 'pending_refunds', 'webhook_deliveries', 'fx_rates');
  });

  const send = (path: string, delivery: Delivery) =>
    t.anonymous().post(`/api/webhooks/${path}`).set(delivery.headers).send(delivery.body);
  const orders = (): Promise<OrderRow[]> =>
    t.db.dataSource.query('SELECT * FROM orders ORDER BY platform, store, external_id');
  const refunds = (): Promise<
    Array<{ external_id: string; amount: string; base_amount: string | null; refunded_at: Date }>
  > => t.db.dataSource.query('SELECT external_id, amount, base_amount, refunded_at FROM refunds ORDER BY external_id');

  describe('POST /api/webhooks/shopify', () => {
    it('stores the sample delivery exactly as signed by Shopify, in shop currency and UTC', async () => {
      const headers = shopifyDelivery(shopifySampleBody, { webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' }).headers;
      expect(headers['X-Shopify-Hmac-Sha256']).toBe(shopifySampleSignature);
      const res = await send('shopify', { body: shopifySampleBody, headers }).expect(200);
      expect(res.body).toEqual({ ok: true, outcome: 'inserted' });
      const [order] = await orders();
      expect(order).toMatchObject({
        platform: 'shopify',
        store: SHOP_DOMAIN,
        external_id: '6231859937601',
        order_number: '#1047',
        currency: 'USD',
        total: '86.00',
        base_total: '86.00',
        country: 'DE',
        status: 'paid',
        test: false,
        counted: true,
      });
      expect(order!.created_at.toISOString()).toBe('2025-05-14T13:12:44.000Z');
      expect(events).toEqual([
        {
          name: 'order.created',
          payload: {
            platform: 'shopify',
            orderNumber: '#1047',
            amount: 86,
            currency: 'USD',
            country: 'DE',
            // The catalogue titles its lines were matched to (new titles, named after the lines).
            titles: ['The Salt Road', 'Lanterns of Kell'],
            createdAt: '2025-05-14T13:12:44.000Z',
            // What it adds to the hero of its day in Berlin, and the transaction that stored it.
            hero: { day: '2025-05-14', orders: 1, revenue: '86.00', commit: expect.stringMatching(/^\d+$/) },
          } satisfies OrderEvent,
        },
      ]);
    });

    it('rejects a tampered body, a missing signature and an unknown secret with 401 and stores nothing', async () => {
      const good = shopifyDelivery(shopifyOrder());
      await send('shopify', { body: good.body.replace('"86.00"', '"8.60"'), headers: good.headers }).expect(401);
      const { ['X-Shopify-Hmac-Sha256']: _signature, ...unsigned } = good.headers;
      await send('shopify', { body: good.body, headers: unsigned }).expect(401);
      await send('shopify', shopifyDelivery(shopifyOrder(), { secret: 'someone-else' })).expect(401);
      expect(await orders()).toEqual([]);
      expect(await t.db.dataSource.query('SELECT * FROM webhook_deliveries')).toEqual([]);
      expect(events).toEqual([]);
    });

    it('checks the signature before reading the body: malformed and unsigned is 401, malformed and signed is 400', async () => {
      const malformed = '{"id": 6231859937601, "total_price": "86.00",';
      const signed = shopifyDelivery(malformed);
      const { ['X-Shopify-Hmac-Sha256']: _signature, ...unsigned } = signed.headers;
      const refused = await send('shopify', { body: malformed, headers: unsigned }).expect(401);
      expect(refused.body.message).toBe('invalid webhook signature');
      const wrong = await send('shopify', shopifyDelivery(malformed, { secret: 'someone-else' })).expect(401);
      expect(wrong.body.message).toBe('invalid webhook signature');

      const rejected = await send('shopify', signed).expect(400);
      expect(rejected.body.message).toMatch(/^body is not valid JSON: \S/);
      expect(await orders()).toEqual([]);
      expect(await t.db.dataSource.query('SELECT * FROM webhook_deliveries')).toEqual([]);
    });

    it('ignores a re-sent delivery (same X-Shopify-Webhook-Id): one row, one event', async () => {
      const delivery = shopifyDelivery(shopifyOrder(), { webhookId: 'same-id' });
      expect((await send('shopify', delivery).expect(200)).body.outcome).toBe('inserted');
      expect((await send('shopify', delivery).expect(200)).body.outcome).toBe('duplicate');
      expect(await orders()).toHaveLength(1);
      expect(events.map((e) => e.name)).toEqual(['order.created']);
    });

    it('applies an update with a refund once, and a later-arriving older snapshot changes nothing', async () => {
      await send('shopify', shopifyDelivery(shopifyOrder())).expect(200);
      const refunded = shopifyOrder({
        financial_status: 'partially_refunded',
        updated_at: '2025-05-20T10:00:00-04:00',
        refunds: [shopifyRefund(912345678901, 6231859937601, '20.00', '2025-05-20T09:59:00-04:00')],
      });
      expect(
        (await send('shopify', shopifyDelivery(refunded, { topic: 'orders/updated' })).expect(200)).body.outcome,
      ).toBe('updated');
      // A retry of the same change with a new delivery id (Shopify re-sends, or two topics fire).
      expect(
        (await send('shopify', shopifyDelivery(refunded, { topic: 'orders/updated' })).expect(200)).body.outcome,
      ).toBe('unchanged');
      // The original orders/paid snapshot arrives a day late: older updated_at, must not win.
      expect(
        (await send('shopify', shopifyDelivery(shopifyOrder(), { topic: 'orders/paid' })).expect(200)).body.outcome,
      ).toBe('stale');

      const [order] = await orders();
      expect(order).toMatchObject({ status: 'partially_refunded', total: '86.00', counted: true });
      expect(await refunds()).toEqual([
        {
          external_id: '912345678901',
          amount: '20.00',
          base_amount: '20.00',
          refunded_at: new Date('2025-05-20T13:59:00Z'),
        },
      ]);
      expect(events.map((e) => e.name)).toEqual(['order.created', 'order.updated']);
    });

    it('takes a refunds/create delivery once, and the same refund inside orders/updated is not counted again', async () => {
      await send('shopify', shopifyDelivery(shopifyOrder())).expect(200);
      const refund = shopifyRefund(555, 6231859937601, '12.50', '2025-05-15T08:00:00-04:00');
      expect(
        (await send('shopify', shopifyDelivery(refund, { topic: 'refunds/create' })).expect(200)).body.outcome,
      ).toBe('updated');
      const later = shopifyOrder({
        financial_status: 'partially_refunded',
        updated_at: '2025-05-15T08:00:01-04:00',
        refunds: [refund],
      });
      await send('shopify', shopifyDelivery(later, { topic: 'orders/updated' })).expect(200);
      expect(await refunds()).toEqual([
        { external_id: '555', amount: '12.50', base_amount: '12.50', refunded_at: new Date('2025-05-15T12:00:00Z') },
      ]);
      expect(events.map((e) => e.name)).toEqual(['order.created', 'order.updated']);
    });

    it("keeps the shop-currency amount of a refund paid in the buyer's currency", async () => {
      await send('shopify', shopifyDelivery(shopifyOrder())).expect(200);
      const refund = {
        ...shopifyRefund(557, 6231859937601, '29.48', '2025-05-16T08:00:00-04:00', 'EUR'),
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
      await send('shopify', shopifyDelivery(refund, { topic: 'refunds/create' })).expect(200);
      expect((await refunds()).map((r) => [r.external_id, r.amount])).toEqual([['557', '32.00']]);
    });

    it('answers 200 for a refund whose order is not stored yet and keeps it until the order arrives', async () => {
      const refund = shopifyRefund(556, 777, '5.00', '2025-05-15T08:00:00-04:00');
      expect(
        (await send('shopify', shopifyDelivery(refund, { topic: 'refunds/create' })).expect(200)).body.outcome,
      ).toBe('pending_order');
      expect(await refunds()).toEqual([]);
      expect(
        await t.db.dataSource.query(
          `SELECT platform, identity_store, order_external_id, external_id, store, amount::text, currency::text FROM pending_refunds`,
        ),
      ).toEqual([
        {
          platform: 'shopify',
          identity_store: '',
          order_external_id: '777',
          external_id: '556',
          store: SHOP_DOMAIN,
          amount: '5.00',
          currency: 'USD',
        },
      ]);
    });

    it('stops counting a cancelled order and announces the change once', async () => {
      await send('shopify', shopifyDelivery(shopifyOrder())).expect(200);
      const cancelled = shopifyOrder({
        cancelled_at: '2025-05-14T10:00:00-04:00',
        cancel_reason: 'customer',
        financial_status: 'voided',
        updated_at: '2025-05-14T10:00:01-04:00',
      });
      await send('shopify', shopifyDelivery(cancelled, { topic: 'orders/cancelled' })).expect(200);
      await send('shopify', shopifyDelivery(cancelled, { topic: 'orders/updated' })).expect(200);
      const [order] = await orders();
      expect(order).toMatchObject({ status: 'cancelled', counted: false });
      expect(events.map((e) => e.name)).toEqual(['order.created', 'order.updated']);
    });

    it('converts a shop in another currency with the rate of the order day (or the nearest earlier day), else leaves base_total NULL', async () => {
      const eur = (id: number, createdAt: string) =>
        shopifyOrder({
          id,
          currency: 'EUR',
          created_at: createdAt,
          updated_at: createdAt,
          total_price: '79.23',
          total_price_set: moneySet('79.23', 'EUR'),
        });
      await t.db.dataSource.query(
        `INSERT INTO fx_rates (day, currency, base_currency, rate, source) VALUES ('2025-05-10', 'EUR', 'USD', 1.1, 'api'), ('2025-05-14', 'EUR', 'USD', 1.125, 'api')`,
      );
      await send('shopify', shopifyDelivery(eur(1, '2025-05-14T09:12:44-04:00'))).expect(200);
      await send('shopify', shopifyDelivery(eur(2, '2025-05-12T09:12:44-04:00'))).expect(200);
      await send('shopify', shopifyDelivery(eur(3, '2025-05-01T09:12:44-04:00'))).expect(200);
      const rows = await orders();
      expect(rows.map((o) => [o.external_id, o.currency, o.total, o.base_total])).toEqual([
        ['1', 'EUR', '79.23', '89.13'], // 79.23 × 1.125 = 89.13375
        ['2', 'EUR', '79.23', '87.15'], // 79.23 × 1.1 (rate of 10 May) = 87.153
        ['3', 'EUR', '79.23', null],
      ]);
    });

    it('keeps an order id beyond 2^53 exactly (the admin "send test notification" order) and does not count it', async () => {
      expect((await send('shopify', shopifyDelivery(shopifyTestNotificationBody)).expect(200)).body.outcome).toBe(
        'inserted',
      );
      const [order] = await orders();
      expect(order).toMatchObject({
        external_id: '820982911946154508',
        order_number: '#9999',
        test: true,
        status: 'cancelled',
        counted: false,
      });
      expect(events).toEqual([]);
    });

    it('acknowledges topics it does not handle without storing anything', async () => {
      const res = await send('shopify', shopifyDelivery({ id: 1 }, { topic: 'products/update' })).expect(200);
      expect(res.body.outcome).toBe('ignored');
      expect(await orders()).toEqual([]);
    });
  });

  describe('POST /api/webhooks/woocommerce', () => {
    it('stores the sample delivery, keyed by the sending store, dated from the *_gmt fields', async () => {
      const delivery = wooDelivery(wooSampleBody);
      expect(delivery.headers['X-WC-Webhook-Signature']).toBe(wooSampleSignature);
      expect((await send('woocommerce', delivery).expect(200)).body.outcome).toBe('inserted');
      const [order] = await orders();
      expect(order).toMatchObject({
        platform: 'woocommerce',
        store: 'https://books.harbourquill.example',
        external_id: '2381',
        order_number: '2381',
        currency: 'GBP',
        total: '42.43',
        base_total: null,
        country: 'IE',
        status: 'paid',
        counted: true,
      });
      expect(order!.created_at.toISOString()).toBe('2025-05-16T12:42:07.000Z');
    });

    it('answers the unsigned ping with 200 and stores nothing', async () => {
      const res = await t
        .anonymous()
        .post('/api/webhooks/woocommerce')
        .set({
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'WooCommerce/9.8.5 Hookshot (WordPress/6.8.1)',
        })
        .send('webhook_id=17')
        .expect(200);
      expect(res.body).toEqual({ ok: true, outcome: 'ping' });
      expect(await orders()).toEqual([]);
    });

    it('rejects a tampered or unsigned delivery with 401', async () => {
      const delivery = wooDelivery(wooOrder());
      await send('woocommerce', { body: delivery.body.replace('42.43', '4.43'), headers: delivery.headers }).expect(
        401,
      );
      const { ['X-WC-Webhook-Signature']: _s, ...unsigned } = delivery.headers;
      await send('woocommerce', { body: delivery.body, headers: unsigned }).expect(401);
      expect(await orders()).toEqual([]);
    });

    it('checks the signature before reading the body: malformed and unsigned is 401, malformed and signed is 400', async () => {
      const malformed = '{"id":2381,"status":"processing"';
      const signed = wooDelivery(malformed);
      const { ['X-WC-Webhook-Signature']: _s, ...unsigned } = signed.headers;
      const refused = await send('woocommerce', { body: malformed, headers: unsigned }).expect(401);
      expect(refused.body.message).toBe('invalid webhook signature');

      const rejected = await send('woocommerce', signed).expect(400);
      expect(rejected.body.message).toMatch(/^body is not valid JSON: \S/);
      expect(await orders()).toEqual([]);
    });

    it('answers the ping with 200 whatever content type it was sent with, and only the ping goes unsigned', async () => {
      for (const type of ['text/plain', 'application/octet-stream']) {
        const res = await t
          .anonymous()
          .post('/api/webhooks/woocommerce')
          .set({ 'Content-Type': type, 'User-Agent': 'WooCommerce/9.8.5 Hookshot (WordPress/6.8.1)' })
          .send('webhook_id=17')
          .expect(200);
        expect(res.body).toEqual({ ok: true, outcome: 'ping' });
      }
      await t
        .anonymous()
        .post('/api/webhooks/woocommerce')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('webhook_id=17&status=processing')
        .expect(401);
      expect(await orders()).toEqual([]);
    });

    it('tells stores apart by X-WC-Webhook-Source', async () => {
      await send('woocommerce', wooDelivery(wooOrder())).expect(200);
      await send('woocommerce', wooDelivery(wooOrder(), { source: 'https://audio.harbourquill.example/' })).expect(200);
      expect((await orders()).map((o) => [o.store, o.external_id])).toEqual([
        ['https://audio.harbourquill.example', '2381'],
        ['https://books.harbourquill.example', '2381'],
      ]);
    });

    it('turns refunds inside order.updated into refund rows once, however often the update is sent, and ignores older snapshots', async () => {
      await t.db.dataSource.query(
        `INSERT INTO fx_rates (day, currency, base_currency, rate, source) VALUES ('2025-05-15', 'GBP', 'USD', 1.25, 'api')`,
      );
      await send('woocommerce', wooDelivery(wooOrder())).expect(200);
      const updated = wooOrder({
        date_modified_gmt: '2025-05-18T09:00:00',
        refunds: [{ id: 2390, reason: 'lost', total: '-12.99' }],
      });
      await send('woocommerce', wooDelivery(updated, { topic: 'order.updated' })).expect(200);
      await send('woocommerce', wooDelivery(updated, { topic: 'order.updated' })).expect(200);
      const fully = wooOrder({
        status: 'refunded',
        date_modified_gmt: '2025-05-19T09:00:00',
        refunds: [
          { id: 2391, reason: '', total: '-29.44' },
          { id: 2390, reason: 'lost', total: '-12.99' },
        ],
      });
      await send('woocommerce', wooDelivery(fully, { topic: 'order.updated' })).expect(200);
      expect(
        (await send('woocommerce', wooDelivery(updated, { topic: 'order.updated' })).expect(200)).body.outcome,
      ).toBe('stale');

      const [order] = await orders();
      expect(order).toMatchObject({ status: 'refunded', total: '42.43', base_total: '53.04', counted: true });
      expect(await refunds()).toEqual([
        { external_id: '2390', amount: '12.99', base_amount: '16.24', refunded_at: new Date('2025-05-18T09:00:00Z') },
        { external_id: '2391', amount: '29.44', base_amount: '36.80', refunded_at: new Date('2025-05-19T09:00:00Z') },
      ]);
      expect(events.map((e) => e.name)).toEqual(['order.created', 'order.updated', 'order.updated']);
    });

    it('stops counting a cancelled order', async () => {
      await send('woocommerce', wooDelivery(wooOrder())).expect(200);
      await send(
        'woocommerce',
        wooDelivery(wooOrder({ status: 'cancelled', date_modified_gmt: '2025-05-17T00:00:00' }), {
          topic: 'order.updated',
        }),
      ).expect(200);
      expect((await orders())[0]).toMatchObject({ status: 'cancelled', counted: false });
    });
  });
});
