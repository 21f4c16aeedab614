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
 * The refunds that lower revenue, joined to their order, as FROM items (`refunds r JOIN orders o`) and
 * the condition that their attributed instant lies in [from, to): converted refunds of counted and
 * convertible orders. `from` and `to` are SQL expressions.
 */
export function revenueRefunds(
  attribution: RefundAttribution,
  from: string,
  to: string,
): { join: string; where: string } {
  const at = refundInstant(attribution);
  return {
    join: `refunds r JOIN orders o ON o.id = r.order_id`,
    where: `${at} >= ${from} AND ${at} < ${to} AND ${convertedRefund()} AND ${countedAndConvertible()}`,
  };
}
