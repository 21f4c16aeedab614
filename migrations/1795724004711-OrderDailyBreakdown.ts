import { MigrationInterface, QueryRunner } from 'typeorm';
import { REFRESH_HOURLY_TOTALS_SQL } from './1795723458900-OrderHourlyTotals';

const COUNTED = `o.counted AND o.base_total IS NOT NULL`;
const REFUNDS_OF_ORDER = `SELECT sum(r.base_amount) AS refunds FROM refunds r WHERE r.order_id = o.id AND r.base_amount IS NOT NULL`;

/**
 * Countries and platforms of the last N days group ~50,000 orders a month: too slow for SPEC §9 straight
 * from `orders`. This adds a per-local-day breakdown (day, platform, country) in the business zone, fed
 * by the same dirty-hour markers as `order_hourly_totals`, and one refresh function for both rollups.
 *
 * The business zone is configuration, so the function takes it and remembers which zone the breakdown
 * was built in (`order_rollup_zone`); with another zone it rebuilds, and until then readers see the zone
 * differ and read `orders` directly. A dirty hour makes every local day it overlaps dirty.
 */
export class OrderDailyBreakdown1795724004711 implements MigrationInterface {
  name = 'OrderDailyBreakdown1795724004711';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_rollup_zone (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        zone text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE order_daily_breakdown (
        day date NOT NULL,
        platform text NOT NULL,
        country text NOT NULL, -- '' when the order has none
        orders integer NOT NULL,
        sales numeric(16, 2) NOT NULL,
        refunds_by_refund_date numeric(16, 2) NOT NULL,
        refunds_by_order_date numeric(16, 2) NOT NULL,
        PRIMARY KEY (day, platform, country)
      )`);
    // A changed country now matters too (the breakdown groups by it).
    await q.query(
      ordersMarkDirty(
        `(o.created_at, o.base_total, o.counted, o.country) IS DISTINCT FROM (n.created_at, n.base_total, n.counted, n.country)`,
      ),
    );
    await q.query(`DROP FUNCTION refresh_order_hourly_totals()`);
    await q.query(refreshOrderRollupsSql());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION refresh_order_rollups(text)`);
    await q.query(REFRESH_HOURLY_TOTALS_SQL);
    await q.query(
      ordersMarkDirty(
        `(o.created_at, o.base_total, o.counted) IS DISTINCT FROM (n.created_at, n.base_total, n.counted)`,
      ),
    );
    await q.query(`DROP TABLE order_daily_breakdown`);
    await q.query(`DROP TABLE order_rollup_zone`);
  }
}

function ordersMarkDirty(changed: string): string {
  return `
    CREATE OR REPLACE FUNCTION orders_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO order_hourly_dirty (hour)
          SELECT DISTINCT order_hour(n.created_at) FROM new_rows n WHERE n.counted AND n.base_total IS NOT NULL;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO order_hourly_dirty (hour)
          SELECT DISTINCT order_hour(o.created_at) FROM old_rows o WHERE o.counted AND o.base_total IS NOT NULL;
      ELSE
        -- An order that changes what it contributes moves its own hours and the hours of its refunds.
        INSERT INTO order_hourly_dirty (hour)
          WITH changed AS (
            SELECT o.id, o.created_at AS old_at, n.created_at AS new_at
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE ${changed}
          )
          SELECT DISTINCT hour FROM (
            SELECT order_hour(old_at) AS hour FROM changed
            UNION ALL SELECT order_hour(new_at) FROM changed
            UNION ALL SELECT order_hour(r.refunded_at) FROM refunds r JOIN changed c ON r.order_id = c.id
          ) hours;
      END IF;
      RETURN NULL;
    END $$`;
}

/**
 * The refresh function; `afterBreakdown` runs last, while the temporary tables `rollup_hours` and
 * `rollup_days` (the hours and local days just recounted) still exist.
 */
export function refreshOrderRollupsSql(afterBreakdown = ''): string {
  return `
      CREATE OR REPLACE FUNCTION refresh_order_rollups(business_zone text) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        folded integer;
      BEGIN
        -- Concurrent refreshes (several instances) take turns, so an older snapshot never overwrites a
        -- newer one. Markers are deleted before the recount, whose snapshot is newer: it sees at least
        -- the data of every marker it removed; markers of later commits stay for the next refresh.
        PERFORM pg_advisory_xact_lock(hashtext('refresh_order_rollups'));
        DROP TABLE IF EXISTS pg_temp.rollup_hours, pg_temp.rollup_days;
        CREATE TEMP TABLE rollup_hours (hour timestamptz PRIMARY KEY) ON COMMIT DROP;
        WITH done AS (DELETE FROM order_hourly_dirty RETURNING hour) INSERT INTO rollup_hours SELECT DISTINCT hour FROM done;
        ANALYZE rollup_hours;
        SELECT count(*) INTO folded FROM rollup_hours;

        -- Per hour (index range scans) and per order (refunds by order id): fast for a few hours and for
        -- every hour of a million orders alike. Written as plain joins, the planner hashes all orders
        -- against all refunds even for three dirty hours.
        INSERT INTO order_hourly_totals (hour, orders, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT h.hour, s.orders, s.sales, rr.refunds, s.by_order_date
        FROM rollup_hours h
        CROSS JOIN LATERAL (
          SELECT count(*)::integer AS orders, coalesce(sum(o.base_total), 0) AS sales, coalesce(sum(rf.refunds), 0) AS by_order_date
          FROM orders o
          LEFT JOIN LATERAL (${REFUNDS_OF_ORDER}) rf ON true
          WHERE ${COUNTED} AND o.created_at >= h.hour AND o.created_at < h.hour + interval '1 hour'
        ) s
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(r.base_amount), 0) AS refunds FROM refunds r JOIN orders o ON o.id = r.order_id
          WHERE r.refunded_at >= h.hour AND r.refunded_at < h.hour + interval '1 hour' AND r.base_amount IS NOT NULL AND ${COUNTED}
        ) rr
        ON CONFLICT (hour) DO UPDATE SET orders = excluded.orders, sales = excluded.sales,
          refunds_by_refund_date = excluded.refunds_by_refund_date, refunds_by_order_date = excluded.refunds_by_order_date;

        CREATE TEMP TABLE rollup_days (day date PRIMARY KEY) ON COMMIT DROP;
        IF EXISTS (SELECT 1 FROM order_rollup_zone z WHERE z.zone = business_zone) THEN
          INSERT INTO rollup_days
            SELECT (hour AT TIME ZONE business_zone)::date FROM rollup_hours
            UNION SELECT ((hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE business_zone)::date FROM rollup_hours;
        ELSE
          DELETE FROM order_daily_breakdown;
          INSERT INTO order_rollup_zone (id, zone) VALUES (true, business_zone)
            ON CONFLICT (id) DO UPDATE SET zone = excluded.zone;
          INSERT INTO rollup_days
            SELECT (o.created_at AT TIME ZONE business_zone)::date FROM orders o WHERE ${COUNTED}
            UNION SELECT (refunded_at AT TIME ZONE business_zone)::date FROM refunds;
        END IF;
        ANALYZE rollup_days;
        DELETE FROM order_daily_breakdown b USING rollup_days d WHERE b.day = d.day;
        INSERT INTO order_daily_breakdown (day, platform, country, orders, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT day, platform, country, sum(orders), sum(sales), sum(by_refund_date), sum(by_order_date)
        FROM (
          SELECT d.day, s.platform, s.country, s.orders, s.sales, 0 AS by_refund_date, s.by_order_date
          FROM rollup_days d CROSS JOIN LATERAL (
            SELECT o.platform, coalesce(o.country::text, '') AS country, count(*)::integer AS orders, sum(o.base_total) AS sales,
              coalesce(sum(rf.refunds), 0) AS by_order_date
            FROM orders o
            LEFT JOIN LATERAL (${REFUNDS_OF_ORDER}) rf ON true
            WHERE ${COUNTED} AND o.created_at >= (d.day::timestamp AT TIME ZONE business_zone)
              AND o.created_at < ((d.day + 1)::timestamp AT TIME ZONE business_zone)
            GROUP BY 1, 2
          ) s
          UNION ALL
          SELECT d.day, s.platform, s.country, 0, 0, s.refunds, 0
          FROM rollup_days d CROSS JOIN LATERAL (
            SELECT o.platform, coalesce(o.country::text, '') AS country, sum(r.base_amount) AS refunds
            FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE r.base_amount IS NOT NULL AND ${COUNTED}
              AND r.refunded_at >= (d.day::timestamp AT TIME ZONE business_zone)
              AND r.refunded_at < ((d.day + 1)::timestamp AT TIME ZONE business_zone)
            GROUP BY 1, 2
          ) s
        ) parts
        GROUP BY day, platform, country;
${afterBreakdown}
        RETURN folded;
      END $$`;
}
