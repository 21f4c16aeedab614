import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order rollup fold, set-based for bulk loads (issue 17 item 7). A few dirty hours are still
 * recounted one by one (index range scans of their orders); but after a bulk load (a demo seed, a
 * million-row import: tens of thousands of dirty hours) that loop ran an index scan per hour and a
 * refund look-up per order. From `BULK_HOURS` hours (or `BULK_DAYS` local days) on, each rollup table
 * is instead filled by one grouped statement over the orders between the first and last dirty hour (or
 * day), beside the counted refunds of that span, joined to their orders once: a pass over the orders
 * per table, seconds at a million orders.
 *
 * Same turn-taking, markers and rules as before (counted and convertible orders, converted refunds of
 * them, by refund date and by order date); the new body is stated whole.
 */
const BULK_HOURS = 1000;
const BULK_DAYS = 60;

const COUNTED = `o.counted AND o.base_total IS NOT NULL`;

/** A few hours, one by one: index range scans of their orders, refunds looked up per order. */
const PER_HOUR = `
          INSERT INTO order_hourly_totals (hour, orders, sales, refunds_by_refund_date, refunds_by_order_date)
          SELECT h.hour, s.orders, s.sales, rr.refunds, s.by_order_date
          FROM rollup_hours h
          CROSS JOIN LATERAL (
            SELECT count(*)::integer AS orders, coalesce(sum(o.base_total), 0) AS sales, coalesce(sum(rf.refunds), 0) AS by_order_date
            FROM orders o
            LEFT JOIN LATERAL (SELECT sum(r.base_amount) AS refunds FROM refunds r WHERE r.order_id = o.id AND r.base_amount IS NOT NULL) rf ON true
            WHERE ${COUNTED} AND o.created_at >= h.hour AND o.created_at < h.hour + interval '1 hour'
          ) s
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(r.base_amount), 0) AS refunds FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE r.refunded_at >= h.hour AND r.refunded_at < h.hour + interval '1 hour' AND r.base_amount IS NOT NULL AND ${COUNTED}
          ) rr
          ON CONFLICT (hour) DO UPDATE SET orders = excluded.orders, sales = excluded.sales,
            refunds_by_refund_date = excluded.refunds_by_refund_date, refunds_by_order_date = excluded.refunds_by_order_date;`;

/** A few local days, one by one, alike. */
const PER_DAY = `
          INSERT INTO order_daily_breakdown (day, platform, country, orders, sales, refunds_by_refund_date, refunds_by_order_date)
          SELECT day, platform, country, sum(orders), sum(sales), sum(by_refund_date), sum(by_order_date)
          FROM (
            SELECT d.day, s.platform, s.country, s.orders, s.sales, 0 AS by_refund_date, s.by_order_date
            FROM rollup_days d CROSS JOIN LATERAL (
              SELECT o.platform, coalesce(o.country::text, '') AS country, count(*)::integer AS orders, sum(o.base_total) AS sales,
                coalesce(sum(rf.refunds), 0) AS by_order_date
              FROM orders o
              LEFT JOIN LATERAL (SELECT sum(r.base_amount) AS refunds FROM refunds r WHERE r.order_id = o.id AND r.base_amount IS NOT NULL) rf ON true
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
          GROUP BY day, platform, country;`;

/** The local days the dirty hours touch; every day, when the rollups were built in another zone. */
const ROLLUP_DAYS = `
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
        ANALYZE rollup_days;`;

/** Each recounted day's totals from its breakdown; also days left without any breakdown row. */
const DAILY_TOTALS = `
        DELETE FROM order_daily_totals t
        WHERE t.day IN (SELECT day FROM rollup_days) OR NOT EXISTS (SELECT 1 FROM order_daily_breakdown b WHERE b.day = t.day);
        INSERT INTO order_daily_totals (day, orders, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT b.day, sum(b.orders), sum(b.sales), sum(b.refunds_by_refund_date), sum(b.refunds_by_order_date)
        FROM order_daily_breakdown b JOIN rollup_days d ON d.day = b.day
        GROUP BY b.day;`;

export class SetBasedRollupFold1799650000000 implements MigrationInterface {
  name = 'SetBasedRollupFold1799650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION refresh_order_rollups(business_zone text) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        folded integer;
        days integer;
        hour_lo timestamptz;
        hour_hi timestamptz;
        day_lo timestamptz;
        day_hi timestamptz;
      BEGIN
        -- Concurrent refreshes (several instances) take turns, so an older snapshot never overwrites a
        -- newer one. Markers are deleted before the recount, whose snapshot is newer: it sees at least
        -- the data of every marker it removed; markers of later commits stay for the next refresh.
        PERFORM pg_advisory_xact_lock(hashtext('refresh_order_rollups'));
        DROP TABLE IF EXISTS pg_temp.rollup_hours, pg_temp.rollup_days, pg_temp.rollup_refunds;
        CREATE TEMP TABLE rollup_hours (hour timestamptz PRIMARY KEY) ON COMMIT DROP;
        WITH done AS (DELETE FROM order_hourly_dirty RETURNING hour) INSERT INTO rollup_hours SELECT DISTINCT hour FROM done;
        ANALYZE rollup_hours;
        SELECT count(*), min(hour), max(hour) + interval '1 hour' INTO folded, hour_lo, hour_hi FROM rollup_hours;

${ROLLUP_DAYS}
        SELECT count(*), min(day)::timestamp AT TIME ZONE business_zone, (max(day) + 1)::timestamp AT TIME ZONE business_zone
          INTO days, day_lo, day_hi FROM rollup_days;

        IF folded >= ${BULK_HOURS} OR days >= ${BULK_DAYS} THEN
          -- The refunds that lower revenue, with what of their order the rollups group by: one join for
          -- both attributions and both tables. The local days span every dirty hour.
          CREATE TEMP TABLE rollup_refunds ON COMMIT DROP AS
            SELECT r.refunded_at, r.base_amount, o.created_at, o.platform, coalesce(o.country::text, '') AS country
            FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE r.base_amount IS NOT NULL AND ${COUNTED}
              AND ((r.refunded_at >= day_lo AND r.refunded_at < day_hi) OR (o.created_at >= day_lo AND o.created_at < day_hi));
          ANALYZE rollup_refunds;
        END IF;

        IF folded >= ${BULK_HOURS} THEN
          -- One grouped scan of the span's orders; hours of the span that are not dirty are dropped by the join.
          INSERT INTO order_hourly_totals (hour, orders, sales, refunds_by_refund_date, refunds_by_order_date)
          SELECT h.hour, coalesce(s.orders, 0), coalesce(s.sales, 0), coalesce(rr.refunds, 0), coalesce(ro.refunds, 0)
          FROM rollup_hours h
          LEFT JOIN (
            SELECT order_hour(o.created_at) AS hour, count(*)::integer AS orders, sum(o.base_total) AS sales
            FROM orders o WHERE ${COUNTED} AND o.created_at >= hour_lo AND o.created_at < hour_hi
            GROUP BY 1
          ) s ON s.hour = h.hour
          LEFT JOIN (SELECT order_hour(refunded_at) AS hour, sum(base_amount) AS refunds FROM rollup_refunds GROUP BY 1) rr
            ON rr.hour = h.hour
          LEFT JOIN (SELECT order_hour(created_at) AS hour, sum(base_amount) AS refunds FROM rollup_refunds GROUP BY 1) ro
            ON ro.hour = h.hour
          ON CONFLICT (hour) DO UPDATE SET orders = excluded.orders, sales = excluded.sales,
            refunds_by_refund_date = excluded.refunds_by_refund_date, refunds_by_order_date = excluded.refunds_by_order_date;
        ELSE
          -- Per hour (index range scans) and per order (refunds by order id): plain joins would hash all
          -- orders against all refunds even for three dirty hours.
${PER_HOUR}
        END IF;

        DELETE FROM order_daily_breakdown b USING rollup_days d WHERE b.day = d.day;
        IF days >= ${BULK_DAYS} THEN
          INSERT INTO order_daily_breakdown (day, platform, country, orders, sales, refunds_by_refund_date, refunds_by_order_date)
          SELECT day, platform, country, sum(orders), sum(sales), sum(by_refund_date), sum(by_order_date)
          FROM (
            SELECT (o.created_at AT TIME ZONE business_zone)::date AS day, o.platform, coalesce(o.country::text, '') AS country,
              count(*)::integer AS orders, sum(o.base_total) AS sales, 0 AS by_refund_date, 0 AS by_order_date
            FROM orders o WHERE ${COUNTED} AND o.created_at >= day_lo AND o.created_at < day_hi
            GROUP BY 1, 2, 3
            UNION ALL
            SELECT (refunded_at AT TIME ZONE business_zone)::date, platform, country, 0, 0, sum(base_amount), 0
            FROM rollup_refunds GROUP BY 1, 2, 3
            UNION ALL
            SELECT (created_at AT TIME ZONE business_zone)::date, platform, country, 0, 0, 0, sum(base_amount)
            FROM rollup_refunds GROUP BY 1, 2, 3
          ) parts
          WHERE day IN (SELECT day FROM rollup_days)
          GROUP BY day, platform, country;
        ELSE
${PER_DAY}
        END IF;

        -- Also days left without any breakdown row, which a rebuild in another zone can leave behind.
${DAILY_TOTALS}
        RETURN folded;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The per-hour body of the Baseline, stated whole.
    await q.query(`
      CREATE OR REPLACE FUNCTION refresh_order_rollups(business_zone text) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        folded integer;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('refresh_order_rollups'));
        DROP TABLE IF EXISTS pg_temp.rollup_hours, pg_temp.rollup_days;
        CREATE TEMP TABLE rollup_hours (hour timestamptz PRIMARY KEY) ON COMMIT DROP;
        WITH done AS (DELETE FROM order_hourly_dirty RETURNING hour) INSERT INTO rollup_hours SELECT DISTINCT hour FROM done;
        ANALYZE rollup_hours;
        SELECT count(*) INTO folded FROM rollup_hours;
${PER_HOUR}
${ROLLUP_DAYS}
        DELETE FROM order_daily_breakdown b USING rollup_days d WHERE b.day = d.day;
${PER_DAY}
${DAILY_TOTALS}
        RETURN folded;
      END $$`);
  }
}
