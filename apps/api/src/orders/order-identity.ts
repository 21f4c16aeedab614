import type { Platform } from '@mt/contracts';

/**
 * SPEC §2: one order is one row, whichever way it arrived. Shopify, Etsy, Amazon and eBay ids are unique
 * across shops, so their key is (platform, external id) and `store` is only information; WooCommerce ids
 * are per site, so there the site is part of the key. The same rule as the SQL function
 * `order_identity_store(platform, store)` (migration OrderIdentity), on which `orders.identity_store`
 * and the unique key are built.
 */
export function identityStore(platform: Platform, store: string): string {
  return platform === 'woocommerce' ? store : '';
}

/** The natural key of an order as one string, for maps and sorting in Node. */
export function orderKey(order: { platform: Platform; store: string; externalId: string }): string {
  return `${order.platform}\u0000${identityStore(order.platform, order.store)}\u0000${order.externalId}`;
}

/** SQL of the identity of `platform`/`store` expressions, for lookups by key. */
export function identityStoreSql(platform: string, store: string): string {
  return `order_identity_store(${platform}, ${store})`;
}
