import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TimeWindow } from '@mt/periods';
import { EXPORT_CONNECTIONS } from '../database/connection-pools';
import { RowCell, sqlLiteral, streamRows } from '../database/cursor-rows';
import { ORDER_KEY_COLUMNS, orderKeySql, type OrderColumn } from '../sales/order-rows.repository';
import { convertedRefund } from '../sales/sales-sql';

/** The columns of `streamLines`' rows, in order. */
export const LINE_COLUMNS: OrderColumn[] = [
  ...ORDER_KEY_COLUMNS,
  { name: 'position', kind: 'number' },
  { name: 'title_id', kind: 'number' },
  { name: 'title', kind: 'text' },
  { name: 'format', kind: 'text' },
  { name: 'product', kind: 'text' },
  { name: 'variant', kind: 'text' },
  { name: 'sku', kind: 'text' },
  { name: 'gtin', kind: 'text' },
  { name: 'product_id', kind: 'text' },
  { name: 'quantity', kind: 'number' },
  { name: 'currency', kind: 'text' },
  { name: 'unit_price', kind: 'number' },
  { name: 'line_total', kind: 'number' },
  { name: 'refunded', kind: 'number' },
  { name: 'base_currency', kind: 'text' },
  { name: 'base_share', kind: 'number' },
  { name: 'base_refunded_share', kind: 'number' },
  { name: 'base_net', kind: 'number' },
];

/**
 * Every order line of a window (orders created in it, test and cancelled ones flagged by `counted`),
 * with its catalogue title and format, the platform's own figures, and its share of the order's base
 * total and of its converted refunds (what the titles' revenue adds up), for the lines export.
 */
@Injectable()
export class LineRowsRepository {
  constructor(@InjectDataSource(EXPORT_CONNECTIONS) private readonly dataSource: DataSource) {}

  streamLines(
    window: TimeWindow,
    zone: string,
    baseCurrency: string,
    consume: (rows: RowCell[][]) => Promise<void>,
  ): Promise<number> {
    return streamRows(
      this.dataSource,
      zone,
      `SELECT ${orderKeySql(sqlLiteral(zone))}, l.position::text, ti.id::text, ti.name, e.format, l.title, l.variant, l.sku,
         l.gtin, l.product_id, l.quantity::text, o.currency::text, l.unit_price::text, l.line_total::text,
         l.refunded_amount::text, ${sqlLiteral(baseCurrency)}, t.base_allocated::text, r.refunded::text,
         (t.base_allocated - r.refunded)::text
       FROM orders o
       JOIN order_lines l ON l.order_id = o.id
       LEFT JOIN order_line_titles t ON t.order_id = l.order_id AND t.position = l.position
       LEFT JOIN editions e ON e.id = t.edition_id
       LEFT JOIN titles ti ON ti.id = e.title_id
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(a.amount), 0.00) AS refunded FROM refund_line_allocations a JOIN refunds x ON x.id = a.refund_id
         WHERE a.order_id = l.order_id AND a.position = l.position AND ${convertedRefund('x')}
       ) r
       WHERE o.created_at >= ${sqlLiteral(window.from.toISOString())} AND o.created_at < ${sqlLiteral(window.to.toISOString())}
       ORDER BY o.created_at, o.id, l.position`,
      consume,
    );
  }
}
