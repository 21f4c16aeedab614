import { Agent, request as httpRequest } from 'node:http';
import { createTestApp, TestApp } from '../../../test/test-app';
import { DomainEvents } from '../../realtime/domain-events';
import {
  Delivery,
  moneySet,
  shopifyDelivery,
  shopifyOrder,
  shopifyRefund,
  SHOPIFY_SECRET,
} from '../fixtures/webhook-fixtures';

// Counts, not speed: enough deliveries for 64 in flight to collide often (throughput is `npm run bench`).
const ORDERS = 500;
const UPDATED = 200;
const DUPLICATES = 300; // 30 % of the 1,000 deliveries
const PARALLEL = 64;
/** Only against a hang: at load average 11 on 2 cores the 2,000-delivery version of this took 67 s. */
const LIMIT_MS = 10 * 60_000;

/**
 * 1,000 signed deliveries, 64 at a time: 500 orders created, 200 of them updated with a refund, and 300
 * re-sends of random deliveries (same X-Shopify-Webhook-Id), shuffled so that updates often arrive
 * before their create. Afterwards counts, sums and events must be exact.
 */
describe('Shopify webhooks under concurrent duplicate deliveries (integration)', () => {
  let t: TestApp;
  const events: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET } });
    t.app.get(DomainEvents).events$.subscribe((event) => events.push(`${event.name}`));
  }, LIMIT_MS);
  afterAll(() => t.close());

  it(
    'stores every order once, every refund once, and announces each new order exactly once',
    async () => {
      let expectedCents = 0n;
      const unique: Delivery[] = [];
      for (let i = 1; i <= ORDERS; i++) {
        const cents = BigInt(1000 + ((i * 7919) % 50000));
        expectedCents += cents;
        const total = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
        const order = shopifyOrder({
          id: 5_000_000_000_000 + i,
          name: `#${i}`,
          total_price: total,
          total_price_set: moneySet(total),
        });
        unique.push(shopifyDelivery(order, { webhookId: `create-${i}` }));
        if (i <= UPDATED) {
          const updated = {
            ...order,
            financial_status: 'partially_refunded',
            updated_at: '2025-05-20T10:00:00-04:00',
            refunds: [shopifyRefund(9_000_000 + i, 5_000_000_000_000 + i, '5.00', '2025-05-20T09:00:00-04:00')],
          };
          unique.push(shopifyDelivery(updated, { topic: 'orders/updated', webhookId: `update-${i}` }));
        }
      }
      const all = [...unique];
      for (let i = 0; i < DUPLICATES; i++) all.push(unique[(i * 2654435761) % unique.length]!);
      shuffle(all);
      expect(all).toHaveLength(ORDERS + UPDATED + DUPLICATES);

      const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL });
      const port = Number(new URL(t.baseUrl).port);
      const statuses: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < all.length) {
            const delivery = all[next++]!;
            statuses.push(await post(agent, port, delivery));
          }
        }),
      );
      agent.destroy();

      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      const [totals] = await t.db.dataSource.query(`
      SELECT (SELECT count(*)::int FROM orders) AS orders,
             (SELECT sum(total)::text FROM orders) AS total,
             (SELECT sum(base_total)::text FROM orders WHERE counted) AS base_total,
             (SELECT count(*)::int FROM orders WHERE status = 'partially_refunded') AS refunded_orders,
             (SELECT count(*)::int FROM refunds) AS refunds,
             (SELECT sum(amount)::text FROM refunds) AS refunded,
             (SELECT count(*)::int FROM webhook_deliveries) AS deliveries`);
      const expectedTotal = `${expectedCents / 100n}.${String(expectedCents % 100n).padStart(2, '0')}`;
      expect(totals).toEqual({
        orders: ORDERS,
        total: expectedTotal,
        base_total: expectedTotal,
        refunded_orders: UPDATED,
        refunds: UPDATED,
        refunded: `${UPDATED * 5}.00`,
        deliveries: ORDERS + UPDATED,
      });
      expect(events.filter((e) => e === 'order.created')).toHaveLength(ORDERS);
      // An update that won the race inserts the order (announced as created, refund included); otherwise it is one update.
      expect(events.filter((e) => e === 'order.updated').length).toBeLessThanOrEqual(UPDATED);
    },
    LIMIT_MS,
  );
});

function post(agent: Agent, port: number, delivery: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/api/webhooks/shopify',
        method: 'POST',
        agent,
        headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(delivery.body);
  });
}

/** Deterministic Fisher–Yates, so a failure can be replayed. */
function shuffle<T>(items: T[]): void {
  let seed = 42;
  for (let i = items.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
