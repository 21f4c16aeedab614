import { Injectable, inject, signal } from '@angular/core';
import { REALTIME_PATH, type ClientEventMap, type ClientEventName } from '@mt/contracts';
import type { Socket } from 'socket.io-client';
import { whenIdle } from './idle';
import { OrderToastsService } from './order-toasts.service';
import { RefreshService, RefreshTopic } from './refresh.service';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/**
 * Backoff between reconnection attempts: 0.5 s doubling up to 3 s, ±50 % jitter so that clients spread
 * out. The longest wait (4.5 s) keeps a dashboard live again within 5 s of the server coming back.
 */
export const RECONNECT = { reconnectionDelay: 500, reconnectionDelayMax: 3_000, randomizationFactor: 0.5 } as const;

/** The wait before retry `attempt` (0-based) of a refused handshake, with the same doubling and cap. */
export function backoffDelay(attempt: number, random = Math.random()): number {
  const base = Math.min(RECONNECT.reconnectionDelayMax, RECONNECT.reconnectionDelay * 2 ** attempt);
  return Math.round(base * (1 - RECONNECT.randomizationFactor + 2 * RECONNECT.randomizationFactor * random));
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
 */
@Injectable({ providedIn: 'root' })
export class SocketService {
  private readonly refresh = inject(RefreshService);
  private readonly toasts = inject(OrderToastsService);
  readonly status = signal<ConnectionStatus>('idle');
  private socket: Socket | null = null;
  private wanted = false;

  async connect(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    this.status.set('connecting');
    // The page's own figures first: the live connection (and its library) waits for a quiet moment.
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
      // Whatever happened while we were away was not pushed to us: fetch it.
      if (connectedBefore) this.refresh.request('all');
      connectedBefore = true;
    });
    socket.on('disconnect', (reason) => {
      // A disconnect ordered by the server (e.g. session gone) is not retried by socket.io itself.
      if (reason === 'io server disconnect' && this.wanted)
        setTimeout(() => this.wanted && socket.connect(), RECONNECT.reconnectionDelayMax);
      this.status.set('reconnecting');
    });
    socket.io.on('reconnect_attempt', () => this.status.set('reconnecting'));
    socket.on('connect_error', () => {
      this.status.set(connectedBefore ? 'reconnecting' : 'connecting');
      // A handshake the server refused (e.g. the session cookie expired) is not retried by socket.io.
      if (!socket.active && this.wanted) setTimeout(() => this.wanted && socket.connect(), backoffDelay(refusals++));
    });
    for (const name of Object.keys(TOPIC_OF) as ClientEventName[]) {
      socket.on(name, (payload: ClientEventMap[typeof name]) => this.handle(name, payload));
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

  /** Exposed for tests: what an incoming event does. */
  handle<K extends ClientEventName>(name: K, payload: ClientEventMap[K]): void {
    if (name === 'order.created') this.toasts.show(payload as ClientEventMap['order.created']);
    if (name === 'alert.fired') this.toasts.showAlert(payload as ClientEventMap['alert.fired']);
    this.refresh.request(TOPIC_OF[name]);
  }
}
