import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An hourly (UTC) rollup of counted, convertible orders and their refunds, so that a year of monthly
 * growth reads ~9,000 rows instead of ~500,000 orders.
 *
 * Why hours in UTC and not days: the business zone is configuration and may change; every zone's local
 * midnight is a whole UTC hour, except zones with :30/:45 offsets, whose ragged ends the readers take from
 * `orders` directly (as they do with the partial hour at "now").
 *
 * Why a dirty list instead of triggers updating the totals: updating one "current hour" row from every
 * order insert would serialise concurrent webhooks on its row lock (and two imports could deadlock on
 * hours touched in different orders). The triggers only append the hours they affect to
 * `order_hourly_dirty` (no unique key, so no waiting); readers take dirty hours from `orders` (always
 * exact, immediately consistent) and `refresh_order_hourly_totals()` folds them in the background.
 * (OrderDailyBreakdown and OrderDailyTotals add per-local-day rollups in the business zone and replace
 * that function by `refresh_order_rollups(zone)`.)
 */
export class OrderHourlyTotals1795723458900 implements MigrationInterface {
  name = 'OrderHourlyTotals1795723458900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_hourly_totals (
        hour timestamptz PRIMARY KEY,
        orders integer NOT NULL,
        sales numeric(16, 2) NOT NULL,
        refunds_by_refund_date numeric(16, 2) NOT NULL,
        refunds_by_order_date numeric(16, 2) NOT NULL
      )`);
    await q.query(`CREATE TABLE order_hourly_dirty (hour timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX order_hourly_dirty_hour ON order_hourly_dirty (hour)`);
    // Warnings read the few unconvertible refunds without scanning all refunds of a window.
    await q.query(
      `CREATE INDEX refunds_unconverted_refunded_at ON refunds (refunded_at) INCLUDE (order_id) WHERE base_amount IS NULL`,
    );
    await q.query(`CREATE INDEX refunds_unconverted_order_id ON refunds (order_id) WHERE base_amount IS NULL`);

    await q.query(`
      CREATE FUNCTION order_hour(at timestamptz) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN date_trunc('hour', at, 'UTC')`);

    await q.query(`
      CREATE FUNCTION orders_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
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
              WHERE (o.created_at, o.base_total, o.counted) IS DISTINCT FROM (n.created_at, n.base_total, n.counted)
            )
            SELECT DISTINCT hour FROM (
              SELECT order_hour(old_at) AS hour FROM changed
              UNION ALL SELECT order_hour(new_at) FROM changed
              UNION ALL SELECT order_hour(r.refunded_at) FROM refunds r JOIN changed c ON r.order_id = c.id
            ) hours;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION refunds_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO order_hourly_dirty (hour)
            SELECT DISTINCT hour FROM (
              SELECT order_hour(n.refunded_at) AS hour FROM new_rows n
              UNION ALL SELECT order_hour(o.created_at) FROM new_rows n JOIN orders o ON o.id = n.order_id
            ) hours;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          -- After a cascade from orders the order is gone; its own trigger marked the order's hour.
          INSERT INTO order_hourly_dirty (hour)
            SELECT DISTINCT hour FROM (
              SELECT order_hour(d.refunded_at) AS hour FROM old_rows d
              UNION ALL SELECT order_hour(o.created_at) FROM old_rows d JOIN orders o ON o.id = d.order_id
            ) hours;
        END IF;
        RETURN NULL;
      END $$`);
    // Statement-level with transition tables: one INSERT per statement, also for million-row imports.
    await q.query(
      `CREATE TRIGGER orders_dirty_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_mark_dirty()`,
    );
    await q.query(
      `CREATE TRIGGER orders_dirty_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_mark_dirty()`,
    );
    await q.query(
      `CREATE TRIGGER orders_dirty_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_mark_dirty()`,
    );
    await q.query(
      `CREATE TRIGGER refunds_dirty_insert AFTER INSERT ON refunds REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_mark_dirty()`,
    );
    await q.query(
      `CREATE TRIGGER refunds_dirty_update AFTER UPDATE ON refunds REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_mark_dirty()`,
    );
    await q.query(
      `CREATE TRIGGER refunds_dirty_delete AFTER DELETE ON refunds REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_mark_dirty()`,
    );

    // Folds the dirty hours into the totals. The lock makes concurrent refreshes (several instances) take
    // turns, so an older snapshot never overwrites a newer one; the DELETE and the recount run in one
    // statement, one snapshot, so a marker is removed only together with the data it stands for. Markers
    // of transactions still running stay for the next refresh.
    await q.query(REFRESH_HOURLY_TOTALS_SQL);

    // Existing data: every hour that has orders or refunds is dirty once.
    await q.query(`
      INSERT INTO order_hourly_dirty (hour)
        SELECT DISTINCT order_hour(created_at) FROM orders WHERE counted AND base_total IS NOT NULL
        UNION SELECT DISTINCT order_hour(refunded_at) FROM refunds`);
    await q.query(`SELECT refresh_order_hourly_totals()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const trigger of ['orders_dirty_insert', 'orders_dirty_update', 'orders_dirty_delete']) {
      await q.query(`DROP TRIGGER ${trigger} ON orders`);
    }
    for (const trigger of ['refunds_dirty_insert', 'refunds_dirty_update', 'refunds_dirty_delete']) {
      await q.query(`DROP TRIGGER ${trigger} ON refunds`);
    }
    await q.query(`DROP FUNCTION refresh_order_hourly_totals()`);
    await q.query(`DROP FUNCTION refunds_mark_dirty()`);
    await q.query(`DROP FUNCTION orders_mark_dirty()`);
    await q.query(`DROP FUNCTION order_hour(timestamptz)`);
    await q.query(`DROP INDEX refunds_unconverted_order_id`);
    await q.query(`DROP INDEX refunds_unconverted_refunded_at`);
    await q.query(`DROP TABLE order_hourly_dirty`);
    await q.query(`DROP TABLE order_hourly_totals`);
  }
}

/** Folds the dirty hours into the totals (replaced by `refresh_order_rollups` in OrderDailyBreakdown). */
export const REFRESH_HOURLY_TOTALS_SQL = `
      CREATE FUNCTION refresh_order_hourly_totals() RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE folded integer;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('refresh_order_hourly_totals'));
        WITH done AS (DELETE FROM order_hourly_dirty RETURNING hour),
        hours AS (SELECT DISTINCT hour FROM done),
        fresh AS (
          SELECT h.hour, s.orders, s.sales, rr.refunds AS by_refund_date, s.by_order_date
          FROM hours h
          -- Per hour (index range scans) and per order (refunds by order id): fast for a few hours and
          -- for every hour of a million orders alike; as plain joins the planner hashes whole tables.
          CROSS JOIN LATERAL (
            SELECT count(*)::integer AS orders, coalesce(sum(o.base_total), 0) AS sales, coalesce(sum(rf.refunds), 0) AS by_order_date
            FROM orders o
            LEFT JOIN LATERAL (SELECT sum(r.base_amount) AS refunds FROM refunds r WHERE r.order_id = o.id AND r.base_amount IS NOT NULL) rf ON true
            WHERE o.counted AND o.base_total IS NOT NULL AND o.created_at >= h.hour AND o.created_at < h.hour + interval '1 hour'
          ) s
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(r.base_amount), 0) AS refunds FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE r.refunded_at >= h.hour AND r.refunded_at < h.hour + interval '1 hour'
              AND r.base_amount IS NOT NULL AND o.counted AND o.base_total IS NOT NULL
          ) rr
        )
        INSERT INTO order_hourly_totals (hour, orders, sales, refunds_by_refund_date, refunds_by_order_date)
          SELECT hour, orders, sales, by_refund_date, by_order_date FROM fresh
        ON CONFLICT (hour) DO UPDATE SET orders = excluded.orders, sales = excluded.sales,
          refunds_by_refund_date = excluded.refunds_by_refund_date, refunds_by_order_date = excluded.refunds_by_order_date;
        GET DIAGNOSTICS folded = ROW_COUNT;
        RETURN folded;
      END $$`;
