import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TimeWindow } from '@mt/periods';
import { EXPORT_CONNECTIONS } from '../database/connection-pools';
import { RowCell, sqlLiteral, streamRows } from '../database/cursor-rows';
import { convertedRefund } from './sales-sql';

export type OrderCell = RowCell;

/** The catalogue titles of order `o`'s lines (name, first position), from the titles module's tables. */
const ORDER_TITLES_SQL = `SELECT ti.name, min(t.position) AS first
  FROM order_line_titles t JOIN editions e ON e.id = t.edition_id JOIN titles ti ON ti.id = e.title_id
  WHERE t.order_id = o.id GROUP BY ti.name`;

/** A column of the order rows, and how its cells read: `number` cells are exact decimal text. */
export interface OrderColumn {
  name: string;
  kind: 'text' | 'number' | 'boolean';
}

/** The columns that say which order a row is about, first in every export of orders or their lines. */
export const ORDER_KEY_COLUMNS: OrderColumn[] = [
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
];

/** The ORDER_KEY_COLUMNS of `o` in the business zone (`zone`, a SQL literal), for a cursor's SELECT. */
export function orderKeySql(zone: string): string {
  return `o.platform, o.store, o.external_id, o.order_number,
    to_char(o.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS created_at, to_char(o.created_at, 'YYYY-MM-DD') AS date,
    ${zone} AS timezone, o.status, o.counted, o.country::text AS country`;
}

/** The columns of `streamOrders`' rows, in order. */
export const ORDER_COLUMNS: OrderColumn[] = [
  ...ORDER_KEY_COLUMNS,
  { name: 'currency', kind: 'text' },
  { name: 'total', kind: 'number' },
  { name: 'refunded', kind: 'number' },
  { name: 'base_currency', kind: 'text' },
  { name: 'base_total', kind: 'number' },
  { name: 'base_refunded', kind: 'number' },
  { name: 'base_net', kind: 'number' },
  { name: 'titles', kind: 'text' },
];

/**
 * Every order of a window as a row, with its refunds summed, for the orders export (all orders: the
 * `counted` column says which enter the figures). Streamed through a server-side cursor
 * (`streamRows`): memory stays flat whatever the range. Times are formatted by PostgreSQL in the business zone
 * (SET LOCAL TimeZone), money stays the exact decimal text of `numeric`.
 */
@Injectable()
export class OrderRowsRepository {
  /** On the exports' own pool: a cursor lives as long as its client reads (see connection-pools.ts). */
  constructor(@InjectDataSource(EXPORT_CONNECTIONS) private readonly dataSource: DataSource) {}

  streamOrders(
    window: TimeWindow,
    zone: string,
    baseCurrency: string,
    consume: (rows: OrderCell[][]) => Promise<void>,
  ): Promise<number> {
    return streamRows(this.dataSource, zone, ordersSql(window, zone, baseCurrency), consume);
  }

  /**
   * The same orders as the CSV lines PostgreSQL writes (the one-column SELECT `lines` makes of the
   * orders', whose columns are ORDER_COLUMNS): for the CSV export, which then holds no cell in memory.
   */
  streamOrderLines(
    window: TimeWindow,
    zone: string,
    baseCurrency: string,
    lines: (select: string) => string,
    consume: (lines: string[]) => Promise<void>,
  ): Promise<number> {
    return streamRows(this.dataSource, zone, lines(ordersSql(window, zone, baseCurrency)), (rows) =>
      consume(rows.map(([line]) => line as string)),
    );
  }
}

/** The orders of a window with their refunds summed, the columns in ORDER_COLUMNS' order and names. */
function ordersSql(window: TimeWindow, zone: string, baseCurrency: string): string {
  return `SELECT ${orderKeySql(sqlLiteral(zone))}, o.currency::text AS currency,
         o.total::text AS total, r.refunded::text AS refunded, ${sqlLiteral(baseCurrency)} AS base_currency,
         o.base_total::text AS base_total, r.base_refunded::text AS base_refunded,
         (o.base_total - r.base_refunded)::text AS base_net,
         (SELECT string_agg(x.name, '; ' ORDER BY x.first) FROM (${ORDER_TITLES_SQL}) x) AS titles
       FROM orders o
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(x.amount), 0.00) AS refunded,
           -- An unconverted refund makes the base figures unknown rather than wrong.
           CASE WHEN bool_and(${convertedRefund('x')}) IS FALSE THEN NULL ELSE coalesce(sum(x.base_amount), 0.00) END AS base_refunded
         FROM refunds x WHERE x.order_id = o.id
       ) r
       WHERE o.created_at >= ${sqlLiteral(window.from.toISOString())} AND o.created_at < ${sqlLiteral(window.to.toISOString())}
       ORDER BY o.created_at, o.id`;
}
