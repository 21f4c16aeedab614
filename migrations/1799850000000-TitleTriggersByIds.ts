import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The titles triggers' helpers, driven by the ids they are given. `link_lines_to_editions`,
 * `match_order_lines`, `allocate_order_revenue` and `mark_title_hours` joined `unnest(order_ids)` to the
 * lines, orders and refunds: the planner takes a DISTINCT of an unnested array for 200 rows whatever it
 * holds, and then scanned every order line (a merge join over order_lines' primary key) and hashed every
 * order_line_titles row and every counted order. For a rate file that converts 10,000 orders, none of
 * them with lines, that was 5–6 s of the 6.3 s from the file's upload to its figures at 200,000 orders
 * (issue 13's FX bar, lost when titles landed); an order file written 500 orders a time paid it per
 * statement (4,000 orders of a JSON answer: 62 s of PostgreSQL's time after a 500,000-order import,
 * 2.4 s on an empty database). Here every table is reached by `= ANY (order_ids)` on its index
 * (order_lines' and order_line_titles' keys, orders' primary key, refunds' natural key), a look-up per
 * id, whichever plan the function caches; both sides of a join of lines and shares are bounded so, for
 * a table whose statistics are not there yet (after a bulk load) is otherwise hashed whole.
 *
 * Same matches, shares, hours and rules; the bodies are stated whole. `down` restores the Titles
 * migration's bodies as they were (a migration may not import another's SQL).
 */
export class TitleTriggersByIds1799850000000 implements MigrationInterface {
  name = 'TitleTriggersByIds1799850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
    CREATE OR REPLACE FUNCTION link_lines_to_editions(order_ids bigint[]) RETURNS void LANGUAGE sql AS $$
      WITH m AS MATERIALIZED (
        SELECT l.order_id, l.position, greatest(l.quantity, 0) AS quantity, coalesce(
          isbn.edition_id, sku.edition_id, listing.edition_id,
          (SELECT e.id FROM title_names n JOIN editions e ON e.title_id = n.title_id
            WHERE n.key = title_key(l.title) AND e.format = edition_format(l.title, l.variant) ORDER BY e.id LIMIT 1)
        ) AS edition_id
        FROM order_lines l
        JOIN orders o ON o.id = l.order_id
        LEFT JOIN edition_identifiers isbn ON isbn.kind = 'isbn' AND isbn.platform = '' AND isbn.value = l.gtin
        LEFT JOIN edition_identifiers sku ON sku.kind = 'sku' AND sku.platform = '' AND sku.value = l.sku
        LEFT JOIN edition_identifiers listing
          ON listing.kind = 'listing' AND listing.platform = o.platform AND listing.value = l.product_id
        WHERE l.order_id = ANY (order_ids)
          AND NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
      )
      INSERT INTO order_line_titles (order_id, position, edition_id, quantity)
      SELECT order_id, position, edition_id, quantity FROM m WHERE edition_id IS NOT NULL
      ORDER BY order_id, position
    $$`);
    await q.query(`
    CREATE OR REPLACE FUNCTION match_order_lines(order_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM link_lines_to_editions(order_ids);
      -- Counted, not EXISTS: a plan for a first row scans the table for one that is not there.
      IF (
        SELECT count(*) FROM order_lines l
        WHERE l.order_id = ANY (order_ids) AND NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
      ) > 0 THEN
        PERFORM pg_advisory_xact_lock(hashtext('titles.catalogue'));
        -- Another transaction may have created them while this one waited (each statement sees its commits).
        PERFORM link_lines_to_editions(order_ids);
        WITH unmatched AS (
          SELECT l.order_id, l.position, l.title, title_key(l.title) AS key
          FROM order_lines l
          WHERE l.order_id = ANY (order_ids) AND NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
        ), new_titles AS (
          SELECT nextval(pg_get_serial_sequence('titles', 'id')) AS id, key, name
          FROM (
            SELECT DISTINCT ON (u.key) u.key, title_display(u.title) AS name FROM unmatched u
            WHERE NOT EXISTS (SELECT 1 FROM title_names n WHERE n.key = u.key)
            ORDER BY u.key, u.order_id, u.position
          ) k
        ), put_titles AS (
          INSERT INTO titles (id, name) SELECT id, name FROM new_titles
        )
        INSERT INTO title_names (key, title_id) SELECT key, id FROM new_titles;
        INSERT INTO editions (title_id, format)
        SELECT DISTINCT n.title_id, edition_format(l.title, l.variant)
        FROM order_lines l
        JOIN title_names n ON n.key = title_key(l.title)
        WHERE l.order_id = ANY (order_ids) AND NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
          AND NOT EXISTS (SELECT 1 FROM editions e WHERE e.title_id = n.title_id AND e.format = edition_format(l.title, l.variant))
        ORDER BY 1, 2;
        PERFORM link_lines_to_editions(order_ids);
      END IF;
      -- Learn: the identifiers and spellings of these lines lead to their editions from now on (where two
      -- editions claim one, the older). Grouped before normalising: an import has few distinct ones.
      INSERT INTO edition_identifiers (kind, platform, value, edition_id)
      SELECT kind, platform, value, min(edition_id)
      FROM (
        SELECT k.kind, k.platform, k.value, t.edition_id
        FROM order_line_titles t
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN orders o ON o.id = t.order_id
        CROSS JOIN LATERAL (VALUES ('isbn', '', l.gtin), ('sku', '', l.sku), ('listing', o.platform, l.product_id)) AS k (kind, platform, value)
        WHERE t.order_id = ANY (order_ids) AND l.order_id = ANY (order_ids) AND k.value <> ''
      ) seen
      GROUP BY kind, platform, value
      ORDER BY kind, platform, value
      ON CONFLICT DO NOTHING;
      INSERT INTO title_names (key, title_id)
      SELECT title_key(title), min(title_id)
      FROM (
        SELECT DISTINCT l.title, e.title_id
        FROM order_line_titles t
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN editions e ON e.id = t.edition_id
        WHERE t.order_id = ANY (order_ids) AND l.order_id = ANY (order_ids)
      ) seen
      GROUP BY 1
      ORDER BY 1
      ON CONFLICT DO NOTHING;
    END $$`);
    await q.query(`
    CREATE OR REPLACE FUNCTION allocate_order_revenue(order_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      WITH lines AS (
        SELECT t.order_id, t.position, o.base_total, l.quantity AS line_quantity,
          greatest(coalesce(l.line_total, 0), 0) * 100 AS by_total, greatest(l.quantity, 0) AS by_quantity,
          greatest(l.refunded_amount, 0) * 100 AS by_refund
        FROM order_line_titles t
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN orders o ON o.id = t.order_id
        WHERE t.order_id = ANY (order_ids) AND l.order_id = ANY (order_ids)
      ),
      weighted AS (
        SELECT order_id, position, base_total, line_quantity, weight,
          CASE WHEN sum(by_refund) OVER w > 0 THEN by_refund ELSE weight END AS refund_weight
        FROM (
          SELECT *, CASE WHEN sum(by_total) OVER w > 0 THEN by_total WHEN sum(by_quantity) OVER w > 0 THEN by_quantity ELSE 1 END AS weight
          FROM lines WINDOW w AS (PARTITION BY order_id)
        ) x
        WINDOW w AS (PARTITION BY order_id)
      ),
      sources AS (
        SELECT order_id, position, 0::bigint AS refund_id, base_total * 100 AS cents, weight FROM weighted WHERE base_total IS NOT NULL
        UNION ALL
        SELECT w.order_id, w.position, r.id, r.base_amount * 100, w.refund_weight
        FROM weighted w JOIN refunds r ON r.order_id = w.order_id WHERE r.base_amount IS NOT NULL
      ),
      remainders AS (
        SELECT *, mod(mod(cents * weight, total_weight) + total_weight, total_weight) AS remainder
        FROM (SELECT *, sum(weight) OVER (PARTITION BY order_id, refund_id) AS total_weight FROM sources) s
      ),
      ranked AS (
        SELECT order_id, position, refund_id, whole,
          cents - sum(whole) OVER (PARTITION BY order_id, refund_id) AS leftover,
          row_number() OVER (PARTITION BY order_id, refund_id ORDER BY remainder DESC, position) AS rank
        FROM (SELECT *, (cents * weight - remainder) / total_weight AS whole FROM remainders) f
      ),
      shares AS (
        SELECT order_id, position, refund_id, ((whole + CASE WHEN rank <= leftover THEN 1 ELSE 0 END) / 100)::numeric(14, 2) AS amount
        FROM ranked
      ),
      put_lines AS (
        UPDATE order_line_titles t SET base_allocated = s.amount, quantity = greatest(w.line_quantity, 0)
        FROM weighted w LEFT JOIN shares s ON s.order_id = w.order_id AND s.position = w.position AND s.refund_id = 0
        WHERE t.order_id = ANY (order_ids) AND t.order_id = w.order_id AND t.position = w.position
          AND (t.base_allocated, t.quantity) IS DISTINCT FROM (s.amount, greatest(w.line_quantity, 0))
      )
      INSERT INTO refund_line_allocations (refund_id, order_id, position, amount)
      SELECT refund_id, order_id, position, amount FROM shares WHERE refund_id <> 0
      ORDER BY refund_id, position
      ON CONFLICT (refund_id, position) DO UPDATE SET amount = excluded.amount
        WHERE refund_line_allocations.amount IS DISTINCT FROM excluded.amount;
      -- Shares of refunds that lost their base amount.
      DELETE FROM refund_line_allocations a USING refunds r
      WHERE a.refund_id = r.id AND r.order_id = ANY (order_ids) AND r.base_amount IS NULL;
    END $$`);
    await q.query(`
    CREATE OR REPLACE FUNCTION mark_title_hours(order_ids bigint[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO title_hourly_dirty (hour)
      SELECT DISTINCT hour FROM (
        SELECT order_hour(o.created_at) AS hour FROM orders o
        WHERE o.id = ANY (order_ids) AND o.counted AND o.base_total IS NOT NULL
        UNION ALL
        SELECT order_hour(r.refunded_at) FROM refunds r WHERE r.order_id = ANY (order_ids)
      ) hours
    $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
    CREATE OR REPLACE FUNCTION link_lines_to_editions(order_ids bigint[]) RETURNS void LANGUAGE sql AS $$
      WITH m AS MATERIALIZED (
        SELECT l.order_id, l.position, greatest(l.quantity, 0) AS quantity, coalesce(
          isbn.edition_id, sku.edition_id, listing.edition_id,
          (SELECT e.id FROM title_names n JOIN editions e ON e.title_id = n.title_id
            WHERE n.key = title_key(l.title) AND e.format = edition_format(l.title, l.variant) ORDER BY e.id LIMIT 1)
        ) AS edition_id
        FROM (SELECT DISTINCT x.id FROM unnest(order_ids) AS x (id)) ids
        JOIN order_lines l ON l.order_id = ids.id
        JOIN orders o ON o.id = l.order_id
        LEFT JOIN edition_identifiers isbn ON isbn.kind = 'isbn' AND isbn.platform = '' AND isbn.value = l.gtin
        LEFT JOIN edition_identifiers sku ON sku.kind = 'sku' AND sku.platform = '' AND sku.value = l.sku
        LEFT JOIN edition_identifiers listing
          ON listing.kind = 'listing' AND listing.platform = o.platform AND listing.value = l.product_id
        WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
      )
      INSERT INTO order_line_titles (order_id, position, edition_id, quantity)
      SELECT order_id, position, edition_id, quantity FROM m WHERE edition_id IS NOT NULL
      ORDER BY order_id, position
    $$`);
    await q.query(`
    CREATE OR REPLACE FUNCTION match_order_lines(order_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM link_lines_to_editions(order_ids);
      IF EXISTS (
        SELECT 1 FROM unnest(order_ids) AS x (id) JOIN order_lines l ON l.order_id = x.id
        WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
      ) THEN
        PERFORM pg_advisory_xact_lock(hashtext('titles.catalogue'));
        -- Another transaction may have created them while this one waited (each statement sees its commits).
        PERFORM link_lines_to_editions(order_ids);
        WITH unmatched AS (
          SELECT l.order_id, l.position, l.title, title_key(l.title) AS key
          FROM unnest(order_ids) AS x (id) JOIN order_lines l ON l.order_id = x.id
          WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
        ), new_titles AS (
          SELECT nextval(pg_get_serial_sequence('titles', 'id')) AS id, key, name
          FROM (
            SELECT DISTINCT ON (u.key) u.key, title_display(u.title) AS name FROM unmatched u
            WHERE NOT EXISTS (SELECT 1 FROM title_names n WHERE n.key = u.key)
            ORDER BY u.key, u.order_id, u.position
          ) k
        ), put_titles AS (
          INSERT INTO titles (id, name) SELECT id, name FROM new_titles
        )
        INSERT INTO title_names (key, title_id) SELECT key, id FROM new_titles;
        INSERT INTO editions (title_id, format)
        SELECT DISTINCT n.title_id, edition_format(l.title, l.variant)
        FROM unnest(order_ids) AS x (id) JOIN order_lines l ON l.order_id = x.id
        JOIN title_names n ON n.key = title_key(l.title)
        WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
          AND NOT EXISTS (SELECT 1 FROM editions e WHERE e.title_id = n.title_id AND e.format = edition_format(l.title, l.variant))
        ORDER BY 1, 2;
        PERFORM link_lines_to_editions(order_ids);
      END IF;
      -- Learn: the identifiers and spellings of these lines lead to their editions from now on (where two
      -- editions claim one, the older). Grouped before normalising: an import has few distinct ones.
      INSERT INTO edition_identifiers (kind, platform, value, edition_id)
      SELECT kind, platform, value, min(edition_id)
      FROM (
        SELECT k.kind, k.platform, k.value, t.edition_id
        FROM unnest(order_ids) AS x (id) JOIN order_line_titles t ON t.order_id = x.id
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN orders o ON o.id = t.order_id
        CROSS JOIN LATERAL (VALUES ('isbn', '', l.gtin), ('sku', '', l.sku), ('listing', o.platform, l.product_id)) AS k (kind, platform, value)
        WHERE k.value <> ''
      ) seen
      GROUP BY kind, platform, value
      ORDER BY kind, platform, value
      ON CONFLICT DO NOTHING;
      INSERT INTO title_names (key, title_id)
      SELECT title_key(title), min(title_id)
      FROM (
        SELECT DISTINCT l.title, e.title_id
        FROM unnest(order_ids) AS x (id) JOIN order_line_titles t ON t.order_id = x.id
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN editions e ON e.id = t.edition_id
      ) seen
      GROUP BY 1
      ORDER BY 1
      ON CONFLICT DO NOTHING;
    END $$`);
    await q.query(`
    CREATE OR REPLACE FUNCTION allocate_order_revenue(order_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      WITH ids AS (SELECT DISTINCT x.id FROM unnest(order_ids) AS x (id)),
      lines AS (
        SELECT t.order_id, t.position, o.base_total, l.quantity AS line_quantity,
          greatest(coalesce(l.line_total, 0), 0) * 100 AS by_total, greatest(l.quantity, 0) AS by_quantity,
          greatest(l.refunded_amount, 0) * 100 AS by_refund
        FROM ids JOIN order_line_titles t ON t.order_id = ids.id
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN orders o ON o.id = t.order_id
      ),
      weighted AS (
        SELECT order_id, position, base_total, line_quantity, weight,
          CASE WHEN sum(by_refund) OVER w > 0 THEN by_refund ELSE weight END AS refund_weight
        FROM (
          SELECT *, CASE WHEN sum(by_total) OVER w > 0 THEN by_total WHEN sum(by_quantity) OVER w > 0 THEN by_quantity ELSE 1 END AS weight
          FROM lines WINDOW w AS (PARTITION BY order_id)
        ) x
        WINDOW w AS (PARTITION BY order_id)
      ),
      sources AS (
        SELECT order_id, position, 0::bigint AS refund_id, base_total * 100 AS cents, weight FROM weighted WHERE base_total IS NOT NULL
        UNION ALL
        SELECT w.order_id, w.position, r.id, r.base_amount * 100, w.refund_weight
        FROM weighted w JOIN refunds r ON r.order_id = w.order_id WHERE r.base_amount IS NOT NULL
      ),
      remainders AS (
        SELECT *, mod(mod(cents * weight, total_weight) + total_weight, total_weight) AS remainder
        FROM (SELECT *, sum(weight) OVER (PARTITION BY order_id, refund_id) AS total_weight FROM sources) s
      ),
      ranked AS (
        SELECT order_id, position, refund_id, whole,
          cents - sum(whole) OVER (PARTITION BY order_id, refund_id) AS leftover,
          row_number() OVER (PARTITION BY order_id, refund_id ORDER BY remainder DESC, position) AS rank
        FROM (SELECT *, (cents * weight - remainder) / total_weight AS whole FROM remainders) f
      ),
      shares AS (
        SELECT order_id, position, refund_id, ((whole + CASE WHEN rank <= leftover THEN 1 ELSE 0 END) / 100)::numeric(14, 2) AS amount
        FROM ranked
      ),
      put_lines AS (
        UPDATE order_line_titles t SET base_allocated = s.amount, quantity = greatest(w.line_quantity, 0)
        FROM weighted w LEFT JOIN shares s ON s.order_id = w.order_id AND s.position = w.position AND s.refund_id = 0
        WHERE t.order_id = w.order_id AND t.position = w.position
          AND (t.base_allocated, t.quantity) IS DISTINCT FROM (s.amount, greatest(w.line_quantity, 0))
      )
      INSERT INTO refund_line_allocations (refund_id, order_id, position, amount)
      SELECT refund_id, order_id, position, amount FROM shares WHERE refund_id <> 0
      ORDER BY refund_id, position
      ON CONFLICT (refund_id, position) DO UPDATE SET amount = excluded.amount
        WHERE refund_line_allocations.amount IS DISTINCT FROM excluded.amount;
      -- Shares of refunds that lost their base amount.
      DELETE FROM refund_line_allocations a USING refunds r, unnest(order_ids) AS x (id)
      WHERE a.refund_id = r.id AND r.order_id = x.id AND r.base_amount IS NULL;
    END $$`);
    await q.query(`
    CREATE OR REPLACE FUNCTION mark_title_hours(order_ids bigint[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO title_hourly_dirty (hour)
      SELECT DISTINCT hour FROM (
        SELECT order_hour(o.created_at) AS hour FROM unnest(order_ids) AS x (id) JOIN orders o ON o.id = x.id
        WHERE o.counted AND o.base_total IS NOT NULL
        UNION ALL
        SELECT order_hour(r.refunded_at) FROM unnest(order_ids) AS x (id) JOIN refunds r ON r.order_id = x.id
      ) hours
    $$`);
  }
}
