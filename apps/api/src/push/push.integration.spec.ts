import { createECDH } from 'node:crypto';
import type { AlertFiredEvent, OrderEvent, PushMessage, PushSubscriptionResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { PushTestService, startPushService, TestDevice } from '../../test/push-test-service';
import { waitFor } from '../../test/wait-for';
import { SHOPIFY_SECRET, shopifyDelivery, shopifyOrder } from '../orders/fixtures/webhook-fixtures';
import { PushNotifier } from './push-notifier';

/** A fresh VAPID pair of this run, as `npx web-push generate-vapid-keys` would print one. */
function vapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys().toString('base64url');
  return { publicKey, privateKey: ecdh.getPrivateKey().toString('base64url') };
}

const order = (fields: Partial<OrderEvent> = {}): OrderEvent => ({
  platform: 'shopify',
  orderNumber: '#1047',
  amount: 86,
  currency: 'USD',
  country: 'DE',
  titles: ['The Harbour Quill'],
  createdAt: '2026-11-26T10:00:00Z',
  ...fields,
});
const AT = new Date('2026-11-26T10:00:05Z');
const later = (seconds: number) => new Date(AT.getTime() + seconds * 1000);

describe('Web Push', () => {
  let t: TestApp;
  let push: PushTestService;
  let notifier: PushNotifier;
  const keys = vapidKeys();

  beforeAll(async () => {
    push = await startPushService(keys.publicKey);
    t = await createTestApp({
      env: {
        VAPID_PUBLIC_KEY: keys.publicKey,
        VAPID_PRIVATE_KEY: keys.privateKey,
        VAPID_SUBJECT: 'mailto:owner@mtink.example',
        SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
      },
    });
    notifier = t.app.get(PushNotifier);
  });
  afterAll(async () => {
    await t?.close();
    await push?.close();
  });
  beforeEach(async () => {
    await t.db.dataSource.query(`DELETE FROM push_subscriptions`);
    push.received.length = 0;
  });
  afterEach(() => expect(push.refused).toEqual([]));

  async function subscribe(device: TestDevice, preferences: object = {}, role: 'admin' | 'viewer' = 'admin') {
    const res = await t
      .as(role)
      .post('/api/push/subscriptions')
      .send({ ...device.subscription, expirationTime: null, preferences })
      .expect(201);
    return res.body as PushSubscriptionResponse;
  }
  const messages = (device?: TestDevice) =>
    push.received
      .filter((m) => !device || m.device === device.id)
      .map((m) => (JSON.parse(m.text) as PushMessage).notification);

  describe('the subscription API', () => {
    it('requires authentication', async () => {
      await t.anonymous().get('/api/push/public-key').expect(401);
      await t.anonymous().get('/api/push/subscriptions').expect(401);
      await t.anonymous().post('/api/push/subscriptions').send(push.device().subscription).expect(401);
      await t.anonymous().patch('/api/push/subscriptions/1').send({ alerts: false }).expect(401);
      await t.anonymous().delete('/api/push/subscriptions/1').expect(401);
    });

    it('gives the VAPID public key to subscribe with', async () => {
      expect((await t.as('viewer').get('/api/push/public-key').expect(200)).body).toEqual({
        enabled: true,
        publicKey: keys.publicKey,
      });
    });

    it('subscribes a device with the default preferences, and lists it for its user only', async () => {
      const device = push.device();
      const created = await subscribe(device);
      expect(created).toEqual({
        id: expect.stringMatching(/^\d+$/),
        endpoint: device.subscription.endpoint,
        preferences: {
          everyOrder: true,
          ordersOver: null,
          alerts: true,
          dailyDigest: false,
          quietHours: null,
          hideAmounts: false,
        },
        createdAt: expect.any(String),
      });
      expect((await t.as('admin').get('/api/push/subscriptions').expect(200)).body.subscriptions).toEqual([created]);
      expect((await t.as('viewer').get('/api/push/subscriptions').expect(200)).body).toEqual({ subscriptions: [] });
    });

    it('changes what rings, keeping what the request leaves out; subscribing again keeps it', async () => {
      const device = push.device();
      const { id } = await subscribe(device);
      const quietHours = { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' };
      const res = await t
        .as('admin')
        .patch(`/api/push/subscriptions/${id}`)
        .send({ everyOrder: false, ordersOver: 100, quietHours, hideAmounts: true })
        .expect(200);
      const expected = {
        everyOrder: false,
        ordersOver: 100,
        alerts: true,
        dailyDigest: false,
        quietHours,
        hideAmounts: true,
      };
      expect(res.body.preferences).toEqual(expected);
      expect((await subscribe(device)).preferences).toEqual(expected);
      await t.as('admin').patch(`/api/push/subscriptions/${id}`).send({ quietHours: null }).expect(200);
      expect((await t.as('admin').get('/api/push/subscriptions')).body.subscriptions[0].preferences).toEqual({
        ...expected,
        quietHours: null,
      });
    });

    it('refuses another user’s subscription as if it did not exist', async () => {
      const { id } = await subscribe(push.device());
      const refused = await t.as('viewer').patch(`/api/push/subscriptions/${id}`).send({ alerts: false }).expect(404);
      expect(refused.body.message).toBe(`push subscription ${id} does not exist`);
      await t.as('viewer').delete(`/api/push/subscriptions/${id}`).expect(404);
      const [mine] = (await t.as('admin').get('/api/push/subscriptions')).body.subscriptions;
      expect(mine).toMatchObject({ id, preferences: { alerts: true } });
    });

    it('unsubscribes a device, once', async () => {
      const { id } = await subscribe(push.device());
      await t.as('admin').delete(`/api/push/subscriptions/${id}`).expect(204);
      await t.as('admin').delete(`/api/push/subscriptions/${id}`).expect(404);
      expect((await t.as('admin').get('/api/push/subscriptions')).body).toEqual({ subscriptions: [] });
    });

    it('gives a device to whoever turns it on last, with fresh preferences', async () => {
      const device = push.device();
      await subscribe(device, { hideAmounts: true });
      const taken = await subscribe(device, {}, 'viewer');
      expect(taken.preferences.hideAmounts).toBe(false);
      expect((await t.as('admin').get('/api/push/subscriptions')).body).toEqual({ subscriptions: [] });
    });

    it.each([
      [{ endpoint: 'http://push.example.com/x' }, 'endpoint must be an https URL'],
      [{ endpoint: 'not a url' }, 'endpoint must be the push service URL of the subscription'],
      [
        { keys: { p256dh: 'AAAA', auth: 'AAAAAAAAAAAAAAAAAAAAAA' } },
        'keys.p256dh must be a P-256 public key (65 bytes) in base64url, as PushSubscription.toJSON() gives it',
      ],
      [
        { preferences: { quietHours: { from: '22:00', to: '25:00', timeZone: 'Europe/Berlin' } } },
        'preferences.quietHours.to must be a time HH:MM',
      ],
      [
        { preferences: { quietHours: { from: '22:00', to: '07:00', timeZone: 'Mars/Olympus' } } },
        'preferences.quietHours.timeZone must be an IANA time zone such as Europe/Berlin',
      ],
      [
        { preferences: { quietHours: { from: '22:00', to: '22:00', timeZone: 'UTC' } } },
        'quietHours.to must differ from quietHours.from',
      ],
      [
        { preferences: { ordersOver: 10.001 } },
        'preferences.ordersOver must be an amount with at most 2 decimals, or null',
      ],
    ])('names what is wrong with a subscription: %j', async (change, problem) => {
      const device = push.device();
      const body = { ...device.subscription, ...change };
      const res = await t.as('admin').post('/api/push/subscriptions').send(body).expect(400);
      expect(res.body.message).toContain(problem);
    });
  });

  describe('delivery', () => {
    it('rings for a webhook order with the toast’s words, signed and encrypted, opening the title’s page', async () => {
      const device = push.device();
      await subscribe(device);
      const line = (shopifyOrder().line_items as Array<Record<string, unknown>>)[0]!;
      const payload = shopifyOrder({
        created_at: new Date().toISOString(),
        line_items: [{ ...line, title: 'The Harbour Quill', name: 'The Harbour Quill - Hardcover', sku: 'HQ-HC-1' }],
      });
      const delivery = shopifyDelivery(payload);
      await t.anonymous().post('/api/webhooks/shopify').set(delivery.headers).send(delivery.body).expect(200);
      await waitFor(() => push.received.length > 0, 'the notification');
      await notifier.idle();
      const catalogue = await t.as('admin').get('/api/titles/catalogue').query({ search: 'The Harbour Quill' });
      const titleId = (catalogue.body.titles as Array<{ id: number; title: string }>).find(
        (title) => title.title === 'The Harbour Quill',
      )!.id;
      expect(push.received).toHaveLength(1);
      const [received] = push.received;
      expect(JSON.parse(received!.text)).toEqual({
        notification: {
          title: 'New order #1047 · The Harbour Quill · $86.00 · Germany',
          tag: 'orders',
          icon: '/icons/icon-192.png',
          badge: '/icons/badge-96.png',
          silent: false,
          timestamp: expect.any(Number),
          data: { onActionClick: { default: { operation: 'navigateLastFocusedOrOpen', url: `/titles/${titleId}` } } },
        },
      });
      expect(received!.headers).toEqual({ ttl: '86400', topic: 'orders', urgency: 'high' });
    });

    it('folds the orders of a minute into one notification, and starts afresh after it', async () => {
      const device = push.device();
      await subscribe(device);
      await notifier.notifyOrders([order()], AT);
      await notifier.notifyOrders([order({ orderNumber: '1048', amount: 40.1, titles: [] })], later(20));
      await notifier.notifyOrders([order({ orderNumber: '1049', amount: 86.3 })], later(59));
      await notifier.notifyOrders([order({ orderNumber: '1050', amount: 12, country: null, titles: [] })], later(61));
      expect(messages(device).map((m) => [m.title, m.tag])).toEqual([
        ['New order #1047 · The Harbour Quill · $86.00 · Germany', 'orders'],
        ['2 new orders · $126.10', 'orders'],
        ['3 new orders · $212.40', 'orders'],
        ['New order #1050 · $12.00', 'orders'],
      ]);
      // A fold opens the dashboard, as does an order without a title in the catalogue.
      expect(
        messages(device)
          .slice(1)
          .map((m) => m.data.onActionClick.default.url),
      ).toEqual(['/', '/', '/']);
    });

    it('folds the orders announced together (an import) into one, with no total across currencies', async () => {
      const device = push.device();
      await subscribe(device);
      await notifier.notifyOrders([order(), order({ orderNumber: '1048', currency: 'EUR', amount: 20 })], AT);
      expect(messages(device).map((m) => m.title)).toEqual(['2 new orders']);
    });

    it('leaves amounts out on a device that hides them', async () => {
      const device = push.device();
      await subscribe(device, { hideAmounts: true, dailyDigest: true });
      await notifier.notifyOrders([order()], AT);
      await notifier.notifyOrders([order({ orderNumber: '1048' })], later(1));
      await notifier.notifyAlert(alert({ kind: 'day_revenue' }), AT);
      expect(messages(device).map((m) => m.title)).toEqual([
        'New order #1047 · The Harbour Quill · Germany',
        '2 new orders',
        'Day revenue milestone',
      ]);
    });

    it('rings silently in the quiet hours of the device’s clock, over midnight', async () => {
      const device = push.device();
      await subscribe(device, { quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' } });
      const inBerlin = (time: string) => new Date(`2026-11-26T${time}+01:00`);
      for (const time of ['21:59', '22:00', '03:00', '06:59', '07:00']) {
        await notifier.notifyAlert(alert(), inBerlin(time));
      }
      expect(messages(device).map((m) => m.silent)).toEqual([false, true, true, true, false]);
    });

    it('rings only for what each device chose: orders over an amount, alerts, the digest', async () => {
      const big = push.device();
      const digest = push.device();
      await subscribe(big, { everyOrder: false, ordersOver: 100, alerts: false });
      await subscribe(digest, { everyOrder: false, alerts: false, dailyDigest: true }, 'viewer');
      await notifier.notifyOrders([order({ amount: 99.99 })], AT);
      await notifier.notifyOrders([order({ orderNumber: '1048', amount: 100 })], later(120));
      await notifier.notifyOrders([order({ orderNumber: '1049', amount: 5, currency: 'EUR' })], later(240));
      await notifier.notifyAlert(alert(), AT);
      await notifier.notifyAlert(alert({ kind: 'daily_digest', subject: 'MT Ink: yesterday $1,020.00' }), AT);
      expect(messages(big).map((m) => m.title)).toEqual([
        'New order #1048 · The Harbour Quill · $100.00 · Germany',
        'New order #1049 · The Harbour Quill · €5.00 · Germany',
      ]);
      expect(messages(digest).map((m) => [m.title, m.tag])).toEqual([
        ['MT Ink: yesterday $1,020.00', 'alert-daily_digest'],
      ]);
    });

    it('does not ring for orders placed long before they arrive (an uploaded export)', async () => {
      const device = push.device();
      await subscribe(device);
      await notifier.notifyOrders([order({ createdAt: '2026-11-26T07:59:00Z' })], AT);
      expect(messages(device)).toEqual([]);
    });

    it.each([410, 404])('forgets a device whose push service answers %i, and rings the others', async (status) => {
      const gone = push.device();
      const kept = push.device();
      gone.answer = status;
      await subscribe(gone);
      await subscribe(kept, {}, 'viewer');
      await notifier.notifyAlert(alert(), AT);
      expect((await t.as('admin').get('/api/push/subscriptions')).body).toEqual({ subscriptions: [] });
      expect((await t.as('viewer').get('/api/push/subscriptions')).body.subscriptions).toHaveLength(1);
      expect(messages(kept)).toHaveLength(1);
    });

    it('rings each device with its own preferences', async () => {
      const mine = push.device();
      const theirs = push.device();
      await subscribe(mine, { hideAmounts: true });
      await subscribe(theirs, {}, 'viewer');
      await notifier.notifyOrders([order()], AT);
      expect(messages(mine).map((m) => m.title)).toEqual(['New order #1047 · The Harbour Quill · Germany']);
      expect(messages(theirs).map((m) => m.title)).toEqual(['New order #1047 · The Harbour Quill · $86.00 · Germany']);
    });
  });
});

function alert(fields: Partial<AlertFiredEvent> = {}): AlertFiredEvent {
  return {
    id: 7,
    kind: 'day_revenue',
    ruleName: 'First $1,000 day',
    subject: 'MT Ink: $1,020.00 today, milestone $1,000.00 reached',
    firedAt: '2026-11-26T10:00:00+01:00',
    ...fields,
  };
}
