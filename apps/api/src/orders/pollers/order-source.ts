import type { Platform } from '@mt/contracts';
import { NormalizedOrder } from '../normalized-order';

/** One page of orders from a platform API. */
export interface OrderPage {
  orders: NormalizedOrder[];
}

/**
 * A polled platform. `pages` yields orders modified since `since` (with some overlap: upserts are
 * idempotent), page by page, so each page is committed before the next is fetched.
 */
export interface OrderSource {
  readonly name: string;
  readonly platform: Platform;
  pages(since: Date, now: Date): AsyncIterable<OrderPage>;
}

/** How far back the first poll of a source reaches, and how much each later poll overlaps the previous one. */
export const FIRST_POLL_DAYS = 30;
export const POLL_OVERLAP_MS = 10 * 60_000;
