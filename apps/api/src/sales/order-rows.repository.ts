import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { TimeWindow } from '@mt/periods';
import { EXPORT_CONNECTIONS } from '../database/connection-pools';
import { convertedRefund } from './sales-sql';

/** A cell as PostgreSQL returns it: numbers as exact decimal strings, booleans, text; null for empty. */
export type OrderCell = string | boolean | null;

/** A column of the order rows, and how its cells read: `number` cells are exact decimal text. */
export interface OrderColumn {
  name: string;
  kind: 'text' | 'number' | 'boolean';
}

/** The columns of `streamOrders`' rows, in order. */
export const ORDER_COLUMNS: OrderColumn[] = [
  { name: 'platform', kind: 'text' },
  { name: 'store', kind: 'text' },
  { name: 'external_id', kind: 'text' },
  { name: 'order_number', kind: 'text' },
  { name: 'created_at', kind: 'text' },
  { name: 'date', kind: 'text' },
  { name: 'timezone', kind: 'text' },
  { name: 'status', kind: 'text' },
  { name: 'counted', kind: 'boolean' },
  { name: 'country', kind: 'text' },
  { name: 'currency', kind: 'text' },
  { name: 'total', kind: 'number' },
  { name: 'refunded', kind: 'number' },
  { name: 'base_currency', kind: 'text' },
  { name: 'base_total', kind: 'number' },
  { name: 'base_refunded', kind: 'number' },
  { name: 'base_net', kind: 'number' },
];

/** Rows fetched per round trip: big enough to keep the connection busy, small enough to hold. */
const FETCH_SIZE = 1000;

/**
 * Every order of a window as a row, with its refunds summed, for the orders export (all orders: the
 * `counted` column says which enter the figures). Streamed through a server-side cursor, `FETCH_SIZE` rows
 * at a time: memory stays flat whatever the range. Times are formatted by PostgreSQL in the business zone
 * (SET LOCAL TimeZone), money stays the exact decimal text of `numeric`.
 */
@Injectable()
export class OrderRowsRepository {
  /** On the exports' own pool: a cursor lives as long as its client reads (see connection-pools.ts). */
  constructor(@InjectDataSource(EXPORT_CONNECTIONS) private readonly dataSource: DataSource) {}

  async streamOrders(
    window: TimeWindow,
    zone: string,
    baseCurrency: string,
    consume: (rows: OrderCell[][]) => Promise<void>,
  ): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    // The driver's own client: rows as arrays (rowMode) cost a fraction of TypeORM's row objects.
    const client = (await runner.connect()) as PoolClient;
    let total = 0;
    try {
      await runner.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
      await runner.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
      await runner.query(
        // The columns in ORDER_COLUMNS' order: rows are read as arrays.
        `DECLARE export_orders NO SCROLL CURSOR FOR
         SELECT o.platform, o.store, o.external_id, o.order_number,
           to_char(o.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS created_at, to_char(o.created_at, 'YYYY-MM-DD') AS date,
           ${literal(zone)} AS timezone, o.status, o.counted, o.country::text AS country, o.currency::text AS currency,
           o.total::text AS total, r.refunded::text AS refunded, ${literal(baseCurrency)} AS base_currency,
           o.base_total::text AS base_total, r.base_refunded::text AS base_refunded,
           (o.base_total - r.base_refunded)::text AS base_net
         FROM orders o
         CROSS JOIN LATERAL (
           SELECT coalesce(sum(x.amount), 0.00) AS refunded,
             -- An unconverted refund makes the base figures unknown rather than wrong.
             CASE WHEN bool_and(${convertedRefund('x')}) IS FALSE THEN NULL ELSE coalesce(sum(x.base_amount), 0.00) END AS base_refunded
           FROM refunds x WHERE x.order_id = o.id
         ) r
         WHERE o.created_at >= ${literal(window.from.toISOString())} AND o.created_at < ${literal(window.to.toISOString())}
         ORDER BY o.created_at, o.id`,
      );
      for (;;) {
        const { rows } = await client.query<OrderCell[]>({
          text: `FETCH ${FETCH_SIZE} FROM export_orders`,
          rowMode: 'array',
        });
        if (rows.length === 0) break;
        total += rows.length;
        await consume(rows);
        if (rows.length < FETCH_SIZE) break;
      }
      await runner.query(`COMMIT`);
      return total;
    } catch (error) {
      await runner.query(`ROLLBACK`).catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/** A SQL string literal. DECLARE takes no bind parameters; the values are our own config and ISO dates. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
