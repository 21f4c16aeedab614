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
import { concatMap, Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, EventMeta, EventsSinceResponse, ServerToClientEvents } from '@mt/contracts';
import { REALTIME_PATH } from '@mt/contracts';
import { AuthService } from '../auth/auth.service';
import { credentialsFrom, hashSecret, isSameOriginRequest } from '../auth/credentials';
import type { Principal } from '../auth/principal';
import { Revocation, Revocations } from '../auth/revocations';
import { AppConfig } from '../config/app-config';
import { DomainEvent, DomainEvents } from './domain-events';
import { RecentEventsRepository, toMeta } from './recent-events.repository';

interface SocketData {
  user: Principal;
  /** SHA-256 of the session or token secret the handshake presented. */
  credentialHash: string;
}

type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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
    // concatMap: one event is stored and sent before the next, so clients see them in publish order.
    this.subscriptions.push(
      this.events.events$
        .pipe(concatMap(async (event) => ({ event, meta: await this.store(event) })))
        .subscribe(({ event, meta }) => {
          (this.server.emit as (name: string, ...args: unknown[]) => boolean)(event.name, event.payload, meta);
        }),
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
   * Kept for catch-up even when it cannot be stored: a live client should not miss it for that. Pushed
   * figures are not kept: they are state, not news (a reconnecting client fetches today's figures, and
   * the order events that moved them are in the buffer).
   */
  private async store(event: DomainEvent): Promise<EventMeta> {
    if (event.name === 'metrics.changed' && (event as DomainEvent<'metrics.changed'>).payload.figures)
      return toMeta(null);
    try {
      return toMeta(await this.recent.append(event));
    } catch (error) {
      this.logger.warn(`event ${event.name} not buffered: ${error instanceof Error ? error.message : String(error)}`);
      return toMeta(null);
    }
  }
}
