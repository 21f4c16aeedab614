import { IncomingMessage, request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { appWithHeldWebhookStore, HeldWebhookStore } from '../../test/held-webhook-store';
import { createTestApp, ensureTestUser, TestApp, TestUser } from '../../test/test-app';
import { waitFor } from '../../test/wait-for';
import { Delivery, shopifyDelivery, shopifyOrder, SHOPIFY_SECRET } from '../orders/fixtures/webhook-fixtures';

/** Enough CSV (about 20 MB) that no socket buffer holds a whole export: a reader that stops holds it open. */
const EXPORT_ORDERS = 100_000;
const EXPORTS = 25;
const WEBHOOKS = 16;
/** Against a hang only (load 10 on 2 cores); nothing here is timed. */
const LIMIT_MS = 10 * 60_000;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/** Starts an export and stops reading it once the status line is in (a download stalled at 0 KB/s). */
function stalledExport(baseUrl: string, user: TestUser): Promise<{ status: number; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}/api/export/orders.csv?from=2026-01-01&to=2026-12-31`,
      { headers: { Authorization: `Bearer ${user.token}` } },
      (response) => {
        response.pause();
        resolve({ status: response.statusCode ?? 0, response });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function read(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (body += chunk));
    response.on('end', () => resolve(body));
    response.on('error', reject);
    response.resume();
  });
}

function post(baseUrl: string, delivery: Delivery): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}/api/webhooks/shopify`,
      { method: 'POST', headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) } },
      (response) =>
        void read(response).then(
          (body) => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body }),
          reject,
        ),
    );
    req.on('error', reject);
    req.end(delivery.body);
  });
}

function deliveries(prefix: string): Delivery[] {
  return Array.from({ length: WEBHOOKS }, (_, i) =>
    shopifyDelivery(shopifyOrder({ id: 7_000_000_000_000 + i, name: `#${prefix}${i}` }), {
      webhookId: `${prefix}-${i}`,
    }),
  );
}

/** An app whose database holds EXPORT_ORDERS orders of 2026, and a client of that database for pg_stat_activity. */
async function appWithOrders(env: Record<string, string> = {}): Promise<{ t: TestApp; db: Client }> {
  const t = await createTestApp({ env });
  await t.db.dataSource.query(
    `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
     SELECT 'etsy', 'E-' || g, timestamptz '2026-02-01T00:00:00Z' + g * interval '2 minutes', 'USD', 10, 10, 'GB', 'paid'
     FROM generate_series(1, $1::int) g`,
    [EXPORT_ORDERS],
  );
  const db = new Client({ connectionString: t.db.url });
  await db.connect();
  return { t, db };
}

/** `state` as pg_stat_activity says it, or 'in a transaction': running a statement of one or idle in one. */
async function connectionsOf(db: Client, pool: string, state?: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = $1
       AND ($2::text IS NULL OR state = $2 OR ($2 = 'in a transaction' AND xact_start IS NOT NULL))`,
    [pool, state ?? null],
  );
  return rows[0]!.n;
}

/** SPEC §9 "webhooks first": what a slow export or a busy database must never do to the platforms. */
describe('reserved connections (integration)', () => {
  describe('slow export readers', () => {
    let t: TestApp;
    let db: Client;

    beforeAll(async () => {
      ({ t, db } = await appWithOrders({ SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET }));
    }, LIMIT_MS);
    afterAll(async () => {
      await db?.end();
      await t?.close();
    });

    it(
      `run at most 4 of ${EXPORTS} exports (2 a person), refuse the rest with 429, and leave webhooks and health their connections`,
      async () => {
        const third = await ensureTestUser(t.app, 'viewer', 'third@test.local');
        const running: IncomingMessage[] = [];
        const start = async (user: TestUser) => {
          const { status, response } = await stalledExport(t.baseUrl, user);
          if (status === 200) running.push(response);
          return { status, body: status === 200 ? '' : await read(response) };
        };
        // Two each for two people: each holds an export connection in its transaction while nobody reads
        // (its cursor waiting for the client to take the bytes).
        expect((await Promise.all([start(t.users.admin), start(t.users.admin)])).map((a) => a.status)).toEqual([
          200, 200,
        ]);
        const perUser = await start(t.users.admin);
        expect(perUser.status).toBe(429);
        expect(JSON.parse(perUser.body)).toMatchObject({
          message: 'you have 2 exports running, the most one person may run at once; wait for one to finish',
        });
        expect((await Promise.all([start(t.users.viewer), start(t.users.viewer)])).map((a) => a.status)).toEqual([
          200, 200,
        ]);
        const full = await Promise.all(Array.from({ length: EXPORTS - 5 }, () => start(third)));
        expect(full.map((a) => a.status)).toEqual(Array(EXPORTS - 5).fill(429));
        expect(new Set(full.map((a) => (JSON.parse(a.body) as { message: string }).message))).toEqual(
          new Set(['4 exports are running, the most this server runs at once; try again when one has finished']),
        );
        await waitFor(async () => (await connectionsOf(db, 'mtink-exports', 'in a transaction')) === 4);

        // Meanwhile every platform delivery is stored, and health answers from the main pool.
        const answers = await Promise.all(deliveries('slow').map((d) => post(t.baseUrl, d)));
        expect(answers.map((a) => a.status)).toEqual(Array(WEBHOOKS).fill(200));
        const health = await t.anonymous().get('/api/health').expect(200);
        expect(health.body.database.status).toBe('up');
        expect(await connectionsOf(db, 'mtink-exports')).toBe(4);
        const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE platform = 'shopify'`);
        expect(n).toBe(WEBHOOKS);

        // Read to the end, the four exports are whole, and their slots are free again.
        const bodies = await Promise.all(running.map(read));
        expect(bodies.map((body) => body.trimEnd().split('\r\n').length)).toEqual(Array(4).fill(EXPORT_ORDERS + 1));
        const again = await stalledExport(t.baseUrl, third);
        expect(again.status).toBe(200);
        expect((await read(again.response)).trimEnd().split('\r\n')).toHaveLength(EXPORT_ORDERS + 1);
      },
      LIMIT_MS,
    );
  });

  describe('a CSV export read by nobody', () => {
    let t: TestApp;
    let db: Client;

    beforeAll(async () => {
      ({ t, db } = await appWithOrders());
    }, LIMIT_MS);
    afterAll(async () => {
      await db?.end();
      await t?.close();
    });

    it(
      'keeps PostgreSQL waiting for the client, neither gathering the rows in the server nor writing them ahead, and is whole once read',
      async () => {
        const { status, response } = await stalledExport(t.baseUrl, t.users.viewer);
        expect(status).toBe(200);
        // Once the response is full the export asks for no more rows: its backend waits idle in the
        // transaction, on its cursor, and stays so (the same state_change poll after poll). Had the server
        // read on into memory, the connection would have left its transaction; had PostgreSQL written
        // ahead as a COPY does, it would be active, waiting to write (ClientWrite).
        let last = '';
        await waitFor(async () => {
          const { rows } = await db.query<{ at: string }>(
            `SELECT state_change::text AS at FROM pg_stat_activity
             WHERE application_name = 'mtink-exports' AND state = 'idle in transaction'
               AND query LIKE 'FETCH % FROM export_rows'`,
          );
          const at = rows.length === 1 ? rows[0]!.at : '';
          const still = at !== '' && at === last;
          last = at;
          return still;
        });
        const lines = (await read(response)).split('\r\n');
        expect(lines).toHaveLength(EXPORT_ORDERS + 2);
        expect(lines.at(-1)).toBe('');
        expect(new Set(lines.slice(1, -1).map((line) => line.split(',')[2])).size).toBe(EXPORT_ORDERS);
        expect(await connectionsOf(db, 'mtink-exports', 'in a transaction')).toBe(0);
      },
      LIMIT_MS,
    );
  });

  describe('a database that cannot take a webhook within the deadline', () => {
    let store: HeldWebhookStore;

    beforeAll(async () => {
      store = await appWithHeldWebhookStore({
        SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
        WEBHOOK_STORE_DEADLINE_MS: '1000',
      });
    }, LIMIT_MS);
    afterAll(() => store?.close());

    it(
      'answers 503 with Retry-After (one deadline) instead of waiting, and the retries land each order exactly once',
      async () => {
        const { t, created } = store;
        await store.hold();
        const held = deliveries('held');
        const answers = await Promise.all(held.map((d) => post(t.baseUrl, d)));
        expect(answers.map((a) => [a.status, a.retryAfter])).toEqual(Array(WEBHOOKS).fill([503, '1']));
        expect(JSON.parse(answers[0]!.body)).toMatchObject({
          statusCode: 503,
          message: 'the delivery could not be stored within 1000 ms; send it again',
        });
        await store.release();

        // A statement that was running when its deliveries were answered may land; the platform's retry is
        // then a duplicate. Either way each order is stored, and announced, once.
        const retries = await Promise.all(held.map((d) => post(t.baseUrl, d)));
        expect(retries.map((a) => a.status)).toEqual(Array(WEBHOOKS).fill(200));
        const [counts] = await t.db.dataSource.query(
          `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM webhook_deliveries) AS deliveries`,
        );
        expect(counts).toEqual({ orders: WEBHOOKS, deliveries: WEBHOOKS });
        await waitFor(() => created.length >= WEBHOOKS);
        expect(created).toHaveLength(WEBHOOKS);
      },
      LIMIT_MS,
    );
  });
});
