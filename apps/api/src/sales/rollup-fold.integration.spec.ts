import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../../test/test-database';

/**
 * Issue 17 item 7: after a bulk load (tens of thousands of dirty hours) the fold recounted hour by hour,
 * an index scan per hour and a refund lookup per order. Counted, not timed: the index scans the fold
 * makes (PostgreSQL's own per-transaction statistics), and the rollups it writes, which must be those
 * that folding the same hours a few at a time (the per-hour way) writes.
 */
const ZONE = 'Europe/Berlin';
/** Ten orders an hour: more hours than the fold recounts one by one, over more than two months. */
const HOURS = 1500;

const ROLLUPS = {
  hourly: `SELECT hour, orders, sales, refunds_by_refund_date, refunds_by_order_date FROM order_hourly_totals ORDER BY hour`,
  breakdown: `SELECT day, platform, country, orders, sales, refunds_by_refund_date, refunds_by_order_date
              FROM order_daily_breakdown ORDER BY day, platform, country`,
  daily: `SELECT day, orders, sales, refunds_by_refund_date, refunds_by_order_date FROM order_daily_totals ORDER BY day`,
};

type Snapshot = Record<keyof typeof ROLLUPS, unknown[]>;

async function snapshot(client: Client): Promise<Snapshot> {
  const result = {} as Snapshot;
  for (const [name, sql] of Object.entries(ROLLUPS)) result[name as keyof Snapshot] = (await client.query(sql)).rows;
  return result;
}

/**
 * Scans of the orders' and refunds' time indexes, of refunds by order, and sequential scans of both
 * tables, in the current transaction (look-ups of a refund's order by its key are per refund, not per hour).
 */
async function scansInTransaction(client: Client): Promise<number> {
  const [{ scans }] = (
    await client.query(
      `SELECT sum(pg_stat_get_xact_numscans(rel::regclass))::int AS scans
       FROM unnest(ARRAY['orders', 'refunds', 'orders_counted_created_at', 'refunds_refunded_at', 'refunds_natural_key']) AS rel`,
    )
  ).rows;
  return scans as number;
}

describe('the order rollup fold after a bulk load (integration)', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
    // Every case the rules tell apart: cancelled and unconverted orders, no country, refunds in another
    // hour and day than their order, unconverted refunds and refunds of orders that do not count.
    await client.query(
      `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
       SELECT (ARRAY['shopify', 'etsy', 'woocommerce'])[1 + i % 3], 'B-' || i,
         timestamptz '2026-01-01T00:20:00Z' + i * interval '6 minutes', 'USD', 10 + i % 7, CASE WHEN i % 11 = 0 THEN NULL ELSE 10 + i % 7 END,
         (ARRAY['GB', 'US', NULL, 'DE'])[1 + i % 4], CASE WHEN i % 13 = 0 THEN 'cancelled' ELSE 'paid' END
       FROM generate_series(0, $1 * 10 - 1) AS i`,
      [HOURS],
    );
    await client.query(
      `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
       SELECT id, 'R-' || id, created_at + (id % 40) * interval '1 hour', 2.5, CASE WHEN id % 9 = 0 THEN NULL ELSE 2.5 END
       FROM orders WHERE id % 5 = 0`,
    );
    await client.query(`INSERT INTO order_rollup_zone (id, zone) VALUES (true, $1)`, [ZONE]);
    // As demo:seed and the bench do after a bulk load (and autovacuum does soon after an import).
    await client.query(`ANALYZE orders, refunds`);
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('folds every dirty hour in a few scans, to the same rollups as folding them a few at a time', async () => {
    const [{ dirty }] = (await client.query(`SELECT count(DISTINCT hour)::int AS dirty FROM order_hourly_dirty`)).rows;
    // Hours of counted orders and of their refunds: more than the fold recounts one by one (1,000).
    expect(dirty).toBeGreaterThan(1000);

    await client.query('BEGIN');
    const [{ folded }] = (await client.query(`SELECT refresh_order_rollups($1) AS folded`, [ZONE])).rows;
    const scans = await scansInTransaction(client);
    const atOnce = await snapshot(client);
    await client.query('ROLLBACK');
    expect(folded).toBe(dirty);
    // Hour by hour, it was range scans per hour and a refund look-up per order (as below: thousands).
    expect(scans).toBeLessThan(50);
    expect(atOnce.hourly).toHaveLength(dirty);
    expect(atOnce.daily.length).toBeGreaterThan(60);

    // The same hours, 100 at a time: each fold recounts them one by one.
    await client.query(`CREATE TEMP TABLE waiting AS SELECT DISTINCT hour FROM order_hourly_dirty`);
    await client.query(`DELETE FROM order_hourly_dirty`);
    await client.query('BEGIN');
    for (;;) {
      const moved = await client.query(
        `WITH next AS (DELETE FROM waiting WHERE hour IN (SELECT hour FROM waiting ORDER BY hour LIMIT 100) RETURNING hour)
         INSERT INTO order_hourly_dirty (hour) SELECT hour FROM next`,
      );
      if (moved.rowCount === 0) break;
      await client.query(`SELECT refresh_order_rollups($1)`, [ZONE]);
    }
    expect(await scansInTransaction(client)).toBeGreaterThan(dirty);
    await client.query('COMMIT');
    expect(await snapshot(client)).toEqual(atOnce);
  });
});
