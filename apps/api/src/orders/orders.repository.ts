import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { OrderEvent, Platform } from '@mt/contracts';
import { AppConfig } from '../config/app-config';
import { RATE_FALLBACK_DAYS, RatePair, toBaseSql } from '../fx/fx-conversion';
import {
  EXPORT_REFUND_PREFIX,
  NormalizedLine,
  NormalizedOrder,
  NormalizedRefund,
  NormalizedStandaloneRefund,
} from './normalized-order';
import { StagedRowStore } from './import/staged-rows';
import { identityStoreSql, orderKey } from './order-identity';

export type UpsertResult = 'inserted' | 'updated' | 'unchanged' | 'stale';

export interface OrderChange {
  result: UpsertResult;
  orderId: string;
  refundsInserted: number;
  /** What to announce once the transaction has committed, if counted totals changed. */
  event: { name: 'order.created' | 'order.updated'; payload: OrderEvent } | null;
  /**
   * The transaction that wrote it (`pg_current_xact_id()`), when known: a live dashboard tells by it
   * whether pushed figures include the change (SalesRepository.heroShares).
   */
  commit?: string;
}

interface StoredOrder {
  id: string;
  counted: boolean;
  total: string;
  currency: string;
  base_total: string | null;
  country: string | null;
  created_at: Date;
  platform_updated_at: Date | null;
  order_number: string | null;
}

/** One row of `claimAndUpsertMany`: claim, state before the statement, new values, and old_* before an update. */
type BatchRow = {
  ord: string;
  claimed: boolean;
  commit: string;
  refunds_changed: number | null;
  stored_id: string | null;
  stored_updated_at: Date | null;
  old_id: string | null;
} & Partial<StoredOrder> & {
    [K in keyof StoredOrder as `old_${K}`]?: StoredOrder[K] | null;
  };

const ORDER_COLUMN_NAMES = [
  'id',
  'counted',
  'total',
  'currency',
  'base_total',
  'country',
  'created_at',
  'platform_updated_at',
  'order_number',
] as const;
const ORDER_COLUMNS = ORDER_COLUMN_NAMES.join(', ');
/** New values under their names, values before an upsert's update as old_<name> (NULL after an insert). */
const ORDER_COLUMNS_RETURNING = [
  ...ORDER_COLUMN_NAMES.map((c) => `new.${c}`),
  ...ORDER_COLUMN_NAMES.map((c) => `old.${c} AS old_${c}`),
].join(', ');

/** INSERT … SELECT of one order from parameters $3–$17 (see `orderParams`); callers add ON CONFLICT. */
const INSERT_ORDER_SQL = `INSERT INTO orders (platform, store, external_id, order_number, created_at, currency, total, base_total,
                      country, status, test, platform_updated_at, raw, priced, lines_digest, platform_status)
  SELECT $3::text, $4::text, $5::text, $6::text, $7::timestamptz, $8::text, $9::numeric, ${toBaseSql('$9', '$8', '$7')},
         $10::text, $11::text, $12::boolean, $13::timestamptz, $14::jsonb, $15::boolean, $16::text, $17::text`;

/** The order whose natural key (SPEC §2, order-identity.ts) the parameters hold; by default those of `orderParams`. */
function orderKeyMatches(platform = '$3', store = '$4', externalId = '$5'): string {
  return `platform = ${platform}::text AND identity_store = ${identityStoreSql(`${platform}::text`, `${store}::text`)}
          AND external_id = ${externalId}::text`;
}

/** A store given by a later source fills a blank one; a blank one never erases it. */
const STORE_AFTER = (incoming: string, stored: string) =>
  `CASE WHEN ${incoming} <> '' THEN ${incoming} ELSE ${stored} END`;

/** The columns of `lineParams`, in order, with their types, for `unnest(...) AS l (key, ...)`. */
const LINE_INPUT = [
  ['key', 'bigint'],
  ['position', 'integer'],
  ['external_id', 'text'],
  ['title', 'text'],
  ['variant', 'text'],
  ['sku', 'text'],
  ['gtin', 'text'],
  ['product_id', 'text'],
  ['quantity', 'integer'],
  ['unit_price', 'numeric'],
  ['line_total', 'numeric'],
  ['refunded_amount', 'numeric'],
  ['refunded_quantity', 'integer'],
] as const;

/** unnest of `lineParams` from parameter $first on: one row per line, `key` naming its order in the statement. */
function lineInputSql(first: number): string {
  const params = LINE_INPUT.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');
  return `SELECT * FROM unnest(${params}) AS l (${LINE_INPUT.map(([column]) => column).join(', ')})`;
}

/**
 * Data-modifying CTEs that make the stored lines of the orders in `targets` (key, id, currency,
 * created_at) exactly the lines in `lines` (see lineInputSql): positions beyond the new last one are
 * deleted, the others upserted, so that one statement replaces an order's lines whole (a DELETE and an
 * INSERT of the same key in one statement could collide). Base amounts are converted like the order's
 * total (same currency, same day); line refunds too, at the order's day, as lines carry no refund date.
 */
function replaceLinesSql(targets: string, lines: string): string {
  return `stale_lines AS (
    DELETE FROM order_lines ol USING ${targets} t, (SELECT key, max(position) AS last FROM ${lines} GROUP BY key) n
    WHERE n.key = t.key AND ol.order_id = t.id AND ol.position > n.last
  ), put_lines AS (
    INSERT INTO order_lines (order_id, position, external_id, title, variant, sku, gtin, product_id, quantity, unit_price,
                             line_total, refunded_amount, refunded_quantity, base_line_total, base_refunded_amount)
    SELECT t.id, l.position, l.external_id, l.title, l.variant, l.sku, l.gtin, l.product_id, l.quantity, l.unit_price,
           l.line_total, l.refunded_amount, l.refunded_quantity, ${toBaseSql('l.line_total', 't.currency', 't.created_at')},
           ${toBaseSql('l.refunded_amount', 't.currency', 't.created_at')}
    FROM ${targets} t JOIN ${lines} l ON l.key = t.key
    ON CONFLICT (order_id, position) DO UPDATE SET
      external_id = EXCLUDED.external_id, title = EXCLUDED.title, variant = EXCLUDED.variant, sku = EXCLUDED.sku,
      gtin = EXCLUDED.gtin, product_id = EXCLUDED.product_id, quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
      line_total = EXCLUDED.line_total, refunded_amount = EXCLUDED.refunded_amount,
      refunded_quantity = EXCLUDED.refunded_quantity, base_line_total = EXCLUDED.base_line_total,
      base_refunded_amount = EXCLUDED.base_refunded_amount
  )`;
}

/**
 * Data-modifying CTEs that move the refunds waiting in `pending_refunds` for the orders in `targets`
 * (id, platform, identity_store, external_id, currency) onto them: converted on their own date, in the
 * order's currency (a refund paid in another currency keeps its shop-money amount), and an export's
 * cumulative refund gives way to them as it does to every real refund (see `insertRefunds`). The CTEs
 * `put_pending` and `export_gave_way` return the `order_id` of each refund row written or removed.
 */
function applyPendingRefundsSql(targets: string): string {
  return `taken_pending AS (
    DELETE FROM pending_refunds p USING ${targets} t
    WHERE p.platform = t.platform AND p.identity_store = t.identity_store AND p.order_external_id = t.external_id
    RETURNING t.id AS order_id, t.currency AS order_currency, p.external_id, p.refunded_at, p.raw,
              CASE WHEN p.currency IS NULL OR p.currency = t.currency THEN p.amount ELSE coalesce(p.shop_amount, p.amount) END AS amount
  ), put_pending AS (
    INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount, raw)
    SELECT order_id, external_id, refunded_at, amount, ${toBaseSql('amount', 'order_currency', 'refunded_at')}, raw
    FROM taken_pending
    ON CONFLICT (order_id, external_id) DO NOTHING
    RETURNING order_id
  ), export_gave_way AS (
    DELETE FROM refunds r USING (SELECT DISTINCT order_id FROM put_pending) p
    WHERE r.order_id = p.order_id AND r.external_id LIKE '${EXPORT_REFUND_PREFIX}%'
    RETURNING r.order_id
  )`;
}

/**
 * Owns every write to `orders`, `refunds`, `pending_refunds`, `order_audit` and `webhook_deliveries`.
 * Upserts are idempotent: keyed by the order's natural key (order-identity.ts) and refund (order, external
 * id); an older platform `updated_at` never overwrites a newer one; concurrent deliveries of the same order
 * serialise on the order's row lock. A deleted order (`deleted_at`) stays deleted whatever later upserts
 * say, until `restoreOrder`.
 */
@Injectable()
export class OrdersRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Runs `work` in one READ COMMITTED transaction; returns what it returned once committed. */
  transaction<T>(work: (tx: OrdersTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new OrdersTransaction(manager, this.config)));
  }

  /**
   * Deliveries that carry no refunds, in one autocommit statement (atomic, one round trip for many): each
   * delivery id is claimed, and for the claimed ones the order is inserted, or updated when the payload is
   * not older and differs. PostgreSQL 18's `RETURNING old.…` gives the values before an update, for the
   * event. The caller passes distinct delivery ids and distinct order keys (one row may change once per
   * statement). Results in input order; null for a duplicate delivery.
   */
  async claimAndUpsertMany(
    deliveries: ReadonlyArray<{ deliveryId: string; topic: string | null; order: NormalizedOrder }>,
  ): Promise<Array<OrderChange | null>> {
    if (deliveries.some((d) => d.order.refunds.length))
      throw new Error('claimAndUpsertMany takes orders without refunds; use a transaction');
    const columns = deliveries.map((d) => [...orderParams(this.config, d.order).slice(2), d.deliveryId, d.topic]);
    const lines = lineParams(deliveries.map((d, i) => ({ key: i + 1, lines: d.order.lines })));
    const rows: BatchRow[] = await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::numeric[],
                              $10::text[], $11::text[], $12::boolean[], $13::timestamptz[], $14::jsonb[], $15::boolean[],
                              $16::text[], $17::text[], $18::text[], $19::text[])
           WITH ORDINALITY AS i (platform, store, external_id, order_number, created_at, currency, total, country, status, test,
                                 platform_updated_at, raw, priced, lines_digest, platform_status, delivery_id, topic, ord)
       ), lines AS (${lineInputSql(20)}
       ), claim AS (
         -- Sorted, so that two statements claiming the same ids wait for each other instead of deadlocking.
         INSERT INTO webhook_deliveries (platform, delivery_id, store, topic)
         SELECT platform, delivery_id, store, topic FROM input ORDER BY platform, delivery_id
         ON CONFLICT (platform, delivery_id) DO NOTHING RETURNING platform, delivery_id
       ), upsert AS (
         INSERT INTO orders (platform, store, external_id, order_number, created_at, currency, total, base_total,
                             country, status, test, platform_updated_at, raw, priced, lines_digest, platform_status)
         SELECT i.platform, i.store, i.external_id, i.order_number, i.created_at, i.currency, i.total,
                ${toBaseSql('i.total', 'i.currency', 'i.created_at')}, i.country, i.status, i.test, i.platform_updated_at, i.raw,
                i.priced, i.lines_digest, i.platform_status
         FROM input i JOIN claim c ON c.platform = i.platform AND c.delivery_id = i.delivery_id
         ORDER BY i.platform, ${identityStoreSql('i.platform', 'i.store')}, i.external_id
         ON CONFLICT (platform, identity_store, external_id) DO UPDATE SET
           store = ${STORE_AFTER('EXCLUDED.store', 'orders.store')},
           order_number = EXCLUDED.order_number, created_at = EXCLUDED.created_at, currency = EXCLUDED.currency,
           total = EXCLUDED.total, base_total = EXCLUDED.base_total, country = EXCLUDED.country, status = EXCLUDED.status,
           test = EXCLUDED.test, platform_updated_at = EXCLUDED.platform_updated_at, raw = EXCLUDED.raw,
           priced = EXCLUDED.priced, lines_digest = coalesce(EXCLUDED.lines_digest, orders.lines_digest),
           platform_status = EXCLUDED.platform_status, updated_at = now()
         WHERE (orders.platform_updated_at IS NULL
                OR (EXCLUDED.platform_updated_at IS NOT NULL AND EXCLUDED.platform_updated_at >= orders.platform_updated_at))
           AND (orders.store, orders.order_number, orders.created_at, orders.currency, orders.total, orders.base_total,
                orders.country, orders.status, orders.test, orders.platform_updated_at, orders.priced, orders.lines_digest,
                orders.platform_status)
               IS DISTINCT FROM (${STORE_AFTER('EXCLUDED.store', 'orders.store')}, EXCLUDED.order_number, EXCLUDED.created_at,
                EXCLUDED.currency, EXCLUDED.total, EXCLUDED.base_total, EXCLUDED.country, EXCLUDED.status, EXCLUDED.test,
                EXCLUDED.platform_updated_at, EXCLUDED.priced, coalesce(EXCLUDED.lines_digest, orders.lines_digest),
                EXCLUDED.platform_status)
         RETURNING new.platform AS key_platform, new.identity_store AS key_identity, new.external_id AS key_external_id,
                   ${ORDER_COLUMNS_RETURNING}
       ), written AS (
         -- Orders inserted or updated with lines; a stale or unchanged one is not here and keeps its lines.
         SELECT i.ord AS key, u.id, u.currency, u.created_at
         FROM input i JOIN upsert u ON u.key_platform = i.platform AND u.key_identity = ${identityStoreSql('i.platform', 'i.store')}
                                    AND u.key_external_id = i.external_id
         WHERE i.lines_digest IS NOT NULL
       ), ${replaceLinesSql('written', 'lines')},
       pending_targets AS (
         SELECT id, key_platform AS platform, key_identity AS identity_store, key_external_id AS external_id, currency FROM upsert
       ), ${applyPendingRefundsSql('pending_targets')}
       SELECT i.ord, c.delivery_id IS NOT NULL AS claimed, pg_current_xact_id()::text AS commit, s.id AS stored_id, s.platform_updated_at AS stored_updated_at,
              (SELECT count(*)::int FROM (SELECT order_id FROM put_pending UNION ALL SELECT order_id FROM export_gave_way) r
               WHERE r.order_id = u.id) AS refunds_changed,
              u.*
       FROM input i
       LEFT JOIN claim c ON c.platform = i.platform AND c.delivery_id = i.delivery_id
       LEFT JOIN upsert u ON u.key_platform = i.platform AND u.key_identity = ${identityStoreSql('i.platform', 'i.store')}
                          AND u.key_external_id = i.external_id
       LEFT JOIN orders s ON s.platform = i.platform AND s.identity_store = ${identityStoreSql('i.platform', 'i.store')}
                          AND s.external_id = i.external_id
       ORDER BY i.ord`,
      [
        this.config.baseCurrency,
        this.config.businessTimezone,
        ...columns[0]!.map((_, i) => columns.map((c) => c[i])),
        ...lines,
      ],
    );
    return rows.map((row, index) => {
      const order = deliveries[index]!.order;
      if (!row.claimed) return null;
      if (!row.id) {
        // Claimed, nothing written: the stored order is newer, or the same. (`s` is the state before this statement.)
        const stale = isStale(row.stored_updated_at, order.platformUpdatedAt);
        return { result: stale ? 'stale' : 'unchanged', orderId: row.stored_id ?? '', refundsInserted: 0, event: null };
      }
      const after: StoredOrder = row as StoredOrder;
      const refundsInserted = row.refunds_changed ?? 0;
      if (row.old_id === null) {
        return {
          result: 'inserted',
          orderId: after.id,
          refundsInserted,
          event: after.counted ? event('order.created', order.platform, after) : null,
          commit: row.commit,
        };
      }
      const before: StoredOrder = {
        id: row.old_id,
        counted: row.old_counted!,
        total: row.old_total!,
        currency: row.old_currency!,
        base_total: row.old_base_total ?? null,
        country: row.old_country ?? null,
        created_at: row.old_created_at!,
        platform_updated_at: row.old_platform_updated_at ?? null,
        order_number: row.old_order_number ?? null,
      };
      return {
        result: 'updated',
        orderId: after.id,
        refundsInserted,
        event: changeEvent(order.platform, before, after, refundsInserted),
        commit: row.commit,
      };
    });
  }

  /**
   * Applies rates that were added or changed, inside the transaction that stored them: every order and
   * refund in a foreign currency whose business day the rates cover (a pair's day up to the fallback
   * days after it) gets the base amount the rule now gives, when it differs: waiting ones are converted,
   * a corrected rate is applied. `'all'` recomputes every one (after a change of the business zone).
   * Amounts in the base currency are the platform's own and are never touched. The update triggers mark
   * the rollup hours. Returns how many rows changed.
   */
  async applyRates(manager: EntityManager, scope: RatePair[] | 'all'): Promise<{ orders: number; refunds: number }> {
    if (scope !== 'all' && scope.length === 0) return { orders: 0, refunds: 0 };
    const params: unknown[] = [this.config.baseCurrency, this.config.businessTimezone];
    if (scope !== 'all')
      params.push(
        scope.map((pair) => pair.currency),
        scope.map((pair) => pair.day),
      );
    const spans =
      scope === 'all'
        ? ''
        : `, (SELECT c.currency, min(c.day) AS lo, max(c.day) + ${RATE_FALLBACK_DAYS} AS hi
              FROM unnest($3::text[], $4::date[]) AS c (currency, day) GROUP BY c.currency) s`;
    const within = (at: string) =>
      scope === 'all'
        ? ''
        : `AND o.currency = CAST(s.currency AS char(3))
           AND ${at} >= (s.lo::timestamp AT TIME ZONE $2::text) AND ${at} < ((s.hi + 1)::timestamp AT TIME ZONE $2::text)`;
    // Each update first keeps the rows in the rates' spans (cheap tests, kept apart so that the planner
    // cannot put the rate look-ups before them), converts those, and writes the ones that differ.
    const count = async (due: string, update: string): Promise<number> => {
      const [row]: Array<{ n: number }> = await manager.query(
        `WITH due AS MATERIALIZED (${due}), changed AS (${update} RETURNING 1) SELECT count(*)::int AS n FROM changed`,
        params,
      );
      return row!.n;
    };
    const foreign = `o.currency <> CAST($1::text AS char(3))`;
    const orders = await count(
      `SELECT o.id, ${toBaseSql('o.total', 'o.currency', 'o.created_at')} AS base
       FROM orders o ${spans} WHERE ${foreign} ${within('o.created_at')}`,
      `UPDATE orders o SET base_total = due.base, updated_at = now() FROM due
       WHERE o.id = due.id AND o.base_total IS DISTINCT FROM due.base`,
    );
    const refunds = await count(
      `SELECT r.id, ${toBaseSql('r.amount', 'o.currency', 'r.refunded_at')} AS base
       FROM refunds r JOIN orders o ON o.id = r.order_id ${spans} WHERE ${foreign} ${within('r.refunded_at')}`,
      `UPDATE refunds r SET base_amount = due.base FROM due
       WHERE r.id = due.id AND r.base_amount IS DISTINCT FROM due.base`,
    );
    // Lines follow their order (its currency, its day): converted with it, never counted on their own.
    await count(
      `SELECT l.order_id, l.position, ${toBaseSql('l.line_total', 'o.currency', 'o.created_at')} AS line_total,
              ${toBaseSql('l.refunded_amount', 'o.currency', 'o.created_at')} AS refunded_amount
       FROM orders o JOIN order_lines l ON l.order_id = o.id ${spans} WHERE ${foreign} ${within('o.created_at')}`,
      `UPDATE order_lines l SET base_line_total = due.line_total, base_refunded_amount = due.refunded_amount FROM due
       WHERE l.order_id = due.order_id AND l.position = due.position
         AND (l.base_line_total, l.base_refunded_amount) IS DISTINCT FROM (due.line_total, due.refunded_amount)`,
    );
    return { orders, refunds };
  }

  /** The stored order's currency (the shop currency for Shopify), or null when the order is not stored. */
  async orderCurrency(platform: Platform, store: string, externalId: string): Promise<string | null> {
    const rows: Array<{ currency: string }> = await this.dataSource.query(
      `SELECT currency FROM orders WHERE ${orderKeyMatches('$1', '$2', '$3')}`,
      [platform, store, externalId],
    );
    return rows[0]?.currency.trim() ?? null;
  }

  /** Whether a delivery id was handled before (to skip the work of a retry before claiming it). */
  async deliverySeen(platform: Platform, deliveryId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM webhook_deliveries WHERE platform = $1 AND delivery_id = $2`,
      [platform, deliveryId],
    );
    return rows.length > 0;
  }

  /** Stores of a platform seen so far (to default the store of an import that names none). */
  async knownStores(platform: Platform): Promise<string[]> {
    const rows: Array<{ store: string }> = await this.dataSource.query(
      `SELECT DISTINCT store FROM orders WHERE platform = $1 ORDER BY store`,
      [platform],
    );
    return rows.map((row) => row.store);
  }

  /** Orders of a platform whose external id or order number is `ref` ("1047" also finds "#1047"), newest first. */
  async findOrders(platform: Platform, ref: string): Promise<StoredOrderRow[]> {
    return this.dataSource.query(
      `SELECT ${STORED_ORDER_ROW} FROM orders
       WHERE platform = $1 AND (external_id = $2 OR order_number = $2 OR order_number = '#' || $2)
       ORDER BY created_at DESC, id DESC LIMIT 20`,
      [platform, ref],
    );
  }

  /** The statuses of each platform that do not count (SPEC §2's defaults come with the migration). */
  async uncountedStatuses(): Promise<Array<{ platform: Platform; status: string }>> {
    return this.dataSource.query(`SELECT platform, status FROM order_uncounted_statuses ORDER BY platform, status`);
  }

  /**
   * Makes `statuses` the platform's statuses that do not count and applies that to every stored order of
   * the platform at once (the update triggers mark the rollup hours). Returns how many orders changed.
   */
  async setUncountedStatuses(platform: Platform, statuses: string[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM order_uncounted_statuses WHERE platform = $1 AND status <> ALL ($2::text[])`, [
        platform,
        statuses,
      ]);
      await manager.query(
        `INSERT INTO order_uncounted_statuses (platform, status) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [platform, statuses],
      );
      const changed: unknown[] = updatedRows(
        await manager.query(
          `UPDATE orders SET status_counted = order_status_counts(platform, coalesce(platform_status, status)), updated_at = now()
           WHERE platform = $1 AND status_counted IS DISTINCT FROM order_status_counts(platform, coalesce(platform_status, status))
           RETURNING 1`,
          [platform],
        ),
      );
      return changed.length;
    });
  }
}

/** The columns of `StoredOrderRow`. */
const STORED_ORDER_ROW = `id::text, platform, store, external_id, order_number, created_at, total::text, currency::text,
  counted, deleted_at`;

export interface StoredOrderRow {
  id: string;
  platform: Platform;
  store: string;
  external_id: string;
  order_number: string | null;
  created_at: Date;
  total: string;
  currency: string;
  counted: boolean;
  deleted_at: Date | null;
}

/** An order deleted or restored, its audit line and what changed; null when there was nothing to do. */
export type DeletionChange = { order: StoredOrderRow; auditId: string; change: OrderChange } | null;

/** Which order a deletion or restoration names: its row id, or its natural key. */
export type OrderMatch = { id: string } | { platform: Platform; store: string; externalId: string };

/** Orders a transaction writes before the planner is told (see GrowingStatistics). */
const STATISTICS_AFTER_ORDERS = 10_000;

/**
 * The planner's statistics of the order tables kept up with one long transaction's own writes (a large
 * file is one transaction). Without them every statement of its later chunks, the titles triggers' above
 * all, was planned for the tables as they were before the file (autovacuum cannot count rows that are
 * not committed): it read every line written so far, and a chunk took longer the further the file got
 * (a 60,000-order file: 2.6 s a chunk at its end, 174 s in all). ANALYZE in the transaction counts its
 * own rows; it runs each time the orders table has doubled since the statistics were last right, so a
 * file of n orders pays for about log2(n / 10,000) of them, and a webhook or a poller page for none.
 */
class GrowingStatistics {
  /** Orders the planner's statistics count; null until first asked. */
  private known: number | null = null;
  /** Orders in the table as this transaction sees them: its own, plus the statistics' count once asked. */
  private orders = 0;

  constructor(private readonly manager: EntityManager) {}

  async grown(inserted: number): Promise<void> {
    this.orders += inserted;
    if (this.orders < STATISTICS_AFTER_ORDERS) return;
    if (this.known === null) {
      const [{ tuples }]: Array<{ tuples: number }> = await this.manager.query(
        `SELECT greatest(reltuples, 0)::float8 AS tuples FROM pg_class WHERE oid = 'orders'::regclass`,
      );
      this.known = tuples;
      this.orders += tuples;
    }
    if (this.orders < 2 * this.known) return;
    // The tables a chunk's statements read (order_line_titles is written by the titles triggers). Its lock
    // is held to the commit: a table another import analysed is skipped, not waited for (that import's
    // statistics count its own rows, and two waiting on each other's rows could deadlock).
    await this.manager.query('ANALYZE (SKIP_LOCKED) orders, order_lines, order_line_titles, refunds');
    this.known = this.orders;
  }
}

export class OrdersTransaction {
  private readonly statistics: GrowingStatistics;

  constructor(
    private readonly manager: EntityManager,
    private readonly config: AppConfig,
  ) {
    this.statistics = new GrowingStatistics(manager);
  }

  /** This transaction's id (`pg_current_xact_id()`), which `OrderChange.commit` carries. */
  async commitId(): Promise<string> {
    const [row]: Array<{ id: string }> = await this.manager.query(`SELECT pg_current_xact_id()::text AS id`);
    return row!.id;
  }

  /** A staging table for the rows of a large export, dropped with this transaction. */
  stageRows(): Promise<StagedRowStore> {
    return StagedRowStore.create(this.manager);
  }

  /** Records a delivery id; false when it was handled before (or is being handled by a concurrent request). */
  async claimDelivery(platform: Platform, deliveryId: string, store: string, topic: string | null): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO webhook_deliveries (platform, delivery_id, store, topic) VALUES ($1, $2, $3, $4)
       ON CONFLICT (platform, delivery_id) DO NOTHING RETURNING 1`,
      [platform, deliveryId, store, topic],
    );
    return rows.length === 1;
  }

  /**
   * Claims the delivery and inserts the order in one statement (one round trip for the common case of a
   * new order). `claimed` false: a duplicate, nothing written. `change` null: the order exists already
   * and must go through `upsertOrder` in the same transaction.
   */
  async claimAndInsert(
    deliveryId: string,
    topic: string | null,
    order: NormalizedOrder,
  ): Promise<{ claimed: boolean; change: OrderChange | null }> {
    const rows: Array<StoredOrder & { claimed: boolean }> = await this.manager.query(
      `WITH claim AS (
         INSERT INTO webhook_deliveries (platform, delivery_id, store, topic) VALUES ($3::text, $18::text, $4::text, $19::text)
         ON CONFLICT (platform, delivery_id) DO NOTHING RETURNING 1
       ), inserted AS (
         ${INSERT_ORDER_SQL} WHERE EXISTS (SELECT 1 FROM claim)
         ON CONFLICT (platform, identity_store, external_id) DO NOTHING
         RETURNING ${ORDER_COLUMNS}
       )
       SELECT EXISTS (SELECT 1 FROM claim) AS claimed, inserted.* FROM (VALUES (1)) AS one (x) LEFT JOIN inserted ON true`,
      [...this.orderParams(order), deliveryId, topic],
    );
    const row = rows[0]!;
    if (!row.claimed) return { claimed: false, change: null };
    if (row.id === null) return { claimed: true, change: null };
    await this.writeLines([{ orderId: row.id, lines: order.lines }]);
    const pending = await this.applyPendingRefunds([row.id]);
    return { claimed: true, change: await this.afterInsert(order, row, pending.get(row.id) ?? 0) };
  }

  /**
   * Many orders (an import file, a poller page): new ones are inserted by one multi-row statement per
   * chunk; those that exist go through `upsertOrder` one by one. Results come back in input order.
   */
  async upsertOrders(orders: NormalizedOrder[]): Promise<OrderChange[]> {
    const changes: OrderChange[] = new Array(orders.length);
    const CHUNK = 500;
    for (let from = 0; from < orders.length; from += CHUNK) {
      const chunk = orders.slice(from, from + CHUNK);
      const columns = chunk.map((order) => this.orderParams(order).slice(2));
      const inserted: Array<StoredOrder & { platform: Platform; identity_store: string; external_id: string }> =
        await this.manager.query(
          `INSERT INTO orders (platform, store, external_id, order_number, created_at, currency, total, base_total,
                               country, status, test, platform_updated_at, raw, priced, lines_digest, platform_status)
           SELECT o.platform, o.store, o.external_id, o.order_number, o.created_at, o.currency, o.total,
                  ${toBaseSql('o.total', 'o.currency', 'o.created_at')}, o.country, o.status, o.test, o.platform_updated_at, o.raw,
                  o.priced, o.lines_digest, o.platform_status
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::numeric[],
                       $10::text[], $11::text[], $12::boolean[], $13::timestamptz[], $14::jsonb[], $15::boolean[], $16::text[],
                       $17::text[])
                AS o (platform, store, external_id, order_number, created_at, currency, total, country, status, test,
                      platform_updated_at, raw, priced, lines_digest, platform_status)
           ON CONFLICT (platform, identity_store, external_id) DO NOTHING
           RETURNING ${ORDER_COLUMNS}, platform, identity_store, external_id`,
          [
            this.config.baseCurrency,
            this.config.businessTimezone,
            ...columns[0]!.map((_, i) => columns.map((c) => c[i])),
          ],
        );
      const insertedByKey = new Map(
        inserted.map((row) => [
          orderKey({ platform: row.platform, store: row.identity_store, externalId: row.external_id }),
          row,
        ]),
      );
      // The lines of all new orders of the chunk in one statement (a repeated key: its first copy's, as inserted).
      const newLines = new Map<string, { orderId: string; lines: NormalizedLine[] }>();
      for (const order of chunk) {
        const key = orderKey(order);
        const row = insertedByKey.get(key);
        if (row && !newLines.has(key)) newLines.set(key, { orderId: row.id, lines: order.lines });
      }
      await this.writeLines([...newLines.values()]);
      const pending = await this.applyPendingRefunds(inserted.map((row) => row.id));
      await this.statistics.grown(inserted.length);
      for (let i = 0; i < chunk.length; i++) {
        const order = chunk[i]!;
        const key = orderKey(order);
        const row = insertedByKey.get(key);
        // A key repeated within the chunk was inserted once (from its first copy); later copies upsert.
        insertedByKey.delete(key);
        changes[from + i] = row
          ? await this.afterInsert(order, row, pending.get(row.id) ?? 0)
          : await this.upsertOrder(order);
      }
    }
    return changes;
  }

  async upsertOrder(order: NormalizedOrder): Promise<OrderChange> {
    const inserted: StoredOrder[] = await this.manager.query(
      `${INSERT_ORDER_SQL} ON CONFLICT (platform, identity_store, external_id) DO NOTHING RETURNING ${ORDER_COLUMNS}`,
      this.orderParams(order),
    );
    if (inserted[0]) {
      await this.writeLines([{ orderId: inserted[0].id, lines: order.lines }]);
      const pending = await this.applyPendingRefunds([inserted[0].id]);
      return this.afterInsert(order, inserted[0], pending.get(inserted[0].id) ?? 0);
    }

    const [before]: StoredOrder[] = await this.manager.query(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${orderKeyMatches('$1', '$2', '$3')} FOR UPDATE`,
      [order.platform, order.store, order.externalId],
    );
    if (!before) throw new Error(`order ${order.platform}/${order.externalId} vanished during upsert`);
    const stale = isStale(before.platform_updated_at, order.platformUpdatedAt);
    let after: StoredOrder = before;
    let result: UpsertResult = stale ? 'stale' : 'unchanged';
    let refundsInserted = 0;
    if (!stale) {
      // Only a real change is written, so repeated snapshots leave rows (and updated_at) untouched.
      const updated = updatedRows<StoredOrder>(
        await this.manager.query(
          `UPDATE orders SET store = ${STORE_AFTER('$4::text', 'store')}, order_number = $6::text,
           created_at = $7::timestamptz, currency = $8::text, total = $9::numeric,
           base_total = ${toBaseSql('$9', '$8', '$7')}, country = $10::text, status = $11::text, test = $12::boolean,
           platform_updated_at = $13::timestamptz, raw = $14::jsonb, priced = $15::boolean,
           lines_digest = coalesce($16::text, lines_digest), platform_status = $17::text, updated_at = now()
         WHERE ${orderKeyMatches()}
           AND (store, order_number, created_at, currency::text, total, base_total, country::text, status, test,
                platform_updated_at, priced, lines_digest, platform_status)
               IS DISTINCT FROM (${STORE_AFTER('$4::text', 'store')}, $6::text, $7::timestamptz, $8::text, $9::numeric,
                ${toBaseSql('$9', '$8', '$7')}, $10::text, $11::text, $12::boolean, $13::timestamptz, $15::boolean,
                coalesce($16::text, lines_digest), $17::text)
         RETURNING ${ORDER_COLUMNS}`,
          this.orderParams(order),
        ),
      );
      if (updated[0]) {
        after = updated[0];
        result = 'updated';
        await this.writeLines([{ orderId: before.id, lines: order.lines }]);
        // Refunds held for an order whose first delivery raced them land with its next update at the latest.
        refundsInserted += (await this.applyPendingRefunds([before.id])).get(before.id) ?? 0;
      }
    }
    refundsInserted += await this.insertRefunds(before.id, after.currency, order.refunds);
    return {
      result,
      orderId: before.id,
      refundsInserted,
      event: changeEvent(order.platform, before, after, refundsInserted),
    };
  }

  private async afterInsert(order: NormalizedOrder, row: StoredOrder, pendingApplied: number): Promise<OrderChange> {
    const refundsInserted = pendingApplied + (await this.insertRefunds(row.id, row.currency, order.refunds));
    return {
      result: 'inserted',
      orderId: row.id,
      refundsInserted,
      event: row.counted ? event('order.created', order.platform, row) : null,
    };
  }

  private orderParams(order: NormalizedOrder): unknown[] {
    return orderParams(this.config, order);
  }

  /**
   * Replaces the stored lines of each order with the given ones, all orders in one statement. An order
   * given no lines keeps its stored ones (its source tells none, see NormalizedOrder.lines).
   */
  private async writeLines(entries: Array<{ orderId: string; lines: NormalizedLine[] }>): Promise<void> {
    const withLines = entries.filter((entry) => entry.lines.length > 0);
    if (withLines.length === 0) return;
    await this.manager.query(
      `WITH lines AS (${lineInputSql(3)}),
       targets AS (SELECT o.id AS key, o.id, o.currency, o.created_at FROM orders o
                   WHERE o.id = ANY($${3 + LINE_INPUT.length}::bigint[])),
       ${replaceLinesSql('targets', 'lines')}
       SELECT 1`,
      [
        this.config.baseCurrency,
        this.config.businessTimezone,
        ...lineParams(withLines.map((entry) => ({ key: entry.orderId, lines: entry.lines }))),
        withLines.map((entry) => entry.orderId),
      ],
    );
  }

  /** Moves the refunds that waited for these orders onto them; how many refund rows changed, per order id. */
  private async applyPendingRefunds(orderIds: string[]): Promise<Map<string, number>> {
    if (orderIds.length === 0) return new Map();
    const rows: Array<{ order_id: string; changed: number }> = await this.manager.query(
      `WITH targets AS (SELECT id, platform, identity_store, external_id, currency FROM orders WHERE id = ANY($3::bigint[])),
       ${applyPendingRefundsSql('targets')}
       SELECT order_id::text, count(*)::int AS changed
       FROM (SELECT order_id FROM put_pending UNION ALL SELECT order_id FROM export_gave_way) c GROUP BY order_id`,
      [this.config.baseCurrency, this.config.businessTimezone, orderIds],
    );
    return new Map(rows.map((row) => [row.order_id, row.changed]));
  }

  /** A refund arriving on its own; null when its order is not stored yet (then see `holdRefund`). */
  async addRefunds(
    platform: Platform,
    store: string,
    orderExternalId: string,
    refunds: NormalizedRefund[],
  ): Promise<OrderChange | null> {
    const [order]: StoredOrder[] = await this.manager.query(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${orderKeyMatches('$1', '$2', '$3')} FOR UPDATE`,
      [platform, store, orderExternalId],
    );
    if (!order) return null;
    const refundsInserted = await this.insertRefunds(order.id, order.currency, refunds);
    return {
      result: refundsInserted ? 'updated' : 'unchanged',
      orderId: order.id,
      refundsInserted,
      event: changeEvent(platform, order, order, refundsInserted),
    };
  }

  /**
   * Keeps a refund whose order is not stored yet (SPEC §2: nothing that arrived is thrown away); the
   * statement that inserts the order moves it onto the order, so it counts once whichever came first.
   * The order may have been committed since `addRefunds` looked (a concurrent first delivery): looked up
   * again here, with a fresh snapshot, it takes the refund at once. Returns that change, else null.
   */
  async holdRefund(refund: NormalizedStandaloneRefund): Promise<OrderChange | null> {
    await this.manager.query(
      `INSERT INTO pending_refunds (platform, identity_store, order_external_id, external_id, store, refunded_at, amount,
                                    currency, shop_amount, raw)
       VALUES ($1, ${identityStoreSql('$1::text', '$2::text')}, $3, $4, $2, $5, $6, $7, $8, $9::jsonb)
       ON CONFLICT (platform, identity_store, order_external_id, external_id) DO NOTHING`,
      [
        refund.platform,
        refund.store,
        refund.orderExternalId,
        refund.externalId,
        refund.refundedAt,
        refund.paid.amount,
        refund.paid.currency,
        refund.shopAmount,
        typeof refund.raw === 'string' ? refund.raw : JSON.stringify(refund.raw ?? null),
      ],
    );
    const [order]: StoredOrder[] = await this.manager.query(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${orderKeyMatches('$1', '$2', '$3')} FOR UPDATE`,
      [refund.platform, refund.store, refund.orderExternalId],
    );
    if (!order) return null;
    const refundsInserted = (await this.applyPendingRefunds([order.id])).get(order.id) ?? 0;
    return {
      result: refundsInserted ? 'updated' : 'unchanged',
      orderId: order.id,
      refundsInserted,
      event: changeEvent(refund.platform, order, order, refundsInserted),
    };
  }

  /**
   * Takes an order out of the figures (a WooCommerce `order.deleted`, or an admin removing an order that
   * should not be there): `deleted_at` is set, which `counted` reads, and the audit says who and why.
   * The row stays, so that a later delivery of the same order does not bring it back (upserts leave
   * `deleted_at` alone); `restoreOrder` does. Null when no such order is stored, or it is deleted already.
   */
  async deleteOrder(match: OrderMatch, by: string, detail: Record<string, unknown>): Promise<DeletionChange> {
    return this.setDeleted(match, 'deleted', by, detail);
  }

  /** Counts a deleted order again (WooCommerce `order.restored`); null when it is not deleted. */
  async restoreOrder(match: OrderMatch, by: string, detail: Record<string, unknown>): Promise<DeletionChange> {
    return this.setDeleted(match, 'restored', by, detail);
  }

  private async setDeleted(
    match: OrderMatch,
    action: 'deleted' | 'restored',
    by: string,
    detail: Record<string, unknown>,
  ): Promise<DeletionChange> {
    const [where, params] =
      'id' in match
        ? [`id = $1::bigint`, [match.id]]
        : [orderKeyMatches('$1', '$2', '$3'), [match.platform, match.store, match.externalId]];
    const [before]: Array<StoredOrder & { platform: Platform }> = await this.manager.query(
      `SELECT ${ORDER_COLUMNS}, platform FROM orders
       WHERE ${where} AND deleted_at IS ${action === 'deleted' ? 'NULL' : 'NOT NULL'} FOR UPDATE`,
      params,
    );
    if (!before) return null;
    const [after]: Array<StoredOrder & StoredOrderRow> = updatedRows(
      await this.manager.query(
        `UPDATE orders SET deleted_at = ${action === 'deleted' ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1
         RETURNING ${ORDER_COLUMNS}, platform, store, external_id, order_number, deleted_at`,
        [before.id],
      ),
    );
    const [audit]: Array<{ id: string }> = await this.manager.query(
      `INSERT INTO order_audit (action, platform, store, external_id, order_id, detail, done_by)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING id::text`,
      [
        action,
        after!.platform,
        after!.store,
        after!.external_id,
        after!.id,
        JSON.stringify({ orderNumber: after!.order_number, total: after!.total, currency: after!.currency, ...detail }),
        by,
      ],
    );
    return {
      order: after!,
      auditId: audit!.id,
      change: {
        result: 'updated',
        orderId: before.id,
        refundsInserted: 0,
        event: changeEvent(before.platform, before, after!, 0),
      },
    };
  }

  /**
   * Real refunds count once by their id. An export's cumulative refunded amount (`export:` ids) stands in
   * only while no real refund is known, and gives way when the first real one arrives, so an export and
   * the webhooks for the same order converge instead of adding up. Returns how many refund rows changed.
   */
  private async insertRefunds(orderId: string, currency: string, refunds: NormalizedRefund[]): Promise<number> {
    if (refunds.length === 0) return 0;
    const real = refunds.filter((r) => !r.externalId.startsWith(EXPORT_REFUND_PREFIX));
    const fromExport = refunds.filter((r) => r.externalId.startsWith(EXPORT_REFUND_PREFIX));
    let changed = 0;
    if (real.length) {
      const rows: unknown[] = await this.manager.query(
        `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
         SELECT $3::bigint, r.external_id, r.refunded_at, r.amount, ${toBaseSql('r.amount', '$4', 'r.refunded_at')}
         FROM unnest($5::text[], $6::timestamptz[], $7::numeric[]) AS r (external_id, refunded_at, amount)
         ON CONFLICT (order_id, external_id) DO NOTHING
         RETURNING 1`,
        this.refundParams(orderId, currency, real),
      );
      changed += rows.length;
      if (rows.length) {
        const removed = updatedRows(
          await this.manager.query(
            `DELETE FROM refunds WHERE order_id = $1 AND external_id LIKE '${EXPORT_REFUND_PREFIX}%' RETURNING 1`,
            [orderId],
          ),
        );
        changed += removed.length;
      }
    }
    if (fromExport.length) {
      const rows: unknown[] = await this.manager.query(
        `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
         SELECT $3::bigint, r.external_id, r.refunded_at, r.amount, ${toBaseSql('r.amount', '$4', 'r.refunded_at')}
         FROM unnest($5::text[], $6::timestamptz[], $7::numeric[]) AS r (external_id, refunded_at, amount)
         WHERE NOT EXISTS (SELECT 1 FROM refunds x WHERE x.order_id = $3::bigint AND x.external_id NOT LIKE '${EXPORT_REFUND_PREFIX}%')
         ON CONFLICT (order_id, external_id) DO UPDATE
           SET amount = EXCLUDED.amount, base_amount = EXCLUDED.base_amount, refunded_at = EXCLUDED.refunded_at
           WHERE refunds.amount IS DISTINCT FROM EXCLUDED.amount
         RETURNING 1`,
        this.refundParams(orderId, currency, fromExport),
      );
      changed += rows.length;
    }
    return changed;
  }

  private refundParams(orderId: string, currency: string, refunds: NormalizedRefund[]): unknown[] {
    return [
      this.config.baseCurrency,
      this.config.businessTimezone,
      orderId,
      currency,
      refunds.map((r) => r.externalId),
      refunds.map((r) => r.refundedAt),
      refunds.map((r) => r.amount),
    ];
  }
}

/** $1 base currency, $2 zone, $3–$17 the order's columns (see INSERT_ORDER_SQL). */
function orderParams(config: AppConfig, order: NormalizedOrder): unknown[] {
  return [
    config.baseCurrency,
    config.businessTimezone,
    order.platform,
    order.store,
    order.externalId,
    order.orderNumber,
    order.createdAt,
    order.currency,
    order.total,
    order.country,
    order.status,
    order.test,
    order.platformUpdatedAt,
    // A webhook's raw body text is stored as sent (jsonb numbers keep big ids exact); else the parsed object.
    typeof order.raw === 'string' ? order.raw : JSON.stringify(order.raw ?? null),
    order.priced,
    linesDigest(order.lines),
    order.platformStatus ?? null,
  ];
}

/** Null for no lines, so that an order given none keeps the digest (and the lines) it has. */
function linesDigest(lines: NormalizedLine[]): string | null {
  return lines.length ? createHash('sha1').update(JSON.stringify(lines)).digest('base64') : null;
}

/** Parallel arrays of every line of every entry, in LINE_INPUT order; `key` names the entry's order. */
function lineParams(entries: Array<{ key: number | string; lines: NormalizedLine[] }>): unknown[][] {
  const columns: unknown[][] = LINE_INPUT.map(() => []);
  for (const { key, lines } of entries) {
    lines.forEach((line, i) => {
      const values = [
        key,
        i + 1,
        line.externalId,
        line.title,
        line.variant,
        line.sku,
        line.gtin,
        line.productId,
        line.quantity,
        line.unitPrice,
        line.lineTotal,
        line.refundedAmount,
        line.refundedQuantity,
      ];
      values.forEach((value, c) => columns[c]!.push(value));
    });
  }
  return columns;
}

/** An older platform update time never overwrites a newer one; without one, a stored one wins. */
function isStale(stored: Date | null, incoming: Date | null): boolean {
  return stored !== null && (incoming === null || incoming.getTime() < stored.getTime());
}

/** TypeORM answers UPDATE and DELETE with `[rows, affectedCount]` instead of the rows. */
function updatedRows<T = unknown>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0] as T[];
  return result as T[];
}

function event(name: 'order.created' | 'order.updated', platform: Platform, row: StoredOrder): OrderChange['event'] {
  return {
    name,
    payload: {
      platform,
      orderNumber: row.order_number,
      amount: Number(row.total),
      currency: row.currency.trim(),
      country: row.country?.trim() ?? null,
      // The catalogue's names, known once the lines are matched: OrderIngestService fills them in.
      titles: [],
      createdAt: new Date(row.created_at).toISOString(),
    },
  };
}

/** `order.created` when an order starts counting; `order.updated` when a counted order's money changed. */
function changeEvent(
  platform: Platform,
  before: StoredOrder,
  after: StoredOrder,
  refundsInserted: number,
): OrderChange['event'] {
  if (!before.counted && after.counted) return event('order.created', platform, after);
  if (!before.counted && !after.counted) return null;
  const moneyChanged =
    before.counted !== after.counted ||
    before.total !== after.total ||
    before.currency !== after.currency ||
    before.base_total !== after.base_total ||
    refundsInserted > 0;
  return moneyChanged ? event('order.updated', platform, after) : null;
}
