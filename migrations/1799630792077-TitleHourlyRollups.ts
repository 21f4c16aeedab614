import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hourly title rollups, so that a window's ragged ends are read as whole UTC hours and only the
 * minutes around its bounds (the hour of "now") come from the lines themselves, as the order rollups do
 * (SPEC §9: the titles endpoints under 20 ms at a million orders).
 *
 * - `title_hourly_totals` (UTC hour, title, platform): the lines' shares of the orders created in the
 *   hour and of the refunds dated in it, under both refund attributions; title 0 holds orders without
 *   lines. UTC hours do not depend on the business zone, so they never need a rebuild for one. Not by
 *   country: an hour's few orders spread over as many countries as lines, so such rows would be as many
 *   as the lines; a title's countries (its page) read the minutes and hours at a window's ends from its
 *   lines.
 * - `title_hour_dirty`: the hours to fold into it. Every write that marks an hour for the daily title
 *   rollups (`title_hourly_dirty`, marked by the titles triggers) marks it here too, by a trigger on that
 *   list, so both rollups are made stale by the same events; each rollup's fold removes its own markers.
 * - `refresh_title_hour_rollups()` folds the marked hours (turn-taking as refresh_order_rollups);
 *   `rebuild_title_hour_rollups(titles)` recomputes every hour of these titles (after a merge, split or
 *   moved identifier; NULL: everything, after a bulk load or at this migration).
 * - Bulk loads: the titles triggers stand aside while `mtink.titles_bulk_load` is 'on' in the session,
 *   and `titles_after_bulk_load(zone)` then matches, allocates and rolls up everything in a few
 *   set-based statements (TitlesBulkLoad in apps/api/src/titles).
 */
export class TitleHourlyRollups1799630792077 implements MigrationInterface {
  name = 'TitleHourlyRollups1799630792077';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE title_hourly_totals (
        hour timestamptz NOT NULL,
        title_id bigint NOT NULL,
        platform text NOT NULL,
        orders integer NOT NULL,
        units integer NOT NULL,
        sales numeric(16, 2) NOT NULL,
        refunds_by_refund_date numeric(16, 2) NOT NULL,
        refunds_by_order_date numeric(16, 2) NOT NULL,
        PRIMARY KEY (hour, title_id, platform)
      )`);
    await q.query(`CREATE INDEX title_hourly_totals_title_hour ON title_hourly_totals (title_id, hour)`);
    await q.query(`CREATE TABLE title_hour_dirty (hour timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX title_hour_dirty_hour ON title_hour_dirty (hour)`);
    await q.query(`
      CREATE FUNCTION title_hour_dirty_copy() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO title_hour_dirty (hour) SELECT DISTINCT hour FROM new_rows;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER title_hour_dirty_copy AFTER INSERT ON title_hourly_dirty
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION title_hour_dirty_copy()`);
    await createHourRows(q);
    await createFolds(q);
    await createBulkLoad(q);
    await q.query(`SELECT rebuild_title_hour_rollups(NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, prefix] of TITLE_TRIGGERS) {
      for (const op of ['insert', 'update', 'delete'] as const) {
        await q.query(`DROP TRIGGER ${prefix}_${op} ON ${table}`);
        await q.query(createTitleTrigger(table, prefix, op, false));
      }
    }
    await q.query(`DROP TRIGGER title_hour_dirty_copy ON title_hourly_dirty`);
    await q.query(`DROP TABLE title_hour_dirty`);
    await q.query(`DROP TABLE title_hourly_totals`);
    for (const fn of [
      'titles_after_bulk_load(text)',
      'rebuild_title_hour_rollups(bigint[])',
      'refresh_title_hour_rollups()',
      'title_hour_rows(timestamptz, timestamptz, bigint[])',
      'title_hour_dirty_copy()',
    ]) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
  }
}

/** The titles triggers of the Titles migration: table, name prefix (the function is `<prefix>_changed`). */
const TITLE_TRIGGERS: Array<[table: string, prefix: string]> = [
  ['order_lines', 'titles_lines'],
  ['orders', 'titles_orders'],
  ['refunds', 'titles_refunds'],
];

function createTitleTrigger(table: string, prefix: string, op: 'insert' | 'update' | 'delete', bulk: boolean): string {
  const referencing = {
    insert: 'REFERENCING NEW TABLE AS new_rows',
    update: 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows',
    delete: 'REFERENCING OLD TABLE AS old_rows',
  }[op];
  // A statement trigger's WHEN sees no rows: here it asks the session whether a bulk load runs.
  const when = bulk ? `WHEN (current_setting('mtink.titles_bulk_load', true) IS DISTINCT FROM 'on')` : '';
  return `CREATE TRIGGER ${prefix}_${op} AFTER ${op.toUpperCase()} ON ${table} ${referencing}
    FOR EACH STATEMENT ${when} EXECUTE FUNCTION ${prefix}_changed()`;
}

/**
 * What each title earns per UTC hour in [lo, hi): orders created in it with their lines' shares and the
 * refunds dated by their order, and the refunds refunded in it; counted, convertible orders and
 * converted refunds only (the rule of apps/api/src/sales/sales-sql.ts, restated because a migration cannot
 * import it; titles-sums.integration.spec.ts holds them to the same figures). `titles` narrows it to
 * those titles' lines (NULL: everything, title 0 for the orders without lines included). Several rows
 * may share a key: the folds sum them.
 */
async function createHourRows(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE FUNCTION title_hour_rows(lo timestamptz, hi timestamptz, titles bigint[])
    RETURNS TABLE (hour timestamptz, title_id bigint, platform text, orders bigint, units bigint,
                   sales numeric, by_refund_date numeric, by_order_date numeric)
    LANGUAGE sql STABLE AS $$
      SELECT order_hour(o.created_at), e.title_id, o.platform, count(DISTINCT o.id), sum(t.quantity), sum(t.base_allocated), 0, coalesce(sum(rf.amount), 0)
      FROM orders o
      JOIN order_line_titles t ON t.order_id = o.id
      JOIN editions e ON e.id = t.edition_id
      LEFT JOIN LATERAL (
        SELECT sum(a.amount) AS amount FROM refund_line_allocations a JOIN refunds r ON r.id = a.refund_id
        WHERE a.order_id = t.order_id AND a.position = t.position AND r.base_amount IS NOT NULL
      ) rf ON true
      WHERE o.counted AND o.base_total IS NOT NULL AND o.created_at >= lo AND o.created_at < hi
        AND (titles IS NULL OR e.title_id = ANY (titles))
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT order_hour(o.created_at), 0, o.platform, count(*), 0,
        sum(o.base_total), 0, coalesce(sum(rf.amount), 0)
      FROM orders o
      LEFT JOIN LATERAL (SELECT sum(r.base_amount) AS amount FROM refunds r WHERE r.order_id = o.id AND r.base_amount IS NOT NULL) rf ON true
      WHERE titles IS NULL AND o.counted AND o.base_total IS NOT NULL AND o.created_at >= lo AND o.created_at < hi
        AND NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = o.id)
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT order_hour(r.refunded_at), coalesce(e.title_id, 0), o.platform, 0, 0, 0, sum(coalesce(a.amount, r.base_amount)), 0
      FROM refunds r
      JOIN orders o ON o.id = r.order_id
      LEFT JOIN refund_line_allocations a ON a.refund_id = r.id
      LEFT JOIN order_line_titles t ON t.order_id = a.order_id AND t.position = a.position
      LEFT JOIN editions e ON e.id = t.edition_id
      WHERE r.base_amount IS NOT NULL AND o.counted AND o.base_total IS NOT NULL AND r.refunded_at >= lo AND r.refunded_at < hi
        AND (titles IS NULL OR e.title_id = ANY (titles))
      GROUP BY 1, 2, 3
    $$`);
}

async function createFolds(q: QueryRunner): Promise<void> {
  const insert = (rows: string) => `
        INSERT INTO title_hourly_totals (hour, title_id, platform, orders, units, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT hour, title_id, platform, sum(orders), sum(units), sum(sales), sum(by_refund_date), sum(by_order_date)
        FROM ${rows} GROUP BY hour, title_id, platform`;
  // Markers are deleted before the recount, whose snapshot is newer (READ COMMITTED: each statement
  // sees the commits before it); markers of later commits stay for the next fold. Hour by hour (index
  // range scans), so that a few dirty hours cost a few hours' lines.
  await q.query(`
    CREATE FUNCTION refresh_title_hour_rollups() RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      folded integer;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('refresh_title_hour_rollups'));
      DROP TABLE IF EXISTS pg_temp.title_fold_hours;
      CREATE TEMP TABLE title_fold_hours (hour timestamptz PRIMARY KEY) ON COMMIT DROP;
      WITH done AS (DELETE FROM title_hour_dirty RETURNING hour)
      INSERT INTO title_fold_hours SELECT DISTINCT hour FROM done;
      ANALYZE title_fold_hours;
      SELECT count(*) INTO folded FROM title_fold_hours;
      DELETE FROM title_hourly_totals t USING title_fold_hours h WHERE t.hour = h.hour;
      ${insert(`(SELECT r.* FROM title_fold_hours h CROSS JOIN LATERAL title_hour_rows(h.hour, h.hour + interval '1 hour', NULL) r) x`)};
      RETURN folded;
    END $$`);
  // One pass over every line of these titles (NULL: over everything, the markers included, which the
  // pass covers).
  await q.query(`
    CREATE FUNCTION rebuild_title_hour_rollups(title_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('refresh_title_hour_rollups'));
      IF title_ids IS NULL THEN
        DELETE FROM title_hour_dirty;
        DELETE FROM title_hourly_totals;
      ELSE
        DELETE FROM title_hourly_totals WHERE title_id = ANY (title_ids);
      END IF;
      ${insert(`title_hour_rows('-infinity', 'infinity', title_ids)`)};
    END $$`);
}

/**
 * The titles triggers skip while `mtink.titles_bulk_load` is 'on' (SET LOCAL, so only the loading
 * transaction); `titles_after_bulk_load(zone)` then does their work once for everything: the lines
 * without an edition are matched (by `match_order_lines`, so that identifiers and names are learnt too),
 * every order with lines is allocated, and both title rollups are rebuilt in one pass each (the daily
 * ones by forgetting their zone) instead of day by day and hour by hour.
 */
async function createBulkLoad(q: QueryRunner): Promise<void> {
  for (const [table, prefix] of TITLE_TRIGGERS) {
    for (const op of ['insert', 'update', 'delete'] as const) {
      await q.query(`DROP TRIGGER ${prefix}_${op} ON ${table}`);
      await q.query(createTitleTrigger(table, prefix, op, true));
    }
  }
  // The id lists of match_order_lines and allocate_order_revenue look like ten rows to the planner,
  // which then looks every line up by index (3 identifier lookups and more per line): for a whole
  // table, hash joins are many times faster.
  await q.query(`
    CREATE FUNCTION titles_after_bulk_load(business_zone text) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      nestloop text := current_setting('enable_nestloop');
    BEGIN
      PERFORM set_config('enable_nestloop', 'off', true);
      PERFORM match_order_lines(ARRAY(
        SELECT DISTINCT l.order_id FROM order_lines l
        WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)));
      PERFORM allocate_order_revenue(ARRAY(SELECT DISTINCT order_id FROM order_line_titles));
      PERFORM set_config('enable_nestloop', nestloop, true);
      DELETE FROM title_rollup_zone;
      PERFORM refresh_title_rollups(business_zone);
      PERFORM rebuild_title_hour_rollups(NULL);
    END $$`);
}
