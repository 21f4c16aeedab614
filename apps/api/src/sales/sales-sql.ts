import type { AppConfig } from '../config/app-config';

/**
 * The sales rules of SPEC §2 as SQL, in one place. Each function takes the alias its table has in the
 * query (orders `o`, refunds `r` unless told). The rollup function of the migrations states the same
 * rules in its own body (a migration cannot import this file); `sales.repository.spec.ts` holds the two
 * to the same figures.
 */

/** When a refund lowers revenue: on the day it was refunded, or on the day of its order (REFUND_ATTRIBUTION). */
export type RefundAttribution = AppConfig['refundAttribution'];

/**
 * An order that counts (`orders.counted`: not cancelled, voided or a test) and has a base-currency
 * amount. Only these orders enter counts and sums; their refunds are the only ones that lower revenue.
 */
export function countedAndConvertible(order = 'o'): string {
  return `${order}.counted AND ${order}.base_total IS NOT NULL`;
}

/** An order that counts but could not be converted: left out of the figures and reported as a warning. */
export function countedUnconvertible(order = 'o'): string {
  return `${order}.counted AND ${order}.base_total IS NULL`;
}

/** A refund with a base-currency amount; one without is left out of the figures and reported. */
export function convertedRefund(refund = 'r'): string {
  return `${refund}.base_amount IS NOT NULL`;
}

/** The instant a refund of order `order` lowers revenue at. */
export function refundInstant(attribution: RefundAttribution, order = 'o', refund = 'r'): string {
  return attribution === 'order_date' ? `${order}.created_at` : `${refund}.refunded_at`;
}

/** The column of `order_hourly_totals`, `order_daily_totals` and `order_daily_breakdown` with refunds so attributed. */
export function rollupRefunds(attribution: RefundAttribution): 'refunds_by_order_date' | 'refunds_by_refund_date' {
  return attribution === 'order_date' ? 'refunds_by_order_date' : 'refunds_by_refund_date';
}

/**
 * The refunds that lower revenue in [from, to) by their attributed instant: converted refunds of counted
 * and convertible orders. A FROM item `rr` (`base_amount`, the attributed instant `at`, and the order's
 * `country` and `platform`);
 * `from` and `to` are SQL expressions, usually columns of a FROM item before it.
 *
 * Window first, then the join, and each step fenced with `OFFSET 0` so that PostgreSQL cannot flatten it
 * into one big join: left to itself it hashed every order of the table to keep a window's few refunds
 * (5.4 s at 10 M orders, issue 17). By refund date the window's refunds come from `refunds_refunded_at`
 * and each looks up its order by key; by order date the window's orders come from
 * `orders_counted_created_at` and their refunds by `refunds_natural_key`.
 */
export function revenueRefunds(attribution: RefundAttribution, from: string, to: string): string {
  if (attribution === 'order_date') {
    return `LATERAL (SELECT o.id, o.created_at, o.country, o.platform FROM orders o
                     WHERE o.created_at >= ${from} AND o.created_at < ${to} AND ${countedAndConvertible()} OFFSET 0) o
            JOIN LATERAL (SELECT r.base_amount, o.created_at AS at, o.country, o.platform FROM refunds r WHERE r.order_id = o.id AND ${convertedRefund()}) rr ON true`;
  }
  return `LATERAL (SELECT r.base_amount, r.refunded_at AS at, o.country, o.platform
                   FROM refunds r
                   CROSS JOIN LATERAL (SELECT o.country, o.platform FROM orders o
                                       WHERE o.id = r.order_id AND ${countedAndConvertible()} OFFSET 0) o
                   WHERE r.refunded_at >= ${from} AND r.refunded_at < ${to} AND ${convertedRefund()}
                   OFFSET 0) rr`;
}
