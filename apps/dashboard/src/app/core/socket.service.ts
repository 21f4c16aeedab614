import { Injectable, inject, signal } from '@angular/core';
import {
  REALTIME_PATH,
  type ClientEventMap,
  type ClientEventName,
  type EventMeta,
  type EventsSinceResponse,
  type MissedEvent,
} from '@mt/contracts';
import type { Socket } from 'socket.io-client';
import { FirstFigures } from './first-figures';
import { whenIdle } from './idle';
import { LiveFigures } from './live-figures';
import { OrderToastsService } from './order-toasts.service';
import { RefreshService, RefreshTopic } from './refresh.service';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/**
 * Socket.IO's own reconnection after the connection dropped: 0.5 s doubling up to 3 s, ±50 % jitter,
 * so that a dashboard is live again within 5 s of its server coming back, and a thousand of them
 * do not come back in the same instant.
 */
export const RECONNECT = { reconnectionDelay: 500, reconnectionDelayMax: 3_000, randomizationFactor: 0.5 } as const;

/** Retries of a handshake the server refused (it is up, and said no): 1 s doubling up to 30 s, ±50 %. */
export const REFUSED_RETRY = { delayMs: 1_000, maxMs: 30_000, randomizationFactor: 0.5 } as const;

/** Refetches that every dashboard makes at once (after a push without figures, or a reconnect) spread over this. */
export const SPREAD_MS = 3_000;

/** How long a reconnected dashboard waits for `events.since` before it refetches everything instead. */
const CATCH_UP_TIMEOUT_MS = 10_000;

/** The wait before retry `attempt` (0-based) of a refused handshake. */
export function backoffDelay(attempt: number, random = Math.random()): number {
  const { delayMs, maxMs, randomizationFactor } = REFUSED_RETRY;
  const base = Math.min(maxMs, delayMs * 2 ** attempt);
  return Math.round(base * (1 - randomizationFactor + 2 * randomizationFactor * random));
}

/** Which cards an event makes stale. */
const TOPIC_OF: Record<ClientEventName, RefreshTopic> = {
  'order.created': 'sales',
  'order.updated': 'sales',
  'metrics.changed': 'sales',
  'upload.completed': 'spotify',
  'source.synced': 'sources',
  'alert.fired': 'alerts',
};

/**
 * The Socket.IO connection (path /ws, authenticated by the session cookie at the handshake). The
 * client library is loaded on first connect so that it is not part of the initial bundle.
 *
 * Live sales figures come pushed: an order is a toast, and the `metrics.changed` the server sends
 * after it carries the hero and the metrics grid (LiveFigures), so no card asks again; the other
 * sales cards follow the minute timer. After a reconnect the dashboard asks for what it missed
 * (`events.since`): the orders of the outage toast, and only the cards they touched refetch.
 */
@Injectable({ providedIn: 'root' })
export class SocketService {
  private readonly refresh = inject(RefreshService);
  private readonly toasts = inject(OrderToastsService);
  private readonly figures = inject(LiveFigures);
  private readonly firstFigures = inject(FirstFigures);
  readonly status = signal<ConnectionStatus>('idle');
  private socket: Socket | null = null;
  private wanted = false;
  /** The `meta.at` of the last buffered event seen: where a catch-up starts. */
  private lastSeenAt: string | null = null;
  /** Events that came without an id (the server could not store them): each its own key. */
  private unstored = 0;

  async connect(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    this.status.set('connecting');
    // The page's own figures first: the live connection (and its library) waits until the hero is drawn
    // (the page is built by the first idle moment), then for a quiet moment after it.
    await whenIdle();
    await this.firstFigures.whenDrawn();
    await whenIdle();
    const { io } = await import('socket.io-client');
    if (!this.wanted) return;
    const socket = io({
      path: REALTIME_PATH,
      withCredentials: true,
      transports: ['websocket', 'polling'],
      ...RECONNECT,
    });
    this.socket = socket;
    let connectedBefore = false;
    let refusals = 0;
    socket.on('connect', () => {
      refusals = 0;
      this.status.set('connected');
      if (connectedBefore) void this.catchUp(socket);
      connectedBefore = true;
    });
    socket.on('disconnect', (reason) => {
      // A disconnect ordered by the server (e.g. session gone) is not retried by socket.io itself.
      if (reason === 'io server disconnect' && this.wanted)
        setTimeout(() => this.wanted && socket.connect(), backoffDelay(refusals++));
      this.status.set('reconnecting');
    });
    socket.io.on('reconnect_attempt', () => this.status.set('reconnecting'));
    socket.on('connect_error', () => {
      this.status.set(connectedBefore ? 'reconnecting' : 'connecting');
      // A handshake the server refused (e.g. the session cookie expired) is not retried by socket.io.
      if (!socket.active && this.wanted) setTimeout(() => this.wanted && socket.connect(), backoffDelay(refusals++));
    });
    for (const name of Object.keys(TOPIC_OF) as ClientEventName[]) {
      socket.on(name, (payload: ClientEventMap[typeof name], meta?: EventMeta) => {
        if (meta?.id) this.lastSeenAt = meta.at;
        this.handle(name, payload, meta);
      });
    }
  }

  /**
   * The network is back (the browser said so): try now rather than at the end of the current backoff,
   * and fetch what the cards missed.
   */
  reconnectNow(): void {
    this.refresh.request('all');
    const socket = this.socket;
    if (!socket || socket.connected) return;
    socket.disconnect();
    socket.connect();
  }

  disconnect(): void {
    this.wanted = false;
    this.socket?.disconnect();
    this.socket = null;
    this.status.set('idle');
  }

  /** Exposed for tests: what a live event does (`meta` as the server sent it). */
  handle<K extends ClientEventName>(name: K, payload: ClientEventMap[K], meta?: EventMeta): void {
    this.notify(name, payload);
    this.share(name, payload, meta?.id ?? `unstored:${++this.unstored}`);
    if (name === 'metrics.changed') {
      const figures = (payload as ClientEventMap['metrics.changed']).figures;
      if (figures) this.figures.accept(figures);
      // New rates or a new zone: every sales figure may have moved, on every dashboard at once.
      else this.refresh.requestSpread('sales', SPREAD_MS);
    } else if (TOPIC_OF[name] !== 'sales') {
      this.refresh.request(TOPIC_OF[name]);
    }
    // An order refreshes nothing itself: it carries its share of the hero, and the metrics.changed that
    // follows it the figures.
  }

  /**
   * Exposed for tests: what `events.since` answered after a reconnect. The missed orders and alerts
   * toast; each card they touched refetches once (the pushes of the outage were missed), spread out.
   */
  replay(answer: EventsSinceResponse): void {
    if (!answer.complete) {
      this.refresh.requestSpread('all', SPREAD_MS);
      return;
    }
    const stale = new Set<RefreshTopic>();
    for (const event of answer.events) {
      this.lastSeenAt = event.at;
      this.notify(event.name, event.payload as ClientEventMap[MissedEvent['name']]);
      this.share(event.name, event.payload as ClientEventMap[MissedEvent['name']], event.id);
      stale.add(TOPIC_OF[event.name]);
    }
    for (const topic of stale) this.refresh.requestSpread(topic, SPREAD_MS);
  }

  private async catchUp(socket: Socket): Promise<void> {
    const since = this.lastSeenAt;
    // Nothing seen since the page loaded: nothing to start from, so fetch it all.
    if (!since) return this.refresh.requestSpread('all', SPREAD_MS);
    try {
      this.replay(
        (await socket.timeout(CATCH_UP_TIMEOUT_MS).emitWithAck('events.since', { since })) as EventsSinceResponse,
      );
    } catch {
      this.refresh.requestSpread('all', SPREAD_MS);
    }
  }

  /** An order's share of the hero, keyed by its event (seen live and replayed, it adds once). */
  private share<K extends ClientEventName>(name: K, payload: ClientEventMap[K], eventId: string): void {
    const share = name === 'order.created' ? (payload as ClientEventMap['order.created']).hero : undefined;
    if (share) this.figures.acceptShare(eventId, share);
  }

  private notify<K extends ClientEventName>(name: K, payload: ClientEventMap[K]): void {
    if (name === 'order.created') this.toasts.show(payload as ClientEventMap['order.created']);
    if (name === 'alert.fired') this.toasts.showAlert(payload as ClientEventMap['alert.fired']);
  }
}
