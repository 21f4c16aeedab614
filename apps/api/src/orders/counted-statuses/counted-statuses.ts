import type { Platform } from '@mt/contracts';
import { ORDER_STATUSES } from '../normalized-order';

/**
 * The words the counted-statuses setting (SPEC §2) uses for each platform: the status an order is stored
 * with (`orders.status`), except WooCommerce, whose own statuses (`orders.platform_status`) are finer than
 * the normalised ones (pending and on-hold are both `pending`). Whether a status counts is decided in SQL
 * by `order_status_counts(platform, status)` over `order_uncounted_statuses`, whose defaults the
 * migration OrderIdentity sets: Shopify every order not cancelled or voided; WooCommerce processing,
 * completed, on-hold and refunded.
 */
export const PLATFORM_STATUSES: Readonly<Record<Platform, readonly string[]>> = {
  shopify: ['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided', 'cancelled'],
  woocommerce: ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'trash'],
  etsy: ORDER_STATUSES,
  amazon: ORDER_STATUSES,
  ebay: ORDER_STATUSES,
};

/** Plugins add statuses of their own to WooCommerce (`wc-awaiting-shipment` → `awaiting-shipment`). */
export const WOO_CUSTOM_STATUS = /^[a-z0-9][a-z0-9_-]{0,39}$/;
