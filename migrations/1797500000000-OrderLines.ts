import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lines of every order (SPEC §2 "Line items and titles"), and what counts: an order without a price
 * yet (Amazon Pending) is stored but not counted. `orders.priced` says so; `counted` gets the whole new
 * expression with SET EXPRESSION (PostgreSQL ≥ 17), which keeps the partial indexes built on it.
 * `orders.lines_digest` is a digest of the lines last stored, so that an upsert whose lines changed is an
 * update even when the order's own columns did not, and one whose lines did not change writes nothing.
 */
export class OrderLines1797500000000 implements MigrationInterface {
  name = 'OrderLines1797500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_lines (
        order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 1),
        external_id text,
        title text NOT NULL,
        variant text,
        sku text,
        gtin text,
        product_id text,
        quantity integer NOT NULL CHECK (quantity >= 0),
        unit_price numeric(14, 2),
        line_total numeric(14, 2),
        refunded_amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
        refunded_quantity integer NOT NULL DEFAULT 0 CHECK (refunded_quantity >= 0),
        base_line_total numeric(14, 2),
        base_refunded_amount numeric(14, 2),
        PRIMARY KEY (order_id, position)
      )`);
    await q.query(`ALTER TABLE orders ADD COLUMN priced boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE orders ADD COLUMN lines_digest text`);
    // Amazon Pending orders stored before this migration have no OrderTotal: a zero total.
    await q.query(`UPDATE orders SET priced = false WHERE platform = 'amazon' AND status = 'pending' AND total = 0`);
    await q.query(`
      ALTER TABLE orders ALTER COLUMN counted
        SET EXPRESSION AS (NOT test AND priced AND status NOT IN ('cancelled', 'voided'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE orders ALTER COLUMN counted
        SET EXPRESSION AS (NOT test AND status NOT IN ('cancelled', 'voided'))`);
    await q.query(`ALTER TABLE orders DROP COLUMN lines_digest`);
    await q.query(`ALTER TABLE orders DROP COLUMN priced`);
    await q.query(`DROP TABLE order_lines`);
  }
}
