import { EntityManager } from 'typeorm';
import { rowsReadInTransaction } from '../../test/rows-read';
import { createTestApp, TestApp } from '../../test/test-app';
import { OrdersRepository } from '../orders/orders.repository';

/**
 * Issue 13's bar (a rate file converting 10,000 waiting orders in under 5 s) was lost when titles came:
 * converting a few orders looked up a rate for every line of every foreign order (the lines' update
 * tested "does the base amount differ" before keeping the rates' days), and the titles triggers read
 * every line's title share (they joined an unnested id list, which the planner takes for 200 rows
 * whatever it holds). Counted, not timed: rate look-ups and title-share rows read in the rates'
 * transaction (PostgreSQL's per-transaction statistics).
 */
const SHARE_RELATIONS = ['order_line_titles', 'order_line_titles_pkey'];
const CONVERTED = 20_000;
const WAITING = 10;
const LINES_PER_ORDER = 2;

interface Reads {
  rateLookups: number;
  shareRows: number;
}

async function readsSoFar(manager: EntityManager): Promise<Reads> {
  const [{ rateLookups }] = (await manager.query(
    `SELECT pg_stat_get_xact_numscans('fx_rates_pkey'::regclass)::int AS "rateLookups"`,
  )) as Array<{ rateLookups: number }>;
  return { rateLookups, shareRows: await rowsReadInTransaction(manager, SHARE_RELATIONS) };
}

describe('a rate reaches only the orders of its days (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { BASE_CURRENCY: 'USD', BUSINESS_TIMEZONE: 'UTC' } });
    const db = t.db.dataSource;
    // Converted EUR orders over the year, and ZAR orders over the year waiting for their rates.
    await db.query(
      `INSERT INTO fx_rates (day, currency, base_currency, rate, source)
       SELECT d::date, 'EUR', 'USD', 1.08, 'api' FROM generate_series(date '2025-01-01', date '2025-12-31', interval '1 day') AS d`,
    );
    await db.query(
      `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, status)
       SELECT 'shopify', 'EU-' || i, timestamptz '2025-01-01T10:00:00Z' + (i % 365) * interval '1 day', 'EUR', 20, 21.60, 'paid'
       FROM generate_series(1, $1::int) AS i`,
      [CONVERTED],
    );
    await db.query(
      `INSERT INTO orders (platform, external_id, created_at, currency, total, status)
       SELECT 'shopify', 'ZA-' || i, timestamptz '2025-01-10T10:00:00Z' + i * interval '30 days', 'ZAR', 200 + i, 'paid'
       FROM generate_series(1, $1::int) AS i`,
      [WAITING],
    );
    await db.query(
      `INSERT INTO order_lines (order_id, position, title, quantity, unit_price, line_total, base_line_total)
       SELECT o.id, p, 'The Harbour Quill', 1, o.total / 2, o.total / 2, o.base_total / 2
       FROM orders o CROSS JOIN generate_series(1, $1::int) AS p`,
      [LINES_PER_ORDER],
    );
    // As right after a bulk load: the orders analysed, the lines not yet (autovacuum comes later).
    await db.query(`ANALYZE orders, fx_rates`);
  });
  afterAll(() => t.close());

  it('converts the waiting orders, their lines and title shares, looking up rates and shares for them only', async () => {
    const orders = t.app.get(OrdersRepository);
    const { changed, read } = await t.db.dataSource.transaction(async (manager) => {
      // A year of ZAR rates, as a rate file brings them.
      const days = (await manager.query(
        `INSERT INTO fx_rates (day, currency, base_currency, rate, source)
         SELECT d::date, 'ZAR', 'USD', 0.055, 'file' FROM generate_series(date '2025-01-01', date '2025-12-31', interval '1 day') AS d
         RETURNING to_char(day, 'YYYY-MM-DD') AS day`,
      )) as Array<{ day: string }>;
      const before = await readsSoFar(manager);
      const result = await orders.applyRates(
        manager,
        days.map(({ day }) => ({ currency: 'ZAR', day })),
      );
      const after = await readsSoFar(manager);
      return {
        changed: result,
        read: { rateLookups: after.rateLookups - before.rateLookups, shareRows: after.shareRows - before.shareRows },
      };
    });
    expect(changed).toEqual({ orders: WAITING, refunds: 0 });

    const converted = await t.db.dataSource.query(
      `SELECT o.external_id, o.base_total::text AS order_base, array_agg(l.base_line_total::text ORDER BY l.position) AS lines,
              array_agg(lt.base_allocated::text ORDER BY l.position) AS shares
       FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN order_line_titles lt ON lt.order_id = l.order_id AND lt.position = l.position
       WHERE o.currency = 'ZAR' GROUP BY o.id ORDER BY o.id LIMIT 2`,
    );
    // 201 ZAR × 0.055 = 11.055 → 11.06, shared 5.53 + 5.53; 202 × 0.055 = 11.11 → 5.56 + 5.55 (largest remainder, first line).
    expect(converted).toEqual([
      { external_id: 'ZA-1', order_base: '11.06', lines: ['5.53', '5.53'], shares: ['5.53', '5.53'] },
      { external_id: 'ZA-2', order_base: '11.11', lines: ['5.56', '5.56'], shares: ['5.56', '5.55'] },
    ]);
    // A rate per waiting order and two per waiting line (its total and its refunded amount), and the
    // waiting lines’ shares each reached by its key (a few rows per look-up): not 100,000 look-ups for
    // the foreign orders' lines, nor the table's 40,020 shares.
    expect(read.rateLookups).toBeLessThanOrEqual(WAITING + WAITING * LINES_PER_ORDER * 2);
    expect(read.shareRows).toBeLessThan(WAITING * LINES_PER_ORDER * 10);
  });
});
