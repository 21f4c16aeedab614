import type { HeroShare, OrderEvent } from '@mt/contracts';
import { figuresInclude, heroWithShares } from '@mt/contracts';
import { Client as PgClient } from 'pg';
import { filter, firstValueFrom } from 'rxjs';
import { createTestApp, TestApp } from '../../test/test-app';
import { FixtureOrder, insertSalesFixtures } from '../../test/sales-fixtures';
import { OrderIngestService } from '../orders/order-ingest.service';
import { shopifyDelivery, shopifyOrder, SHOP_DOMAIN, SHOPIFY_SECRET } from '../orders/fixtures/webhook-fixtures';
import { parseShopifyOrder } from '../orders/parsers/shopify.parser';
import { SalesRepository } from '../sales/sales.repository';
import { DomainEvents } from './domain-events';
import { MetricsPush } from './metrics-push';

/** The next `order.created` the app announces. */
function nextOrderCreated(t: TestApp): Promise<OrderEvent> {
  return firstValueFrom(t.app.get(DomainEvents).events$.pipe(filter((event) => event.name === 'order.created'))).then(
    (event) => event.payload as OrderEvent,
  );
}

/** The stored order of external id `key`: its id, and the transaction that wrote its row as it is now. */
async function stored(t: TestApp, key: string): Promise<{ orderId: string; commit: string }> {
  const [row]: Array<{ orderId: string; commit: string }> = await t.db.dataSource.query(
    `SELECT id::text AS "orderId", xmin::text AS commit FROM orders WHERE external_id = $1`,
    [key],
  );
  return row!;
}

describe('what an order adds to the hero (SalesRepository.heroShares)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const orders: FixtureOrder[] = [
      // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin (CEST): the business zone's day.
      ['counted', 'shopify', '2026-03-31T22:30:00Z', 'USD', '12.34', '12.34', 'DE', 'paid', false],
      ['converted', 'etsy', '2026-04-01T09:00:00Z', 'GBP', '10.00', '12.71', 'GB', 'paid', false],
      ['cancelled', 'shopify', '2026-04-01T09:00:00Z', 'USD', '20.00', '20.00', 'DE', 'cancelled', false],
      ['test', 'shopify', '2026-04-01T09:00:00Z', 'USD', '20.00', '20.00', 'DE', 'paid', true],
      ['unconvertible', 'etsy', '2026-04-01T09:00:00Z', 'INR', '900.00', null, 'IN', 'paid', false],
      ['other-day', 'shopify', '2026-03-31T21:59:59Z', 'USD', '5.00', '5.00', 'DE', 'paid', false],
      ['refunded', 'shopify', '2026-04-01T09:00:00Z', 'USD', '30.00', '30.00', 'DE', 'paid', false],
      ['changed-since', 'shopify', '2026-04-01T09:00:00Z', 'USD', '40.00', '40.00', 'DE', 'paid', false],
    ];
    await insertSalesFixtures(t, orders, [['refunded', '2026-04-01T10:00:00Z', '5.00', '5.00']]);
  });
  afterAll(() => t.close());

  it.each<[string, Omit<HeroShare, 'commit'> | null]>([
    ['counted', { day: '2026-04-01', orders: 1, revenue: '12.34' }],
    ['converted', { day: '2026-04-01', orders: 1, revenue: '12.71' }],
    ['cancelled', null],
    ['test', null],
    ['unconvertible', null],
    ['other-day', { day: '2026-03-31', orders: 1, revenue: '5.00' }],
    // Its refund lowers revenue on its own day: the next push moves the hero, not a share.
    ['refunded', null],
  ])('%s order: %j', async (key, expected) => {
    const change = await stored(t, key);
    const shares = await t.app.get(SalesRepository).heroShares([change]);
    expect(shares.get(change.orderId) ?? null).toEqual(expected && { ...expected, commit: change.commit });
  });

  it('gives no share for a row that a later transaction wrote again: its commit no longer tells which figures hold it', async () => {
    const before = await stored(t, 'changed-since');
    await t.db.dataSource.query(`UPDATE orders SET order_number = '#2' WHERE external_id = 'changed-since'`);
    const shares = await t.app.get(SalesRepository).heroShares([before]);
    expect(shares.size).toBe(0);
    const after = await stored(t, 'changed-since');
    expect((await t.app.get(SalesRepository).heroShares([after])).get(after.orderId)).toEqual({
      day: '2026-04-01',
      orders: 1,
      revenue: '40.00',
      commit: after.commit,
    });
  });
});

describe('the hero of a live dashboard: pushed figures and the shares after their watermark', () => {
  let t: TestApp;
  let db: PgClient;

  beforeAll(async () => {
    t = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET } });
    db = new PgClient({ connectionString: t.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('an order webhook announces its share; the figures read before it plus the share are what the endpoint answers after it', async () => {
    const createdAt = new Date();
    const now = new Date(createdAt.getTime() + 1000);
    const push = t.app.get(MetricsPush);
    const before = await push.figures(now);
    const event = nextOrderCreated(t);
    const delivery = shopifyDelivery(
      shopifyOrder({ id: 6600001, name: '#6600001', created_at: createdAt.toISOString() }),
    );
    await t.anonymous().post('/api/webhooks/shopify').set(delivery.headers).send(delivery.body).expect(200);
    const share = (await event).hero!;
    expect(share).toEqual({
      day: before.hero.today.from.slice(0, 10),
      orders: 1,
      revenue: '86.00',
      commit: expect.any(String),
    });

    const answer = (await t.as('viewer').get('/api/comparison/today-vs-yesterday').query({ now }).expect(200)).body;
    expect(figuresInclude(before.watermark, share.commit)).toBe(false);
    expect(heroWithShares(before.hero, before.watermark, [share])).toEqual(answer);
    expect(answer.today.orders).toBe(before.hero.today.orders + 1);
    // Figures read after it include it: the share adds nothing twice.
    const after = await push.figures(now);
    expect(figuresInclude(after.watermark, share.commit)).toBe(true);
    expect(heroWithShares(after.hero, after.watermark, [share])).toEqual(answer);
  });

  it('an order stored through a transaction (not the webhook batch) is announced with its share too', async () => {
    const createdAt = new Date();
    const event = nextOrderCreated(t);
    const order = parseShopifyOrder(
      shopifyOrder({ id: 6600002, name: '#6600002', created_at: createdAt.toISOString() }),
      SHOP_DOMAIN,
    );
    await t.app.get(OrderIngestService).ingestBatch([order]);
    const share = (await event).hero!;
    expect(share).toEqual({
      day: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      orders: 1,
      revenue: '86.00',
      commit: expect.any(String),
    });
    expect(share.commit).toBe((await stored(t, '6600002')).commit);
  });

  it('an order committed after the figures were read is after their watermark, and one committed before is in them: never both, never neither', async () => {
    const now = new Date(Date.now() + 60_000);
    const at = new Date(now.getTime() - 30_000).toISOString();
    // Committed before the read.
    await db.query('BEGIN');
    const earlier = await insertOrder(db, 'before-the-read', at);
    await db.query('COMMIT');
    // Written before the read, committed after it (between the figures' read and their push).
    await db.query('BEGIN');
    const later = await insertOrder(db, 'during-the-push', at);
    const figures = await t.app.get(MetricsPush).figures(now);
    await db.query('COMMIT');

    expect(figuresInclude(figures.watermark, earlier.commit)).toBe(true);
    expect(figuresInclude(figures.watermark, later.commit)).toBe(false);
    // The dashboard's test is PostgreSQL's own.
    const { rows } = await db.query<{ earlier: boolean; later: boolean }>(
      `SELECT pg_visible_in_snapshot($1::xid8, $3::pg_snapshot) AS earlier,
              pg_visible_in_snapshot($2::xid8, $3::pg_snapshot) AS later`,
      [earlier.commit, later.commit, figures.watermark],
    );
    expect(rows[0]).toEqual({ earlier: true, later: false });
    const shares = await t.app.get(SalesRepository).heroShares([earlier, later]);
    expect(shares.size).toBe(2);
    const answer = (await t.as('viewer').get('/api/comparison/today-vs-yesterday').query({ now }).expect(200)).body;
    expect(answer.today.orders).toBe(figures.hero.today.orders + 1);
    // The dashboard's sum: the figures, plus the later order's share, and not the earlier's again.
    expect(heroWithShares(figures.hero, figures.watermark, shares.values())).toEqual(answer);
  });
});

/** An order placed at `at` for 25.00 USD, written on `db` in its open transaction; its id and that transaction's. */
async function insertOrder(db: PgClient, key: string, at: string): Promise<{ orderId: string; commit: string }> {
  const { rows } = await db.query<{ orderId: string; commit: string }>(
    `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status, test)
     VALUES ('shopify', $1, $2, 'USD', 25.00, 25.00, 'DE', 'paid', false)
     RETURNING id::text AS "orderId", pg_current_xact_id()::text AS commit`,
    [key, at],
  );
  return rows[0]!;
}
