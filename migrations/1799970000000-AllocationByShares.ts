import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `allocate_order_revenue` without a join of two of its own CTEs. The lines' shares of the order were
 * put on the lines by a LEFT JOIN of `weighted` to `shares`: CTEs have no statistics, the planner takes
 * each for a row or two and joins them in a nested loop, so a statement of n lines compared n × n rows
 * (an import's chunk of 1,000 lines: 1,000,000, half a second of every chunk). Now every line has its
 * share row (a null amount while its order has no base amount, as the LEFT JOIN gave) carrying its
 * quantity, and the update reaches order_line_titles from the shares by its key: a look-up per line.
 *
 * Same shares, same rules; the body is stated whole. `down` restores the body of
 * 1799850000000-TitleTriggersByIds (a migration may not import another's SQL).
 */
export class AllocationByShares1799970000000 implements MigrationInterface {
  name = 'AllocationByShares1799970000000';

  async up(q: QueryRunner): Promise<void> {
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
        -- Every line has its share of the order (none, null, while the order has no base amount).
        SELECT order_id, position, line_quantity, 0::bigint AS refund_id, base_total * 100 AS cents, weight FROM weighted
        UNION ALL
        SELECT w.order_id, w.position, w.line_quantity, r.id, r.base_amount * 100, w.refund_weight
        FROM weighted w JOIN refunds r ON r.order_id = w.order_id WHERE r.base_amount IS NOT NULL
      ),
      remainders AS (
        SELECT *, mod(mod(cents * weight, total_weight) + total_weight, total_weight) AS remainder
        FROM (SELECT *, sum(weight) OVER (PARTITION BY order_id, refund_id) AS total_weight FROM sources) s
      ),
      ranked AS (
        SELECT order_id, position, line_quantity, refund_id, whole,
          cents - sum(whole) OVER (PARTITION BY order_id, refund_id) AS leftover,
          row_number() OVER (PARTITION BY order_id, refund_id ORDER BY remainder DESC, position) AS rank
        FROM (SELECT *, (cents * weight - remainder) / total_weight AS whole FROM remainders) f
      ),
      shares AS (
        SELECT order_id, position, line_quantity, refund_id,
          ((whole + CASE WHEN rank <= leftover THEN 1 ELSE 0 END) / 100)::numeric(14, 2) AS amount
        FROM ranked
      ),
      put_lines AS (
        UPDATE order_line_titles t SET base_allocated = s.amount, quantity = greatest(s.line_quantity, 0)
        FROM shares s
        WHERE s.refund_id = 0 AND t.order_id = ANY (order_ids) AND t.order_id = s.order_id AND t.position = s.position
          AND (t.base_allocated, t.quantity) IS DISTINCT FROM (s.amount, greatest(s.line_quantity, 0))
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
  }

  async down(q: QueryRunner): Promise<void> {
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
  }
}
