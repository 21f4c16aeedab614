import { Logger, OnModuleDestroy } from '@nestjs/common';
import {
  MessageBody,
  OnGatewayConnection,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  WsException,
} from '@nestjs/websockets';
import { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import type {
  ClientEventName,
  ClientToServerEvents,
  EventMeta,
  EventsSinceResponse,
  ServerToClientEvents,
} from '@mt/contracts';
import { REALTIME_PATH } from '@mt/contracts';
import { AuthService } from '../auth/auth.service';
import { credentialsFrom, hashSecret, isSameOriginRequest } from '../auth/credentials';
import type { Principal } from '../auth/principal';
import { Revocation, Revocations } from '../auth/revocations';
import { AppConfig } from '../config/app-config';
import { DomainEvent, DomainEvents } from './domain-events';
import { isMetricsPush, withLatestFiguresOnly } from './metrics-push';
import { relayToOtherInstances } from './postgres-io.adapter';
import { RecentEventsRepository, toMeta } from './recent-events.repository';

interface SocketData {
  user: Principal;
  /** SHA-256 of the session or token secret the handshake presented. */
  credentialHash: string;
}

/** An event as it goes to the clients: what the other instances send on to theirs. */
interface SentEvent {
  name: ClientEventName;
  payload: unknown;
  meta: EventMeta;
}

/** Between API instances (through the adapter): the events of a burst, in order. */
interface InterServerEvents {
  [RELAYED_BURST]: (events: SentEvent[]) => void;
}

const RELAYED_BURST = 'realtime.burst';

type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Events buffered and sent per round trip at most, when they come faster than one statement takes. */
const MAX_BURST = 500;

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$/;

/** The error message a refused handshake gets (`connect_error`). */
export const UNAUTHORIZED = 'unauthorized';

/**
 * Socket.IO on `/ws`: the handshake must carry the session cookie or an API token (`auth: { token }`
 * or `Authorization: Bearer`); every domain event is stored in the recent-events buffer and then
 * broadcast to every connected dashboard (on every instance, through the adapter), in publish order.
 */
@WebSocketGateway({ path: REALTIME_PATH })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly subscriptions: Subscription[] = [];

  @WebSocketServer()
  private server!: RealtimeServer;
  private readonly queue: DomainEvent[] = [];
  private flushing = false;

  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly events: DomainEvents,
    private readonly recent: RecentEventsRepository,
    private readonly revocations: Revocations,
  ) {}

  afterInit(server: RealtimeServer): void {
    server.use((socket, next) => {
      this.authenticate(socket).then(
        (authenticated) => {
          if (!authenticated) return next(new Error(UNAUTHORIZED));
          socket.data.user = authenticated.user;
          socket.data.credentialHash = authenticated.credentialHash;
          next();
        },
        () => next(new Error(UNAUTHORIZED)),
      );
    });
    server.sockets.on(RELAYED_BURST, (events) => this.sendToClients(events));
    this.subscriptions.push(
      this.events.events$.subscribe((event) => this.enqueue(event)),
      this.revocations.revoked$.subscribe((revocation) => this.disconnect(revocation)),
    );
  }

  /** Rooms by credential and by user, so that a revocation can find the connections it ends. */
  async handleConnection(socket: RealtimeSocket): Promise<void> {
    await socket.join([`credential:${socket.data.credentialHash}`, `user:${socket.data.user.id}`]);
  }

  onModuleDestroy(): void {
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
  }

  /** What happened after `since` (the last `meta.at` the client saw), for a client that reconnects. */
  @SubscribeMessage('events.since')
  async eventsSince(@MessageBody() body: unknown): Promise<EventsSinceResponse> {
    const since = (body as { since?: unknown } | null)?.since;
    if (typeof since !== 'string' || !ISO_INSTANT.test(since) || Number.isNaN(Date.parse(since))) {
      throw new WsException('since must be an ISO 8601 date-time with offset, e.g. a meta.at');
    }
    return this.recent.since(since);
  }

  private async authenticate(socket: RealtimeSocket): Promise<{ user: Principal; credentialHash: string } | null> {
    const headers = socket.handshake.headers;
    const credentials = credentialsFrom(headers, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
    const user = await this.auth.authenticate(credentials);
    if (!user) return null;
    // A cookie rides along on a handshake from any page (cross-site WebSocket hijacking); only our
    // own pages and the allow-listed origins may use it.
    if (user.via === 'session' && !isSameOriginRequest(headers, this.config.corsOrigins)) return null;
    return { user, credentialHash: hashSecret((user.via === 'token' ? credentials.bearer : credentials.session)!) };
  }

  /** Through the adapter, so that the connections on every instance go. */
  private disconnect(revocation: Revocation): void {
    const room =
      'credentialHash' in revocation ? `credential:${revocation.credentialHash}` : `user:${revocation.userId}`;
    this.server.in(room).disconnectSockets(true);
  }

  /**
   * Events are stored, then sent, in publish order: those that arrive while a burst is being stored
   * and relayed make the next burst, so a busy minute costs one statement and one NOTIFY per burst
   * instead of one of each per event, and a push is never queued behind hundreds of single inserts.
   */
  private enqueue(event: DomainEvent): void {
    this.queue.push(event);
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const burst = withLatestFiguresOnly(this.queue.splice(0, MAX_BURST));
        const metas = await this.store(burst);
        const sent = burst.map((event, i): SentEvent => ({
          name: event.name,
          payload: event.payload,
          meta: metas[i]!,
        }));
        this.sendToClients(sent);
        // Waited for, so that the other instances' share of the next events rides in the next burst.
        await relayToOtherInstances(this.server.sockets, RELAYED_BURST, sent).catch((error: unknown) =>
          this.logger.warn(
            `${sent.length} events not relayed to the other instances: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      }
    } finally {
      this.flushing = false;
    }
  }

  /** To the clients of this instance only: the other instances get the burst itself and do the same. */
  private sendToClients(events: SentEvent[]): void {
    const local = this.server.local as unknown as { emit(name: string, ...args: unknown[]): boolean };
    for (const event of events) local.emit(event.name, event.payload, event.meta);
  }

  /**
   * Sent even when they cannot be stored: a live client should not miss an event for that. Pushed
   * figures are not kept: they are state, not news (a reconnecting client fetches today's figures, and
   * the order events that moved them are in the buffer).
   */
  private async store(burst: DomainEvent[]): Promise<EventMeta[]> {
    const kept = burst.filter((event) => !isMetricsPush(event));
    const stored = new Map<DomainEvent, EventMeta>();
    try {
      if (kept.length) (await this.recent.appendMany(kept)).forEach((row, i) => stored.set(kept[i]!, toMeta(row)));
    } catch (error) {
      this.logger.warn(`${kept.length} events not buffered: ${error instanceof Error ? error.message : String(error)}`);
    }
    return burst.map((event) => stored.get(event) ?? toMeta(null));
  }
}
