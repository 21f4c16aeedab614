import { rowsReadInTransaction } from '../../test/rows-read';
import { createTestApp, TestApp } from '../../test/test-app';
import { order } from '../fx/fixtures/fx-fixtures';
import { OrdersTransaction } from './orders.repository';

/**
 * A large file is one transaction, written 500 orders a chunk. The planner's statistics could not see
 * the transaction's own rows (autovacuum counts committed ones), so every statement of a later chunk
 * was planned for the tables as they were before the file: the titles triggers scanned every line
 * written so far, per chunk (a 1,000,000-row file did not finish in 10 minutes). Counted, not timed:
 * rows of the line tables read by one more chunk after 20,000 orders (PostgreSQL's per-transaction
 * statistics).
 */
const LINE_RELATIONS = ['order_lines', 'order_lines_pkey', 'order_line_titles', 'order_line_titles_pkey'];
const CHUNK = 500;
const WRITTEN = 20_000;

const chunk = (from: number) =>
  Array.from({ length: CHUNK }, (_, i) =>
    order(`ST-${from + i}`, `2025-05-${String(1 + ((from + i) % 28)).padStart(2, '0')}T10:00:00Z`, 'USD', '12.00'),
  );

describe('a long import keeps the planner told of its own rows (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { BASE_CURRENCY: 'USD', BUSINESS_TIMEZONE: 'UTC' } });
    // As a fresh install: the tables analysed while empty.
    await t.db.dataSource.query(`ANALYZE orders, order_lines, order_line_titles, refunds`);
  });
  afterAll(() => t.close());

  // ANALYZE writes the table's row count in place: other connections see it before the commit.
  const plannedOrders = async () =>
    Number((await t.db.dataSource.query(`SELECT reltuples FROM pg_class WHERE oid = 'orders'::regclass`))[0].reltuples);

  it('a chunk after 20,000 orders reads its own lines, not every line written before it', async () => {
    const { read, planned } = await t.db.dataSource.transaction(async (manager) => {
      const tx = new OrdersTransaction(manager, t.config);
      for (let from = 0; from < WRITTEN; from += CHUNK) await tx.upsertOrders(chunk(from));
      const planned = await plannedOrders();
      const before = await rowsReadInTransaction(manager, LINE_RELATIONS);
      await tx.upsertOrders(chunk(WRITTEN));
      return { read: (await rowsReadInTransaction(manager, LINE_RELATIONS)) - before, planned };
    });
    // Told at 10,000 and at 20,000 orders (each time the table had doubled).
    expect(planned).toBe(WRITTEN);
    // Its 500 lines, each reached by its key a few times (link, match, learn, allocate), and at most one
    // pass over the lines before it (at 20,000 lines the planner rightly scans them once to find stale
    // positions): not a pass per statement, as planned for an empty table (184,500 rows read here).
    expect(read).toBeLessThan(2 * WRITTEN);
    const [{ shares }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS shares FROM order_line_titles WHERE base_allocated = 12.00`,
    );
    expect(shares).toBe(WRITTEN + CHUNK);
  });

  it('a table another import has analysed is skipped, not waited for', async () => {
    const other = t.db.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    // Enough orders to double the table, so that this transaction analyses.
    const [{ stored }] = await t.db.dataSource.query(`SELECT count(*)::int AS stored FROM orders`);
    const writing = Math.ceil(Math.max(stored + 1, 10_000) / CHUNK) * CHUNK;
    try {
      // Held as an import holds it, to its commit.
      await other.query(`ANALYZE orders`);
      const planned = await t.db.dataSource.transaction(async (manager) => {
        // Without SKIP_LOCKED this transaction's ANALYZE would wait for the other's commit, which comes after it.
        await manager.query(`SET LOCAL lock_timeout = '60s'`);
        const tx = new OrdersTransaction(manager, t.config);
        for (let from = 0; from < writing; from += CHUNK) await tx.upsertOrders(chunk(200_000 + from));
        return plannedOrders();
      });
      // The lines were analysed once the table had doubled (one line an order); orders, locked, kept the
      // other's count of it.
      const [{ lines }] = await t.db.dataSource.query(
        `SELECT reltuples::int AS lines FROM pg_class WHERE oid = 'order_lines'::regclass`,
      );
      expect(lines).toBeGreaterThanOrEqual(2 * stored);
      expect(planned).toBe(stored);
    } finally {
      await other.rollbackTransaction();
      await other.release();
    }
  });

  it('a small write (a webhook, a poller page) does not analyse', async () => {
    await t.db.dataSource.query(`ANALYZE orders`);
    const before = await plannedOrders();
    await t.db.dataSource.transaction((manager) =>
      new OrdersTransaction(manager, t.config).upsertOrders(chunk(100_000)),
    );
    const after = await plannedOrders();
    expect(after).toBe(before);
  });
});
