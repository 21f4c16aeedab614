export const PLATFORMS = ['shopify', 'etsy', 'woocommerce', 'amazon', 'ebay'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['admin', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** An instant as ISO 8601 with offset, e.g. `2026-03-29T03:00:00+02:00`. */
export type IsoDateTime = string;
/** A calendar date in the business time zone, `YYYY-MM-DD`. */
export type IsoDate = string;
