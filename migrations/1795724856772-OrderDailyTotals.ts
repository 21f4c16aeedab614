import { MigrationInterface, QueryRunner } from 'typeorm';
import { refreshOrderRollupsSql } from './1795724004711-OrderDailyBreakdown';

/**
 * Totals per local day of the business zone (the daily breakdown summed over platforms and countries), so
 * that a month or a year of windows reads one row a day instead of 24 hourly rows; the hourly totals
 * remain for the ragged ends of a window (now, yesterday at this time, dirty days).
 */
export class OrderDailyTotals1795724856772 implements MigrationInterface {
  name = 'OrderDailyTotals1795724856772';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_daily_totals (
        day date PRIMARY KEY,
        orders integer NOT NULL,
        sales numeric(16, 2) NOT NULL,
        refunds_by_refund_date numeric(16, 2) NOT NULL,
        refunds_by_order_date numeric(16, 2) NOT NULL
      )`);
    await q.query(
      refreshOrderRollupsSql(`
        -- Also days left without any breakdown row, which a rebuild in another zone can leave behind.
        DELETE FROM order_daily_totals t
        WHERE t.day IN (SELECT day FROM rollup_days) OR NOT EXISTS (SELECT 1 FROM order_daily_breakdown b WHERE b.day = t.day);
        INSERT INTO order_daily_totals (day, orders, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT b.day, sum(b.orders), sum(b.sales), sum(b.refunds_by_refund_date), sum(b.refunds_by_order_date)
        FROM order_daily_breakdown b JOIN rollup_days d ON d.day = b.day
        GROUP BY b.day;`),
    );
    // The totals start empty: have the next refresh rebuild everything in its zone.
    await q.query(`DELETE FROM order_rollup_zone`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(refreshOrderRollupsSql());
    await q.query(`DROP TABLE order_daily_totals`);
  }
}
