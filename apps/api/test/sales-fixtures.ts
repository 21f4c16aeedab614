import type { TestApp } from './test-app';

/** key (external id), platform, created_at, currency, total, base_total (null: unconvertible), country, status, test */
export type FixtureOrder = [string, string, string, string, string, string | null, string | null, string, boolean];

/** order key, refunded_at, amount, base_amount (null: unconverted) */
export type FixtureRefund = [string, string, string, string | null];

/** Hand-made orders and refunds, inserted as they are: the analytics specs state their figures by hand. */
export async function insertSalesFixtures(
  app: TestApp,
  orders: FixtureOrder[],
  refunds: FixtureRefund[],
): Promise<void> {
  const ds = app.db.dataSource;
  for (const [key, platform, createdAt, currency, total, baseTotal, country, status, test] of orders) {
    await ds.query(
      `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status, test)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [platform, key, createdAt, currency, total, baseTotal, country, status, test],
    );
  }
  for (const [key, refundedAt, amount, baseAmount] of refunds) {
    await ds.query(
      `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
       SELECT id, 'r-' || external_id, $2, $3, $4 FROM orders WHERE external_id = $1`,
      [key, refundedAt, amount, baseAmount],
    );
  }
}

/** A country's or platform's figures as the API states them, with its comparison range's and the change. */
export function compared(
  orders: number,
  revenue: number,
  previous: [orders: number, revenue: number] = [0, 0],
  change: [orders: number | null, revenue: number | null] = [null, null],
) {
  return {
    orders,
    revenue,
    previous: { orders: previous[0], revenue: previous[1] },
    change: { orders: change[0], revenue: change[1] },
  };
}
