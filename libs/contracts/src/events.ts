import type { AlertKind } from './alerts';
import type { MetricsSummaryResponse, TodayVsYesterdayResponse } from './analytics';
import type { IsoDateTime, Platform } from './common';

/** Every event the Socket.IO gateway (path `/ws`) sends to the dashboard, by name. */
export interface ClientEventMap {
  'order.created': OrderEvent;
  'order.updated': OrderEvent;
  'metrics.changed': MetricsChangedEvent;
  'upload.completed': { files: number; imported: number; rejected: number; at: IsoDateTime };
  'source.synced': { source: string; at: IsoDateTime; error: string | null };
  'alert.fired': AlertFiredEvent;
}

export type ClientEventName = keyof ClientEventMap;

/**
 * Sales figures changed. After a burst of orders the server computes the figures once (at most once a
 * second, on one instance) and sends them in `figures`: apply them without asking. Without `figures`
 * (new exchange rates, a new business zone) every sales figure may have moved: refetch.
 */
export interface MetricsChangedEvent {
  reason: string;
  at: IsoDateTime;
  figures?: PushedFigures;
}

/** What `metrics.changed` carries: the answers of the endpoints named, as they would answer now. */
export interface PushedFigures {
  /** `GET /api/comparison/today-vs-yesterday`. */
  hero: TodayVsYesterdayResponse;
  /** `GET /api/metrics/summary`. */
  summary: MetricsSummaryResponse;
  /**
   * Which stored changes `hero` includes: the database snapshot its figures were read in, opaque
   * (`figuresInclude(watermark, share.commit)` in live-hero.ts tells whether an order's share is in them).
   */
  watermark: string;
}

/**
 * What an order adds to the hero (`GET /api/comparison/today-vs-yesterday`'s `today`), computed by the
 * server from the stored order with the rules of the figures. Sent only when it is known exactly; an
 * event without it moves the hero at the next `metrics.changed`.
 */
export interface HeroShare {
  /** The order's day in the business time zone (`YYYY-MM-DD`): it adds to the hero whose today this is. */
  day: string;
  orders: number;
  /** In the base currency, an exact decimal string ("12.34"). */
  revenue: string;
  /** The database transaction that stored the order so: opaque, compared with a figures' `watermark`. */
  commit: string;
}

export interface OrderEvent {
  platform: Platform;
  /** The number the shop shows ("#1047" on Shopify, "1047" on WooCommerce); null when it gives none. */
  orderNumber: string | null;
  /** Order total in its own currency, rounded to cents. */
  amount: number;
  currency: string;
  country: string | null;
  /** The catalogue titles of the order's lines, in line order, each once (empty for an order stored without lines). */
  titles: string[];
  createdAt: IsoDateTime;
  /** `order.created` only: what the order adds to the hero, when that is known exactly. */
  hero?: HeroShare;
}

/** A rule fired (sent once per alert, after its delivery was tried): enough for a toast; the card refetches the rest. */
export interface AlertFiredEvent {
  /** The `AlertEvent` id. */
  id: number;
  kind: AlertKind;
  ruleName: string;
  subject: string;
  firedAt: IsoDateTime;
}

/** Socket.IO path on the API's own origin. */
export const REALTIME_PATH = '/ws';

/**
 * Sent with every event as its second argument: `id` orders events, `at` (server clock) is what a
 * reconnecting client passes to `events.since`.
 */
export interface EventMeta {
  id: string | null;
  at: IsoDateTime;
}

/** What the server emits: `socket.on('order.created', (payload, meta) => …)`. */
export type ServerToClientEvents = { [K in ClientEventName]: (payload: ClientEventMap[K], meta: EventMeta) => void };

/** One buffered event, as `events.since` returns it. */
export type MissedEvent = {
  [K in ClientEventName]: { id: string; name: K; payload: ClientEventMap[K]; at: IsoDateTime };
}[ClientEventName];

export interface EventsSinceRequest {
  /** The `meta.at` of the last event the client saw (or when it lost the connection). */
  since: IsoDateTime;
}

export interface EventsSinceResponse {
  /** Oldest first. */
  events: MissedEvent[];
  /**
   * False when the buffer (the last 24 hours, at most 1,000 events per answer) cannot cover the gap:
   * refetch everything instead of replaying.
   */
  complete: boolean;
}

/** What the client may send; answers come through the acknowledgement callback. */
export interface ClientToServerEvents {
  'events.since': (request: EventsSinceRequest, ack: (response: EventsSinceResponse) => void) => void;
}
