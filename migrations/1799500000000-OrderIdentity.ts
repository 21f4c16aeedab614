import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One order is one row, whichever way it arrived (SPEC §2): the natural key becomes (platform, external
 * id) for Shopify, Etsy, Amazon and eBay, whose ids are unique across shops, and stays (platform, site,
 * id) for WooCommerce. `order_identity_store(platform, store)` is that rule; `orders.identity_store` is
 * generated from it and the unique key is built on it, while `store` stays as information (the shop
 * domain). Orders stored twice under the old key (an export under a blank store, then the API under
 * the shop id) are merged first and each merge is written to `order_audit`.
 *
 * Also: refunds that arrive before their order wait in `pending_refunds`; an order can be marked
 * deleted (`deleted_at`: a WooCommerce `order.deleted`, or an admin); which statuses count is a
 * setting per platform (`order_uncounted_statuses`, read by `order_status_counts`) kept in
 * `orders.status_counted` by a trigger, so that every way of writing an order applies it. `counted`
 * gets its whole new expression with SET EXPRESSION, which keeps the partial indexes built on it.
 */
export class OrderIdentity1799500000000 implements MigrationInterface {
  name = 'OrderIdentity1799500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION order_identity_store(platform text, store text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN CASE WHEN platform = 'woocommerce' THEN store ELSE '' END`);
    await q.query(`
      CREATE TABLE order_audit (
        id bigserial PRIMARY KEY,
        action text NOT NULL CHECK (action IN ('merged', 'deleted', 'restored')),
        platform text NOT NULL,
        store text NOT NULL,
        external_id text NOT NULL,
        -- No foreign key: the audit outlives the rows a merge removed.
        order_id bigint,
        detail jsonb NOT NULL DEFAULT '{}',
        done_at timestamptz NOT NULL DEFAULT now(),
        done_by text NOT NULL
      )`);
    await q.query(`CREATE INDEX order_audit_order ON order_audit (platform, external_id)`);

    const merged = await mergeDuplicates(q);
    if (merged.groups > 0)
      new Logger('Migrations').log(
        `OrderIdentity merged ${merged.groups} orders stored more than once (${merged.removed} duplicate rows removed, ` +
          `${merged.refundsMoved} refunds moved); see order_audit`,
      );

    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_natural_key`);
    await q.query(`
      ALTER TABLE orders ADD COLUMN identity_store text NOT NULL
        GENERATED ALWAYS AS (order_identity_store(platform, store)) STORED`);
    await q.query(
      `ALTER TABLE orders ADD CONSTRAINT orders_natural_key UNIQUE (platform, identity_store, external_id)`,
    );

    await q.query(`
      CREATE TABLE pending_refunds (
        platform text NOT NULL,
        identity_store text NOT NULL,
        order_external_id text NOT NULL,
        external_id text NOT NULL,
        store text NOT NULL DEFAULT '',
        refunded_at timestamptz NOT NULL,
        -- In currency when the refund names one (Shopify: the transactions' currency), else the order's.
        amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
        currency char(3),
        -- The same refund in shop money, from its lines, for when currency is not the order's.
        shop_amount numeric(14, 2) CHECK (shop_amount >= 0),
        raw jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (platform, identity_store, order_external_id, external_id)
      )`);
    await q.query(`ALTER TABLE orders ADD COLUMN deleted_at timestamptz`);

    await q.query(`
      CREATE TABLE order_uncounted_statuses (
        platform text NOT NULL CHECK (platform IN ('shopify', 'etsy', 'woocommerce', 'amazon', 'ebay')),
        status text NOT NULL,
        PRIMARY KEY (platform, status)
      )`);
    // SPEC §2's defaults: Shopify counts every order not cancelled, voided or a test (as its reports do);
    // WooCommerce processing, completed, on-hold and refunded (as WooCommerce Analytics excludes the rest).
    await q.query(`
      INSERT INTO order_uncounted_statuses (platform, status) VALUES
        ('shopify', 'cancelled'), ('shopify', 'voided'),
        ('woocommerce', 'pending'), ('woocommerce', 'failed'), ('woocommerce', 'cancelled'), ('woocommerce', 'trash'),
        ('etsy', 'cancelled'), ('etsy', 'voided'),
        ('amazon', 'cancelled'), ('amazon', 'voided'),
        ('ebay', 'cancelled'), ('ebay', 'voided')`);
    await q.query(`
      CREATE FUNCTION order_status_counts(order_platform text, order_status text) RETURNS boolean
        LANGUAGE sql STABLE PARALLEL SAFE
        RETURN NOT EXISTS (
          SELECT 1 FROM order_uncounted_statuses u WHERE u.platform = order_platform AND u.status = order_status)`);
    await q.query(`ALTER TABLE orders ADD COLUMN platform_status text`);
    await q.query(`ALTER TABLE orders ADD COLUMN status_counted boolean NOT NULL DEFAULT true`);
    await q.query(`
      CREATE FUNCTION orders_status_counted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.status_counted := order_status_counts(NEW.platform, coalesce(NEW.platform_status, NEW.status));
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER orders_status_counted BEFORE INSERT OR UPDATE OF platform, status, platform_status ON orders
        FOR EACH ROW EXECUTE FUNCTION orders_status_counted()`);
    // WooCommerce's own word, from the stored REST object or export row (the normalised status merges
    // pending with on-hold); then the setting for every order.
    await q.query(`
      UPDATE orders SET platform_status = lower(regexp_replace(coalesce(raw ->> 'status', raw -> 'first' ->> 'status'), '^wc-', ''))
      WHERE platform = 'woocommerce' AND jsonb_typeof(raw) = 'object'
        AND coalesce(raw ->> 'status', raw -> 'first' ->> 'status', '') <> ''`);
    await q.query(`
      UPDATE orders SET status_counted = order_status_counts(platform, coalesce(platform_status, status))
      WHERE status_counted IS DISTINCT FROM order_status_counts(platform, coalesce(platform_status, status))`);
    await setCountedExpression(q, `NOT test AND priced AND status_counted AND deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setCountedExpression(q, `NOT test AND priced AND status NOT IN ('cancelled', 'voided')`);
    await q.query(`DROP TRIGGER orders_status_counted ON orders`);
    await q.query(`DROP FUNCTION orders_status_counted()`);
    await q.query(`ALTER TABLE orders DROP COLUMN status_counted, DROP COLUMN platform_status, DROP COLUMN deleted_at`);
    await q.query(`DROP FUNCTION order_status_counts(text, text)`);
    await q.query(`DROP TABLE order_uncounted_statuses`);
    await q.query(`DROP TABLE pending_refunds`);
    // The new key is the coarser one, so the old key holds on every row it left.
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_natural_key`);
    await q.query(`ALTER TABLE orders DROP COLUMN identity_store`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_natural_key UNIQUE (platform, store, external_id)`);
    await q.query(`DROP TABLE order_audit`);
    await q.query(`DROP FUNCTION order_identity_store(text, text)`);
  }
}

/**
 * Gives `counted` its whole new expression. SET EXPRESSION fires no trigger, so the hours of the orders
 * whose counting changes (and of their refunds) are marked for the rollups first.
 */
async function setCountedExpression(q: QueryRunner, expression: string): Promise<void> {
  await q.query(`
    INSERT INTO order_hourly_dirty (hour)
      WITH changed AS (
        SELECT id, created_at FROM orders WHERE counted IS DISTINCT FROM (${expression}) AND base_total IS NOT NULL
      )
      SELECT DISTINCT hour FROM (
        SELECT order_hour(created_at) AS hour FROM changed
        UNION ALL SELECT order_hour(r.refunded_at) FROM refunds r JOIN changed c ON c.id = r.order_id
      ) hours`);
  await q.query(`ALTER TABLE orders ALTER COLUMN counted SET EXPRESSION AS (${expression})`);
}

/**
 * Orders of one platform and external id stored under several stores (never WooCommerce, whose ids
 * are per site) become one: the row with the newest platform update (then the newest update) is kept;
 * refunds are united by external id, an export's cumulative `export:` refund standing in only while no
 * real refund is known (as OrdersRepository.insertRefunds does); the kept row takes the lines of the
 * newest other row when it has none, and a shop name when it has none. The other rows are deleted: the
 * triggers mark the hours they and their refunds counted in, and those of refunds moved.
 */
async function mergeDuplicates(q: QueryRunner): Promise<{ groups: number; removed: number; refundsMoved: number }> {
  await q.query(`
    CREATE TEMPORARY TABLE order_merge ON COMMIT DROP AS
    SELECT id, platform, external_id, store, rank, first_value(id) OVER (PARTITION BY platform, external_id ORDER BY rank) AS keep_id
    FROM (
      SELECT o.id, o.platform, o.external_id, o.store,
             row_number() OVER (PARTITION BY o.platform, o.external_id
                                ORDER BY o.platform_updated_at DESC NULLS LAST, o.updated_at DESC, o.id DESC) AS rank,
             count(*) OVER (PARTITION BY o.platform, o.external_id) AS copies
      FROM orders o WHERE o.platform <> 'woocommerce'
    ) ranked
    WHERE copies > 1`);
  const [{ groups }] = (await q.query(`SELECT count(DISTINCT keep_id)::int AS groups FROM order_merge`)) as [
    { groups: number },
  ];
  if (groups === 0) return { groups: 0, removed: 0, refundsMoved: 0 };

  // Real refunds of the removed rows that the kept row lacks (the newest copy of each refund id).
  const realMoved: unknown[] = await q.query(`
    INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount, raw, inserted_at)
    SELECT DISTINCT ON (m.keep_id, r.external_id) m.keep_id, r.external_id, r.refunded_at, r.amount, r.base_amount, r.raw, r.inserted_at
    FROM order_merge m JOIN refunds r ON r.order_id = m.id
    WHERE m.id <> m.keep_id AND r.external_id NOT LIKE 'export:%'
    ORDER BY m.keep_id, r.external_id, m.rank
    ON CONFLICT (order_id, external_id) DO NOTHING
    RETURNING 1`);
  // An export's cumulative refund gives way to real ones; without any, the newest copy's stands in.
  await q.query(`
    DELETE FROM refunds r USING (SELECT DISTINCT keep_id FROM order_merge) k
    WHERE r.order_id = k.keep_id AND r.external_id LIKE 'export:%'
      AND EXISTS (SELECT 1 FROM refunds x WHERE x.order_id = k.keep_id AND x.external_id NOT LIKE 'export:%')`);
  const exportMoved: unknown[] = await q.query(`
    INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount, raw, inserted_at)
    SELECT DISTINCT ON (m.keep_id) m.keep_id, r.external_id, r.refunded_at, r.amount, r.base_amount, r.raw, r.inserted_at
    FROM order_merge m JOIN refunds r ON r.order_id = m.id
    WHERE m.id <> m.keep_id AND r.external_id LIKE 'export:%'
      AND NOT EXISTS (SELECT 1 FROM refunds x WHERE x.order_id = m.keep_id)
    ORDER BY m.keep_id, m.rank, r.external_id
    RETURNING 1`);
  await q.query(`
    WITH donor AS (
      SELECT DISTINCT ON (m.keep_id) m.keep_id, m.id
      FROM order_merge m
      WHERE m.id <> m.keep_id
        AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = m.id)
        AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = m.keep_id)
      ORDER BY m.keep_id, m.rank
    ), moved AS (
      UPDATE order_lines l SET order_id = d.keep_id FROM donor d WHERE l.order_id = d.id RETURNING d.keep_id, d.id
    )
    UPDATE orders o SET lines_digest = src.lines_digest
    FROM (SELECT DISTINCT d.keep_id, s.lines_digest FROM moved d JOIN orders s ON s.id = d.id) src
    WHERE o.id = src.keep_id`);
  await q.query(`
    UPDATE orders o SET store = named.store
    FROM (
      SELECT DISTINCT ON (keep_id) keep_id, store FROM order_merge WHERE store <> '' ORDER BY keep_id, rank
    ) named
    WHERE o.id = named.keep_id AND o.store = ''`);
  await q.query(`
    INSERT INTO order_audit (action, platform, store, external_id, order_id, detail, done_by)
    SELECT 'merged', k.platform, k.store, k.external_id, k.id,
           jsonb_build_object(
             'kept', jsonb_build_object('id', k.id, 'store', k.store, 'platformUpdatedAt', k.platform_updated_at),
             'removed', (SELECT jsonb_agg(jsonb_build_object('id', o.id, 'store', o.store, 'total', o.total,
                                                              'currency', o.currency, 'platformUpdatedAt', o.platform_updated_at,
                                                              'refunds', (SELECT count(*) FROM refunds r WHERE r.order_id = o.id))
                                          ORDER BY m.rank)
                         FROM order_merge m JOIN orders o ON o.id = m.id WHERE m.keep_id = k.id AND m.id <> k.id),
             'refunds', (SELECT jsonb_agg(jsonb_build_object('externalId', r.external_id, 'amount', r.amount) ORDER BY r.external_id)
                         FROM refunds r WHERE r.order_id = k.id)),
           'migration OrderIdentity1799500000000'
    FROM orders k WHERE k.id IN (SELECT keep_id FROM order_merge)`);
  const removed: unknown[] = updatedRows(
    await q.query(`DELETE FROM orders o USING order_merge m WHERE o.id = m.id AND m.id <> m.keep_id RETURNING 1`),
  );
  await q.query(`DROP TABLE order_merge`);
  return { groups, removed: removed.length, refundsMoved: realMoved.length + exportMoved.length };
}

/** TypeORM answers a DELETE … RETURNING with `[rows, affectedCount]`. */
function updatedRows(result: unknown): unknown[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0] as unknown[];
  return result as unknown[];
}
