import { EntityManager } from 'typeorm';
import { rowsReadInTransaction } from '../../test/rows-read';
import { createTestDatabase, TestDatabase } from '../../test/test-database';

/**
 * The titles triggers match, allocate and mark the lines of the orders a statement wrote. They joined
 * the written ids as an unnested list, which the planner takes for 200 rows whatever it holds, and read
 * every stored line and line share to match ten new orders (an order file is written 500 orders a
 * statement, so a large import paid that per statement). Counted, not timed: rows of the line tables and
 * their keys read in the writing transaction (PostgreSQL's per-transaction statistics).
 */
const LINE_RELATIONS = ['order_lines', 'order_lines_pkey', 'order_line_titles', 'order_line_titles_pkey'];
const STORED = 20_000;
const NEW_ORDERS = 10;
const LINES_PER_ORDER = 2;

const insertOrders = (manager: EntityManager | TestDatabase['dataSource'], prefix: string, count: number) =>
  manager.query(
    `WITH o AS (
       INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, status)
       SELECT 'shopify', $1 || i, timestamptz '2025-05-01T10:00:00Z' + i * interval '1 minute', 'USD', 30, 30, 'paid'
       FROM generate_series(1, $2::int) AS i RETURNING id)
     INSERT INTO order_lines (order_id, position, title, sku, quantity, unit_price, line_total)
     SELECT o.id, p, CASE p WHEN 1 THEN 'The Harbour Quill (Paperback)' ELSE 'Salt and Ink: Poems' END, 'SKU-' || p, 1, 15, 15
     FROM o CROSS JOIN generate_series(1, $3::int) AS p`,
    [prefix, count, LINES_PER_ORDER],
  );

describe('the titles triggers read the lines they were given (integration)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertOrders(db.dataSource, 'S-', STORED);
    // As right after a bulk load: the orders analysed, the lines not yet (autovacuum comes later).
    await db.dataSource.query(`ANALYZE orders`);
  });
  afterAll(() => db.drop());

  it('matches, allocates and marks ten new orders reading their own lines only', async () => {
    const read = await db.dataSource.transaction(async (manager) => {
      const before = await rowsReadInTransaction(manager, LINE_RELATIONS);
      await insertOrders(manager, 'N-', NEW_ORDERS);
      return (await rowsReadInTransaction(manager, LINE_RELATIONS)) - before;
    });
    const shares = await db.dataSource.query(
      `SELECT ti.name, e.format, count(*)::int AS lines, sum(t.base_allocated)::text AS revenue
       FROM orders o JOIN order_line_titles t ON t.order_id = o.id JOIN editions e ON e.id = t.edition_id JOIN titles ti ON ti.id = e.title_id
       WHERE o.external_id LIKE 'N-%' GROUP BY ti.name, e.format ORDER BY ti.name`,
    );
    expect(shares).toEqual([
      { name: 'Salt and Ink: Poems', format: 'other', lines: NEW_ORDERS, revenue: '150.00' },
      { name: 'The Harbour Quill', format: 'paperback', lines: NEW_ORDERS, revenue: '150.00' },
    ]);
    // Their 20 lines and shares, each reached by its key a few times (link, match, learn, allocate):
    // not the 40,000 stored lines.
    expect(read).toBeLessThan(NEW_ORDERS * LINES_PER_ORDER * 40);
  });
});
