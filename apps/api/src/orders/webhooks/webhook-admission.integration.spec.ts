import { request as httpRequest } from 'node:http';
import { appWithHeldWebhookStore, HeldWebhookStore } from '../../../test/held-webhook-store';
import { waitFor } from '../../../test/wait-for';
import {
  Delivery,
  shopifyDelivery,
  shopifyOrder,
  SHOPIFY_SECRET,
  wooDelivery,
  wooOrder,
  WOO_SECRET,
} from '../fixtures/webhook-fixtures';
import { WebhookAdmission } from './webhook-admission';

const MAX_IN_FLIGHT = 4;
const REFUSED_SHOPIFY = 12;
const REFUSED_WOO = 2;
/** Against a hang only (load 10 on 2 cores): nothing here is timed, the store is held by a lock. */
const LIMIT_MS = 10 * 60_000;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { outcome?: string; message?: string };
}

function post(baseUrl: string, platform: 'shopify' | 'woocommerce', delivery: Delivery): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}/api/webhooks/${platform}`,
      { method: 'POST', headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'],
            body: JSON.parse(text) as Answer['body'],
          }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(delivery.body);
  });
}

const shopify = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) =>
    shopifyDelivery(shopifyOrder({ id: 7_100_000 + i + (prefix === 'held' ? 0 : 1000), name: `#${prefix}${i}` }), {
      webhookId: `${prefix}-${i}`,
    }),
  );

/**
 * The store held by a lock (the batcher's statement waits on it) and room for four webhooks: the fifth
 * and every one after it is answered 503 with Retry-After at once, before its signature is checked, and
 * nothing of it is stored; the platform's retries then land each order exactly once.
 */
describe('webhook admission control (integration)', () => {
  let store: HeldWebhookStore;

  beforeAll(async () => {
    store = await appWithHeldWebhookStore({
      SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
      WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET,
      WEBHOOK_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
    });
  }, LIMIT_MS);
  afterAll(() => store?.close());

  it(
    'refuses the webhooks beyond the limit at once with 503 and Retry-After, and loses or doubles none',
    async () => {
      const { t, created } = store;
      const gate = t.app.get(WebhookAdmission);
      await store.hold();
      const held = shopify(MAX_IN_FLIGHT, 'held');
      const heldAnswers = Promise.all(held.map((d) => post(t.baseUrl, 'shopify', d)));
      await waitFor(() => gate.admitted === MAX_IN_FLIGHT, 'four webhooks in flight');

      const refusedShopify = shopify(REFUSED_SHOPIFY, 'refused');
      const refusedWoo = Array.from({ length: REFUSED_WOO }, (_, i) => wooDelivery(wooOrder({ id: 8_100 + i })));
      const forged = shopifyDelivery(shopifyOrder({ id: 7_199_999 }), { secret: 'not the secret' });
      const refused = await Promise.all([
        ...refusedShopify.map((d) => post(t.baseUrl, 'shopify', d)),
        ...refusedWoo.map((d) => post(t.baseUrl, 'woocommerce', d)),
        post(t.baseUrl, 'shopify', forged),
      ]);
      // Refused before the signature was looked at: the forged one too is a 503, not a 401.
      expect(refused.map((a) => [a.status, a.retryAfter])).toEqual(
        Array(REFUSED_SHOPIFY + REFUSED_WOO + 1).fill([503, '60']),
      );
      for (const answer of refused)
        expect(answer.body.message).toMatch(
          /^the delivery cannot be stored within 60000 ms now \((4 webhooks are in flight, the most this server takes|the oldest webhook in flight has waited \d+ ms)\); send it again$/,
        );
      expect(gate.admitted).toBe(MAX_IN_FLIGHT);
      expect(gate.refused).toBe(REFUSED_SHOPIFY + REFUSED_WOO + 1);
      const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM orders`);
      expect(n).toBe(0);

      await store.release();
      expect((await heldAnswers).map((a) => [a.status, a.body.outcome])).toEqual(
        Array(MAX_IN_FLIGHT).fill([200, 'inserted']),
      );
      await waitFor(() => gate.admitted === 0, 'the held webhooks answered');

      // The platforms' retries, one at a time so that none meets the limit: the refused ones land now, the
      // forged one is found out, and a second round of every delivery is recognised as a duplicate.
      const oneByOne = async (sends: ReadonlyArray<readonly [platform: 'shopify' | 'woocommerce', Delivery]>) => {
        const answers: Answer[] = [];
        for (const [platform, delivery] of sends) answers.push(await post(t.baseUrl, platform, delivery));
        return answers;
      };
      const refusedSends = [
        ...refusedShopify.map((d) => ['shopify', d] as const),
        ...refusedWoo.map((d) => ['woocommerce', d] as const),
      ];
      const retried = await oneByOne([...refusedSends, ['shopify', forged]]);
      expect(retried.map((a) => [a.status, a.body.outcome ?? a.body.message])).toEqual([
        ...Array(REFUSED_SHOPIFY + REFUSED_WOO).fill([200, 'inserted']),
        [401, 'invalid webhook signature'],
      ]);
      const again = await oneByOne([...held.map((d) => ['shopify', d] as const), ...refusedSends]);
      const stored = MAX_IN_FLIGHT + REFUSED_SHOPIFY + REFUSED_WOO;
      expect(again.map((a) => [a.status, a.body.outcome])).toEqual(Array(stored).fill([200, 'duplicate']));

      const [counts] = await t.db.dataSource.query(
        `SELECT (SELECT count(*)::int FROM orders) AS orders,
                (SELECT count(DISTINCT (platform, store, external_id))::int FROM orders) AS distinct_orders,
                (SELECT count(*)::int FROM webhook_deliveries) AS deliveries`,
      );
      expect(counts).toEqual({ orders: stored, distinct_orders: stored, deliveries: stored });
      await waitFor(() => created.length >= stored, 'every order announced');
      expect(created).toHaveLength(stored);
    },
    LIMIT_MS,
  );
});
