import { SchedulerRegistry } from '@nestjs/schedule';
import { comparedWithPreviousRange, customRange } from '@mt/periods';
import { PLATFORMS } from '@mt/contracts';
import type { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../../test/test-app';
import { RefundAttribution } from './sales-sql';
import { SalesRepository } from './sales.repository';

/**
 * Issue 17: countries and platforms took 5.4 s at 10 M orders because their refunds part joined every
 * order to every refund before keeping the window's refunds. Counted, not timed: how many rows the
 * queries read from `orders`, from PostgreSQL's own EXPLAIN ANALYZE, against how many the table has.
 */
const ZONE = 'Europe/Berlin';
const NOW = new Date('2026-11-26T14:30:00+01:00');
const ORDERS = 20_000;

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** Rows that nodes over `orders` produced, over all their loops. */
function ordersRowsRead(node: PlanNode): number {
  const own = node['Relation Name'] === 'orders' ? node['Actual Rows'] * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + ordersRowsRead(child), 0);
}

describe.each(['refund_date', 'order_date'] as RefundAttribution[])(
  'countries and platforms, REFUND_ATTRIBUTION=%s: bounded to the window before any join',
  (attribution) => {
    let app: TestApp;

    beforeAll(async () => {
      app = await createTestApp({ env: { REFUND_ATTRIBUTION: attribution } });
      app.app.get(SchedulerRegistry).deleteInterval('comparison.rollups');
      const ds = app.db.dataSource;
      // 200 days of orders, one in a hundred refunded a day later.
      await ds.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         SELECT (ARRAY['shopify', 'etsy', 'woocommerce'])[1 + i % 3], 'o' || i,
           $1::timestamptz - (i * interval '1 day' * 200 / $2), 'USD', 10, 10,
           (ARRAY['GB', 'US', 'DE', 'FR'])[1 + i % 4], 'paid'
         FROM generate_series(1, $2) AS i`,
        [NOW, ORDERS],
      );
      await ds.query(
        `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
         SELECT id, 'r' || id, created_at + interval '1 day', 5, 5 FROM orders WHERE id % 100 = 0`,
      );
      await ds.query(`SELECT refresh_order_rollups($1)`, [ZONE]);
      await ds.query(`ANALYZE orders, refunds`);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('read a small part of the orders, not all of them', async () => {
      const explained: PlanNode[] = [];
      const explaining = {
        query: async (sql: string, params: unknown[]) => {
          const [row]: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }> = await app.db.dataSource.query(
            `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
            params,
          );
          explained.push(row!['QUERY PLAN'][0]!.Plan);
          return app.db.dataSource.query(sql, params);
        },
      } as unknown as DataSource;
      const sales = new SalesRepository(explaining, app.config, explaining);
      const { current, previous } = comparedWithPreviousRange(customRange('2026-10-28', '2026-11-26', ZONE), NOW, ZONE);
      const countries = await sales.countries(current, 'orders', 10, previous);
      const platforms = await sales.platforms(current, previous, PLATFORMS);
      // The figures are there: 30 days of a 200-day table, and the 30 before.
      const count = async (w: { from: Date; to: Date }): Promise<number> =>
        (
          await app.db.dataSource.query(
            `SELECT count(*)::int AS n FROM orders WHERE created_at >= $1 AND created_at < $2`,
            [w.from, w.to],
          )
        )[0].n;
      expect(countries.reduce((sum, c) => sum + c.orders, 0)).toBe(await count(current));
      expect(countries.reduce((sum, c) => sum + c.previous.orders, 0)).toBe(await count(previous));
      expect(platforms.reduce((sum, p) => sum + p.orders, 0)).toBe(await count(current));
      expect(await count(current)).toBeGreaterThan(2900);
      expect(explained).toHaveLength(2);
      // Whole days come from the rollup; from `orders` only today so far and the same hours a month
      // before (about 60 each), and the order of each refund in them, or their refunds' orders.
      for (const plan of explained) expect(ordersRowsRead(plan)).toBeLessThan(ORDERS / 20);
    });
  },
);
